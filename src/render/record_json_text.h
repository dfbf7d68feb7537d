// JSON written straight into one string, for the answers the API gives most often (the account
// view). Each text is byte for byte what dumping the nlohmann document of the same record
// (json_out.h) gives, with keys in the same (sorted) order: the contract stays that of
// docs/api.md, only the cost of building a tree of nodes and freeing it again goes.
#pragma once

#include <string>
#include <string_view>

#include "base/time.h"
#include "service/account_service.h"
#include "service/match.h"

namespace cx {

// Appends `s` to `out` as a quoted JSON string, escaped as nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) escapes it: ", \ and control characters escaped (\b \t \n \f \r,
// others as \u00xx), valid UTF-8 kept as is, invalid UTF-8 replaced by U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

// ToJson(a).dump() of json_out.h (the input of the account's ETag), with invalid UTF-8 replaced
// rather than refused.
std::string AccountJsonText(const Account& a);

// The body of GET /api/v1/accounts/{id}: the account's JSON with "contacts" (ToJson of each)
// and "interactions" (ToJson of each, times in `z`) joined. `account_json`, when given,
// receives AccountJsonText(v.account), written on the way.
std::string AccountViewJsonText(const AccountView& v, const Zone& z,
                                std::string* account_json = nullptr);

// The body of GET /api/v1/search: {"results":[ToJson(m) of each match]}, dumped as
// JsonResponse dumps it (a score as nlohmann writes a double: shortest round trip, "1.0").
std::string SearchJsonText(const std::vector<Match>& matches);

}  // namespace cx
