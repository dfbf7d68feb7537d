// SLA benchmark: the state of 1,000,000 open clocks (leads, inquiries, quality flags).
// Part 1 times the clock rules alone (due time + state, business calendar included);
// part 2 times ComputeSla end to end on a SQLite hub holding N opportunities and cases.
// Usage: sla_bench [N for part 2, default 1000000; negative: reuse the database] [database path,
// default /tmp/cxhub_sla_bench.db]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/embedded.h"
#include "domain/calendar.h"
#include "domain/sla.h"
#include "service/config_service.h"
#include "service/sla_service.h"
#include "store/open/open_store.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int Die(const cx::Status& st) {
  std::fprintf(stderr, "sla_bench: %s\n", st.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n_db = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/cxhub_sla_bench.db";
  auto cfg = cx::LoadConfig("");
  if (!cfg.ok()) return Die(cfg.status());
  const cx::BusinessCalendar& cal = cfg->calendar;
  const cx::Timestamp at = *cx::ParseTime("2026-11-23 10:30", cx::Zone::Default());
  const cx::SlaRule rules[3] = {{"lead", "Power & Industrial", 4 * 3600, true},
                                {"inquiry", "Motors", 12 * 3600, false},
                                {"quality-flag", "Medical", 48 * 3600, false}};

  // Part 1: 1,000,000 clocks in memory.
  const int kN = 1000000;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> age(0, 7 * 86400);
  std::vector<cx::SlaClock> clocks(kN);
  std::vector<int> kind(kN);
  for (int i = 0; i < kN; ++i) {
    kind[i] =
        i % 5 < 2 ? 0 : (i % 5 < 4 ? 1 : 2);  // 40 % leads, 40 % inquiries, 20 % quality flags
    clocks[i].started = at - age(rng);
    if (i % 2 == 0) clocks[i].stopped = clocks[i].started + age(rng) / 7;
  }
  auto t0 = Clock::now();
  int64_t counts[4] = {0, 0, 0, 0};
  for (int i = 0; i < kN; ++i) {
    cx::SlaClock& c = clocks[i];
    c.due = cx::SlaDue(rules[kind[i]], c.started, cal);
    counts[int(cx::SlaStateAt(rules[kind[i]], c, at, cal))]++;
  }
  auto t1 = Clock::now();
  std::printf(
      "part 1: %d clocks (40%% business-hours leads) computed in %.3f s "
      "(breached %lld, at-risk %lld, running %lld, met %lld)\n",
      kN, Seconds(t0, t1), (long long)counts[0], (long long)counts[1], (long long)counts[2],
      (long long)counts[3]);

  // Part 2: ComputeSla over a SQLite hub (a negative N reuses the database of an earlier run).
  const bool reuse = n_db < 0;
  if (!reuse) std::filesystem::remove(path);
  if (!reuse) {
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  auto store = cx::OpenStore("sqlite:" + path);
  if (!store.ok()) return Die(store.status());
  if (auto st = (*store)->Migrate(); !st.ok()) return Die(st);
  auto g0 = Clock::now();
  cx::Status st = (*store)->Transaction([&](cx::Tx& tx) -> cx::Status {
    if (reuse) return cx::Status::Ok();
    cx::Account a;
    a.id = "A-000001";
    a.name = "Bench Account";
    a.created_at = a.updated_at = at - 30 * 86400;
    CX_RETURN_IF_ERROR(tx.InsertAccount(a));
    cx::Contact c;
    c.id = "C-000001";
    c.full_name = "Bench Person";
    c.account_id = a.id;
    c.created_at = c.updated_at = a.created_at;
    CX_RETURN_IF_ERROR(tx.InsertContact(c));
    char id[32];
    for (int64_t i = 0; i < n_db; ++i) {
      int k = i % 5 < 2 ? 0 : (i % 5 < 4 ? 1 : 2);
      cx::Timestamp started = at - age(rng);
      std::optional<cx::Timestamp> stop;
      if (i % 2 == 0) stop = started + age(rng) / 7;
      if (k == 2) {
        cx::Case kc;
        std::snprintf(id, sizeof id, "K-%07lld", (long long)i);
        kc.id = id;
        kc.account_id = a.id;
        kc.division = "Medical";
        kc.kind = "quality-flag";
        kc.owner = "kemi";
        kc.opened = started;
        kc.resolution_confirmed = stop;
        CX_RETURN_IF_ERROR(tx.InsertCase(kc));
        continue;
      }
      cx::Opportunity o;
      std::snprintf(id, sizeof id, "O-%07lld", (long long)i);
      o.id = id;
      o.account_id = a.id;
      o.division = k == 0 ? "Power & Industrial" : "Motors";
      o.owner = k == 0 ? "ade" : "tunde";
      o.stage = k == 0 ? "Lead" : "Inquiry";
      o.created = started;
      CX_RETURN_IF_ERROR(tx.InsertOpportunity(o));
      if (stop) {
        cx::Interaction in;
        std::snprintf(id, sizeof id, "I-%07lld", (long long)i);
        in.id = id;
        in.at = *stop;
        in.contact_id = c.id;
        in.channel = "phone";
        in.logged_by = o.owner;
        in.division = o.division;
        in.opportunity_id = o.id;
        in.created_at = *stop;
        CX_RETURN_IF_ERROR(tx.InsertInteraction(in));
      }
    }
    return cx::Status::Ok();
  });
  if (!st.ok()) return Die(st);
  auto g1 = Clock::now();
  std::printf(
      "part 2: generated %lld opportunities and cases (+ interactions for half) in %.1f s\n",
      (long long)n_db, Seconds(g0, g1));
  cx::Context ctx;
  ctx.store = store->get();
  cx::SlaQuery q;
  q.at = at;
  q.all = true;
  for (int run = 0; run < 2; ++run) {
    auto c0 = Clock::now();
    auto items = cx::ComputeSla(ctx, q);
    auto c1 = Clock::now();
    if (!items.ok()) return Die(items.status());
    std::printf(
        "part 2 run %d: ComputeSla(--all) over %lld clocks from SQLite: %zu items in %.3f s\n",
        run + 1, (long long)n_db, items->size(), Seconds(c0, c1));
  }
  q.all = false;
  auto c0 = Clock::now();
  auto items = cx::ComputeSla(ctx, q);
  auto c1 = Clock::now();
  if (!items.ok()) return Die(items.status());
  std::printf("part 2: ComputeSla (breached and at-risk only): %zu items in %.3f s\n",
              items->size(), Seconds(c0, c1));
  return 0;
}
