"""The first load into an empty hub (docs/operations.md, "Bulk loads and the write-ahead log"):
when no other process has the hub open, the load writes each page once (a rollback journal, no
write-ahead log growing as big as the data) and the hub is back in WAL mode, with its page size,
when the command answers; the answers are those of a load under WAL. With another process on
the hub the load runs under WAL and that process is never refused. A process that opens the hub
during such a load waits for it and then sees all of it (or, given a short lock wait, fails
with the busy message). Killed mid-load, the hub opens empty, in WAL mode, and the next sync
works.
Run: cli_first_load_test.py PATH/TO/cxhub (about 15 s)."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run, scratch  # noqa: E402

ROWS = 80000
_csv = None


def customers_csv():
    """An ERP export of ROWS new customers (made once)."""
    global _csv
    if _csv:
        return _csv
    folder = scratch("cxfirst-")
    _csv = os.path.join(folder, "customers.csv")
    with open(_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ERP Customer ID", "Customer Name", "Industry", "Division", "Phone", "Email",
                    "Address", "City", "Status", "Last Modified"])
        for i in range(ROWS):
            w.writerow([f"FL-{i:07d}", f"Lagoon Traders {i} Limited", "Retail", "Motors",
                        f"+2347{i:09d}", f"sales{i}@lagoon{i % 991}.ng", f"{i} Creek Road",
                        ("Lagos", "Abuja", "Enugu")[i % 3], "active", "2026-01-05 10:00:00"])
    return _csv


def env(wait=None):
    e = dict(os.environ)
    e.pop("CXHUB_DB", None)
    e.pop("CXHUB_USER", None)
    if wait is not None:
        e["CXHUB_LOCK_WAIT"] = str(wait)
    return e


def start(h, *args, wait=None):
    return subprocess.Popen([BIN, "--db", h.url] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(wait))


def header(db):
    """(write version, read version, page size) from the hub file's header: 2, 2 in WAL mode,
    1, 1 under a rollback journal. Read from the file, so that no connection changes it."""
    with open(db, "rb") as f:
        b = f.read(100)
    size = int.from_bytes(b[16:18], "big")
    return b[18], b[19], 65536 if size == 1 else size


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def watch(h, p):
    """Polls the hub's -wal and -journal files until `p` ends: (largest -wal seen in bytes,
    whether a -journal was seen)."""
    wal, journal = 0, False
    while p.poll() is None:
        wal = max(wal, size(h.db + "-wal"))
        journal = journal or os.path.exists(h.db + "-journal")
        time.sleep(0.005)
    return wal, journal


def outcome(h, p):
    """What a finished `erp-sync --json` answered, and the accounts the hub then lists."""
    out, err = p.communicate(timeout=600)
    check(p.returncode == 0, "the sync succeeds", err[-300:])
    if p.returncode != 0:
        return None
    q = subprocess.run([BIN, "--db", h.url, "account", "list", "--json", "--limit", "1000000"],
                       capture_output=True, text=True, env=env())
    accounts = sorted(json.loads(q.stdout)["accounts"], key=lambda a: a["id"])
    return json.loads(out), accounts


def new_hub():
    h = Hub()
    p = h.run("init")
    assert p.returncode == 0, p.stderr
    return h


_alone = None


def test_first_sync_alone_writes_each_page_once_and_leaves_wal_mode():
    global _alone
    h = new_hub()
    p = start(h, "erp-sync", "customers", customers_csv(), "--json")
    wal, journal = watch(h, p)
    _alone = outcome(h, p)
    data = size(h.db)
    check(journal, "the first load into an empty hub nobody has open runs under a rollback journal")
    check(wal < data // 8, "its write-ahead log never grew with the data (each page written once)",
          f"largest -wal {wal >> 10} KiB, hub {data >> 10} KiB")
    check(_alone and len(_alone[1]) == ROWS, f"all {ROWS} customers are accounts",
          _alone and len(_alone[1]))
    check(header(h.db) == (2, 2, 16384), "the hub is back in WAL mode, with its 16 KiB pages",
          header(h.db))
    check(not os.path.exists(h.db + "-journal"), "no rollback journal is left beside it")
    con = sqlite3.connect(h.db)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    check(mode == "wal" and ok == "ok", "SQLite agrees: WAL mode, integrity ok", f"{mode} {ok}")


def test_with_another_process_on_the_hub_the_load_runs_under_wal_and_never_refuses_it():
    h = new_hub()
    # Another process holds the hub open with a read transaction; timeout=0: any wait for a
    # lock would be an error here.
    other = sqlite3.connect(h.db, timeout=0, isolation_level=None)
    other.execute("BEGIN")
    check(other.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0, "the other process reads")
    p = start(h, "erp-sync", "customers", customers_csv(), "--json")
    refused, reads, wal, journal = [], 0, 0, False
    while p.poll() is None:
        wal = max(wal, size(h.db + "-wal"))
        journal = journal or os.path.exists(h.db + "-journal")
        try:
            n = other.execute("SELECT count(*) FROM accounts").fetchone()[0]
            reads += 1
            if n != 0:
                refused.append(f"its snapshot changed: {n}")
        except sqlite3.Error as e:
            refused.append(str(e))
        time.sleep(0.01)
    got = outcome(h, p)
    check(not refused and reads > 0, f"its {reads} reads during the load all answered at once",
          refused[:3])
    check(not journal and wal > 0, "the load ran under WAL (no rollback journal)",
          f"journal seen {journal}, largest -wal {wal >> 10} KiB")
    other.execute("COMMIT")
    n = other.execute("SELECT count(*) FROM accounts").fetchone()[0]
    other.close()
    check(n == ROWS, "after the load the other process sees all of it", n)
    check(header(h.db)[:2] == (2, 2), "the hub is in WAL mode", header(h.db))
    if _alone and got:
        check(got == _alone, "the sync answers and stores the same as the load under the journal",
              f"{got[0]} vs {_alone[0]}")


def wait_for_journal(h, p):
    """Waits until the load `p` writes under its rollback journal; False when it ended first or
    never did (within 60 s)."""
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(h.db + "-journal"):
            return True
        time.sleep(0.002)
    return False


def test_a_process_that_opens_the_hub_during_a_first_load_waits_then_sees_all_of_it():
    h = new_hub()
    p = start(h, "erp-sync", "customers", customers_csv(), "--json")
    check(wait_for_journal(h, p), "the first load runs under its rollback journal")
    short = start(h, "account", "list", "--json", "--limit", "1000000", wait=0.1)
    patient = start(h, "account", "list", "--json", "--limit", "1000000")
    still = p.poll() is None
    out, err = short.communicate(timeout=600)
    if still and short.returncode != 0:
        check(short.returncode == 1 and "is busy" in err and "CXHUB_LOCK_WAIT" in err
              and "database is locked" not in err,
              "given a 0.1 s lock wait, a reader fails with the busy message", err[-300:])
    else:
        n = len(json.loads(out)["accounts"]) if short.returncode == 0 else -1
        check(n in (0, ROWS), "a reader given a 0.1 s lock wait sees none or all of the load",
              f"exit {short.returncode}, {n} accounts: {err[-200:]}")
    out, err = patient.communicate(timeout=600)
    n = len(json.loads(out)["accounts"]) if patient.returncode == 0 else -1
    check(n == ROWS, "a reader with the default lock wait waits for the load and sees all of it",
          f"exit {patient.returncode}, {n} accounts: {err[-300:]}")
    p.communicate(timeout=600)
    check(p.returncode == 0, "the load succeeds")
    check(header(h.db)[:2] == (2, 2), "the hub is in WAL mode", header(h.db))


def test_killed_mid_first_load_the_hub_opens_empty_in_wal_mode_and_the_next_sync_works():
    h = new_hub()
    p = start(h, "erp-sync", "customers", customers_csv())
    under = wait_for_journal(h, p)
    time.sleep(0.05)
    alive = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    check(under and alive, "the load was killed while it wrote under its rollback journal",
          f"journal {under}, running {alive}")
    q = subprocess.run([BIN, "--db", h.url, "account", "list", "--json"], capture_output=True,
                       text=True, env=env())
    n = len(json.loads(q.stdout)["accounts"]) if q.returncode == 0 else -1
    check(n == 0, "the hub opens and holds nothing of the killed load", f"{n}: {q.stderr[-300:]}")
    check(header(h.db)[:2] == (2, 2), "opening it put WAL mode back", header(h.db))
    check(not os.path.exists(h.db + "-journal"), "the journal was rolled back and removed")
    con = sqlite3.connect(h.db)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    check(ok == "ok", "integrity ok", ok)
    q = subprocess.run([BIN, "--db", h.url, "erp-sync", "customers", customers_csv(), "--json"],
                       capture_output=True, text=True, env=env(wait=5))
    check(q.returncode == 0 and json.loads(q.stdout).get("created") == ROWS,
          f"the next sync works and creates all {ROWS} accounts", (q.stdout + q.stderr)[-300:])
    check(header(h.db)[:2] == (2, 2), "and leaves the hub in WAL mode", header(h.db))


if __name__ == "__main__":
    run([test_first_sync_alone_writes_each_page_once_and_leaves_wal_mode,
         test_with_another_process_on_the_hub_the_load_runs_under_wal_and_never_refuses_it,
         test_a_process_that_opens_the_hub_during_a_first_load_waits_then_sees_all_of_it,
         test_killed_mid_first_load_the_hub_opens_empty_in_wal_mode_and_the_next_sync_works])
