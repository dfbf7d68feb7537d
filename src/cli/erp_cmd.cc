// ERP commands: erp-sync (customers / orders / history) and links (the steward's ERP queue).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "render/report_json.h"
#include "cli/cli_common.h"
#include "service/erp_sync.h"
#include "service/link_service.h"

namespace cx {
namespace {

struct ErpOpts {
  std::string what, file, map;
  bool full = false, partial = false, dry_run = false, json = false, all = false;
  int limit = 50;
  std::string id, reason, status = "open";
};

std::string Wm(const std::optional<Timestamp>& t, const Zone& z) {
  return t ? FormatTime(*t, z) : "-";
}

int History(CliEnv& env, const ErpOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto h = ErpSyncHistory(ctx, o.limit);
    if (!h.ok()) return Fail(h.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& r : *h) {
        arr.push_back({{"sync", r.seq},
                       {"kind", r.kind},
                       {"actor", r.actor},
                       {"file", r.file_name},
                       {"sha256", r.file_sha256},
                       {"encoding", r.encoding},
                       {"full", r.full},
                       {"partial", r.partial},
                       {"rows", r.rows},
                       {"created", r.created},
                       {"updated", r.updated},
                       {"unchanged", r.unchanged},
                       {"skipped_older", r.skipped_older},
                       {"rejected", r.rejected},
                       {"flagged_missing", r.flagged_missing},
                       {"proposed_links", r.proposed_links},
                       {"watermark_before", r.watermark_before ? nlohmann::json(FormatTime(
                                                                     *r.watermark_before, ctx.zone))
                                                               : nlohmann::json(nullptr)},
                       {"watermark_after",
                        r.watermark_after ? nlohmann::json(FormatTime(*r.watermark_after, ctx.zone))
                                          : nlohmann::json(nullptr)},
                       {"started_at", FormatTime(r.started_at, ctx.zone)},
                       {"finished_at", FormatTime(r.finished_at, ctx.zone)}});
      }
      PrintJson({{"syncs", arr}});
      return 0;
    }
    for (const auto& r : *h) {
      std::printf(
          "%-5lld %-9s %s  by %-10s %s  rows %lld: +%lld ~%lld =%lld older %lld rejected %lld "
          "missing %lld "
          "links %lld  watermark %s → %s  sha256 %.12s\n",
          static_cast<long long>(r.seq), r.kind.c_str(),
          FormatTime(r.finished_at, ctx.zone).c_str(), r.actor.c_str(), r.file_name.c_str(),
          static_cast<long long>(r.rows), static_cast<long long>(r.created),
          static_cast<long long>(r.updated), static_cast<long long>(r.unchanged),
          static_cast<long long>(r.skipped_older), static_cast<long long>(r.rejected),
          static_cast<long long>(r.flagged_missing), static_cast<long long>(r.proposed_links),
          Wm(r.watermark_before, ctx.zone).c_str(), Wm(r.watermark_after, ctx.zone).c_str(),
          r.file_sha256.c_str());
    }
    if (h->empty()) std::printf("no ERP sync yet\n");
    return 0;
  });
}

int Sync(CliEnv& env, const ErpOpts& o) {
  if (o.what == "history") {
    // What a sync takes has no meaning here: refused rather than silently ignored.
    std::vector<std::string> stray;
    if (!o.file.empty()) stray.push_back("FILE ('" + o.file + "')");
    if (!o.map.empty()) stray.push_back("--map");
    if (o.full) stray.push_back("--full");
    if (o.partial) stray.push_back("--partial");
    if (o.dry_run) stray.push_back("--dry-run");
    if (!stray.empty()) {
      std::string list;
      for (const auto& x : stray) list += (list.empty() ? "" : ", ") + x;
      return Fail(Invalid("erp-sync history takes no " + list + " (only --limit and --json)"));
    }
    if (o.limit < 1) {
      return Fail(Invalid("erp-sync history --limit " + std::to_string(o.limit) +
                          ": give how many syncs to show, 1 or more"));
    }
    return History(env, o);
  }
  if (o.limit != 50) return Fail(Invalid("--limit applies to erp-sync history only"));
  auto kind = ParseErpKind(o.what);
  if (!kind.ok()) return Fail(Invalid(kind.status().message() + " or history"));
  if (o.file.empty()) return Fail(Invalid("erp-sync " + o.what + ": the export FILE is required"));
  return WithHub(env, [&](Context& ctx) {
    ErpSyncOptions opt;
    opt.kind = *kind;
    opt.file = o.file;
    opt.map_file = o.map;
    opt.full = o.full;
    opt.partial = o.partial;
    opt.dry_run = o.dry_run;
    ErpSyncSummary s;
    Status st = RunErpSync(ctx, opt, &s);
    if (o.json && (st.ok() || !s.rejected.empty())) PrintJson(ErpSyncJson(s, ctx.zone));
    if (!st.ok()) return Fail(st);
    if (!o.json) {
      std::printf(
          "%s%s %s: %lld rows, %lld created, %lld updated, %lld unchanged, %lld skipped (not newer "
          "than %s)\n",
          s.dry_run ? "dry run (nothing written) — " : "", s.kind.c_str(), s.file.c_str(),
          static_cast<long long>(s.rows), static_cast<long long>(s.created),
          static_cast<long long>(s.updated), static_cast<long long>(s.unchanged),
          static_cast<long long>(s.skipped_older), Wm(s.watermark_before, ctx.zone).c_str());
      std::printf("encoding %s, delimiter '%c', watermark %s → %s%s\n", s.encoding.c_str(),
                  s.delimiter, Wm(s.watermark_before, ctx.zone).c_str(),
                  Wm(s.watermark_after, ctx.zone).c_str(),
                  s.sync_seq ? (", recorded as sync " + std::to_string(s.sync_seq)).c_str() : "");
      for (size_t i = 0; i < s.flagged_missing.size(); ++i) {
        std::printf("missing from the full export: ERP customer %s (account %s)\n",
                    s.flagged_missing[i].c_str(), s.flagged_missing_accounts[i].c_str());
      }
      for (const auto& erp : s.reappeared)
        std::printf("back in the export: ERP customer %s (its missing flag is closed)\n",
                    erp.c_str());
      for (const auto& p : s.proposed_links) {
        std::printf("proposed link: account %s ↔ ERP customer %s (%s)\n", p.account.c_str(),
                    p.erp_id.c_str(), p.why.c_str());
      }
      for (const auto& r : s.rejected) {
        std::fprintf(stderr, "rejected line %lld: %s\n", static_cast<long long>(r.line),
                     r.reason.c_str());
      }
      if (!s.rejected_file.empty())
        std::printf("rejected rows written to %s\n", s.rejected_file.c_str());
      if (!s.removed_rejected_file.empty()) {
        std::printf("removed %s of an earlier run (this run rejected nothing)\n",
                    s.removed_rejected_file.c_str());
      }
    }
    for (const auto& w : s.warnings) std::fprintf(stderr, "cxhub: warning: %s\n", w.c_str());
    return 0;
  });
}

