"""The API's fast paths keep their meaning (docs/api.md, "Speed"): a signed-in person's requests
are resolved by a read, so they are answered while another process holds the hub's write lock;
a session is still touched, ended when idle and ended when its user is disabled; writes made at
once by many clients all land, each audited.
Run: python3 tests/cli_api_speed_test.py build/cxhub"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402
from serve import Serve  # noqa: E402

PASSWORD = "a long pass 1"


def make_hub():
    hub = Hub()
    assert hub.run("init").returncode == 0
    for login in ("mo.manager", "sam.sales"):
        role = "manager" if login == "mo.manager" else "sales"
        p = hub.run("user", "add", login, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
        assert p.returncode == 0, p.stderr
    assert hub.run("account", "add", "--name", "Okafor Motors Ltd", "--id", "A-000001").returncode == 0
    p = hub.run("contact", "add", "--name", "Bola Okafor", "--account", "A-000001", "--id", "C-000001")
    assert p.returncode == 0, p.stderr
    return hub


def login(srv, who):
    st, h, j = srv.req("POST", "/api/v1/session", {"login": who, "password": PASSWORD})
    assert st == 200, (st, j)
    return h["set-cookie"].split(";")[0], j["csrf_token"]


def test_signed_in_reads_do_not_wait_for_the_write_lock():
    hub = make_hub()
    # A short lock wait: a request that waits for the lock fails in 3 s instead of 30.
    srv = Serve(BIN, hub.url, env_extra={"CXHUB_LOCK_WAIT": "3"})
    try:
        cookie, _ = login(srv, "mo.manager")
        with hub.write_lock():  # another process holds the hub for writing
            t0 = time.monotonic()
            st, _, j = srv.req("GET", "/api/v1/search?q=okafor", headers={"Cookie": cookie}, timeout=15)
            took = time.monotonic() - t0
            check(st == 200 and j and any(r["id"] == "A-000001" for r in j["results"]) and took < 2,
                  "a search by session cookie is answered while another process holds the write lock",
                  (st, round(took, 2), j))
            st, _, j = srv.req("GET", "/api/v1/accounts/A-000001", headers={"Cookie": cookie}, timeout=15)
            check(st == 200 and j and j["id"] == "A-000001", "so is the account view", (st, j))
    finally:
        srv.stop()


def test_sessions_are_still_touched_and_ended():
    hub = make_hub()
    srv = Serve(BIN, hub.url)
    try:
        cookie, _ = login(srv, "sam.sales")
        now = int(time.time())
        # Seen two minutes ago: the next request writes the time it was seen.
        hub.sql("UPDATE api_sessions SET last_seen = ?", (now - 120,))
        st, _, _ = srv.req("GET", "/api/v1/session", headers={"Cookie": cookie})
        seen = hub.sql("SELECT last_seen FROM api_sessions")[0][0]
        check(st == 200 and seen >= now - 5, "a request touches a session last seen over a minute ago",
              (st, now - seen))
        # Seen within the minute: nothing is written.
        hub.sql("UPDATE api_sessions SET last_seen = ?", (now - 30,))
        st, _, _ = srv.req("GET", "/api/v1/session", headers={"Cookie": cookie})
        seen = hub.sql("SELECT last_seen FROM api_sessions")[0][0]
        check(st == 200 and seen == now - 30, "a session seen within the minute is not written", now - seen)
        # Idle longer than --session-idle (480 minutes): refused, and the session is gone.
        hub.sql("UPDATE api_sessions SET last_seen = ?", (now - 9 * 3600,))
        st, _, _ = srv.req("GET", "/api/v1/session", headers={"Cookie": cookie})
        left = hub.sql("SELECT COUNT(*) FROM api_sessions")[0][0]
        check(st == 401 and left == 0, "an idle session is refused and ended", (st, left))
        # A disabled user's session is refused at once and ended.
        cookie, _ = login(srv, "sam.sales")
        st1, _, _ = srv.req("GET", "/api/v1/session", headers={"Cookie": cookie})
        p = hub.run("user", "disable", "sam.sales")
        st2, _, _ = srv.req("GET", "/api/v1/session", headers={"Cookie": cookie})
        left = hub.sql("SELECT COUNT(*) FROM api_sessions WHERE login = 'sam.sales'")[0][0]
        check(st1 == 200 and p.returncode == 0 and st2 == 401 and left == 0,
              "a disabled user's session is refused at the next request and ended", (st1, st2, left))
    finally:
        srv.stop()


def test_concurrent_writes_all_land_audited():
    hub = make_hub()
    srv = Serve(BIN, hub.url)
    try:
        p = hub.run("token", "create", "mo.manager")
        assert p.returncode == 0, p.stderr
        token = p.stdout.strip()
        statuses = []
        lock = threading.Lock()

        def client():
            for _ in range(25):
                st, _, _ = srv.req("POST", "/api/v1/interactions",
                                   {"contact_id": "C-000001", "channel": "phone", "notes": "at once"},
                                   {"Authorization": "Bearer " + token})
                with lock:
                    statuses.append(st)

        before = hub.count("interactions")
        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        audited = hub.sql("SELECT COUNT(*) FROM audit WHERE action = 'create' AND entity = 'interaction'")[0][0]
        check(statuses.count(201) == 200 and hub.count("interactions") - before == 200 and audited == 200,
              "200 interactions logged by 8 clients at once: all created, each audited",
              (sorted(set(statuses)), hub.count("interactions") - before, audited))
    finally:
        srv.stop()


if __name__ == "__main__":
    run([test_signed_in_reads_do_not_wait_for_the_write_lock, test_sessions_are_still_touched_and_ended,
         test_concurrent_writes_all_land_audited])
