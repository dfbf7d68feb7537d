// The one-page customer strategy and the seven steps over HTTP (docs/strategy.md, docs/api.md):
// GET /api/v1/strategy (= strategy show --json), /strategy/history (= strategy history --json),
// /strategy/export (the bytes of strategy export), PUT /api/v1/strategy (the TOML text strategy
// set reads), GET /api/v1/cem (= cem show --json) and PATCH /api/v1/cem/{step} (what cem set
// changes). The edits need If-Match with the ETag of what was read: a version saved or a step
// changed in between is never overwritten unseen (412).
#include <cctype>

#include "api/route.h"
#include "base/sha256.h"
#include "render/strategy_json.h"
#include "render/strategy_page.h"
#include "service/cem_service.h"
#include "service/strategy_service.h"

namespace cx::api {

namespace {

const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// The name a PUT's body goes by in its errors ("strategy.toml:12: mission: …").
const char* kBodyName = "strategy.toml";

// The strategy's entity tag: its latest version (0 before the first).
std::string StrategyTag(int64_t latest) { return "\"strategy-v" + std::to_string(latest) + "\""; }

// The seven steps' entity tag for a year: a hash of every step state someone set (what the
// board shows besides the evidence, which the hub computes and nobody edits).
std::string CemTag(int year, const std::vector<CemStepState>& stored) {
  std::string text = std::to_string(year);
  for (const auto& s : stored) {
    if (s.updated_at == 0) continue;  // a step never set
    text += "|" + std::to_string(s.step) + "\x1f" + s.status + "\x1f" + s.owner + "\x1f" + s.note +
            "\x1f" + (s.started ? FormatDate(*s.started) : "") + "\x1f" +
            std::to_string(s.updated_at) + "\x1f" + s.updated_by;
  }
  Sha256 h;
  h.Update(text.data(), text.size());
  auto d = h.HexDigest();
  return "\"cem-" + std::to_string(year) + "-" + (d.ok() ? d->substr(0, 24) : std::string("0")) +
         "\"";
}

HttpResponse Stale(const std::string& what) {
  return ErrorResponse(412, "stale",
                       "the " + what +
                           " changed since it was read (If-Match does not match its ETag); read "
                           "it again and redo the edit");
}

// A whole number from 1 to `max` in the query, or 0 when absent; false with *err on a bad one.
bool QueryNumber(const Call& c, const char* name, int max, int* out, HttpResponse* err) {
  return QueryInt(c, name, 0, max, out, err);
}

HttpResponse ShowRoute(Call& c) {
  int version = 0;
  HttpResponse err;
  if (!QueryNumber(c, "version", 1000000000, &version, &err)) return err;
  auto page = ShowStrategy(c.Reading(), version);
  if (!page.ok()) return FromStatusRenamed(page.status());
  HttpResponse r = JsonResponse(200, StrategyPageJson(*page, c.ctx.zone));
  // The tag an edit sends: only the latest version's answer is the current one.
  if (version == 0) r.headers.emplace_back("ETag", StrategyTag(page->saved.version));
  return r;
}

HttpResponse HistoryRoute(Call& c) {
  auto versions = StrategyHistory(c.Reading());
  if (!versions.ok()) return FromStatus(versions.status());
  HttpResponse r = JsonResponse(200, StrategyHistoryJson(*versions, c.ctx.zone));
  r.headers.emplace_back("ETag", StrategyTag(versions->empty() ? 0 : versions->front().version));
  return r;
}

HttpResponse ExportRoute(Call& c) {
  int version = 0;
  HttpResponse err;
  if (!QueryNumber(c, "version", 1000000000, &version, &err)) return err;
  std::string format = QueryText(c, "format");
  if (format.empty()) format = "html";
  if (format != "html" && format != "xlsx") {
    return ErrorResponse(400, "invalid", "format: must be html or xlsx",
                         {{"format", "must be html or xlsx"}});
  }
  auto page = ShowStrategy(c.Reading(), version);
  if (!page.ok()) return FromStatusRenamed(page.status());
  TempDir dir;
  const std::string name = "strategy-v" + std::to_string(page->saved.version) + "." + format;
  const std::string path = dir.path() + "/" + name;
  Status st = format == "html" ? WriteStrategyHtml(*page, c.ctx.zone, path)
                               : WriteStrategyXlsx(*page, c.ctx.zone, path);
  if (!dir.ok() || !st.ok()) return FromStatus(st.ok() ? Internal("no temporary folder") : st);
  if (format == "xlsx") return DownloadFile(path, kXlsx, name);
  // The page is saved, not shown in our origin (attachment); should a browser show it anyway,
  // the policy lets it run nothing and reach nothing (the page is inline CSS only).
  HttpResponse r = DownloadFile(path, "text/html; charset=utf-8", name);
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// "strategy.toml:12: key: what" (or "strategy.toml:12:5: what" for TOML syntax, or
// "strategy.toml: key: what") as (key or "body", "line 12: what").
std::pair<std::string, std::string> TomlProblem(const std::string& text) {
  std::string rest = text, line, column;
  const std::string head = std::string(kBodyName);
  if (rest.rfind(head, 0) == 0) {
    rest = rest.substr(head.size());
    auto number = [&](std::string* out) {
      if (rest.size() < 2 || rest[0] != ':' || !std::isdigit(static_cast<unsigned char>(rest[1])))
        return;
      size_t i = 1;
      while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
      *out = rest.substr(1, i - 1);
      rest = rest.substr(i);
    };
    number(&line);
    number(&column);
    if (rest.rfind(": ", 0) == 0) rest = rest.substr(2);
  }
  std::string where = line.empty() ? "" : "line " + line;
  if (!column.empty()) where += ", column " + column;
  std::string key = "body";
  size_t colon = rest.find(": ");
  if (colon != std::string::npos && colon > 0) {
    bool word = true;
    for (char ch : rest.substr(0, colon)) {
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '[' ||
            ch == ']' || ch == '-'))
        word = false;
    }
    if (word) {
      key = rest.substr(0, colon);
      rest = rest.substr(colon + 2);
    }
  }
  return {key, where.empty() ? rest : where + ": " + rest};
}

// A refused strategy text as 400 whose fields name each key with its line.
HttpResponse TomlErrors(const Status& st) {
  if (st.code() != Code::kInvalid) return FromStatus(st);
  nlohmann::json fields = nlohmann::json::object();
  std::string message = st.message();
  std::vector<std::string> problems = st.details();
  if (problems.empty()) problems.push_back(st.message());
  for (const auto& p : problems) {
    auto [key, what] = TomlProblem(p);
    if (!fields.contains(key)) fields[key] = what;
  }
  for (const auto& d : st.details()) message += "\n" + d;
  return ErrorResponse(400, "invalid", message, fields);
}

HttpResponse PutRoute(Call& c) {
  const std::string* if_match = c.req.Header("if-match");
  const std::string* if_none = c.req.Header("if-none-match");
  const bool first = !if_match && if_none && *if_none == "*";
  if (!if_match && !first) {
    return ErrorResponse(428, "precondition_required",
                         "replacing the strategy needs If-Match with the ETag of the strategy as "
                         "read (GET /api/v1/strategy), or If-None-Match: * for the first version");
  }
  const std::string* ct = c.req.Header("content-type");
  std::string type = ct ? ct->substr(0, ct->find(';')) : "";
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& ch : type) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  if (type != "text/plain" && type != "application/toml") {
    return ErrorResponse(415, "unsupported_media_type",
                         "the body is the strategy's TOML text: send it as text/plain or "
                         "application/toml (docs/strategy.md shows its keys)",
                         {{"Content-Type", "must be text/plain or application/toml"}});
  }
  bool stale = false;
  auto saved = SetStrategy(c.Writing(), c.req.body, kBodyName, [&](int64_t latest) -> Status {
    if (first ? latest == 0 : *if_match == StrategyTag(latest)) return Status::Ok();
    stale = true;
    return Conflict("stale");
  });
  if (stale) return Stale("strategy");
  if (!saved.ok()) return TomlErrors(saved.status());
  HttpResponse r = JsonResponse(200, StrategySavedJson(*saved, c.ctx.zone));
  r.headers.emplace_back("ETag", StrategyTag(saved->version));
  return r;
}

