#!/usr/bin/env python3
"""Command-line scenarios of file safety (docs/operations.md): no file is
destroyed by accident, no hub is created by a command that only reads one, --as must name a
user, global options after the command, --notes-file, and the rough edges (unknown command,
past due dates, audit order and dates, erp-sync --help, sla --open, kpi columns).
usage: cli_safety_test.py PATH/TO/cxhub"""
import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, PG, check, run, scratch, sqlite_only  # noqa: E402


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def raw(args, cwd, env_extra=None, stdin=None):
    """Runs the binary with exactly `args` (no --db added), CXHUB_* cleared unless given."""
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    env.update(env_extra or {})
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, cwd=cwd, env=env,
                          input=stdin, timeout=300)


def demo_hub(accounts="100"):
    h = Hub()
    p = h.run("demo", "--accounts", accounts, "--seed", "7", "--as-of", "2026-10-31", "--quiet")
    assert p.returncode == 0, p.stderr
    return h


@sqlite_only("the hub's own file and its -wal, -journal and -shm")
def test_writes_never_hit_the_database():
    h = demo_hub()
    before = sha(h.db)
    accounts = h.count("accounts")
    for args, what in [(["export-workbook", h.db], "export-workbook onto the hub's database"),
                       (["export-workbook", h.db + "-wal"], "export-workbook onto its -wal"),
                       (["export-workbook", h.db + "-journal"], "export-workbook onto its -journal"),
                       (["review", "--week", "2026-W43", "--out", h.db], "review --out onto the database"),
                       (["review", "--week", "2026-W43", "--format", "xlsx", "--out", h.db + "-shm"],
                        "review --out onto its -shm"),
                       (["backup", h.db], "backup onto the database's own path"),
                       (["backup", "./" + os.path.basename(h.db)], "backup onto the same file by another name"),
                       (["export-workbook", h.db, "--force"], "export-workbook onto the database even with --force")]:
        p = h.run(*args)
        check(p.returncode == 2 and "this hub's database" in p.stderr, f"{what} is refused (exit 2)",
              f"rc={p.returncode} {p.stderr.strip()}")
    check(sha(h.db) == before and h.count("accounts") == accounts, "the database is untouched and still a hub")
    written = []
    for suffix in ("-wal", "-journal", "-shm"):
        if os.path.exists(h.db + suffix):
            with open(h.db + suffix, "rb") as f:
                head = f.read(64)
            if head.startswith(b"PK") or b"<" in head[:16]:
                written.append(suffix)
    check(not written, "no workbook or page was written as the database's -wal, -journal or -shm", written)


def test_only_files_of_the_same_kind_are_replaced():
    h = demo_hub("30")
    d = h.dir
    notes = os.path.join(d, "notes.txt")
    with open(notes, "w") as f:
        f.write("my precious notes\n")
    other_db = os.path.join(d, "other.db")
    import sqlite3
    con = sqlite3.connect(other_db)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    for path, args in [(notes, ["export-workbook", notes]), (other_db, ["export-workbook", other_db]),
                       (other_db, ["review", "--week", "2026-W43", "--out", other_db])] \
            + ([] if PG else [(notes, ["backup", notes])]):  # a PostgreSQL hub refuses any backup
        old = sha(path)
        p = h.run(*args)
        check(p.returncode == 2 and "--force" in p.stderr and sha(path) == old,
              f"{' '.join(args[:1])} onto an existing {os.path.basename(path)} is refused, file unchanged",
              f"rc={p.returncode} {p.stderr.strip()}")
    x = os.path.join(d, "hub.xlsx")
    check(h.run("export-workbook", x).returncode == 0, "export-workbook writes a new .xlsx")
    p = h.run("export-workbook", x)
    check(p.returncode == 0, "export-workbook replaces an existing .xlsx", p.stderr)
    with open(x, "rb") as f:
        check(f.read(4) == b"PK\x03\x04", "the replaced file is a workbook")
    if not PG:  # backup writes an SQLite file; a PostgreSQL hub refuses it (cli_test)
        b = os.path.join(d, "copy.db")
        check(h.run("backup", b).returncode == 0 and h.run("backup", b).returncode == 0,
              "backup replaces an earlier backup (a SQLite file)")
        p = h.run("backup", x)
        check(p.returncode == 2 and "--force" in p.stderr, "backup onto an .xlsx is refused", p.stderr)
    p = h.run("export-workbook", notes, "--force")
    with open(notes, "rb") as f:
        check(p.returncode == 0 and f.read(4) == b"PK\x03\x04", "--force replaces a file of another kind", p.stderr)
    html = os.path.join(d, "review.html")
    p = h.run("review", "--week", "2026-W43", "--out", html)
    check(p.returncode == 0 and open(html).read(200).lower().lstrip().startswith("<!doctype html"),
          "review writes HTML", p.stderr)
    p = h.run("review", "--week", "2026-W43", "--out", html)
    check(p.returncode == 0, "review replaces its own earlier HTML", p.stderr)
    left = [f for f in os.listdir(d) if f.startswith(".")]
    check(not left, "no temporary file is left behind", left)


