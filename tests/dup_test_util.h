// The duplicate index's store calls for one record or one block, through the calls for many
// (tests of service/dedupe and of the store contract).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace cx::testing {

// One record filed (or unfiled), through the store's filing of many.
inline Status File(Tx& tx, NameKind k, const std::string& id,
                   std::optional<std::vector<uint64_t>> hashes) {
  return tx.FileDupRecords(k, {DupFiling{id, std::move(hashes)}});
}

// The hashes one record is filed under, through the store's reading of many.
inline Result<std::optional<std::vector<uint64_t>>> Hashes(Tx& tx, NameKind k,
                                                           const std::string& id) {
  CX_ASSIGN_OR_RETURN(auto all, tx.DupHashes(k, {id}));
  if (all.size() != 1) return Internal("DupHashes: not one answer for one id");
  return std::move(all[0]);
}

// One block, read through the store's reading of many.
inline Result<std::vector<std::string>> Block(Tx& tx, NameKind k, uint64_t hash, int limit) {
  CX_ASSIGN_OR_RETURN(auto blocks, tx.DupBlocks(k, {hash}, limit));
  if (blocks.size() != 1) return Internal("DupBlocks: not one list for one hash");
  return std::move(blocks[0]);
}

}  // namespace cx::testing
