// A word's postings read in id order (sqlite_postings.h).
#include "store/sqlite/sqlite_postings.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_name_rows.h"

namespace cx::sqlite {

Result<int64_t> WordRecords(Db* db, const PostingsSource& src, int kind, const std::string& word,
                            int64_t blocks) {
  std::string key, kept;
  if (src.cache) {
    key = "r" + std::to_string(blocks) + " " + word;
    if (src.cache->GetIndexFact(kind, key, src.gen, &kept)) {
      int64_t n = 0;
      std::from_chars(kept.data(), kept.data() + kept.size(), n);
      return n;
    }
  }
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db->Prepare("SELECT sum(records) FROM (SELECT records FROM name_postings "
                                  "WHERE kind = ?1 AND word = ?2 LIMIT ?3)"));
  s->Bind(1, int64_t(kind)).Bind(2, word).Bind(3, blocks);
  int64_t n = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  if (src.cache) src.cache->PutIndexFact(kind, key, std::to_string(n), src.gen);
  return n;
}

Status Postings::More(Db* db, int kind, const PostingsSource& src) {
  const size_t need = blocks_read + size_t(blocks);
  if (src.cache && (!all || (all->blocks() < need && !all->done))) {
    auto kept = src.cache->GetPostings(kind, word, src.gen);
    if (kept && (!all || kept->blocks() > all->blocks() || (kept->done && !all->done)))
      all = std::move(kept);
  }
  if (!all || (all->blocks() < need && !all->done)) {
    auto more = std::make_shared<WordPostings>();
    if (all) *more = *all;  // the ids copied, the blocks' text shared
    const int64_t ask = int64_t(need - more->blocks());
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db->Prepare("SELECT first, ids FROM name_postings WHERE kind = ?1 AND "
                                    "word = ?2 AND first > ?3 ORDER BY first LIMIT ?4"));
    s->Bind(1, int64_t(kind)).Bind(2, word).Bind(3, more->last_first).Bind(4, ask);
    int64_t got = 0;
    while (s->Step()) {
      ++got;
      more->last_first = s->Text(0);
      auto text = std::make_shared<const std::string>(s->TextView(1));
      std::string_view block = *text;
      more->text.push_back(std::move(text));
      while (!block.empty()) {
        const size_t end = std::min(block.find(kIdSep), block.size());
        more->ids.emplace_back(block.substr(0, end));
        block.remove_prefix(std::min(end + 1, block.size()));
      }
      more->ends.push_back(more->ids.size());
    }
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    more->done = got < ask;
    if (src.cache) src.cache->PutPostings(kind, word, more, src.gen);
    all = std::move(more);
  }
  // As reading `blocks` from the index would: done when fewer came.
  const size_t to = std::min(need, all->blocks());
  done = to - blocks_read < size_t(blocks);
  blocks_read = to;
  ids = all->ids.data();
  n = blocks_read == 0 ? 0 : all->ends[blocks_read - 1];
  blocks *= 2;
  return Status::Ok();
}

}  // namespace cx::sqlite
