// The steward's work: duplicates (= duplicates --json), merges and their undo, the ERP queue
// (links), and ERP sync uploads (multipart; the same summary as erp-sync --json).
#include "api/route.h"
#include "render/json_out.h"
#include "render/report_json.h"
#include "service/link_service.h"
#include "service/merge_service.h"

namespace cx::api {

namespace {

HttpResponse DuplicatesRoute(Call& c) {
  std::string kind = QueryText(c, "kind");
  return Answer(DuplicatesReport(c.Reading(), kind.empty() ? "all" : kind),
                [](const nlohmann::json& j) { return j; });
}

HttpResponse PostMerge(Call& c) {
  nlohmann::json body;
  HttpResponse err;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"kind", "survivor", "others", "reason"});
  auto kind = f.Text("kind", true);
  auto survivor = f.Text("survivor", true);
  auto others = f.TextList("others");
  auto reason = f.Text("reason");
  if (!others) f.Text("others", true);
  if (!f.ok()) return f.Error();
  if (*kind != "accounts" && *kind != "contacts") {
    return ErrorResponse(400, "invalid", "kind: must be accounts or contacts",
                         {{"kind", "must be accounts or contacts"}});
  }
  NameKind k = *kind == "accounts" ? NameKind::kAccount : NameKind::kContact;
  auto m = Merge(c.Writing(), k, *survivor, *others, reason.value_or(""));
  if (!m.ok()) return FromStatus(m.status());
  HttpResponse r = JsonResponse(201, ToJson(*m, c.ctx.zone));
  r.headers.emplace_back("Location", "/api/v1/merges/" + m->id);
  return r;
}

HttpResponse ListMergesRoute(Call& c) {
  int limit = 0;
  HttpResponse err;
  if (!QueryInt(c, "limit", 20, kMaxPageSize, &limit, &err)) return err;
  return Answer(ListMerges(c.Reading(), limit), [&](const std::vector<MergeRecord>& ms) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& m : ms) arr.push_back(ToJson(m, c.ctx.zone));
    return nlohmann::json{{"merges", arr}};
  });
}

// {"reason"} of an undo or a queue decision.
bool ReadReason(Call& c, std::string* reason, HttpResponse* err) {
  nlohmann::json body = nlohmann::json::object();
  if (!c.req.body.empty() && !ReadJsonObject(c, &body, err)) return false;
  FieldReader f(body, {"reason"});
  *reason = f.Text("reason").value_or("");
  if (!f.ok()) {
    *err = f.Error();
    return false;
  }
  return true;
}

HttpResponse UndoRoute(Call& c) {
  std::string reason;
  HttpResponse err;
  if (!ReadReason(c, &reason, &err)) return err;
  return Answer(UndoMerge(c.Writing(), c.params["id"], reason),
                [&](const MergeRecord& m) { return ToJson(m, c.ctx.zone); });
}

HttpResponse ListLinksRoute(Call& c) {
  std::string status = QueryText(c, "status");
  if (status.empty()) status = "open";
  if (status == "all") status = "";
  return Answer(ListErpQueue(c.Reading(), status, 100000),
                [&](const std::vector<ErpQueueItem>& items) {
                  nlohmann::json arr = nlohmann::json::array();
                  for (const auto& q : items) arr.push_back(ErpQueueItemJson(q, c.ctx.zone));
                  return nlohmann::json{{"items", arr}};
                });
}

HttpResponse Decide(Call& c, bool accept) {
  std::string reason;
  HttpResponse err;
  if (!ReadReason(c, &reason, &err)) return err;
  const std::string& id = c.params["id"];
  int64_t n = 0;
  bool digits = !id.empty() && id.size() < 15;
  for (char ch : id) {
    if (ch < '0' || ch > '9') digits = false;
    if (digits) n = n * 10 + (ch - '0');
  }
  if (!digits) return FromStatus(NotFound("queue item " + id + " does not exist"));
  auto r = accept ? AcceptErpQueueItem(c.Writing(), n, reason)
                  : RejectErpQueueItem(c.Writing(), n, reason);
  return Answer(r, [&](const ErpQueueItem& q) { return ErpQueueItemJson(q, c.ctx.zone); });
}

HttpResponse AcceptRoute(Call& c) { return Decide(c, true); }
HttpResponse RejectRoute(Call& c) { return Decide(c, false); }

// A form field that is a flag: absent, "", "false" or "0" is false; "true" or "1" is true.
bool FormFlag(const std::map<std::string, FormPart>& form, const char* name, bool* out,
              nlohmann::json* problems) {
  auto it = form.find(name);
  *out = false;
  if (it == form.end()) return true;
  const std::string& v = it->second.data;
  if (v.empty() || v == "false" || v == "0") return true;
  if (v == "true" || v == "1") {
    *out = true;
    return true;
  }
  (*problems)[name] = "must be true or false";
  return false;
}

