"""HTTP API scenarios (docs/api.md) against a real `cxhub serve` on a temporary hub: signing in,
CSRF, the access table (every role against every route, the database unchanged on refusal),
ETags, Idempotency-Key, bad input, limits (413, 431, slowloris), keep-alive, graceful
shutdown, and the OpenAPI document against what the server answers.
Longer than the project's ~600 lines: it is also the module other API tests import (Server,
sign-in and request helpers), and one server start serves all its scenarios.
usage: cli_api_test.py PATH/TO/cxhub"""
import json
import os
import re
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402
from serve import Serve  # noqa: E402

try:
    import jsonschema  # Debian: python3-jsonschema (scripts/deps.sh test)
except ImportError:  # a test step that cannot run fails loudly
    print("FAIL: python3-jsonschema is not installed (scripts/deps.sh test); the answers cannot be "
          "checked against the OpenAPI document")
    sys.exit(1)

# Statuses the server itself gives before a route is chosen, on any path.
SERVER_STATUSES = {404, 405, 408, 413, 431}


class Document:
    """The server's OpenAPI document: every answer a scenario gets is checked against it."""

    def __init__(self, doc):
        self.doc = doc
        self.routes = []
        for path, ops in doc["paths"].items():
            rx = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            for method, op in ops.items():
                self.routes.append((method.upper(), path, rx, op))
        self.checked = 0
        self.problems = []

    def resolve(self, schema):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return self.doc["components"]["schemas"][name]
        return schema

    def validate(self, method, path, status, headers, body_bytes):
        path = path.split("?", 1)[0]
        for m, pattern, rx, op in self.routes:
            if m == method and rx.match(path):
                break
        else:
            return
        answers = op["responses"]
        if str(status) not in answers:
            if status not in SERVER_STATUSES:
                self.problems.append(f"{method} {pattern} answered {status}, which the document lacks")
            return
        content = answers[str(status)].get("content")
        if not content:
            return
        ctype = headers.get("content-type", "").split(";")[0]
        if ctype not in content:
            self.problems.append(f"{method} {pattern} {status}: content type {ctype} is not "
                                 f"the documented {list(content)}")
            return
        if ctype != "application/json":
            return
        schema = self.resolve(content[ctype]["schema"])
        try:
            jsonschema.validate(json.loads(body_bytes), schema)
            self.checked += 1
        except (ValueError, jsonschema.ValidationError) as e:
            self.problems.append(f"{method} {pattern} {status}: {str(e).splitlines()[0]}")


DOC = None  # set once a server answers /api/v1/openapi.json

PASSWORD = "correct horse 1"
ROLES = {  # login: (role, division)
    "ada.admin": ("admin", ""),
    "sam.sales": ("sales", "Motors"),
    "sia.service": ("service", "Motors"),
    "ste.motors": ("steward", "Motors"),
    "ste.medical": ("steward", "Medical"),
    "mo.manager": ("manager", ""),
    "erp.job": ("erp", ""),
}


class Server(Serve):
    """`cxhub serve` on the hub (tests/serve.py); every answer is checked against the OpenAPI
    document once the server has served it."""

    def __init__(self, hub, *extra):
        super().__init__(BIN, hub.url, *extra)
        self.hub = hub
        self.log = self.lines

    def request(self, method, path, body=None, headers=None, **kw):
        status, headers, text = super().request(method, path, body=body, headers=headers, **kw)
        self.last_body = text
        global DOC
        if DOC is None and path == "/api/v1/openapi.json" and status == 200:
            DOC = Document(json.loads(text))
        if DOC is not None:
            DOC.validate(method, path, status, headers, text)
        return status, headers, text


class Session:
    """A signed-in person: their cookie and CSRF token."""

    def __init__(self, srv, login, password=PASSWORD):
        st, h, j = srv.req("POST", "/api/v1/session", {"login": login, "password": password})
        assert st == 200, (login, st, j)
        self.srv, self.login, self.csrf = srv, login, j["csrf_token"]
        self.cookie = h["set-cookie"].split(";")[0]
        self.set_cookie = h["set-cookie"]
        self.body = j

    def req(self, method, path, body=None, headers=None, csrf=True, raw=None):
        h = {"Cookie": self.cookie}
        if csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        h.update(headers or {})
        return self.srv.req(method, path, body, h, raw=raw)


