#!/usr/bin/env python3
"""Command-line scenarios against the real binary and a real hub (SQLite, or PostgreSQL: clihub.py): exit codes,
JSON shapes, search-first refusals that write nothing, merges, backup, help everywhere.
usage: cli_test.py PATH/TO/cxhub"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import PG, Hub, check, run  # noqa: E402


def test_help_everywhere():
    h = Hub()
    groups = [[], ["init"], ["search"], ["duplicates"], ["merge"], ["merge", "accounts"], ["merge", "undo"],
              ["account"], ["account", "add"], ["account", "show"], ["account", "list"], ["contact", "add"],
              ["interaction", "add"], ["interaction", "list"], ["audit"], ["backup"], ["user", "add"], ["demo"]]
    bad = [g for g in groups if h.run(*g, "--help").returncode != 0]
    check(not bad, "--help exits 0 at every level", str(bad))
    p = h.run("no-such-command")
    check(p.returncode == 2 and p.stderr, "an unknown command exits 2 with a message", p.returncode)
    p = h.run()
    check(p.returncode == 2, "no command exits 2", p.returncode)


def test_search_first_refusal_writes_nothing():
    h = Hub()
    check(h.run("init").returncode == 0, "init exits 0")
    a = h.json("account", "add", "--name", "Okafor & Sons Nig. Ltd", "--phone", "+234 803 123 4567",
               "--division", "Motors")
    check(a["id"] == "A-000001" and a["divisions"] == "Motors", "account add --json returns the account", a)
    audit_before = h.count("audit")
    for name, extra in [("OKAFOR AND SONS LIMITED", []), ("Okafro and Sons", []), ("Someone Else", ["--phone", "08031234567"])]:
        p = h.run("account", "add", "--name", name, *extra)
        check(p.returncode == 2 and "A-000001" in p.stderr, f"search-first refuses '{name}' naming the match",
              f"rc={p.returncode} {p.stderr}")
    check(h.count("accounts") == 1 and h.count("audit") == audit_before, "refusals wrote nothing")
    p = h.run("account", "add", "--name", "Okafor and Sons", "--force")
    check(p.returncode == 2 and "reason" in p.stderr, "--force without --reason exits 2", p.stderr)
    p = h.run("account", "add", "--name", "Okafor and Sons", "--force", "--reason", "separate legal entity")
    check(p.returncode == 0 and h.count("accounts") == 2, "--force with a reason creates", p.stderr)
    entries = h.json("audit", "--action", "force-create")["entries"]
    check(len(entries) == 1 and entries[0]["reason"] == "separate legal entity", "the forced creation is audited",
          entries)
    p = h.run("account", "add", "--name", "Bad Division Co", "--division", "Shipping")
    check(p.returncode == 2 and "Shipping" in p.stderr, "an unknown division exits 2 naming it", p.stderr)


def test_records_search_duplicates_merge_backup():
    h = Hub()
    h.run("init")
    h.json("account", "add", "--name", "Balogun Foods", "--division", "GRAS", "--email", "info@balogun.ng")
    h.json("account", "add", "--name", "Balogun Foods Nigeria Ltd", "--division", "GRAS", "--force", "--reason", "imported twice")
    c = h.json("contact", "add", "--name", "Ada Obi", "--account", "A-000002", "--title", "Owner")
    check(c["account_id"] == "A-000002", "contact add links the account", c)
    p = h.run("contact", "add", "--name", "Ghost", "--account", "A-404")
    check(p.returncode == 2 and "A-404" in p.stderr, "a contact of a missing account exits 2", p.stderr)
    i = h.json("interaction", "add", "--contact", c["id"], "--channel", "WhatsApp", "--notes",
               "Booked a table for 40\nwants a quote", "--date", "03/04/2026 14:05", "--next-action", "Send quote",
               "--due", "2026-04-05 12:00")
    check(i["date"] == "2026-04-03T14:05:00" and i["channel"] == "whatsapp" and i["division"] == "GRAS",
          "interaction add reads day-first dates and defaults the division", i)
    p = h.run("interaction", "add", "--contact", c["id"], "--channel", "phone", "--date", "2026-13-45")
    check(p.returncode == 2 and "2026-13-45" in p.stderr, "a bad date exits 2 naming it", p.stderr)
    s = h.json("search", "balogun fods")
    check(s["results"] and s["results"][0]["kind"] == "account" and
          set(s["results"][0]) >= {"kind", "id", "name", "score"}, "search --json is typo-tolerant", s)
    d = h.json("duplicates")
    check(set(d) == {"accounts", "contacts"} and d["accounts"] and d["accounts"][0]["ids"] == ["A-000001", "A-000002"]
          and 0 < d["accounts"][0]["score"] <= 1 and d["accounts"][0]["why"], "duplicates --json lists the cluster", d)
    h.json("user", "add", "sam", "--role", "sales")
    p = h.run("merge", "accounts", "A-000001", "A-000002", "--reason", "same", user="sam")
    check(p.returncode == 2 and "steward" in p.stderr, "a salesperson may not merge", p.stderr)
    m = h.json("merge", "accounts", "A-000001", "A-000002", "--reason", "same restaurant")
    show = h.json("account", "show", "A-000001")
    check(len(show["contacts"]) == 1 and len(show["interactions"]) == 1, "merge moves contacts and interactions",
          show)
    check(h.json("duplicates")["accounts"] == [], "a merged cluster leaves duplicates")
    u = h.json("merge", "undo", m["id"], "--reason", "two branches")
    check(u["undone_at"] is not None and h.json("account", "show", "A-000002")["contacts"],
          "merge undo moves the contact back")
    backup = os.path.join(h.dir, "copy.db")
    p = h.run("backup", backup)
    if PG:  # docs/postgresql.md: backups of a server's hub are pg_dump's
        check(p.returncode == 2 and "pg_dump" in p.stderr and not os.path.exists(backup),
              "backup of a PostgreSQL hub refuses, pointing to pg_dump", p.stderr)
    else:
        con = sqlite3.connect(backup)
        n = con.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]
        con.close()
        check(p.returncode == 0 and n == 2, "backup writes a consistent copy", p.stderr)
    p = h.run("account", "show", "A-404")
    check(p.returncode == 2 and "A-404" in p.stderr, "showing a missing account exits 2", p.stderr)


def test_demo():
    h = Hub()
    p = h.run("demo", "--accounts", "200", "--seed", "3", "--as-of", "2026-10-31")
    check(p.returncode == 0, "demo --accounts 200 exits 0", p.stderr)
    divisions = {r[0] for r in h.sql("SELECT DISTINCT division FROM interactions")}
    check(divisions >= {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65"},
          "demo covers all five divisions", divisions)
    for table in ["contacts", "opportunities", "stage_history", "cases", "orders", "feedback", "users"]:
        check(h.count(table) > 0, f"demo writes {table}")
    d = h.json("duplicates")
    planted = {r[0] for r in h.sql("SELECT id FROM accounts WHERE id LIKE '%-D'")}
    found = {i for c in d["accounts"] for i in c["ids"] if i.endswith("-D")}
    check(planted and planted == found, "duplicates finds every planted duplicate", (planted - found, found - planted))
    p = h.run("demo", "--accounts", "10")
    check(p.returncode == 2, "demo refuses a hub that has data", p.returncode)


def test_account_edit_and_the_fields_the_erp_owns():
    h = Hub()
    h.run("init")
    hub = h.json("account", "add", "--name", "Adebayo Farms", "--city", "Ibadan")
    export = os.path.join(h.dir, "customers.csv")
    with open(export, "w", encoding="utf-8") as f:
        f.write("ERP Customer ID,Customer Name,City,Phone,Last Modified\n"
                "E7,Zenith Cold Rooms Ltd,Lagos,+234 803 555 0101,2026-03-04 10:00\n")
    sync = h.json("erp-sync", "customers", export)
    linked = [a for a in h.json("account", "list")["accounts"] if a.get("erp_customer_id") == "E7"]
    check(sync["created"] == 1 and len(linked) == 1, "the ERP customer becomes an account", sync)
    erp_id = linked[0]["id"]
    audit_before = h.count("audit")
    for flag, value in [("--city", "Abuja"), ("--name", "Zenith Cold Rooms"), ("--phone", "08035550102")]:
        p = h.run("account", "edit", erp_id, flag, value)
        field = {"--city": "city", "--name": "name", "--phone": "phone"}[flag]
        check(p.returncode == 2 and f"field {field} is owned by the ERP" in p.stderr and "E7" in p.stderr,
              f"account edit {flag} of a linked account is refused: the ERP owns it", f"rc={p.returncode} {p.stderr}")
    check(h.count("audit") == audit_before, "the refused edits wrote nothing")
    p = h.run("account", "edit", erp_id, "--type", "distributor", "--field", "Tier=Gold", "--reason", "agreed")
    check(p.returncode == 0, "hub-owned fields of a linked account can be edited", p.stderr)
    shown = h.json("account", "show", erp_id)
    check(shown["type"] == "distributor" and shown["city"] == "Lagos", "the edit saved what it should", shown)
    edited = h.json("account", "edit", hub["id"], "--city", "Abeokuta", "--reason", "moved")
    check(edited["city"] == "Abeokuta", "an unlinked account's city can be edited", edited)
    entries = h.json("audit", "--action", "update")["entries"]
    check(any(e["entity_id"] == hub["id"] and e["field"] == "city" and e["before"] == "Ibadan"
              and e["after"] == "Abeokuta" and e["reason"] == "moved" for e in entries),
          "the edit is audited with before, after and reason", entries)
    p = h.run("account", "edit", hub["id"], "--owner", "ada")
    check(p.returncode != 0, "account edit has no --owner (ownership changes elsewhere)", p.returncode)
    p = h.run("account", "edit", "A-999999", "--city", "Kano")
    check(p.returncode == 2 and "A-999999" in p.stderr, "editing an unknown account exits 2 naming it", p.stderr)


run([test_help_everywhere, test_search_first_refusal_writes_nothing, test_records_search_duplicates_merge_backup,
     test_demo, test_account_edit_and_the_fields_the_erp_owns])
