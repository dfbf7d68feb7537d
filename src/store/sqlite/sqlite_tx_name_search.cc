// SQLite Tx: reading the name index's records (search-first, search as one types, duplicates):
// the ids under words and groups of words. The words a query word may mean are in
// sqlite_tx_name_words.cc, the match keys in sqlite_tx_match_keys.cc.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>

#include "store/sqlite/sorted_ids.h"
#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_postings.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

namespace {
// Calls fn with each id under (kind, word), in id order, until it returns false.
Status ForEachId(sqlite::Db* db, int kind, const std::string& word,
                 const std::function<bool(std::string_view)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db->Prepare("SELECT ids FROM name_postings WHERE kind = ?1 AND word = ?2 ORDER BY first"));
  s->Bind(1, int64_t(kind)).Bind(2, word);
  bool more = true;
  while (more && s->Step()) {
    std::string_view text = s->TextView(0);
    while (more && !text.empty()) {
      const size_t end = std::min(text.find(kIdSep), text.size());
      more = fn(text.substr(0, end));
      text.remove_prefix(std::min(end + 1, text.size()));
    }
  }
  Status st = s->status();
  s->Reset();
  return st;
}
}  // namespace

Result<std::vector<std::string>> SqliteTx::IdsByWord(NameKind k, const std::string& word,
                                                     int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  std::vector<std::string> out;
  if (limit <= 0) return out;
  CX_RETURN_IF_ERROR(ForEachId(db_, NameKindCode(k), word, [&](std::string_view id) {
    out.emplace_back(id);
    return out.size() < size_t(limit);
  }));
  return out;
}

namespace {

// Whether `id` is under (kind, word): one look-up of the block that would hold it.
Result<bool> HasId(sqlite::Db* db, int kind, const std::string& word, std::string_view id) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db->Prepare("SELECT first, ids FROM name_postings WHERE kind = ?1 AND "
                                  "word = ?2 AND first <= ?3 ORDER BY first DESC LIMIT 1"));
  s->Bind(1, int64_t(kind)).Bind(2, word).BindStatic(3, id);
  bool found = false;
  if (s->Step()) {
    std::string_view text = s->TextView(1);
    while (!found && !text.empty()) {
      const size_t end = std::min(text.find(kIdSep), text.size());
      found = text.substr(0, end) == id;
      text.remove_prefix(std::min(end + 1, text.size()));
    }
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return found;
}

// The ids under any of `words`, each once, in id order; only the first `limit` when given.
// Each word's postings are read in id order, so the first `limit` of the union are among the
// first `limit` of each word, and once `limit` ids are known, none past the last of them: no
// more is read. The words' ids are merged as they come (a search's word of a few letters may
// begin twenty words of hundreds of records each; sorting them all together was a tenth of it).
Result<std::vector<std::string>> UnionRead(sqlite::Db* db, int kind,
                                           const std::vector<std::string>& words,
                                           std::optional<size_t> limit) {
  std::vector<std::string> out, word_ids, merged;
  for (const auto& word : words) {
    word_ids.clear();
    const std::string* last = limit && out.size() >= *limit ? &out.back() : nullptr;
    CX_RETURN_IF_ERROR(ForEachId(db, kind, word, [&](std::string_view id) {
      if (last && id > *last) return false;
      word_ids.emplace_back(id);
      return !limit || word_ids.size() < *limit;
    }));
    SortedUnique(&word_ids);
    merged.clear();
    merged.reserve(out.size() + word_ids.size());
    std::set_union(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()),
                   std::make_move_iterator(word_ids.begin()),
                   std::make_move_iterator(word_ids.end()), std::back_inserter(merged));
    if (limit && merged.size() > *limit) merged.resize(*limit);
    out.swap(merged);
  }
  return out;
}

