"""The one-page customer strategy, the seven steps and the go-live kit (docs/strategy.md) through
the real binary: versions and who may save them, file errors naming the line and key, key results
reading live KPI values, the A4 page printed by headless Chromium and counted with pdfinfo, the
.xlsx read with openpyxl and printed by LibreOffice, the seven steps' evidence checked against the
database, the role guides, the discovery questionnaire, the plan and feedback on the hub.
Run: cli_strategy_test.py PATH/TO/cxhub"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import PG, Hub, SqlError, check, run  # noqa: E402

TODAY = datetime.date.today()  # the hub's clock is the real one; Lagos is UTC+1 (no DST)


def lagos_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).date()


def people_hub():
    h = Hub()
    assert h.run("init").returncode == 0
    for login, role, name in [("mgr", "manager", "Funmi Manager"), ("adm", "admin", "Ade Admin"),
                              ("sal", "sales", "Sade Sales"), ("stw", "steward", "Steve Steward"),
                              ("erpjob", "erp", "ERP job")]:
        p = h.run("user", "add", login, "--role", role, "--name", name,
                  *(["--division", "Motors"] if role in ("sales", "steward") else []))
        assert p.returncode == 0, p.stderr
    return h


def write(h, name, text):
    path = os.path.join(h.dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


GOOD = """
mission = "Power and mobility people rely on"
vision = "First choice in every division"
ambition = "Fast, friendly, no surprises"
communication = "Town hall every month"
notes = "Reviewed quarterly"

[key_objectives.growth]
year1 = "+12 %"
year3 = "+40 %"
year5 = "x2"

[[objectives]]
title = "Respond faster"
year1 = "12 h everywhere"

[[key_results]]
title = "Fewer complaints"
kpi = "complaint_rate"
division = "All"
target = 0.5
direction = "at_most"
due = "2030-12-31"

[[key_results]]
title = "Complaints below one and a half per account"
kpi = "complaint_rate"
division = "All"
target = 1.5
direction = "at_most"
due = "2030-12-31"

