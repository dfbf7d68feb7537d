#!/usr/bin/env python3
"""Command-line scenarios of feedback and touchpoints (docs/feedback.md): touchpoint add|edit|list,
the ranking (`touchpoints --json`), feedback add|import|curve|scores, survey links answered on the
page that `cxhub serve` gives without login, newsletter dates and the newsletter_signups KPI,
source touchpoints of opportunities, the workbook's Touchpoints sheet and new columns, the demo.
Each refusal exits 2 and writes nothing; each role gets what the table of rules gives it.
usage: cli_feedback_test.py PATH/TO/cxhub"""
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import BIN, Hub, check, run  # noqa: E402
from serve import Serve  # noqa: E402


def base_hub():
    """A hub with users of every role, an account, a contact and two Motors touchpoints."""
    h = Hub()
    assert h.run("init").returncode == 0
    for login, role, division in [("sam.sales", "sales", "Motors"), ("sue.service", "service", "Motors"),
                                  ("ste.steward", "steward", "Motors"), ("max.manager", "manager", ""),
                                  ("ada.admin", "admin", ""), ("erp.job", "erp", "")]:
        args = ["user", "add", login, "--role", role, "--name", login.split(".")[0].title() + " " + role.title()]
        if division:
            args += ["--division", division]
        assert h.run(*args).returncode == 0, login
    a = h.json("account", "add", "--name", "Okafor Motors Ltd", "--division", "Motors")
    c = h.json("contact", "add", "--name", "Ngozi Okafor", "--account", a["id"])
    return h, a["id"], c["id"]


def test_touchpoints_add_edit_list_and_refusals():
    h, _, _ = base_hub()
    t = h.json("touchpoint", "add", "--name", "Showroom visit", "--division", "motors", "--stage", "inquiry",
               "--channel", "walk-in", "--owner", "Sam Sales", "--budget", "24,000,000", user="max.manager")
    check(t == {"id": "T-000001", "name": "Showroom visit", "division": "Motors", "stage": "Inquiry",
                "channel": "walk-in", "owner": "Sam Sales", "yearly_budget": 24000000},
          "touchpoint add --json: id T-NNNNNN, division and stage canonical, owner by name", t)
    con = h.count("touchpoints")
    audit = h.count("audit")
    p = h.run("touchpoint", "add", "--name", "Quote desk", "--division", "Motors", "--stage", "Proposal")
    check(p.returncode == 2 and "Proposal" in p.stderr and "Motors journey" in p.stderr,
          "a stage that is not in the division's journey is refused, naming it", p.stderr)
    p = h.run("touchpoint", "add", "--name", "Billboard", "--division", "Motors", "--budget", "-5")
    check(p.returncode == 2 and "budget" in p.stderr, "a negative budget is refused", p.stderr)
    p = h.run("touchpoint", "add", "--name", "Billboard", "--division", "Cars")
    check(p.returncode == 2 and "division" in p.stderr, "an unknown division is refused", p.stderr)
    p = h.run("touchpoint", "add", "--name", "Stand", "--division", "Motors", user="sam.sales")
    check(p.returncode == 2 and "may not change touchpoints" in p.stderr, "sales may not add touchpoints", p.stderr)
    p = h.run("touchpoint", "edit", "T-000001", "--budget", "1", user="ste.steward")
    check(p.returncode == 2, "a steward may not change a touchpoint's budget", p.stderr)
    check(h.count("touchpoints") == con and h.count("audit") == audit, "refusals wrote nothing")
    web = h.json("touchpoint", "add", "--name", "Company website", "--division", "All", "--budget", "0",
                 user="ada.admin")
    check(web["division"] == "All" and web["id"] == "T-000002", "a company-wide touchpoint (All)", web)
    e = h.json("touchpoint", "edit", "T-000001", "--stage", "Test Drive", "--budget", "12000000")
    check(e["stage"] == "Test Drive" and e["yearly_budget"] == 12000000 and e["name"] == "Showroom visit",
          "touchpoint edit changes only what is given", e)
    p = h.run("touchpoint", "edit", "T-000001", "--stage", "Signed")
    check(p.returncode == 2, "edit refuses a stage of another journey (Signed is Medical's)", p.stderr)
    p = h.run("touchpoint", "edit", "T-000404", "--name", "x")
    check(p.returncode == 2 and "T-000404" in p.stderr, "edit of an unknown touchpoint exits 2", p.stderr)
    lst = h.json("touchpoint", "list", "--division", "Motors")
    check([x["id"] for x in lst["touchpoints"]] == ["T-000001", "T-000002"],
          "touchpoint list --division lists the division's and the company-wide ones", lst)
    out = h.run("audit", "--id", "T-000001", "--json")
    entries = json.loads(out.stdout)["entries"] if out.returncode == 0 else []
    fields = sorted(e.get("field", "") for e in entries if e.get("action") == "update")
    check(out.returncode == 0 and "stage" in fields and "yearly_budget" in fields,
          "touchpoint changes are audited field by field", out.stdout[:300] + out.stderr)


