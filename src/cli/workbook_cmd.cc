// Workbook commands: import-workbook FILE [--dry-run] [--json], export-workbook FILE.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "render/report_json.h"
#include "cli/cli_common.h"
#include "service/workbook_export.h"
#include "service/workbook_import.h"

namespace cx {
namespace {

struct WorkbookOpts {
  std::string file;
  bool dry_run = false;
  bool json = false;
  bool force = false;
};

void PrintSummary(const ImportSummary& s) {
  std::printf("%s\n", s.dry_run ? "dry run: nothing was written" : "workbook imported");
  for (const auto& c : s.sheets) {
    std::printf("  %-14s %8lld created %8lld updated %8lld unchanged", c.sheet.c_str(),
                static_cast<long long>(c.created), static_cast<long long>(c.updated),
                static_cast<long long>(c.unchanged));
    if (c.skipped) std::printf(" %lld skipped", static_cast<long long>(c.skipped));
    std::printf("\n");
  }
  for (const auto& w : s.warnings) std::printf("warning: %s\n", w.c_str());
  if (!s.unknown_people.empty()) {
    std::printf("names that match no user (kept as written):");
    for (const auto& p : s.unknown_people) std::printf(" '%s'", p.c_str());
    std::printf("\n");
  }
  for (const auto& d : s.duplicates) {
    std::printf("probable duplicate: sheet '%s', row %lld: %s %s is like", d.sheet.c_str(),
                static_cast<long long>(d.row), d.id.c_str(), d.name.c_str());
    for (const auto& m : d.matches)
      std::printf(" %s %s (%.2f, %s);", m.id.c_str(), m.name.c_str(), m.score, m.why.c_str());
    std::printf("\n");
  }
}

int Import(CliEnv& env, const WorkbookOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    ImportOptions opt;
    opt.dry_run = o.dry_run;
    bool tty = isatty(STDERR_FILENO);
    bool printed = false;
    opt.progress = [&](const std::string& sheet, int64_t rows) {
      std::fprintf(stderr, tty ? "\rimporting %s: %lld rows" : "importing %s: %lld rows\n",
                   sheet.c_str(), static_cast<long long>(rows));
      printed = true;
    };
    auto r = ImportWorkbook(ctx, o.file, opt);
    if (printed && tty) std::fprintf(stderr, "\n");
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ImportSummaryJson(*r));
    } else if (r->ok()) {
      PrintSummary(*r);
    }
    if (!r->ok()) return Fail(ImportErrors(*r));
    return 0;
  });
}

int Export(CliEnv& env, const WorkbookOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::optional<ExportSummary> r;
    Status st = WriteOutput(env, o.file, FileKind::kXlsx, o.force, [&](const std::string& tmp) {
      auto e = ExportWorkbook(ctx, tmp);
      if (!e.ok()) return e.status();
      r = std::move(*e);
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    for (const auto& w : r->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (o.json) {
      nlohmann::json j;
      for (const auto& [sheet, rows] : r->rows) j["sheets"][sheet] = rows;
      j["file"] = o.file;
      j["warnings"] = r->warnings;
      PrintJson(j);
    } else {
      std::printf("exported %s:", o.file.c_str());
      for (const auto& [sheet, rows] : r->rows)
        std::printf(" %s %lld;", sheet.c_str(), static_cast<long long>(rows));
      std::printf("\n");
    }
    return 0;
  });
}

}  // namespace

void RegisterWorkbookCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<WorkbookOpts>();
  auto* imp = app.add_subcommand(
      "import-workbook",
      "Import the Excel workbook (.xlsx): all or nothing, idempotent; errors exit 2");
  imp->add_option("file", o->file, "The .xlsx file")->required();
  imp->add_flag("--dry-run", o->dry_run, "Validate and report only; write nothing");
  imp->add_flag("--json", o->json, "Print the summary as JSON");
  imp->callback([&env, o] { env.action = [&env, o] { return Import(env, *o); }; });

  auto* exp = app.add_subcommand("export-workbook", "Export the hub as the Excel workbook (.xlsx)");
  exp->add_option("file", o->file,
                  "The .xlsx file to write (written whole or not at all; never the hub's own "
                  "file)")
      ->required();
  exp->add_flag("--force", o->force, "Replace an existing file that is not an .xlsx workbook");
  exp->add_flag("--json", o->json, "Print the rows written per sheet as JSON");
  exp->callback([&env, o] { env.action = [&env, o] { return Export(env, *o); }; });
}

}  // namespace cx
