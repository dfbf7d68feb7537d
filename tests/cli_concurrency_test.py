"""Working on one hub from several processes at once (docs/operations.md, "Working while a load
runs"): reads during a long import see the state before it; a write that meets the import waits
and then either goes through after it or fails naming the import; concurrent edits of different
fields of one account all survive; a read-only hub folder still answers reads; a full disk gives
a clear message and leaves the hub intact.
Run: cli_concurrency_test.py PATH/TO/cxhub (as root: the read-only and full-disk scenarios mount
a tmpfs, and fail when they cannot)."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, PG, SqlError, check, run, scratch, sqlite_only  # noqa: E402


def cx(url, *args, wait=None, user=None):
    """Runs cxhub on the hub at `url` (`--db`); `wait` sets CXHUB_LOCK_WAIT (seconds)."""
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    if wait is not None:
        env["CXHUB_LOCK_WAIT"] = str(wait)
    cmd = [BIN, "--db", url] + (["--as", user] if user else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def start(url, *args):
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    return subprocess.Popen([BIN, "--db", url] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


_workbook = None


def big_workbook():
    """An export of a demo hub of 5,000 accounts and 200,000 interactions (made once)."""
    global _workbook
    if _workbook:
        return _workbook
    d = scratch("cxconc-src-")
    src = os.path.join(d, "src.db")
    p = cx("sqlite:" + src, "demo", "--accounts", "5000", "--interactions", "200000", "--quiet", "--seed", "7")
    assert p.returncode == 0, p.stderr
    _workbook = os.path.join(d, "big.xlsx")
    p = cx("sqlite:" + src, "export-workbook", _workbook)
    assert p.returncode == 0, p.stderr
    return _workbook


def load_running(h):
    """Whether a bulk load has recorded itself in the hub (it has begun writing)."""
    try:
        return h.count("hub_loads") > 0
    except SqlError:
        return False


def import_in_background(h, wb):
    """Starts import-workbook and returns once it is writing (its row is in hub_loads)."""
    p = start(h.url, "import-workbook", wb)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None and not load_running(h):
        if not PG and os.path.exists(h.db + "-journal"):  # how a load showed itself before hub_loads
            break
        time.sleep(0.02)
    return p


def small_hub():
    h = Hub()
    assert h.run("init").returncode == 0
    p = h.run("account", "add", "--name", "Old Harbour Logistics", "--industry", "Shipping", "--json")
    assert p.returncode == 0, p.stderr
    aid = json.loads(p.stdout)["id"]
    p = h.run("contact", "add", "--name", "Ifeoma Okafor", "--account", aid, "--json")
    assert p.returncode == 0, p.stderr
    h.contact = json.loads(p.stdout)["id"]
    return h, aid


def test_reads_during_an_import_see_the_state_before_it():
    wb = big_workbook()
    h, aid = small_hub()
    imp = import_in_background(h, wb)
    check(imp.poll() is None and load_running(h), "the import is running")
    reads = {
        "search": ("search", "Old Harbour", "--json"),
        "account show": ("account", "show", aid, "--json"),
        "account list": ("account", "list", "--json"),
        "audit": ("audit", "--json"),
        "kpi": ("kpi", "--json"),
        "duplicates": ("duplicates", "--json"),
        "export-workbook": ("export-workbook", os.path.join(h.dir, "during.xlsx")),
    }
    for name, args in reads.items():
        t = time.time()
        p = cx(h.url, *args, wait=60)
        took = time.time() - t
        check(p.returncode == 0 and took < 10, f"{name} during the import answers at once",
              f"exit {p.returncode} after {took:.1f} s: {p.stderr[-300:]}")
        if name == "account list" and p.returncode == 0:
            ids = [a["id"] for a in json.loads(p.stdout)["accounts"]]
            check(ids == [aid], "account list during the import shows the hub before it", ids[:5])
        if name == "search" and p.returncode == 0:
            check(any(r["id"] == aid for r in json.loads(p.stdout)["results"]),
                  "search during the import finds the old account")
    still = imp.poll() is None
    check(still, "the import was still running after the reads (else they proved nothing)")
    out, err = imp.communicate(timeout=600)
    check(imp.returncode == 0, "the import succeeds", err[-300:])
    p = cx(h.url, "account", "list", "--json", "--limit", "100000")
    check(p.returncode == 0 and len(json.loads(p.stdout)["accounts"]) > 5000,
          "after the import the list shows it")


def test_a_write_during_an_import_waits_then_goes_through_or_names_the_import():
    wb = big_workbook()
    h, aid = small_hub()
    imp = import_in_background(h, wb)
    check(imp.poll() is None, "the import is running")
    # A short wait: the write gives up, naming the load, who started it, and when.
    t = time.time()
    p = cx(h.url, "interaction", "add", "--contact", h.contact, "--channel", "phone", "--notes",
           "short wait", wait=0.5)
    took = time.time() - t
    check(p.returncode == 1, "a write with a short wait fails (exit 1)", f"{p.returncode} {p.stderr}")
    check(took >= 0.5, "it waited the configured time first", f"{took:.2f} s")
    check("import-workbook" in p.stderr and os.path.basename(wb) in p.stderr
          and "started by cli" in p.stderr and "UTC" in p.stderr and "CXHUB_LOCK_WAIT" in p.stderr,
          "the message names the import, who started it, when, and how to wait longer", p.stderr)
    check("database is locked" not in p.stderr, "no bare 'database is locked'", p.stderr)
    # A long wait: the write goes through once the import has committed.
    w = subprocess.Popen([BIN, "--db", h.url, "interaction", "add", "--contact",
                          h.contact, "--channel", "phone", "--notes", "long wait"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, CXHUB_LOCK_WAIT="300"))
    time.sleep(0.3)
    check(imp.poll() is None and w.poll() is None, "the write waits while the import runs")
    imp.communicate(timeout=600)
    wout, werr = w.communicate(timeout=600)
    check(imp.returncode == 0 and w.returncode == 0, "both the import and the waiting write succeed",
          werr)
    notes = [r[0] for r in h.sql("SELECT notes FROM interactions WHERE notes IN ('short wait', 'long wait')")]
    loads = h.count("hub_loads")
    check(notes == ["long wait"], "only the acknowledged write is in the hub", notes)
    check(loads == 0, "the import's lock row is gone")


def test_concurrent_edits_of_one_account_all_survive():
    """Fifteen processes edit the same account at once, three per field, 50 times each. Every
    edit names its field in --reason, so the audit log shows any edit that changed another
    field (a lost update: a stale value written back); each stored value must be one that an
    edit of that field wrote."""
    h, aid = small_hub()
    fields = {"--industry": "industry", "--address": "address", "--city": "city",
              "--email": "email", "--field": "custom:Note"}
    rounds, per_field = 50, 3
    script = r"""