def make_hub():
    hub = Hub()
    p = hub.run("init")
    assert p.returncode == 0, p.stderr
    for login, (role, division) in ROLES.items():
        args = ["user", "add", login, "--role", role, "--name", login.replace(".", " ").title(), "--password-stdin"]
        if division:
            args += ["--division", division]
        p = hub.run(*args, stdin=PASSWORD + "\n")
        assert p.returncode == 0, p.stderr
    for args in (["account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors", "--id", "A-000001"],
                 ["account", "add", "--name", "Zenith Medical Supplies", "--division", "Medical", "--id",
                  "A-000002"],
                 ["contact", "add", "--name", "Ada Obi", "--account", "A-000001", "--id", "C-000001"],
                 ["interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes", "first call"]):
        p = hub.run(*args)
        assert p.returncode == 0, (args, p.stderr)
    return hub


def snapshot(hub):
    """What a refused request must leave as it was."""
    tables = ("accounts", "contacts", "interactions", "audit", "api_idempotency")
    got = hub.sql_many([(f"SELECT COUNT(*) FROM {t}", ()) for t in tables]
                       + [("SELECT * FROM accounts WHERE id = 'A-000001'", ()),
                          ("SELECT * FROM accounts WHERE id = 'A-000002'", ())])
    out = {t: rows[0][0] for t, rows in zip(tables, got)}
    out["A1"], out["A2"] = got[-2], got[-1]
    return out


HUB = None
SRV = None


def setup():
    global HUB, SRV
    HUB = make_hub()
    SRV = Server(HUB)
    SRV.req("GET", "/api/v1/openapi.json")


def check_every_role(callers, route_cases, rules, routes, snapshot):
    """A file's own role table against the server: every route of route_cases(role) is in the
    OpenAPI document, each role that rules[rule] names gets a 2xx, every other role gets 403 and
    snapshot() is unchanged. A case is (rule, method, documented path, path, body, headers):
    body a JSON value or ("raw", text); headers None or "etag:PATH", the ETag an admin reads
    there sent as If-Match."""
    documented = {(m, p) for p, ops in DOC.doc["paths"].items() for m in (x.upper() for x in ops)}
    check(routes <= documented, "every route of this table is in the OpenAPI document", sorted(routes - documented))
    for role, call in callers.items():
        for rule, method, pattern, path, body, headers in route_cases(role):
            h = {}
            if isinstance(headers, str):
                _, got, _ = callers["admin"]("GET", headers.split(":", 1)[1])
                h["If-Match"] = got["etag"]
            raw = None
            if isinstance(body, tuple):
                raw, body = body[1].encode(), None
                h["Content-Type"] = "text/plain; charset=utf-8"
            before = snapshot()
            st, _, j = call(method, path, body, h, raw=raw)
            code = (j or {}).get("error", {}).get("code") if isinstance(j, dict) else None
            if role in rules[rule]:
                check(200 <= st < 300, f"{role} may {rule}: {method} {pattern} -> {st}", j)
            else:
                check(st == 403 and code == "forbidden", f"{role} may not {rule}: {method} {pattern} -> 403",
                      (st, j))
                check(snapshot() == before, f"{role}'s refused {method} {pattern} changed nothing")


def answers_fit_the_document(at_least):
    """Run last in a scenario file: every answer its server gave was checked against the OpenAPI
    document (more than at_least of them had a schema to check)."""
    check(DOC is not None and DOC.checked > at_least, "the scenarios' answers were validated against the "
          "OpenAPI document's schemas", DOC.checked if DOC else None)
    check(DOC is not None and not DOC.problems, "every answer fits the OpenAPI document",
          DOC.problems[:10] if DOC else None)


def test_answers_match_the_document():
    answers_fit_the_document(50)


def run_on_one_server(setup, scenarios, server, alone=()):
    """setup() starts a file's one server; each scenario then runs on it in order (a scenario's
    crash is one failure, not an abort) and server() is stopped. The `alone` scenarios run after,
    each with its own hub and server."""
    def all_tests():
        setup()
        try:
            for t in scenarios:
                try:
                    t()
                except Exception as e:
                    check(False, t.__name__ + " raised", repr(e))
        finally:
            server().stop()

    run([all_tests, *alone])


def test_health_openapi_and_access_log():
    st, h, j = SRV.req("GET", "/healthz")
    check(st == 200 and j == {"status": "ok"}, "GET /healthz answers 200 without signing in", (st, j))
    st, h, j = SRV.req("GET", "/api/v1/openapi.json")
    check(st == 200 and j["openapi"].startswith("3."), "GET /api/v1/openapi.json is an OpenAPI 3 document", st)
    time.sleep(0.2)
    lines = [json.loads(x) for x in SRV.log if x.startswith("{") and '"path"' in x]
    hz = [x for x in lines if x["path"] == "/healthz"]
    check(hz and all(k in hz[-1] for k in ("method", "path", "status", "bytes", "us", "user"))
          and hz[-1]["status"] == 200 and hz[-1]["bytes"] == len('{"status":"ok"}'),
          "one structured access-log line per request (method, path, status, bytes, us, user)", hz[-1:])