def test_feedback_add_every_kind_and_refusals():
    h, acc, con = base_hub()
    h.json("touchpoint", "add", "--name", "Quote by email", "--division", "Motors", "--stage", "Quote")
    f = h.json("feedback", "add", "--kind", "nps", "--score", "9", "--contact", con, "--touchpoint", "T-000001",
               "--comment", "Quick answer", user="sam.sales")
    check(f["id"] == "F-000001" and f["account_id"] == acc and f["division"] == "Motors" and f["stage"] == "Quote"
          and f["source"] == "staff" and f["touchpoint"] == "T-000001",
          "feedback add --json: account from the contact, division and stage from the touchpoint, source staff", f)
    ok = [("csat", "5", []), ("csat", "1", []), ("emotion", "-2", ["--stage", "Inquiry"]),
          ("emotion", "2", ["--stage", "test drive"]), ("review", "4", ["--platform", "Google"]),
          ("nps", "0", []), ("nps", "10", [])]
    for kind, score, extra in ok:
        p = h.run("feedback", "add", "--kind", kind, "--score", score, "--contact", con, "--division", "Motors",
                  *extra, user="sue.service")
        check(p.returncode == 0, f"{kind} {score} is accepted", p.stderr)
    n = h.count("feedback")
    audit = h.count("audit")
    bad = [(["--kind", "nps", "--score", "11"], "score"), (["--kind", "nps", "--score", "-1"], "score"),
           (["--kind", "csat", "--score", "0"], "score"), (["--kind", "csat", "--score", "6"], "score"),
           (["--kind", "review", "--score", "6", "--platform", "Google"], "score"),
           (["--kind", "emotion", "--score", "3"], "score"), (["--kind", "emotion", "--score", "-3"], "score"),
           (["--kind", "review", "--score", "4"], "platform"),
           (["--kind", "emotion", "--score", "1", "--division", "Motors", "--stage", "Negotiation"], "Negotiation"),
           (["--kind", "nps", "--score", "nine"], "score"), (["--kind", "mood", "--score", "1"], "kind"),
           (["--kind", "nps", "--score", "9", "--touchpoint", "T-000404"], "T-000404"),
           (["--kind", "nps", "--score", "9", "--contact", "C-999999"], "C-999999")]
    for args, word in bad:
        p = h.run("feedback", "add", *args, *([] if "--contact" in args else ["--contact", con]))
        check(p.returncode == 2 and word in p.stderr, f"feedback add {' '.join(args)} is refused naming {word}",
              f"rc={p.returncode} {p.stderr}")
    p = h.run("feedback", "add", "--kind", "nps", "--score", "9", "--contact", con, user="erp.job")
    check(p.returncode == 2 and "may not log feedback" in p.stderr, "the erp job may not log feedback", p.stderr)
    check(h.count("feedback") == n and h.count("audit") == audit, "refused feedback wrote nothing")


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        for r in rows:
            w.writerow(r)


