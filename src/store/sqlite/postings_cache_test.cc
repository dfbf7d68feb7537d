// The name index's postings kept in the hub's cache (postings_cache.h, match_key_cache.h): a
// read transaction that meets words read before takes their blocks from the cache, not from
// the index, and still answers what the index holds in its snapshot, after renames by this
// store, another store of the process and another process. docs/search.md, "Speed".
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "statement_counts.h"
#include "store/sqlite/match_key_cache.h"
#include "store/sqlite/postings_cache.h"
#include "store/sqlite/sqlite_postings.h"
#include "store/sqlite/sqlite_store.h"
#include "two_stores_fixture.h"

namespace cx {
namespace {

constexpr const char* kBlocksRead = "SELECT first, ids FROM name_postings";

class PostingsCacheTest : public testing::TwoStoresTest {
 protected:
  // Before the stores open: it sees the statements of connections opened after it.
  void BeforeOpen() override { counts_ = std::make_unique<testing::StatementCounts>(); }
  void TearDown() override {
    testing::TwoStoresTest::TearDown();
    counts_.reset();
  }
  static std::string Id(int i) { return "A-" + std::to_string(10000 + i); }
  // Common words over many blocks each: "alpha" every account, "sahel" every other, "delta"
  // every third, "crown" every seventh.
  void Accounts(int n) {
    Write(a_.get(), [&](Tx& tx) {
      for (int i = 0; i < n; ++i) {
        Account a;
        a.id = Id(i);
        a.name = std::string("Alpha ") + (i % 2 ? "Sahel " : "") + (i % 3 ? "" : "Delta ") +
                 (i % 7 ? "" : "Crown ") + std::to_string(i);
        ASSERT_TRUE(tx.InsertAccount(a).ok());
      }
    });
  }
  // A search's candidates of two words, in a read transaction (the cache's) of `s`, or (fresh)
  // in a write transaction, which reads the index.
  std::vector<std::string> Both(Store* s, const std::array<std::vector<std::string>, 2>& groups,
                                bool fresh = false) {
    std::vector<std::string> out;
    auto fn = [&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(out, tx.IdsByTwoGroups(NameKind::kAccount, groups, 400, 100, 200));
      return Status::Ok();
    };
    Status st = fresh ? s->Transaction(fn) : s->Read(fn);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  void Rename(Store* s, int i, const std::string& name) {
    Write(s, [&](Tx& tx) {
      auto a = tx.GetAccount(Id(i));
      ASSERT_TRUE(a.ok() && a->has_value());
      (*a)->name = name;
      ASSERT_TRUE(tx.UpdateAccount(**a).ok());
    });
  }
  // Renames account i by this store (way 0), the other store of the process (1) or another
  // process (2: a child, with a store and a cache of its own).
  void RenameBy(int way, int i, const std::string& name) {
    if (way == 0) return Rename(a_.get(), i, name);
    if (way == 1) return Rename(b_.get(), i, name);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto elsewhere = OpenSqliteStore(path_);
      if (!elsewhere.ok()) _exit(2);
      Status st = (*elsewhere)->Transaction([&](Tx& tx) -> Status {
        CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Id(i)));
        if (!a) return NotFound(Id(i));
        a->name = name;
        return tx.UpdateAccount(*a);
      });
      _exit(st.ok() ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }

