#!/usr/bin/env python3
"""The voice of the customer in the weekly pack (docs/kpi.md, docs/feedback.md): NPS and CSAT by
division, the emotion curve of each journey drawn as a chart (inline SVG in the printable HTML, a
native chart beside its cells in the .xlsx), the week's touchpoint ranking with the numbers of
`touchpoints --json`, the strategy's key results, and the staff's feedback on the hub in the
adoption section; GET /api/v1/touchpoints answering the command line's document with its role
checks; the survey page's form read by the API's one decoder; feedback import's rejected-rows file
never replacing a file cxhub did not write.
usage: cli_voice_test.py PATH/TO/cxhub"""
import datetime
import html as htmllib
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import Hub, check, run  # noqa: E402

# The week of the hand-made data: Monday 2 .. Sunday 8 November 2026 (7 days: budget = yearly × 7/365).
WEEK, FROM, TO = "2026-W45", "2026-11-02", "2026-11-08"
PASSWORD = "correct horse 1"
_hub = None

STRATEGY = """
mission = "Customers first"

[[key_results]]
title = "Motors customers recommend us"
kpi = "nps"
division = "Motors"
target = 20
direction = "at_least"
due = "2027-12-31"

[[key_results]]
title = "GRAS guests come back happy"
kpi = "nps"
division = "GRAS"
target = 0
direction = "at_least"
due = "2027-06-30"

[[key_results]]
title = "Medical distributors recommend us"
kpi = "nps"
division = "Medical"
target = 10
direction = "at_least"
due = "2027-12-31"
"""


def ok(h, *args, user=None):
    p = h.run(*args, user=user)
    assert p.returncode == 0, (args, p.stderr)
    return p