int LinksList(CliEnv& env, const ErpOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto items = ListErpQueue(ctx, o.all ? "" : o.status, 100000);
    if (!items.ok()) return Fail(items.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& q : *items) arr.push_back(ErpQueueItemJson(q, ctx.zone));
      PrintJson({{"items", arr}});
      return 0;
    }
    for (const auto& q : *items) {
      std::printf("%-6lld %-8s %-10s %-12s ERP %-14s %s\n", static_cast<long long>(q.id),
                  q.kind.c_str(), q.status.c_str(), q.account_id.c_str(), q.erp_id.c_str(),
                  q.why.c_str());
    }
    if (items->empty()) std::printf("the ERP queue is empty\n");
    return 0;
  });
}

int LinksDecide(CliEnv& env, const ErpOpts& o, bool accept) {
  char* end = nullptr;
  long long id = std::strtoll(o.id.c_str(), &end, 10);
  if (o.id.empty() || *end != '\0' || id <= 0)
    return Fail(Invalid("'" + o.id + "' is not a queue item id (a number)"));
  return WithHub(env, [&](Context& ctx) {
    auto r = accept ? AcceptErpQueueItem(ctx, id, o.reason) : RejectErpQueueItem(ctx, id, o.reason);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ErpQueueItemJson(*r, ctx.zone));
    } else {
      std::printf("queue item %lld %s: account %s, ERP customer %s\n", id, r->status.c_str(),
                  r->account_id.c_str(), r->erp_id.c_str());
    }
    return 0;
  });
}

}  // namespace

void RegisterErpCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<ErpOpts>();
  auto* sync = app.add_subcommand("erp-sync",
                                  "Take in an ERP export (customers or orders, CSV or .xlsx), or "
                                  "show the sync history (erp-sync history)");
  sync->add_option("what", o->what, "customers, orders or history")->required();
  sync->add_option("file", o->file,
                   "The export file: CSV (UTF-8, Windows-1252 or UTF-16; ',' or ';') or .xlsx "
                   "(its first sheet)");
  sync->add_option(
      "--map", o->map,
      "Mapping file (TOML) of the ERP's column names; default: config/erp_mapping.toml");
  sync->add_flag("--full", o->full,
                 "The file is a full customers export: flag linked customers missing from it");
  sync->add_flag("--partial", o->partial,
                 "Apply the good rows; write the bad ones to FILE.rejected.csv");
  sync->add_flag("--dry-run", o->dry_run, "Do everything and report, but write nothing");
  sync->add_flag("--json", o->json,
                 "Print {created, updated, unchanged, skipped_older, flagged_missing, "
                 "proposed_links, rejected, …}");
  sync->add_option("--limit", o->limit, "history: most syncs to show (default 50)");
  sync->callback([&env, o] { env.action = [&env, o] { return Sync(env, *o); }; });

  auto* links =
      app.add_subcommand("links", "The steward's ERP queue: proposed links and missing customers");
  links->require_subcommand(1);
  auto* list = links->add_subcommand(
      "list", "List open queue items (proposed links, customers missing from a full export)");
  list->add_flag("--all", o->all, "Include decided items");
  list->add_flag("--json", o->json,
                 "Print {\"items\": [{id, kind, account, erp_id, why, status…}…]}");
  list->callback([&env, o] { env.action = [&env, o] { return LinksList(env, *o); }; });
  auto* accept =
      links->add_subcommand("accept",
                            "Accept: link the account to the ERP customer (merging the "
                            "sync's account into it), or acknowledge a missing customer");
  accept->add_option("id", o->id, "Queue item id")->required();
  accept->add_option("--reason", o->reason, "Why (audited)");
  accept->add_flag("--json", o->json, "Print the decided item as JSON");
  accept->callback([&env, o] { env.action = [&env, o] { return LinksDecide(env, *o, true); }; });
  auto* reject = links->add_subcommand(
      "reject", "Reject a proposed link (never proposed again), or dismiss a flag");
  reject->add_option("id", o->id, "Queue item id")->required();
  reject->add_option("--reason", o->reason, "Why (audited)");
  reject->add_flag("--json", o->json, "Print the decided item as JSON");
  reject->callback([&env, o] { env.action = [&env, o] { return LinksDecide(env, *o, false); }; });
}

}  // namespace cx