def test_missing_folder_is_named():
    h = demo_hub("10")
    for args, path in [(["export-workbook"], "/nonexistent-cx/backups/hub.xlsx"),
                       (["review", "--week", "2026-W43", "--out"], "/nonexistent-cx/backups/r.html")] \
            + ([] if PG else [(["backup"], "/nonexistent-cx/backups/hub.db")]):
        p = h.run(*args, path)
        check(p.returncode == 2 and "folder /nonexistent-cx/backups does not exist" in p.stderr
              and "unable to open" not in p.stderr, f"{args[0]} names the missing folder",
              f"rc={p.returncode} {p.stderr.strip()}")
    d = scratch("cxcli-")
    p = raw(["--db", f"sqlite:{d}/nope/hub.db", "init"], d)
    check(p.returncode != 0 and f"folder {d}/nope does not exist" in p.stderr, "init names the missing folder",
          p.stderr.strip())


def test_a_failed_export_leaves_the_old_file():
    h = demo_hub("60")
    d = h.dir
    x = os.path.join(d, "hub.xlsx")
    old = b"PK\x03\x04" + b"last week's workbook " * 200
    with open(x, "wb") as f:
        f.write(old)
    # A hub the export cannot read to the end (its last sheet's table is missing, as in a
    # damaged database): the export fails after it has begun to write.
    h.sql("ALTER TABLE feedback RENAME TO feedback_elsewhere")
    listing = sorted(os.listdir(d))
    p = h.run("export-workbook", x)
    check(p.returncode == 1 and "feedback" in p.stderr, "an export that cannot finish fails (exit 1) with a message",
          f"rc={p.returncode} {p.stderr.strip()}")
    check(os.path.exists(x) and open(x, "rb").read() == old, "the old file is left byte for byte")
    check(sorted(os.listdir(d)) == listing, "no half file or temporary file is left",
          set(os.listdir(d)) ^ set(listing))
    h.sql("ALTER TABLE feedback_elsewhere RENAME TO feedback")
    p = h.run("export-workbook", x)
    with open(x, "rb") as f:
        check(p.returncode == 0 and f.read() != old, "once the hub is whole the export replaces it", p.stderr)


@sqlite_only("no SQLite file is created by a command that only reads (cli_pg_test: a database without a hub)")
def test_no_hub_no_file():
    d = scratch("cxcli-")
    db = os.path.join(d, "hub.db")
    for args in [["search", "okafor"], ["kpi"], ["audit"], ["account", "list"], ["duplicates"],
                 ["export-workbook", os.path.join(d, "x.xlsx")], ["backup", os.path.join(d, "b.db")],
                 ["sla"], ["user", "add", "ada", "--role", "admin"]]:
        p = raw(["--db", "sqlite:" + db] + args, d)
        check(p.returncode == 2 and f"no hub at {db}" in p.stderr and "cxhub init" in p.stderr,
              f"'{args[0]}' where no hub exists says so (exit 2)", f"rc={p.returncode} {p.stderr.strip()}")
    check(os.listdir(d) == [], "and creates nothing", os.listdir(d))
    p = raw(["search", "okafor"], d)  # the default sqlite:cxhub.db in the working folder
    check(p.returncode == 2 and "no hub at cxhub.db" in p.stderr and os.listdir(d) == [],
          "the default hub file is not created by a search", p.stderr.strip())
    p = raw(["--db", "sqlite:" + db, "init"], d)
    check(p.returncode == 0 and os.path.exists(db), "init creates the hub", p.stderr)
    d2 = scratch("cxcli-")
    p = raw(["--db", f"sqlite:{d2}/hub.db", "demo", "--accounts", "10", "--quiet"], d2)
    check(p.returncode == 0 and os.path.exists(f"{d2}/hub.db"), "demo creates the hub", p.stderr)


