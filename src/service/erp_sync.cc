// ERP sync, the entry point: opens the export (CSV or .xlsx) and the mapping, runs the sync in
// one bulk transaction, and writes the rejected rows beside the file; and the ERP's ownership of
// a linked account's fields. The sync's parts: service/erp_syncer.h (docs/erp.md).
#include "service/erp_sync.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/sha256.h"
#include "base/text.h"
#include "io/xlsx/xlsx_reader.h"
#include "service/erp_syncer.h"

namespace cx {
namespace {

using erp_detail::ColumnPlan;
using erp_detail::ErpSyncer;
using erp_detail::kDryRunMarker;
using erp_detail::PlanColumns;
using erp_detail::PlanFn;
using erp_detail::RowSink;
using erp_detail::RowSource;

const std::vector<std::string> kErpOwned = {"name",  "industry", "address", "city",
                                            "phone", "email",    "status",  "erp_customer_id"};

}  // namespace

std::string* ErpOwnedField(Account& a, const std::string& f) {
  if (f == "name") return &a.name;
  if (f == "industry") return &a.industry;
  if (f == "address") return &a.address;
  if (f == "city") return &a.city;
  if (f == "phone") return &a.phone;
  if (f == "email") return &a.email;
  if (f == "status") return &a.status;
  if (f == "erp_customer_id") return &a.erp_customer_id;
  return nullptr;
}

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && AsciiLower(s.substr(s.size() - suffix.size())) == suffix;
}

// A zip archive (an .xlsx workbook under another name) starts with "PK\3\4".
bool LooksLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == std::string_view("PK\3\4", 4);
}

Status WriteRejected(const std::string& path, const std::vector<std::string>& header,
                     const std::vector<CsvRecord>& recs, const std::vector<RejectedRow>& why) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Internal("cannot write " + path + ": " + std::strerror(errno));
  std::vector<std::string> h = header;
  h.push_back("Line");
  h.push_back("Reason");
  f << CsvLine(h);
  for (size_t i = 0; i < recs.size(); ++i) {
    std::vector<std::string> row = recs[i].fields;
    row.push_back(std::to_string(why[i].line));
    row.push_back(why[i].reason);
    f << CsvLine(row);
  }
  f.close();
  if (!f) return Internal("cannot write " + path);
  return Status::Ok();
}

// The first sheet of an .xlsx export as records: the row number is the line; date
// cells become "YYYY-MM-DD HH:MM:SS" (wall clock, as the ERP wrote them).
Status XlsxRows(xlsx::Reader& book, const std::string& file, const Zone&, const RowSink& sink) {
  const std::string sheet = book.SheetNames().front();
  size_t width = 0;
  Status st =
      book.ReadSheet(sheet, [&](int64_t row, const std::vector<xlsx::Cell>& cells) -> Status {
        if (cells.empty()) return Status::Ok();
        CsvRecord rec;
        rec.line = row;
        size_t n = size_t(cells.back().col) + 1;
        rec.fields.assign(std::max(n, width), "");
        for (const auto& c : cells) {
          std::string text = c.text;
          if (c.type == xlsx::Cell::Type::kNumber && c.is_date) {
            int64_t days = 0;
            int secs = 0;
            CX_RETURN_IF_ERROR(xlsx::SerialToCivil(c.number, book.Date1904(), &days, &secs));
            char buf[32];
            Date d = CivilFromDays(days);
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                          secs / 3600, secs / 60 % 60, secs % 60);
            text = buf;
          } else if (c.type == xlsx::Cell::Type::kNumber &&
                     text.find_first_of("Ee") != std::string::npos && std::fabs(c.number) < 1e18 &&
                     c.number == std::floor(c.number)) {
            // A long number id Excel stored as "1E+17": its digits, not the exponent form.
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", c.number);
            text = buf;
          }
          rec.fields[size_t(c.col)] = text;
        }
        if (width == 0) {
          width = rec.fields.size();
        } else {
          // Trailing blank cells are absent from the sheet: pad to the header's width.
          while (rec.fields.size() > width && rec.fields.back().empty()) rec.fields.pop_back();
        }
        return sink(rec);
      });
  if (!st.ok() && st.code() == Code::kNotFound) return Invalid(file + ": " + st.message());
  return st;
}

}  // namespace

const std::vector<std::string>& ErpOwnedAccountFields() { return kErpOwned; }

Status CheckErpOwnedUnchanged(const Account& current, const Account& proposed) {
  if (current.erp_customer_id.empty()) return Status::Ok();
  Account cur = current, prop = proposed;
  Status st;
  for (const auto& f : kErpOwned) {
    if (*ErpOwnedField(cur, f) != *ErpOwnedField(prop, f)) {
      std::string m = "field " + f + " is owned by the ERP (account " + current.id +
                      " linked to ERP customer " + current.erp_customer_id + ")";
      if (st.ok()) {
        st = Conflict(m);
      } else {
        st.AddDetail(m);
      }
    }
  }
  return st;
}

std::vector<std::string> KeepErpOwned(const Account& current, Account* incoming) {
  std::vector<std::string> warnings;
  if (current.erp_customer_id.empty()) return warnings;
  Account cur = current;
  for (const auto& f : kErpOwned) {
    std::string* in = ErpOwnedField(*incoming, f);
    const std::string& erp = *ErpOwnedField(cur, f);
    if (*in != erp) {
      warnings.push_back("account " + current.id + ": " + f + " is owned by the ERP (customer " +
                         current.erp_customer_id + "): kept '" + erp + "', ignored '" + *in + "'");
      *in = erp;
    }
  }
  return warnings;
}

