// Reports and the workbook: KPIs (= kpi --json) and their targets, SLA clocks (= sla --json),
// the weekly review (HTML or .xlsx download), workbook export (download) and import
// (multipart, with a dry run; the same summary as import-workbook --json).
#include "api/route.h"
#include "render/report_json.h"
#include "render/review_html.h"
#include "render/review_xlsx.h"
#include "service/kpi_service.h"
#include "service/review_service.h"
#include "service/workbook_export.h"
#include "service/workbook_import.h"

namespace cx::api {

namespace {

const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

nlohmann::json Same(const nlohmann::json& j) { return j; }

HttpResponse KpiRoute(Call& c) {
  KpiReportOptions o;
  o.division = QueryText(c, "division");
  o.from = QueryText(c, "from");
  o.to = QueryText(c, "to");
  HttpResponse err;
  if (QueryText(c, "trend") == "0")
    o.trend = 0;
  else if (!QueryInt(c, "trend", 4, 52, &o.trend, &err))
    return err;
  if (!QueryInt(c, "ids", 200, 100000, &o.ids, &err)) return err;
  return Answer(KpiReport(c.Reading(), o), Same);
}

HttpResponse TargetsRoute(Call& c) { return Answer(KpiTargetsReport(c.Reading()), Same); }

HttpResponse SetTargetRoute(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"key", "division", "value", "direction"});
  auto key = f.Text("key", true);
  auto division = f.Text("division");
  auto value = f.Number("value");
  if (!value) f.Text("value", true);
  auto direction = f.Text("direction");
  if (!f.ok()) return f.Error();
  auto dir = ParseDirection(direction.value_or("above"));
  if (!dir.ok()) {
    return ErrorResponse(400, "invalid", "direction: " + dir.status().message(),
                         {{"direction", dir.status().message()}});
  }
  Status st = SetKpiTarget(c.Writing(), KpiTarget{*key, division.value_or(""), *value, *dir});
  // The service names the command line's options (--value, "KPI key"); the page shows a
  // problem beside the request's field of that name.
  if (!st.ok()) return FromStatusRenamed(st, {{"KPI_key", "key"}});
  return Answer(KpiTargetsReport(c.Reading()), Same);
}

HttpResponse SlaRoute(Call& c) {
  SlaReportOptions o;
  o.division = QueryText(c, "division");
  o.owner = QueryText(c, "owner");
  o.at = QueryText(c, "at");
  HttpResponse err;
  if (!QueryFlag(c, "all", &o.all, &err) || !QueryFlag(c, "open", &o.open, &err)) return err;
  return Answer(SlaReport(c.Reading(), o), Same);
}

HttpResponse ReviewRoute(Call& c) {
  ReviewQuery q;
  std::string week = QueryText(c, "week");
  if (!week.empty()) {
    auto p = ParseIsoWeek(week);
    if (!p.ok()) {
      return ErrorResponse(400, "invalid", "week: " + p.status().message(),
                           {{"week", p.status().message()}});
    }
    q.week = *p;
  } else {
    q.week = DefaultReviewWeek(c.Reading());
  }
  std::string format = QueryText(c, "format");
  if (format.empty()) format = "html";
  if (format != "html" && format != "xlsx") {
    return ErrorResponse(400, "invalid", "format: must be html or xlsx",
                         {{"format", "must be html or xlsx"}});
  }
  auto pack = BuildReview(c.Reading(), q);
  if (!pack.ok()) return FromStatus(pack.status());
  TempDir dir;
  const std::string name = "review-" + pack->week_name + "." + format;
  const std::string path = dir.path() + "/" + name;
  Status st = format == "html" ? WriteReviewHtml(*pack, c.ctx.zone, path)
                               : WriteReviewXlsx(*pack, c.ctx.zone, path);
  if (!dir.ok() || !st.ok()) return FromStatus(st.ok() ? Internal("no temporary folder") : st);
  if (format == "html") {
    // Shown in the browser (the review's own page), not saved: it is a report to read.
    HttpResponse r = DownloadFile(path, "text/html; charset=utf-8", name);
    r.headers.erase(r.headers.begin());
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return r;
  }
  return DownloadFile(path, kXlsx, name);
}