def voice_hub():
    """Hand-made feedback, touchpoints, leads and a strategy around 2026-W45 (hub zone Africa/Lagos)."""
    global _hub
    if _hub:
        return _hub
    h = Hub()
    ok(h, "init")
    for login, role, division in [("sam.sales", "sales", "Motors"), ("sia.service", "service", "Motors"),
                                  ("max.manager", "manager", ""), ("erp.job", "erp", "")]:
        args = ["user", "add", login, "--role", role, "--name", login.split(".")[0].title() + " " + role.title(),
                "--password-stdin"]
        if division:
            args += ["--division", division]
        p = h.run(*args, stdin=PASSWORD + "\n")
        assert p.returncode == 0, p.stderr
    motors = h.json("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors")["id"]
    c1 = h.json("contact", "add", "--name", "Ngozi Okafor", "--account", motors)["id"]
    gras = h.json("account", "add", "--name", "Eko Grill House", "--division", "GRAS")["id"]
    c2 = h.json("contact", "add", "--name", "Tunde Bello", "--account", gras)["id"]
    # Budgets a year → for the week (× 7/365): T1 ₦70,000; T2 ₦35,000; T3 none; T4 ₦350,000.
    for name, div, stage, budget in [("Showroom visit", "Motors", "Inquiry", "3,650,000"),
                                     ("WhatsApp sales line", "Motors", "Quote", "1,825,000"),
                                     ("Dining room", "GRAS", "Visited", "0"),
                                     ("Trade fair stand", "Power & Industrial", "Lead", "18,250,000")]:
        h.json("touchpoint", "add", "--name", name, "--division", div, "--stage", stage, "--budget", budget)

    def lead(tp, created, amount, won_at=None):
        o = h.json("opportunity", "add", "--account", motors, "--division", "Motors", "--amount", amount,
                   "--date", created, "--source-touchpoint", tp, "--owner", "sam.sales", "--title", "Lead " + created)
        if won_at:
            for stage in ("Qualified", "Test Drive", "Quote"):
                ok(h, "opportunity", "move", o["id"], "--to", stage, "--date", won_at, "--override", "--reason",
                   "test data", user="max.manager")
            ok(h, "opportunity", "win", o["id"], "--date", won_at, "--override", "--reason", "test data",
               user="max.manager")

    lead("T-000001", "2026-11-03 10:00", "210000", "2026-11-06 10:00")  # T1: won ₦210,000 / ₦70,000 = 3.00
    lead("T-000001", "2026-11-04 10:00", "50000")                       # T1: 2 leads → ₦35,000 a lead
    lead("T-000002", "2026-11-02 09:00", "70000", "2026-11-05 12:00")   # T2: ₦70,000 / ₦35,000 = 2.00
    lead("T-000002", "2026-10-28 10:00", "999000", "2026-11-04 10:00")  # created before the week: not its lead
    fb = [  # kind, score, date (Lagos), extra
        ("nps", "10", "2026-11-03 09:00", ["--contact", c1, "--touchpoint", "T-000001"]),
        ("nps", "9", "2026-11-04 09:00", ["--contact", c1, "--touchpoint", "T-000001"]),
        ("nps", "7", "2026-11-05 09:00", ["--contact", c1, "--touchpoint", "T-000002"]),
        ("nps", "3", "2026-11-08 23:30", ["--contact", c1, "--touchpoint", "T-000002"]),  # Sunday night: in
        ("csat", "5", "2026-11-02 00:15", ["--contact", c1, "--division", "Motors"]),  # Monday just after midnight: in
        ("csat", "4", "2026-11-06 09:00", ["--contact", c1, "--division", "Motors"]),
        ("csat", "2", "2026-11-07 09:00", ["--contact", c1, "--division", "Motors"]),
        ("emotion", "2", "2026-11-03 11:00", ["--contact", c1, "--touchpoint", "T-000001"]),  # Inquiry
        ("emotion", "1", "2026-11-04 11:00", ["--contact", c1, "--division", "Motors", "--stage", "Inquiry"]),
        ("emotion", "-2", "2026-11-05 11:00", ["--contact", c1, "--division", "Motors", "--stage", "Quote"]),
        ("nps", "6", "2026-11-06 20:00", ["--contact", c2, "--touchpoint", "T-000003"]),
        ("emotion", "1", "2026-11-06 20:05", ["--contact", c2, "--touchpoint", "T-000003"]),  # GRAS Visited
        # Outside the week:
        ("nps", "10", "2026-11-01 23:30", ["--contact", c1, "--touchpoint", "T-000001"]),  # the quarter's
        ("nps", "0", "2026-11-09 00:30", ["--contact", c1, "--touchpoint", "T-000001"]),   # after: nowhere
        ("emotion", "0", "2026-10-15 10:00", ["--contact", c1, "--division", "Motors", "--stage", "Inquiry"]),     # the quarter's
        ("emotion", "-1", "2026-10-20 10:00", ["--contact", c1, "--division", "Motors", "--stage", "Qualified"]),  # the quarter's
        ("emotion", "2", "2026-09-30 10:00", ["--contact", c1, "--division", "Motors", "--stage", "Quote"]),       # the last quarter's
    ]
    for kind, score, day, extra in fb:
        ok(h, "feedback", "add", "--kind", kind, "--score", score, "--date", day, *extra)
    path = os.path.join(h.dir, "strategy.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(STRATEGY)
    ok(h, "strategy", "set", "--file", path, user="max.manager")
    _hub = h
    return h


def section(page, sid):
    m = re.search(r'<section id="%s">(.*?)</section>' % sid, page, re.S)
    assert m, f"no section {sid}"
    return m.group(1)


def cells(row_html):
    """The text of each cell of a table row."""
    out = []
    for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S):
        out.append(re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", c))).strip())
    return out


def naira(x):
    return "₦{:,}".format(int(math.floor(x + 0.5)))


def points(x):
    return "—" if x is None else "%+.1f" % x


def pack(h, fmt, week=WEEK):
    out = os.path.join(h.dir, f"review-{week}.{fmt}")
    p = h.run("review", "--week", week, "--format", fmt, "--out", out, "--force")
    assert p.returncode == 0, p.stderr
    return out


def test_html_pack_holds_the_voice_of_the_customer():
    h = voice_hub()
    page = open(pack(h, "html"), encoding="utf-8").read()
    v = section(page, "voice")
    check("Voice of the customer" in v, "the pack has a voice-of-the-customer section")

    # NPS and CSAT of the week by division.
    rows = {m.group(1): cells(m.group(2)) for m in re.finditer(r'<tr data-division="([^"]+)">(.*?)</tr>', v, re.S)}
    # Motors: 10, 9 promoters; 7 passive; 3 detractor → (2 − 1) / 4 = +25.0; CSAT 5, 4 of 5, 4, 2 → 66.7 %.
    # (The 10 of Sunday 1 November and the 0 of Monday 9 November are outside the week.)
    check(rows.get("Motors") == ["Motors", "+25.0", "4", "2", "1", "66.7 %", "3"],
          "Motors: NPS +25.0 of 4 answers (2 promoters, 1 detractor), CSAT 66.7 % of 3", rows.get("Motors"))
    # GRAS: one 6 → −100; no CSAT answer: "—", not 0 %.
    check(rows.get("GRAS") == ["GRAS", "-100.0", "1", "0", "1", "—", "0"],
          "GRAS: NPS −100 of 1 answer, CSAT — (no answers)", rows.get("GRAS"))
    for d in ("Medical", "Power & Industrial", "Cube 65"):
        check(rows.get(htmllib.escape(d)) == [d, "no NPS or CSAT feedback this week"],
              f"{d} without feedback says so (no made-up zero)", rows.get(htmllib.escape(d)))
    # All: promoters 2, detractors 2 (3 and 6), 5 answers → 0; CSAT as Motors.
    check(rows.get("All divisions") == ["All divisions", "+0.0", "5", "2", "2", "66.7 %", "3"],
          "all divisions: NPS +0.0 of 5, CSAT 66.7 %", rows.get("All divisions"))
    check(v.count("<svg") >= 3 and "<script" not in page.lower(), "the section draws its charts as inline SVG, "
          "no script", v.count("<svg"))

    # The emotion curves, against `feedback curve --json` for the week and the quarter to date.
    for div in ("Motors", "GRAS"):
        week = h.json("feedback", "curve", "--division", div, "--from", FROM, "--to", TO)["stages"]
        quarter = h.json("feedback", "curve", "--division", div, "--from", "2026-10-01", "--to", TO)["stages"]
        m = re.search(r'<div class="curve" data-division="%s">(.*?)</div>\n' % div, v, re.S)
        check(m is not None, f"{div}: an emotion curve", div)
        if not m:
            continue
        block = m.group(1)
        check("<svg" in block and "<polyline" in block, f"{div}: the curve is drawn (SVG lines)")
        data = {r.group(1): cells(r.group(2))[1:] for r in
                re.finditer(r'<tr data-period="(\w+)">(.*?)</tr>', block, re.S)}

        def shown(stages):
            return [("—" if s["mean"] is None else ("%+.2f" % s["mean"]).replace("-", "−")) + " n=" + str(s["n"])
                    for s in stages]
        check(data.get("week") == shown(week) and data.get("quarter") == shown(quarter),
              f"{div}: the curve's figures are those of feedback curve --json (week, quarter to date)",
              (data, shown(week), shown(quarter)))
    # Motors worked out: week Inquiry (2 + 1)/2 = +1.50, Quote −2.00, Qualified none; quarter Inquiry
    # (2 + 1 + 0)/3 = +1.00, Qualified −1.00, Quote −2.00 (the +2 of 30 September is the last quarter's).
    motors = re.search(r'<div class="curve" data-division="Motors">(.*?)</div>\n', v, re.S).group(1)
    data = {r.group(1): cells(r.group(2))[1:] for r in re.finditer(r'<tr data-period="(\w+)">(.*?)</tr>', motors, re.S)}
    check(data["week"][:4] == ["+1.50 n=2", "— n=0", "— n=0", "−2.00 n=1"]
          and data["quarter"][:4] == ["+1.00 n=3", "−1.00 n=1", "— n=0", "−2.00 n=1"],
          "Motors' curve as worked out by hand", data)
    svg = re.search(r"<svg.*?</svg>", motors, re.S).group(0)
    check("+1.50" in svg and "−2.00" in svg and "Inquiry" in svg and "Delivered" in svg,
          "the chart writes the week's means at its points and every stage of the journey", svg[:300])
    check(re.search(r'<div class="curve" data-division="Medical">.*?No emotion feedback this week or this quarter',
                    v, re.S) is not None, "Medical without emotion feedback says so")

    # The ranking: the numbers of `touchpoints --json` for the week, in its order.
    want = h.json("touchpoints", "--from", FROM, "--to", TO)["touchpoints"]
    got = [(m.group(1), cells(m.group(2))) for m in re.finditer(r'<tr data-touchpoint="([^"]+)">(.*?)</tr>', v, re.S)]
    check([g[0] for g in got] == [t["id"] for t in want] == ["T-000001", "T-000002", "T-000004", "T-000003"],
          "the ranking's order is touchpoints --json's: 3.00 and 2.00 per naira, then 0 (cut or fix), then "
          "no budget", [g[0] for g in got])
    verdicts = {None: "—", "invest": "invest", "cut-or-fix": "cut or fix"}
    for (tid, c), t in zip(got, want):
        expect = [str(want.index(t) + 1), verdicts[t["verdict"]],
                  f"{t['name']} {t['id']} {t['division']} · {t['stage']}", naira(t["budget"]), str(t["responses"]),
                  points(t["nps"]),
                  "—" if t["mean_emotion"] is None else ("%+.2f" % t["mean_emotion"]).replace("-", "−"),
                  str(t["leads"]), str(t["won"]), naira(t["won_amount"]),
                  "—" if t["won_amount_per_naira"] is None else "%.2f" % t["won_amount_per_naira"],
                  "—" if t["cost_per_lead"] is None else naira(t["cost_per_lead"])]
        check(c == expect, f"{tid}: the pack's row holds touchpoints --json's numbers", (c, expect))
    # Worked out: T1 budget 3,650,000 × 7/365 = ₦70,000; won ₦210,000 → 3.00; 2 leads → ₦35,000 a lead;
    # answers 10, 9 and an emotion +2 → 3, NPS +100. T2: 7 and 3 → NPS −50; its October lead is not the week's.
    t1, t2 = got[0][1], got[1][1]
    check(t1[3:] == ["₦70,000", "3", "+100.0", "+2.00", "2", "1", "₦210,000", "3.00", "₦35,000"]
          and t2[3:] == ["₦35,000", "2", "-50.0", "—", "1", "1", "₦70,000", "2.00", "₦35,000"],
          "T1 and T2 as worked out by hand", (t1, t2))

    # Key results: quarter to date (1 October .. 8 November). Motors NPS: 10 (1 Nov), 10, 9, 7, 3 →
    # (3 − 1)/5 = +40.0 ≥ 20 met; GRAS −100 < 0 not met; Medical: no data.
    kr = [c for c in (cells(r) for r in re.findall(r"<tr>(.*?)</tr>", v.split("Key results of the customer strategy")[1],
                                                   re.S)) if c]
    check(len(kr) == 3, "three key results", kr)
    if len(kr) == 3:
        check(kr[0][2:5] == ["+40.0", "≥ +20.0", "✓ met"] and kr[1][2:5] == ["-100.0", "≥ +0.0", "✗ not met"]
              and kr[2][2:5] == ["—", "≥ +10.0", "no data"],
              "key results: value for the quarter to date, target, met / not met / no data", kr)
        check(kr[0][0].startswith("Motors customers recommend us") and "Net Promoter Score" in kr[0][1],
              "key results are named", kr[0])


def chromium_pdf(html_path):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed: the print check cannot run"
    pdf = html_path[:-5] + ".pdf"
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--print-to-pdf=" + pdf, "file://" + html_path],
                       capture_output=True, text=True, timeout=180)
    assert os.path.exists(pdf), ("chromium wrote no PDF", p.returncode, p.stderr[-2000:])
    return pdf


