// `feedback import`: a survey tool's export (CSV in the ERP sync's encodings, or .xlsx) read
// with the ERP sync's reader, its error rules (a bad row refuses the file unless --partial) and
// its rejected-rows file.
#include "service/feedback_service.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <unordered_set>

#include "base/output_file.h"
#include "base/text.h"
#include "io/csv/row_file.h"
#include "io/erp/erp_mapping.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/rejected_file.h"
#include "service/user_service.h"

namespace cx {
namespace {

// The fields of a feedback row and the column each is read from by default (the workbook's
// Feedback sheet).
const std::vector<std::pair<std::string, std::string>>& DefaultColumns() {
  static const std::vector<std::pair<std::string, std::string>> kColumns = {
      {"id", "Feedback ID"},
      {"date", "Date"},
      {"account", "Account ID"},
      {"contact", "Contact ID"},
      {"division", "Division"},
      {"kind", "Kind"},
      {"score", "Score"},
      {"stage", "Stage"},
      {"platform", "Platform"},
      {"comment", "Comment"},
      {"touchpoint", "Touchpoint ID"},
      {"source", "Source"}};
  return kColumns;
}

struct FeedbackMapping {
  std::string source = "default columns";
  std::map<std::string, std::string> columns;  // field → column name
  std::string date_format;
  std::string kind, touchpoint, division;  // defaults for rows whose cell is blank or missing
};

Result<FeedbackMapping> LoadMapping(const std::string& path) {
  FeedbackMapping m;
  for (const auto& [f, c] : DefaultColumns()) m.columns[f] = c;
  if (path.empty()) return m;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Invalid("--map " + path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  m.source = path;
  toml::table root;
  try {
    root = toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    return Invalid(path + ": not valid TOML: " + std::string(e.description()));
  }
  Status st = Invalid(path + ": the mapping is not valid");
  const toml::table* t = root["feedback"].as_table();
  if (!t) return Invalid(path + ": the mapping has no [feedback] table");
  for (const auto& [k, v] : *root.as_table()) {
    if (k.str() != "feedback") st.AddDetail("unknown table [" + std::string(k.str()) + "]");
  }
  for (const auto& [k, v] : *t) {
    const std::string key(k.str());
    const auto* s = v.as_string();
    if (!s) {
      st.AddDetail("feedback." + key + ": must be text");
      continue;
    }
    const std::string val = s->get();
    if (key == "date_format") {
      Status f = CheckErpDateFormat(val);
      if (!f.ok()) st.AddDetail("feedback.date_format: " + f.message());
      m.date_format = val;
    } else if (key == "default_kind") {
      m.kind = val;
    } else if (key == "default_touchpoint") {
      m.touchpoint = val;
    } else if (key == "default_division") {
      m.division = val;
    } else if (m.columns.count(key)) {
      m.columns[key] = val;
    } else {
      std::string known;
      for (const auto& [f, c] : DefaultColumns()) known += (known.empty() ? "" : ", ") + f;
      st.AddDetail("feedback." + key + ": not a field (" + known +
                   ", date_format, default_kind, default_touchpoint, default_division)");
    }
  }
  if (!st.details().empty()) return st;
  return m;
}

// A row's feedback, or the reasons it cannot be one.
struct Parsed {
  Feedback f;
  std::vector<std::string> problems;
};

class FeedbackImporter {
 public:
  FeedbackImporter(const Context& ctx, const FeedbackImportOptions& opt, const FeedbackMapping& m,
                   const JourneyConfig& journeys, FeedbackImportSummary* out)
      : ctx_(ctx), opt_(opt), m_(m), journeys_(journeys), out_(out) {}

  Status Header(const CsvRecord& rec) {
    header_ = rec.fields;
    std::map<std::string, int> by_name;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      const std::string h = AsciiLower(Trim(rec.fields[i]));
      if (!h.empty()) by_name.emplace(h, int(i));
    }
    for (const auto& [field, column] : m_.columns) {
      auto it = by_name.find(AsciiLower(Trim(column)));
      if (it != by_name.end()) col_[field] = it->second;
    }
    std::vector<std::string> missing;
    if (!col_.count("score")) missing.push_back(m_.columns.at("score"));
    if (!col_.count("date")) missing.push_back(m_.columns.at("date"));
    if (!col_.count("kind") && m_.kind.empty()) missing.push_back(m_.columns.at("kind"));
    if (!missing.empty()) {
      std::string names;
      for (const auto& n : missing) names += (names.empty() ? "'" : ", '") + n + "'";
      return Invalid(opt_.file + ": the export lacks the required column(s) " + names +
                     " (mapping: " + m_.source + ")");
    }
    return Status::Ok();
  }

  std::string Cell(const CsvRecord& rec, const std::string& field) const {
    auto it = col_.find(field);
    if (it == col_.end() || size_t(it->second) >= rec.fields.size()) return "";
    return Trim(rec.fields[size_t(it->second)]);
  }

  Status Row(Tx& tx, const CsvRecord& rec) {
    ++out_->rows;
    Parsed p;
    Feedback& f = p.f;
    f.id = Cell(rec, "id");
    f.account_id = Cell(rec, "account");
    f.contact_id = Cell(rec, "contact");
    f.division = Cell(rec, "division");
    if (f.division.empty()) f.division = m_.division;
    f.kind = Cell(rec, "kind");
    if (f.kind.empty()) f.kind = m_.kind;
    f.stage = Cell(rec, "stage");
    f.platform = Cell(rec, "platform");
    f.comment = Cell(rec, "comment");
    f.touchpoint = Cell(rec, "touchpoint");
    if (f.touchpoint.empty()) f.touchpoint = m_.touchpoint;
    f.source = Cell(rec, "source");
    if (f.source.empty()) f.source = "import";
    const std::string date = Cell(rec, "date");
    if (date.empty()) {
      p.problems.push_back("Date is empty");
    } else {
      auto t = ParseErpTime(date, m_.date_format, ctx_.zone);
      if (t.ok()) {
        f.date = *t;
      } else {
        p.problems.push_back("Date: " + t.status().message());
      }
    }
    const std::string score = Cell(rec, "score");
    if (score.empty()) {
      p.problems.push_back("Score is empty");
    } else {
      auto v = ParseErpAmount(
          score, score.find(',') != std::string::npos && score.find('.') == std::string::npos);
      if (v.ok()) {
        f.score = *v;
      } else {
        p.problems.push_back("Score: '" + score + "' is not a number");
      }
    }
    if (!f.id.empty() && !seen_.insert(f.id).second)
      p.problems.push_back("Feedback ID " + f.id + " appears on an earlier line");
    if (p.problems.empty()) {
      Status st = CheckFeedback(tx, journeys_, &f);
      if (!st.ok() && st.code() != Code::kInvalid) return st;
      for (const auto& d : st.details()) p.problems.push_back(d);
    }
    std::optional<Feedback> old;
    if (p.problems.empty() && !f.id.empty()) {
      CX_ASSIGN_OR_RETURN(old, tx.GetFeedback(f.id));
      if (old && FieldsOf(*old) != FieldsOf(f)) {
        p.problems.push_back("Feedback ID " + f.id + " is stored already with other values");
      }
    }
    if (!p.problems.empty()) {
      std::string reason;
      for (const auto& s : p.problems) reason += (reason.empty() ? "" : "; ") + s;
      out_->rejected.push_back({rec.line, reason});
      rejected_records_.push_back(rec);
      return Status::Ok();
    }
    if (old) {
      ++out_->unchanged;
      return Status::Ok();
    }
    if (f.id.empty()) {
      CX_ASSIGN_OR_RETURN(f.id, tx.NextId("F"));
    }
    CX_RETURN_IF_ERROR(tx.InsertFeedback(f));
    CX_RETURN_IF_ERROR(AuditBulkCreate(tx, ctx_, "feedback", f.id, reason_));
    ++out_->created;
    return Status::Ok();
  }

  void set_reason(std::string r) { reason_ = std::move(r); }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRecord>& rejected_records() const { return rejected_records_; }

 private:
  const Context& ctx_;
  const FeedbackImportOptions& opt_;
  const FeedbackMapping& m_;
  const JourneyConfig& journeys_;
  FeedbackImportSummary* out_;
  std::vector<std::string> header_;
  std::map<std::string, int> col_;
  std::unordered_set<std::string> seen_;
  std::vector<CsvRecord> rejected_records_;
  std::string reason_;
};

}  // namespace

Status ImportFeedback(const Context& ctx, const FeedbackImportOptions& opt,
                      FeedbackImportSummary* out) {
  *out = FeedbackImportSummary();
  out->file = opt.file;
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  CX_ASSIGN_OR_RETURN(FeedbackMapping m, LoadMapping(opt.map_file));
  CX_ASSIGN_OR_RETURN(auto file, RowFile::Open(opt.file));
  out->encoding = file->encoding();
  FeedbackImporter imp(ctx, opt, m, cfg->journeys, out);
  imp.set_reason("feedback import " + std::filesystem::path(opt.file).filename().string());
  // As the ERP sync does, the rows rejected go to FILE.rejected.csv (rejected_file.h).
  RejectedFile rejected(opt.file, opt.force);
  bool refused = false;
  const HubLoad load{"feedback import " + opt.file, ctx.actor};
  Status st = ctx.store->BulkTransaction(load, [&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kImportFeedback));
    bool have_header = false;
    CX_RETURN_IF_ERROR(file->ForEach([&](CsvRecord& rec) -> Status {
      if (BlankRecord(rec)) return Status::Ok();
      if (!have_header) {
        have_header = true;
        return imp.Header(rec);
      }
      return imp.Row(tx, rec);
    }));
    if (!have_header) return Invalid(opt.file + ": the file has no header line");
    if (!out->rejected.empty() && !opt.partial) {
      refused = true;
      Status bad = Invalid(opt.file + ": " + std::to_string(out->rejected.size()) + " of " +
                           std::to_string(out->rows) +
                           " rows are not valid; nothing was imported (--partial imports the "
                           "good ones)");
      for (const auto& r : out->rejected)
        bad.AddDetail("line " + std::to_string(r.line) + ": " + r.reason);
      return bad;
    }
    if (opt.dry_run) return Internal("feedback import dry run: rolled back");
    if (out->rejected.empty()) return Status::Ok();
    return rejected.Write(imp.header(), RejectedRecords(imp.rejected_records(), out->rejected));
  });
  if (opt.dry_run && !refused && st.code() == Code::kInternal &&
      st.message() == "feedback import dry run: rolled back") {
    return Status::Ok();
  }
  if (!st.ok()) return st;  // the rejected rows, not put in place, go with their temporary file
  out->applied = true;
  Status c = rejected.Finish(&out->rejected_file, &out->removed_rejected_file, &out->warnings);
  if (!c.ok()) {
    return Internal("the feedback is imported, but its rejected rows could not be written: " +
                    c.message());
  }
  return Status::Ok();
}

}  // namespace cx