[[key_results]]
title = "Quotes for inquiries"
kpi = "inquiry_to_quote"
division = "Motors"
due = "2030-06-30"
"""


def pdf_pages(pdf):
    p = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    pages = int(re.search(r"^Pages:\s+(\d+)", p.stdout, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", p.stdout, re.M)
    return pages, (float(size.group(1)), float(size.group(2)))


def pdf_text(pdf):
    p = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def chromium_pdf(html_path):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed: the print check cannot run"
    pdf = html_path[:-5] + ".pdf"
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--no-pdf-header-footer", "--disable-background-networking",
                        "--print-to-pdf=" + pdf, "file://" + html_path],
                       capture_output=True, text=True, timeout=180)
    assert os.path.exists(pdf), ("chromium wrote no PDF", p.returncode, p.stderr[-2000:])
    return pdf


def libreoffice_pdf(h, xlsx):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: the print check cannot run"
    outdir = os.path.join(h.dir, "lo")
    os.makedirs(outdir, exist_ok=True)
    subprocess.run([soffice, "--headless", "-env:UserInstallation=file://" + os.path.join(h.dir, "lo-profile"),
                    "--convert-to", "pdf", "--outdir", outdir, xlsx], capture_output=True, text=True, timeout=300)
    pdf = os.path.join(outdir, os.path.basename(xlsx)[:-5] + ".pdf")
    assert os.path.exists(pdf), "LibreOffice printed nothing"
    return pdf


def test_strategy_versions_and_who_may_save():
    h = people_hub()
    path = write(h, "strategy.toml", GOOD)
    p = h.run("strategy", "show")
    check(p.returncode == 2 and "no customer strategy" in p.stderr, "show before any save says so", p.stderr)
    p = h.run("strategy", "set", "--file", path, user="sal")
    check(p.returncode == 2 and "may not change the customer strategy" in p.stderr, "sales may not save", p.stderr)
    p = h.run("strategy", "set", "--file", path)
    check(p.returncode == 2 and "--as" in p.stderr, "the anonymous console may not save", p.stderr)
    p = h.run("strategy", "set", "--file", path, user="stw")
    check(p.returncode == 2, "a steward may not save", p.stderr)
    check(h.count("strategy_versions") == 0, "refusals write nothing")
    p = h.run("strategy", "set", "--file", path, "--json", user="mgr")
    check(p.returncode == 0 and json.loads(p.stdout)["version"] == 1, "a manager saves version 1", p.stderr)
    s = h.json("strategy", "show")
    check(s["version"] == 1 and s["saved_by"] == "Funmi Manager", "show names the version and who saved it", s)
    check(s["mission"] == "Power and mobility people rely on", "the mission is kept")
    check([o["title"] for o in s["objectives"]] == ["Strategic alignment", "Respond faster"],
          "strategic alignment is the first objective", s["objectives"])
    check(s["key_objectives"]["growth"] == {"year1": "+12 %", "year3": "+40 %", "year5": "x2"},
          "key objectives keep their 1/3/5-year cells", s["key_objectives"])
    check(s["objectives"][1]["year1"] == "12 h everywhere", "objective intentions are kept")
    check(len(s["key_results"]) == 3 and s["key_results"][2]["target"] == 0.6
          and s["key_results"][2]["direction"] == "above",
          "a key result without a target takes its KPI's own (inquiry_to_quote > 60 %)", s["key_results"][2:])
    p = h.run("strategy", "set", "--file", write(h, "v2.toml", GOOD.replace("people rely on", "v2")), user="adm")
    check(p.returncode == 0, "an admin saves version 2", p.stderr)
    hist = h.json("strategy", "history")["versions"]
    check([v["version"] for v in hist] == [2, 1] and hist[0]["saved_by"] == "Ade Admin"
          and hist[1]["saved_by"] == "Funmi Manager", "history lists every version, newest first, with who", hist)
    check(h.json("strategy", "show")["mission"] == "Power and mobility v2", "show gives the latest version")
    old = h.json("strategy", "show", "--version", "1")
    check(old["version"] == 1 and old["mission"] == "Power and mobility people rely on", "show --version 1 gives the old one")
    p = h.run("strategy", "show", "--version", "7")
    check(p.returncode == 2 and "version 7" in p.stderr, "an unknown version is refused", p.stderr)
    audits = h.sql("SELECT actor FROM audit WHERE entity = 'strategy' ORDER BY seq")
    check([a[0] for a in audits] == ["mgr", "adm"], "each save is audited with its author", audits)
    try:
        h.sql("UPDATE strategy_versions SET body = '{}'")
        changed = True
    except SqlError:
        changed = False
    check(not changed, "a saved version cannot be changed afterwards")


def test_bad_strategy_files_name_line_and_key():
    h = people_hub()

    def refused(text, *needles, what):
        path = write(h, "bad.toml", text)
        p = h.run("strategy", "set", "--file", path, user="mgr")
        ok = p.returncode == 2 and all(n in p.stderr for n in needles)
        check(ok, what, p.stderr)

    refused('mission = "unterminated\n', "bad.toml:1:", what="a TOML syntax error names file and line")
    refused('mission = "m"\nvison = "typo"\n', "bad.toml:2:", "vison", "unknown key",
            what="an unknown key is named with its line")
    bad_kpi = GOOD.replace('kpi = "inquiry_to_quote"', 'kpi = "inquiry_to_qoute"')
    line = bad_kpi.splitlines().index('kpi = "inquiry_to_qoute"') + 1
    refused(bad_kpi, f"bad.toml:{line}:", "key_results[3].kpi", "'inquiry_to_qoute' is not a KPI",
            what="an unknown KPI key is named with its line")
    refused(GOOD.replace('division = "Motors"', 'division = "Motorz"'), "key_results[3].division",
            "'Motorz' is not a division", what="an unknown division is named")
    refused(GOOD.replace('division = "Motors"', 'division = "Medical"'), "inquiry_to_quote is not computed for Medical",
            what="a KPI of another division is refused")
    refused(GOOD.replace('kpi = "inquiry_to_quote"\ndivision = "Motors"', 'kpi = "nps"\ndivision = "Motors"'),
            "key_results[3].target", "nps has no target of its own",
            what="a key result on a KPI without a target needs one")
    refused(GOOD.replace('due = "2030-06-30"', 'due = "30/02/2030"'), "key_results[3].due",
            what="a bad due date is named")
    refused(GOOD + '\n[[objectives]]\ntitle = "x"\n' + "".join(f'[[objectives]]\ntitle = "o{i}"\n' for i in range(4)),
            "the one-page strategy holds 5", what="more objectives than the page holds are refused")
    refused('mission = "' + "x" * 301 + '"\n', "mission", "at most 300", what="a mission too long for the page is refused")
    check(h.count("strategy_versions") == 0 and h.count("audit WHERE entity = 'strategy'") == 0,
          "nothing was written by a refused file")
    p = h.run("strategy", "set", "--file", os.path.join(h.dir, "missing.toml"), user="mgr")
    check(p.returncode == 2 and "missing.toml" in p.stderr, "a missing file is named", p.stderr)


def test_key_results_read_live_kpis():
    """complaint_rate of All this quarter = complaint cases opened ÷ accounts with an interaction or
    order: one account with one interaction and one complaint today → 1 / 1 = 1.0. A key result
    "at most 0.5" is then not met, "at most 1.5" is met, inquiry_to_quote has no data (null)."""
    h = people_hub()
    a = h.json("account", "add", "--name", "Kano Cold Rooms Ltd", "--division", "Motors")["id"]
    c = h.json("contact", "add", "--name", "Bello Musa", "--account", a)["id"]
    assert h.run("interaction", "add", "--contact", c, "--channel", "phone", "--notes", "complains").returncode == 0
    p = h.run("case", "open", "--account", a, "--division", "Motors", "--kind", "complaint", "--summary", "late")
    assert p.returncode == 0, p.stderr
    assert h.run("strategy", "set", "--file", write(h, "s.toml", GOOD), user="mgr").returncode == 0
    s = h.json("strategy", "show")
    krs = s["key_results"]
    check(krs[0]["value"] == 1.0 and krs[0]["met"] is False, "complaint rate 1.0 does not meet at most 0.5", krs[0])
    check(krs[1]["value"] == 1.0 and krs[1]["met"] is True, "complaint rate 1.0 meets at most 1.5", krs[1])
    check(krs[2]["value"] is None and krs[2]["met"] is None and krs[2]["note"],
          "a KPI without data has no value and no verdict, with a reason", krs[2])
    q = lagos_today()
    first = datetime.date(q.year, 3 * ((q.month - 1) // 3) + 1, 1)
    check(s["period"]["from"] == first.isoformat(), "live values are for the current quarter", s["period"])
    kpi = h.json("kpi", "--division", "All")
    cr = [k for k in kpi["kpis"] if k["key"] == "complaint_rate" and k["division"] == "All"][0]
    check(cr["value"] == krs[0]["value"] and kpi["from"] == s["period"]["from"] and kpi["to"] == s["period"]["to"],
          "the strategy reads the same value and period as `kpi`", (cr["value"], kpi["from"], kpi["to"]))
    text = h.run("strategy", "show").stdout
    check("✗" in text and "✓" in text and "Fewer complaints" in text, "the text view marks met and not met", text)


FULL_ALIGN = "Strategic alignment"


def full_strategy():
    """Every field at its limit: the page must still be one A4 sheet."""
    long = ("Customers first in every division, every promise kept, every conversation remembered, "
            "answers within hours not days, service without surprises, and prices people trust. ") * 2
    long = long[:300]
    cell = ("Wide word wrap test cell with realistic words about growth, markets and customers for "
            "every division we run")[:120]
    out = [f'mission = "= not a formula. {long[:280]}"', f'vision = "{long}"', f'ambition = "{long}"',
           f'communication = "{long}"', f'notes = "{long}"']
    for k in ("growth", "new_markets", "new_customers"):
        out += [f"[key_objectives.{k}]", f'year1 = "{cell}"', f'year3 = "{cell}"', f'year5 = "{cell}"']
    for i in range(5):
        title = FULL_ALIGN if i == 0 else f"Objective {i + 1} " + cell[:68]
        out += ["[[objectives]]", f'title = "{title}"', f'year1 = "{cell}"', f'year3 = "{cell}"', f'year5 = "{cell}"']
    for i in range(6):
        out += ["[[key_results]]", f'title = "KR{i + 1} {cell[:76]}"', 'kpi = "complaint_rate"',
                'division = "All"', "target = 0.05", 'direction = "at_most"', 'due = "2031-12-31"']
    return "\n".join(out) + "\n"


def test_export_prints_on_one_a4_page():
    h = people_hub()
    assert h.run("strategy", "set", "--file", write(h, "full.toml", full_strategy()), user="mgr").returncode == 0
    html = os.path.join(h.dir, "strategy.html")
    p = h.run("strategy", "export", "--format", "html", "--out", html)
    check(p.returncode == 0 and os.path.exists(html), "strategy export html", p.stderr)
    pdf = chromium_pdf(html)
    pages, size = pdf_pages(pdf)
    check(pages == 1, "the fullest strategy prints on one page", pages)
    check(abs(size[0] - 595.3) < 2 and abs(size[1] - 841.9) < 2, "the page is A4", size)
    text = " ".join(pdf_text(pdf).split())
    for needle in ("One Page Customer Strategy", "Input from Business Strategy", "Mission", "Vision",
                   "Key Objectives", "Customer Ambition", "Objectives", "Key Results", "Communication Plan",
                   "Notes", "1. Strategic alignment", "KR6", "= not a formula"):
        check(needle in text, f"the printed page shows {needle!r}")
    xlsx = os.path.join(h.dir, "strategy.xlsx")
    p = h.run("strategy", "export", "--format", "xlsx", "--out", xlsx)
    check(p.returncode == 0, "strategy export xlsx", p.stderr)
    import openpyxl
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Strategy"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    check(not [c for c in cells if c.data_type == "f"], "no cell of the sheet is a formula")
    values = [str(c.value) for c in cells]
    check(any(v.startswith("= not a formula") for v in values), "text that looks like a formula stays text")
    labels = [str(ws.cell(row=r, column=1).value) for r in range(1, ws.max_row + 1)]
    for label in ("Mission", "Vision", "Key Objectives", "Expected growth", "New markets", "New customers",
                  "1. Strategic alignment", "Key Results", "Communication Plan", "Notes"):
        check(label in labels, f"the sheet's first column has {label!r} as in the template", labels)
    years = [ws.cell(row=labels.index("Key Objectives") + 1, column=c).value for c in (2, 3, 4)]
    check(years == ["1 year", "3 years", "5 years"], "key objectives run across 1, 3 and 5 years", years)
    setup = (ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToWidth,
             ws.page_setup.fitToHeight)
    check(setup[0] in (9, "9") and setup[1] and setup[2] in (None, 1, "1") and setup[3] in (None, 1, "1"),
          "the sheet is set to print on one A4 page (1 wide, 1 tall)", setup)
    lo = libreoffice_pdf(h, xlsx)
    pages, _ = pdf_pages(lo)
    check(pages == 1, "LibreOffice prints the sheet on one page", pages)
    check("One Page Customer Strategy" in pdf_text(lo), "LibreOffice renders the sheet's content")
    p = h.run("strategy", "export", "--format", "pdf", "--out", os.path.join(h.dir, "x.pdf"))
    check(p.returncode == 2 and not os.path.exists(os.path.join(h.dir, "x.pdf")), "an unknown format is refused")
    if not PG:  # a server's hub is no file to write over
        p = h.run("strategy", "export", "--out", h.db)
        check(p.returncode == 2, "the export never writes over the hub", p.stderr)


_demo = None


def demo_hub():
    global _demo
    if _demo:
        return _demo
    h = Hub()
    assert h.run("init").returncode == 0
    p = h.run("demo", "--accounts", "200", "--seed", "3", "--quiet")
    assert p.returncode == 0, p.stderr
    _demo = h
    return h


def feedback_since(h, since_utc, until_utc):
    rows = h.sql("SELECT kind, COUNT(*) FROM feedback WHERE date >= ? AND date < ? AND kind <> 'hub' "
                 "GROUP BY kind", (since_utc, until_utc))
    return dict(rows)


def test_demo_carries_a_filled_strategy():
    h = demo_hub()
    s = h.json("strategy", "show")
    check(s["version"] == 1 and s["saved_by"] == "Funke Alade", "the demo strategy is saved by its manager", s["saved_by"])
    check(s["mission"] and s["vision"] and s["ambition"] and s["communication"], "the demo fills every part")
    check(len(s["objectives"]) >= 3 and s["objectives"][0]["title"] == "Strategic alignment", "demo objectives")
    check(len(s["key_results"]) == 6 and all("value" in k and "met" in k for k in s["key_results"]),
          "six key results with live values", s["key_results"])
    check(any(k["value"] is not None for k in s["key_results"]), "the demo's key results read real data")


def test_seven_steps_with_evidence():
    h = demo_hub()
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    board = h.json("cem", "show")
    steps = board["steps"]
    check([s["step"] for s in steps] == list(range(1, 8)) and board["year"] == lagos_today().year,
          "seven steps for this year", [s["step"] for s in steps])
    # Step 1: the touchpoint inventory per division and stage, as `touchpoint list` holds it.
    listed = h.json("touchpoint", "list")
    listed = listed["touchpoints"] if isinstance(listed, dict) else listed
    per = {}
    for t in listed:
        per[(t["division"], t["stage"] or "")] = per.get((t["division"], t["stage"] or ""), 0) + 1
    got1 = steps[0]["evidence"]["data"]
    check(got1 is not None and got1["touchpoints"] == len(listed) and len(listed) > 0
          and {(r["division"], r["stage"]): r["touchpoints"] for r in got1["by_division_stage"]} == per,
          "step 1 counts the touchpoints per division and stage", (got1, per))
    # Step 4: the ranking's verdicts, as `touchpoints --json` gives them for the same period.
    got4 = steps[3]["evidence"]["data"]
    ranked = h.json("touchpoints", "--from", got4["from"], "--to", got4["to"])["touchpoints"]
    check(got4["ranked"] == len(ranked)
          and got4["invest"] == [t["id"] for t in ranked if t["verdict"] == "invest"]
          and got4["cut_or_fix"] == [t["id"] for t in ranked if t["verdict"] == "cut-or-fix"]
          and got4["budgeted"] == sum(1 for t in listed if t.get("yearly_budget", t.get("budget", 0)) > 0),
          "step 4 shows the ranking's verdicts", (got4, ranked[:3]))
    check(steps[2]["evidence"]["data"] is None, "step 3 has no computed evidence", steps[2]["evidence"])
    expected = feedback_since(h, now - 90 * 86400, now + 60)
    got = steps[1]["evidence"]["data"]
    check(got["by_kind"] == expected and got["total"] == sum(expected.values()),
          "step 2 counts the last 90 days' feedback by kind as the database holds it", (got["by_kind"], expected))
    check(any(c["stages_with_data"] > 0 for c in got["emotion_curves"]), "step 2 lists emotion curves with data")
    check(steps[4]["evidence"]["data"]["version"] == 1, "step 5 shows the strategy version", steps[4]["evidence"])
    check(steps[0]["status"] == "done" and steps[0]["owner"] == "Funke Alade", "the demo set step 1", steps[0])
    check(len(steps[6]["evidence"]["data"]["key_results"]) == 6, "step 7 lists the key results with live values")
    check(steps[5]["evidence"]["data"]["since"] is None, "step 6 has no implementation date yet")
    p = h.run("cem", "set", "6", "--status", "in-progress", user="chidi.e")
    check(p.returncode == 2 and "manager" in p.stderr, "a steward may not set a step", p.stderr)
    since = lagos_today() - datetime.timedelta(days=40)
    p = h.run("cem", "set", "6", "--status", "in-progress", "--owner", "ibrahim.g", "--note", "new survey links",
              "--started", since.isoformat(), user="funke.a")
    check(p.returncode == 0, "a manager sets step 6 with its implementation date", p.stderr)
    s6 = h.json("cem", "show")["steps"][5]
    since_utc = int(datetime.datetime(since.year, since.month, since.day, tzinfo=datetime.timezone.utc).timestamp()) - 3600
    expected = feedback_since(h, since_utc, now + 60)
    check(s6["status"] == "in-progress" and s6["owner"] == "Ibrahim Gana" and s6["note"] == "new survey links"
          and s6["started"] == since.isoformat(), "step 6 keeps status, owner (full name), note and date", s6)
    check(s6["evidence"]["data"]["by_kind"] == expected, "step 6 counts feedback since the implementation date",
          (s6["evidence"]["data"], expected))
    p = h.run("cem", "set", "3", "--status", "in-progress", user="ibrahim.g")
    s3 = h.json("cem", "show")["steps"][2]
    check(p.returncode == 0 and s3["started"] == lagos_today().isoformat(), "leaving not-started records the day", s3)
    for args, what in [(("8", "--status", "done"), "step 8"), (("2", "--status", "finished"), "an unknown status"),
                       (("2",), "nothing to change")]:
        p = h.run("cem", "set", *args, user="funke.a")
        check(p.returncode == 2, f"cem set refuses {what}", p.stderr)
    last = h.json("cem", "show", "--year", str(lagos_today().year - 1))["steps"]
    check(all(s["status"] == "not-started" for s in last), "each year has its own checklist")
    text = h.run("cem", "show").stdout
    check("evidence: " + str(len(listed)) + " touchpoints compiled" in text and "[in-progress]" in text,
          "cem show prints the board", text[:400])


def test_role_guides_from_the_configuration():
    h = people_hub()
    for role in ("sales", "service", "steward", "manager"):
        out = os.path.join(h.dir, f"guide-{role}.html")
        p = h.run("golive", "guide", "--role", role, "--out", out)
        check(p.returncode == 0, f"golive guide --role {role}", p.stderr)
        pdf = chromium_pdf(out)
        pages, size = pdf_pages(pdf)
        check(pages == 1 and abs(size[1] - 841.9) < 2, f"the {role} guide prints on one A4 page", (pages, size))
        text = " ".join(pdf_text(pdf).split())
        for needle in ("Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65", "Test Drive", "Negotiation",
                       "12 hours", "4 business hours", "48 hours", "Ctrl+Enter", "Esc", "Search first"):
            check(needle in text, f"the {role} guide shows {needle!r}")
        check(("merge duplicates" in text) == (role == "steward" or role == "manager"),
              f"the {role} guide lists merging only where the role may")
    p = h.run("golive", "guide", "--role", "cashier", "--out", os.path.join(h.dir, "x.html"))
    check(p.returncode == 2 and not os.path.exists(os.path.join(h.dir, "x.html")), "an unknown role is refused", p.stderr)
    conf = os.path.join(h.dir, "conf")
    os.makedirs(conf)
    journeys = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "journeys.toml")).read()
    with open(os.path.join(conf, "journeys.toml"), "w") as f:
        f.write(journeys.replace("hours = 12", "hours = 10"))
    os.environ["CXHUB_CONFIG_DIR"] = conf
    try:
        out = os.path.join(h.dir, "guide-custom.html")
        p = h.run("golive", "guide", "--role", "sales", "--out", out)
    finally:
        del os.environ["CXHUB_CONFIG_DIR"]
    body = open(out, encoding="utf-8").read() if p.returncode == 0 else ""
    check("within 10 hours" in body and "within 12 hours" not in body, "the guide follows the admin's journeys",
          (p.returncode, p.stderr))


def test_discovery_questionnaire():
    h = people_hub()
    d = h.json("discovery", "list")
    qs = d["questions"]
    check(len(qs) == 16 and d["open"] == 16 and all(q["status"] == "open" for q in qs),
          "the seed's 16 open questions ship with the hub", len(qs))
    check(qs[0]["id"] == "D-01" and "officially in-scope for Phase 1" in qs[0]["question"]
          and qs[0]["section"] == "Overall Strategy & Governance", "questions keep the seed's words and sections", qs[0])
    check({q["section"] for q in qs} >= {"Data & ERP Team", "Sales & Marketing Teams", "Motors", "Medical"},
          "every section of the seed is there")
    p = h.run("discovery", "answer", "D-02", "--answer", "A clean pipeline", user="sal")
    check(p.returncode == 2, "sales may not answer for the programme", p.stderr)
    p = h.run("discovery", "answer", "D-02", "--answer", "A clean pipeline", "--owner", "mgr", user="stw")
    check(p.returncode == 0, "a steward records an answer", p.stderr)
    q = [x for x in h.json("discovery", "list")["questions"] if x["id"] == "D-02"][0]
    check(q["status"] == "answered" and q["answer"] == "A clean pipeline" and q["owner"] == "Funmi Manager"
          and q["answered_by"] == "Steve Steward" and q["answered_at"].startswith(lagos_today().isoformat()),
          "the answer keeps owner, who and when", q)
    check(len(h.json("discovery", "list", "--open")["questions"]) == 15, "--open lists the 15 left")
    assert h.run("discovery", "answer", "D-02", "--answer", "", user="mgr").returncode == 0
    q = [x for x in h.json("discovery", "list")["questions"] if x["id"] == "D-02"][0]
    check(q["status"] == "open" and q["owner"] == "Funmi Manager", "an empty answer reopens, the owner stays", q)
    p = h.run("discovery", "answer", "D-99", "--answer", "x", user="mgr")
    check(p.returncode == 2 and "D-99" in p.stderr, "an unknown question is named", p.stderr)
    p = h.run("discovery", "add", "--section", "GRAS", "--question", "Which review platforms matter?", user="mgr")
    check(p.returncode == 0 and "D-101" in p.stdout, "a question can be added", p.stdout + p.stderr)
    check(h.json("discovery", "list")["questions"][-1]["question"] == "Which review platforms matter?",
          "the added question is listed")


def test_golive_plan():
    h = people_hub()
    tasks = h.json("golive", "plan")["tasks"]
    check([t["number"] for t in tasks] == list(range(1, 12)), "the plan's eleven tasks", [t["number"] for t in tasks])
    check(tasks[0]["phase"] == "Phase 0: Discovery" and tasks[10]["phase"] == "Phase 3: Refine"
          and tasks[4]["deliverables"] == "1-page user guide created; Training session completed",
          "phases and deliverables as in the seed", tasks[4])
    check(all(t["status"] == "not-started" for t in tasks), "every task starts not-started")
    p = h.run("golive", "plan", "set", "5", "--status", "done", "--note", "guides printed", user="stw")
    check(p.returncode == 0, "a steward marks task 5 done", p.stderr)
    t5 = h.json("golive", "plan")["tasks"][4]
    check(t5["status"] == "done" and t5["note"] == "guides printed" and t5["updated_by"] == "Steve Steward",
          "the task keeps its status, note and who", t5)
    for args, user, what in [(("5", "--status", "done"), "sal", "sales"), (("12", "--status", "done"), "mgr", "task 12"),
                             (("5", "--status", "finished"), "mgr", "an unknown status")]:
        p = h.run("golive", "plan", "set", *args, user=user)
        check(p.returncode == 2, f"golive plan set refuses {what}", p.stderr)


def test_feedback_on_the_hub():
    h = demo_hub()
    before = h.json("cem", "show")["steps"][1]["evidence"]["data"]["total"]
    p = h.run("hub-feedback", "add", "--score", "4", "--comment", "Quick-log is fast", "--json", user="adaeze.m")
    check(p.returncode == 0 and json.loads(p.stdout)["id"].startswith("F-"), "a salesperson gives feedback on the hub", p.stderr)
    items = h.json("hub-feedback", "list")["feedback"]
    check(items and items[0]["given_by"] == "Adaeze Mba" and items[0]["division"] == "Motors"
          and items[0]["score"] == 4 and items[0]["comment"] == "Quick-log is fast", "hub feedback lists who and what", items[:1])
    row = h.sql("SELECT kind, given_by FROM feedback WHERE id = ?", (items[0]["id"],))[0]
    check(row == ("hub", "adaeze.m"), "it is feedback of kind hub with its author", row)
    for args, user, what in [(("--score", "6", "--comment", "x"), "adaeze.m", "a score above 5"),
                             (("--score", "3", "--comment", "x"), None, "the anonymous console"),
                             (("--score", "3", "--comment", "x"), "erp-export", "the ERP job"),
                             (("--score", "3", "--comment", " "), "adaeze.m", "an empty comment")]:
        p = h.run("hub-feedback", "add", *args, user=user)
        check(p.returncode == 2, f"hub feedback refuses {what}", p.stderr)
    after = h.json("cem", "show")["steps"][1]["evidence"]["data"]["total"]
    check(after == before, "hub feedback is not customer feedback in the evidence", (before, after))


def test_help_on_every_new_command():
    h = Hub()
    for cmd in (["strategy"], ["strategy", "show"], ["strategy", "set"], ["strategy", "export"], ["strategy", "history"],
                ["cem"], ["cem", "show"], ["cem", "set"], ["golive", "guide"], ["golive", "plan"],
                ["golive", "plan", "set"], ["discovery", "list"], ["discovery", "answer"], ["discovery", "add"],
                ["hub-feedback", "add"], ["hub-feedback", "list"]):
        p = h.run(*cmd, "--help")
        check(p.returncode == 0 and "Usage" in p.stdout, "--help: " + " ".join(cmd), p.stderr)
    p = h.run("strategy", "show")
    check(p.returncode == 2 and "no hub" in p.stderr and not h.created(), "no hub: said, nothing created")


run([test_strategy_versions_and_who_may_save, test_bad_strategy_files_name_line_and_key, test_key_results_read_live_kpis,
     test_export_prints_on_one_a4_page, test_demo_carries_a_filled_strategy, test_seven_steps_with_evidence,
     test_role_guides_from_the_configuration, test_discovery_questionnaire, test_golive_plan, test_feedback_on_the_hub,
     test_help_on_every_new_command])
