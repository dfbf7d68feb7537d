"""Command-line scenarios of people and rules (docs/people.md): people are named once (links to
users, shown by full name, found by name or login) and the rules hold on every path (an import
changes an Account Owner only as a manager, a steward merges within their division, the erp
role only syncs). Run: cli_people_test.py PATH/TO/cxhub (Debian's python3, for openpyxl)."""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import Hub, check, run, sqlite_only  # noqa: E402

import openpyxl  # noqa: E402


def sheet_rows(path, sheet):
    """The rows of one sheet as dicts keyed by the header."""
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[sheet].iter_rows(values_only=True))
    wb.close()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def set_cell(path, out, sheet, row_id, column, value):
    """Copies the workbook `path` to `out` with one cell changed (the row whose first cell is
    `row_id`)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    col = header.index(column) + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == row_id:
            ws.cell(r, col).value = value
            wb.save(out)
            return r
    raise AssertionError(f"{row_id} not in {sheet}")


def demo_hub(accounts=300):
    h = Hub()
    p = h.run("demo", "--accounts", str(accounts), "--seed", "1")
    assert p.returncode == 0, p.stderr
    return h


def test_unedited_demo_export_imports_as_no_change():
    h = demo_hub()
    x = os.path.join(h.dir, "x.xlsx")
    p = h.run("export-workbook", x)
    check(p.returncode == 0, "export-workbook of the demo exits 0", p.stderr)
    owners = {r["Account Owner"] for r in sheet_rows(x, "Accounts")} - {None}
    check("Tunde Salako" in owners and not any("." in o for o in owners),
          "the export names Account Owners by full name, never by login", sorted(owners))
    loggers = {r["Logged By"] for r in sheet_rows(x, "Interactions")}
    check("tunde.s" not in loggers and "Tunde Salako" in loggers, "Logged By is the full name too")
    d = h.json("import-workbook", x, "--dry-run")
    created = sum(s["created"] for s in d["sheets"])
    updated = sum(s["updated"] for s in d["sheets"])
    check(d["ok"] and created == 0 and updated == 0,
          "an unedited export of the demo imports as 0 created, 0 updated",
          [(s["sheet"], s["created"], s["updated"]) for s in d["sheets"]])
    check(d["unknown_people"] == [], "every person of the demo is a user", d["unknown_people"][:5])


def test_owner_filters_take_the_name_or_the_login():
    h = demo_hub()
    for cmd in (["next-actions"], ["sla", "--all"]):
        key = "next_actions" if cmd[0] == "next-actions" else "items"
        by_name = h.json(*cmd, "--owner", "Tunde Salako")[key]
        by_login = h.json(*cmd, "--owner", "tunde.s")[key]
        loose = h.json(*cmd, "--owner", "  tunde SALAKO ")[key]
        ids = [i["id"] for i in by_name]
        check(ids and ids == [i["id"] for i in by_login] == [i["id"] for i in loose],
              f"{cmd[0]} --owner gives the same rows by full name, login or any case",
              (len(by_name), len(by_login), len(loose)))
        check(all(i["owner"] == "Tunde Salako" for i in by_name), f"{cmd[0]} shows the owner's full name")
        everyone = h.json(*cmd)[key]
        check(len(ids) == sum(1 for i in everyone if i["owner"] == "Tunde Salako"),
              f"{cmd[0]} --owner misses none of the person's rows")


def test_people_typed_either_way_are_one_person():
    h = Hub()
    h.run("init")
    h.run("user", "add", "tunde.s", "--role", "sales", "--division", "Motors", "--name", "Tunde Salako")
    a1 = h.json("account", "add", "--name", "Alpha Motors Lagos", "--owner", "Tunde Salako")
    a2 = h.json("account", "add", "--name", "Bravo Clinics Kano", "--owner", " TUNDE.S ")
    a3 = h.json("account", "add", "--name", "Charlie Foods Abuja", "--owner", "Old Typist")
    stored = dict(h.sql("SELECT id, owner FROM accounts"))
    check(stored[a1["id"]] == stored[a2["id"]] == "tunde.s", "a user typed by name or login is stored as a link",
          stored)
    check(stored[a3["id"]] == "Old Typist", "someone who is no user is kept as written", stored)
    listed = h.json("account", "list", "--owner", "Tunde Salako")
    rows = listed["accounts"] if isinstance(listed, dict) else listed
    check(sorted(a["id"] for a in rows) == sorted([a1["id"], a2["id"]]),
          "account list --owner by full name finds both", rows)
    x = os.path.join(h.dir, "x.xlsx")
    h.run("export-workbook", x)
    owners = {r["Account ID"]: r["Account Owner"] for r in sheet_rows(x, "Accounts")}
    check(owners == {a1["id"]: "Tunde Salako", a2["id"]: "Tunde Salako", a3["id"]: "Old Typist"},
          "the export writes the user's full name and the typed name", owners)
    # A workbook naming someone unknown: kept as written, listed in the summary, no error.
    y = os.path.join(h.dir, "y.xlsx")
    set_cell(x, y, "Accounts", a3["id"], "Company Name", "Charlie Foods Abuja")  # unchanged copy
    d = h.json("import-workbook", y, "--dry-run")
    check(d["ok"] and d["unknown_people"] == ["Old Typist"],
          "an unknown person is listed in the import summary, never an error", d["unknown_people"])


@sqlite_only("plants an SQLite hub of before migration 0019; no PostgreSQL hub predates it")
def test_existing_hubs_are_migrated():
    h = demo_hub(100)
    con = sqlite3.connect(h.db)
    # A hub of before migration 0019: people held as full names in any case, or as logins.
    con.execute("DELETE FROM schema_migrations WHERE version = 19")
    con.execute("UPDATE accounts SET owner = 'Tunde Salako' WHERE owner = 'tunde.s' AND rowid % 2 = 0")
    con.execute("UPDATE accounts SET owner = ' tunde salako ' WHERE owner = 'tunde.s' AND rowid % 3 = 0")
    con.execute("UPDATE interactions SET logged_by = 'Tunde Salako' WHERE logged_by = 'tunde.s'")
    con.execute("UPDATE opportunities SET owner = 'TUNDE SALAKO' WHERE owner = 'tunde.s'")
    con.execute("UPDATE stage_history SET by = 'Tunde Salako' WHERE by = 'tunde.s'")
    con.execute("UPDATE cases SET owner = 'Kemi Oyelaran' WHERE owner = 'kemi.o'")
    con.execute("UPDATE accounts SET owner = 'Not A User' WHERE rowid = (SELECT min(rowid) FROM accounts)")
    con.commit()
    names = con.execute("SELECT count(*) FROM accounts WHERE owner LIKE '%salako%'").fetchone()[0]
    con.close()
    check(names > 0, "the old hub holds full names", names)
    p = h.run("account", "list", "--owner", "tunde.s")
    check(p.returncode == 0, "the next command migrates the hub", p.stderr)
    con = sqlite3.connect(h.db)
    left = [con.execute(q).fetchone()[0] for q in (
        "SELECT count(*) FROM accounts WHERE owner LIKE '%salako%'",
        "SELECT count(*) FROM interactions WHERE logged_by LIKE '%salako%'",
        "SELECT count(*) FROM opportunities WHERE owner LIKE '%salako%'",
        "SELECT count(*) FROM stage_history WHERE by LIKE '%salako%'",
        "SELECT count(*) FROM cases WHERE owner = 'Kemi Oyelaran'")]
    kept = con.execute("SELECT count(*) FROM accounts WHERE owner = 'Not A User'").fetchone()[0]
    con.close()
    check(left == [0, 0, 0, 0, 0], "every people column now links to the user", left)
    check(kept == 1, "a name that is no user is kept as written")
    x = os.path.join(h.dir, "x.xlsx")
    h.run("export-workbook", x)
    d = h.json("import-workbook", x, "--dry-run")
    check(sum(s["updated"] + s["created"] for s in d["sheets"]) == 0,
          "the migrated hub's export imports as no change")


def test_import_applies_the_owner_rule():
    h = Hub()
    h.run("init")
    for login, role, name in [("tunde.s", "sales", "Tunde Salako"), ("adaeze.m", "sales", "Adaeze Mba"),
                              ("ibrahim.g", "manager", "Ibrahim Gana")]:
        h.run("user", "add", login, "--role", role, "--division", "Motors" if role == "sales" else "",
              "--name", name)
    a = h.json("account", "add", "--name", "Alpha Motors Lagos", "--owner", "tunde.s")
    h.json("account", "add", "--name", "Bravo Clinics Kano", "--owner", "tunde.s")
    x = os.path.join(h.dir, "x.xlsx")
    h.run("export-workbook", x)
    y = os.path.join(h.dir, "y.xlsx")
    row = set_cell(x, y, "Accounts", a["id"], "Account Owner", "Adaeze Mba")
    audit = h.count("audit")
    p = h.run("import-workbook", y, user="tunde.s")
    check(p.returncode == 2, "a salesperson's import that changes an Account Owner exits 2", p.returncode)
    check(f"Sheet 'Accounts', row {row}, column 'Account Owner'" in p.stderr,
          "the error names the sheet, row and column", p.stderr)
    owner = h.sql("SELECT owner FROM accounts WHERE id = ?", (a["id"],))[0][0]
    check(owner == "tunde.s" and h.count("audit") == audit, "the refused import wrote nothing")
    # The unchanged workbook is no change, whoever imports it.
    check(h.run("import-workbook", x, user="tunde.s").returncode == 0, "a salesperson imports an unchanged owner")
    p = h.run("import-workbook", y, user="ibrahim.g")
    check(p.returncode == 0, "a manager's import changes the owner", p.stderr)
    hist = h.json("ownership", "history", a["id"])
    changes = hist["changes"]
    check(len(changes) == 1 and changes[0]["owner"] == "Adaeze Mba" and changes[0]["by"] == "ibrahim.g",
          "the accepted change is in the ownership history", hist)


def test_steward_merges_only_within_their_division():
    h = Hub()
    h.run("init")
    h.run("user", "add", "chidi.e", "--role", "steward", "--division", "Motors", "--name", "Chidi Eze")
    h.run("user", "add", "ada.w", "--role", "steward", "--name", "Ada Wide")
    m1 = h.json("account", "add", "--name", "Okafor Motors", "--division", "Motors")["id"]
    m2 = h.json("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors", "--force",
                "--reason", "test")["id"]
    d1 = h.json("account", "add", "--name", "Okafor Medical", "--division", "Medical")["id"]
    d2 = h.json("account", "add", "--name", "Okafor Medical Ltd", "--division", "Medical", "--force",
                "--reason", "test")["id"]
    audit = h.count("audit")
    p = h.run("merge", "accounts", d1, d2, "--reason", "same", user="chidi.e")
    merged = h.sql("SELECT count(*) FROM accounts WHERE merged_into IS NOT NULL")[0][0]
    check(p.returncode == 2 and merged == 0 and h.count("audit") == audit,
          "a Motors steward's merge of Medical accounts exits 2 and writes nothing", (p.returncode, p.stderr))
    check("Motors" in p.stderr, "the refusal names the steward's division", p.stderr)
    p = h.run("merge", "accounts", m1, m2, "--reason", "same", user="chidi.e")
    check(p.returncode == 0, "a steward merges within their division", p.stderr)
    p = h.run("merge", "accounts", d1, d2, "--reason", "same", user="ada.w")
    check(p.returncode == 0, "a steward without a division merges anywhere", p.stderr)


def test_erp_role_only_syncs():
    h = Hub()
    h.run("init")
    h.run("user", "add", "erp-export", "--role", "erp")
    a = h.json("account", "add", "--name", "Alpha Motors Lagos", "--division", "Motors")["id"]
    c = h.json("contact", "add", "--name", "Ngozi Okafor", "--account", a)["id"]
    h.json("account", "add", "--name", "Bravo Clinics Kano")
    x = os.path.join(h.dir, "x.xlsx")
    h.run("export-workbook", x)
    audit = h.count("audit")
    for cmd in (["account", "add", "--name", "Zulu Traders"],
                ["contact", "add", "--name", "Kemi Ade", "--account", a],
                ["interaction", "add", "--contact", c, "--channel", "phone", "--notes", "hello"],
                ["import-workbook", x],
                ["merge", "accounts", a, "A-000002", "--reason", "same"],
                ["demo", "--accounts", "5"]):
        p = h.run(*cmd, user="erp-export")
        check(p.returncode == 2 and "erp" in p.stderr, f"the erp role may not {' '.join(cmd[:2])}",
              (p.returncode, p.stderr))
    check(h.count("audit") == audit and h.count("accounts") == 2, "the refused commands wrote nothing")
    csv = os.path.join(h.dir, "customers.csv")
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last Modified\n"
                "E-1,Yankee Foods,Food,GRAS,,,,Lagos,active,2026-01-02\n")
    p = h.run("erp-sync", "customers", csv, user="erp-export")
    check(p.returncode == 0, "the erp role runs an ERP sync", p.stderr)


run([test_unedited_demo_export_imports_as_no_change, test_owner_filters_take_the_name_or_the_login,
     test_people_typed_either_way_are_one_person, test_existing_hubs_are_migrated,
     test_import_applies_the_owner_rule, test_steward_merges_only_within_their_division,
     test_erp_role_only_syncs])
