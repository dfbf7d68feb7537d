// `cxhub move-store --to URL`: copies the whole hub of --db into a new, empty hub at URL (either
// backend), checks the copy table by table, and says what it moved (docs/operations.md, "Moving
// a hub").
#include <cstdio>

#include "cli/cli_common.h"
#include "render/review_format.h"
#include "service/move_store.h"
#include "store/open/open_store.h"

namespace cx {
namespace {

struct MoveOpts {
  std::string to;
  bool json = false;
};

int MoveCmd(CliEnv& env, const MoveOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    const std::string from_url = RedactedStoreUrl(env.db_url);
    const std::string to_url = RedactedStoreUrl(o.to);
    if (o.to == env.db_url)
      return Fail(Invalid("--to names the hub being moved (" + to_url + "); nothing was written"));
    // A file target: its folder must exist, it must not be one of the source's own files, and
    // a file already there must be a database (an empty hub made by `init`, say).
    if (const std::string path = StoreFilePath(o.to); !path.empty())
      CX_RETURN_IF_ERROR_CLI(CheckOutputPath(path, StoreBackupKind(o.to), env.Output(false)));
    auto target = OpenStore(o.to);
    if (!target.ok()) return Fail(target.status());
    std::fprintf(stderr, "move-store: %s → %s\n", from_url.c_str(), to_url.c_str());
    auto report = MoveStore(
        *ctx.store, **target, "move-store to " + to_url, ctx.actor,
        [](const std::string& phase, const MovedTable& t) {
          if (phase == "copied") {
            std::fprintf(stderr, "move-store: %-24s %12s rows copied   (%.2f s)\n", t.table.c_str(),
                         FormatGrouped(t.rows).c_str(), t.seconds);
          } else {
            std::fprintf(stderr, "move-store: %-24s %12s rows verified (checksum %.12s)\n",
                         t.table.c_str(), FormatGrouped(t.rows).c_str(), t.checksum.c_str());
          }
        });
    if (!report.ok()) return Fail(report.status());
    if (o.json) {
      nlohmann::json tables = nlohmann::json::array();
      for (const auto& t : report->tables)
        tables.push_back({{"table", t.table}, {"rows", t.rows}, {"checksum", t.checksum}});
      PrintJson({{"from", from_url},
                 {"to", to_url},
                 {"schema_version", report->schema_version},
                 {"tables", tables},
                 {"rows", report->rows},
                 {"seconds", report->seconds},
                 {"verified", true}});
      return 0;
    }
    Print(
        "moved %zu tables, %s rows from %s to %s in %.1f s; every table's row count and "
        "checksum match\n",
        report->tables.size(), FormatGrouped(report->rows).c_str(), from_url.c_str(),
        to_url.c_str(), report->seconds);
    return 0;
  });
}

}  // namespace

void RegisterMoveCommand(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<MoveOpts>();
  auto* move = app.add_subcommand(
      "move-store",
      "Copy the whole hub of --db (audit log, merges, ERP history, users; not sessions) into a "
      "new, empty hub at --to, of either backend, and check the copy table by table");
  move->add_option("--to", o->to, std::string("The new hub: ") + kStoreUrlForms)->required();
  move->add_flag("--json", o->json,
                 "Print {from, to, schema_version, tables: [{table, rows, checksum}…], rows, "
                 "seconds, verified}");
  move->callback([&env, o] { env.action = [&env, o] { return MoveCmd(env, *o); }; });
}

}  // namespace cx
