// The lists: accounts, contacts, interactions, opportunities and cases, each filtered by its
// query parameters and paged with a cursor (route.h ReadPage). A page is read as limit + 1
// records so that the answer knows whether a next page exists.
#include "api/route.h"
#include "render/json_out.h"
#include "service/account_service.h"
#include "service/interaction_service.h"

namespace cx::api {

namespace {

HttpResponse ListAccountsRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  AccountFilter f;
  f.division = QueryText(c, "division");
  f.owner = QueryText(c, "owner");
  f.type = QueryText(c, "type");
  f.erp_customer_id = QueryText(c, "erp_customer_id");
  f.limit = page.limit + 1;
  f.offset = page.offset;
  auto r = ListAccounts(c.Reading(), f);
  if (!r.ok()) return FromStatus(r.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : *r) items.push_back(ToJson(a));
  return PageResponse(page, std::move(items));
}

HttpResponse ListContactsRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  ContactFilter f;
  f.account_id = QueryText(c, "account_id");
  f.limit = page.limit + 1;
  f.offset = page.offset;
  auto r = ListContacts(c.Reading(), f);
  if (!r.ok()) return FromStatus(r.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& x : *r) items.push_back(ToJson(x));
  return PageResponse(page, std::move(items));
}

HttpResponse ListInteractionsRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  InteractionFilter f;
  f.contact_id = QueryText(c, "contact_id");
  f.account_id = QueryText(c, "account_id");
  f.opportunity_id = QueryText(c, "opportunity_id");
  f.case_id = QueryText(c, "case_id");
  const std::string sort = QueryText(c, "sort");
  if (!sort.empty() && sort != "newest" && sort != "oldest") {
    return ErrorResponse(400, "invalid", "sort: must be newest or oldest",
                         {{"sort", "must be newest or oldest"}});
  }
  f.newest_first = sort != "oldest";
  f.limit = page.limit + 1;
  f.offset = page.offset;
  auto r = ListInteractions(c.Reading(), f);
  if (!r.ok()) return FromStatus(r.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& x : *r) items.push_back(ToJson(x, c.ctx.zone));
  return PageResponse(page, std::move(items));
}

HttpResponse ListOpportunitiesRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  OpportunityFilter f;
  f.account_id = QueryText(c, "account_id");
  f.division = QueryText(c, "division");
  f.owner = QueryText(c, "owner");
  f.outcome = QueryText(c, "outcome");
  if (!f.outcome.empty() && f.outcome != "open" && f.outcome != "won" && f.outcome != "lost") {
    return ErrorResponse(400, "invalid", "outcome: must be open, won or lost",
                         {{"outcome", "must be open, won or lost"}});
  }
  f.limit = page.limit + 1;
  f.offset = page.offset;
  std::vector<Opportunity> rows;
  Status st = c.Reading().store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(rows, tx.ListOpportunities(f));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : rows) items.push_back(ToJson(o, c.ctx.zone));
  return PageResponse(page, std::move(items));
}

HttpResponse ListCasesRoute(Call& c) {
  Page page;
  HttpResponse err;
  if (!ReadPage(c, &page, &err)) return err;
  CaseFilter f;
  f.account_id = QueryText(c, "account_id");
  f.division = QueryText(c, "division");
  f.kind = QueryText(c, "kind");
  const std::string open = QueryText(c, "open");
  if (!open.empty() && open != "true" && open != "false") {
    return ErrorResponse(400, "invalid", "open: must be true or false",
                         {{"open", "must be true or false"}});
  }
  f.open_only = open == "true";
  f.limit = page.limit + 1;
  f.offset = page.offset;
  std::vector<Case> rows;
  Status st = c.Reading().store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(rows, tx.ListCases(f));
    return Status::Ok();
  });
  if (!st.ok()) return FromStatus(st);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : rows) items.push_back(ToJson(k, c.ctx.zone));
  return PageResponse(page, std::move(items));
}

// The schema of a page of records.
nlohmann::json PageSchema() {
  return {{"type", "object"},
          {"required", {"items", "next_cursor"}},
          {"additionalProperties", false},
          {"properties",
           {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"next_cursor", {{"type", {"string", "null"}}}}}}};
}

}  // namespace

void AddListRoutes(std::vector<Route>* out) {
  const std::vector<int> list = {200, 400, 401, 403};
  auto add = [&](const char* pattern, const char* summary, std::vector<std::string> params,
                 RouteFn fn) {
    params.push_back("limit");
    params.push_back("cursor");
    Route r{"GET", pattern, Operation::kReadRecords, summary, params, list, false, fn};
    r.schema = PageSchema();
    out->push_back(std::move(r));
  };
  add("/api/v1/accounts", "Accounts in id order, filtered (limit, cursor)",
      {"division", "owner", "type", "erp_customer_id"}, ListAccountsRoute);
  add("/api/v1/contacts", "Contacts in id order, of an account (limit, cursor)", {"account_id"},
      ListContactsRoute);
  add("/api/v1/interactions",
      "Interactions, newest first (sort=oldest: in the order written), filtered",
      {"contact_id", "account_id", "opportunity_id", "case_id", "sort"}, ListInteractionsRoute);
  add("/api/v1/opportunities", "Opportunities in id order, filtered",
      {"account_id", "division", "owner", "outcome"}, ListOpportunitiesRoute);
  add("/api/v1/cases", "Cases in id order, filtered (open=true: only open ones)",
      {"account_id", "division", "kind", "open"}, ListCasesRoute);
}

}  // namespace cx::api
