"""How a hub's files are laid out on disk around bulk loads (docs/operations.md, "Bulk loads
and the write-ahead log"): a new hub gets 16 KiB pages, a hub made before keeps its own, and the
write-ahead log a load filled is cut back once the load is checkpointed, also while a server
keeps the hub open (when the last connection closes SQLite removes the log anyway)."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402

# The log's size limit once a checkpoint let it start over (src/store/sqlite/db.h).
WAL_LIMIT = 32 << 20


def page_size(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()


def customers_file(path, n):
    """An ERP export of n new customers."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ERP Customer ID", "Customer Name", "Industry", "Division", "Phone", "Email",
                    "Address", "City", "Status", "Last Modified"])
        for i in range(n):
            w.writerow([f"WAL-{i:07d}", f"Harbour Trading {i} Company", "Retail", "Motors",
                        f"+2348{i:09d}", f"buyer{i}@harbour{i % 997}.ng", f"{i} Marina Road",
                        ("Lagos", "Kano", "Ibadan")[i % 3], "active", "2026-01-05 10:00:00"])
    return path


def test_a_new_hub_has_16k_pages_an_existing_one_keeps_its_own():
    h = Hub()
    p = h.run("init")
    check(p.returncode == 0, "init makes a new hub", p.stderr)
    check(page_size(h.db) == 16384, "a new hub has 16 KiB pages", page_size(h.db))

    # A hub made by an earlier cxhub (SQLite's 4 KiB pages), with an account in it.
    old = Hub()
    con = sqlite3.connect(old.db)
    con.execute("PRAGMA page_size=4096")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t(x)")
    con.execute("DROP TABLE t")
    con.commit()
    con.close()
    p = old.run("init")
    check(p.returncode == 0, "init upgrades a hub with 4 KiB pages", p.stderr)
    p = old.run("account", "add", "--name", "Old Harbour Logistics", "--json")
    check(p.returncode == 0, "an account is added to it", p.stderr)
    check(page_size(old.db) == 4096, "a hub made before keeps its 4 KiB pages", page_size(old.db))
    ok = sqlite3.connect(old.db).execute("PRAGMA integrity_check").fetchone()[0]
    check(ok == "ok", "and passes the integrity check", ok)


def test_the_log_is_cut_back_after_a_load_while_a_server_runs():
    h = Hub()
    assert h.run("init").returncode == 0
    f = customers_file(os.path.join(h.dir, "customers.csv"), 150000)
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    srv = subprocess.Popen([BIN, "--db", "sqlite:" + h.db, "serve", "--listen", "127.0.0.1:0"],
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        ev = json.loads(srv.stderr.readline())
        check(ev.get("event") == "listening", "the server runs on the hub", ev)
        before = os.path.getsize(h.db)
        p = h.run("erp-sync", "customers", f)
        check(p.returncode == 0, "a first sync of 150,000 customers while the server runs", p.stderr)
        grown = os.path.getsize(h.db) - before
        # The load wrote more than the limit: its log held it all before the checkpoint.
        check(grown > WAL_LIMIT, "the load wrote more than the log's limit into the hub",
              f"{grown >> 20} MiB")
        wal = os.path.getsize(h.db + "-wal") if os.path.exists(h.db + "-wal") else 0
        check(wal <= WAL_LIMIT, "the log is cut back to at most 32 MiB after the load",
              f"{wal >> 20} MiB")
        # A reader after the load sees it whole.
        con = sqlite3.connect(h.db)
        n = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
        con.close()
        check(n == 150000, "every customer is in the hub", n)
    finally:
        srv.send_signal(signal.SIGTERM)
        try:
            srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            srv.kill()


if __name__ == "__main__":
    run([test_a_new_hub_has_16k_pages_an_existing_one_keeps_its_own,
         test_the_log_is_cut_back_after_a_load_while_a_server_runs])
