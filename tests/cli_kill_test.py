"""Kill harness (docs/reliability.md, "Killed processes"): kill -9 at random moments of a workbook
import, an ERP sync and a loop of concurrent interactive writes, then check the hub: SQLite's
integrity check and foreign keys, all-or-nothing counts, every acknowledged write present, the dead
load's lock row blocking no one, and a rerun that succeeds.

  cli_kill_test.py PATH/TO/cxhub               bounded run for ctest (about a minute)
  cli_kill_test.py PATH/TO/cxhub --minutes N   the long run whose figures docs/reliability.md quotes
"""
import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, check, run, scratch  # noqa: E402

MINUTES = None
if "--minutes" in sys.argv:
    MINUTES = float(sys.argv[sys.argv.index("--minutes") + 1])
# Seconds per fault class: a third of the run each.
BUDGET = (MINUTES * 60 / 3) if MINUTES else 20
SEED = int(os.environ.get("CXHUB_FAULT_SEED", str(int(time.time()))))
rng = random.Random(SEED)
print(f"seed {SEED} (CXHUB_FAULT_SEED), {BUDGET:.0f} s per fault class")
tally = {}


def env(wait="5"):
    e = dict(os.environ)
    e.pop("CXHUB_DB", None)
    e.pop("CXHUB_USER", None)
    e["CXHUB_LOCK_WAIT"] = wait
    return e


def cx(db, *args, wait="5"):
    return subprocess.run([BIN, "--db", "sqlite:" + db] + list(args), capture_output=True,
                          text=True, env=env(wait), timeout=600)


def start(db, *args, wait="5"):
    return subprocess.Popen([BIN, "--db", "sqlite:" + db] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(wait))


