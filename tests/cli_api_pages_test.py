"""HTTP API scenarios of the web page's screens (docs/api.md): the journeys, the strategy (read,
history, download, replace with If-Match), the seven steps, feedback curve, scores and logging,
survey links and an account's orders and feedback. Every role against every route (allowed, or
403 with the database unchanged), each GET equal to the command line's --json on the same hub,
ETags (428/412) on PUT and PATCH, the strategy page's download headers, a bad strategy text named
by line, 404s; every answer checked against the OpenAPI document. One small hub, one server.
usage: cli_api_pages_test.py PATH/TO/cxhub"""
import io
import json
import os
import sys
import uuid
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_api_test as base  # noqa: E402
from cli_api_test import Server, make_hub  # noqa: E402
from clihub import check  # noqa: E402

HUB = None
SRV = None
CALLERS = {}
PERIOD = "from=2026-01-01&to=2026-03-31"

STRATEGY = """
mission = "Power and mobility people rely on"
vision = "First choice in every division"
ambition = "Fast, friendly, no surprises"

[key_objectives.growth]
year1 = "+12 %"

[[objectives]]
title = "Respond faster"
year1 = "12 h everywhere"

[[key_results]]
title = "Fewer complaints"
kpi = "complaint_rate"
division = "All"
target = 0.5
direction = "at_most"
due = "2030-12-31"
"""

ORDERS_CSV = ("Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\r\n"
              "SO-1,ERP-777,2026-01-05,Motors,1000000,NGN,2026-01-05 10:00\r\n"
              "SO-2,ERP-777,2026-03-02,Motors,2500000,NGN,2026-03-02 10:00\r\n"
              "SO-3,ERP-777,2026-03-02,Motors,400000,NGN,2026-03-02 11:00\r\n"
              "SO-4,ERP-888,2026-02-01,Motors,9000,NGN,2026-02-01 10:00\r\n")

# The tables a refused request must leave as they were.
TABLES = ("strategy_versions", "cem_steps", "feedback", "survey_tokens", "audit", "api_idempotency")


def snapshot():
    rows = HUB.sql_many([(f"SELECT COUNT(*) FROM {t}", ()) for t in TABLES] +
                        [("SELECT * FROM cem_steps ORDER BY 1, 2", ())])
    out = {t: r[0][0] for t, r in zip(TABLES, rows)}
    out["cem_rows"] = [tuple(r) for r in rows[-1]]
    return out


def cli(*args, user=None):
    p = HUB.run(*args, user=user)
    assert p.returncode == 0, (args, p.stderr)
    return p.stdout


def cli_json(*args, user=None):
    return json.loads(cli(*args, "--json", user=user))


