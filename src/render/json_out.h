// JSON shapes of the records, shared by every command's --json output.
#pragma once

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "service/match.h"
#include "store/store.h"

namespace cx {

nlohmann::json ToJson(const Account& a);
nlohmann::json ToJson(const Contact& c);
nlohmann::json ToJson(const Interaction& i, const Zone& z);
nlohmann::json ToJson(const Opportunity& o, const Zone& z);
nlohmann::json ToJson(const Case& c, const Zone& z);
nlohmann::json ToJson(const AuditEntry& e, const Zone& z);
// The entry as shown: times in `before`/`after` (a time field's value, or the time fields of a
// created record's JSON) written as "YYYY-MM-DDTHH:MM:SS" in the zone instead of UTC seconds.
AuditEntry ForDisplay(AuditEntry e, const Zone& z);
nlohmann::json ToJson(const MergeRecord& m, const Zone& z);
nlohmann::json ToJson(const User& u);
nlohmann::json ToJson(const Match& m);
// A time in the zone as "YYYY-MM-DDTHH:MM:SS", or null.
nlohmann::json TimeJson(const std::optional<Timestamp>& t, const Zone& z);

}  // namespace cx