// UnionRead through the hub's cache of postings when the transaction may use it: each word
// read only as far as UnionRead reads it (past the last of the first `limit` ids known, or
// `limit` of its own), the blocks taken from the cache or kept there.
Result<std::vector<std::string>> UnionOf(sqlite::Db* db, const PostingsSource& src, int kind,
                                         const std::vector<std::string>& words,
                                         std::optional<size_t> limit) {
  if (!src.cache) return UnionRead(db, kind, words, limit);
  std::vector<Postings> read;
  read.reserve(words.size());
  std::vector<IdView> out, word_ids, merged;
  for (const auto& word : words) {
    Postings& p = read.emplace_back(word);
    const std::optional<IdView> last =
        limit && out.size() >= *limit ? std::optional<IdView>(out.back()) : std::nullopt;
    do {
      CX_RETURN_IF_ERROR(p.More(db, kind, src));
    } while (!p.done && !(last && *last < p.back()) && !(limit && p.n >= *limit));
    const IdView* end = last ? std::upper_bound(p.ids, p.ids + p.n, *last) : p.ids + p.n;
    if (limit && size_t(end - p.ids) > *limit) end = p.ids + *limit;
    // A word's ids come in id order, each once (its blocks are disjoint ranges): merged from
    // the postings in place, and copied and sorted first only if they are not.
    const IdView* from = p.ids;
    if (std::adjacent_find(p.ids, end, [](const IdView& a, const IdView& b) { return !(a < b); }) !=
        end) {
      word_ids.assign(p.ids, end);
      SortedUnique(&word_ids);
      from = word_ids.data();
      end = from + word_ids.size();
    }
    merged.clear();
    UnionInto(out.data(), out.data() + out.size(), from, end, &merged);
    if (limit && merged.size() > *limit)
      merged.erase(merged.begin() + std::ptrdiff_t(*limit), merged.end());
    out.swap(merged);
  }
  std::vector<std::string> ids;
  ids.reserve(out.size());
  for (const auto& v : out) ids.emplace_back(v.s);
  return ids;
}

// The ids under a word of each of two groups, in id order, at most `want` of them, and (when
// every posting had to be read) the first `only_one_cap` ids under one group only, in id order,
// in `only_one`.
// Blocks are disjoint ranges of ids in order, so once a word's blocks are read up to an id,
// every id of it up to there is known: the words are read a growing number of blocks at a
// time until `want` ids under both are known below the least of those ids.
Status Intersect(sqlite::Db* db, const PostingsSource& src, int kind,
                 const std::array<std::vector<std::string>, 2>& words, size_t want,
                 std::vector<std::string>* both, std::vector<std::string>* only_one,
                 size_t only_one_cap) {
  std::array<std::vector<Postings>, 2> read;
  for (size_t g = 0; g < 2; ++g)
    for (const auto& w : words[g]) read[g].emplace_back(w);
  // Each group's ids up to the last round's bound and those under both, in id order: views of
  // the postings read (each word's are in id order, so a group's are merged, not sorted).
  // Every id up to a round's bound is known, so a round merges only the ids between the last
  // bound and its own, each above all those merged before: merging every word's ids again
  // each round was most of a search of two common words' CPU.
  std::array<std::vector<IdView>, 2> fresh;
  std::vector<IdView> in_both, merged;
  const auto strings = [](const std::vector<IdView>& views, size_t n,
                          std::vector<std::string>* to) {
    to->reserve(to->size() + std::min(n, views.size()));
    for (size_t i = 0; i < views.size() && i < n; ++i) to->emplace_back(views[i].s);
  };
  // The ids of a group's ranges (a word's ids in order, sorted by their number) merged into
  // `into`, or, when only one range holds any (a group of one word, or one common word and a
  // few rare ones past the bound), that range itself, not copied.
  const auto group_ids = [&merged](std::vector<std::pair<size_t, const IdView*>>& ranges,
                                   std::vector<IdView>* into) -> std::span<const IdView> {
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t nonempty = 0;
    for (const auto& [n, from] : ranges) nonempty += n > 0;
    if (nonempty <= 1)
      return ranges.empty() ? std::span<const IdView>()
                            : std::span(ranges.back().second, ranges.back().first);
    // The fewest first: each merge copies what is merged so far, and a word of a few letters
    // begins one common word and a tail of rare ones (merged largest first, the common word's
    // were copied for each).
    into->clear();
    for (const auto& [n, from] : ranges) {
      if (n == 0) continue;
      if (into->empty()) {
        into->assign(from, from + n);
        continue;
      }
      merged.clear();
      UnionInto(into->data(), into->data() + into->size(), from, from + n, &merged);
      into->swap(merged);
    }
    return *into;
  };
  std::vector<std::pair<size_t, const IdView*>> ranges;
  std::vector<std::pair<size_t, Postings*>> by_size;
  // Whether `bound` holds one (an optional IdView made GCC warn of a read uninitialised).
  bool bounded = false;
  IdView bound{std::string_view()};
  for (;;) {
    // Only the words read no further than the bound are read on: the bound is the least of
    // the words' last ids, and a word whose ids are spread thin is past it after a few blocks.
    bool all_done = true;
    for (auto& group : read) {
      for (auto& p : group) {
        if (!p.done && (!bounded || p.n == 0 || !(bound < p.back())))
          CX_RETURN_IF_ERROR(p.More(db, kind, src));
        all_done = all_done && p.done;
      }
    }
    // Every id up to `bound` is known (all of them once every word is read).
    bounded = false;
    for (const auto& group : read)
      for (const auto& p : group)
        if (!p.done) {
          const IdView last = p.n == 0 ? IdView(std::string_view()) : p.back();
          if (!bounded || last < bound) bound = last, bounded = true;
        }
    // Each word's ids past the last bound, up to this one (every id up to the last bound is
    // merged already), a group's merged.
    std::array<std::span<const IdView>, 2> round;
    for (size_t g = 0; g < 2; ++g) {
      ranges.clear();
      for (auto& p : read[g]) {
        const IdView* from = p.ids + p.merged;
        const IdView* to = bounded ? std::upper_bound(from, p.ids + p.n, bound) : p.ids + p.n;
        ranges.emplace_back(size_t(to - from), from);
        p.merged += size_t(to - from);
      }
      round[g] = group_ids(ranges, &fresh[g]);
    }
    IntersectionInto(round[0].data(), round[0].data() + round[0].size(), round[1].data(),
                     round[1].data() + round[1].size(), &in_both);
    if (in_both.size() >= want) {
      both->clear();
      strings(in_both, want, both);
      return Status::Ok();
    }
    if (all_done) break;
  }
  both->clear();
  strings(in_both, in_both.size(), both);
  // Every posting is read: the ids under one group only are those of either not under both.
  std::array<std::span<const IdView>, 2> all;
  for (size_t g = 0; g < 2; ++g) {
    ranges.clear();
    for (const auto& p : read[g]) ranges.emplace_back(p.n, p.ids);
    all[g] = group_ids(ranges, &fresh[g]);
  }
  // Only the first `only_one_cap` are wanted: two common words name thousands of records, and
  // copying each into a string was about 3 % of a search of typed names.
  const auto& a = all[0];
  const auto& b = all[1];
  only_one->reserve(only_one->size() + std::min(only_one_cap, a.size() + b.size()));
  size_t i = 0, j = 0, taken = 0;
  while (taken < only_one_cap && (i < a.size() || j < b.size())) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      only_one->emplace_back(a[i++].s);
      ++taken;
    } else if (i == a.size() || b[j] < a[i]) {
      only_one->emplace_back(b[j++].s);
      ++taken;
    } else {
      ++i, ++j;
    }
  }
  return Status::Ok();
}

}  // namespace