def test_feedback_import_with_the_erp_rules():
    h, acc, con = base_hub()
    h.json("touchpoint", "add", "--name", "Delivery handover", "--division", "Motors", "--stage", "Delivered")
    path = os.path.join(h.dir, "survey.csv")
    # Windows-1252 (the é of Clément), the default columns, one bad score, one bad stage.
    write_csv(path, [["Date", "Contact ID", "Kind", "Score", "Touchpoint ID", "Comment", "Stage", "Division"],
                     ["03/04/2026 10:00", con, "nps", "10", "T-000001", "Très bien, Clément", "", ""],
                     ["04/04/2026", con, "csat", "4", "", "", "", ""],
                     ["05/04/2026", con, "nps", "12", "", "", "", ""],
                     ["06/04/2026", con, "emotion", "1", "", "", "Signed", "Motors"]], encoding="cp1252")
    p = h.run("feedback", "import", path)
    check(p.returncode == 2 and "line 4" in p.stderr and "line 5" in p.stderr and "Signed" in p.stderr,
          "a file with bad rows is refused whole, each bad line named (header = line 1)", p.stderr)
    check(h.count("feedback") == 0, "the refused file wrote nothing")
    s = h.json("feedback", "import", path, "--partial")
    check(s["created"] == 2 and [r["line"] for r in s["rejected"]] == [4, 5] and s["encoding"] == "windows-1252",
          "--partial imports the good rows and lists the rejected ones", s)
    rej = s["rejected_file"]
    check(rej == path + ".rejected.csv" and os.path.exists(rej), "the rejected rows are written beside the file", s)
    with open(rej, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    check(rows[0][-2:] == ["Line", "Reason"] and rows[1][-2] == "4" and "score" in rows[1][-1],
          "the rejected-rows file holds the rows with their line and reason", rows)
    out = h.json("feedback", "scores", "--from", "2026-04-01", "--to", "2026-06-30")
    groups = {g["division"]: g for g in out["groups"]}
    check(groups.get("Motors", {}).get("nps") == 100 and groups.get(None, {}).get("csat") == 1,
          "imported feedback counts (division from the touchpoint; none for the row without one)", out)
    # A survey tool's own column names through --map, a date format, a default kind.
    other = os.path.join(h.dir, "tool.csv")
    write_csv(other, [["Response ID", "Submitted", "Rating", "Respondent"],
                      ["R-1", "2026-04-07 09:30", "8", con], ["R-2", "2026-04-08 10:00", "9", con]])
    mp = os.path.join(h.dir, "map.toml")
    with open(mp, "w") as f:
        f.write('[feedback]\nid = "Response ID"\ndate = "Submitted"\nscore = "Rating"\ncontact = "Respondent"\n'
                'default_kind = "nps"\ndefault_touchpoint = "T-000001"\ndate_format = "%Y-%m-%d %H:%M"\n')
    s = h.json("feedback", "import", other, "--map", mp)
    check(s["created"] == 2 and s["rejected"] == [], "--map reads a survey tool's own columns", s)
    s = h.json("feedback", "import", other, "--map", mp)
    check(s["created"] == 0 and s["unchanged"] == 2, "importing the same file again changes nothing", s)
    with open(mp, "a") as f:
        f.write('colour = "Blue"\n')
    p = h.run("feedback", "import", other, "--map", mp)
    check(p.returncode == 2 and "colour" in p.stderr, "an unknown key of the mapping is refused", p.stderr)
    p = h.run("feedback", "import", path, "--partial", user="sam.sales")
    check(p.returncode == 2 and "may not import feedback" in p.stderr, "sales may not import feedback", p.stderr)


def ranking_hub():
    """Hand-made data for the ranking: period February 2024 (29 days, budget = yearly × 29/365)."""
    h, acc, con = base_hub()
    for name, budget in [("Showroom", "365000"), ("Trade fair", "730000"), ("Walk-ins", "0"),
                         ("Radio", "365000")]:
        h.json("touchpoint", "add", "--name", name, "--division", "Motors", "--stage", "Inquiry", "--budget", budget)
    h.json("touchpoint", "add", "--name", "Reception", "--division", "GRAS", "--stage", "Visited", "--budget", "0")

    def lead(tp, created, amount, won_at=None):
        o = h.json("opportunity", "add", "--account", acc, "--division", "Motors", "--amount", amount,
                   "--date", created, "--source-touchpoint", tp, "--owner", "sam.sales")
        if won_at:
            for stage in ("Qualified", "Test Drive", "Quote"):
                r = h.run("opportunity", "move", o["id"], "--to", stage, "--date", won_at, "--override",
                          "--reason", "test data", user="max.manager")
                assert r.returncode == 0, r.stderr
            r = h.run("opportunity", "win", o["id"], "--date", won_at, "--override", "--reason", "test data",
                      user="max.manager")
            assert r.returncode == 0, r.stderr
        return o

    # T-1: won 290,000 → 290,000 / 29,000 = 10 per naira; 2 leads → cost per lead 14,500.
    lead("T-000001", "2024-02-05 10:00", "290000", "2024-02-20 10:00")
    lead("T-000001", "2024-02-10 10:00", "50000")
    # T-2: won 580,000 / 58,000 = 10 too; tie broken by NPS (T-1 +100, T-2 0).
    lead("T-000002", "2024-02-03 10:00", "580000", "2024-02-25 10:00")
    # T-3: no budget: per naira null (last), cost per lead 0, no verdict.
    lead("T-000003", "2024-02-04 10:00", "1000000", "2024-02-05 10:00")
    # T-4: its lead is won on 1 March (after `to`): 0 per naira → cut-or-fix.
    lead("T-000004", "2024-02-06 10:00", "9000000", "2024-03-01 09:00")
    for score, day, tp in [("10", "2024-02-01", "T-000001"), ("10", "2024-02-29 23:00", "T-000001"),
                           ("0", "2024-03-01", "T-000001"), ("9", "2024-02-07", "T-000002"),
                           ("5", "2024-02-08", "T-000002")]:
        p = h.run("feedback", "add", "--kind", "nps", "--score", score, "--contact", con, "--touchpoint", tp,
                  "--date", day)
        assert p.returncode == 0, p.stderr
    for score, stage, day in [("2", "Inquiry", "2024-02-02"), ("-1", "Inquiry", "2024-02-03"),
                              ("-2", "Quote", "2024-02-29 12:00"), ("0", "Quote", "2024-03-01")]:
        p = h.run("feedback", "add", "--kind", "emotion", "--score", score, "--contact", con, "--touchpoint",
                  "T-000001", "--stage", stage, "--date", day)
        assert p.returncode == 0, p.stderr
    return h


def test_touchpoint_ranking_and_curve_json():
    h = ranking_hub()
    r = h.json("touchpoints", "--from", "2024-02-01", "--to", "2024-02-29")
    keys = ["id", "name", "division", "stage", "budget", "responses", "nps", "mean_emotion", "leads", "won",
            "won_amount", "won_amount_per_naira", "cost_per_lead", "verdict"]
    check(set(r) == {"from", "to", "touchpoints"} and r["from"] == "2024-02-01" and r["to"] == "2024-02-29",
          "touchpoints --json has from, to, touchpoints", list(r))
    check(all(sorted(t) == sorted(keys) for t in r["touchpoints"]), "every touchpoint carries every key of the contract",
          [list(t) for t in r["touchpoints"]][:1])
    ids = [t["id"] for t in r["touchpoints"]]
    check(ids == ["T-000001", "T-000002", "T-000004", "T-000003", "T-000005"],
          "ranked by won amount per naira, the tie by NPS, nulls last then by id", ids)
    by = {t["id"]: t for t in r["touchpoints"]}
    t1 = by["T-000001"]
    check(abs(t1["budget"] - 29000) < 1e-6 and t1["leads"] == 2 and t1["won"] == 1 and t1["won_amount"] == 290000
          and abs(t1["won_amount_per_naira"] - 10) < 1e-9 and abs(t1["cost_per_lead"] - 14500) < 1e-6
          and t1["nps"] == 100 and t1["responses"] == 5,
          # responses: 2 NPS and 3 emotions in February (the 1 March ones are outside)
          "T-000001's numbers as worked out", t1)
    # mean emotion of T-1 in February: (2 − 1 − 2) / 3 = −1/3
    check(abs(t1["mean_emotion"] - (-1 / 3)) < 1e-9, "mean emotion −1/3", t1["mean_emotion"])
    check(by["T-000002"]["nps"] == 0 and abs(by["T-000002"]["won_amount_per_naira"] - 10) < 1e-9,
          "T-000002: NPS 0, 10 per naira", by["T-000002"])
    check([by[i]["verdict"] for i in ids] == ["invest", "invest", "cut-or-fix", None, None],
          "verdicts: invest for the first positive ones, cut-or-fix for a budget without a won lead, else null",
          [by[i]["verdict"] for i in ids])
    t3 = by["T-000003"]
    check(t3["won_amount_per_naira"] is None and t3["cost_per_lead"] == 0 and t3["budget"] == 0,
          "a zero budget: per naira null, cost per lead 0", t3)
    t5 = by["T-000005"]
    check(t5["nps"] is None and t5["mean_emotion"] is None and t5["cost_per_lead"] is None and t5["leads"] == 0,
          "no data: null, never 0", t5)
    m = h.json("touchpoints", "--from", "2024-02-01", "--to", "2024-02-29", "--division", "GRAS")
    check([t["id"] for t in m["touchpoints"]] == ["T-000005"], "--division keeps that division's touchpoints", m)
    c = h.json("feedback", "curve", "--division", "Motors", "--from", "2024-02-01", "--to", "2024-02-29")
    check(sorted(c) == ["division", "stages"] and c["division"] == "Motors", "feedback curve --json shape", list(c))
    check([s["stage"] for s in c["stages"]] == ["Inquiry", "Qualified", "Test Drive", "Quote", "Won", "Delivered"],
          "every stage of the journey, in order", c["stages"])
    st = {s["stage"]: s for s in c["stages"]}
    check(st["Inquiry"] == {"stage": "Inquiry", "mean": 0.5, "n": 2} and st["Quote"] == {"stage": "Quote", "mean": -2, "n": 1}
          and st["Won"] == {"stage": "Won", "mean": None, "n": 0},
          "curve: Inquiry (2 − 1)/2 = 0.5, Quote −2 (the 1 March one is outside), Won null", c["stages"])
    p = h.run("feedback", "curve", "--division", "Cars", "--json")
    check(p.returncode == 2, "feedback curve of an unknown division exits 2", p.stderr)
    p = h.run("touchpoints", "--from", "2024-03-01", "--to", "2024-02-01")
    check(p.returncode == 2, "a period that ends before it starts exits 2", p.stderr)
    s = h.json("feedback", "scores", "--by", "touchpoint", "--from", "2024-02-01", "--to", "2024-02-29")
    check({g["touchpoint"]: g["nps"] for g in s["groups"]} == {"T-000001": 100, "T-000002": 0},
          "NPS by touchpoint", s)
    txt = h.run("touchpoints", "--from", "2024-02-01", "--to", "2024-02-29")
    check(txt.returncode == 0 and "invest" in txt.stdout and "cut-or-fix" in txt.stdout, "the ranking as text",
          txt.stdout)


def test_source_touchpoint_newsletter_and_kpi():
    h, acc, con = base_hub()
    p = h.run("opportunity", "add", "--account", acc, "--division", "Motors", "--source-touchpoint", "T-000404")
    check(p.returncode == 2 and "T-000404" in p.stderr and h.count("opportunities") == 0,
          "an unknown source touchpoint is refused and nothing is written", p.stderr)
    p = h.run("contact", "add", "--name", "Bola Ade", "--account", acc, "--newsletter", "31/02/2024")
    check(p.returncode == 2 and "newsletter" in p.stderr, "a bad newsletter date is refused", p.stderr)
    c = h.json("contact", "add", "--name", "Bola Ade", "--account", acc, "--newsletter", "29/02/2024")
    check(c["newsletter"] == "2024-02-29", "contact add --newsletter (day-first date)", c)
    e = h.json("contact", "edit", con, "--newsletter", "2024-03-31")
    check(e == {"id": con, "newsletter": "2024-03-31"}, "contact edit --newsletter", e)
    k = h.json("kpi", "--division", "All", "--from", "2024-01-01", "--to", "2024-03-31")
    nl = [x for x in k["kpis"] if x["key"] == "newsletter_signups"]
    check(len(nl) == 1 and nl[0]["value"] == 2 and nl[0]["unit"] == "count" and nl[0]["division"] == "All",
          "newsletter_signups counts the contacts subscribed in the period", nl)
    k = h.json("kpi", "--division", "All", "--from", "2024-04-01", "--to", "2024-06-30")
    nl = [x for x in k["kpis"] if x["key"] == "newsletter_signups"][0]
    check(nl["value"] == 0, "a period without sign-ups (but with a newsletter) counts 0", nl)
    k = h.json("kpi", "--division", "All", "--from", "2023-01-01", "--to", "2023-12-31")
    nl = [x for x in k["kpis"] if x["key"] == "newsletter_signups"][0]
    check(nl["value"] is None, "before any subscription: null, not 0", nl)


def test_workbook_round_trip_of_the_new_sheet_and_columns():
    h = ranking_hub()
    h.run("contact", "edit", "C-000001", "--newsletter", "2024-02-29")
    out = os.path.join(h.dir, "hub.xlsx")
    p = h.run("export-workbook", out)
    check(p.returncode == 0, "export-workbook", p.stderr)
    import openpyxl
    wb = openpyxl.load_workbook(out)
    check("Touchpoints" in wb.sheetnames, "the export has a Touchpoints sheet", wb.sheetnames)
    hdr = [c.value for c in wb["Touchpoints"][1]]
    check(hdr == ["Touchpoint ID", "Name", "Division", "Stage", "Channel", "Owner", "Yearly Budget"],
          "Touchpoints columns", hdr)
    fb = [c.value for c in wb["Feedback"][1]]
    check(fb[-2:] == ["Touchpoint ID", "Source"], "Feedback ends with Touchpoint ID and Source", fb)
    op = [c.value for c in wb["Opportunities"][1]]
    check("Source Touchpoint" in op and wb["Opportunities"].cell(2, op.index("Source Touchpoint") + 1).value == "T-000001",
          "Opportunities carry their Source Touchpoint", op)
    co = [c.value for c in wb["Contacts"][1]]
    check("Newsletter" in co, "Contacts have a Newsletter column", co)
    h2 = Hub()
    h2.run("init")
    p = h2.run("import-workbook", out)
    check(p.returncode == 0, "the export imports into an empty hub", p.stderr[-500:])
    out2 = os.path.join(h2.dir, "again.xlsx")
    h2.run("export-workbook", out2)
    wb2 = openpyxl.load_workbook(out2)
    for sheet in ("Touchpoints", "Feedback", "Opportunities", "Contacts"):
        a = [[c.value for c in r] for r in wb[sheet].iter_rows()]
        b = [[c.value for c in r] for r in wb2[sheet].iter_rows()]
        check(a == b, f"round trip keeps the {sheet} sheet", (a[:3], b[:3]))
    r1 = h.json("touchpoints", "--from", "2024-02-01", "--to", "2024-02-29")
    r2 = h2.json("touchpoints", "--from", "2024-02-01", "--to", "2024-02-29")
    check(r1 == r2, "the round-tripped hub ranks its touchpoints the same", (r1, r2))
    p = h2.run("import-workbook", out)
    check(p.returncode == 0, "re-importing the same workbook", p.stderr)
    # A Touchpoints row with a stage of another journey is an error naming sheet, row and column.
    wb["Touchpoints"].cell(2, 4).value = "Onboarding"
    bad = os.path.join(h.dir, "bad.xlsx")
    wb.save(bad)
    p = h2.run("import-workbook", bad)
    check(p.returncode == 2 and "Touchpoints" in p.stderr and "Stage" in p.stderr and "Onboarding" in p.stderr,
          "a bad stage in the Touchpoints sheet is an error of that row", p.stderr)


class Server(Serve):
    """`cxhub serve` on the hub (tests/serve.py); the survey page's HTML is what it checks."""

    def __init__(self, hub):
        super().__init__(BIN, hub.url)

    def page(self, method, path, form=None):
        st, _, body = self.request(method, path, form=form)
        return st, body.decode()


def test_survey_link_answered_without_login():
    h, acc, con = base_hub()
    h.json("touchpoint", "add", "--name", "Quote <by> email", "--division", "Motors", "--stage", "Quote")
    p = h.run("survey", "link", "--touchpoint", "T-000404")
    check(p.returncode == 2, "a link for an unknown touchpoint is refused", p.stderr)
    p = h.run("survey", "link", "--touchpoint", "T-000001", "--kind", "review")
    check(p.returncode == 2, "a link of a kind other than nps, csat or emotion is refused", p.stderr)
    p = h.run("survey", "link", "--touchpoint", "T-000001", user="erp.job")
    check(p.returncode == 2, "the erp job may not make survey links", p.stderr)
    link = h.json("survey", "link", "--touchpoint", "T-000001", "--contact", con, "--kind", "emotion",
                  "--base-url", "https://hub.example.com/", user="sam.sales")
    check(re.fullmatch(r"https://hub\.example\.com/survey/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", link["url"]) is not None,
          "survey link prints a URL with a signed token", link)
    token_path = "/survey/" + link["url"].rsplit("/", 1)[1]
    check(h.count("survey_tokens") == 1, "the link is stored (by its hash)")
    srv = Server(h)
    try:
        st, page = srv.page("GET", token_path)
        check(st == 200 and "<script" not in page.lower() and 'name="viewport"' in page and "<form" in page
              and 'name="score"' in page and 'name="comment"' in page,
              "the page needs no login, no JavaScript, fits a phone, asks one question and a comment", page[:300])
        check("Quote &lt;by&gt; email" in page and "<by>" not in page, "the touchpoint's name is escaped", page[:600])
        st, page = srv.page("POST", token_path, {"score": "5", "comment": "x"})
        check(st == 400 and h.count("feedback") == 0, "a score out of range is refused on the page", st)
        st, page = srv.page("POST", token_path, {"score": "-1", "comment": "Waited <a week>"})
        check(st == 200 and "Thank you" in page, "the answer is recorded", (st, page[:300]))
        st, page = srv.page("POST", token_path, {"score": "2"})
        check(st == 410 and "answered already" in page, "a second answer to the link is refused", (st, page[:300]))
        st, page = srv.page("GET", token_path)
        check(st == 410, "the used link shows it was answered", st)
        forged = token_path[:-2] + ("AA" if not token_path.endswith("AA") else "BB")
        st, page = srv.page("GET", forged)
        check(st == 404, "a forged token is refused", st)
        statuses = [srv.page("GET", forged)[0] for _ in range(40)]
        check(429 in statuses, "an address that floods the page is throttled", statuses[-5:])
    finally:
        srv.stop()
    check(h.count("feedback") == 1, "one feedback row from the survey")
    s = h.json("feedback", "scores", "--by", "stage", "--division", "Motors")
    row = h.sql("SELECT kind, score, source, touchpoint, stage, contact_id, comment FROM feedback")[0]
    check(row == ("emotion", -1.0, "survey", "T-000001", "Quote", con, "Waited <a week>"),
          "the answer is emotion feedback of the link's touchpoint, stage and contact, source survey", (row, s))


def test_demo_covers_feedback_and_touchpoints():
    h = Hub()
    p = h.run("demo", "--accounts", "300", "--as-of", "2026-06-30", "--quiet")
    check(p.returncode == 0, "demo", p.stderr)
    tps = h.json("touchpoint", "list")["touchpoints"]
    divisions = {t["division"] for t in tps}
    check(divisions == {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65", "All"}
          and all(t["yearly_budget"] >= 0 for t in tps) and sum(t["yearly_budget"] > 0 for t in tps) >= 15,
          "demo touchpoints with budgets for every division", divisions)
    kinds = {k for (k,) in h.sql("SELECT DISTINCT kind FROM feedback")}
    sources = {k for (k,) in h.sql("SELECT DISTINCT source FROM feedback")}
    check(kinds == {"nps", "csat", "review", "emotion"} and sources == {"staff", "survey", "form", "import"},
          "demo feedback of every kind and source", (kinds, sources))
    check(h.sql("SELECT COUNT(*) FROM survey_tokens WHERE used_at IS NOT NULL")[0][0] > 0,
          "a few survey answers came through links")
    check(h.count("opportunity_sources") > 0,
          "opportunities name their source touchpoints")
    c = h.json("feedback", "curve", "--division", "Motors", "--from", "2025-07-01", "--to", "2026-06-30")
    st = {s["stage"]: s for s in c["stages"]}
    others = [s["mean"] for s in c["stages"] if s["stage"] != "Quote" and s["mean"] is not None]
    check(st["Quote"]["mean"] is not None and others and st["Quote"]["mean"] < min(others),
          "the Motors curve dips at Quote, where customers wait", c["stages"])
    r = h.json("touchpoints", "--from", "2025-07-01", "--to", "2026-06-30")
    verdicts = {t["verdict"] for t in r["touchpoints"]}
    check("invest" in verdicts and "cut-or-fix" in verdicts, "the demo's ranking has both verdicts", verdicts)


def test_help():
    h = Hub()
    bad = [g for g in (["touchpoint"], ["touchpoint", "add"], ["touchpoint", "edit"], ["touchpoint", "list"],
                       ["touchpoints"], ["feedback"], ["feedback", "add"], ["feedback", "import"],
                       ["feedback", "curve"], ["feedback", "scores"], ["survey", "link"], ["contact", "edit"])
           if h.run(*g, "--help").returncode != 0]
    check(not bad, "--help on every new command", bad)


if __name__ == "__main__":
    run([test_help, test_touchpoints_add_edit_list_and_refusals, test_feedback_add_every_kind_and_refusals,
         test_feedback_import_with_the_erp_rules, test_touchpoint_ranking_and_curve_json,
         test_source_touchpoint_newsletter_and_kpi, test_workbook_round_trip_of_the_new_sheet_and_columns,
         test_survey_link_answered_without_login, test_demo_covers_feedback_and_touchpoints])
