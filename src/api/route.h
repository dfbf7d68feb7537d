// The route table's vocabulary: a route (method, path pattern, operation, handler) and the
// call a handler gets, with the helpers every handler uses to read its input.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_error.h"
#include "api/server.h"
#include "domain/rules.h"
#include "service/access_service.h"
#include "service/context.h"

namespace cx::api {

// One request on its way through a handler.
struct Call {
  Call(const HttpRequest& r, Context write, Context read)
      : req(r), ctx(std::move(write)), read_ctx(std::move(read)) {}
  const HttpRequest& req;
  // Every database access of a handler goes through one of these two (api.cc makes them):
  // Reading() for a use case that only reads, Writing() for one that may write. Reading's
  // store runs its transactions in the store's read mode (api.cc ReadView).
  const Context& Reading() const { return read_ctx; }
  const Context& Writing() const { return ctx; }
  Context ctx;                                // the worker's store; actor = the caller's login
  Context read_ctx;                           // the same, through the read view
  std::optional<User> user;                   // nullopt on a public route
  bool by_cookie = false;                     // signed in by session cookie (not a token)
  std::map<std::string, std::string> params;  // {name} parts of the path
  std::map<std::string, std::string> query;   // decoded query parameters
  const AccessPolicy* policy = nullptr;
  bool secure_cookie = false;  // add Secure to cookies (served behind TLS)
  std::string client;          // the client's address (through a trusted proxy: its client's)
};

using RouteFn = std::function<HttpResponse(Call&)>;

struct Route {
  std::string method;   // GET, POST, PATCH, DELETE
  std::string pattern;  // "/api/v1/accounts/{id}"
  // The operation of the rules table (domain/rules.h) the caller's role must be allowed;
  // nullopt: no sign-in needed.
  std::optional<Operation> op;
  std::string summary;                    // one line, for the OpenAPI document
  std::vector<std::string> query_params;  // the only ones accepted (others: 400)
  std::vector<int> statuses;              // the answers it gives, for the document
  bool idempotency_key = false;           // honours Idempotency-Key (every POST does)
  RouteFn fn;
  // The JSON schema of a 2xx answer in the OpenAPI document ({"type": "object"} when null).
  nlohmann::json schema = nullptr;
  // The content types of a 2xx answer when it is not JSON (a download, an HTML page).
  std::vector<std::string> download_types = {};
  bool form = false;  // the body is multipart/form-data (an upload), not JSON
  // The content types of the request body when it is a text document, not JSON (a PUT of a
  // TOML file).
  std::vector<std::string> body_types = {};
};

// Every route of the API, in the order the OpenAPI document lists them. The table is the
// list of groups in api.cc: a new group is one file with an Add…Routes function and one line
// there.
const std::vector<Route>& Routes();
// The route groups (one file each).
void AddSessionRoutes(std::vector<Route>* out);  // session_api.cc
void AddRecordRoutes(std::vector<Route>* out);   // records_api.cc: accounts, contacts, …
void AddListRoutes(std::vector<Route>* out);     // list_api.cc: lists with cursors
void AddJourneyRoutes(std::vector<Route>* out);  // journey_api.cc: opportunities, cases, …
void AddStewardRoutes(std::vector<Route>* out);  // steward_api.cc: duplicates, merges, ERP
void AddReportRoutes(std::vector<Route>* out);   // report_api.cc: KPIs, SLA, review, workbook
void AddAdminRoutes(std::vector<Route>* out);    // admin_api.cc: users, audit
void AddUserRoutes(std::vector<Route>* out);     // users_api.cc: one user's edit, the roles
void AddMetaRoutes(std::vector<Route>* out);     // meta_api.cc: healthz, openapi.json
void AddSurveyRoutes(std::vector<Route>* out);   // survey_api.cc: the public survey page
// screens_api.cc: journeys, an account's orders and feedback, feedback measures and logging,
// survey links.
void AddScreenRoutes(std::vector<Route>* out);
// strategy_api.cc: the one-page customer strategy (read, replace, history, download) and the
// seven steps.
void AddStrategyRoutes(std::vector<Route>* out);

// touchpoint_api.cc: the touchpoint ranking (= touchpoints --json).
void AddTouchpointRoutes(std::vector<Route>* out);

// The OpenAPI 3 document of Routes().
nlohmann::json OpenApiDocument();

// The value of the cxhub_session cookie, or "".
std::string SessionCookie(const HttpRequest& req);

// Parses the request body as a JSON object. On failure returns false and sets *err to the
// 400 answer naming the problem (bad JSON with its position, not an object).
bool ReadJsonObject(const Call& c, nlohmann::json* out, HttpResponse* err);

// Reads the fields of a JSON object, collecting every problem (unknown field, wrong type,
// missing) so that one 400 names them all.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& body, std::initializer_list<const char*> known);
  // A text field; nullopt when absent (a problem when `required`) or not a string (null is
  // absent).
  std::optional<std::string> Text(const char* name, bool required = false);
  std::optional<bool> Bool(const char* name);
  // A number field (JSON number); nullopt when absent.
  std::optional<double> Number(const char* name);
  // A list of strings; nullopt when absent.
  std::optional<std::vector<std::string>> TextList(const char* name);
  bool ok() const { return problems_.empty(); }
  // The 400 answer listing every problem.
  HttpResponse Error() const;