import os, subprocess, sys
bin_, url, aid, flag = sys.argv[1:5]
for i in range(int(sys.argv[5])):
    v = f"{flag.strip('-')}{os.getpid()}x{i}"
    arg = f"Note={v}" if flag == "--field" else (v + "@example.com" if flag == "--email" else v)
    p = subprocess.run([bin_, "--db", url, "account", "edit", aid, flag, arg,
                        "--reason", flag], capture_output=True, text=True,
                       env=dict(os.environ, CXHUB_LOCK_WAIT="60"))
    if p.returncode == 0:
        print(arg if flag == "--email" else v, flush=True)
    else:
        print(p.stderr, file=sys.stderr)
"""
    procs = [(flag, subprocess.Popen([sys.executable, "-c", script, BIN, h.url, aid, flag,
                                      str(rounds)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True))
             for _ in range(per_field) for flag in fields]
    acked = {flag: set() for flag in fields}
    errors = []
    for flag, p in procs:
        out, err = p.communicate(timeout=600)
        acked[flag].update(out.split())
        if err:
            errors.append(err[-200:])
    check(all(len(v) == rounds * per_field for v in acked.values()) and not errors,
          "every edit was acknowledged", errors[:2])
    a = json.loads(cx(h.url, "account", "show", aid, "--json").stdout)
    got = {"--industry": a.get("industry"), "--address": a.get("address"), "--city": a.get("city"),
           "--email": a.get("email"), "--field": (a.get("custom") or {}).get("Note")}
    for flag in fields:
        check(got[flag] in acked[flag], f"the stored {fields[flag]} is an acknowledged edit of it",
              f"stored {got[flag]!r}")
    p = cx(h.url, "audit", "--id", aid, "--action", "update", "--limit", "100000", "--json")
    entries = json.loads(p.stdout)["entries"]
    owner = {field: flag for flag, field in fields.items()}
    stray = [e for e in entries if e.get("field") in owner and e.get("reason") != owner[e["field"]]]
    check(len(entries) >= rounds * per_field * len(fields), "every edit is in the audit log",
          len(entries))
    check(not stray, "no edit changed a field it was not given (no stale value written back)",
          [(e["field"], e["before"], e["after"], e["reason"]) for e in stray[:5]])


def mount_tmpfs(d, size):
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", d],
                       capture_output=True, text=True)
    assert p.returncode == 0, f"cannot mount a tmpfs (this test needs root): {p.stderr}"


def umount(d):
    subprocess.run(["umount", "-l", d], capture_output=True)


@sqlite_only("the SQLite file on a read-only mount")
def test_read_only_folder_still_answers_reads():
    h, aid = small_hub()
    d = scratch("cxconc-ro-")
    mount_tmpfs(d, "64m")
    try:
        db = os.path.join(d, "hub.db")
        shutil.copy(h.db, db)  # a closed hub: no -wal beside it
        p = subprocess.run(["mount", "-o", "remount,ro", d], capture_output=True, text=True)
        assert p.returncode == 0, f"cannot remount read-only: {p.stderr}"
        p = cx("sqlite:" + db, "search", "Old Harbour", "--json")
        check(p.returncode == 0 and aid in p.stdout, "search answers on a read-only folder",
              p.stderr)
        p = cx("sqlite:" + db, "account", "show", aid, "--json")
        check(p.returncode == 0 and "Old Harbour" in p.stdout,
              "account show answers on a read-only folder", p.stderr)
        p = cx("sqlite:" + db, "account", "add", "--name", "New Co")
        check(p.returncode == 1 and "cannot be written" in p.stderr and d in p.stderr
              and "read-only" in p.stderr and "writable" in p.stderr,
              "a write says the folder is read-only and what to do", p.stderr)
        check(not os.path.exists(db + "-wal"), "nothing was created beside the hub")
    finally:
        umount(d)


@sqlite_only("the SQLite file on a full tmpfs")
def test_disk_full_is_clear_and_leaves_the_hub_intact():
    d = scratch("cxconc-full-")
    mount_tmpfs(d, "6m")
    try:
        db = os.path.join(d, "hub.db")
        p = cx("sqlite:" + db, "init")
        assert p.returncode == 0, p.stderr
        p = cx("sqlite:" + db, "account", "add", "--name", "Full Disk Traders", "--json")
        assert p.returncode == 0, p.stderr
        aid = json.loads(p.stdout)["id"]
        p = cx("sqlite:" + db, "contact", "add", "--name", "Chidi Eze", "--account", aid, "--json")
        assert p.returncode == 0, p.stderr
        cid = json.loads(p.stdout)["id"]
        # Fill the disk, then ask for a write far bigger than what is left.
        with open(os.path.join(d, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        notes = os.path.join(os.path.dirname(d), os.path.basename(d) + "-notes.txt")
        with open(notes, "w") as f:
            f.write("x" * 30000)
        failures = []
        for i in range(40):
            p = cx("sqlite:" + db, "interaction", "add", "--contact", cid, "--channel", "phone",
                   "--notes-file", notes)
            if p.returncode != 0:
                failures.append(p)
                break
        os.remove(notes)
        check(failures, "a write on a full disk fails")
        if failures:
            err = failures[0].stderr
            check(failures[0].returncode == 1 and "full" in err and db in err
                  and "rollback failed" not in err and "Free some space" in err,
                  "the message says the disk holding the hub is full and what to do", err)
        os.remove(os.path.join(d, "filler"))
        con = sqlite3.connect(db)
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        n = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
        con.close()
        check(ok == "ok" and n == 1, "the hub is intact afterwards", f"{ok} {n}")
        p = cx("sqlite:" + db, "interaction", "add", "--contact", cid, "--channel", "phone", "--notes",
               "room again")
        check(p.returncode == 0, "with room again, writes work", p.stderr)
    finally:
        umount(d)


if __name__ == "__main__":
    run([
        test_reads_during_an_import_see_the_state_before_it,
        test_a_write_during_an_import_waits_then_goes_through_or_names_the_import,
        test_concurrent_edits_of_one_account_all_survive,
        test_read_only_folder_still_answers_reads,
        test_disk_full_is_clear_and_leaves_the_hub_intact,
    ])
