"""`cxhub move-store --to URL` (docs/operations.md, "Moving a hub"): a small demo hub with a merge,
an ERP sync, feedback, a strategy and users is moved from SQLite into a throwaway PostgreSQL
(tests/pg_server.py) and from there into a new SQLite file; every hub answers `search`, `kpi`,
`duplicates`, `audit`, `check` and `export-workbook` as the first one does, a user still signs in
on the last one, sessions stay behind. A target that holds anything is refused with nothing
written, and a move killed in the middle leaves its target empty, so that running it again works.
Run with Debian's python3 (openpyxl)."""
import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402
from serve import Serve  # noqa: E402
from pg_server import PgServer  # noqa: E402
import openpyxl  # noqa: E402  (Debian's python3-openpyxl)

PASSWORD = "correct horse battery staple"
PG = None  # the server, started by main()
SOURCE = None  # the hub every scenario moves, made once by main()


class UrlHub(Hub):
    """A hub at any URL (clihub's Hub is an SQLite file in its own folder)."""

    def __init__(self, url=None):
        super().__init__()
        self.url = url or "sqlite:" + self.db

    def run(self, *args, stdin=None, user=None):
        env = dict(os.environ)
        env.pop("CXHUB_DB", None)
        env.pop("CXHUB_USER", None)
        cmd = [BIN, "--db", self.url] + (["--as", user] if user else []) + list(args)
        return subprocess.run(cmd, capture_output=True, text=True, input=stdin, cwd=self.dir,
                              env=env, timeout=300)

    def popen(self, *args, stderr):
        env = dict(os.environ)
        env.pop("CXHUB_DB", None)
        env.pop("CXHUB_USER", None)
        return subprocess.Popen([BIN, "--db", self.url] + list(args), stdout=subprocess.DEVNULL,
                                stderr=stderr, cwd=self.dir, env=env)


