#!/usr/bin/env python3
"""Command-line scenarios of the export (docs/workbook.md): text longer than a spreadsheet cell holds
(32,767 UTF-16 code units) is refused on every input path and cut, with a warning, on export;
and the exported workbook reads well, checked with openpyxl and on a real LibreOffice render.
usage: cli_export_test.py PATH/TO/cxhub"""
import glob
import os
import re
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clihub import Hub, check, run  # noqa: E402

import openpyxl  # noqa: E402  (Debian's python3-openpyxl: ctest runs this file with /usr/bin/python3)
from openpyxl.utils import get_column_letter  # noqa: E402

LIMIT = 32767
EMOJI = "\U0001F600"  # one character, two UTF-16 code units (as Excel counts it)


def save_with_long_cells(wb, path, texts):
    """Saves `wb`, then puts each placeholder's long text into the file's XML: openpyxl itself cuts
    text at 32,767 characters, as Excel would, but a file from elsewhere may hold more."""
    wb.save(path)
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith(".xml"):
                for placeholder, text in texts.items():
                    data = data.replace(placeholder.encode(), text.encode())
            dst.writestr(item, data)
    os.replace(tmp, path)


def small_hub():
    """A hub with one of everything the export writes, through the real commands."""
    h = Hub()
    h.run("init")
    a = h.json("account", "add", "--name", "Okonkwo Engineering Services Nigeria Limited", "--division", "Motors",
               "--city", "Port Harcourt", "--field", "Preferred Contact Window=mornings")
    c = h.json("contact", "add", "--name", "Chiamaka Okonkwo-Adeyemi", "--account", a["id"], "--title",
               "Head of Procurement")
    long_note = ("Visited the plant with the service engineer. " * 14).strip() + "\nSecond line: quote by Friday."
    h.json("interaction", "add", "--contact", c["id"], "--channel", "visit", "--notes", long_note,
           "--date", "03/04/2026 14:05", "--next-action", "Send the revised quote", "--due", "10/04/2026 09:00")
    h.json("interaction", "add", "--contact", c["id"], "--channel", "phone", "--notes", "=SUM(A1:A9)",
           "--date", "31/12/2025 23:45")
    o = h.json("opportunity", "add", "--account", a["id"], "--division", "Motors", "--amount", "154057000",
               "--title", "Fleet of twelve pick-up trucks", "--date", "05/04/2026 10:00")
    return h, a, c, o, long_note