def counts(db, tables):
    con = sqlite3.connect(db, timeout=30)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def intact(db):
    """SQLite's integrity check and foreign key check, as a problem list (empty: intact)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        problems = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check")]
        return problems
    finally:
        con.close()


def kill_at_random(p, within):
    """Sleeps a random part of `within` seconds and kill -9s `p`; True when it was still running."""
    time.sleep(rng.uniform(0, within))
    alive = p.poll() is None
    if alive:
        p.kill()
    p.communicate()
    return alive


def record(cls, killed, problems):
    t = tally.setdefault(cls, {"runs": 0, "killed": 0, "problems": []})
    t["runs"] += 1
    t["killed"] += int(killed)
    t["problems"] += problems


def seeded_hub(d, name):
    db = os.path.join(d, name)
    p = cx(db, "demo", "--accounts", "200", "--interactions", "2000", "--quiet", "--seed", "3")
    assert p.returncode == 0, p.stderr
    return db


def measure(fn):
    t = time.time()
    fn()
    return time.time() - t


def test_killed_workbook_imports():
    d = scratch("cxkill-import-")
    src = os.path.join(d, "src.db")
    p = cx(src, "demo", "--accounts", "1000", "--interactions", "20000", "--quiet", "--seed", "11",
           "--as-of", "2026-11-30")
    assert p.returncode == 0, p.stderr
    wb = os.path.join(d, "in.xlsx")
    assert cx(src, "export-workbook", wb).returncode == 0
    base = os.path.join(d, "base.db")  # a hub with one account of its own
    assert cx(base, "init").returncode == 0
    assert cx(base, "account", "add", "--name", "Harbour Base Traders").returncode == 0
    tables = ["accounts", "contacts", "interactions", "audit"]
    before = counts(base, tables)
    ref = os.path.join(d, "ref.db")
    shutil.copy(base, ref)
    took = measure(lambda: cx(ref, "import-workbook", wb))
    after = counts(ref, tables)
    check(after["interactions"] > before["interactions"], "workbook import: the reference run imports",
          f"{before} {after}")
    after.pop("audit")
    hub = os.path.join(d, "hub.db")
    deadline = time.time() + BUDGET
    # Under the sanitizers on a slow machine a run takes a third of the budget, and two kills
    # that came after the import had ended left the class untested: so at least three runs,
    # and past the budget until one was killed mid-way (at most twelve runs).
    def more():
        t = tally.get("workbook import", {"runs": 0, "killed": 0})
        return time.time() < deadline or (t["runs"] < 12 and (t["runs"] < 3 or not t["killed"]))

    while more():
        for f in (hub, hub + "-wal", hub + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        shutil.copy(base, hub)
        killed = kill_at_random(start(hub, "import-workbook", wb), took)
        problems = intact(hub)
        now = counts(hub, tables)
        core = {k: v for k, v in now.items() if k != "audit"}
        if core != {k: v for k, v in before.items() if k != "audit"} and core != after:
            problems.append(f"half an import: {now} (before {before}, after {after})")
        # The dead load's row must not hold anyone up; the rerun completes the import.
        p = cx(hub, "account", "add", "--id", "A-900001", "--name", "Zebulon Afterkill Holdings",
               wait="2")
        if p.returncode != 0:
            problems.append("a write after the kill failed: " + p.stderr[-300:])
        p = cx(hub, "import-workbook", wb, wait="2")
        if p.returncode != 0:
            problems.append("the rerun failed: " + p.stderr[-300:])
        elif {k: v for k, v in counts(hub, tables).items() if k in after} != \
                {k: v + (1 if k == "accounts" else 0) for k, v in after.items()}:
            problems.append(f"the rerun left {counts(hub, tables)}, expected {after} + 1 account")
        problems += intact(hub)
        record("workbook import", killed, problems)
    t = tally["workbook import"]
    check(t["killed"] > 0, f"workbook import: {t['killed']} of {t['runs']} runs killed mid-way")
    check(not t["problems"], "workbook import: nothing half-written, integrity ok, reruns succeed",
          t["problems"][:3])


def erp_file(path, n, seed):
    r = random.Random(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ERP Customer ID", "Customer Name", "Industry", "Division", "Phone", "Email",
                    "Address", "City", "Status", "Last Modified"])
        for i in range(n):
            w.writerow([f"KILL{seed}-{i:06d}", f"Kill Test Customer {seed} {i} {r.randint(0, 10**9)}",
                        "Retail", "Motors", "", "", f"{i} Marina Road", "Lagos", "active",
                        "2026-01-05 10:00:00"])


def test_killed_erp_syncs():
    d = scratch("cxkill-erp-")
    base = seeded_hub(d, "base.db")
    f = os.path.join(d, "customers.csv")
    erp_file(f, 10000, 5)
    tables = ["accounts", "erp_syncs"]
    before = counts(base, tables)
    ref = os.path.join(d, "ref.db")
    shutil.copy(base, ref)
    took = measure(lambda: cx(ref, "erp-sync", "customers", f))
    after = counts(ref, tables)
    check(after != before, "erp sync: the reference run changed the hub", f"{before} {after}")
    hub = os.path.join(d, "hub.db")
    deadline = time.time() + BUDGET
    while time.time() < deadline:
        for x in (hub, hub + "-wal", hub + "-shm"):
            if os.path.exists(x):
                os.remove(x)
        shutil.copy(base, hub)
        killed = kill_at_random(start(hub, "erp-sync", "customers", f), took * 1.2)
        problems = intact(hub)
        now = counts(hub, tables)
        if now != before and now != after:
            problems.append(f"half a sync: {now} (before {before}, after {after})")
        p = cx(hub, "erp-sync", "customers", f, wait="2")
        if p.returncode != 0:
            problems.append("the rerun failed: " + p.stderr[-300:])
        elif counts(hub, ["accounts"])["accounts"] != after["accounts"]:
            problems.append(f"the rerun left {counts(hub, tables)}, expected {after}")
        problems += intact(hub)
        record("ERP sync", killed, problems)
    t = tally["ERP sync"]
    check(t["killed"] > 0, f"ERP sync: {t['killed']} of {t['runs']} runs killed mid-way")
    check(not t["problems"], "ERP sync: nothing half-written, integrity ok, reruns succeed",
          t["problems"][:3])


def test_killed_interactive_writes():
    d = scratch("cxkill-writes-")
    hub = seeded_hub(d, "hub.db")
    contacts = [r[0] for r in sqlite3.connect(hub).execute("SELECT id FROM contacts LIMIT 50")]
    acked, n, kills = [], 0, 0
    deadline = time.time() + BUDGET
    while time.time() < deadline:
        # Four writers at once; one of them is killed at a random moment.
        batch = []
        for _ in range(4):
            n += 1
            note = f"kill-loop {SEED} {n}"
            batch.append((note, start(hub, "interaction", "add", "--contact", rng.choice(contacts),
                                      "--channel", "phone", "--notes", note, wait="30")))
        victim = rng.randrange(len(batch))
        time.sleep(rng.uniform(0, 0.05))
        if batch[victim][1].poll() is None:
            batch[victim][1].kill()
            kills += 1
        for i, (note, p) in enumerate(batch):
            out, err = p.communicate()
            if p.returncode == 0:
                acked.append(note)
            elif i != victim:
                record("interactive writes", False, [f"a write that was not killed failed: {err[-200:]}"])
    con = sqlite3.connect(hub)
    stored = {r[0] for r in con.execute("SELECT notes FROM interactions WHERE notes LIKE ?",
                                        (f"kill-loop {SEED} %",))}
    con.close()
    lost = [a for a in acked if a not in stored]
    problems = intact(hub) + [f"acknowledged but lost: {a}" for a in lost[:5]]
    p = cx(hub, "interaction", "add", "--contact", contacts[0], "--channel", "phone", "--notes", "rerun")
    if p.returncode != 0:
        problems.append("a write after the loop failed: " + p.stderr[-300:])
    record("interactive writes", kills > 0, problems)
    t = tally["interactive writes"]
    t["killed"], t["runs"], t["acknowledged"] = kills, n, len(acked)
    check(kills > 0, f"interactive writes: {kills} of {n} writes killed, {len(acked)} acknowledged")
    check(not t["problems"], "interactive writes: every acknowledged write is there, integrity ok",
          t["problems"][:3])


if __name__ == "__main__":
    try:
        run([test_killed_workbook_imports, test_killed_erp_syncs, test_killed_interactive_writes])
    finally:
        print("tally:", json.dumps({k: {**v, "problems": len(v["problems"])} for k, v in tally.items()}))
