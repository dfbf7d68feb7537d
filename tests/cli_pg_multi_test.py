"""Two `cxhub serve` processes on one PostgreSQL hub behave as one (docs/postgresql.md,
"Isolation" and "Several servers"). A throwaway PostgreSQL (tests/pg_server.py), one hub, two
servers on different ports:

- a sign-in on one server is a session on the other;
- writers on both at once: interactions with Idempotency-Keys, each key replayed on the OTHER
  server (the first answer comes back); edits of one account sent to both servers with the same
  If-Match (exactly one wins, the other gets 412, no update lost); then every acknowledged
  interaction is in the hub exactly once with the notes it was sent, ids are unique and follow
  the counter, each has one audit entry, the audit log has no gap, `cxhub check` is clean, and
  neither access log has a 5xx;
- failed logins on one server throttle the login on the other;
- new leads routed round robin from both servers at once: no turn is given twice;
- while one server's interaction write is stuck (an administrator's session holds the row of
  its contact), people still sign in on the other server: writers do not all take turns.

  cli_pg_multi_test.py PATH/TO/cxhub
"""
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, check, run, scratch  # noqa: E402
from pg_server import PgServer  # noqa: E402
from serve import Serve  # noqa: E402

PASSWORD = "multi password 1"
PI = "Power & Industrial"
LOCK_WAIT = "3"  # seconds a write waits for the hub (CXHUB_LOCK_WAIT) before it gives up
PG = None  # the PostgreSQL server, started by main()
URL = None  # the hub's database
DBNAME = "multi"


def env():
    e = dict(os.environ, CXHUB_LOCK_WAIT=LOCK_WAIT)
    e.pop("CXHUB_DB", None)
    e.pop("CXHUB_USER", None)
    return e


def cx(*args, stdin=None):
    p = subprocess.run([BIN, "--db", URL] + list(args), capture_output=True, text=True,
                       input=stdin, env=env(), timeout=120)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


def psql_bin():
    path = os.path.join(PG.bin, "psql")
    return path if os.access(path, os.X_OK) else shutil.which("psql")