def test_too_long_text_is_refused_on_every_path():
    h = Hub()
    h.run("init")
    a = h.json("account", "add", "--name", "Adebayo Farms", "--division", "GRAS")
    c = h.json("contact", "add", "--name", "Tolu Adebayo", "--account", a["id"])
    before = h.count("interactions"), h.count("audit")

    p = h.run("interaction", "add", "--contact", c["id"], "--channel", "phone", "--notes", "x" * 100000)
    check(p.returncode == 2 and "notes" in p.stderr and "100,000" in p.stderr and "32,767" in p.stderr,
          "interaction add refuses a 100,000-character note naming the field and the limit",
          f"rc={p.returncode} {p.stderr[:300]}")
    check((h.count("interactions"), h.count("audit")) == before, "the refused note wrote nothing")

    # Excel counts UTF-16 code units: 16,384 emoji are 32,768 of them (but only 16,384 characters).
    p = h.run("interaction", "add", "--contact", c["id"], "--channel", "phone", "--notes", EMOJI * 16384)
    check(p.returncode == 2 and "32,768" in p.stderr, "an emoji counts two, as in Excel (32,768 refused)",
          f"rc={p.returncode} {p.stderr[:300]}")
    p = h.run("interaction", "add", "--contact", c["id"], "--channel", "phone", "--notes", EMOJI * 16383 + "a")
    check(p.returncode == 0, "exactly 32,767 code units are accepted", p.stderr[:300])
    p = h.run("interaction", "add", "--contact", c["id"], "--channel", "phone", "--notes", "y" * LIMIT)
    check(p.returncode == 0, "a note of 32,767 characters is accepted", p.stderr[:300])

    p = h.run("account", "add", "--name", "Z" * 40000)
    check(p.returncode == 2 and "name" in p.stderr and "40,000" in p.stderr, "account add refuses a long name",
          p.stderr[:300])
    p = h.run("account", "edit", a["id"], "--field", "Remarks=" + "r" * 33000, "--reason", "notes")
    check(p.returncode == 2 and "Remarks" in p.stderr and "33,000" in p.stderr,
          "a custom field over the limit is refused naming it", p.stderr[:300])
    p = h.run("contact", "add", "--name", "Kemi", "--account", a["id"], "--title", "t" * 32768)
    check(p.returncode == 2 and "job title" in p.stderr, "contact add refuses a long job title", p.stderr[:300])
    o = h.json("opportunity", "add", "--account", a["id"], "--division", "GRAS")
    p = h.run("opportunity", "lose", o["id"], "--reason", "w" * 50000)
    check(p.returncode == 2 and "reason" in p.stderr and "50,000" in p.stderr,
          "opportunity lose refuses a long reason", p.stderr[:300])
    check(h.json("opportunity", "show", o["id"])["outcome"] == "open", "the opportunity stays open")

    # Workbook import: every over-long cell is an error naming sheet, row and column; nothing is written.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["Account ID", "Company Name", "Industry", "Loyalty Note"])
    ws.append(["A-000900", "Fine Co", "Retail", "ok"])
    ws.append(["A-000901", "Long Co", "LONG-INDUSTRY", "LONG-CUSTOM"])
    ws2 = wb.create_sheet("Contacts")
    ws2.append(["Contact ID", "Full Name", "Job Title", "Associated Account ID"])
    ws2.append(["C-000900", "Bisi Long", "Buyer", "A-000900"])
    ws3 = wb.create_sheet("Interactions")
    ws3.append(["Interaction ID", "Date", "Contact ID", "Channel", "Notes"])
    ws3.append(["I-000900", "03/04/2026", "C-000900", "phone", "LONG-NOTE"])
    path = os.path.join(h.dir, "long.xlsx")
    save_with_long_cells(wb, path, {"LONG-INDUSTRY": "i" * 32768, "LONG-CUSTOM": "n" * 40000,
                                    "LONG-NOTE": "n" * 100000})
    counts = h.count("accounts"), h.count("contacts"), h.count("interactions")
    p = h.run("import-workbook", path)
    check(p.returncode == 2 and "Sheet 'Interactions', row 2, column 'Notes'" in p.stderr and "100,000" in p.stderr,
          "import names sheet, row and column of a 100,000-character note", p.stderr[:600])
    check("Sheet 'Accounts', row 3, column 'Industry'" in p.stderr, "import names a long known column", p.stderr[:600])
    check("Sheet 'Accounts', row 3, column 'Loyalty Note'" in p.stderr, "import names a long custom column",
          p.stderr[:600])
    check((h.count("accounts"), h.count("contacts"), h.count("interactions")) == counts,
          "the refused workbook wrote nothing")

    # ERP sync: the row is rejected naming its line and column.
    csv = os.path.join(h.dir, "customers.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("ERP Customer ID,Customer Name,City,Address,Last Modified\n"
                "E1,Zenith Ltd,Lagos," + "a" * 40000 + ",2026-03-04 10:00\n"
                "E2,Other Ltd,Abuja,Road 1,2026-03-04 10:00\n")
    accounts = h.count("accounts")
    p = h.run("erp-sync", "customers", csv)
    check(p.returncode == 2 and "line 2" in p.stderr and "column 'Address'" in p.stderr and "40,000" in p.stderr,
          "erp-sync rejects the row naming line and column", p.stderr[:600])
    check(h.count("accounts") == accounts, "the rejected sync wrote nothing")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("ERP Customer ID,Customer Name,City,Remarks,Last Modified\n"
                "E3,Kano Mills Ltd,Kano," + "r" * 40000 + ",2026-03-04 10:00\n")
    p = h.run("erp-sync", "customers", csv)
    check(p.returncode == 0 and h.count("accounts") == accounts + 1,
          "a long column the mapping does not name is ignored, not refused", p.stderr[:300])


def test_text_already_too_long_is_cut_on_export():
    h, a, c, o, _ = small_hub()
    # A hub written before the limit held: put the over-long values straight into the database.
    iid = h.sql("SELECT id FROM interactions ORDER BY id LIMIT 1")[0][0]
    h.sql("UPDATE interactions SET notes = ? WHERE id = ?", ("N" * 99999 + EMOJI, iid))
    h.sql("UPDATE accounts SET city = ? WHERE id = ?", ("C" * 40000, a["id"]))
    out = os.path.join(h.dir, "cut.xlsx")
    p = h.run("export-workbook", out)
    check(p.returncode == 0 and os.path.exists(out), "the export succeeds despite the over-long texts",
          f"rc={p.returncode} {p.stderr[:300]}")
    check(iid in p.stderr and "'Notes'" in p.stderr and "warning" in p.stderr,
          "a warning on stderr names the interaction and the column", p.stderr[:600])
    check(a["id"] in p.stderr and "'City'" in p.stderr, "a warning names the account and the column", p.stderr[:600])
    if not os.path.exists(out):
        return
    wb = openpyxl.load_workbook(out)
    notes = {r[0].value: r[4].value for r in wb["Interactions"].iter_rows(min_row=2)}
    check(len(notes) == 2 and notes[iid] == "N" * LIMIT, "the note is written cut to 32,767 characters",
          len(notes.get(iid) or ""))
    city = wb["Accounts"].cell(2, 1 + [x.value for x in wb["Accounts"][1]].index("City")).value
    check(city == "C" * LIMIT, "the city is written cut to 32,767 characters", len(city or ""))
    check(wb["Opportunities"].max_row == 2 and wb["Contacts"].max_row == 2, "every other record is exported")


