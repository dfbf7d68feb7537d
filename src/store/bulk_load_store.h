// Bulk loads: what a large transaction is about to write.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entity.h"

namespace cx {

// What the rows of a bulk load hold, beyond their kind.
enum class BulkShape {
  kAny,
  // Accounts that each carry an ERP Customer ID and no owner (an ERP sync of customers): the
  // structures over accounts without an ERP link or with an owner get none of them.
  kErpLinkedUnowned,
};

// How a transaction that writes a great deal tells the store what is coming, so that the store
// can arrange itself for it (the arrangement is the store's own: callers name only the load).
class BulkLoadStore {
 public:
  virtual ~BulkLoadStore() = default;

  // About `expected_rows` records of `entity` (accounts, contacts, interactions or orders) are
  // about to be written in this transaction. When that is many times what the store already
  // holds (a first load), the store may put off the upkeep of its secondary structures (search
  // structures, aggregates, the duplicate index) until just before the commit, when it does it
  // in one pass. `shape` says what the rows hold, so that the store keeps up the structures the
  // load does not touch. Returns how many structures the store put off (0 when the load is
  // small next to what it holds). Errors: kInvalid for another entity.
  virtual Result<int> ExpectBulkLoad(Entity entity, int64_t expected_rows,
                                     BulkShape shape = BulkShape::kAny) = 0;
  // A large write is coming (a big sync): the store may keep up to about `mib` MiB of it in
  // memory before writing it out.
  virtual Status ReserveLargeWriteMemory(int mib) = 0;
};

}  // namespace cx
