"""HTTP API scenarios for the routes beyond signing in (docs/api.md): every role against every
route of the OpenAPI document (allowed, or refused with the database unchanged), lists with
cursors, contact ETags, the journey (stage moves, checklist, override, win, lose), cases, merges
and undo, ERP sync upload, the workbook and review downloads, users, audit, my queue, reports
equal to the command line's --json, and Secure cookies behind TLS. Every answer is checked
against the OpenAPI document (cli_api_test.Document).
usage: cli_api_routes_test.py PATH/TO/cxhub"""
import io
import json
import os
import sys
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_api_test as base  # noqa: E402
from cli_api_pages_test import ROUTES as PAGE_ROUTES  # noqa: E402  (its own role table)
from cli_users_api_test import ROUTES as USER_ROUTES  # noqa: E402  (its own role table)
from cli_api_test import PASSWORD, Server, Session, make_hub, token_for  # noqa: E402
from clihub import check  # noqa: E402

HUB = None
SRV = None
CALLERS = {}

TABLES = ("accounts", "contacts", "interactions", "opportunities", "stage_history", "cases", "audit",
          "merges", "users", "api_idempotency", "erp_queue", "erp_syncs", "kpi_targets")


def snapshot(hub):
    """Everything a refused request must leave as it was: row counts and the rows that routes edit."""
    names = hub.tables()
    missing = [t for t in TABLES if t not in names]
    assert not missing, f"tables not in the hub: {missing}"
    rows = ("accounts", "contacts", "opportunities", "cases", "users")
    extra = ["api_user_state"] if "api_user_state" in names else []
    got = hub.sql_many([(f"SELECT COUNT(*) FROM {t}", ()) for t in TABLES]
                       + [(f"SELECT * FROM {t} ORDER BY 1", ()) for t in rows + tuple(extra)])
    out = {t: r[0][0] for t, r in zip(TABLES, got)}
    for t, r in zip(rows, got[len(TABLES):]):
        out[t + "_rows"] = r
    out["disabled"] = got[-1] if extra else None
    return out


def cli(*args, user=None):
    p = HUB.run(*args, user=user)
    assert p.returncode == 0, (args, p.stderr)
    return p.stdout