def sql(query):
    """The rows of `query` on the hub's database, each a list of text values."""
    p = subprocess.run([psql_bin(), "-X", "-At", "-F", "\t", "-h", PG.dir, "-p",
                        PG.env["PGPORT"], "-U", PG.env["PGUSER"], "-d", DBNAME, "-c", query],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, (query, p.stderr)
    return [line.split("\t") for line in p.stdout.splitlines() if line]


class Server(Serve):
    """`cxhub serve` on the hub (tests/serve.py), its access log in a file."""

    def __init__(self, name):
        log = os.path.join(scratch("cxmulti-"), name + ".log")
        super().__init__(BIN, URL, env_extra={"CXHUB_LOCK_WAIT": LOCK_WAIT}, log_path=log, timeout=30)


def login(server, who, password=PASSWORD):
    st, hd, j = server.req("POST", "/api/v1/session", {"login": who, "password": password})
    if st != 200:
        return st, None
    return st, {"Cookie": hd["set-cookie"].split(";")[0], "X-CSRF-Token": j["csrf_token"]}


def setup():
    cx("init")
    cx("user", "add", "ada.admin", "--role", "admin", "--name", "Ada Admin", "--password-stdin",
       stdin=PASSWORD + "\n")
    cx("user", "add", "tess.throttled", "--role", "sales", "--division", "Motors",
       "--password-stdin", stdin=PASSWORD + "\n")
    for rep in ("pia", "pib", "pic"):
        cx("user", "add", rep, "--role", "sales", "--division", PI, "--name", "Rep " + rep)
    cx("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors")  # A-000001
    cx("account", "add", "--name", "Delta Turbines Plc", "--division", PI)  # A-000002
    for n in range(1, 5):  # C-000001 … C-000004
        cx("contact", "add", "--name", f"Person Number{n}", "--account", "A-000001")


def test_a_sign_in_on_one_server_works_on_the_other(one, two):
    st, auth = login(one, "ada.admin")
    check(st == 200, "ada signs in on the first server", st)
    st, hd, j = two.req("GET", "/api/v1/accounts/A-000001", headers=auth)
    check(st == 200 and j and j.get("id") == "A-000001" and hd.get("etag"),
          "the second server knows the session the first one opened", (st, j))
    return auth


def test_concurrent_writers_on_both_servers(one, two, auth):
    threads_per_server, posts = 4, 25
    acks = {}  # key -> (id, notes)
    replays = []  # (key, first id, status, replayed id, header)
    errors = []
    lock = threading.Lock()

    def poster(t, server, other):
        c, oc = server.conn(), other.conn()
        try:
            for n in range(posts):
                key = f"k-{t}-{n}"
                body = {"contact_id": f"C-00000{1 + (t + n) % 4}", "channel": "phone",
                        "notes": "multi " + key}
                st, _, j = server.req("POST", "/api/v1/interactions", body,
                                      dict(auth, **{"Idempotency-Key": key}), conn=c)
                if st != 201:
                    with lock:
                        errors.append((key, st, j))
                    continue
                with lock:
                    acks[key] = (j["id"], body["notes"])
                if n % 3 == 0:  # the client lost the answer: it retries on the other server
                    st2, hd2, j2 = other.req("POST", "/api/v1/interactions", body,
                                             dict(auth, **{"Idempotency-Key": key}), conn=oc)
                    with lock:
                        replays.append((key, j["id"], st2, (j2 or {}).get("id"),
                                        hd2.get("idempotent-replayed")))
        finally:
            c.close()
            oc.close()

    rounds = 6
    edits = []  # per round: [(status, city), (status, city)]
    barrier = threading.Barrier(2)

    def editor(side, server):
        c = server.conn()
        try:
            for r in range(rounds):
                barrier.wait(timeout=60)
                st, hd, j = server.req("GET", "/api/v1/accounts/A-000001", headers=auth, conn=c)
                etag = hd.get("etag", "")
                barrier.wait(timeout=60)  # both have read the same version
                city = f"City {r}{'ab'[side]}"
                st, _, j = server.req("PATCH", "/api/v1/accounts/A-000001", {"city": city},
                                      dict(auth, **{"If-Match": etag}), conn=c)
                with lock:
                    while len(edits) <= r:
                        edits.append([])
                    edits[r].append((st, city))
        finally:
            c.close()

    workers = []
    for t in range(2 * threads_per_server):
        server, other = (one, two) if t % 2 == 0 else (two, one)
        workers.append(threading.Thread(target=poster, args=(t, server, other)))
    workers.append(threading.Thread(target=editor, args=(0, one)))
    workers.append(threading.Thread(target=editor, args=(1, two)))
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    took = time.monotonic() - started
    sent = 2 * threads_per_server * posts
    print(f"     {sent} interactions from {2 * threads_per_server} clients on two servers, "
          f"{len(replays)} replays on the other server, {rounds} edit races: {took:.1f} s")

    check(not errors and len(acks) == sent,
          "every interaction sent to either server is acknowledged (201)", errors[:3])
    bad = [r for r in replays if not (r[2] == 201 and r[3] == r[1] and r[4] == "true")]
    check(replays and not bad,
          "a key replayed on the other server gives the first answer (same id, "
          "Idempotent-Replayed)", bad[:3])

    # What the hub holds.
    rows = sql("SELECT id, notes FROM interactions WHERE notes LIKE 'multi %'")
    stored = {}
    for iid, notes in rows:
        stored.setdefault(notes, []).append(iid)
    missing = [k for k, (iid, notes) in acks.items() if stored.get(notes) != [iid]]
    check(not missing and len(rows) == len(acks),
          f"every acknowledged interaction is stored exactly once with its id and notes "
          f"({len(rows)} rows, {len(acks)} acknowledged)", missing[:3])
    ids = [iid for iid, _ in acks.values()]
    numbers = sorted(int(i.split("-")[1]) for i in ids)
    counter = sql("SELECT next FROM id_counters WHERE prefix = 'I'")
    check(len(set(ids)) == len(ids) and numbers == list(range(1, len(ids) + 1))
          and counter == [[str(len(ids))]],
          "ids are unique, numbered 1… without a gap, and the counter holds the last",
          (numbers[:5], numbers[-3:], counter))
    audited = sql("SELECT entity_id, count(*) FROM audit WHERE entity = 'interaction' AND "
                  "action = 'create' GROUP BY entity_id")
    check(sorted(audited) == sorted([i, "1"] for i in ids),
          "each acknowledged interaction has exactly one audit entry", len(audited))
    seqs = sql("SELECT count(*), min(seq), max(seq), (SELECT next FROM id_counters WHERE "
               "prefix = 'audit') FROM audit")[0]
    check(seqs[0] == seqs[2] == seqs[3] and seqs[1] == "1",
          "the audit log is numbered 1… without a gap, up to its counter", seqs)

    # The edit races: one winner per round, the loser told 412, nothing lost.
    wins = [[city for st, city in e if st == 200] for e in edits]
    losses = [[st for st, _ in e if st != 200] for e in edits]
    check(len(edits) == rounds and all(len(w) == 1 for w in wins)
          and all(ls == [412] for ls in losses),
          "of two edits sent to two servers with the same If-Match, one wins and the other "
          "gets 412", edits)
    cities = sql("SELECT after FROM audit WHERE entity = 'account' AND entity_id = 'A-000001' "
                 "AND field = 'city' ORDER BY seq")
    final = sql("SELECT city FROM accounts WHERE id = 'A-000001'")
    check([c[0] for c in cities] == [w[0] for w in wins if w] and wins and wins[-1]
          and final == [[wins[-1][0]]],
          "every winning edit is audited in order and the last one is stored (no lost update)",
          (cities, final, wins))
    p = subprocess.run([BIN, "--db", URL, "check"], capture_output=True, text=True, env=env(),
                       timeout=120)
    check(p.returncode == 0, "cxhub check finds the hub sound", (p.stdout + p.stderr)[-500:])


def test_a_throttle_set_on_one_server_holds_on_the_other(one, two):
    got = [login(one if n % 2 == 0 else two, "tess.throttled", "wrong password")[0]
           for n in range(5)]
    check(got == [401] * 5, "five wrong passwords on two servers are refused", got)
    st, _ = login(two, "tess.throttled")
    check(st == 429, "the right password is then throttled, whichever server counted the "
          "failures", st)


def test_routing_turns_do_not_repeat_across_servers(one, two, auth):
    results = []
    lock = threading.Lock()

    def lead(server, n):
        st, _, j = server.req("POST", "/api/v1/opportunities",
                              {"account_id": "A-000002", "division": PI, "title": f"lead {n}"},
                              auth)
        with lock:
            results.append((st, j))

    ts = [threading.Thread(target=lead, args=(one if n % 2 == 0 else two, n)) for n in range(9)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=60)
    check(len(results) == 9 and all(st == 201 for st, _ in results),
          "nine new leads are created on two servers at once", results[:3])
    owners = [r[0] for r in sql("SELECT after FROM audit WHERE entity = 'opportunity' AND "
                                "action = 'route' ORDER BY seq")]
    turns_ok = (len(owners) == 9 and sorted(set(owners)) == ["pia", "pib", "pic"]
                and all(len(set(owners[i:i + 3])) == 3 for i in range(0, 7)))
    check(turns_ok, "the leads go round robin, each rep in turn, no turn given twice", owners)


def test_a_stuck_write_on_one_server_does_not_stop_the_other(one, two, auth):
    # An administrator's session holds the row of contact C-000004: an interaction logged for
    # that contact waits for it (its insert checks the contact).
    admin = subprocess.Popen([psql_bin(), "-X", "-q", "-At", "-h", PG.dir, "-p",
                              PG.env["PGPORT"], "-U", PG.env["PGUSER"], "-d", DBNAME],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    admin.stdin.write("BEGIN; SELECT id FROM contacts WHERE id = 'C-000004' FOR UPDATE;\n")
    admin.stdin.flush()
    held = []
    for _ in range(100):
        held = sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
                   "AND query LIKE '%FOR UPDATE%'")
        if held == [["1"]]:
            break
        time.sleep(0.05)
    stuck = {}

    def post():
        stuck["answer"] = one.req("POST", "/api/v1/interactions",
                                  {"contact_id": "C-000004", "channel": "visit",
                                   "notes": "stuck visit"}, auth)

    t = threading.Thread(target=post)
    try:
        t.start()
        waiting = []
        for _ in range(100):  # until the server's insert waits on the held row
            waiting = sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                          "AND query LIKE 'INSERT INTO interactions%'")
            if waiting == [["1"]]:
                break
            time.sleep(0.05)
        check(held == [["1"]] and waiting == [["1"]],
              "an interaction logged on the first server waits for the row an administrator "
              "holds", (held, waiting))
        t0 = time.monotonic()
        st, _ = login(two, "ada.admin")
        took = time.monotonic() - t0
        check(st == 200 and took < float(LOCK_WAIT),
              f"meanwhile a person signs in on the second server ({took:.2f} s)", st)
        check("answer" not in stuck, "the stuck write is still waiting")
    finally:
        admin.stdin.write("ROLLBACK;\n")
        admin.stdin.close()
        admin.wait(timeout=30)
        t.join(timeout=60)
    st = stuck.get("answer", (None,))[0]
    check(st == 201, "once the administrator lets go, the stuck interaction is stored", st)


def test_two_servers_on_one_hub():
    setup()
    one, two = Server("one"), Server("two")
    try:
        auth = test_a_sign_in_on_one_server_works_on_the_other(one, two)
        for t in (lambda: test_concurrent_writers_on_both_servers(one, two, auth),
                  lambda: test_a_throttle_set_on_one_server_holds_on_the_other(one, two),
                  lambda: test_routing_turns_do_not_repeat_across_servers(one, two, auth),
                  lambda: test_a_stuck_write_on_one_server_does_not_stop_the_other(one, two,
                                                                                  auth)):
            try:
                t()
            except Exception as e:  # a crash is one failure, not an abort of the others
                check(False, "a scenario raised", repr(e))
        for s in (one, two):
            five = [st for st in s.statuses() if st >= 500]
            check(not five, f"no 5xx in the {os.path.basename(s.log_path)} server's access log "
                  f"({len(s.statuses())} requests)", five[:5])
    finally:
        one.stop()
        two.stop()


def main():
    global PG, URL
    with PgServer() as server:
        PG = server
        URL = PG.createdb(DBNAME)
        run([test_two_servers_on_one_hub])


if __name__ == "__main__":
    main()
