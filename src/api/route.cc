// The route table and the input helpers of handlers.
#include "api/route.h"

#include "api/api_error.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cx::api {

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(char(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseUrlEncoded(std::string_view text, std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view part = text.substr(0, amp);
    size_t eq = part.find('=');
    std::string k, v;
    if (!PercentDecode(part.substr(0, eq), true, &k) ||
        !PercentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true, &v)) {
      return false;
    }
    if (!k.empty()) out->emplace_back(std::move(k), std::move(v));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return true;
}

bool ReadJsonObject(const Call& c, nlohmann::json* out, HttpResponse* err) {
  try {
    *out = nlohmann::json::parse(c.req.body);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message names the byte and what it expected ("syntax error while parsing
    // object - unexpected end of input; expected string literal").
    std::string what = e.what();
    auto pos = what.find("] ");
    *err = ErrorResponse(
        400, "bad_json",
        "the body is not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
    return false;
  }
  if (!out->is_object()) {
    *err = ErrorResponse(400, "bad_json", "the body must be a JSON object");
    return false;
  }
  return true;
}

FieldReader::FieldReader(const nlohmann::json& body, std::initializer_list<const char*> known)
    : body_(body) {
  for (const auto& [k, v] : body.items()) {
    bool ok = false;
    for (const char* name : known) ok = ok || k == name;
    if (!ok) problems_[k] = "is not a field of this request";
  }
}

std::optional<std::string> FieldReader::Text(const char* name, bool required) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) problems_[name] = "is required";
    return std::nullopt;
  }
  if (!it->is_string()) {
    problems_[name] = "must be a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<bool> FieldReader::Bool(const char* name) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    problems_[name] = "must be true or false";
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<double> FieldReader::Number(const char* name) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    problems_[name] = "must be a number";
    return std::nullopt;
  }
  return it->get<double>();
}

std::optional<std::vector<std::string>> FieldReader::TextList(const char* name) {
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) return std::nullopt;
  std::vector<std::string> out;
  bool ok = it->is_array();
  if (ok) {
    for (const auto& v : *it) {
      if (!v.is_string()) ok = false;
      if (ok) out.push_back(v.get<std::string>());
    }
  }
  if (!ok) {
    problems_[name] = "must be a list of strings";
    return std::nullopt;
  }
  return out;
}

HttpResponse FieldReader::Error() const {
  std::string msg = "the request has bad fields:";
  for (const auto& [k, v] : problems_.items()) msg += " " + k + " " + v.get<std::string>() + ";";
  msg.pop_back();
  return ErrorResponse(400, "invalid", msg, problems_);
}

bool QueryInt(const Call& c, const char* name, int fallback, int max, int* out, HttpResponse* err) {
  auto it = c.query.find(name);
  if (it == c.query.end() || it->second.empty()) {
    *out = fallback;
    return true;
  }
  long long v = 0;
  bool digits = it->second.size() <= 9;
  for (char ch : it->second) {
    if (ch < '0' || ch > '9') digits = false;
    if (digits) v = v * 10 + (ch - '0');
  }
  if (!digits || v < 1 || v > max) {
    std::string msg = "must be a whole number from 1 to " + std::to_string(max);
    *err = ErrorResponse(400, "invalid", std::string(name) + ": " + msg, {{name, msg}});
    return false;
  }
  *out = int(v);
  return true;
}

}  // namespace cx::api

namespace cx::api {

std::string QueryText(const Call& c, const char* name) {
  auto it = c.query.find(name);
  return it == c.query.end() ? std::string() : it->second;
}

bool QueryFlag(const Call& c, const char* name, bool* out, HttpResponse* err) {
  std::string v = QueryText(c, name);
  if (v.empty() || v == "false" || v == "true") {
    *out = v == "true";
    return true;
  }
  *err = ErrorResponse(400, "invalid", std::string(name) + ": must be true or false",
                       {{name, "must be true or false"}});
  return false;
}

// A cursor is "o" and the offset in decimal: opaque to clients (docs/api.md says so), so a
// keyset cursor can replace it without changing the API.
bool ReadPage(const Call& c, Page* page, HttpResponse* err) {
  if (!QueryInt(c, "limit", kPageSize, kMaxPageSize, &page->limit, err)) return false;
  std::string cur = QueryText(c, "cursor");
  page->offset = 0;
  if (cur.empty()) return true;
  bool ok = cur.size() > 1 && cur.size() <= 10 && cur[0] == 'o';
  int64_t v = 0;
  for (size_t i = 1; ok && i < cur.size(); ++i) {
    if (cur[i] < '0' || cur[i] > '9') ok = false;
    v = v * 10 + (cur[i] - '0');
  }
  if (!ok || v > 1000000000) {
    *err = ErrorResponse(400, "invalid", "cursor: is not a cursor this server gave",
                         {{"cursor", "is not a cursor this server gave"}});
    return false;
  }
  page->offset = int(v);
  return true;
}

HttpResponse PageResponse(const Page& page, nlohmann::json items) {
  nlohmann::json next = nullptr;
  if (items.size() > size_t(page.limit)) {
    items.erase(items.begin() + page.limit, items.end());
    next = "o" + std::to_string(page.offset + page.limit);
  }
  return JsonResponse(200, {{"items", std::move(items)}, {"next_cursor", next}});
}

std::optional<HttpResponse> Refused(const Call& c, Operation op,
                                    std::vector<std::string> divisions) {
  Status st = Authorize(c.user, op, divisions);
  if (st.ok()) return std::nullopt;
  return ErrorResponse(403, "forbidden", st.message());
}

HttpResponse FromStatusRenamed(
    const Status& st,
    std::initializer_list<std::pair<std::string_view, std::string_view>> renames) {
  HttpResponse r = FromStatus(st);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return r;
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [k, v] : j["error"]["fields"].items()) {
    std::string name = k;
    while (!name.empty() && name.front() == '-') name.erase(0, 1);
    for (const auto& [from, to] : renames) {
      if (name == from) name = std::string(to);
    }
    if (!fields.contains(name)) fields[name] = v;
  }
  j["error"]["fields"] = std::move(fields);
  return JsonResponse(r.status, j);
}

}  // namespace cx::api