def test_as_must_name_a_user():
    h = demo_hub("20")
    accounts, audit = h.count("accounts"), h.count("audit")
    p = h.run("account", "add", "--name", "Nobody's Company", "--division", "Motors", user="nobody")
    check(p.returncode == 2 and "nobody" in p.stderr and "names no user" in p.stderr,
          "--as nobody is refused (exit 2)", f"rc={p.returncode} {p.stderr.strip()}")
    p = raw(["--db", h.url, "account", "add", "--name", "Nobody's Company", "--division", "Motors"],
            h.dir, env_extra={"CXHUB_USER": "nobody"})
    check(p.returncode == 2 and "CXHUB_USER" in p.stderr, "$CXHUB_USER naming no user is refused too",
          f"rc={p.returncode} {p.stderr.strip()}")
    check(h.count("accounts") == accounts and h.count("audit") == audit, "nothing written, nothing audited")
    nobody = h.sql("SELECT COUNT(*) FROM audit WHERE actor = 'nobody'")[0][0]
    check(nobody == 0, "'nobody' is nowhere in the audit log", nobody)
    p = h.run("account", "add", "--name", "Console Company", "--division", "Motors", user="cli")
    check(p.returncode == 0, "--as cli (the console administrator) stays valid", p.stderr)
    p = h.run("account", "add", "--name", "Adaeze's Company", "--division", "Motors", "--json", user="adaeze.m")
    check(p.returncode == 0, "--as a user's login is accepted", p.stderr)
    entries = h.json("audit", "--id", json.loads(p.stdout)["id"])["entries"] if p.returncode == 0 else []
    check(entries and entries[0]["actor"] == "adaeze.m", "and audited under that login", entries[:1])


def test_global_options_after_the_command():
    h = demo_hub("30")
    check(h.run("user", "add", "stew.ward", "--role", "steward", "--name", "Stella Ward").returncode == 0,
          "a steward is added")
    a = h.json("account", "add", "--name", "Zebra Quartz Holdings", "--division", "Motors")
    b = h.json("account", "add", "--name", "Zebra Quartz Holdings Ltd", "--division", "Motors", "--force",
               "--reason", "test")
    p = raw(["merge", "accounts", a["id"], b["id"], "--reason", "same company", "--as", "stew.ward",
             "--db", h.url], h.dir)
    check(p.returncode == 0, "merge accounts A B --reason R --as LOGIN --db URL works", p.stderr.strip())
    entries = h.json("audit", "--action", "merge")["entries"]
    check(entries and all(e["actor"] == "stew.ward" for e in entries), "the merge is audited under --as",
          entries[:1])
    p = raw(["search", "zebra quartz", "--db", h.url, "--json"], h.dir)
    ok = p.returncode == 0 and json.loads(p.stdout)["results"][0]["id"] == a["id"]
    check(ok, "search TEXT --db URL --json", p.stderr)
    p = raw(["--json", "--db", h.url, "search", "zebra quartz"], h.dir)
    check(p.returncode == 0 and "results" in json.loads(p.stdout), "--json before the command", p.stderr)
    p = raw(["--db", h.url, "account", "list", "--limit", "1", "--zone", "UTC", "--json"], h.dir)
    check(p.returncode == 0 and len(json.loads(p.stdout)["accounts"]) == 1, "--zone after the command", p.stderr)