namespace {

// The ids under a word of both groups, in id order, at most `want`. When the groups' postings
// were read side by side to their end (both common, and fewer than `want` under both), every id
// under either group is known: the first `only_one_cap` of those under one group only are put in
// `only_one`, in id order,
// and `*complete` is set.
Result<std::vector<std::string>> UnderBoth(sqlite::Db* db, const PostingsSource& src, int kind,
                                           const std::array<std::vector<std::string>, 2>& words,
                                           size_t want, std::vector<std::string>* only_one,
                                           size_t only_one_cap, bool* complete) {
  *complete = false;
  // Search-first takes its groups from a name's two rarest words, and the rarer often names a
  // handful of records where the other names thousands (a common word of company names): the
  // records under both are found by looking each of the few up in the other's blocks, and the
  // others are read only as far as the first `limit` ids. Reading both whole made a lookup's
  // cost grow with the hub (docs/search.md, "Search-first").
  // How many records each group names, counted up to kCountBlocks blocks a word (past that a
  // group is too common to be looked up id by id anyway).
  constexpr int64_t kCountBlocks = 256;
  std::array<int64_t, 2> records = {0, 0};
  for (size_t g = 0; g < 2; ++g) {
    for (const auto& w : words[g]) {
      CX_ASSIGN_OR_RETURN(int64_t n, WordRecords(db, src, kind, w, kCountBlocks));
      records[g] += n;
    }
  }
  const size_t rare = records[0] <= records[1] ? 0 : 1, other = 1 - rare;
  // A look-up costs about as much as reading a few dozen ids in a row (the other group's count
  // may be a lower bound: then its postings are read, as they would have been).
  constexpr int64_t kLookupCost = 32;
  std::vector<std::string> both;
  if (records[rare] * int64_t(words[other].size()) * kLookupCost > records[other]) {
    // Both common: read side by side, only as far as `want` ids under both.
    CX_RETURN_IF_ERROR(Intersect(db, src, kind, words, want, &both, only_one, only_one_cap));
    *complete = both.size() < want;
    return both;
  }
  CX_ASSIGN_OR_RETURN(both, UnionOf(db, src, kind, words[rare], std::nullopt));
  size_t kept = 0;
  for (size_t i = 0; i < both.size() && kept < want; ++i) {
    bool in = false;
    for (size_t w = 0; !in && w < words[other].size(); ++w) {
      CX_ASSIGN_OR_RETURN(in, HasId(db, kind, words[other][w], both[i]));
    }
    if (!in) continue;
    if (kept != i) both[kept] = std::move(both[i]);  // never onto itself: that empties it
    ++kept;
  }
  both.resize(kept);
  return both;
}

}  // namespace

