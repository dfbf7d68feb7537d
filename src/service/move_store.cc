// Moving a whole hub into another store: one transaction of the target, one snapshot of the
// source, every table copied in dependency order, then read back and compared before the commit.
#include "service/move_store.h"

#include <charconv>
#include <chrono>

namespace cx {

namespace {

constexpr int kBatch = 5000;  // rows per read and per append

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const CopyTable* Find(const std::vector<CopyTable>& tables, const std::string& name) {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

// Why `theirs` (the source's) cannot be copied into `ours` (the target's) as it is, or "".
std::string Mismatch(const CopyTable& ours, const CopyTable& theirs) {
  for (const auto& c : ours.columns) {
    const CopyColumn* other = nullptr;
    for (const auto& o : theirs.columns)
      if (o.name == c.name) other = &o;
    if (!other) return "column " + c.name + " is missing from the source";
    if (other->type != c.type)
      return std::string("column ") + c.name + " is " + CopyTypeName(other->type) +
             " on the source and " + CopyTypeName(c.type) + " on the target";
  }
  for (const auto& o : theirs.columns) {
    bool found = false;
    for (const auto& c : ours.columns) found = found || c.name == o.name;
    if (!found) return "column " + o.name + " is missing from the target";
  }
  return "";
}

// The count and checksum of `table` as `tx` holds it.
Result<MovedTable> Measure(Tx& tx, const CopyTable& table) {
  TableChecksum sum(table);
  CX_RETURN_IF_ERROR(tx.ReadCopyRows(table, kBatch, [&](std::vector<CopyRow>& rows) -> Status {
    sum.Add(rows);
    return Status::Ok();
  }));
  MovedTable m;
  m.table = table.name;
  m.rows = sum.rows();
  CX_ASSIGN_OR_RETURN(m.checksum, sum.Digest());
  return m;
}

}  // namespace

TableChecksum::TableChecksum(const CopyTable& table) : table_(table) {
  buf_ = table.name + "\n";
  for (const auto& c : table.columns) buf_ += c.name + ":" + CopyTypeName(c.type) + ",";
  buf_ += "\n";
}

void TableChecksum::Add(const std::vector<CopyRow>& rows) {
  for (const CopyRow& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const CopyValue& v = row[c];
      if (std::holds_alternative<int64_t>(v)) {
        buf_ += 'I' + std::to_string(std::get<int64_t>(v)) + ';';
      } else if (std::holds_alternative<double>(v)) {
        char text[64];
        auto [end, ec] = std::to_chars(text, text + sizeof text, std::get<double>(v));
        buf_ += 'R';
        buf_.append(text, ec == std::errc() ? size_t(end - text) : 0);
        buf_ += ';';
      } else if (std::holds_alternative<std::string>(v)) {
        const std::string& s = std::get<std::string>(v);
        const bool blob = c < table_.columns.size() && table_.columns[c].type == CopyType::kBlob;
        buf_ += (blob ? 'B' : 'T') + std::to_string(s.size()) + ':';
        buf_ += s;
        buf_ += ';';
      } else {
        buf_ += "N;";
      }
    }
    buf_ += '\n';
    ++rows_;
  }
  if (buf_.size() >= (size_t(1) << 20)) {
    sha_.Update(buf_.data(), buf_.size());
    buf_.clear();
  }
}

Result<std::string> TableChecksum::Digest() {
  sha_.Update(buf_.data(), buf_.size());
  buf_.clear();
  return sha_.HexDigest();
}

Result<MoveReport> MoveStore(Store& from, Store& to, const std::string& what,
                             const std::string& actor, const MoveProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  MoveReport report;
  CX_RETURN_IF_ERROR(to.Migrate());
  CX_ASSIGN_OR_RETURN(const int source_version, from.SchemaVersion());
  CX_ASSIGN_OR_RETURN(const int target_version, to.SchemaVersion());
  if (source_version != target_version)
    return Invalid("the target's schema is version " + std::to_string(target_version) +
                   " and the source's " + std::to_string(source_version) +
                   ": a hub moves only between stores of the same version (nothing was written)");
  report.schema_version = source_version;
  auto refuse_held = [](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(std::optional<std::string> held, tx.FirstHeldTable());
    if (held)
      return Invalid("the target is not empty (its table " + *held +
                     " holds rows): move-store copies a hub only into a new, empty one; nothing "
                     "was written");
    return Status::Ok();
  };
  // Refused before the target's write lock is taken, and again under it.
  CX_RETURN_IF_ERROR(to.Read(refuse_held));
  HubLoad load;
  load.what = what;
  load.by = actor;
  Status st = to.BulkTransaction(load, [&](Tx& out) -> Status {
    report.tables.clear();
    report.rows = 0;
    CX_RETURN_IF_ERROR(refuse_held(out));
    CX_ASSIGN_OR_RETURN(const std::vector<CopyTable> tables, out.CopyTables());
    return from.Read([&](Tx& in) -> Status {
      CX_ASSIGN_OR_RETURN(const std::vector<CopyTable> theirs, in.CopyTables());
      // Every table of the source needs its like in the target (nothing may be left behind).
      for (const auto& t : theirs) {
        const CopyTable* ours = Find(tables, t.name);
        if (!ours) {
          CX_ASSIGN_OR_RETURN(MovedTable held, Measure(in, t));
          if (held.rows > 0)
            return Invalid("table " + t.name + " of the source (" + std::to_string(held.rows) +
                           " rows) has no like in the target; nothing was written");
          continue;
        }
        if (std::string why = Mismatch(*ours, t); !why.empty())
          return Invalid("table " + t.name + " cannot be copied as it is: " + why +
                         "; nothing was written");
      }
      CX_ASSIGN_OR_RETURN(const auto serials, in.CopySerials());
      CX_RETURN_IF_ERROR(out.BeginCopy());
      for (const CopyTable& t : tables) {
        if (!Find(theirs, t.name)) continue;  // new in the target's schema: nothing to copy
        const auto table_start = std::chrono::steady_clock::now();
        TableChecksum sum(t);
        CX_RETURN_IF_ERROR(in.ReadCopyRows(t, kBatch, [&](std::vector<CopyRow>& rows) -> Status {
          sum.Add(rows);
          return out.AppendCopyRows(t, rows);
        }));
        MovedTable m;
        m.table = t.name;
        m.rows = sum.rows();
        CX_ASSIGN_OR_RETURN(m.checksum, sum.Digest());
        m.seconds = Since(table_start);
        report.rows += m.rows;
        if (progress) progress("copied", m);
        report.tables.push_back(std::move(m));
      }
      // The check, before the commit: each table read back from the target, as the target
      // holds it, counted and summed the same way.
      for (const MovedTable& m : report.tables) {
        CX_ASSIGN_OR_RETURN(MovedTable back, Measure(out, *Find(tables, m.table)));
        if (back.rows != m.rows)
          return Internal("the check of the copy failed: table " + m.table + " has " +
                          std::to_string(m.rows) + " rows on the source and " +
                          std::to_string(back.rows) + " on the target; nothing was written");
        if (back.checksum != m.checksum)
          return Internal("the check of the copy failed: table " + m.table +
                          " holds other values on the target than on the source (checksum " +
                          back.checksum.substr(0, 16) + " against " + m.checksum.substr(0, 16) +
                          "); nothing was written");
        if (progress) progress("verified", back);
      }
      return out.FinishCopy(serials);
    });
  });
  CX_RETURN_IF_ERROR(st);
  report.seconds = Since(start);
  return report;
}

}  // namespace cx
