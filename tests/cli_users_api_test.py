"""HTTP API scenarios of the Admin screen's user routes (docs/api.md, docs/web.md): the roles
table (GET /api/v1/roles) equal to the rules every route applies, one user read with its ETag
and changed with PATCH (428 without If-Match, 412 when stale, nothing written either way), a
role change that changes the user's rights in the same session, the audit of it, refusals named
by field (an unknown role or division, the only admin's role), and a KPI target's problems named
by the request's fields. Every role against every new route (403 with the database unchanged);
every answer checked against the OpenAPI document. One small hub, one server.
usage: cli_users_api_test.py PATH/TO/cxhub"""
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_api_test as base  # noqa: E402
from cli_api_test import Server, Session, make_hub  # noqa: E402
from clihub import check  # noqa: E402

HUB = None
SRV = None
CALLERS = {}


def setup():
    global HUB, SRV
    HUB = base.HUB = make_hub()  # token_for makes tokens on base.HUB
    SRV = Server(HUB)
    SRV.req("GET", "/api/v1/openapi.json")  # from here on every answer is checked against it
    CALLERS.update(base.role_callers(SRV))


def snapshot():
    rows = HUB.sql_many([("SELECT login, name, role, division, away, password_hash FROM users ORDER BY login", ()),
                         ("SELECT COUNT(*) FROM audit", ())])
    return rows


def route_cases(role):
    """(rule, method, documented path, concrete path, body, "etag:PATH" or None) for every new route
    (base.check_every_role)."""
    return [
        ("signed_in", "GET", "/api/v1/roles", "/api/v1/roles", None, None),
        ("users", "GET", "/api/v1/users/{login}", "/api/v1/users/sia.service", None, None),
        ("users", "PATCH", "/api/v1/users/{login}", "/api/v1/users/sia.service",
         {"name": f"Sia Service {role} {uuid.uuid4().hex[:4]}"}, "etag:/api/v1/users/sia.service"),
    ]


SIGNED_IN = {"sales", "service", "steward", "manager", "admin", "erp"}
RULES = {"signed_in": SIGNED_IN, "users": {"admin"}}
ROUTES = {(m, p) for _, m, p, *_ in route_cases("admin")}  # cli_api_routes_test leaves these to us


def test_every_role_against_every_route():
    base.check_every_role(CALLERS, route_cases, RULES, ROUTES, snapshot)


def test_roles_are_the_rules_table():
    st, _, j = CALLERS["sales"]("GET", "/api/v1/roles")
    check(st == 200, "GET /api/v1/roles", (st, j))
    roles = {r["role"]: r for r in j["roles"]}
    check(sorted(roles) == sorted(["sales", "service", "steward", "manager", "admin", "erp"]),
          "every role is listed", sorted(roles))
    check(roles["admin"]["may"].get("manage users") == "all" and "manage users" not in roles["manager"]["may"],
          "admins manage users, managers do not", (roles["admin"]["may"], roles["manager"]["may"]))
    check(roles["manager"]["may"].get("set KPI targets") == "all" and "set KPI targets" not in roles["admin"]["may"],
          "managers set KPI targets (as POST /api/v1/kpi/targets lets them)", roles["manager"]["may"])
    check(roles["steward"]["division_bound"] and roles["steward"]["may"].get("merge duplicates") == "own divisions"
          and not roles["sales"]["division_bound"], "a steward's rights are bound to their division", roles["steward"])
    check("Motors" in j["divisions"] and "Medical" in j["divisions"], "the divisions are listed", j["divisions"])
    # What the table says is what the routes do: a manager may set a target, an admin may not.
    st_m, _, _ = CALLERS["manager"]("POST", "/api/v1/kpi/targets", {"key": "nps", "value": 40})
    st_a, _, _ = CALLERS["admin"]("POST", "/api/v1/kpi/targets", {"key": "nps", "value": 41})
    check(st_m == 200 and st_a == 403, "the routes apply the table the page is shown (manager 200, admin 403)",
          (st_m, st_a))