def test_printed_pack_shows_the_charts():
    h = voice_hub()
    pdf = chromium_pdf(pack(h, "html"))
    pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                           timeout=120).stdout.split("\f")
    where = [i for i, t in enumerate(pages) if "Emotion curve along each journey" in t]
    check(where, "the printed pack holds the emotion curves", len(pages))
    if not where:
        return
    text = pages[where[0]]
    check("Voice of the customer" in "".join(pages) and "this week" in text and "quarter to" in text,
          "the chart's legend is printed (text of the SVG)", text[:500])
    png = os.path.join(h.dir, "voice")
    p = subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(where[0] + 1), "-l", str(where[0] + 1), pdf, png],
                       capture_output=True, text=True, timeout=120)
    shots = sorted(f for f in os.listdir(h.dir) if f.startswith("voice") and f.endswith(".png"))
    check(p.returncode == 0 and shots, "the page with the curves renders to PNG", p.stderr)
    if shots:
        print("     screenshot of the printed voice section: " + os.path.join(h.dir, shots[0]))


def test_xlsx_pack_charts_the_voice_beside_its_data():
    import openpyxl
    h = voice_hub()
    out = pack(h, "xlsx")
    wb = openpyxl.load_workbook(out)
    check({"Voice", "Touchpoints", "Key results"} <= set(wb.sheetnames), "the .xlsx has Voice, Touchpoints and "
          "Key results sheets", wb.sheetnames)
    ws = wb["Voice"]
    vals = [[c.value for c in r] for r in ws.iter_rows()]
    by_first = {}
    for i, r in enumerate(vals):
        if r and r[0] is not None and r[0] not in by_first:
            by_first[r[0]] = i
    m = vals[by_first["Motors"]]
    check(m[1] == 25 and m[2] == 4 and m[3] == 2 and m[4] == 1 and abs(m[5] - 2 / 3) < 1e-9 and m[6] == 3,
          "Voice: Motors NPS 25 of 4, CSAT 2/3 of 3, as numbers", m[:7])
    med = vals[by_first["Medical"]]
    check(med[1] is None and med[8] == "no NPS or CSAT feedback this week", "Voice: Medical is blank and says why",
          med)
    fmt = ws.cell(row=by_first["Motors"] + 1, column=2).number_format
    check("+0.0" in fmt, "NPS cells carry the points format", fmt)
    # The Motors curve block: a title row "Motors" further down, its header, then the journey's stages.
    blocks = [i for i, r in enumerate(vals) if r[0] == "Motors"]
    check(len(blocks) == 2, "a Motors row in the NPS table and a Motors curve block", blocks)
    stages = vals[blocks[1] + 2: blocks[1] + 8]
    check([s[0] for s in stages] == ["Inquiry", "Qualified", "Test Drive", "Quote", "Won", "Delivered"]
          and stages[0][1:5] == [1.5, 2, 1.0, 3] and stages[1][1:5] == [None, 0, -1.0, 1]
          and stages[3][1:5] == [-2.0, 1, -2.0, 1],
          "the curve's cells: week mean and n, quarter mean and n per stage (blank: no answers)", stages)
    # The charts: native chart parts whose series read those cells.
    with zipfile.ZipFile(out) as z:
        rels = [n for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
        wbxml = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"', wbxml)
        voice_idx = [int(i) for n, i in names if n == "Voice"][0]
        drawing_rel = z.read(f"xl/worksheets/_rels/sheet{voice_idx}.xml.rels").decode()
        drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', drawing_rel).group(1)
        charts = re.findall(r'Target="../charts/(chart\d+\.xml)"',
                            z.read(f"xl/drawings/_rels/{drawing}.rels").decode())
        refs = [re.findall(r"<c:f>([^<]+)</c:f>", z.read("xl/charts/" + c).decode()) for c in charts]
    check(len(charts) >= 3 and rels, "the Voice sheet holds native charts (NPS and one per curve)", len(charts))
    r0 = blocks[1] + 3  # the first stage row, 1-based
    motors_ref = f"Voice!$B${r0}:$B${r0 + 5}"
    check(any(motors_ref in rs for rs in refs) and any(f"Voice!$D${r0}:$D${r0 + 5}" in rs for rs in refs),
          "a chart plots the Motors curve's week and quarter cells", (motors_ref, refs))
    nps_row = by_first["Motors"] + 1
    check(any(any(r.startswith(f"Voice!$B${nps_row}:") for r in rs) for rs in refs),
          "a chart plots the NPS cells", refs)
    tp = [[c.value for c in r] for r in wb["Touchpoints"].iter_rows(min_row=2)]
    want = h.json("touchpoints", "--from", FROM, "--to", TO)["touchpoints"]
    check([r[2] for r in tp] == [t["id"] for t in want]
          and all(abs(r[6] - t["budget"]) < 1e-6 and r[7] == t["responses"] and r[12] == t["won_amount"]
                  and (r[13] is None) == (t["won_amount_per_naira"] is None) and (r[1] or None) == t["verdict"]
                  for r, t in zip(tp, want)),
          "Touchpoints sheet: every touchpoint with touchpoints --json's numbers", tp)
    kr = [[c.value for c in r] for r in wb["Key results"].iter_rows(min_row=2, max_row=4)]
    check([r[3] for r in kr] == [40, -100, "no data"] and [r[6] for r in kr] == ["met", "not met", "no data"],
          "Key results sheet: values and met", kr)


def this_week():
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)  # Lagos, no DST
    y, w, _ = now.isocalendar()
    return f"{y}-W{w:02d}"