// POST /api/v1/erp-syncs: the export file (and perhaps a mapping file) as a form, with the
// options of erp-sync as fields. The upload is written to a temporary folder for the sync
// (which reads files) and removed after; FILE.rejected.csv of a partial sync goes with it,
// its rows being in the summary's "rejected".
HttpResponse ErpSyncRoute(Call& c) {
  std::map<std::string, FormPart> form;
  HttpResponse err;
  if (!ReadForm(c, {"kind", "file", "map", "full", "partial", "dry_run"}, &form, &err)) return err;
  nlohmann::json problems = nlohmann::json::object();
  ErpSyncOptions opt;
  std::string kind = form.count("kind") ? form["kind"].data : "";
  if (kind == "customers") {
    opt.kind = ErpKind::kCustomers;
  } else if (kind == "orders") {
    opt.kind = ErpKind::kOrders;
  } else {
    problems["kind"] = kind.empty() ? "is required" : "must be customers or orders";
  }
  if (!form.count("file")) problems["file"] = "is required (the export file)";
  FormFlag(form, "full", &opt.full, &problems);
  FormFlag(form, "partial", &opt.partial, &problems);
  FormFlag(form, "dry_run", &opt.dry_run, &problems);
  if (!problems.empty()) {
    std::string msg = "the form has bad fields:";
    for (const auto& [k, v] : problems.items()) msg += " " + k + " " + v.get<std::string>() + ";";
    msg.pop_back();
    return ErrorResponse(400, "invalid", msg, problems);
  }
  TempDir dir;
  const FormPart& file = form["file"];
  const std::string name = file.filename.empty() ? "export.csv" : file.filename;
  opt.file = dir.Write(name, file.data);
  if (form.count("map")) opt.map_file = dir.Write("mapping.toml", form["map"].data);
  if (opt.file.empty() || (form.count("map") && opt.map_file.empty()))
    return FromStatus(Internal("cannot keep the upload in a temporary folder"));
  ErpSyncSummary s;
  Status st = RunErpSync(c.Writing(), opt, &s);
  // Named as uploaded: the temporary folder is gone when the answer is read.
  s.file = name;
  s.rejected_file.clear();
  s.removed_rejected_file.clear();
  nlohmann::json summary = ErpSyncJson(s, c.ctx.zone);
  if (st.ok()) return JsonResponse(200, summary);
  HttpResponse e = FromStatus(st);
  if (!s.rejected.empty()) {
    auto j = nlohmann::json::parse(e.body);
    j["summary"] = summary;
    e = JsonResponse(e.status, j);
  }
  return e;
}

}  // namespace

void AddStewardRoutes(std::vector<Route>* out) {
  const std::vector<int> write = {200, 400, 401, 403, 404, 409};
  out->push_back({"GET",
                  "/api/v1/duplicates",
                  Operation::kReadRecords,
                  "Clusters of probable duplicates (= duplicates --json; kind=accounts|contacts)",
                  {"kind"},
                  {200, 400, 401, 403},
                  false,
                  DuplicatesRoute});
  out->push_back({"POST",
                  "/api/v1/merges",
                  Operation::kMerge,
                  "Merge {kind, survivor, others, reason} (stewards of the division, managers, "
                  "admins)",
                  {},
                  {201, 400, 401, 403, 404, 409},
                  true,
                  PostMerge});
  out->push_back({"GET",
                  "/api/v1/merges",
                  Operation::kReadRecords,
                  "Merges, newest first",
                  {"limit"},
                  {200, 400, 401, 403},
                  false,
                  ListMergesRoute});
  out->push_back({"POST",
                  "/api/v1/merges/{id}/undo",
                  Operation::kMerge,
                  "Undo a merge {reason}",
                  {},
                  write,
                  true,
                  UndoRoute});
  out->push_back({"GET",
                  "/api/v1/links",
                  Operation::kErpQueue,
                  "The steward's ERP queue (status=open|accepted|rejected|all)",
                  {"status"},
                  {200, 400, 401, 403},
                  false,
                  ListLinksRoute});
  out->push_back({"POST",
                  "/api/v1/links/{id}/accept",
                  Operation::kErpQueue,
                  "Accept a proposed link (or acknowledge a missing customer) {reason}",
                  {},
                  write,
                  true,
                  AcceptRoute});
  out->push_back({"POST",
                  "/api/v1/links/{id}/reject",
                  Operation::kErpQueue,
                  "Reject a proposed link (or dismiss a flag) {reason}",
                  {},
                  write,
                  true,
                  RejectRoute});
  Route sync{"POST",
             "/api/v1/erp-syncs",
             Operation::kErpSync,
             "Upload an ERP export (multipart: kind, file, map, full, partial, dry_run); "
             "answers erp-sync --json's summary",
             {},
             {200, 400, 401, 403, 413},
             true,
             ErpSyncRoute};
  sync.form = true;
  out->push_back(std::move(sync));
}

}  // namespace cx::api
