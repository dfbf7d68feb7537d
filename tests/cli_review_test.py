"""The weekly review pack as a meeting reads it (docs/kpi.md): the HTML pack
printed to PDF by headless Chromium and read back with pdftotext, the .xlsx pack read with openpyxl
and printed to PDF by LibreOffice. Names beside the IDs, the SLA section bounded to the clocks open
at the week's end and the week's breaches, naira with thousands separators, no 1.54057e+07,
everything as of the week's end (the ERP's freshness), and a week that has not begun refused.
Run: cli_review_test.py PATH/TO/cxhub"""
import datetime
import html as htmllib
import os
import re
import shutil
import subprocess
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import Hub, check, run  # noqa: E402

WEEK = "2026-W43"  # Monday 19 .. Sunday 25 October 2026, inside the demo's data
WEEK_END = "2026-10-25T23:59:59"
_hub = None


def hub_today():
    """Today's date where the hub is (its default zone, Africa/Lagos): between 23:00 and
    midnight UTC it is already tomorrow there, and a Sunday's last hour is next week."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Africa/Lagos")).date()

def demo_hub():
    """One 2,000-account demo hub shared by the scenarios, with an ERP customers
    sync made today, long after the week."""
    global _hub
    if _hub:
        return _hub
    h = Hub()
    p = h.run("init")
    assert p.returncode == 0, p.stderr
    p = h.run("demo", "--accounts", "2000", "--seed", "1", "--as-of", "2026-11-29", "--quiet")
    assert p.returncode == 0, p.stderr
    export = os.path.join(h.dir, "customers.csv")
    with open(export, "w", encoding="utf-8") as f:
        f.write("ERP Customer ID,Customer Name,City,Last Modified\n"
                "E-REVIEW-1,Zenith Cold Rooms Ltd,Lagos,2026-11-20 10:00\n")
    p = h.run("erp-sync", "customers", export)
    assert p.returncode == 0, p.stderr
    _hub = h
    return h


def pdf_text(pdf, layout=False):
    p = subprocess.run(["pdftotext"] + (["-layout"] if layout else []) + [pdf, "-"], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def chromium_pdf(html_path):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed: the print check cannot run"
    pdf = html_path[:-5] + ".pdf"
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--print-to-pdf=" + pdf, "file://" + html_path],
                       capture_output=True, text=True, timeout=180)
    assert os.path.exists(pdf), ("chromium wrote no PDF", p.returncode, p.stderr[-2000:])
    return pdf


def flat(s):
    return re.sub(r"\s+", " ", s)


def sla_expected(h):
    """The clocks the SLA section must hold, from `sla --at` at the week's end: open (running) breached
    or at risk, plus those breached with their due time in the week and stopped by its end."""
    items = h.json("sla", "--at", WEEK_END)["items"]
    keep = [i for i in items if i["stopped"] is None
            or (i["state"] == "breached" and "2026-10-19T00:00:00" <= i["due"] <= WEEK_END)]
    return items, keep


def named_after(layout, record_id, name):
    """True when the printed line (pdftotext -layout) that holds `record_id` also holds the first
    word of `name`: the name is beside the ID in its row (the rest may wrap inside its cell)."""
    return any(record_id in ln and name.split()[0] in ln for ln in layout.splitlines())


def section(page, sid):
    m = re.search(r'<section id="%s">(.*?)</section>' % sid, page, re.S)
    assert m, f"no section {sid}"
    return m.group(1)


def names(h, table, col, ids):
    return {i: h.sql(f"SELECT {col} FROM {table} WHERE id = ?", (i,))[0][0] for i in ids}


def test_html_pack_printed_by_chromium_reads_well():
    h = demo_hub()
    out = os.path.join(h.dir, "review.html")
    p = h.run("review", "--week", WEEK, "--format", "html", "--out", out)
    check(p.returncode == 0, "review --format html writes the pack", p.stderr)
    page = open(out, encoding="utf-8").read()
    pdf = chromium_pdf(out)
    text = pdf_text(pdf)
    layout = pdf_text(pdf, layout=True)
    check(re.search(r"₦\d{1,3}(,\d{3})+", text) is not None, "amounts are printed in naira with thousands separators")
    check(not re.search(r"\de[+-]\d", text), "no number is printed as 1.54057e+07",
          re.findall(r".{20}\de[+-]\d.{5}", text)[:3])
    check(re.search(r"\d+\.\d %", text) is not None, "rates are printed as percentages")
    check(not re.search(r"\d+\.\d\d h\b", text), "hours are printed with one decimal",
          re.findall(r"\d+\.\d\d h\b", text)[:3])
    check(f"Weekly CX review {WEEK}" in layout.split("\f")[1], "every printed page carries the week in its header")
    check("file://" not in text, "no browser header or footer (file path) on the printed page")

    # SLA: the clocks open at the week's end and the week's breaches, not every breach since 2025.
    items, keep = sla_expected(h)
    sla = section(page, "sla")
    rows = re.findall(r'<td class="id">([^<]+)</td>', sla)
    check(sorted(rows) == sorted(i["id"] for i in keep), "the SLA section holds exactly the open clocks and the week's "
          "breaches", (len(rows), len(keep)))
    check(len(keep) < len(items), "…which is fewer than every breach known at the week's end",
          (len(keep), len(items)))
    # Names beside the IDs: each SLA row names its customer, in the HTML and on the printed page.
    opps = [i["id"] for i in keep if i["kind"] != "quality-flag"]
    customer = {o: h.sql("SELECT a.name FROM opportunities o JOIN accounts a ON a.id = o.account_id "
                         "WHERE o.id = ?", (o,))[0][0] for o in opps}
    missing = [o for o in opps if htmllib.escape(customer[o], quote=False) not in flat(
        re.search(r'<td class="id">%s</td>(.*?)</tr>' % o, sla, re.S).group(1))]
    check(opps and not missing, "every SLA row names the deal's customer beside its ID", missing[:3])
    printed = flat(text)
    check(all(named_after(layout, o, customer[o]) for o in opps), "the customers' names are beside the IDs on "
          "the printed page", [customer[o] for o in opps if not named_after(layout, o, customer[o])][:3])
    # Deals: the deal and the customer beside each opportunity ID.
    deals = section(page, "deals")
    deal_ids = re.findall(r'<td class="id">(O-[^<]+)</td>', deals)
    titles = names(h, "opportunities", "title", deal_ids)
    check(deal_ids and all(htmllib.escape(titles[d], quote=False) in deals for d in deal_ids),
          "won and lost deals are named", deal_ids)
    # Overdue next actions name the contact.
    na = section(page, "next-actions")
    contacts = re.findall(r'<div class="note nw">(C-[^<]+)</div>', na)
    full = names(h, "contacts", "full_name", contacts)
    check(contacts and all(flat(full[c]) in printed for c in contacts),
          "overdue next actions name their contacts on paper", contacts[:3])

    # As of the week's end: the ERP customers sync made today is not the W43 freshness.
    today = hub_today().isoformat()
    line = [ln for ln in layout.splitlines() if "Last ERP customers sync" in ln]
    check(line and today not in line[0] and "—" in line[0], "the ERP freshness is as of the week's end, not today",
          line)
    check(h.json("erp-sync", "history")["syncs"][0]["finished_at"].startswith(today),
          "…although the hub did sync the ERP today")
    # Nothing printed is dated after the week (a clock at risk may fall due up to 48 h after it).
    dates = sorted(set(re.findall(r"\b20\d\d-\d\d-\d\d\b", text)))
    check(dates and dates[-1] <= "2026-10-27", "no date after the week's end is printed on the W43 pack",
          dates[-3:])


def test_xlsx_pack_formats_and_names():
    h = demo_hub()
    out = os.path.join(h.dir, "review.xlsx")
    p = h.run("review", "--week", WEEK, "--format", "xlsx", "--out", out)
    check(p.returncode == 0, "review --format xlsx writes the pack", p.stderr)
    import openpyxl
    wb = openpyxl.load_workbook(out)
    deals = wb["Deals"]
    head = [c.value for c in deals[1]]
    check("Customer" in head and "Deal" in head, "the Deals sheet has names columns", head)
    amount = head.index("Amount") + 1
    cells = [deals.cell(row=r, column=amount) for r in range(2, deals.max_row + 1)
             if isinstance(deals.cell(row=r, column=amount).value, (int, float))]
    check(cells and all("₦" in c.number_format and "#,##0" in c.number_format for c in cells),
          "amounts carry the ₦ #,##0 number format", [c.number_format for c in cells[:2]])
    sc = wb["Scorecard"]
    head = [c.value for c in sc[3]]
    value, unit = head.index("Value") + 1, head.index("Unit") + 1
    rates = [sc.cell(row=r, column=value) for r in range(4, sc.max_row + 1)
             if sc.cell(row=r, column=unit).value == "ratio" and isinstance(sc.cell(row=r, column=value).value, float)]
    check(rates and all(c.number_format.endswith("%") for c in rates), "rates carry a percentage format",
          [c.number_format for c in rates[:2]])
    sla = wb["SLA"]
    head = [c.value for c in sla[1]]
    _, keep = sla_expected(h)
    rows = [r for r in sla.iter_rows(min_row=2, values_only=True) if r[head.index("Record")]]
    check(len(rows) == len(keep), "the SLA sheet holds the open clocks and the week's breaches only",
          (len(rows), len(keep)))
    check(all(r[head.index("Customer")] for r in rows), "every SLA row names its customer")
    check(sla.freeze_panes == "A2", "the SLA sheet's header row is frozen", sla.freeze_panes)
    # Printed by LibreOffice: naira, no scientific notation.
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: the print check cannot run"
    outdir = os.path.join(h.dir, "lo")
    os.makedirs(outdir, exist_ok=True)
    p = subprocess.run([soffice, "--headless", "-env:UserInstallation=file://" + os.path.join(h.dir, "lo-profile"),
                        "--convert-to", "pdf", "--outdir", outdir, out], capture_output=True, text=True, timeout=300)
    pdf = os.path.join(outdir, "review.pdf")
    check(os.path.exists(pdf), "LibreOffice prints the .xlsx pack", p.stderr[-500:])
    text = pdf_text(pdf)
    check(re.search(r"₦\d{1,3}(,\d{3})+", text) is not None, "the printed workbook shows naira with separators")
    check(not re.search(r"\dE\+\d|\de\+\d", text), "the printed workbook shows no scientific notation")
    check(f"Weekly CX review {WEEK}" in text, "the printed workbook's pages carry the week")


def test_a_week_that_has_not_begun_is_refused():
    h = demo_hub()
    today = hub_today()
    future = today + datetime.timedelta(days=14)
    y, w, _ = future.isocalendar()
    week = f"{y}-W{w:02d}"
    out = os.path.join(h.dir, "future.html")
    p = h.run("review", "--week", week, "--out", out)
    check(p.returncode == 2 and f"{week} has not begun" in p.stderr, "a week that has not begun is refused (exit 2)",
          (p.returncode, p.stderr))
    check(not os.path.exists(out), "…and nothing is written")
    y, w, _ = today.isocalendar()
    p = h.run("review", "--week", f"{y}-W{w:02d}", "--out", out)
    check(p.returncode == 0 and os.path.exists(out), "the week in progress is allowed", p.stderr)
    check("week in progress" in open(out, encoding="utf-8").read(), "…and says it is in progress")


if __name__ == "__main__":
    run([test_html_pack_printed_by_chromium_reads_well, test_xlsx_pack_formats_and_names,
         test_a_week_that_has_not_begun_is_refused])