namespace cx::api {

namespace {

// The value of `key` in a header's parameters ("multipart/form-data; boundary=xyz").
std::string HeaderParam(std::string_view h, std::string_view key) {
  size_t p = 0;
  while ((p = h.find(key, p)) != std::string_view::npos) {
    bool starts = p == 0 || h[p - 1] == ';' || h[p - 1] == ' ';
    size_t eq = p + key.size();
    if (starts && eq < h.size() && h[eq] == '=') {
      std::string_view v = h.substr(eq + 1);
      if (!v.empty() && v.front() == '"') {
        v.remove_prefix(1);
        return std::string(v.substr(0, v.find('"')));
      }
      return std::string(v.substr(0, v.find(';')));
    }
    p = eq;
  }
  return "";
}

}  // namespace

bool ReadForm(const Call& c, std::initializer_list<const char*> known,
              std::map<std::string, FormPart>* out, HttpResponse* err) {
  const std::string* ct = c.req.Header("content-type");
  std::string boundary = ct ? HeaderParam(*ct, "boundary") : "";
  if (!ct || ct->rfind("multipart/form-data", 0) != 0 || boundary.empty()) {
    *err = ErrorResponse(400, "invalid",
                         "the body must be multipart/form-data (a form with the file)");
    return false;
  }
  const std::string& b = c.req.body;
  const std::string delim = "--" + boundary;
  size_t pos = b.find(delim);
  nlohmann::json problems = nlohmann::json::object();
  bool closed = false;
  while (pos != std::string::npos) {
    pos += delim.size();
    if (b.compare(pos, 2, "--") == 0) {
      closed = true;
      break;
    }
    if (b.compare(pos, 2, "\r\n") != 0) break;
    pos += 2;
    size_t head_end = b.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) break;
    std::string_view head(b.data() + pos, head_end - pos);
    size_t data_start = head_end + 4;
    size_t next = b.find("\r\n" + delim, data_start);
    if (next == std::string::npos) break;
    std::string name, filename;
    size_t line = 0;
    while (line < head.size()) {
      size_t eol = head.find("\r\n", line);
      if (eol == std::string_view::npos) eol = head.size();
      std::string_view h = head.substr(line, eol - line);
      std::string lower(h.substr(0, h.find(':')));
      for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      if (lower == "content-disposition") {
        name = HeaderParam(h, "name");
        filename = HeaderParam(h, "filename");
      }
      line = eol + 2;
    }
    bool ok = false;
    for (const char* k : known) ok = ok || name == k;
    if (!ok) {
      problems[name.empty() ? "(unnamed)" : name] = "is not a field of this form";
    } else {
      (*out)[name] = FormPart{filename, b.substr(data_start, next - data_start)};
    }
    pos = next + 2;
  }
  if (!closed) {
    *err = ErrorResponse(400, "invalid", "the multipart body is cut short or malformed");
    return false;
  }
  if (!problems.empty()) {
    std::string msg = "the form has unknown fields:";
    for (const auto& [k, v] : problems.items()) msg += " " + k;
    *err = ErrorResponse(400, "invalid", msg, problems);
    return false;
  }
  return true;
}

HttpResponse DownloadFile(const std::string& path, const std::string& type,
                          const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  if (!in) return FromStatus(Internal("cannot read back " + name));
  HttpResponse r;
  r.status = 200;
  r.content_type = type;
  r.body = data.str();
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "cxhub-upload.XXXXXX").string();
  if (mkdtemp(tmpl.data())) path_ = tmpl;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& data) {
  if (path_.empty()) return "";
  std::string base =
      name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string clean;
  for (char ch : base) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_')
      clean.push_back(ch);
  }
  if (clean.empty() || clean.front() == '.') clean = "upload" + clean;
  std::string p = path_ + "/" + clean;
  std::ofstream f(p, std::ios::binary);
  f.write(data.data(), std::streamsize(data.size()));
  f.close();
  return f ? p : "";
}

}  // namespace cx::api