def test_patch_needs_a_fresh_etag():
    admin = CALLERS["admin"]
    st, h, j = admin("GET", "/api/v1/users/sam.sales")
    check(st == 200 and j["role"] == "sales" and j["division"] == "Motors" and j["disabled"] is False
          and "password" not in j and "password_hash" not in j and h.get("etag"),
          "GET /api/v1/users/{login}: the user with their ETag, no password", (st, j, h.get("etag")))
    tag = h["etag"]
    before = snapshot()
    st, _, j = admin("PATCH", "/api/v1/users/sam.sales", {"division": "Medical"})
    check(st == 428 and snapshot() == before, "PATCH without If-Match is 428, nothing written", (st, j))
    st, h2, j = admin("PATCH", "/api/v1/users/sam.sales", {"division": "Medical"}, {"If-Match": tag})
    check(st == 200 and j["division"] == "Medical" and h2.get("etag") not in (None, tag),
          "PATCH with the ETag changes the division and answers a new ETag", (st, j, h2.get("etag")))
    before = snapshot()
    st, _, j = admin("PATCH", "/api/v1/users/sam.sales", {"division": "GRAS"}, {"If-Match": tag})
    check(st == 412 and j["error"]["code"] == "stale" and snapshot() == before,
          "PATCH with the old ETag is 412, nothing written", (st, j))
    st, _, j = admin("PATCH", "/api/v1/users/sam.sales", {"division": "Motors"}, {"If-Match": h2["etag"]})
    check(st == 200 and j["division"] == "Motors", "the fresh ETag changes it back", (st, j))
    st, _, j = admin("GET", "/api/v1/users/nobody.here")
    check(st == 404, "an unknown login is 404", (st, j))
    st, _, j = admin("PATCH", "/api/v1/users/nobody.here", {"role": "sales"}, {"If-Match": tag})
    check(st == 404, "PATCH of an unknown login is 404", (st, j))


def test_role_change_changes_rights_at_once():
    admin = CALLERS["admin"]
    seller = Session(SRV, "sam.sales")
    st, _, _ = seller.req("GET", "/api/v1/links")
    check(st == 403, "as sales, sam.sales may not work the ERP queue", st)
    _, h, _ = admin("GET", "/api/v1/users/sam.sales")
    st, h, j = admin("PATCH", "/api/v1/users/sam.sales", {"role": "steward"}, {"If-Match": h["etag"]})
    check(st == 200 and j["role"] == "steward", "an admin makes sam.sales a steward", (st, j))
    st, _, _ = seller.req("GET", "/api/v1/links")
    check(st == 200, "the same session of sam.sales now works the ERP queue", st)
    st, _, j = admin("GET", "/api/v1/audit?entity_id=sam.sales")
    entries = j["entries"] if st == 200 else []
    check(any(e["field"] == "role" and e["before"] == "sales" and e["after"] == "steward" and e["actor"] == "ada.admin"
              for e in entries), "the role change is audited (who, before, after)", entries[:4])
    st, _, j = admin("PATCH", "/api/v1/users/sam.sales", {"role": "sales"}, {"If-Match": h["etag"]})
    check(st == 200 and j["role"] == "sales", "and back to sales", (st, j))
    st, _, _ = seller.req("GET", "/api/v1/links")
    check(st == 403, "as sales again, the ERP queue is refused", st)


def test_refusals_named_by_field():
    admin = CALLERS["admin"]
    _, h, _ = admin("GET", "/api/v1/users/sia.service")
    for body, field in (({"role": "wizard"}, "role"), ({"division": "Atlantis"}, "division"),
                        ({"away": "yes"}, "away"), ({"password": "new-password-1"}, "password")):
        before = snapshot()
        st, _, j = admin("PATCH", "/api/v1/users/sia.service", body, {"If-Match": h["etag"]})
        check(st == 400 and field in j["error"].get("fields", {}) and snapshot() == before,
              f"PATCH {body} is 400 naming {field}, nothing written", (st, j))
    _, h, _ = admin("GET", "/api/v1/users/ada.admin")
    before = snapshot()
    st, _, j = admin("PATCH", "/api/v1/users/ada.admin", {"role": "manager"}, {"If-Match": h["etag"]})
    check(st == 409 and "role" in j["error"]["fields"] and "only admin" in j["error"]["message"]
          and snapshot() == before, "the only admin keeps the admin role (409 naming role)", (st, j))
    # A KPI target's problems carry the request's field names (the page shows them beside them).
    mgr = CALLERS["manager"]
    for body, field in (({"key": "inquiry_to_quote", "value": 37}, "value"),
                        ({"key": "no_such_kpi", "value": 0.5}, "key"),
                        ({"key": "inquiry_to_quote", "division": "Atlantis", "value": 0.5}, "division")):
        st, _, j = mgr("POST", "/api/v1/kpi/targets", body)
        check(st == 400 and list(j["error"]["fields"]) == [field], f"POST /api/v1/kpi/targets {body}: 400 naming {field}",
              (st, j))


def test_answers_match_the_document():
    """Run last: every answer above was checked against the OpenAPI document."""
    base.answers_fit_the_document(20)


if __name__ == "__main__":
    base.run_on_one_server(setup, (test_every_role_against_every_route, test_roles_are_the_rules_table,
                                   test_patch_needs_a_fresh_etag, test_role_change_changes_rights_at_once,
                                   test_refusals_named_by_field, test_answers_match_the_document),
                           lambda: SRV)
