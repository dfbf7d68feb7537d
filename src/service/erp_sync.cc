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

#include "base/output_file.h"
#include "base/sha256.h"
#include "base/text.h"
#include "io/csv/row_file.h"
#include "service/erp_syncer.h"
#include "service/rejected_file.h"

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
  CX_ASSIGN_OR_RETURN(auto file, RowFile::Open(opt.file));
  out->sha256 = file->sha256();
  out->encoding = file->encoding();
  out->delimiter = file->delimiter();
  RowSource source = [&](const RowSink& sink) { return file->ForEach(sink); };
  ErpSyncer syncer(ctx, opt, m, out);
  syncer.set_started(ctx.now());
  syncer.set_xlsx(file->is_xlsx());
  if (!file->is_xlsx()) syncer.Reserve(size_t(file->size_bytes() / 80));
  // The rows rejected go to FILE.rejected.csv, written before the commit (rejected_file.h).
  RejectedFile rejected(opt.file, opt.force);
  const HubLoad load{std::string("erp-sync ") + ErpKindName(opt.kind) + " " + opt.file, ctx.actor};
  Status st = ctx.store->BulkTransaction(load, [&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(syncer.Run(source, plan_of, tx));
    if (out->rejected.empty()) return Status::Ok();
    return rejected.Write(syncer.header(),
                          RejectedRecords(syncer.rejected_records(), out->rejected));
  });
  if (opt.dry_run && st.code() == Code::kInternal && st.message() == kDryRunMarker) {
    out->sync_seq = 0;
    return Status::Ok();
  }
  if (!st.ok()) {
    out->sync_seq = 0;
    return st;  // the rejected rows, not put in place, are removed with their temporary file
  }
  out->applied = true;
  Status c = rejected.Finish(&out->rejected_file, &out->removed_rejected_file, &out->warnings);
  if (!c.ok()) {
    return Internal("sync " + std::to_string(out->sync_seq) +
                    " is recorded, but its rejected rows could not be written: " + c.message());
  }
  return Status::Ok();
}

Result<std::vector<ErpSyncRecord>> ErpSyncHistory(const Context& ctx, int limit) {
  std::vector<ErpSyncRecord> out;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListErpSyncs(limit));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