def test_hub_feedback_counted_in_adoption():
    h = voice_hub()
    ok(h, "hub-feedback", "add", "--score", "4", "--comment", "Logging is quick now", user="sam.sales")
    ok(h, "hub-feedback", "add", "--score", "2", "--comment", "Search misses nicknames", user="sia.service")
    page = open(pack(h, "html", this_week()), encoding="utf-8").read()
    a = section(page, "adoption")
    # 4 and 2 → mean 3.0; none the week before.
    check("2 piece(s) of feedback on the hub this week, mean score 3.0 / 5; 0 last week." in a,
          "the adoption section counts this week's feedback on the hub", a[-800:])
    check("Sam Sales" in a and "Search misses nicknames" in a, "…with who gave it and what they said", a[-800:])
    check("No feedback on the hub this week (0 last week)." in section(open(pack(h, "html"), encoding="utf-8").read(),
                                                                      "adoption"),
          "a week without feedback on the hub says so")
    v = section(page, "voice")
    check("Medical" in v and "no NPS or CSAT feedback this week" in v, "a week without customer feedback says so")


def test_api_touchpoints_answers_the_command_line_document():
    import cli_api_test as base
    h = voice_hub()
    tok = {login: h.run("token", "create", login).stdout.strip() for login in ("max.manager", "erp.job", "sam.sales")}
    srv = base.Server(h)
    try:
        srv.req("GET", "/api/v1/openapi.json")
        doc = base.DOC.doc
        check("/api/v1/touchpoints" in doc["paths"] and "get" in doc["paths"]["/api/v1/touchpoints"],
              "the OpenAPI document lists GET /api/v1/touchpoints", sorted(doc["paths"])[:5])
        params = [p["name"] for p in doc["paths"]["/api/v1/touchpoints"]["get"].get("parameters", [])]
        check({"from", "to", "division"} <= set(params), "its query parameters are the command line's options",
              params)
        for q, args in ((f"?from={FROM}&to={TO}", ["--from", FROM, "--to", TO]),
                        (f"?from={FROM}&to={TO}&division=gras", ["--from", FROM, "--to", TO, "--division", "gras"]),
                        ("?from=2026-10-01&to=2026-12-31&division=Power%20%26%20Industrial",
                         ["--from", "2026-10-01", "--to", "2026-12-31", "--division", "Power & Industrial"])):
            st, _, j = srv.req("GET", "/api/v1/touchpoints" + q, headers={"Authorization": "Bearer " + tok["sam.sales"]})
            want = h.json("touchpoints", *args)
            check(st == 200 and j == want, f"GET /api/v1/touchpoints{q} = touchpoints {' '.join(args)} --json",
                  (st, j, want))
        st, _, j = srv.req("GET", "/api/v1/touchpoints", headers={"Authorization": "Bearer " + tok["max.manager"]})
        check(st == 200 and j == h.json("touchpoints"), "without options: the current quarter, as the command line",
              (st, j))
        st, _, j = srv.req("GET", f"/api/v1/touchpoints?from={FROM}", headers={"Authorization": "Bearer " + tok["erp.job"]})
        check(st == 403 and j["error"]["code"] == "forbidden", "the erp job (no read access) gets 403", (st, j))
        st, _, j = srv.req("GET", f"/api/v1/touchpoints?from={FROM}")
        check(st == 401, "without a session or token: 401", (st, j))
        auth = {"Authorization": "Bearer " + tok["max.manager"]}
        st, _, j = srv.req("GET", "/api/v1/touchpoints?from=yesterday", headers=auth)
        check(st == 400 and "from" in j["error"]["fields"], "a bad from is 400 naming from", (st, j))
        st, _, j = srv.req("GET", "/api/v1/touchpoints?division=Cars", headers=auth)
        check(st == 400 and "division" in j["error"]["fields"], "an unknown division is 400 naming division", (st, j))
        st, _, j = srv.req("GET", "/api/v1/touchpoints?colour=blue", headers=auth)
        check(st == 400, "an unknown parameter is 400", (st, j))
        check(not base.DOC.problems, "every answer fits the OpenAPI document", base.DOC.problems[:5])
    finally:
        srv.stop()