  // A query word's index words with their counts, "word count" in the answer's order, in a
  // read transaction (the cache's) of `s` or (fresh) a write transaction's.
  std::string Expansion(Store* s, const std::string& q, bool fresh = false) {
    std::string out;
    auto fn = [&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto words, tx.WordsByVariants(NameKind::kAccount, DeletionVariants(q)));
      for (const auto& w : words) out += w.word + " " + std::to_string(w.records) + ", ";
      return Status::Ok();
    };
    Status st = fresh ? s->Transaction(fn) : s->Read(fn);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  std::unique_ptr<testing::StatementCounts> counts_;
};

// IdView orders and equates ids as their text does, whatever their lengths and bytes: ids of
// eight bytes or fewer that share their first bytes are told apart by their lengths alone.
TEST(IdViewTest, OrdersAndEquatesIdsAsTheirText) {
  const std::vector<std::string> ids = {"",
                                        "A",
                                        "A-0",
                                        "A-00001",
                                        "A-000001",
                                        "A-000002",
                                        "A-0000010",
                                        "A-0000011",
                                        "A-00000100",
                                        "A-000001000",
                                        "B",
                                        "C-000001",
                                        "C-00000",
                                        "C-0000001",
                                        "ERP-CUST-1",
                                        "ERP-CUST-12",
                                        "ERP-CUST-2",
                                        "ERP-CUSTOMER-1",
                                        std::string("A\0", 2),
                                        std::string("A-000001\0", 9),
                                        std::string("A-000001\0\0", 10),
                                        "\xC3\xA9-1",
                                        "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
                                        "z"};
  for (const auto& a : ids) {
    for (const auto& b : ids) {
      const sqlite::IdView va{std::string_view(a)}, vb{std::string_view(b)};
      EXPECT_EQ(va < vb, std::string_view(a) < std::string_view(b)) << a << " < " << b;
      EXPECT_EQ(va == vb, a == b) << a << " == " << b;
    }
  }
}

TEST_F(PostingsCacheTest, ASecondSearchOfTheSameWordsReadsNoBlocks) {
  Accounts(3000);
  const std::array<std::vector<std::string>, 2> groups = {{{"alpha"}, {"crown", "delta"}}};
  const auto first = Both(a_.get(), groups);
  ASSERT_EQ(first.size(), 400u);
  const int64_t reads = counts_->Runs(kBlocksRead);
  EXPECT_GT(reads, 0);
  // Another store of the process shares the cache.
  EXPECT_EQ(Both(b_.get(), groups), first);
  EXPECT_EQ(Both(a_.get(), groups), first);
  EXPECT_EQ(counts_->Runs(kBlocksRead), reads);
  EXPECT_GT(cache_->postings_bytes(), 0u);
  EXPECT_EQ(Both(a_.get(), groups, /*fresh=*/true), first);
}

// A query word's expansion (its index words and their counts) is kept whole, one fact, and a
// rename by this store, another store of the process or another process is seen by the next
// expansion: each answers what the index holds.
TEST_F(PostingsCacheTest, AWordsExpansionIsKeptWholeAndFollowsRenames) {
  Accounts(3000);
  const std::string q = "alpah";  // a typo of "alpha"
  const std::string first = Expansion(a_.get(), q);
  EXPECT_EQ(first, "alpha 3000, ");
  EXPECT_EQ(Expansion(b_.get(), q), first);
  std::string kept;
  EXPECT_TRUE(cache_->GetIndexFact(0, sqlite::ExpansionFactKey(DeletionVariants(q)),
                                   cache_->generation(), &kept));
  for (int n = 0; n < 3; ++n) {
    const int i = 10 * n + 1;
    const std::string name = n == 2 ? "Alpah Sahel" : "Alpah " + std::to_string(n);
    RenameBy(n, i, name);
    if (HasFatalFailure()) return;
    const std::string after = Expansion(a_.get(), q);
    EXPECT_EQ(after, Expansion(a_.get(), q, /*fresh=*/true)) << "after renaming " << Id(i);
    EXPECT_EQ(after, Expansion(b_.get(), q)) << "after renaming " << Id(i);
    EXPECT_NE(after.find("alpah " + std::to_string(n + 1) + ", "), std::string::npos) << after;
    EXPECT_NE(after.find("alpha " + std::to_string(2999 - n) + ", "), std::string::npos) << after;
  }
}

// A search that needs more of a word than an earlier one read (fewer under both) reads on from
// the blocks kept, and answers as the index does.
TEST_F(PostingsCacheTest, ASearchReadingFurtherAnswersAsTheIndex) {
  Accounts(3000);
  const std::vector<std::array<std::vector<std::string>, 2>> cases = {
      {{{"alpha"}, {"sahel"}}},  {{{"alpha"}, {"crown"}}},          {{{"sahel"}, {"crown"}}},
      {{{"delta"}, {"crown"}}},  {{{"crown"}, {"sahel", "delta"}}}, {{{"2999"}, {"alpha"}}},
      {{{"nowhere"}, {"alpha"}}}};
  for (int round = 0; round < 2; ++round)
    for (const auto& groups : cases)
      EXPECT_EQ(Both(a_.get(), groups), Both(a_.get(), groups, /*fresh=*/true))
          << groups[0][0] << " " << groups[1][0] << ", round " << round;
}

// Renames by this store, another store of the process and another process (a child, with a
// store and a cache of its own) between searches of the same words: each search answers what
// the index holds.
TEST_F(PostingsCacheTest, RenamesAreSeenByTheNextSearch) {
  Accounts(3000);
  const std::array<std::vector<std::string>, 2> groups = {{{"sahel"}, {"crown"}}};
  std::mt19937 rng(7);
  for (int n = 0; n < 12; ++n) {
    const auto before = Both(a_.get(), groups);
    EXPECT_EQ(before, Both(a_.get(), groups, /*fresh=*/true));
    const int i = int(rng() % 3000);
    const std::string name = n % 2 ? "Sahel Crown Renamed " + std::to_string(n) : "Gone " + Id(i);
    RenameBy(n % 3, i, name);
    if (HasFatalFailure()) return;
    const auto after = Both(a_.get(), groups);
    EXPECT_EQ(after, Both(a_.get(), groups, /*fresh=*/true)) << "after renaming " << Id(i);
    EXPECT_EQ(after, Both(b_.get(), groups)) << "after renaming " << Id(i);
  }
}

}  // namespace
}  // namespace cx
