// SQLite Tx: the words of the name index a query word may mean (its deletion variants, its
// prefix), each with its count of records; the records under them are read in
// sqlite_tx_name_search.cc.
#include <charconv>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_postings.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

namespace {

// Words joined by kIdSep (no word holds a control character), and back.
std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(kIdSep);
    out += w;
  }
  return out;
}
void SplitWords(std::string_view text, std::vector<std::string>* words) {
  while (!text.empty()) {
    const size_t end = std::min(text.find(kIdSep), text.size());
    words->emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

// Words with their counts, "count word" joined by kIdSep, and back.
std::string JoinCounted(const std::vector<IndexedWord>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(kIdSep);
    out += std::to_string(w.records);
    out.push_back(' ');
    out += w.word;
  }
  return out;
}
void SplitCounted(std::string_view text, std::vector<IndexedWord>* words) {
  while (!text.empty()) {
    const size_t end = std::min(text.find(kIdSep), text.size());
    const std::string_view part = text.substr(0, end);
    int64_t n = 0;
    const auto [num_end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    (void)ec;
    const size_t word_at = std::min(size_t(num_end - part.data()) + 1, part.size());
    words->push_back({std::string(part.substr(word_at)), n});
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

}  // namespace

std::string sqlite::ExpansionFactKey(const std::vector<std::string>& variants) {
  return "w" + JoinWords(variants);
}

Result<std::vector<IndexedWord>> SqliteTx::WordsByVariants(
    NameKind k, const std::vector<std::string>& variants) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  const int kind = NameKindCode(k);
  // The words first, each once in the order met, then each one's count once: every deletion
  // variant of a word names it again, and a common word's count is the sum of many blocks.
  std::vector<std::string> words;
  std::set<std::string> met;
  // Per variant, one statement: the variant when it is itself a word of the index (the
  // variants table does not repeat each word as its own variant), then the words it is a
  // deletion variant of (a word of eight letters or more has dozens of variants: two
  // statements each were a tenth of a search of typed names).
  // A read transaction keeps each variant's words in the hub's cache (a typed word's variants
  // are met again by every search of a word like it).
  // The whole answer is kept too, one fact per list of variants (a query word's): a warm search
  // then looks its word up once, not once per variant and once per word met (about 5 % of a
  // typed search's CPU: docs/search.md, "Speed"). The facts it is made of are kept beside it: a
  // word like it shares most of its variants.
  const PostingsSource src{key_cache_, key_gen_};
  std::string whole_key, kept;
  if (src.cache) {
    whole_key = ExpansionFactKey(variants);
    if (src.cache->GetIndexFact(kind, whole_key, src.gen, &kept)) {
      std::vector<IndexedWord> out;
      SplitCounted(kept, &out);
      return out;
    }
  }
  std::vector<std::string> found;
  std::string key;
  for (const auto& var : variants) {
    found.clear();
    if (src.cache) key = "v" + var;
    if (src.cache && src.cache->GetIndexFact(kind, key, src.gen, &kept)) {
      SplitWords(kept, &found);
    } else {
      CX_ASSIGN_OR_RETURN(
          Stmt * s, db_->Prepare("SELECT ?2 WHERE EXISTS (SELECT 1 FROM name_postings WHERE kind = "
                                 "?1 AND word = ?2) UNION ALL SELECT word FROM word_variants WHERE "
                                 "kind = ?1 AND variant = ?2"));
      s->Bind(1, int64_t(kind)).BindStatic(2, var);
      while (s->Step()) found.emplace_back(s->TextView(0));
      Status st = s->status();
      s->Reset();
      CX_RETURN_IF_ERROR(st);
      if (src.cache) src.cache->PutIndexFact(kind, key, JoinWords(found), src.gen);
    }
    for (auto& word : found)
      if (met.insert(word).second) words.push_back(std::move(word));
  }
  std::vector<IndexedWord> out;
  for (auto& word : words) {
    CX_ASSIGN_OR_RETURN(int64_t n, WordRecords(db_, src, kind, word, -1));
    if (n > 0) out.push_back({std::move(word), n});  // a word that still names a record
  }
  if (src.cache) src.cache->PutIndexFact(kind, whole_key, JoinCounted(out), src.gen);
  return out;
}

Result<std::vector<IndexedWord>> SqliteTx::WordsByPrefix(NameKind k, const std::string& prefix,
                                                         int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  const int kind = NameKindCode(k);
  std::vector<IndexedWord> out;
  // A read transaction keeps the answer in the hub's cache: the words and their counts,
  // "word count" joined by kIdSep.
  std::string key, kept;
  if (key_cache_) {
    key = "p" + std::to_string(limit) + " " + prefix;
    if (key_cache_->GetIndexFact(kind, key, key_gen_, &kept)) {
      std::vector<std::string> parts;
      SplitWords(kept, &parts);
      for (const auto& part : parts) {
        const size_t space = part.rfind(' ');
        out.push_back({part.substr(0, space), std::stoll(part.substr(space + 1))});
      }
      return out;
    }
  }
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT word, sum(records) AS n FROM name_postings WHERE kind = ?1 "
                             "AND word >= ?2 AND word < ?2 || char(1114111) GROUP BY word "
                             "ORDER BY n DESC, word LIMIT ?3"));
  s->Bind(1, int64_t(kind)).Bind(2, prefix).Bind(3, int64_t(limit));
  while (s->Step()) out.push_back({s->Text(0), s->Int(1)});
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  if (key_cache_) {
    std::vector<std::string> parts;
    for (const auto& w : out) parts.push_back(w.word + " " + std::to_string(w.records));
    key_cache_->PutIndexFact(kind, key, JoinWords(parts), key_gen_);
  }
  return out;
}

}  // namespace cx