def psql(db, sql):
    """One query on the throwaway server, its rows as text."""
    p = subprocess.run([os.path.join(PG.bin, "psql"), "-h", PG.dir, "-p", str(PG.env["PGPORT"]),
                        "-U", PG.env["PGUSER"], "-d", db, "-Atc", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def make_source():
    """A small demo hub, then through the real commands: a user with a password, a token, a
    merge, an ERP sync and a signed-in session."""
    h = UrlHub()
    p = h.run("demo", "--accounts", "40", "--seed", "7", "--as-of", "2026-10-31", "--duplicate-rate", "0.2",
              "--quiet")
    assert p.returncode == 0, p.stderr
    p = h.run("user", "add", "move.admin", "--role", "admin", "--name", "Move Admin",
              "--password-stdin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    assert h.run("token", "create", "move.admin").returncode == 0
    dups = h.json("duplicates")["accounts"]
    assert dups, "the demo hub has probable duplicates to merge"
    p = h.run("merge", "accounts", dups[0]["ids"][0], dups[0]["ids"][1], "--reason", "same firm",
              user="move.admin")
    assert p.returncode == 0, p.stderr
    csv = os.path.join(h.dir, "customers.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("ERP Customer ID,Customer Name,City,Address,Last Modified\n"
                "MV1,Kano Mills Ltd,Kano,Road 1,2026-03-04 10:00\n"
                "MV2,Enugu Coal Traders,Enugu,Road 2,2026-03-04 11:00\n")
    p = h.run("erp-sync", "customers", csv)
    assert p.returncode == 0, p.stderr
    srv = Serve(BIN, h.url)
    try:
        st, _, _ = srv.login("move.admin", PASSWORD)
        assert st == 200, st
    finally:
        srv.stop()
    assert h.count("api_sessions") >= 1
    return h


# Times differ from one run to the next; the hub's own URL differs from hub to hub.
TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?")


def answers(h):
    """What a person reads off a hub: the answers compared between the hubs."""
    name = h.json("account", "list")["accounts"][0]["name"].split()[0]
    out = {}
    for args in (("search", name), ("search", "kano mills"), ("kpi",), ("duplicates",),
                 ("audit",), ("merge", "list"), ("erp-sync", "history"), ("user", "list"),
                 ("strategy", "show"), ("strategy", "history"), ("cem", "show")):
        p = h.run(*args, "--json")
        out[" ".join(args)] = (p.returncode, TIME.sub("<time>", p.stdout) if p.returncode == 0 else p.stderr)
    p = h.run("audit")
    out["audit (text)"] = (p.returncode, p.stdout)
    return out


def check_report(h):
    p = h.run("check", "--json")
    j = json.loads(p.stdout) if p.stdout else {}
    return p.returncode, j.get("ok"), [(c["check"], c["ok"], c["problems"]) for c in j.get("checks", [])]


def workbook_values(h):
    path = os.path.join(h.dir, "export.xlsx")
    p = h.run("export-workbook", path, "--force")
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = [[TIME.sub("<time>", v) if isinstance(v, str) else v for v in row]
                            for row in ws.iter_rows(values_only=True)]
    wb.close()
    return sheets


def test_a_hub_moves_to_postgresql_and_back_and_answers_the_same():
    src = SOURCE
    want = answers(src)
    want_check = check_report(src)
    want_book = workbook_values(src)
    check(want_check[0] == 0 and want_check[1] is True, "the source hub checks OK", want_check)

    pg = UrlHub(PG.createdb("move_pg"))
    p = src.run("move-store", "--to", pg.url, "--json")
    check(p.returncode == 0, "move-store SQLite → PostgreSQL succeeds", (p.returncode, p.stderr[-2000:]))
    report = json.loads(p.stdout) if p.returncode == 0 else {}
    tables = {t["table"]: t for t in report.get("tables", [])}
    check(report.get("verified") is True and tables.get("accounts", {}).get("rows") == src.count("accounts")
          and tables.get("audit", {}).get("rows") == src.count("audit")
          and all(len(t["checksum"]) == 64 for t in tables.values()),
          "the summary counts every table's rows and checksums them", str(report)[:800])
    check("api_sessions" not in tables and "hub_loads" not in tables,
          "sessions and running loads are not moved", sorted(tables))
    check(all(t in tables for t in ("merges", "erp_syncs", "users", "api_tokens", "feedback",
                                    "strategy_versions", "kpi_targets", "settings", "id_counters")),
          "merges, ERP history, users, tokens, feedback, strategy, targets, settings and counters move",
          sorted(tables))
    check("rows copied" in p.stderr and "rows verified" in p.stderr and "accounts" in p.stderr,
          "progress per table goes to stderr", p.stderr[-600:])
    for k, v in answers(pg).items():
        check(v == want[k], f"PostgreSQL answers `{k}` as the source", f"{v!r} != {want[k]!r}"[:1500])
    got = check_report(pg)
    check(got[0] == 0 and got[1] is True, "the PostgreSQL hub checks OK", got)

    back = UrlHub()
    p = pg.run("move-store", "--to", back.url)
    check(p.returncode == 0 and "every table's row count and checksum match" in p.stdout,
          "move-store PostgreSQL → SQLite succeeds and says it checked", (p.returncode, p.stdout, p.stderr[-1500:]))
    for k, v in answers(back).items():
        check(v == want[k], f"the SQLite hub moved back answers `{k}` as the source",
              f"{v!r} != {want[k]!r}"[:1500])
    check(check_report(back) == want_check, "`check` on the moved-back hub reports as on the source",
          (check_report(back), want_check))
    check(workbook_values(back) == want_book and workbook_values(pg) == want_book,
          "export-workbook writes the same values from every hub")
    check(back.count("api_sessions") == 0 and back.count("api_tokens") == src.count("api_tokens"),
          "sessions stay behind, tokens move", (back.count("api_sessions"), back.count("api_tokens")))
    srv = Serve(BIN, back.url)
    try:
        st, _, j = srv.login("move.admin", PASSWORD)
        check(st == 200 and j and j.get("role") == "admin",
              "a user signs in on the moved hub with the password set on the source", (st, j))
        st, _, _ = srv.login("move.admin", "wrong")
        check(st == 401, "a wrong password is still refused", st)
    finally:
        srv.stop()


def test_a_target_that_holds_anything_is_refused_and_left_as_it_was():
    src = SOURCE
    pg = UrlHub(PG.createdb("move_full"))
    assert pg.run("init").returncode == 0
    p = pg.run("account", "add", "--name", "Already Here Ltd", "--division", "Motors")
    assert p.returncode == 0, p.stderr
    before = (pg.run("account", "list", "--json").stdout, pg.run("audit", "--json").stdout)
    p = src.run("move-store", "--to", pg.url)
    check(p.returncode == 2 and "not empty" in p.stderr and "accounts" in p.stderr,
          "a PostgreSQL target holding an account is refused (exit 2) naming the table",
          (p.returncode, p.stderr))
    after = (pg.run("account", "list", "--json").stdout, pg.run("audit", "--json").stdout)
    check(after == before, "the refused target is left as it was")

    sq = UrlHub()
    assert sq.run("init").returncode == 0
    assert sq.run("user", "add", "someone", "--role", "sales", "--division", "Motors").returncode == 0
    digest = hashlib.sha256(open(sq.db, "rb").read()).hexdigest()
    p = src.run("move-store", "--to", sq.url)
    check(p.returncode == 2 and "not empty" in p.stderr,
          "an SQLite target holding a user is refused (exit 2)", (p.returncode, p.stderr))
    check(hashlib.sha256(open(sq.db, "rb").read()).hexdigest() == digest,
          "the refused SQLite file is unchanged byte for byte")
    p = src.run("move-store", "--to", src.url)
    check(p.returncode == 2 and src.count("accounts") > 0, "a hub is not moved onto itself", p.stderr)
    empty = UrlHub()
    assert empty.run("init").returncode == 0
    p = src.run("move-store", "--to", empty.url)
    check(p.returncode == 0, "a hub made by `init` and nothing else counts as empty", p.stderr[-800:])


def test_a_move_killed_in_the_middle_leaves_the_target_empty_and_runs_again():
    src = SOURCE
    db = "move_kill"
    target = PG.createdb(db)
    # The move is stopped inside its transaction: its stderr is a pipe of one page that holds
    # room for its first line only, so it blocks writing the progress line of the first table
    # it copied (with that table written, uncommitted), and is killed there.
    header = f"move-store: {src.url} → {target}\n".encode()
    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
    os.write(w, b"x" * (fcntl.fcntl(w, fcntl.F_GETPIPE_SZ) - len(header)))
    proc = src.popen("move-store", "--to", target, stderr=w)
    os.close(w)
    in_tx = ""
    for _ in range(200):
        in_tx = psql(db, "SELECT left(query, 4) FROM pg_stat_activity WHERE datname = "
                         "current_database() AND state = 'idle in transaction' AND pid <> "
                         "pg_backend_pid()")
        if in_tx == "COPY" or proc.poll() is not None:
            break
        time.sleep(0.05)
    time.sleep(0.3)  # settled on the blocked write
    check(proc.poll() is None and in_tx == "COPY",
          "the move is stopped inside its transaction on the target, a table copied",
          (proc.poll(), in_tx))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    os.close(r)
    check(proc.returncode == -signal.SIGKILL, "the move is killed (kill -9)", proc.returncode)
    h = UrlHub(target)
    p = h.run("account", "list", "--json")
    check(p.returncode == 0 and json.loads(p.stdout) == {"accounts": []},
          "the killed move left its target without a single account", (p.returncode, p.stdout[:300], p.stderr))
    check(psql(db, "SELECT count(*) FROM audit") == "0", "nor an audit entry")
    p = src.run("move-store", "--to", target)
    check(p.returncode == 0, "the same move run again succeeds", (p.returncode, p.stderr[-1500:]))
    check(h.run("kpi", "--json").stdout == src.run("kpi", "--json").stdout,
          "and the moved hub answers `kpi` as the source")


def main():
    global PG, SOURCE
    with PgServer() as server:
        PG = server
        SOURCE = make_source()
        run([test_a_hub_moves_to_postgresql_and_back_and_answers_the_same,
             test_a_target_that_holds_anything_is_refused_and_left_as_it_was,
             test_a_move_killed_in_the_middle_leaves_the_target_empty_and_runs_again])


if __name__ == "__main__":
    main()