// The year of `year=` (default this year); false with *err on a bad one.
bool QueryYear(const Call& c, int* year, HttpResponse* err) {
  if (!QueryNumber(c, "year", 9999, year, err)) return false;
  if (*year == 0) *year = CurrentYear(c.ctx);
  return true;
}

// The year's board with its tag.
HttpResponse BoardAnswer(const Call& c, int year) {
  auto source = HubEvidenceSource();
  auto board = ShowCem(c.Reading(), year, *source);
  if (!board.ok()) return FromStatusRenamed(board.status());
  std::vector<CemStepState> stored;
  for (const auto& s : board->steps) stored.push_back(s.state);
  HttpResponse r = JsonResponse(200, CemBoardJson(*board, c.ctx.zone));
  r.headers.emplace_back("ETag", CemTag(year, stored));
  return r;
}

HttpResponse CemRoute(Call& c) {
  int year = 0;
  HttpResponse err;
  if (!QueryYear(c, &year, &err)) return err;
  return BoardAnswer(c, year);
}

HttpResponse CemPatchRoute(Call& c) {
  const std::string* if_match = c.req.Header("if-match");
  if (!if_match) {
    return ErrorResponse(428, "precondition_required",
                         "changing a step needs If-Match with the ETag of the year's steps as read "
                         "(GET /api/v1/cem?year=…)");
  }
  int year = 0;
  HttpResponse err;
  if (!QueryYear(c, &year, &err)) return err;
  const std::string& step_text = c.params["step"];
  int step = 0;
  if (step_text.size() == 1 && step_text[0] >= '1' && step_text[0] <= '7')
    step = step_text[0] - '0';
  if (!step) {
    return ErrorResponse(404, "not_found",
                         "step " + step_text + " is not one of the seven steps (1-7)");
  }
  nlohmann::json body;
  if (!ReadJsonObject(c, &body, &err)) return err;
  FieldReader f(body, {"status", "owner", "note", "started"});
  CemChange change;
  change.status = f.Text("status");
  change.owner = f.Text("owner");
  change.note = f.Text("note");
  auto started = f.Text("started");
  if (!f.ok()) return f.Error();
  if (started) {
    auto d = ParseDate(*started);
    if (!d.ok()) {
      return ErrorResponse(400, "invalid", "started: " + d.status().message(),
                           {{"started", d.status().message()}});
    }
    change.started = *d;
  }
  bool stale = false;
  auto saved = SetCemStep(c.Writing(), year, step, change,
                          [&](const std::vector<CemStepState>& stored) -> Status {
                            if (*if_match == CemTag(year, stored)) return Status::Ok();
                            stale = true;
                            return Conflict("stale");
                          });
  if (stale) return Stale("year's steps");
  if (!saved.ok()) return FromStatusRenamed(saved.status(), {{"STEP", "step"}});
  return BoardAnswer(c, year);
}