def test_login_and_session():
    s = Session(SRV, "sam.sales")
    check(set(s.body) >= {"login", "name", "role", "csrf_token"} and s.body["login"] == "sam.sales"
          and s.body["role"] == "sales" and s.body["name"] == "Sam Sales",
          "login answers login, name, role and csrf_token", s.body)
    attrs = [a.strip().lower() for a in s.set_cookie.split(";")]
    check(s.cookie.startswith("cxhub_session=") and "httponly" in attrs and "samesite=lax" in attrs
          and "path=/" in attrs, "the session cookie is cxhub_session, HttpOnly, SameSite=Lax, Path=/",
          s.set_cookie)
    st, _, j = s.req("GET", "/api/v1/session")
    check(st == 200 and j["login"] == "sam.sales", "the cookie signs the next request in", (st, j))
    raw = s.cookie.split("=", 1)[1]
    stored = HUB.sql("SELECT count(*) FROM api_sessions WHERE id_hash = ? OR csrf_token = ''",
                     (raw,))[0][0]
    check(stored == 0, "the database keeps the session's hash, not the cookie's value")

    t0 = time.time()
    st1, _, j1 = SRV.req("POST", "/api/v1/session", {"login": "sam.sales", "password": "wrong password"})
    t1 = time.time()
    st2, _, j2 = SRV.req("POST", "/api/v1/session", {"login": "nobody.here", "password": "wrong password"})
    t2 = time.time()
    check(st1 == 401 and st2 == 401 and j1 == j2, "a wrong password and an unknown login get the same 401",
          (st1, j1, st2, j2))
    check((t2 - t1) > 0.3 * (t1 - t0), "an unknown login costs a password check too (no timing tell)",
          (t1 - t0, t2 - t1))

    # Rotation: logging in again gives a new session; the old cookie sent along is ended.
    st, h, j = SRV.req("POST", "/api/v1/session", {"login": "sam.sales", "password": PASSWORD},
                       {"Cookie": s.cookie})
    new_cookie = h["set-cookie"].split(";")[0]
    st_old, _, _ = s.req("GET", "/api/v1/session")
    check(st == 200 and new_cookie != s.cookie and st_old == 401, "login rotates the session", (st, st_old))

    # Logout needs the CSRF token, then ends the session.
    s2 = Session(SRV, "sam.sales")
    st, _, j = s2.req("DELETE", "/api/v1/session", csrf=False)
    check(st == 403 and j["error"]["code"] == "csrf", "logout without X-CSRF-Token is 403", (st, j))
    st, _, _ = s2.req("DELETE", "/api/v1/session")
    st2, _, _ = s2.req("GET", "/api/v1/session")
    check(st == 204 and st2 == 401, "DELETE /api/v1/session logs out", (st, st2))


def test_sessions_survive_restart_and_end_on_password_change():
    global SRV
    s = Session(SRV, "mo.manager")
    check(SRV.stop() == 0, "SIGTERM stops the server cleanly (exit 0)")
    SRV = Server(HUB)
    s.srv = SRV
    st, _, _ = s.req("GET", "/api/v1/session")
    check(st == 200, "a restarted server keeps the sessions (they live in the database)", st)
    p = HUB.run("user", "reset-password", "mo.manager", "--password-stdin", stdin="another pass 2\n")
    st, _, _ = s.req("GET", "/api/v1/session")
    check(p.returncode == 0 and st == 401, "a password change ends the user's sessions", (p.stderr, st))
    p = HUB.run("user", "reset-password", "mo.manager", "--password-stdin", stdin=PASSWORD + "\n")
    assert p.returncode == 0


