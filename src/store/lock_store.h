// What a transaction may do: the read-only transactions of Store::Read cannot write.
#pragma once

namespace cx {

class LockStore {
 public:
  virtual ~LockStore() = default;
  // Whether this transaction may write. False in Store::Read, and in Store::ReadFresh when it
  // fell back to a read (a bulk load holds the hub, or the hub is read-only): then derived
  // tables (KPI aggregates, the duplicate index) are read as they are, and the caller falls
  // back to the facts where they are behind.
  virtual bool Writable() const = 0;
};

}  // namespace cx