// ---- the documents' shapes, for the OpenAPI document ----

nlohmann::json Obj(std::initializer_list<const char*> required, nlohmann::json props) {
  nlohmann::json names = nlohmann::json::array();
  for (const char* k : required) names.push_back(k);
  return {{"type", "object"}, {"required", std::move(names)}, {"properties", std::move(props)}};
}

nlohmann::json SavedSchema() {
  const nlohmann::json text = {{"type", "string"}};
  return Obj({"version", "saved_at", "saved_by"},
             {{"version", {{"type", "integer"}}}, {"saved_at", text}, {"saved_by", text}});
}

nlohmann::json PageSchema() {
  const nlohmann::json text = {{"type", "string"}};
  const nlohmann::json opt_num = {{"type", {"number", "null"}}};
  const nlohmann::json horizons =
      Obj({"year1", "year3", "year5"}, {{"year1", text}, {"year3", text}, {"year5", text}});
  const nlohmann::json kr = Obj({"title", "kpi", "kpi_name", "division", "unit", "target",
                                 "direction", "due", "value", "met", "note"},
                                {{"title", text},
                                 {"kpi", text},
                                 {"kpi_name", text},
                                 {"division", text},
                                 {"unit", text},
                                 {"target", opt_num},
                                 {"direction", {{"type", {"string", "null"}}}},
                                 {"due", text},
                                 {"value", opt_num},
                                 {"met", {{"type", {"boolean", "null"}}}},
                                 {"note", {{"type", {"string", "null"}}}}});
  return Obj({"mission", "vision", "key_objectives", "ambition", "objectives", "key_results",
              "communication", "notes", "version", "saved_at", "saved_by", "period"},
             {{"mission", text},
              {"vision", text},
              {"key_objectives",
               Obj({"growth", "new_markets", "new_customers"},
                   {{"growth", horizons}, {"new_markets", horizons}, {"new_customers", horizons}})},
              {"ambition", text},
              {"objectives", {{"type", "array"}, {"items", horizons}}},
              {"key_results", {{"type", "array"}, {"items", kr}}},
              {"communication", text},
              {"notes", text},
              {"version", {{"type", "integer"}}},
              {"saved_at", text},
              {"saved_by", text},
              {"period", Obj({"from", "to"}, {{"from", text}, {"to", text}})}});
}