def setup():
    global HUB, SRV
    HUB = base.HUB = make_hub()  # token_for makes tokens on base.HUB
    cli("account", "add", "--name", "Lagos Freight Haulage", "--division", "Motors", "--erp-id", "ERP-777",
        "--id", "A-000007")
    path = os.path.join(HUB.dir, "orders.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(ORDERS_CSV)
    cli("erp-sync", "orders", path, "--partial")
    cli("touchpoint", "add", "--name", "Showroom visit", "--division", "Motors", "--stage", "Inquiry",
        "--budget", "120000")
    for kind, score, date, stage in (("nps", "9", "2026-02-01 09:00", ""), ("nps", "4", "2026-03-01 09:00", ""),
                                     ("emotion", "1", "2026-03-01 09:00", "Quote"),
                                     ("csat", "5", "2026-03-10 12:00", "")):
        cli("feedback", "add", "--kind", kind, "--score", score, "--contact", "C-000001", "--touchpoint",
            "T-000001", "--date", date, *(["--stage", stage] if stage else []))
    SRV = Server(HUB)
    SRV.req("GET", "/api/v1/openapi.json")
    CALLERS.update(base.role_callers(SRV))


def toml_put(call, text, headers):
    return call("PUT", "/api/v1/strategy", None, {"Content-Type": "application/toml", **headers},
                raw=text.encode())


def test_first_strategy_version():
    """Before any version: GET is 404, history is empty with the tag of none, and the first PUT
    needs If-None-Match: * (or that tag)."""
    mgr = CALLERS["manager"]
    st, _, j = mgr("GET", "/api/v1/strategy")
    check(st == 404 and j["error"]["code"] == "not_found", "GET /api/v1/strategy before any version is 404",
          (st, j))
    st, h, j = mgr("GET", "/api/v1/strategy/history")
    check(st == 200 and j == {"versions": []} and h.get("etag") == '"strategy-v0"',
          "the empty history answers the tag of no version", (st, h.get("etag"), j))
    before = snapshot()
    st, _, j = toml_put(mgr, STRATEGY, {})
    check(st == 428 and snapshot() == before, "PUT without If-Match is 428, nothing saved", (st, j))
    st, h, j = toml_put(mgr, STRATEGY, {"If-None-Match": "*"})
    check(st == 200 and j["version"] == 1 and h.get("etag") == '"strategy-v1"',
          "the first version is saved with If-None-Match: *", (st, j, h.get("etag")))
    before = snapshot()
    st, _, j = toml_put(mgr, STRATEGY, {"If-None-Match": "*"})
    check(st == 412 and snapshot() == before, "If-None-Match: * once a version exists is 412", (st, j))


def route_cases(role):
    """(rule, method, documented path, concrete path, body, headers) for every new route;
    headers "etag:PATH" means If-Match with the ETag an admin reads at PATH."""
    tag = f"{role} {uuid.uuid4().hex[:6]}"
    return [
        ("read", "GET", "/api/v1/journeys", "/api/v1/journeys", None, {}),
        ("read", "GET", "/api/v1/accounts/{id}/orders", "/api/v1/accounts/A-000007/orders?limit=2", None, {}),
        ("read", "GET", "/api/v1/accounts/{id}/feedback", "/api/v1/accounts/A-000001/feedback", None, {}),
        ("read", "GET", "/api/v1/strategy", "/api/v1/strategy", None, {}),
        ("read", "GET", "/api/v1/strategy/history", "/api/v1/strategy/history", None, {}),
        ("read", "GET", "/api/v1/strategy/export", "/api/v1/strategy/export?format=xlsx", None, {}),
        ("strategy", "PUT", "/api/v1/strategy", "/api/v1/strategy",
         ("raw", f'notes = "by {tag}"\n' + STRATEGY), "etag:/api/v1/strategy/history"),
        ("read", "GET", "/api/v1/cem", "/api/v1/cem?year=2026", None, {}),
        ("strategy", "PATCH", "/api/v1/cem/{step}", "/api/v1/cem/2?year=2026", {"note": "by " + tag},
         "etag:/api/v1/cem?year=2026"),
        ("read", "GET", "/api/v1/feedback/curve", f"/api/v1/feedback/curve?division=Motors&{PERIOD}", None, {}),
        ("read", "GET", "/api/v1/feedback/scores", f"/api/v1/feedback/scores?by=stage&{PERIOD}", None, {}),
        ("feedback", "POST", "/api/v1/feedback", "/api/v1/feedback",
         {"kind": "nps", "score": 8, "contact_id": "C-000001", "comment": tag, "date": "2026-01-10 10:00"}, {}),
        ("feedback", "POST", "/api/v1/survey-links", "/api/v1/survey-links",
         {"touchpoint": "T-000001", "contact_id": "C-000001", "kind": "csat"}, {}),
    ]


READ = {"sales", "service", "steward", "manager", "admin"}
RULES = {"read": READ, "feedback": READ, "strategy": {"manager", "admin"}}
ROUTES = {(m, p) for _, m, p, *_ in route_cases("admin")}  # cli_api_routes_test leaves these to us


def test_every_role_against_every_route():
    base.check_every_role(CALLERS, route_cases, RULES, ROUTES, snapshot)


def test_gets_equal_the_command_line():
    s = CALLERS["sales"]
    for path, args in (("/api/v1/journeys", ["config", "show"]),
                       ("/api/v1/strategy", ["strategy", "show"]),
                       ("/api/v1/strategy?version=1", ["strategy", "show", "--version", "1"]),
                       ("/api/v1/strategy/history", ["strategy", "history"]),
                       ("/api/v1/cem?year=2026", ["cem", "show", "--year", "2026"]),
                       (f"/api/v1/feedback/curve?division=motors&{PERIOD}",
                        ["feedback", "curve", "--division", "motors", "--from", "2026-01-01", "--to", "2026-03-31"]),
                       (f"/api/v1/feedback/scores?{PERIOD}",
                        ["feedback", "scores", "--from", "2026-01-01", "--to", "2026-03-31"]),
                       (f"/api/v1/feedback/scores?by=touchpoint&division=Motors&{PERIOD}",
                        ["feedback", "scores", "--by", "touchpoint", "--division", "Motors", "--from",
                         "2026-01-01", "--to", "2026-03-31"])):
        st, _, j = s("GET", path)
        want = cli_json(*args)
        if path.startswith("/api/v1/cem"):  # when the evidence was computed: the clock moved on
            j.pop("at", None), want.pop("at", None)
        check(st == 200 and j == want, f"GET {path} = {' '.join(args)} --json", (st, j, want) if j != want else "")
    st, _, j = s("GET", "/api/v1/journeys")
    motors = [x for x in j["journeys"] if x["division"] == "Motors"][0]
    quote = [x for x in motors["stages"] if x["name"] == "Quote"][0]
    check([x["name"] for x in motors["stages"]][:2] == ["Inquiry", "Qualified"] and quote["checklists"]
          and quote["checklists"][0]["items"][0]["key"] == "driving-licence-checked"
          and motors["stages"][0]["slas"][0]["kind"] == "inquiry",
          "the journeys list stages in order with each stage's checklist and SLA", motors)
    cal = j.get("calendar", {})
    check(cal.get("zone") == "Africa/Lagos" and cal.get("hours") == "08:00-17:00"
          and cal.get("working_days") == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
          and "01-01" in cal.get("fixed_holidays", []),
          "the journeys carry the business calendar their business-hours clocks count in", cal)
    st, _, j = s("GET", f"/api/v1/feedback/curve?division=Motors&{PERIOD}")
    q = [x for x in j["stages"] if x["stage"] == "Quote"]
    check(q and q[0]["n"] == 1 and q[0]["mean"] == 1, "the curve holds the emotion logged at Quote", j)


def walk(call, path, limit):
    got, cursor = [], None
    for _ in range(20):
        st, _, j = call("GET", f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert st == 200, (path, st, j)
        assert len(j["items"]) <= limit, j
        got += j["items"]
        cursor = j["next_cursor"]
        if not cursor:
            break
    return got


def test_account_orders_and_feedback():
    s = CALLERS["service"]
    want_orders = [r[0] for r in HUB.sql("SELECT id FROM orders WHERE erp_customer_id = 'ERP-777' "
                                         "ORDER BY date DESC, id DESC")]
    want_fb = [r[0] for r in HUB.sql("SELECT id FROM feedback WHERE account_id = 'A-000001' "
                                     "ORDER BY date DESC, id DESC")]
    orders = walk(s, "/api/v1/accounts/A-000007/orders", 2)
    check([o["id"] for o in orders] == want_orders == ["SO-3", "SO-2", "SO-1"],
          "an account's orders, newest first, page by page", (orders, want_orders))
    check(orders[-1] == s("GET", "/api/v1/orders/SO-1")[2], "an order of the list is the order's own answer",
          orders[-1])
    fb = walk(s, "/api/v1/accounts/A-000001/feedback", 3)
    check(len(want_fb) >= 4 and [f["id"] for f in fb] == want_fb, "an account's feedback, newest first, page by page",
          ([f["id"] for f in fb], want_fb))
    st, _, j = s("GET", "/api/v1/accounts/A-000002/orders")
    check(st == 200 and j == {"items": [], "next_cursor": None}, "an account without an ERP id has no orders",
          (st, j))
    for path in ("/api/v1/accounts/A-999999/orders", "/api/v1/accounts/A-999999/feedback"):
        st, _, j = s("GET", path)
        check(st == 404 and j["error"]["code"] == "not_found", f"GET {path} of an unknown account is 404", (st, j))
    st, _, j = s("GET", "/api/v1/accounts/A-000007/orders?limit=100000")
    check(st == 400 and "limit" in j["error"]["fields"], "a huge limit is 400 naming limit", (st, j))


def test_strategy_put_etags_and_errors():
    mgr = CALLERS["manager"]
    st, h, j = mgr("GET", "/api/v1/strategy")
    etag = h.get("etag")
    check(st == 200 and etag == f'"strategy-v{j["version"]}"', "GET /api/v1/strategy answers its ETag", (st, etag))
    before = snapshot()
    st, _, j = toml_put(mgr, STRATEGY, {"If-Match": '"strategy-v1"'})
    check(st == 412 and j["error"]["code"] == "stale" and snapshot() == before,
          "PUT with a stale If-Match is 412, nothing saved", (st, j))
    bad = STRATEGY.replace('vision = "First choice in every division"', "vision = 42")  # line 3
    st, _, j = toml_put(mgr, bad, {"If-Match": etag})
    check(st == 400 and j["error"]["fields"].get("vision", "").startswith("line 3:") and snapshot() == before,
          "a bad strategy text is 400 naming the key and its line", (st, j))
    st, _, j = toml_put(mgr, "mission = \n", {"If-Match": etag})
    check(st == 400 and j["error"]["fields"].get("body", "").startswith("line 1") and snapshot() == before,
          "broken TOML is 400 naming the line", (st, j))
    st, _, j = mgr("PUT", "/api/v1/strategy", {"mission": "json"}, {"If-Match": etag})
    check(st == 415 and snapshot() == before, "a JSON body is 415 (the strategy is TOML text)", (st, j))
    st, h2, j = toml_put(mgr, 'notes = "fresh"\n' + STRATEGY, {"If-Match": etag})
    check(st == 200 and h2.get("etag") == f'"strategy-v{j["version"]}"' and h2["etag"] != etag,
          "PUT with the current ETag saves the next version", (st, j))
    got = cli_json("strategy", "show")
    check(got["notes"] == "fresh" and got["version"] == j["version"], "the command line reads what was PUT", got)
    st, _, j = mgr("GET", "/api/v1/strategy?version=999")
    check(st == 404, "an unknown version is 404", (st, j))


def xlsx_parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_strategy_download():
    s = CALLERS["sales"]
    for fmt in ("html", "xlsx"):
        out = os.path.join(HUB.dir, "strategy." + fmt)
        cli("strategy", "export", "--format", fmt, "--out", out, "--force")
        with open(out, "rb") as f:
            want = f.read()
        st, h, _ = s("GET", f"/api/v1/strategy/export?format={fmt}")
        body = SRV.last_body
        if fmt == "xlsx":  # the package's parts; its creation time (docProps/core.xml) is the clock's
            body, want = xlsx_parts(body), xlsx_parts(want)
        check(st == 200 and body == want, f"the {fmt} download is what strategy export writes",
              (st, len(body), len(want)))
        check(h.get("content-disposition", "").startswith("attachment;"), f"the {fmt} page is a download",
              h.get("content-disposition"))
    h_html = s("GET", "/api/v1/strategy/export?format=html")[1]
    csp = h_html.get("content-security-policy", "")
    check("sandbox" in csp and "default-src 'none'" in csp and "script" not in csp
          and h_html.get("content-type", "").startswith("text/html"),
          "the html download cannot run script in our origin (attachment, CSP sandbox)", h_html)
    st, _, j = s("GET", "/api/v1/strategy/export?format=pdf")
    check(st == 400 and "format" in j["error"]["fields"], "a bad format is 400 naming format", (st, j))


def test_cem_patch_etags():
    mgr = CALLERS["manager"]
    st, h, j = mgr("GET", "/api/v1/cem?year=2026")
    etag = h.get("etag")
    check(st == 200 and etag, "GET /api/v1/cem answers the ETag of the year's steps", (st, h))
    before = snapshot()
    st, _, j = mgr("PATCH", "/api/v1/cem/3?year=2026", {"status": "in-progress"})
    check(st == 428 and snapshot() == before, "PATCH a step without If-Match is 428", (st, j))
    st, h2, j = mgr("PATCH", "/api/v1/cem/3?year=2026", {"status": "in-progress", "owner": "mo.manager",
                                                         "note": "workshop booked"}, {"If-Match": etag})
    step = j["steps"][2] if st == 200 else {}
    check(st == 200 and step.get("status") == "in-progress" and step.get("note") == "workshop booked"
          and h2.get("etag") not in (None, etag), "PATCH with the ETag changes the step", (st, j))
    before = snapshot()
    st, _, j = mgr("PATCH", "/api/v1/cem/3?year=2026", {"status": "done"}, {"If-Match": etag})
    check(st == 412 and snapshot() == before, "a stale If-Match on a step is 412, nothing written", (st, j))
    st, _, j = mgr("PATCH", "/api/v1/cem/3?year=2026", {"status": "finished"}, {"If-Match": h2["etag"]})
    check(st == 400 and "status" in j["error"]["fields"] and snapshot() == before,
          "an unknown status is 400 naming status", (st, j))
    st, _, j = mgr("PATCH", "/api/v1/cem/9?year=2026", {"status": "done"}, {"If-Match": h2["etag"]})
    check(st == 404 and snapshot() == before, "step 9 is 404", (st, j))
    board = cli_json("cem", "show", "--year", "2026")
    check(board["steps"][2]["status"] == "in-progress" and board["steps"][2]["owner"] == "Mo Manager",
          "cem show reads the step PATCHed", board["steps"][2])


def test_feedback_and_survey_links():
    s = CALLERS["sales"]
    body = {"kind": "nps", "score": 10, "contact_id": "C-000001", "touchpoint": "T-000001", "comment": "<b>fast</b>"}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    n = HUB.count("feedback")
    st, _, j = s("POST", "/api/v1/feedback", body, key)
    st2, h2, j2 = s("POST", "/api/v1/feedback", body, key)
    check(st == 201 and j["id"].startswith("F-") and j["account_id"] == "A-000001" and j["comment"] == "<b>fast</b>"
          and st2 == 201 and j2 == j and h2.get("idempotent-replayed") == "true" and HUB.count("feedback") == n + 1,
          "POST /api/v1/feedback logs once, a replay answers the first answer", (st, j, st2, j2))
    first = s("GET", "/api/v1/accounts/A-000001/feedback?limit=1")[2]["items"][0]
    check(first == j, "the logged feedback heads the account's feedback", (first, j))
    for bad, field in (({"kind": "nps", "score": "nine"}, "score"), ({"kind": "nps", "score": 11}, "score"),
                       ({"kind": "nps", "score": 5, "contact_id": "C-999999"}, "contact_id"),
                       ({"kind": "nps", "score": 5, "shoe": 1}, "shoe")):
        before = snapshot()
        st, _, j = s("POST", "/api/v1/feedback", bad)
        check(st == 400 and field in j["error"]["fields"] and snapshot() == before,
              f"bad feedback is 400 naming {field}", (st, j))
    st, _, j = s("POST", "/api/v1/survey-links", {"touchpoint": "T-000001", "contact_id": "C-000001"})
    want = cli_json("survey", "link", "--touchpoint", "T-000001", "--contact", "C-000001")
    check(st == 201 and set(j) == set(want) and j["kind"] == "nps" and j["contact"] == "C-000001"
          and j["url"].startswith(f"http://127.0.0.1:{SRV.port}/survey/"),
          "POST /api/v1/survey-links answers survey link --json's shape, reachable at this server", (st, j, want))
    page = SRV.req("GET", j["url"].split(str(SRV.port), 1)[1])
    check(page[0] == 200, "the link's survey page opens", page[0])
    before = snapshot()
    st, _, j = s("POST", "/api/v1/survey-links", {"touchpoint": "T-999999"})
    check(st == 400 and "touchpoint" in j["error"]["fields"] and snapshot() == before,
          "an unknown touchpoint is 400 naming touchpoint", (st, j))
    st, _, j = s("GET", "/api/v1/feedback/curve")
    check(st == 400 and "division" in j["error"]["fields"], "the curve without a division is 400 naming it", (st, j))
    st, _, j = s("GET", "/api/v1/feedback/scores?by=mood")
    check(st == 400 and "by" in j["error"]["fields"], "scores by an unknown group is 400 naming by", (st, j))


def test_answers_match_the_document():
    """Run last: every answer above was checked against the OpenAPI document."""
    base.answers_fit_the_document(40)


if __name__ == "__main__":
    base.run_on_one_server(setup, (test_first_strategy_version, test_every_role_against_every_route,
                                   test_gets_equal_the_command_line, test_account_orders_and_feedback,
                                   test_strategy_put_etags_and_errors, test_strategy_download,
                                   test_cem_patch_etags, test_feedback_and_survey_links,
                                   test_answers_match_the_document),
                           lambda: SRV)
