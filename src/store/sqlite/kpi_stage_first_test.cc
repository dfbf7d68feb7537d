// The first stage entries kept by triggers (0009_kpi_stage_first.sql) match their definition,
// the earliest Stage History row per opportunity and stage (without case), after every kind of
// write, and the funnel KPIs read them right.
#include <sqlite3.h>

#include <random>

#include "kpi_test_util.h"
#include "service/kpi_service.h"

namespace cx {
namespace {

using kpitest::Hub;

// Rows of `sql` as "a|b|c" lines.
std::vector<std::string> Rows(sqlite3* db, const char* sql) {
  std::vector<std::string> out;
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string line;
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      const unsigned char* t = sqlite3_column_text(s, c);
      line += (c ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    out.push_back(line);
  }
  sqlite3_finalize(s);
  return out;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << sql << ": " << (err ? err : "");
  sqlite3_free(err);
}

// The table against its definition, recomputed from Stage History.
void ExpectMatchesDefinition(sqlite3* db, const std::string& label) {
  auto kept = Rows(db,
                   "SELECT opportunity_id, stage, entered, division FROM kpi_stage_first "
                   "WHERE division IS NOT NULL ORDER BY 1, 2");
  auto defined = Rows(db,
                      "SELECT h.opportunity_id, lower(h.stage), MIN(h.entered), o.division "
                      "FROM stage_history h JOIN opportunities o ON o.id = h.opportunity_id "
                      "GROUP BY h.opportunity_id, lower(h.stage) ORDER BY 1, 2");
  EXPECT_EQ(kept, defined) << label;
  EXPECT_FALSE(defined.empty()) << label;
}

TEST(KpiStageFirst, FollowsInsertsUpdatesDeletesAndDivisionChanges) {
  Hub h;
  const char* divisions[] = {"Motors", "Power & Industrial", "Medical"};
  const char* stages[] = {"Qualified", "QUALIFIED", "quote", "Quote", "Won", "Proposal"};
  std::mt19937 rng(7);
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    for (int o = 0; o < 40; ++o) {
      h.Opp(tx, "O-" + std::to_string(o), divisions[o % 3], h.L(2026, 1, 1));
    }
    // Entries out of time order, in mixed case.
    for (int i = 0; i < 400; ++i) {
      h.Stage(tx, "O-" + std::to_string(rng() % 40), stages[rng() % 6],
              h.L(2026, 1 + int(rng() % 6), 1 + int(rng() % 28), int(rng() % 24)));
    }
    return Status::Ok();
  });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((h.dir() + "/hub.db").c_str(), &db), SQLITE_OK);
  ExpectMatchesDefinition(db, "after inserts");

  // Deleting the earliest rows moves each first entry to the next one (or removes it).
  Exec(db,
       "DELETE FROM stage_history WHERE seq IN (SELECT seq FROM stage_history h WHERE entered = "
       "(SELECT MIN(entered) FROM stage_history x WHERE x.opportunity_id = h.opportunity_id "
       "AND x.stage = h.stage COLLATE NOCASE) LIMIT 25)");
  ExpectMatchesDefinition(db, "after deletes");
  Exec(db, "DELETE FROM stage_history WHERE opportunity_id = 'O-3' AND stage = 'quote'");
  ExpectMatchesDefinition(db, "after deleting every plain 'quote' of O-3");
  // Moving entries in time, renaming stages, moving them to another opportunity.
  Exec(db, "UPDATE stage_history SET entered = entered - 86400 * 40 WHERE seq % 7 = 0");
  Exec(db, "UPDATE stage_history SET stage = 'Signed' WHERE seq % 11 = 0");
  Exec(db, "UPDATE stage_history SET opportunity_id = 'O-1' WHERE seq % 13 = 0");
  ExpectMatchesDefinition(db, "after updates");
  // An opportunity changing division takes its first entries along.
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity("O-4"));
    EXPECT_TRUE(o.has_value());
    if (!o) return Status::Ok();
    o->division = "GRAS";
    return tx.UpdateOpportunity(*o);
  });
  ExpectMatchesDefinition(db, "after a division change");
  EXPECT_FALSE(Rows(db,
                    "SELECT 1 FROM kpi_stage_first WHERE opportunity_id = 'O-4' AND "
                    "division = 'GRAS'")
                   .empty());
  sqlite3_close(db);
}

TEST(KpiStageFirst, InquiryToQuoteCountsOnlyFirstEntriesOfTheDivisionInThePeriod) {
  Hub h;
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    h.Opp(tx, "O-1", "Motors", h.L(2026, 1, 1));
    h.Opp(tx, "O-2", "Motors", h.L(2026, 1, 1));
    h.Opp(tx, "O-3", "Motors", h.L(2026, 1, 1));
    h.Opp(tx, "O-4", "Medical", h.L(2026, 1, 1));
    h.Stage(tx, "O-1", "Qualified", h.L(2026, 4, 2));
    h.Stage(tx, "O-1", "Quote", h.L(2026, 5, 2));
    // O-2 re-enters Qualified in the period, but entered it first in March: not counted.
    h.Stage(tx, "O-2", "qualified", h.L(2026, 4, 10));
    h.Stage(tx, "O-2", "QUALIFIED", h.L(2026, 3, 10));
    // O-3 enters Quote only after the period.
    h.Stage(tx, "O-3", "Qualified", h.L(2026, 6, 30, 23, 59));
    h.Stage(tx, "O-3", "Quote", h.L(2026, 7, 1));
    h.Stage(tx, "O-4", "Qualified", h.L(2026, 4, 2));  // another division
    return Status::Ok();
  });
  KpiQuery q;
  q.period = Period{{2026, 4, 1}, {2026, 6, 30}};
  q.division = "Motors";
  auto card = ComputeKpis(h.ctx, q);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  const KpiValue* v = nullptr;
  for (const auto& k : card->kpis) {
    if (k.key == "inquiry_to_quote") v = &k;
  }
  ASSERT_NE(v, nullptr);
  ASSERT_TRUE(v->value.has_value());
  EXPECT_DOUBLE_EQ(*v->value, 0.5);  // O-1 of O-1, O-3
  EXPECT_EQ(v->denominator_ids, (std::vector<std::string>{"O-1", "O-3"}));
  EXPECT_EQ(v->numerator_ids, (std::vector<std::string>{"O-1"}));
}

}  // namespace
}  // namespace cx