def check_openpyxl(path, a, long_note):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        headers = [c.value for c in ws[1]]
        last = get_column_letter(len(headers))
        check(ws.freeze_panes == "A2", f"{ws.title}: the header row is frozen", ws.freeze_panes)
        check(ws.auto_filter.ref == f"A1:{last}{max(ws.max_row, 1)}", f"{ws.title}: a filter covers the data",
              (ws.auto_filter.ref, ws.max_row))
        check(all(c.font.b for c in ws[1] if c.value), f"{ws.title}: the header is bold")
        narrow = [(h, ws.column_dimensions[get_column_letter(i + 1)].width) for i, h in enumerate(headers)
                  if get_column_letter(i + 1) not in ws.column_dimensions
                  or ws.column_dimensions[get_column_letter(i + 1)].width < len(h) + 2]
        check(not narrow, f"{ws.title}: every column is wider than its header", narrow)
        widths = [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(len(headers))]
        check(max(widths) <= 61, f"{ws.title}: no column is wider than 60", widths)
    acc = wb["Accounts"]
    hdr = [c.value for c in acc[1]]
    name_col = get_column_letter(hdr.index("Company Name") + 1)
    check(acc.column_dimensions[name_col].width >= len("Okonkwo Engineering Services Nigeria Limited"),
          "the Company Name column fits the longest name", acc.column_dimensions[name_col].width)
    ints = wb["Interactions"]
    hdr = [c.value for c in ints[1]]
    date_cells = [r[hdr.index("Date")] for r in ints.iter_rows(min_row=2)]
    check(date_cells and all(d.is_date and d.number_format == "dd/mm/yyyy hh:mm" for d in date_cells),
          "interaction dates are date cells shown dd/mm/yyyy hh:mm", [(d.value, d.number_format) for d in date_cells])
    due = [r[hdr.index("Next Action Due")] for r in ints.iter_rows(min_row=2) if r[hdr.index("Next Action Due")].value]
    check(due and due[0].number_format == "dd/mm/yyyy hh:mm", "next-action due dates are day-first",
          [d.number_format for d in due])
    notes = [r[hdr.index("Notes")] for r in ints.iter_rows(min_row=2)]
    check(all(n.alignment.wrap_text for n in notes), "notes wrap")
    notes_col = ints.column_dimensions[get_column_letter(hdr.index("Notes") + 1)].width
    check(40 <= notes_col <= 61, "the Notes column has a reading width", notes_col)
    check(any(n.value == long_note for n in notes), "the long note is whole, line break kept")
    formula = [n for n in notes if n.value == "=SUM(A1:A9)"]
    check(formula and formula[0].data_type == "s", "a note that looks like a formula stays text",
          [(n.value, n.data_type) for n in formula])
    opp = wb["Opportunities"]
    hdr = [c.value for c in opp[1]]
    created = opp.cell(2, hdr.index("Created") + 1)
    check(created.is_date and created.number_format.startswith("dd/mm/yyyy"), "opportunity dates are day-first",
          created.number_format)


def check_libreoffice(path, headers):
    for tool in ("soffice", "pdftotext", "pdftoppm"):
        check(shutil.which(tool), f"{tool} is installed (needed for the render check)")
        if not shutil.which(tool):
            return
    d = os.path.dirname(path)
    profile = "file://" + os.path.join(d, "lo-profile")
    p = subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf",
                        "--outdir", os.path.join(d, "pdf"), path], capture_output=True, text=True, timeout=240)
    pdf = os.path.join(d, "pdf", os.path.splitext(os.path.basename(path))[0] + ".pdf")
    check(p.returncode == 0 and os.path.exists(pdf), "LibreOffice renders the export to PDF", p.stderr[-300:])
    if not os.path.exists(pdf):
        return
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    check("###" not in text, "no cell shows ### in LibreOffice", [ln for ln in text.splitlines() if "###" in ln][:5])
    cut = [h for h in headers if not re.search(r"(?<!\S)" + re.escape(h) + r"(?!\S)", text)]
    check(not cut, "every header appears whole in the render", cut)
    check("03/04/2026 14:05" in text and "31/12/2025 23:45" in text, "dates show day-first with their time",
          re.findall(r"\d\d[/-]\d\d[/-]\d{2,4}[^A-Za-z]{0,6}", text)[:6])
    check("=SUM(A1:A9)" in text, "the formula-like note shows as text")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", pdf, os.path.join(d, "page")], check=False)
    pngs = sorted(glob.glob(os.path.join(d, "page*.png")))
    check(pngs and all(os.path.getsize(x) > 1000 for x in pngs), "the pages render to PNG", pngs)
    print("     rendered:", pdf, *pngs)


def test_export_reads_well():
    h, a, c, o, long_note = small_hub()
    out = os.path.join(h.dir, "hub.xlsx")
    p = h.run("export-workbook", out)
    check(p.returncode == 0 and not p.stderr, "export-workbook exits 0 without warnings", p.stderr[:300])
    check_openpyxl(out, a, long_note)
    wb = openpyxl.load_workbook(out, read_only=True)
    headers = sorted({c.value for ws in wb.worksheets for c in next(ws.iter_rows(max_row=1)) if c.value})
    check_libreoffice(out, headers)


if __name__ == "__main__":
    run([test_too_long_text_is_refused_on_every_path, test_text_already_too_long_is_cut_on_export,
         test_export_reads_well])