def setup():
    global HUB, SRV
    HUB = base.HUB = make_hub()  # token_for makes tokens on base.HUB
    # Per role: an opportunity to move, a case to advance, a duplicate pair to merge.
    for i, role in enumerate(("admin", "sales", "service", "steward", "manager", "erp")):
        cli("opportunity", "add", "--account", "A-000001", "--division", "Motors", "--title", "deal " + role)
        cli("case", "open", "--account", "A-000001", "--division", "Motors", "--kind", "complaint",
            "--summary", "case " + role)
    SRV = Server(HUB)
    SRV.req("GET", "/api/v1/openapi.json")
    CALLERS.update(base.role_callers(SRV))


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files {name: (filename, bytes)}."""
    boundary = "cxhub" + uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
    for k, (fn, data) in files.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{fn}\"\r\n"
                  f"Content-Type: application/octet-stream\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": "multipart/form-data; boundary=" + boundary}


CUSTOMERS_CSV = (b"ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last Modified\r\n"
                 b"ERP-100,Kano Agro Mills,Agriculture,Motors,+2348030000001,info@kanoagro.ng,1 Road,Kano,Active,"
                 b"2026-03-01 10:00\r\n")

# The access table of docs/api.md: who may use each operation.
READ = {"sales", "service", "steward", "manager", "admin"}
RULES = {
    "read": READ,
    "sign-in": READ | {"erp"},
    "create": {"sales", "steward", "admin"},
    "edit": {"steward", "manager", "admin"},
    "log": READ,
    "opportunities": {"sales", "steward", "manager", "admin"},
    "cases": {"service", "manager", "admin"},
    "merge": {"steward", "manager", "admin"},
    "erp-sync": {"steward", "admin", "erp"},
    "erp-queue": {"steward", "admin"},
    "targets": {"manager"},
    "users": {"admin"},
    "import": {"steward", "admin"},
}

ROLE_INDEX = {"admin": 1, "sales": 2, "service": 3, "steward": 4, "manager": 5, "erp": 6}


def route_cases(role):
    """(rule, method, documented path, concrete path, body or raw, headers) for every route."""
    n = ROLE_INDEX[role]
    opp, case = f"O-{n:06d}", f"K-{n:06d}"
    tag = f"{role} {uuid.uuid4().hex[:6]}"
    sync_body, sync_headers = multipart({"kind": "customers", "dry_run": "true"},
                                        {"file": ("customers.csv", CUSTOMERS_CSV)})
    imp_body, imp_headers = multipart({"dry_run": "true"}, {"file": ("x.xlsx", b"not a workbook")})
    return [
        ("sign-in", "GET", "/api/v1/session", "/api/v1/session", None, {}),
        ("read", "GET", "/api/v1/search", "/api/v1/search?q=okafor", None, {}),
        ("read", "GET", "/api/v1/accounts", "/api/v1/accounts?limit=2", None, {}),
        ("read", "GET", "/api/v1/accounts/{id}", "/api/v1/accounts/A-000001", None, {}),
        ("edit", "PATCH", "/api/v1/accounts/{id}", "/api/v1/accounts/A-000001",
         {"industry": "Automotive " + tag}, "etag:/api/v1/accounts/A-000001"),
        ("create", "POST", "/api/v1/accounts", "/api/v1/accounts",
         {"name": f"Unique Traders {uuid.uuid4().hex[:8]}", "divisions": "Motors", "force": True,
          "reason": "matrix"}, {}),
        ("read", "GET", "/api/v1/contacts", "/api/v1/contacts?account_id=A-000001", None, {}),
        ("read", "GET", "/api/v1/contacts/{id}", "/api/v1/contacts/C-000001", None, {}),
        ("edit", "PATCH", "/api/v1/contacts/{id}", "/api/v1/contacts/C-000001",
         {"job_title": "Buyer " + tag}, "etag:/api/v1/contacts/C-000001"),
        ("create", "POST", "/api/v1/contacts", "/api/v1/contacts",
         {"full_name": f"Person {uuid.uuid4().hex[:8]}", "account_id": "A-000001", "force": True,
          "reason": "matrix"}, {}),
        ("read", "GET", "/api/v1/interactions", "/api/v1/interactions?contact_id=C-000001", None, {}),
        ("read", "GET", "/api/v1/interactions/{id}", "/api/v1/interactions/I-000001", None, {}),
        ("log", "POST", "/api/v1/interactions", "/api/v1/interactions",
         {"contact_id": "C-000001", "channel": "phone", "notes": "by " + tag}, {}),
        ("read", "GET", "/api/v1/opportunities", "/api/v1/opportunities?account_id=A-000001", None, {}),
        ("opportunities", "POST", "/api/v1/opportunities", "/api/v1/opportunities",
         {"account_id": "A-000002", "division": "Medical", "title": tag}, {}),
        ("read", "GET", "/api/v1/opportunities/{id}", f"/api/v1/opportunities/{opp}", None, {}),
        ("opportunities", "POST", "/api/v1/opportunities/{id}/checklist",
         f"/api/v1/opportunities/{opp}/checklist", {"items": ["no-such-item"]}, {}),
        ("opportunities", "POST", "/api/v1/opportunities/{id}/moves", f"/api/v1/opportunities/{opp}/moves",
         {"stage": "Qualified"}, {}),
        ("opportunities", "POST", "/api/v1/opportunities/{id}/lose", f"/api/v1/opportunities/{opp}/lose",
         {"reason": "matrix " + tag}, {}),
        ("opportunities", "POST", "/api/v1/opportunities/{id}/win", "/api/v1/opportunities/O-999999/win",
         {}, {}),
        ("opportunities", "POST", "/api/v1/opportunities/{id}/route", "/api/v1/opportunities/O-999999/route",
         None, {}),
        ("read", "GET", "/api/v1/cases", "/api/v1/cases?open=true", None, {}),
        ("cases", "POST", "/api/v1/cases", "/api/v1/cases",
         {"account_id": "A-000001", "division": "Motors", "kind": "complaint", "summary": tag}, {}),
        ("read", "GET", "/api/v1/cases/{id}", f"/api/v1/cases/{case}", None, {}),
        ("cases", "POST", "/api/v1/cases/{id}/steps", f"/api/v1/cases/{case}/steps", {"step": "respond"}, {}),
        ("read", "GET", "/api/v1/orders/{id}", "/api/v1/orders/X-0", None, {}),
        ("read", "GET", "/api/v1/next-actions", "/api/v1/next-actions", None, {}),
        ("log", "POST", "/api/v1/next-actions/{id}/done", "/api/v1/next-actions/N-999999/done", None, {}),
        ("read", "GET", "/api/v1/queue", "/api/v1/queue", None, {}),
        ("read", "GET", "/api/v1/duplicates", "/api/v1/duplicates", None, {}),
        ("merge", "POST", "/api/v1/merges", "/api/v1/merges",
         {"kind": "accounts", "survivor": "A-999998", "others": ["A-999999"], "reason": "matrix"}, {}),
        ("read", "GET", "/api/v1/merges", "/api/v1/merges", None, {}),
        ("merge", "POST", "/api/v1/merges/{id}/undo", "/api/v1/merges/M-999999/undo", {"reason": "x"}, {}),
        ("erp-queue", "GET", "/api/v1/links", "/api/v1/links?status=all", None, {}),
        ("erp-queue", "POST", "/api/v1/links/{id}/accept", "/api/v1/links/999999/accept", {"reason": "x"}, {}),
        ("erp-queue", "POST", "/api/v1/links/{id}/reject", "/api/v1/links/999999/reject", {"reason": "x"}, {}),
        ("erp-sync", "POST", "/api/v1/erp-syncs", "/api/v1/erp-syncs", ("raw", sync_body), sync_headers),
        ("read", "GET", "/api/v1/kpi", "/api/v1/kpi?from=2026-01-01&to=2026-03-31&trend=0", None, {}),
        ("read", "GET", "/api/v1/kpi/targets", "/api/v1/kpi/targets", None, {}),
        ("targets", "POST", "/api/v1/kpi/targets", "/api/v1/kpi/targets",
         {"key": "inquiry_to_quote", "value": 0.5}, {}),
        ("read", "GET", "/api/v1/sla", "/api/v1/sla?all=true", None, {}),
        ("read", "GET", "/api/v1/touchpoints", "/api/v1/touchpoints?from=2026-01-01&to=2026-03-31", None, {}),
        ("read", "GET", "/api/v1/review", "/api/v1/review?week=2026-W10&format=xlsx", None, {}),
        ("read", "GET", "/api/v1/workbook", "/api/v1/workbook", None, {}),
        ("import", "POST", "/api/v1/workbook/import", "/api/v1/workbook/import", ("raw", imp_body), imp_headers),
        ("users", "GET", "/api/v1/users", "/api/v1/users", None, {}),
        ("users", "POST", "/api/v1/users", "/api/v1/users",
         {"login": f"new.{role}", "role": "sales", "name": "New " + role}, {}),
        ("users", "POST", "/api/v1/users/{login}/disable", "/api/v1/users/no.such.user/disable", None, {}),
        ("users", "POST", "/api/v1/users/{login}/enable", "/api/v1/users/no.such.user/enable", None, {}),
        ("users", "POST", "/api/v1/users/{login}/password", "/api/v1/users/no.such.user/password",
         {"password": "long enough pass"}, {}),
        ("read", "GET", "/api/v1/audit", "/api/v1/audit?entity_id=A-000001", None, {}),
    ]


# Routes outside this table: public ones and those the signing-in scenarios cover.
PUBLIC = {("GET", "/healthz"), ("GET", "/api/v1/openapi.json"), ("POST", "/api/v1/session"),
          ("DELETE", "/api/v1/session"), ("GET", "/survey/{token}"), ("POST", "/survey/{token}")}


def test_every_role_against_every_route():
    documented = {(m, p) for p, ops in base.DOC.doc["paths"].items() for m in (x.upper() for x in ops)}
    covered = {(m, p) for _, m, p, *_ in route_cases("admin")}
    check(documented - PUBLIC - PAGE_ROUTES - USER_ROUTES - covered == set(),
          "the role tables (this one and cli_api_pages_test's) cover every route of the document",
          sorted(documented - PUBLIC - PAGE_ROUTES - USER_ROUTES - covered))
    check(covered - documented == set(), "every route of the role table is in the document",
          sorted(covered - documented))
    for role, call in CALLERS.items():
        for rule, method, pattern, path, body, headers in route_cases(role):
            h = {}
            if isinstance(headers, str):
                _, got, _ = CALLERS["admin"]("GET", headers.split(":", 1)[1])
                h["If-Match"] = got["etag"]
            else:
                h.update(headers)
            raw = None
            if isinstance(body, tuple):
                raw, body = body[1], None
            before = snapshot(HUB)
            st, _, j = call(method, path, body, h, raw=raw)
            code = (j or {}).get("error", {}).get("code") if isinstance(j, dict) else None
            if role in RULES[rule]:
                # The rules let it through; the service may still judge the data (404, 409 …).
                ok = st not in (401, 403) and st < 500 if method != "GET" else 200 <= st < 300
                if method == "GET" and pattern == "/api/v1/orders/{id}":
                    ok = st == 404
                check(ok, f"{role} may {rule}: {method} {pattern} -> {st}", j)
            else:
                check(st == 403 and code == "forbidden", f"{role} may not {rule}: {method} {pattern} -> 403",
                      (st, j))
                check(snapshot(HUB) == before, f"{role}'s refused {method} {pattern} changed nothing")


def test_reports_equal_the_command_line():
    s = Session(SRV, "mo.manager")
    for path, args in (("/api/v1/duplicates", ["duplicates"]),
                       ("/api/v1/duplicates?kind=accounts", ["duplicates", "--kind", "accounts"]),
                       ("/api/v1/kpi?from=2026-01-01&to=2026-03-31&division=Motors&trend=2",
                        ["kpi", "--from", "2026-01-01", "--to", "2026-03-31", "--division", "Motors",
                         "--trend", "2"]),
                       ("/api/v1/kpi/targets", ["kpi", "target", "list"]),
                       ("/api/v1/sla?all=true&at=2026-06-01%2012:00", ["sla", "--all", "--at", "2026-06-01 12:00"]),
                       ("/api/v1/sla?open=true&division=Motors&at=2026-06-01%2012:00",
                        ["sla", "--open", "--division", "Motors", "--at", "2026-06-01 12:00"]),
                       ("/api/v1/next-actions?at=2026-06-01%2012:00", ["next-actions", "--at", "2026-06-01 12:00"]),
                       ("/api/v1/touchpoints?from=2026-01-01&to=2026-03-31&division=motors",
                        ["touchpoints", "--from", "2026-01-01", "--to", "2026-03-31", "--division", "motors"])):
        st, _, j = s.req("GET", path)
        want = json.loads(cli(*args, "--json"))
        check(st == 200 and j == want, f"GET {path} = {' '.join(args)} --json", (st, j, want) if j != want else "")
    st, _, j = s.req("GET", "/api/v1/kpi?from=yesterday")
    check(st == 400 and "from" in j["error"]["fields"], "a bad from is 400 naming from", (st, j))
    st, _, j = s.req("GET", "/api/v1/sla?all=maybe")
    check(st == 400 and "all" in j["error"]["fields"], "a bad flag is 400 naming it", (st, j))
    st, _, j = s.req("GET", "/api/v1/duplicates?kind=people")
    check(st == 400 and "kind" in j["error"]["fields"], "a bad kind is 400 naming kind", (st, j))


def test_lists_and_cursors():
    s = Session(SRV, "sam.sales")
    for i in range(7):
        cli("account", "add", "--name", f"Paging Co {i} {'XYZ'[i % 3]}{i * 7919}", "--division", "Motors",
            "--force", "--reason", "paging")
    want = [r[0] for r in HUB.sql("SELECT id FROM accounts WHERE merged_into IS NULL OR merged_into = '' "
                                  "ORDER BY id")]
    got, cursor, pages = [], None, 0
    while True:
        st, _, j = s.req("GET", "/api/v1/accounts?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        assert st == 200, (st, j)
        check(len(j["items"]) <= 3, "a page holds at most limit items", len(j["items"]))
        got += [a["id"] for a in j["items"]]
        pages += 1
        cursor = j["next_cursor"]
        if not cursor or pages > 20:
            break
    check(got == want, "following next_cursor walks every account once, in id order", (got, want))
    st, _, j = s.req("GET", "/api/v1/accounts?limit=3&division=Medical")
    check(st == 200 and [a["id"] for a in j["items"]] == ["A-000002"] and j["next_cursor"] is None,
          "a filter narrows the list", (st, j))
    st, _, j = s.req("GET", "/api/v1/accounts?limit=100000")
    check(st == 400 and "limit" in j["error"]["fields"], "a huge limit is 400 naming limit", (st, j))
    st, _, j = s.req("GET", "/api/v1/accounts?cursor=%27%3BDROP")
    check(st == 400 and "cursor" in j["error"]["fields"], "a forged cursor is 400 naming cursor", (st, j))
    st, _, j = s.req("GET", "/api/v1/interactions?contact_id=C-000001&sort=sideways")
    check(st == 400 and "sort" in j["error"]["fields"], "a bad sort is 400 naming sort", (st, j))
    st, _, j1 = s.req("GET", "/api/v1/interactions?contact_id=C-000001&sort=oldest&limit=500")
    st, _, j2 = s.req("GET", "/api/v1/interactions?contact_id=C-000001&limit=500")
    check(j1["items"] and [i["id"] for i in j1["items"]] != [i["id"] for i in j2["items"]]
          and j1["items"][0]["notes"] == "first call", "sort=oldest lists in the order written", j1["items"][:1])


def test_contact_etags():
    s = Session(SRV, "ada.admin")
    st, h, j = s.req("GET", "/api/v1/contacts/C-000001")
    etag = h.get("etag")
    before = snapshot(HUB)
    st1, _, _ = s.req("PATCH", "/api/v1/contacts/C-000001", {"job_title": "CFO"})
    check(st1 == 428 and snapshot(HUB) == before, "PATCH a contact without If-Match is 428", st1)
    st2, h2, j2 = s.req("PATCH", "/api/v1/contacts/C-000001", {"job_title": "CFO"}, {"If-Match": etag})
    check(st2 == 200 and j2["job_title"] == "CFO" and h2.get("etag") not in (None, etag),
          "PATCH a contact with its ETag edits it", (st2, j2))
    before = snapshot(HUB)
    st3, _, j3 = s.req("PATCH", "/api/v1/contacts/C-000001", {"job_title": "CEO"}, {"If-Match": etag})
    check(st3 == 412 and snapshot(HUB) == before, "a stale contact ETag is 412, nothing written", (st3, j3))
    st4, _, j4 = s.req("PATCH", "/api/v1/contacts/C-000001", {"shoe_size": 9}, {"If-Match": h2["etag"]})
    check(st4 == 400 and "shoe_size" in j4["error"]["fields"], "an unknown field is 400 naming it", (st4, j4))


def test_opportunity_journey():
    sales, manager = Session(SRV, "sam.sales"), Session(SRV, "mo.manager")
    st, h, j = sales.req("POST", "/api/v1/opportunities", {"account_id": "A-000001", "division": "Motors",
                                                           "title": "Hilux fleet", "amount": 1500000})
    check(st == 201 and j["stage"] == "Inquiry" and h["location"].endswith(j["id"]),
          "POST /api/v1/opportunities creates at the first stage", (st, j))
    oid = j["id"]
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{oid}/moves", {"stage": "Qualified"})
    check(st == 200 and j["stage"] == "Qualified", "a stage move without a checklist goes through", (st, j))
    before = snapshot(HUB)
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{oid}/moves", {"stage": "Quote"})
    check(st == 409 and snapshot(HUB) == before, "a move past an incomplete checklist is refused (409)", (st, j))
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{oid}/moves",
                         {"stage": "Quote", "override": True, "reason": "customer in a hurry"})
    check(st == 403 and snapshot(HUB) == before, "only a manager overrides a checklist", (st, j))
    st, _, j = manager.req("POST", f"/api/v1/opportunities/{oid}/moves",
                           {"stage": "Quote", "override": True, "reason": "customer in a hurry"})
    check(st == 200 and j["stage"] == "Quote" and j["overridden"], "a manager's override moves it", (st, j))
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{oid}/win", {})
    st2, _, acc = sales.req("GET", "/api/v1/accounts/A-000001")
    check(st == 200 and j["outcome"] == "won" and acc["owner"] == "Sam Sales",
          "winning makes the closer the Account Owner (the rule of engagement)", (st, j, acc.get("owner")))
    st, _, j = sales.req("GET", f"/api/v1/opportunities/{oid}")
    check(st == 200 and [e["stage"] for e in j["stage_history"]][-1] == "Won",
          "GET an opportunity shows its stage history", j.get("stage_history"))
    _, _, j = sales.req("POST", "/api/v1/opportunities", {"account_id": "A-000001", "division": "Motors"})
    other = j["id"]
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{other}/lose", {})
    check(st == 400 and "reason" in j["error"]["fields"], "losing needs a reason (400 naming it)", (st, j))
    st, _, j = sales.req("POST", f"/api/v1/opportunities/{other}/lose", {"reason": "price"})
    check(st == 200 and j["outcome"] == "lost", "lose with a reason", (st, j))


def test_cases_orders_queue():
    service = Session(SRV, "sia.service")
    st, _, j = service.req("POST", "/api/v1/cases", {"account_id": "A-000001", "division": "Motors",
                                                     "kind": "service-job", "summary": "brakes"})
    check(st == 201 and j["id"].startswith("K-"), "a service person opens a case", (st, j))
    kid = j["id"]
    st, _, j = service.req("POST", f"/api/v1/cases/{kid}/steps", {"step": "start-work"})
    check(st == 409, "a service job does not start before its quote is approved (409)", (st, j))
    st, _, j = service.req("POST", f"/api/v1/cases/{kid}/steps", {"step": "teleport"})
    check(st == 400 and "step" in j["error"]["fields"], "an unknown step is 400 naming step", (st, j))
    for step in ("respond", "approve-quote", "start-work", "close"):
        st, _, j = service.req("POST", f"/api/v1/cases/{kid}/steps", {"step": step})
        check(st == 200, f"case step {step}", (st, j))
    st, _, j = service.req("GET", f"/api/v1/cases/{kid}")
    check(st == 200 and j["closed"] and j["work_started"], "GET a case shows its steps", j)
    st, _, j = service.req("GET", "/api/v1/orders/ORD-1")
    check(st == 404 and j["error"]["code"] == "not_found", "an unknown order is 404", (st, j))
    # My queue: my next actions only.
    sales = Session(SRV, "sam.sales")
    sales.req("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "phone", "notes": "q",
                                               "next_action": "call back sam", "due": "2026-01-05 10:00"})
    Session(SRV, "mo.manager").req("POST", "/api/v1/interactions",
                                   {"contact_id": "C-000001", "channel": "phone", "notes": "q",
                                    "next_action": "call back mo", "due": "2026-01-05 10:00"})
    st, _, j = sales.req("GET", "/api/v1/queue")
    actions = [a["action"] for a in j["next_actions"]]
    check(st == 200 and "call back sam" in actions and "call back mo" not in actions
          and j["next_actions"][0]["overdue"], "my queue holds my next actions, overdue first", (st, j))


def test_merge_and_undo():
    a = json.loads(cli("account", "add", "--name", "Bello Haulage", "--division", "Motors", "--json"))["id"]
    b = json.loads(cli("account", "add", "--name", "Bello Haulage Ltd", "--division", "Motors", "--force",
                       "--reason", "test", "--json"))["id"]
    med = Session(SRV, "ste.medical")
    before = snapshot(HUB)
    st, _, j = med.req("POST", "/api/v1/merges", {"kind": "accounts", "survivor": a, "others": [b],
                                                  "reason": "same firm"})
    check(st == 403 and snapshot(HUB) == before, "a Medical steward may not merge Motors accounts", (st, j))
    mot = Session(SRV, "ste.motors")
    st, h, j = mot.req("POST", "/api/v1/merges", {"kind": "accounts", "survivor": a, "others": [b],
                                                  "reason": "same firm"}, {"Idempotency-Key": "merge-1"})
    st2, _, j2 = mot.req("POST", "/api/v1/merges", {"kind": "accounts", "survivor": a, "others": [b],
                                                    "reason": "same firm"}, {"Idempotency-Key": "merge-1"})
    check(st == 201 and st2 == 201 and j == j2, "a Motors steward merges; a replay returns the first answer",
          (st, j, st2))
    st, _, acc = mot.req("GET", f"/api/v1/accounts/{b}")
    check(acc.get("merged_into") == a, "the merged account points at the survivor", acc)
    st, _, j = mot.req("POST", f"/api/v1/merges/{j['id']}/undo", {"reason": "wrong"})
    st2, _, acc = mot.req("GET", f"/api/v1/accounts/{b}")
    check(st == 200 and acc.get("merged_into") is None, "undo brings the account back", (st, j, acc))
    st, _, j = mot.req("POST", "/api/v1/merges", {"kind": "households", "survivor": a, "others": "x"})
    check(st == 400 and "others" in j["error"]["fields"], "bad merge fields are 400, named", (st, j))


def test_erp_sync_upload():
    tok = token_for("erp.job")
    path = os.path.join(HUB.dir, "customers.csv")
    with open(path, "wb") as f:
        f.write(CUSTOMERS_CSV)
    want = json.loads(cli("erp-sync", "customers", path, "--dry-run", "--json"))
    body, headers = multipart({"kind": "customers", "dry_run": "true"}, {"file": ("customers.csv", CUSTOMERS_CSV)})
    before = snapshot(HUB)
    st, _, j = SRV.req("POST", "/api/v1/erp-syncs", None, {"Authorization": "Bearer " + tok, **headers}, raw=body)
    for k in ("file", "rejected_file", "removed_rejected_file"):
        want.pop(k, None)
        (j or {}).pop(k, None)
    check(st == 200 and j == want and snapshot(HUB) == before,
          "an uploaded dry run answers erp-sync --dry-run --json's summary and writes nothing", (st, j, want))
    body, headers = multipart({"kind": "customers"}, {"file": ("customers.csv", CUSTOMERS_CSV)})
    st, _, j = SRV.req("POST", "/api/v1/erp-syncs", None, {"Authorization": "Bearer " + tok, **headers}, raw=body)
    st2, _, found = Session(SRV, "ada.admin").req("GET", "/api/v1/accounts?erp_customer_id=ERP-100")
    check(st == 200 and j["created"] == 1 and len(found["items"]) == 1, "the erp token's upload syncs", (st, j))
    bad = CUSTOMERS_CSV + b"ERP-101,,Agriculture,Motors,,,,,Active,not a date\r\n"
    body, headers = multipart({"kind": "customers"}, {"file": ("customers.csv", bad)})
    before = snapshot(HUB)
    st, _, j = SRV.req("POST", "/api/v1/erp-syncs", None, {"Authorization": "Bearer " + tok, **headers}, raw=body)
    check(st == 400 and j["summary"]["rejected"] and snapshot(HUB) == before,
          "a file with a bad row is refused whole, with the rejected rows", (st, j))
    body, headers = multipart({"kind": "customers", "colour": "red"}, {"file": ("c.csv", CUSTOMERS_CSV)})
    st, _, j = SRV.req("POST", "/api/v1/erp-syncs", None, {"Authorization": "Bearer " + tok, **headers}, raw=body)
    check(st == 400 and "colour" in j["error"]["fields"], "an unknown form field is 400 naming it", (st, j))
    st, _, j = SRV.req("POST", "/api/v1/erp-syncs", {"kind": "customers"}, {"Authorization": "Bearer " + tok})
    check(st == 400 and "multipart" in j["error"]["message"], "a JSON body is 400 (multipart expected)", (st, j))


def test_workbook_and_review_downloads():
    s = Session(SRV, "ste.motors")
    st, h, _ = s.req("GET", "/api/v1/workbook")
    data = SRV.last_body
    ok = st == 200 and "spreadsheetml" in h.get("content-type", "") and "attachment" in h.get(
        "content-disposition", "")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist() if ok else []
    check(ok and "xl/workbook.xml" in names, "GET /api/v1/workbook downloads the workbook (.xlsx)", (st, h))
    before = snapshot(HUB)
    body, headers = multipart({"dry_run": "true"}, {"file": ("cxhub.xlsx", data)})
    st, _, j = s.req("POST", "/api/v1/workbook/import", None, headers, raw=body)
    check(st == 200 and j["ok"] and j["dry_run"] and snapshot(HUB) == before,
          "importing the export as a dry run reports and writes nothing", (st, j))
    body, headers = multipart({}, {"file": ("bad.xlsx", b"PK not really")})
    st, _, j = s.req("POST", "/api/v1/workbook/import", None, headers, raw=body)
    check(st == 400 and snapshot(HUB) == before, "a broken workbook is 400, nothing written", (st, j))
    st, h, _ = s.req("GET", "/api/v1/review?week=2026-W10&format=xlsx")
    check(st == 200 and SRV.last_body[:2] == b"PK", "the weekly review downloads as .xlsx", (st, h))
    st, h, _ = s.req("GET", "/api/v1/review?week=2026-W10")
    check(st == 200 and h["content-type"].startswith("text/html") and b"<html" in SRV.last_body.lower(),
          "the weekly review as HTML", (st, h.get("content-type")))
    st, _, j = s.req("GET", "/api/v1/review?week=2026-W99")
    check(st == 400 and "week" in j["error"]["fields"], "a bad week is 400 naming week", (st, j))


def test_users_and_audit():
    admin = Session(SRV, "ada.admin")
    st, _, j = admin.req("POST", "/api/v1/users", {"login": "nia.new", "role": "sales", "name": "Nia New",
                                                   "password": "a long password"})
    check(st == 201 and j["login"] == "nia.new", "an admin adds a user", (st, j))
    st, _, j = admin.req("POST", "/api/v1/users/nia.new/disable")
    st2, _, lst = admin.req("GET", "/api/v1/users")
    row = [u for u in lst["users"] if u["login"] == "nia.new"]
    check(st == 200 and row and row[0]["disabled"] is True, "GET /api/v1/users shows who is disabled", row)
    text = cli("user", "list")
    check(any("nia.new" in line and "(disabled)" in line for line in text.splitlines()),
          "user list shows disabled users", text)
    st, _, _ = SRV.req("POST", "/api/v1/session", {"login": "nia.new", "password": "a long password"})
    check(st == 401, "a disabled user cannot log in", st)
    before = snapshot(HUB)
    st, _, j = admin.req("POST", "/api/v1/users", {"login": "big.pass", "role": "sales", "password": "p" * 200000})
    check(st == 400 and "password" in j["error"]["fields"] and snapshot(HUB) == before,
          "a 200 kB password is refused before hashing", (st, j))
    st, _, j = admin.req("GET", "/api/v1/audit?entity_id=A-000001&limit=500")
    check(st == 200 and j["entries"] and all(e["entity_id"] == "A-000001" for e in j["entries"]),
          "GET /api/v1/audit?entity_id= is the audit log of one record", (st, (j or {}).get("entries", [])[:1]))


def test_xss_notes_come_back_as_data():
    s = Session(SRV, "sam.sales")
    xss = "</script><img src=x onerror=alert(1)>"
    st, _, j = s.req("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "email", "notes": xss})
    st2, h, lst = s.req("GET", "/api/v1/interactions?contact_id=C-000001&limit=5")
    check(st == 201 and st2 == 200 and h["content-type"].startswith("application/json")
          and h.get("x-content-type-options") == "nosniff" and lst["items"][0]["notes"] == xss,
          "notes with HTML come back as JSON data (nosniff), unchanged", (h, lst["items"][:1]))


def test_secure_cookie_behind_tls():
    hub = make_hub()
    for extra, headers, secure, what in (
            ([], {}, False, "a plain server's cookie is not Secure"),
            (["--behind-tls"], {}, True, "--behind-tls makes the cookie Secure"),
            (["--trusted-proxy", "127.0.0.1"], {"X-Forwarded-Proto": "https"}, True,
             "X-Forwarded-Proto: https from a trusted proxy makes it Secure"),
            (["--trusted-proxy", "10.9.9.9"], {"X-Forwarded-Proto": "https"}, False,
             "X-Forwarded-Proto from an untrusted address is ignored")):
        srv = Server(hub, *extra)
        try:
            st, h, _ = srv.req("POST", "/api/v1/session", {"login": "ada.admin", "password": PASSWORD}, headers)
            attrs = [a.strip().lower() for a in h.get("set-cookie", "").split(";")]
            check(st == 200 and ("secure" in attrs) == secure, what, h.get("set-cookie"))
        finally:
            srv.stop()


if __name__ == "__main__":
    base.run_on_one_server(setup, (test_every_role_against_every_route, test_reports_equal_the_command_line,
                                   test_lists_and_cursors, test_contact_etags, test_opportunity_journey,
                                   test_cases_orders_queue, test_merge_and_undo, test_erp_sync_upload,
                                   test_workbook_and_review_downloads, test_users_and_audit,
                                   test_xss_notes_come_back_as_data, base.test_answers_match_the_document),
                           lambda: SRV, (test_secure_cookie_behind_tls,))
