"""The same hub on both backends gives the same answers (docs/postgresql.md, "Tests"): the demo
year (same seed, same day) is written to a new SQLite hub and to a new database on a throwaway
PostgreSQL server (tests/pg_server.py), and every read command below — listings with their
ordering ties, search with its scores, KPIs and SLA clocks with their rounding, feedback
curves, the CEM steps, the audit log, the weekly pack and the whole workbook export, cell by
cell — must answer byte for byte alike (times of the run, and the pack's measurements of the
run, left out). Then the same edits on
both (a merge, its undo, an edit with a reason, a note with non-ASCII text, an ERP sync) and
the answers compared again.
usage: cli_pg_same_test.py PATH/TO/cxhub (Debian's python3, for openpyxl)"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import check, run  # noqa: E402
from cli_pg_test import TIME, UrlHub, same_text  # noqa: E402
from pg_server import PgServer  # noqa: E402

import openpyxl  # noqa: E402

AS_OF = "2026-10-31"
READS = [
    ("account", "list", "--json", "--limit", "100000"),
    ("account", "list"),
    ("account", "list", "--owner", "Tunde Salako", "--json"),
    ("account", "show", "A-000001", "--json"),
    ("account", "show", "A-000007"),
    ("contact", "list", "--json"),
    ("interaction", "list", "--json", "--limit", "5000"),
    ("search", "okafor", "--json", "--limit", "100"),
    ("search", "ade", "--limit", "50"),
    ("search", "medcal suplies", "--json"),
    ("duplicates", "--json"),
    ("kpi", "--from", "2026-07-01", "--to", "2026-09-30", "--json"),
    ("kpi", "--from", "2026-07-01", "--to", "2026-09-30"),
    ("kpi", "--from", "2025-11-01", "--to", AS_OF, "--json"),
    ("kpi", "--from", "2026-10-01", "--to", AS_OF, "--division", "Motors", "--json"),
    ("sla", "--all", "--at", "2026-10-20 12:00", "--json"),
    ("sla", "--open", "--at", "2026-10-20 12:00"),
    ("feedback", "scores", "--by", "stage", "--division", "Motors"),
    ("feedback", "scores", "--by", "touchpoint", "--json"),
    ("feedback", "scores", "--by", "division", "--json"),
    ("feedback", "curve", "--division", "Motors", "--from", "2025-11-01", "--to", AS_OF, "--json"),
    ("touchpoint", "list", "--json"),
    ("cem", "show", "--json"),
    ("strategy", "show", "--json"),
    ("user", "list", "--json"),
    ("golive", "plan", "--json"),
    ("audit", "--json", "--limit", "300"),
    ("audit", "--limit", "100"),
]


def compare(sq, pg, steps, what):
    """Runs each step on both hubs and checks the answers are alike; returns SQLite's."""
    answers = []
    for step in steps:
        a, b = sq.run(*step), pg.run(*step)
        want, got = same_text(a, sq.url), same_text(b, pg.url)
        check(want == got and a.returncode == 0, f"{what}: `{' '.join(step)}` answers alike",
              f"sqlite={want!r}"[:700] + f" postgresql={got!r}"[:700])
        answers.append(a.stdout)
    return answers


def cells(path):
    """Every sheet's cells as text, times of the run normalised as same_text does."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {ws.title: [tuple(None if v is None else TIME.sub("<time>", str(v)) for v in row)
                      for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return out


def files_alike(sq, pg, args, name, what):
    outs = []
    for h in (sq, pg):
        out = os.path.join(h.dir, name)
        p = h.run(*args, out)
        assert p.returncode == 0, (args, p.stderr)
        outs.append(out)
    if name.endswith(".xlsx"):
        a, b = cells(outs[0]), cells(outs[1])
        diff = [(s, i) for s in a for i, (x, y) in enumerate(zip(a[s], b.get(s, []))) if x != y]
        check(a.keys() == b.keys() and all(len(a[s]) == len(b[s]) for s in a) and not diff,
              what, [(s, i, a[s][i], b[s][i]) for s, i in diff[:3]])
    else:
        # The pack's health section measures this run (the database's size, how long each
        # query took): it differs from run to run, and the size between backends by design.
        text = [re.sub(r'<section id="health">.*?</section>', "",
                       TIME.sub("<time>", open(o, encoding="utf-8").read()), flags=re.S) for o in outs]
        check(text[0] == text[1], what)


def test_the_demo_hub_answers_alike():
    with PgServer() as server:
        sq = UrlHub(None)
        sq.url = "sqlite:" + sq.db
        pg = UrlHub(server.createdb("same"))
        for h in (sq, pg):
            p = h.run("demo", "--accounts", "300", "--seed", "5", "--as-of", AS_OF, "--quiet")
            assert p.returncode == 0, p.stderr
        compare(sq, pg, READS, "the demo hub")
        files_alike(sq, pg, ["export-workbook"], "hub.xlsx", "the workbook export is alike, cell by cell")
        files_alike(sq, pg, ["review", "--week", "2026-W43", "--format", "html", "--out"], "pack.html",
                    "the weekly pack (HTML) is alike")
        dup = sq.json("duplicates")["accounts"][0]["ids"]
        csv = "ERP Customer ID,Customer Name,City,Phone,Last Modified\n" \
              "E900,Ọlá Foods & Sons Ltd,Ìbàdàn,+234 803 555 0101,2026-10-30 10:00\n"
        edits = [("merge", "accounts", dup[0], dup[1], "--reason", "same company", "--json"),
                 ("account", "edit", "A-000002", "--city", "Ọ̀yọ́", "--reason", "moved", "--json"),
                 ("interaction", "add", "--contact", "C-000001", "--channel", "phone", "--notes",
                  "Ṣé àlàáfíà ni? ₦1,200,000 — ok", "--date", "2026-10-30 09:15", "--json")]
        for h in (sq, pg):
            with open(os.path.join(h.dir, "customers.csv"), "w", encoding="utf-8") as f:
                f.write(csv)
        merged = compare(sq, pg, edits + [("erp-sync", "customers", "customers.csv", "--json")], "an edit")[0]
        mid = json.loads(merged)["id"]
        compare(sq, pg, [("merge", "undo", mid, "--reason", "two branches", "--json")], "an undo")
        compare(sq, pg, READS[:12] + [("account", "show", dup[0], "--json"), ("search", "ola foods", "--json"),
                                      ("audit", "--json", "--limit", "20")], "after the edits")


if __name__ == "__main__":
    run([test_the_demo_hub_answers_alike])