Result<std::vector<std::string>> SqliteTx::IdsByWordGroups(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  std::vector<std::string> out;
  if (limit <= 0 || groups.empty() || min_groups > int(groups.size())) return out;
  if (groups.size() > 2) return IdsByWordGroupsRead(k, groups, min_groups, limit);
  const int kind = NameKindCode(k);
  const size_t want = size_t(limit);
  // The order asked for is: most groups first, then by id. With one group every id has as
  // many; with two, those under both come first (in id order), then the rest in id order.
  if (groups.size() == 1)
    return UnionOf(db_, {key_cache_, key_gen_}, kind, Unique(groups[0]), want);
  std::array<std::vector<std::string>, 2> words = {Unique(groups[0]), Unique(groups[1])};
  std::vector<std::string> only_one;
  bool complete = false;
  CX_ASSIGN_OR_RETURN(
      std::vector<std::string> both,
      UnderBoth(db_, {key_cache_, key_gen_}, kind, words, want, &only_one, want, &complete));
  if (both.size() >= want || min_groups >= 2) return both;
  out = std::move(both);
  if (complete) {
    for (size_t i = 0; i < only_one.size() && out.size() < want; ++i)
      out.push_back(std::move(only_one[i]));
    return out;
  }
  // Then the ids under one group only, in id order: the first of them are among the first
  // (needed + under both) ids of each word.
  const size_t needed = want - out.size();
  std::vector<std::string> all = words[0];
  all.insert(all.end(), words[1].begin(), words[1].end());
  CX_ASSIGN_OR_RETURN(auto either,
                      UnionOf(db_, {key_cache_, key_gen_}, kind, Unique(all), needed + out.size()));
  const std::set<std::string> seen(out.begin(), out.end());
  for (auto& id : either) {
    if (out.size() >= want) break;
    if (!seen.count(id)) out.push_back(std::move(id));
  }
  return out;
}

Result<std::vector<std::string>> SqliteTx::IdsByTwoGroups(
    NameKind k, const std::array<std::vector<std::string>, 2>& groups, int limit, int few,
    int either) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  std::array<std::vector<std::string>, 2> words = {Unique(groups[0]), Unique(groups[1])};
  std::vector<std::string> only_one;
  bool complete = false;
  std::vector<std::string> ids;
  if (limit > 0) {
    CX_ASSIGN_OR_RETURN(
        ids, UnderBoth(db_, {key_cache_, key_gen_}, NameKindCode(k), words, size_t(limit),
                       &only_one, size_t(std::max(either, 0)), &complete));
  }
  if (int(ids.size()) >= few) return ids;
  const size_t more =
      size_t(std::max(either, 0)) - std::min(ids.size(), size_t(std::max(either, 0)));
  if (complete) {
    // Every id under either group is known (reading the postings side by side went to their
    // end): the first of those under one group only. Asking the index for the words of both
    // groups as one read them a second time.
    if (only_one.size() > more) only_one.resize(more);
  } else if (more > 0) {
    // Else the first of them are among the first `either` of the words of both groups read as
    // one group (those under both are known), each word read only that far.
    std::vector<std::string> all = words[0];
    all.insert(all.end(), words[1].begin(), words[1].end());
    CX_ASSIGN_OR_RETURN(auto any, UnionOf(db_, {key_cache_, key_gen_}, NameKindCode(k), Unique(all),
                                          size_t(std::max(either, 0))));
    for (auto& id : any) {
      if (only_one.size() == more) break;
      if (!std::binary_search(ids.begin(), ids.end(), id)) only_one.push_back(std::move(id));
    }
  }
  const auto known = std::ptrdiff_t(ids.size());
  ids.insert(ids.end(), std::make_move_iterator(only_one.begin()),
             std::make_move_iterator(only_one.end()));
  std::inplace_merge(ids.begin(), ids.begin() + known, ids.end());
  return ids;
}

Result<std::vector<std::string>> SqliteTx::IdsByWordGroupsRead(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  // Per id: how many groups name it, and the last group that did.
  std::unordered_map<std::string, std::pair<int, size_t>> hits;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& word : Unique(groups[g])) {
      CX_RETURN_IF_ERROR(ForEachId(db_, NameKindCode(k), word, [&](std::string_view id) {
        auto& h = hits[std::string(id)];
        if (h.second != g + 1) {
          ++h.first;
          h.second = g + 1;
        }
        return true;
      }));
    }
  }
  std::vector<std::pair<int, std::string>> found;  // (groups, id)
  for (auto& [id, h] : hits)
    if (h.first >= min_groups) found.emplace_back(h.first, id);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && i < size_t(std::max(limit, 0)); ++i)
    out.push_back(std::move(found[i].second));
  return out;
}

}  // namespace cx