def test_no_session_is_401_and_changes_nothing():
    before = snapshot(HUB)
    for method, path, body in [("GET", "/api/v1/search?q=okafor", None), ("GET", "/api/v1/accounts/A-000001", None),
                               ("PATCH", "/api/v1/accounts/A-000001", {"industry": "x"}),
                               ("POST", "/api/v1/accounts", {"name": "New Co"}),
                               ("POST", "/api/v1/contacts", {"full_name": "New Person"}),
                               ("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "phone"}),
                               ("GET", "/api/v1/session", None), ("DELETE", "/api/v1/session", None)]:
        for headers in ({}, {"Cookie": "cxhub_session=forged"}, {"Authorization": "Bearer forged"}):
            st, _, j = SRV.req(method, path, body, headers)
            check(st == 401 and j["error"]["code"] == "unauthenticated",
                  f"{method} {path} with {list(headers) or 'nothing'} is 401", (st, j))
    check(snapshot(HUB) == before, "requests without a session changed nothing")


def test_throttling_per_login():
    p = HUB.run("user", "add", "tess.try", "--role", "sales", "--password-stdin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    for _ in range(5):
        st, _, _ = SRV.req("POST", "/api/v1/session", {"login": "tess.try", "password": "bad password"})
    st, h, j = SRV.req("POST", "/api/v1/session", {"login": "tess.try", "password": PASSWORD})
    check(st == 429 and j["error"]["code"] == "throttled" and "retry-after" in h,
          "after 5 failures the login is throttled (429), even with the right password", (st, j))
    n = HUB.sql("SELECT count(*) FROM api_login_failures WHERE key = 'login:tess.try'")[0][0]
    check(n == 5, "the throttle is kept in the database", n)
    st, _, _ = SRV.req("POST", "/api/v1/session", {"login": "ste.motors", "password": PASSWORD})
    check(st == 200, "another login from the same address still signs in", st)


def test_throttling_per_address():
    hub = make_hub()
    srv = Server(hub)
    try:
        for i in range(20):
            srv.req("POST", "/api/v1/session", {"login": f"guess{i}", "password": "bad password"})
        st, _, j = srv.req("POST", "/api/v1/session", {"login": "ada.admin", "password": PASSWORD})
        check(st == 429, "20 failures from one address throttle every login from it", (st, j))
    finally:
        srv.stop()


def token_for(login):
    p = HUB.run("token", "create", login)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def role_callers(srv):
    """One caller per role against `srv`, called as (method, path, body, headers, raw=…): the
    person roles through a signed-in Session of their login (not ste.medical, the steward of
    another division), the erp role with its bearer token."""
    callers = {}
    for login, (role, _division) in ROLES.items():
        if login == "ste.medical":
            continue
        if role == "erp":
            tok = token_for(login)
            callers[role] = lambda m, p, b=None, h=None, raw=None, tok=tok: srv.req(
                m, p, b, {"Authorization": "Bearer " + tok, **(h or {})}, raw=raw)
        else:
            s = Session(srv, login)
            callers[role] = lambda m, p, b=None, h=None, raw=None, s=s: s.req(m, p, b, h, raw=raw)
    return callers


# Every route, with a request that should succeed for a role that may do it.
def route_cases(role):
    names = {"admin": "Adebayo Foods", "sales": "Chukwuma Plastics", "steward": "Danjuma Logistics",
             "service": "Eze Textiles", "manager": "Funmilayo Bakery", "erp": "Gbenga Cement"}
    return [
        ("search", "GET", "/api/v1/search?q=okafor&limit=5", None, {}),
        ("account.read", "GET", "/api/v1/accounts/A-000001", None, {}),
        ("contact.read", "GET", "/api/v1/contacts/C-000001", None, {}),
        ("interaction.read", "GET", "/api/v1/interactions/I-000001", None, {}),
        ("account.edit", "PATCH", "/api/v1/accounts/A-000001", {"industry": f"Automotive {role}"}, "etag"),
        ("account.create", "POST", "/api/v1/accounts", {"name": names[role] + " Ltd", "divisions": "Motors"}, {}),
        ("contact.create", "POST", "/api/v1/contacts",
         {"full_name": names[role].split()[0] + " Okonkwo", "account_id": "A-000001"}, {}),
        ("interaction.create", "POST", "/api/v1/interactions",
         {"contact_id": "C-000001", "channel": "phone", "notes": f"called by {role}"}, {}),
    ]


ALLOWED = {  # the access table of docs/api.md
    "search": {"sales", "service", "steward", "manager", "admin"},
    "account.read": {"sales", "service", "steward", "manager", "admin"},
    "contact.read": {"sales", "service", "steward", "manager", "admin"},
    "interaction.read": {"sales", "service", "steward", "manager", "admin"},
    "account.edit": {"steward", "manager", "admin"},
    "account.create": {"sales", "steward", "admin"},
    "contact.create": {"sales", "steward", "admin"},
    "interaction.create": {"sales", "service", "steward", "manager", "admin"},
}


def test_every_role_against_every_route():
    callers = {}
    for login, (role, division) in ROLES.items():
        if login == "ste.medical":
            continue
        if role == "erp":
            tok = token_for(login)
            callers[role] = lambda m, p, b=None, h=None, tok=tok: SRV.req(
                m, p, b, {"Authorization": "Bearer " + tok, **(h or {})})
        else:
            s = Session(SRV, login)
            callers[role] = lambda m, p, b=None, h=None, s=s: s.req(m, p, b, h)
    for role, call in callers.items():
        for op, method, path, body, extra in route_cases(role):
            headers = {}
            if extra == "etag":
                _, h, _ = callers["admin"]("GET", "/api/v1/accounts/A-000001")
                headers["If-Match"] = h["etag"]
            before = snapshot(HUB)
            st, _, j = call(method, path, body, headers)
            if role in ALLOWED[op]:
                check(200 <= st < 300, f"{role} may {op} ({method} {path}) -> {st}", j)
            else:
                check(st == 403 and j["error"]["code"] == "forbidden",
                      f"{role} may not {op} ({method} {path}) -> 403", (st, j))
                check(snapshot(HUB) == before, f"{role}'s refused {op} changed nothing")


def test_steward_division_scope():
    s = Session(SRV, "ste.medical")
    _, h, _ = s.req("GET", "/api/v1/accounts/A-000001")
    before = snapshot(HUB)
    st, _, j = s.req("PATCH", "/api/v1/accounts/A-000001", {"industry": "Pharma"}, {"If-Match": h["etag"]})
    check(st == 403 and snapshot(HUB) == before, "a Medical steward may not edit a Motors account", (st, j))
    _, h, _ = s.req("GET", "/api/v1/accounts/A-000002")
    st, _, j = s.req("PATCH", "/api/v1/accounts/A-000002", {"industry": "Pharma"}, {"If-Match": h["etag"]})
    check(st == 200 and j["industry"] == "Pharma", "a Medical steward edits a Medical account", (st, j))


def test_csrf():
    s = Session(SRV, "sam.sales")
    before = snapshot(HUB)
    body = {"contact_id": "C-000001", "channel": "phone", "notes": "csrf check"}
    st1, _, j1 = s.req("POST", "/api/v1/interactions", body, csrf=False)
    st2, _, j2 = s.req("POST", "/api/v1/interactions", body, {"X-CSRF-Token": "not-the-token"})
    near = s.csrf[:-1] + ("A" if s.csrf[-1] != "A" else "B")  # same length, one character off
    st3, _, j3 = s.req("POST", "/api/v1/interactions", body, {"X-CSRF-Token": near})
    other = Session(SRV, "sam.sales")  # another session's token is not this one's
    st4, _, j4 = s.req("POST", "/api/v1/interactions", body, {"X-CSRF-Token": other.csrf})
    check(st1 == 403 and st2 == 403 and st3 == 403 and st4 == 403 and j1["error"]["code"] == "csrf",
          "a POST with the cookie but without (or with a wrong) X-CSRF-Token is 403", (st1, st2, st3, st4))
    check(snapshot(HUB) == before, "a refused CSRF request changed nothing")
    tok = token_for("sam.sales")
    st, _, j = SRV.req("POST", "/api/v1/interactions", body, {"Authorization": "Bearer " + tok})
    check(st == 201 and j["id"].startswith("I-"), "a bearer token needs no CSRF token", (st, j))
    st, h, j = SRV.req("POST", "/api/v1/interactions", dict(body, notes="located"),
                       {"Authorization": "Bearer " + tok})
    st2, _, j2 = SRV.req("GET", h.get("location", "/x"), headers={"Authorization": "Bearer " + tok})
    check(st == 201 and st2 == 200 and j2["notes"] == "located" and j2["logged_by"] == "Sam Sales",
          "a created interaction's Location answers it, logged by the token's user (shown by full name)", (st, st2, j2))
    st, _, j = SRV.req("GET", "/api/v1/contacts/C-000001", headers={"Authorization": "Bearer " + tok})
    check(st == 200 and j["account_id"] == "A-000001" and j["account_name"] == "Okafor Motors Ltd"
          and any(i["notes"] == "located" for i in j["interactions"]),
          "GET /api/v1/contacts/{id} shows its account and interactions", (st, j))
    leaked = HUB.sql("SELECT count(*) FROM api_tokens WHERE hash = ?", (tok,))[0][0]
    check(leaked == 0, "the database keeps the token's hash, not the token")


def test_etags():
    s = Session(SRV, "ada.admin")
    st, h, j = s.req("GET", "/api/v1/accounts/A-000001")
    etag = h.get("etag")
    check(st == 200 and etag and j["id"] == "A-000001", "GET /api/v1/accounts/{id} answers with an ETag", (st, h))
    before = snapshot(HUB)
    st, _, j = s.req("PATCH", "/api/v1/accounts/A-000001", {"industry": "Trucks"})
    check(st == 428 and snapshot(HUB) == before, "PATCH without If-Match is 428 and changes nothing", (st, j))
    st, h2, j = s.req("PATCH", "/api/v1/accounts/A-000001", {"industry": "Trucks"}, {"If-Match": etag})
    check(st == 200 and j["industry"] == "Trucks" and h2.get("etag") not in (None, etag),
          "PATCH with the current ETag edits and answers the new ETag", (st, j))
    before = snapshot(HUB)
    st, _, j = s.req("PATCH", "/api/v1/accounts/A-000001", {"industry": "Buses"}, {"If-Match": etag})
    check(st == 412 and j["error"]["code"] == "stale" and snapshot(HUB) == before,
          "PATCH with a stale ETag is 412 and changes nothing (no lost update)", (st, j))
    st, _, j = s.req("GET", "/api/v1/accounts/A-999999")
    check(st == 404 and j["error"]["code"] == "not_found", "an unknown account id is 404", (st, j))


def test_idempotency_key():
    s = Session(SRV, "sam.sales")
    body = {"contact_id": "C-000001", "channel": "whatsapp", "notes": "wants a quote",
            "next_action": "send quote", "due": "05/04/2026 12:00"}
    before = snapshot(HUB)
    st1, _, j1 = s.req("POST", "/api/v1/interactions", body, {"Idempotency-Key": "k-123"})
    st2, h2, j2 = s.req("POST", "/api/v1/interactions", body, {"Idempotency-Key": "k-123"})
    after = snapshot(HUB)
    check(st1 == 201 and st2 == 201 and j1 == j2 and after["interactions"] == before["interactions"] + 1,
          "a replayed Idempotency-Key returns the first answer and creates nothing new", (st1, st2, j1, j2))
    st3, _, j3 = s.req("POST", "/api/v1/interactions", dict(body, notes="other"), {"Idempotency-Key": "k-123"})
    check(st3 == 422 and snapshot(HUB)["interactions"] == after["interactions"],
          "the same key with another body is refused (422)", (st3, j3))
    n = HUB.sql("SELECT count(*) FROM api_idempotency WHERE key = 'k-123' AND status = 201")[0][0]
    check(n == 1, "the key and its answer are stored in the database", n)


def test_search_first_creation():
    s = Session(SRV, "sam.sales")
    before = snapshot(HUB)
    st, _, j = s.req("POST", "/api/v1/accounts", {"name": "Okafor Motors Limited", "divisions": "Motors"})
    ids = [m["id"] for m in (j or {}).get("matches", [])]
    check(st == 409 and "A-000001" in ids and j["error"]["matches"][0]["id"] == "A-000001"
          and snapshot(HUB) == before, "a probable duplicate account is 409 with the matches", (st, j))
    st, _, j = s.req("POST", "/api/v1/accounts", {"name": "Okafor Motors Limited", "force": True})
    check(st == 400 and "reason" in j["error"]["message"], "force without a reason is 400", (st, j))
    st, h, j = s.req("POST", "/api/v1/accounts",
                     {"name": "Okafor Motors Limited", "force": True, "reason": "a second branch"})
    check(st == 201 and j["id"].startswith("A-") and h.get("location") == "/api/v1/accounts/" + j["id"],
          "force with a reason creates anyway (201)", (st, j))
    st, _, j = s.req("POST", "/api/v1/contacts", {"full_name": "Ada  Obi", "account_id": "A-000001"})
    check(st == 409 and any(m["id"] == "C-000001" for m in j.get("matches", [])),
          "a probable duplicate contact is 409 with the matches", (st, j))


def test_search():
    s = Session(SRV, "sia.service")
    st, _, j = s.req("GET", "/api/v1/search?q=okafor%20motors&limit=5")
    p = HUB.run("search", "okafor motors", "--limit", "5", "--json")
    check(st == 200 and j == json.loads(p.stdout), "GET /api/v1/search = search --json", (st, j))
    st, _, j = s.req("GET", "/api/v1/search?q=okafor&limit=100000")
    check(st == 400 and "limit" in j["error"]["fields"], "a huge limit is 400 naming limit", (st, j))
    st, _, j = s.req("GET", "/api/v1/search?q=okafor&color=red")
    check(st == 400 and "color" in j["error"]["fields"], "an unknown query parameter is 400 naming it", (st, j))
    st, _, j = s.req("GET", "/api/v1/search")
    check(st == 400 and "q" in j["error"]["fields"], "search without q is 400 naming q", (st, j))


def test_bad_input():
    s = Session(SRV, "sam.sales")
    before = snapshot(HUB)
    st, _, j = s.req("POST", "/api/v1/interactions", raw=b'{"contact_id": "C-000001", "channel": ',
                     headers={"Content-Type": "application/json"})
    check(st == 400 and j["error"]["code"] == "bad_json" and "JSON" in j["error"]["message"],
          "bad JSON is 400 saying what is wrong", (st, j))
    st, _, j = s.req("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "phone", "mood": "x"})
    check(st == 400 and "mood" in j["error"]["fields"], "an unknown field is 400 naming it", (st, j))
    st, _, j = s.req("POST", "/api/v1/interactions", {"contact_id": 7, "channel": "phone"})
    check(st == 400 and j["error"]["fields"].get("contact_id") == "must be a string",
          "a wrong type is 400 naming the field", (st, j))
    st, _, j = s.req("POST", "/api/v1/interactions", {"contact_id": "C-424242", "channel": "phone"})
    check(st == 400 and "contact_id" in j["error"]["fields"], "an unknown contact is 400 naming contact_id",
          (st, j))
    st, _, j = s.req("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "pigeon"})
    check(st == 400 and "channel" in j["error"]["fields"], "a bad channel is 400 naming channel", (st, j))
    st, _, j = s.req("POST", "/api/v1/interactions", raw=b'{"contact_id": "C-000001", "channel": "phone", '
                     b'"notes": "caf\xe9"}', headers={"Content-Type": "application/json"})
    check(st == 400 and j["error"]["code"] == "bad_json", "invalid UTF-8 is 400", (st, j))
    check(snapshot(HUB) == before, "bad input changed nothing")
    xss = "<script>alert('x')</script> & \"quotes\""
    st, h, j = s.req("POST", "/api/v1/interactions", {"contact_id": "C-000001", "channel": "phone", "notes": xss})
    st2, h2, j2 = s.req("GET", "/api/v1/accounts/A-000001")
    notes = [i["notes"] for i in j2["interactions"]]
    check(st == 201 and xss in notes and h2["content-type"].startswith("application/json"),
          "notes with HTML come back as JSON data, unchanged", (st, notes[:2]))
    st, _, j = s.req("GET", "/api/v1/nothing/here")
    check(st == 404, "an unknown path is 404", st)
    st, h, j = s.req("PUT", "/api/v1/accounts/A-000001", {"name": "x"})
    check(st == 405 and "PATCH" in h.get("allow", ""), "a known path with another method is 405 with Allow",
          (st, h.get("allow")))


def test_limits():
    before = snapshot(HUB)
    st, _, j = SRV.req("POST", "/api/v1/session", raw=b'{"login": "x", "password": "' + b"a" * (1536 * 1024) + b'"}',
                       headers={"Content-Type": "application/json"})
    check(st == 413 and j["error"]["code"] == "too_large", "a body over 1 MiB is 413 (a 1.5 MB password)", (st, j))
    st, _, j = SRV.req("POST", "/api/v1/session", {"login": "sam.sales", "password": "p" * 100000})
    check(st == 400 and "password" in j["error"]["fields"], "a 100 kB password is refused before hashing", (st, j))
    st, _, j = SRV.req("GET", "/healthz", headers={"X-Flood": "y" * 40000})
    check(st == 431, "headers over 16 KiB are 431", st)
    st, _, _ = SRV.req("GET", "/healthz")
    check(st == 200 and snapshot(HUB) == before, "the server keeps answering; nothing was written", st)
    # Keep-alive: two requests on one connection.
    c = SRV.conn()
    c.request("GET", "/healthz")
    r1 = c.getresponse()
    r1.read()
    c.request("GET", "/healthz")
    r2 = c.getresponse()
    r2.read()
    check(r1.status == 200 and r2.status == 200, "keep-alive: two requests on one connection")
    c.close()


def test_slowloris():
    hub = make_hub()
    srv = Server(hub, "--header-timeout", "1")
    try:
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        closed_at = None
        other_times = []
        while time.time() - t0 < 5:
            try:
                s.sendall(b"X-Slow: y\r\n")
            except OSError:
                closed_at = time.time() - t0
                break
            s.settimeout(0.3)
            try:
                data = s.recv(4096)
                if data == b"" or data.startswith(b"HTTP/1.1 408"):
                    closed_at = time.time() - t0
                    break
            except socket.timeout:
                pass
            a = time.time()
            st, _, _ = srv.req("GET", "/healthz")
            other_times.append((st, time.time() - a))
        check(closed_at is not None and closed_at < 3, "a client trickling headers is cut off (header timeout 1 s)",
              closed_at)
        check(other_times and all(st == 200 and d < 0.5 for st, d in other_times),
              "others are answered meanwhile", other_times)
        s.close()
    finally:
        srv.stop()


def test_graceful_shutdown():
    hub = make_hub()
    srv = Server(hub)
    results = []

    def login():
        results.append(srv.req("POST", "/api/v1/session", {"login": "ada.admin", "password": PASSWORD})[0])

    threads = [threading.Thread(target=login) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.05)  # the requests are in (argon2id keeps them busy for a while)
    srv.p.send_signal(signal.SIGTERM)
    for t in threads:
        t.join()
    code = srv.p.wait(timeout=30)
    check(results == [200, 200, 200] and code == 0, "SIGTERM lets requests in flight finish", (results, code))
    try:
        socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    check(refused, "after shutdown the port is closed")


def concrete_path(path):
    for prefix, rid in (("/api/v1/accounts/", "A-000001"), ("/api/v1/contacts/", "C-000001"),
                        ("/api/v1/interactions/", "I-000001")):
        if path.startswith(prefix):
            return path.replace("{id}", rid)
    # Other records: an id that names none (the route answers 404 for the record, or 400/403).
    return re.sub(r"\{[^}]+\}", "X-0", path)


def no_such_route(st, j):
    return st == 405 or (st == 404 and j and j["error"]["message"].startswith("no such resource"))


def test_openapi_matches_the_routes():
    s = Session(SRV, "ada.admin")
    _, _, doc = SRV.req("GET", "/api/v1/openapi.json")
    documented = set()
    for path, ops in doc["paths"].items():
        for method in ops:
            documented.add((method.upper(), path))
    # Each documented route exists: the server answers it with something else than 404/405.
    for method, path in sorted(documented):
        concrete = concrete_path(path)
        st, _, j = s.req(method, concrete, {} if method in ("POST", "PATCH") else None)
        check(not no_such_route(st, j), f"documented {method} {path} exists ({st})", j)
        s = Session(SRV, "ada.admin") if (method, path) == ("DELETE", "/api/v1/session") else s
    # And the other way: each method the server accepts on a documented path is documented,
    # and paths the document lacks do not exist.
    for path in {p for _, p in documented}:
        concrete = concrete_path(path)
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if (method, path) in documented:
                continue
            st, _, _ = s.req(method, concrete, {} if method in ("POST", "PATCH", "PUT") else None)
            check(st == 405, f"undocumented {method} {path} is 405", st)
    # Paths the document lacks do not exist.
    for path in ("/api/v1/orders", "/api/v1/merges/M-1", "/api/v1/users/ada.admin/sessions", "/api/v1/kpis",
                 "/api/v1/accounts/A-000001/contacts"):
        st, _, j = s.req("GET", path)
        check(no_such_route(st, j), f"undocumented GET {path} does not exist ({st})", st)

    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            check("responses" in op and all(code.isdigit() for code in op["responses"]),
                  f"{method.upper()} {path} documents its answers")


def test_disable_and_tokens():
    tok = token_for("sia.service")
    st, _, _ = SRV.req("GET", "/api/v1/session", headers={"Authorization": "Bearer " + tok})
    check(st == 200, "a bearer token signs a job in", st)
    p = HUB.run("user", "disable", "sia.service")
    st, _, _ = SRV.req("GET", "/api/v1/session", headers={"Authorization": "Bearer " + tok})
    st2, _, _ = SRV.req("POST", "/api/v1/session", {"login": "sia.service", "password": PASSWORD})
    check(p.returncode == 0 and st == 401 and st2 == 401,
          "a disabled user's token stops working and they cannot log in", (p.stderr, st, st2))
    p = HUB.run("user", "enable", "sia.service")
    st, _, _ = SRV.req("GET", "/api/v1/session", headers={"Authorization": "Bearer " + tok})
    check(p.returncode == 0 and st == 200, "enabling the user again restores the token", st)
    p = HUB.run("token", "create", "sia.service", user="sam.sales")
    check(p.returncode == 2 and p.stdout == "", "only an admin creates tokens", (p.returncode, p.stderr))


if __name__ == "__main__":
    run_on_one_server(setup, (test_health_openapi_and_access_log, test_login_and_session,
                              test_sessions_survive_restart_and_end_on_password_change,
                              test_no_session_is_401_and_changes_nothing, test_throttling_per_login,
                              test_every_role_against_every_route, test_steward_division_scope, test_csrf,
                              test_etags, test_idempotency_key, test_search_first_creation, test_search,
                              test_bad_input, test_limits, test_openapi_matches_the_routes,
                              test_disable_and_tokens, test_answers_match_the_document),
                      lambda: SRV, (test_throttling_per_address, test_slowloris, test_graceful_shutdown))
