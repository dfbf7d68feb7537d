// PostgreSQL Tx: small named values (setting_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::optional<std::string>> PgTx::GetSetting(const std::string& key) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query("SELECT value FROM settings WHERE key = $1", pg::Params().Add(key)));
  if (!r.Next()) return std::optional<std::string>();
  return std::optional<std::string>(r.Text(0));
}

Status PgTx::SetSetting(const std::string& key, const std::string& value) {
  return db_
      ->Exec(
          "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET "
          "value = excluded.value",
          pg::Params().Add(key).Add(value))
      .status();
}

}  // namespace cx