Status RunErpSync(const Context& ctx, const ErpSyncOptions& opt, ErpSyncSummary* out) {
  *out = ErpSyncSummary();
  out->kind = ErpKindName(opt.kind);
  out->file = opt.file;
  out->dry_run = opt.dry_run;
  if (opt.full && opt.kind != ErpKind::kCustomers) {
    return Invalid(
        "--full applies to customers exports only (orders are never flagged as missing)");
  }
  ErpMapping mapping;
  if (opt.map_file.empty()) {
    CX_ASSIGN_OR_RETURN(mapping, DefaultErpMapping());
  } else {
    CX_ASSIGN_OR_RETURN(mapping, LoadErpMapping(opt.map_file));
  }
  const ErpKindMapping& m = mapping.Of(opt.kind);
  if (!m.present) {
    return Invalid(mapping.source + ": the mapping has no [" + std::string(ErpKindName(opt.kind)) +
                   "] table, which a " + ErpKindName(opt.kind) + " export needs");
  }
  PlanFn plan_of = [&](const CsvRecord& header) -> Result<ColumnPlan> {
    for (const auto& h : header.fields) {
      if (h.find('\0') != std::string::npos) {
        return Invalid(opt.file + ": line " + std::to_string(header.line) +
                       ": the header holds a NUL byte (0x00): the file is damaged or not text");
      }
    }
    return PlanColumns(header.fields, header.line, opt.kind, m, opt.file, mapping.source);
  };
  RowSource source;
  std::unique_ptr<CsvReader> reader;
  std::unique_ptr<xlsx::Reader> book;
  if (EndsWith(opt.file, ".xlsx") || LooksLikeZip(opt.file)) {
    CX_ASSIGN_OR_RETURN(out->sha256, FileSha256(opt.file));
    CX_ASSIGN_OR_RETURN(book, xlsx::Reader::Open(opt.file));
    if (book->SheetNames().empty()) return Invalid(opt.file + ": the workbook has no sheet");
    out->encoding = "xlsx";
    source = [&](const RowSink& sink) { return XlsxRows(*book, opt.file, ctx.zone, sink); };
  } else {
    CX_ASSIGN_OR_RETURN(reader, CsvReader::Open(opt.file));
    out->sha256 = reader->sha256();
    out->encoding = reader->encoding();
    out->delimiter = reader->delimiter();
    source = [&](const RowSink& sink) -> Status {
      CsvRecord rec;
      while (true) {
        CX_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
        if (!more) return Status::Ok();
        CX_RETURN_IF_ERROR(sink(rec));
      }
    };
  }
  ErpSyncer syncer(ctx, opt, m, out);
  syncer.set_started(ctx.now());
  syncer.set_xlsx(book != nullptr);
  if (reader) syncer.Reserve(size_t(reader->size_bytes() / 80));
  // The rejected rows are written (beside, under a temporary name) before the commit, so that
  // a file that cannot be written leaves the hub as it was; the commit then only renames it.
  const std::string rejected_path = opt.file + ".rejected.csv";
  const std::string rejected_tmp = rejected_path + ".tmp";
  std::error_code ec;
  bool wrote_tmp = false;  // only what this run wrote is removed
  Status st = ctx.store->BulkTransaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(syncer.Run(source, plan_of, tx));
    if (out->rejected.empty()) return Status::Ok();
    if (std::filesystem::is_directory(rejected_path, ec)) {
      return Internal("cannot write the rejected rows to " + rejected_path +
                      ": it is a directory; nothing was written");
    }
    if (std::filesystem::exists(rejected_tmp, ec)) {
      return Internal("cannot write the rejected rows: " + rejected_tmp +
                      " is in the way; nothing was written");
    }
    wrote_tmp = true;
    Status w =
        WriteRejected(rejected_tmp, syncer.header(), syncer.rejected_records(), out->rejected);
    if (!w.ok()) return Internal(w.message() + "; nothing was written");
    return Status::Ok();
  });
  if (opt.dry_run && st.code() == Code::kInternal && st.message() == kDryRunMarker) {
    out->sync_seq = 0;
    return Status::Ok();
  }
  if (!st.ok()) {
    if (wrote_tmp) std::filesystem::remove(rejected_tmp, ec);
    out->sync_seq = 0;
    return st;
  }
  out->applied = true;
  if (!out->rejected.empty()) {
    out->rejected_file = rejected_path;
    std::filesystem::rename(rejected_tmp, rejected_path, ec);
    if (ec) {
      return Internal("sync " + std::to_string(out->sync_seq) +
                      " is recorded, but its rejected rows " + "stay in " + rejected_tmp +
                      ": cannot rename it to " + rejected_path + ": " + ec.message());
    }
  } else if (std::filesystem::exists(rejected_path, ec)) {
    // An earlier run's rejected rows beside the file would read as this run's.
    if (std::filesystem::is_regular_file(rejected_path, ec) &&
        std::filesystem::remove(rejected_path, ec)) {
      out->removed_rejected_file = rejected_path;
    } else {
      out->warnings.push_back(rejected_path + " is not this run's (it rejected nothing), but it " +
                              "could not be removed" + (ec ? ": " + ec.message() : std::string()));
    }
  }
  return Status::Ok();
}

Result<std::vector<ErpSyncRecord>> ErpSyncHistory(const Context& ctx, int limit) {
  std::vector<ErpSyncRecord> out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListErpSyncs(limit));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
