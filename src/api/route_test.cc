// Tests for the route table's use of the rules table and the Status → HTTP mapping.
#include "api/route.h"

#include <gtest/gtest.h>

#include <set>

#include "api/api_error.h"

namespace cx::api {
namespace {

TEST(RouteTableTest, EveryRouteIsUniqueAndSignedInButTheFewPublicOnes) {
  std::set<std::string> seen;
  std::set<std::string> open;
  for (const auto& r : Routes()) {
    EXPECT_TRUE(seen.insert(r.method + " " + r.pattern).second) << r.method << " " << r.pattern;
    if (!r.op) open.insert(r.method + " " + r.pattern);
    if (r.method == "POST" && r.op) {
      EXPECT_TRUE(r.idempotency_key) << r.pattern;
    }
  }
  // The public routes (docs/api.md): health, the document, logging in.
  for (const auto& o : open) {
    EXPECT_TRUE(o == "GET /healthz" || o == "GET /api/v1/openapi.json" ||
                o == "POST /api/v1/session")
        << o;
  }
}

TEST(RouteTableTest, TheErpRoleReachesOnlySyncAndSignIn) {
  User erp;
  erp.login = "erp.job";
  erp.role = "erp";
  for (const auto& r : Routes()) {
    if (!r.op) continue;
    bool ok = Authorize(erp, *r.op).ok();
    EXPECT_EQ(ok, *r.op == Operation::kErpSync || *r.op == Operation::kSignIn)
        << r.method << " " << r.pattern;
  }
}

TEST(ApiErrorTest, StatusCodesMapInOnePlace) {
  EXPECT_EQ(FromStatus(NotFound("account A-1 does not exist")).status, 404);
  EXPECT_EQ(FromStatus(Conflict("stale")).status, 409);
  EXPECT_EQ(FromStatus(Forbidden("no")).status, 403);
  EXPECT_EQ(FromStatus(Internal("disk")).status, 500);
  Status st = Invalid("the new interaction is not valid");
  st.AddDetail("channel: 'pigeon' is not one of phone, email");
  st.AddDetail("next action: a due date needs a next action");
  HttpResponse r = FromStatus(st);
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "invalid");
  EXPECT_EQ(j["error"]["fields"]["channel"], "'pigeon' is not one of phone, email");
  EXPECT_EQ(j["error"]["fields"]["next_action"], "a due date needs a next action");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("pigeon"), std::string::npos);
}

}  // namespace
}  // namespace cx::api
