// Feedback benchmark: a hub of 2,000,000 feedback rows (every kind, spread over 2024-2026, most
// at one of 500 touchpoints) and 200,000 opportunities (three in four naming a source
// touchpoint), then the quarter's touchpoint ranking (`touchpoints`) and emotion curve
// (`feedback curve`), timed. Usage:
//   feedback_bench --db /tmp/feedback_bench.db [--scale 1.0] [--generate] [--runs 3]
// (--scale 0.01: 20,000 rows, for a check that it works). Prints one line per measure with the
// best and the worst of the runs in milliseconds.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>

#include "service/feedback_report.h"
#include "store/open/open_store.h"
#include "store/store.h"

namespace {

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
    std::exit(1);
  }
}

std::string Id(const char* p, int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%07lld", p, static_cast<long long>(n));
  return buf;
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  Check(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), db, sql);
  return s;
}

void Step(sqlite3* db, sqlite3_stmt* s) {
  Check(sqlite3_step(s), db, "insert");
  sqlite3_reset(s);
}

void Text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
}

void Generate(const std::string& path, double scale) {
  const auto t0 = std::chrono::steady_clock::now();
  {
    auto store = cx::OpenStore("sqlite:" + path);
    if (!store.ok() || !(*store)->Migrate().ok()) {
      std::fprintf(stderr, "cannot create %s\n", path.c_str());
      std::exit(1);
    }
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-500000; BEGIN");
  const int64_t n_feedback = std::max<int64_t>(1000, int64_t(2000000 * scale));
  const int64_t n_opps = std::max<int64_t>(100, int64_t(200000 * scale));
  const int n_touchpoints = 500;
  const char* kDivisions[] = {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65"};
  const char* kStages[5][4] = {{"Inquiry", "Qualified", "Test Drive", "Quote"},
                               {"Lead", "Discovery", "Proposal", "Negotiation"},
                               {"Target", "Contacted", "Onboarding", "Signed"},
                               {"Enquiry", "Booked", "Visited", "Visited"},
                               {"Enquiry", "Booked", "Visited", "Visited"}};
  const char* kKinds[] = {"nps", "csat", "review", "emotion"};
  std::mt19937_64 rng(7);
  auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
  const int64_t begin = 1704060000;        // 2024-01-01 (Lagos)
  const int64_t span = 3 * 365 * 86400LL;  // to the end of 2026
  sqlite3_stmt* acc = Prepare(db,
                              "INSERT INTO accounts (id, name, name_key, created_at, updated_at) "
                              "VALUES ('A-1', 'Bench', 'bench', 0, 0)");
  Step(db, acc);
  sqlite3_finalize(acc);
  sqlite3_stmt* tp = Prepare(db,
                             "INSERT INTO touchpoints (id, name, division, stage, channel, owner, "
                             "yearly_budget, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
                             "'other', '', ?5, 0, 0)");
  for (int i = 1; i <= n_touchpoints; ++i) {
    const int d = i % 5;
    Text(tp, 1, Id("T", i));
    Text(tp, 2, "Touchpoint " + std::to_string(i));
    Text(tp, 3, kDivisions[d]);
    Text(tp, 4, kStages[d][i % 4]);
    sqlite3_bind_double(tp, 5, i % 10 == 0 ? 0.0 : double(1000000 + pick(50000000)));
    Step(db, tp);
  }
  sqlite3_finalize(tp);
  sqlite3_stmt* fb = Prepare(db,
                             "INSERT INTO feedback (id, date, division, kind, score, stage, "
                             "platform, touchpoint, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                             "?8, 'survey')");
  for (int64_t i = 1; i <= n_feedback; ++i) {
    const int t = int(1 + pick(n_touchpoints));
    const int d = t % 5;
    const char* kind = kKinds[pick(4)];
    double score = std::strcmp(kind, "nps") == 0       ? double(pick(11))
                   : std::strcmp(kind, "emotion") == 0 ? double(pick(5) - 2)
                                                       : double(1 + pick(5));
    Text(fb, 1, Id("F", i));
    sqlite3_bind_int64(fb, 2, begin + pick(span));
    Text(fb, 3, kDivisions[d]);
    Text(fb, 4, kind);
    sqlite3_bind_double(fb, 5, score);
    Text(fb, 6, kStages[d][t % 4]);
    Text(fb, 7, std::strcmp(kind, "review") == 0 ? "Google" : "");
    Text(fb, 8, pick(10) == 0 ? std::string() : Id("T", t));
    Step(db, fb);
  }
  sqlite3_finalize(fb);
  sqlite3_stmt* opp = Prepare(db,
                              "INSERT INTO opportunities (id, account_id, division, amount, "
                              "created, closed, outcome) VALUES (?1, 'A-1', ?2, ?3, ?4, ?5, ?6)");
  sqlite3_stmt* src = Prepare(
      db, "INSERT INTO opportunity_sources (opportunity_id, touchpoint_id) VALUES (?1, ?2)");
  for (int64_t i = 1; i <= n_opps; ++i) {
    const int t = int(1 + pick(n_touchpoints));
    const int64_t created = begin + pick(span);
    const bool won = pick(3) == 0;
    Text(opp, 1, Id("O", i));
    Text(opp, 2, kDivisions[t % 5]);
    sqlite3_bind_double(opp, 3, double(1000000 + pick(90000000)));
    sqlite3_bind_int64(opp, 4, created);
    if (won) {
      sqlite3_bind_int64(opp, 5, created + pick(90 * 86400));
    } else {
      sqlite3_bind_null(opp, 5);
    }
    Text(opp, 6, won ? "won" : "open");
    Step(db, opp);
    if (pick(4) != 0) {
      Text(src, 1, Id("O", i));
      Text(src, 2, Id("T", t));
      Step(db, src);
    }
  }
  sqlite3_finalize(opp);
  sqlite3_finalize(src);
  Exec(db, "COMMIT; ANALYZE");
  sqlite3_close(db);
  std::fprintf(stderr,
               "generated %lld feedback rows, %d touchpoints, %lld opportunities in %.1f s\n",
               static_cast<long long>(n_feedback), n_touchpoints, static_cast<long long>(n_opps),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "/tmp/feedback_bench.db";
  double scale = 1.0;
  bool generate = false;
  int runs = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      db = argv[++i];
    } else if (a == "--scale" && i + 1 < argc) {
      scale = std::atof(argv[++i]);
    } else if (a == "--generate") {
      generate = true;
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: feedback_bench [--db PATH] [--scale S] [--generate] [--runs N]\n");
      return 2;
    }
  }
  if (generate) {
    std::remove(db.c_str());
    Generate(db, scale);
  }
  auto store = cx::OpenStore("sqlite:" + db);
  if (!store.ok() || !(*store)->Migrate().ok()) {
    std::fprintf(stderr, "cannot open %s\n", db.c_str());
    return 1;
  }
  cx::Context ctx;
  ctx.store = store->get();
  const cx::Period quarter{cx::Date{2025, 4, 1}, cx::Date{2025, 6, 30}};
  auto time = [&](const char* what, const std::function<bool()>& fn) {
    double best = 1e9, worst = 0, cpu_best = 1e9;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      if (!fn()) {
        std::fprintf(stderr, "%s failed\n", what);
        std::exit(1);
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      best = std::min(best, ms);
      worst = std::max(worst, ms);
      cpu_best = std::min(cpu_best, 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC);
    }
    // The CPU time is what the measure costs on a machine that is not shared.
    std::printf("%-40s best %8.1f ms  worst %8.1f ms  (cpu best %6.1f ms)\n", what, best, worst,
                cpu_best);
  };
  size_t ranked = 0;
  time("touchpoints (quarter, all divisions)", [&] {
    auto r = cx::ComputeTouchpointRanking(ctx, quarter, "");
    if (r.ok()) ranked = r->touchpoints.size();
    return r.ok();
  });
  time("touchpoints (quarter, Motors)",
       [&] { return cx::ComputeTouchpointRanking(ctx, quarter, "Motors").ok(); });
  int64_t answered = 0;
  time("feedback curve (quarter, Motors)", [&] {
    auto c = cx::ComputeEmotionCurve(ctx, "Motors", quarter);
    if (c.ok()) {
      answered = 0;
      for (const auto& s : c->stages) answered += s.n;
    }
    return c.ok();
  });
  time("feedback scores by stage (quarter)",
       [&] { return cx::ComputeFeedbackScores(ctx, quarter, cx::FeedbackGroup::kStage, "").ok(); });
  std::printf("(%zu touchpoints ranked; %lld emotion scores on the Motors curve)\n", ranked,
              static_cast<long long>(answered));
  return 0;
}