def test_notes_file():
    h = demo_hub("10")
    long_note = ("Customer called about the generator.\nŁukasz said: «ñ» ₦1,200,000 — ok\n" * 400)[:30000]
    path = os.path.join(h.dir, "note.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(long_note + "\n")
    i = h.json("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes-file", path)
    got = h.json("interaction", "show", i["id"])["notes"]
    check(got == long_note, "--notes-file PATH stores the file's text (less its last line break)",
          (len(got), len(long_note)))
    p = h.run("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes-file", "-", "--json",
              stdin="from standard input\nsecond line\n")
    ok = p.returncode == 0 and h.json("interaction", "show", json.loads(p.stdout)["id"])["notes"] == \
        "from standard input\nsecond line"
    check(ok, "--notes-file - reads standard input", p.stderr)
    n = h.count("interactions")
    p = h.run("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes-file",
              os.path.join(h.dir, "missing.txt"))
    check(p.returncode == 2 and "missing.txt" in p.stderr and h.count("interactions") == n,
          "a missing notes file is named, nothing written", p.stderr.strip())
    p = h.run("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes", "x", "--notes-file",
              path)
    check(p.returncode == 2 and h.count("interactions") == n, "--notes and --notes-file together are refused",
          p.stderr.strip())


def test_rough_edges():
    h = demo_hub("120")
    p = h.run("sevre")
    check(p.returncode == 2 and "unknown command 'sevre'" in p.stderr and "subcommand is required" not in p.stderr,
          "an unknown command is named", p.stderr.strip())
    p = h.run("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--next-action", "call back",
              "--due", "01/02/2020 10:00", "--json")
    check(p.returncode == 0 and "warning" in p.stderr and "past" in p.stderr and "2020-02-01" in p.stderr,
          "a next action due in the past warns on stderr", f"rc={p.returncode} {p.stderr.strip()}")
    past_id = json.loads(p.stdout)["id"] if p.returncode == 0 else ""
    check(past_id and h.json("interaction", "show", past_id)["next_action"] == "call back", "and is saved")
    p = h.run("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--next-action", "call back",
              "--due", "01/02/2099 10:00")
    check(p.returncode == 0 and "warning" not in p.stderr, "a future due date does not warn", p.stderr.strip())

    i = h.json("interaction", "add", "--contact", "C-000002", "--channel", "visit", "--date", "03/04/2026 14:05",
               "--next-action", "quote", "--due", "05/04/2026 12:00")
    e = h.json("audit", "--id", i["id"])["entries"]
    after = e[0]["after"] if e else ""
    check("2026-04-03T14:05:00" in after and "2026-04-05T12:00:00" in after and not re.search(r"\d{10}", after),
          "audit --json shows a created record's times as dates in the hub's zone", after)
    text = h.run("audit", "--id", i["id"]).stdout
    check("2026-04-03T14:05:00" in text and not re.search(r"\b1\d{9}\b", text), "and so does the text output",
          text.strip())
    entries = h.json("audit", "--limit", "200")["entries"]
    ats = [x["at"] for x in entries]
    check(len(ats) > 5 and ats == sorted(ats, reverse=True), "audit lists newest first (by time)", ats[:8])
    lines = [ln for ln in h.run("audit", "--limit", "200").stdout.splitlines() if ln.strip()]
    times = [ln.split()[0] for ln in lines]
    check(times == sorted(times, reverse=True), "audit text lists newest first too", times[:8])

    p = h.run("erp-sync", "--help")
    check(p.returncode == 0 and ".xlsx" in p.stdout, "erp-sync --help says it takes .xlsx", p.stdout[:300])

    at = "2026-10-20 12:00"
    every = h.json("sla", "--all", "--at", at)["items"]
    p = h.run("sla", "--open", "--at", at, "--json")
    items = json.loads(p.stdout)["items"] if p.returncode == 0 else None
    running = [x for x in every if x["stopped"] is None]
    check(items is not None and items and all(x["stopped"] is None for x in items)
          and sorted(x["id"] for x in items) == sorted(x["id"] for x in running),
          "sla --open lists exactly the clocks still running", p.stderr.strip() if p.returncode else len(items))
    check(any(x["stopped"] for x in every), "(the hub has stopped clocks that --open leaves out)")
    p = h.run("sla", "--open", "--at", at)
    check(p.returncode == 0 and "stopped" not in p.stdout.split("\n", 1)[-1], "sla --open text shows no stopped clock",
          p.stdout[:300])

    p = h.run("kpi", "--from", "2026-07-01", "--to", "2026-09-30")
    lines = p.stdout.splitlines()
    head = next((ln for ln in lines if ln.startswith("Division")), "")
    rows = [ln for ln in lines if ln and not ln.startswith((" ", "KPIs", "Division"))]
    met = head.find(" Met") + 1
    sample_end = head.find("Sample") + len("Sample")
    bad = [r for r in rows if len(r) < sample_end or r[met] not in "✓✗·" or not r[sample_end - 1].isdigit()]
    check(p.returncode == 0 and head and len(rows) > 10 and not bad,
          "kpi text columns line up (Met and Sample at the header's place in every row)", bad[:3])


if __name__ == "__main__":
    run([test_writes_never_hit_the_database, test_only_files_of_the_same_kind_are_replaced,
         test_missing_folder_is_named, test_a_failed_export_leaves_the_old_file, test_no_hub_no_file,
         test_as_must_name_a_user, test_global_options_after_the_command, test_notes_file, test_rough_edges])