 private:
  const nlohmann::json& body_;
  nlohmann::json problems_ = nlohmann::json::object();
};

// Percent-decoding of a URL part; '+' is a space when `plus_is_space` (a query or a form body,
// not a path). Returns false for a broken escape ("%4", "%zz").
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);
// The fields of an application/x-www-form-urlencoded text: a query string, or the body of an
// HTML form. Names and values are percent-decoded ('+' is a space), in the order given; a
// field without a name is skipped. The one decoder of both (api.cc's query parameters, the
// survey page's form). Returns false for a broken %-escape.
bool ParseUrlEncoded(std::string_view text, std::vector<std::pair<std::string, std::string>>* out);

// A positive whole number from the query (`name`), else `fallback`; above `max` or not a
// number is a problem: returns false with *err the 400 answer.
bool QueryInt(const Call& c, const char* name, int fallback, int max, int* out, HttpResponse* err);

// A query parameter's value, or "" when absent.
std::string QueryText(const Call& c, const char* name);

// A flag from the query (`name`): absent or "false" is false, "true" is true; anything else
// returns false with *err the 400 answer naming the parameter.
bool QueryFlag(const Call& c, const char* name, bool* out, HttpResponse* err);

// Pagination: `limit` (1…kMaxPageSize, default kPageSize; more is 400) and `cursor` (an opaque
// token from the previous page's next_cursor). On failure returns false with *err the 400.
constexpr int kPageSize = 50;
constexpr int kMaxPageSize = 500;
struct Page {
  int limit = kPageSize;
  int offset = 0;
};
bool ReadPage(const Call& c, Page* page, HttpResponse* err);
// The answer of a list: {"items": [...], "next_cursor": TOKEN or null}. `items` holds up to
// page.limit + 1 entries (one more than the page shows tells that a next page exists).
HttpResponse PageResponse(const Page& page, nlohmann::json items);

// The file at `path` (written by the server for this answer) as a download of `type` named
// `name`: Content-Disposition attachment, Cache-Control no-store. A file that cannot be read
// back is a 500.
HttpResponse DownloadFile(const std::string& path, const std::string& type,
                          const std::string& name);

// One part of a multipart/form-data body.
struct FormPart {
  std::string filename;  // the file name the client gave ("" for a plain field)
  std::string data;
};
// Parses a multipart/form-data body into its parts by name, refusing names not in `known`
// (400 naming them) and a body that is not multipart (400 with what was expected).
bool ReadForm(const Call& c, std::initializer_list<const char*> known,
              std::map<std::string, FormPart>* out, HttpResponse* err);

// A temporary folder for an upload, removed with everything in it when this goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  // Writes `data` to a file of the folder named like `name` (only its last part, only
  // letters, digits, '.', '-' and '_' kept) and returns its path; "" when it cannot.
  std::string Write(const std::string& name, const std::string& data);

 private:
  std::string path_;
};

// The refusal of the rules table (domain/rules.h) as an answer, or nullopt when `c.user` may
// do `op` to records of `divisions`.
std::optional<HttpResponse> Refused(const Call& c, Operation op,
                                    std::vector<std::string> divisions = {});

// A service's failure as an answer (FromStatus) whose `fields` carry the request's names: the
// services name the command line's options ("--touchpoint: …", "contact: …"), a request names
// its fields ("touchpoint", "contact_id"). Leading dashes are dropped, then `renames` maps a
// service's name to the request's.
HttpResponse FromStatusRenamed(
    const Status& st,
    std::initializer_list<std::pair<std::string_view, std::string_view>> renames = {});

// A service's answer as 200 (or `status`) JSON, else its error.
template <class T, class F>
HttpResponse Answer(const Result<T>& r, F to_json, int status = 200) {
  if (!r.ok()) return FromStatus(r.status());
  return JsonResponse(status, to_json(*r));
}

}  // namespace cx::api