HttpResponse ExportRoute(Call& c) {
  TempDir dir;
  const std::string path = dir.path() + "/cxhub.xlsx";
  auto r = ExportWorkbook(c.Reading(), path);
  if (!dir.ok() || !r.ok())
    return FromStatus(r.ok() ? Internal("no temporary folder") : r.status());
  return DownloadFile(path, kXlsx, "cxhub.xlsx");
}

HttpResponse ImportRoute(Call& c) {
  std::map<std::string, FormPart> form;
  HttpResponse err;
  if (!ReadForm(c, {"file", "dry_run"}, &form, &err)) return err;
  if (!form.count("file")) {
    return ErrorResponse(400, "invalid", "file: is required (the workbook)",
                         {{"file", "is required (the workbook)"}});
  }
  ImportOptions opt;
  const std::string flag = form.count("dry_run") ? form["dry_run"].data : "";
  if (!flag.empty() && flag != "true" && flag != "false") {
    return ErrorResponse(400, "invalid", "dry_run: must be true or false",
                         {{"dry_run", "must be true or false"}});
  }
  opt.dry_run = flag == "true";
  TempDir dir;
  std::string path = dir.Write("workbook.xlsx", form["file"].data);
  if (path.empty()) return FromStatus(Internal("cannot keep the upload in a temporary folder"));
  auto r = ImportWorkbook(c.Writing(), path, opt);
  if (!r.ok()) return FromStatus(r.status());
  nlohmann::json summary = ImportSummaryJson(*r);
  if (r->ok()) return JsonResponse(200, summary);
  HttpResponse e = FromStatus(ImportErrors(*r));
  auto j = nlohmann::json::parse(e.body);
  j["summary"] = summary;
  return JsonResponse(e.status, j);
}

}  // namespace

void AddReportRoutes(std::vector<Route>* out) {
  const auto R = Operation::kReadRecords;
  out->push_back({"GET",
                  "/api/v1/kpi",
                  R,
                  "The KPI scorecard (= kpi --json; division, from, to, trend, ids)",
                  {"division", "from", "to", "trend", "ids"},
                  {200, 400, 401, 403},
                  false,
                  KpiRoute});
  out->push_back({"GET",
                  "/api/v1/kpi/targets",
                  R,
                  "The KPI targets in force (= kpi target list --json)",
                  {},
                  {200, 401, 403},
                  false,
                  TargetsRoute});
  out->push_back({"POST",
                  "/api/v1/kpi/targets",
                  Operation::kSetKpiTargets,
                  "Set a KPI target {key, division, value, direction} (managers)",
                  {},
                  {200, 400, 401, 403},
                  true,
                  SetTargetRoute});
  out->push_back({"GET",
                  "/api/v1/sla",
                  R,
                  "SLA clocks, worst first (= sla --json; division, owner, at, all, open)",
                  {"division", "owner", "at", "all", "open"},
                  {200, 400, 401, 403},
                  false,
                  SlaRoute});
  Route review{"GET",
               "/api/v1/review",
               R,
               "The weekly review (week=YYYY-Www, format=html|xlsx: a download)",
               {"week", "format"},
               {200, 400, 401, 403},
               false,
               ReviewRoute};
  review.download_types = {"text/html", kXlsx};
  out->push_back(std::move(review));
  Route exp{"GET", "/api/v1/workbook", R,     "The whole hub as the Excel workbook (a download)",
            {},    {200, 401, 403},    false, ExportRoute};
  exp.download_types = {kXlsx};
  out->push_back(std::move(exp));
  Route imp{"POST",
            "/api/v1/workbook/import",
            Operation::kImportWorkbook,
            "Import a workbook (multipart: file, dry_run); all or nothing; the summary of "
            "import-workbook --json",
            {},
            {200, 400, 401, 403, 413},
            true,
            ImportRoute};
  imp.form = true;
  out->push_back(std::move(imp));
}

}  // namespace cx::api