def post_form(srv, path, body):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
    c.request("POST", path, body=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    text = r.read().decode()
    c.close()
    return r.status, text


def test_survey_form_is_read_by_the_api_decoder():
    import cli_api_test as base
    h = voice_hub()
    links = [h.json("survey", "link", "--touchpoint", "T-000001", "--kind", "nps")["url"] for _ in range(2)]
    paths = ["/survey/" + u.rsplit("/", 1)[1] for u in links]
    srv = base.Server(h)
    try:
        before = h.count("feedback")
        st, page = post_form(srv, paths[0], "score=9&comment=50%")
        check(st == 400 and "could not be read" in page and h.count("feedback") == before,
              "a form body with a broken %-escape is refused, as a query string is, and nothing is written",
              (st, page[-300:]))
        st, page = post_form(srv, paths[0], "score=9&comment=%d21+caf%E9")
        check(st == 400 and "UTF-8" in page and h.count("feedback") == before,
              "a comment that is not UTF-8 (a Latin-1 form) is refused with 400, not a server error, "
              "and nothing is written", (st, page[-300:]))
        st, page = post_form(srv, paths[0], "sc%6Fre=9&comment=caf%C3%A9+au+lait+%26+%E2%82%A6500")
        check(st == 200 and "Thank you" in page, "names and values are percent-decoded ('+' a space)", (st, page[-300:]))
        st, page = post_form(srv, paths[1], "score=3&score=10")
        check(st == 200, "a field given twice: the last value counts, as in a query string", (st, page[-300:]))
    finally:
        srv.stop()
    got = h.sql("SELECT score, comment FROM feedback WHERE source = 'survey' ORDER BY id")
    got = [(float(s), c or "") for s, c in got]
    check(got == [(9.0, "café au lait & ₦500"), (10.0, "")], "the answers as sent", got)


def write(path, text, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)


def test_feedback_import_never_replaces_a_file_it_did_not_write():
    h = voice_hub()
    path = os.path.join(h.dir, "survey.csv")
    # Dated long before the pack's week, so the other scenarios' figures stay as worked out.
    write(path, "Date,Contact ID,Kind,Score\n2025-01-03,C-000001,nps,9\n2025-01-03,C-000001,nps,12\n")
    rejected = path + ".rejected.csv"
    mine = "Line,Reason,My own notes\n1,keep this,do not lose\n"
    write(rejected, mine)
    before = h.count("feedback")
    p = h.run("feedback", "import", path, "--partial")
    check(p.returncode == 2 and "was not written by cxhub" in p.stderr and "--force" in p.stderr,
          "a FILE.rejected.csv that cxhub did not write stops the import (exit 2), naming --force", p.stderr)
    check(open(rejected, encoding="utf-8").read() == mine and h.count("feedback") == before,
          "…the file is left as it was and nothing is imported")
    s = h.json("feedback", "import", path, "--partial", "--force")
    text = open(rejected, encoding="utf-8-sig").read()
    check(s["created"] == 1 and s["rejected_file"] == rejected and text.startswith("Date,Contact ID,Kind,Score,Line,Reason"),
          "with --force it is replaced by the rejected rows", (s, text[:80]))
    # Ours now: a clean run of the fixed file removes it (its rows would read as this run's).
    write(path, "Date,Contact ID,Kind,Score\n2025-01-03,C-000001,nps,9\n2025-01-04,C-000001,nps,8\n")
    s = h.json("feedback", "import", path)
    check(s["removed_rejected_file"] == rejected and not os.path.exists(rejected),
          "a clean run removes the earlier rejected rows cxhub wrote", s)
    write(rejected, mine)
    p = h.run("feedback", "import", path, "--json")
    s = json.loads(p.stdout) if p.returncode == 0 else {}
    check(p.returncode == 0 and s.get("removed_rejected_file") is None and open(rejected, encoding="utf-8").read() == mine
          and "was not written by cxhub" in p.stderr,
          "a clean run leaves someone else's file alone, with a warning", (p.returncode, p.stderr, s))


if __name__ == "__main__":
    run([test_html_pack_holds_the_voice_of_the_customer, test_printed_pack_shows_the_charts,
         test_xlsx_pack_charts_the_voice_beside_its_data, test_hub_feedback_counted_in_adoption,
         test_api_touchpoints_answers_the_command_line_document, test_survey_form_is_read_by_the_api_decoder,
         test_feedback_import_never_replaces_a_file_it_did_not_write])