nlohmann::json HistorySchema() {
  return Obj({"versions"}, {{"versions", {{"type", "array"}, {"items", SavedSchema()}}}});
}

nlohmann::json CemSchema() {
  const nlohmann::json text = {{"type", "string"}};
  const nlohmann::json opt_text = {{"type", {"string", "null"}}};
  const nlohmann::json step =
      Obj({"step", "title", "what", "status", "owner", "note", "started", "evidence"},
          {{"step", {{"type", "integer"}}},
           {"title", text},
           {"what", text},
           {"status", {{"type", "string"}, {"enum", {"not-started", "in-progress", "done"}}}},
           {"owner", opt_text},
           {"note", text},
           {"started", opt_text},
           {"evidence",
            Obj({"summary", "data"}, {{"summary", text}, {"data", nlohmann::json::object()}})}});
  return Obj({"year", "at", "steps"}, {{"year", {{"type", "integer"}}},
                                       {"at", text},
                                       {"steps", {{"type", "array"}, {"items", step}}}});
}

}  // namespace

void AddStrategyRoutes(std::vector<Route>* out) {
  const auto R = Operation::kReadRecords;
  const auto W = Operation::kSetStrategy;
  auto add = [&](Route r, nlohmann::json schema) {
    r.schema = std::move(schema);
    out->push_back(std::move(r));
  };
  add({"GET",
       "/api/v1/strategy",
       R,
       "The one-page customer strategy with its key results' live values (= strategy show "
       "--json; version); the latest answers with its ETag",
       {"version"},
       {200, 400, 401, 403, 404},
       false,
       ShowRoute},
      PageSchema());
  Route put{"PUT",
            "/api/v1/strategy",
            W,
            "Save the strategy's next version from its TOML text (= strategy set; text/plain or "
            "application/toml; If-Match, or If-None-Match: * for the first)",
            {},
            {200, 400, 401, 403, 415},
            false,
            PutRoute};
  put.body_types = {"text/plain", "application/toml"};
  add(std::move(put), SavedSchema());
  add({"GET",
       "/api/v1/strategy/history",
       R,
       "Every saved version of the strategy, newest first (= strategy history --json)",
       {},
       {200, 401, 403},
       false,
       HistoryRoute},
      HistorySchema());
  Route exp{"GET",
            "/api/v1/strategy/export",
            R,
            "The strategy as one printable A4 page or the template's sheet (= strategy export; "
            "format=html|xlsx, version): a download",
            {"format", "version"},
            {200, 400, 401, 403, 404},
            false,
            ExportRoute};
  exp.download_types = {"text/html", kXlsx};
  out->push_back(std::move(exp));
  add({"GET",
       "/api/v1/cem",
       R,
       "The seven steps of a year with the hub's evidence (= cem show --json; year), with the "
       "ETag of the year's steps",
       {"year"},
       {200, 400, 401, 403},
       false,
       CemRoute},
      CemSchema());
  add({"PATCH",
       "/api/v1/cem/{step}",
       W,
       "Change a step of a year (= cem set STEP; year): {status, owner, note, started}; answers "
       "the year's steps",
       {"year"},
       {200, 400, 401, 403, 404},
       false,
       CemPatchRoute},
      CemSchema());
}

}  // namespace cx::api
