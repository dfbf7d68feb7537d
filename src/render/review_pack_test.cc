// Tests of the weekly review pack: builds it on hand-built data, writes HTML and .xlsx, reads them
// back.
#include <gtest/gtest.h>
#include <zip.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "kpi_test_util.h"
#include "render/review_format.h"
#include "render/review_html.h"
#include "render/review_xlsx.h"
#include "service/review_service.h"

namespace cx {
namespace {

using kpitest::Hub;

// Week 2026-W10: Monday 2 March .. Sunday 8 March 2026.
const char* kWeek = "2026-W10";

void Fill(Hub& h) {
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1", "ERP-1");
    h.Account(tx, "A-2");  // missing ERP Customer ID
    h.Contact(tx, "C-1", "A-1");
    h.UserRow(tx, "ada", "Ada Obi", "sales");
    h.UserRow(tx, "bola", "Bola Ade", "service");
    h.UserRow(tx, "meg", "Meg Manager", "manager");
    // Motors: qualified this week, quoted → inquiry_to_quote 1/1 = 100 %.
    h.Opp(tx, "O-1", "Motors", h.L(2026, 3, 2, 9), "ada");
    h.Stage(tx, "O-1", "Qualified", h.L(2026, 3, 2, 10));
    h.Stage(tx, "O-1", "Quote", h.L(2026, 3, 3, 10));
    // A new unrouted Power & Industrial lead, and a won and a lost deal.
    h.Opp(tx, "O-2", "Power & Industrial", h.L(2026, 3, 4, 9), "");
    h.Opp(tx, "O-3", "Medical", h.L(2026, 1, 4, 9), "ada", "won", h.L(2026, 3, 5, 12));
    h.Opp(tx, "O-4", "GRAS", h.L(2026, 1, 4, 9), "ada", "lost", h.L(2026, 3, 6, 12));
    // Interactions: ada logs 2 this week and 1 last week; bola logs nothing this week.
    h.Interact(tx, "I-1", h.L(2026, 3, 2, 11), "ada", "O-1", "", "C-1", "Motors");
    h.Interact(tx, "I-2", h.L(2026, 3, 3, 11), "ada", "", "", "C-1", "Motors");
    h.Interact(tx, "I-3", h.L(2026, 2, 24, 11), "ada", "", "", "C-1", "Motors");
    h.Interact(tx, "I-4", h.L(2026, 2, 25, 11), "bola", "", "", "C-1", "Motors");
    // An overdue next action of bola.
    Interaction na;
    na.id = "I-5";
    na.at = h.L(2026, 2, 20, 9);
    na.contact_id = "C-1";
    na.channel = "visit";
    na.logged_by = "bola";
    na.division = "Motors";
    na.next_action = "Send the service quote";
    na.next_action_due = h.L(2026, 3, 1, 9);
    na.created_at = na.at;
    EXPECT_TRUE(tx.InsertInteraction(na).ok());
    // An open quality flag (opened this week, 48 h clock breached by Sunday).
    h.CaseRow(tx, "K-1", "Medical", "quality-flag", h.L(2026, 3, 3, 9));
    // An ownership change this week.
    AuditEntry e;
    e.at = h.L(2026, 3, 5, 12);
    e.actor = "meg";
    e.action = "update";
    e.entity = "account";
    e.entity_id = "A-1";
    e.field = "owner";
    e.before = "Bola Ade";
    e.after = "Ada Obi";
    e.reason = "won O-3";
    EXPECT_TRUE(tx.AppendAudit(e).ok());
    return Status::Ok();
  });
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string ZipEntry(zip_t* z, const std::string& name) {
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) != 0) return "";
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return "";
  std::string out(size_t(st.size), '\0');
  zip_int64_t n = zip_fread(f, out.data(), st.size);
  zip_fclose(f);
  out.resize(n < 0 ? 0 : size_t(n));
  return out;
}

// The text of every cell of a sheet: shared strings resolved, numbers as written.
std::string SheetText(zip_t* z, const std::string& sheet_file) {
  std::string shared = ZipEntry(z, "xl/sharedStrings.xml");
  std::vector<std::string> strings;
  std::regex si("<si>.*?<t[^>]*>([^<]*)</t>.*?</si>");
  for (auto it = std::sregex_iterator(shared.begin(), shared.end(), si);
       it != std::sregex_iterator(); ++it) {
    strings.push_back((*it)[1]);
  }
  std::string xml = ZipEntry(z, sheet_file);
  std::string out;
  std::regex cell("<c ([^>]*)>(<f>[^<]*</f>)?<v>([^<]*)</v></c>");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), cell); it != std::sregex_iterator();
       ++it) {
    std::string v = (*it)[3];
    if (std::string((*it)[1]).find("t=\"s\"") != std::string::npos) {
      size_t i = std::stoul(v);
      out += (i < strings.size() ? strings[i] : "?") + "|";
    } else {
      out += v + "|";
    }
  }
  return out;
}

TEST(ReviewPack, HtmlAndXlsxHaveEverySectionWithTheFigures) {
  Hub h;
  Fill(h);
  h.ctx.now = [&] { return h.L(2026, 3, 10, 9); };  // the week is over
  ReviewQuery q;
  q.week = *ParseIsoWeek(kWeek);
  q.trend = 2;
  auto pack = BuildReview(h.ctx, q);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ(pack->week_name, kWeek);
  EXPECT_EQ(pack->interactions_this_week, 2);
  EXPECT_EQ(pack->interactions_last_week, 2);
  EXPECT_EQ(pack->silent_users, (std::vector<std::string>{"Bola Ade (bola)"}));
  EXPECT_EQ(pack->new_leads.size(), 2u);  // O-1 and O-2
  EXPECT_EQ(pack->unrouted, 1);
  ASSERT_EQ(pack->won.size(), 1u);
  EXPECT_EQ(pack->won[0].id, "O-3");
  ASSERT_EQ(pack->lost.size(), 1u);
  EXPECT_EQ(pack->lost[0].id, "O-4");
  ASSERT_EQ(pack->overdue.size(), 1u);
  EXPECT_EQ(pack->overdue[0].owner, "Bola Ade");  // people by full name
  ASSERT_EQ(pack->open_quality_flags.size(), 1u);
  EXPECT_EQ(pack->accounts_missing_erp, 1);
  EXPECT_EQ(pack->ownership_changes.size(), 1u);
  EXPECT_TRUE(pack->erp_available);  // read from this hub: no syncs yet, an empty queue
  bool k1_breached = false;
  for (const auto& i : pack->sla_items)
    k1_breached |= i.id == "K-1" && i.state == SlaState::kBreached;
  EXPECT_TRUE(k1_breached);
  EXPECT_EQ(pack->triggers.size(), 3u);
  EXPECT_FALSE(pack->triggers[2].tripped.has_value());  // steward hours not recorded

  std::string html_path = h.dir() + "/review.html";
  ASSERT_TRUE(WriteReviewHtml(*pack, h.ctx.zone, html_path).ok());
  std::string html = ReadFile(html_path);
  for (const char* id : {"scorecard", "sla", "quality-flags", "next-actions", "leads", "deals",
                         "adoption", "data-quality", "health"}) {
    EXPECT_NE(html.find(std::string("<section id=\"") + id + "\">"), std::string::npos) << id;
  }
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);  // self-contained
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_NE(html.find("Inquiry-to-Quote Rate"), std::string::npos);
  EXPECT_NE(html.find("100.0 %"), std::string::npos);  // Motors inquiry-to-quote this week
  // bola's overdue action fell due before the week: counted on paper, listed in the .xlsx.
  EXPECT_NE(html.find("1 next action(s) overdue at the week's end, 0 of them fell due this week"),
            std::string::npos);
  EXPECT_NE(html.find("O-2"), std::string::npos);
  EXPECT_NE(html.find("unrouted"), std::string::npos);
  EXPECT_NE(html.find("won O-3"), std::string::npos);
  EXPECT_NE(html.find("Bola Ade (bola)"), std::string::npos);
  EXPECT_NE(html.find("K-1"), std::string::npos);
  EXPECT_NE(html.find("breached"), std::string::npos);
  EXPECT_NE(html.find("Accounts missing an ERP Customer ID</td><td>1</td>"), std::string::npos);
  EXPECT_NE(html.find("Steward queue (proposed ERP links)</td><td>0</td>"), std::string::npos);
  EXPECT_NE(html.find("Database larger than 100 MB"), std::string::npos);

  std::string xlsx_path = h.dir() + "/review.xlsx";
  ASSERT_TRUE(WriteReviewXlsx(*pack, h.ctx.zone, xlsx_path).ok());
  int err = 0;
  zip_t* z = zip_open(xlsx_path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  std::string wb = ZipEntry(z, "xl/workbook.xml");
  const char* sheets[] = {"Scorecard", "Trend", "SLA",      "Quality flags", "Next actions",
                          "Leads",     "Deals", "Adoption", "Data quality",  "Health"};
  for (const char* s : sheets) {
    EXPECT_NE(wb.find(std::string("name=\"") + s + "\""), std::string::npos) << s;
  }
  // Native charts of the scorecard trend.
  EXPECT_NE(ZipEntry(z, "xl/charts/chart1.xml").find("<c:lineChart>"), std::string::npos);
  EXPECT_NE(ZipEntry(z, "xl/charts/chart1.xml").find("Trend!$C$1:$E$1"), std::string::npos);
  std::string score = SheetText(z, "xl/worksheets/sheet1.xml");
  EXPECT_NE(score.find("Motors|Inquiry-to-Quote Rate|1|0.6|above|✓|1|1|1|ratio|inquiry_to_quote|"),
            std::string::npos)
      << score;
  std::string sla = SheetText(z, "xl/worksheets/sheet3.xml");
  EXPECT_NE(sla.find("running at week's end|breached|quality-flag|K-1|Company A-1|Medical|"),
            std::string::npos)
      << sla;
  EXPECT_NE(SheetText(z, "xl/worksheets/sheet4.xml").find("K-1|Company A-1|A-1|Medical|"),
            std::string::npos);
  EXPECT_NE(
      SheetText(z, "xl/worksheets/sheet5.xml")
          .find("Bola Ade|2026-03-01 09:00|Send the service quote|Person C-1|Company A-1|C-1|I-5|"),
      std::string::npos);
  EXPECT_NE(
      SheetText(z, "xl/worksheets/sheet6.xml").find("O-2|Company A-1|Power &amp; Industrial|"),
      std::string::npos);
  std::string deals = SheetText(z, "xl/worksheets/sheet7.xml");
  EXPECT_NE(deals.find("O-3|won|Company A-1|Medical|"), std::string::npos) << deals;
  EXPECT_NE(deals.find("O-4|lost|Company A-1|GRAS|"), std::string::npos);
  EXPECT_NE(deals.find("A-1|Company A-1|Bola Ade|Ada Obi|"), std::string::npos);
  std::string adoption = SheetText(z, "xl/worksheets/sheet8.xml");
  EXPECT_NE(adoption.find("Ada Obi|Motors|2|1|1|"), std::string::npos) << adoption;
  EXPECT_NE(adoption.find("Bola Ade|Motors|0|1|-1|"), std::string::npos) << adoption;
  EXPECT_NE(adoption.find("Bola Ade (bola)"), std::string::npos);
  std::string dq = SheetText(z, "xl/worksheets/sheet9.xml");
  EXPECT_NE(dq.find("Accounts missing an ERP Customer ID|1|"), std::string::npos) << dq;
  EXPECT_NE(dq.find("Steward queue (proposed ERP links)|0|"), std::string::npos) << dq;
  EXPECT_NE(SheetText(z, "xl/worksheets/sheet10.xml").find("Database size (bytes)|"),
            std::string::npos);
  zip_close(z);
}

TEST(ReviewPack, FiguresAreWrittenForPeopleNamesBesideIds) {
  EXPECT_EQ(FormatNaira(15405700), "₦15,405,700");
  EXPECT_EQ(FormatNaira(999.6), "₦1,000");
  EXPECT_EQ(FormatNaira(-1200.4), "-₦1,200");
  EXPECT_EQ(FormatGrouped(1474), "1,474");
  EXPECT_EQ(FormatGrouped(-1234567), "-1,234,567");
  EXPECT_EQ(FormatKpiValue(1.7104, "hours"), "1.7 h");  // hours with one decimal
  EXPECT_EQ(FormatKpiValue(0.254, "ratio"), "25.4 %");

  Hub h;
  Fill(h);
  h.Write([&](Tx& tx) {
    // Medical orders: a mean of ₦15,405,700 this week against ₦18,872,200 a year earlier.
    h.OrderRow(tx, "ORD-1", "ERP-1", "Medical", h.L(2026, 3, 3, 10), 15000000);
    h.OrderRow(tx, "ORD-2", "ERP-1", "Medical", h.L(2026, 3, 4, 10), 15811400);
    h.OrderRow(tx, "ORD-3", "ERP-1", "Medical", h.L(2025, 3, 4, 10), 18872200);
    Opportunity o;
    o.id = "O-9";
    o.account_id = "A-1";
    o.division = "Motors";
    o.owner = "ada";
    o.title = "Fleet of twelve pickups";
    o.amount = 15405700;
    o.created = h.L(2026, 2, 2, 9);
    o.outcome = "won";
    o.closed = h.L(2026, 3, 6, 15);
    return tx.InsertOpportunity(o);
  });
  h.ctx.now = [&] { return h.L(2026, 3, 10, 9); };
  ReviewQuery q;
  q.week = *ParseIsoWeek(kWeek);
  q.trend = 1;
  auto pack = BuildReview(h.ctx, q);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  std::string html = RenderReviewHtml(*pack, h.ctx.zone);
  EXPECT_EQ(html.find("e+0"), std::string::npos);
  EXPECT_NE(html.find("₦15,405,700 / ₦18,872,200"), std::string::npos);  // the KPI's means
  EXPECT_NE(html.find("-18.4 %"), std::string::npos);
  // The won deal: its title and customer beside its ID, the amount in naira.
  EXPECT_NE(html.find("O-9</td><td>Fleet of twelve pickups</td><td>Company A-1</td>"),
            std::string::npos);
  EXPECT_NE(html.find("₦15,405,700</td>"), std::string::npos);
  // The ownership change names the account; the SLA row of K-1 names its customer.
  EXPECT_NE(html.find("A-1</td><td>Company A-1</td>"), std::string::npos);
  EXPECT_NE(html.find("K-1</td><td>—</td><td>Company A-1</td>"), std::string::npos);
  // Print: A4 with the week in every page's header.
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  EXPECT_NE(html.find("@top-left { content: \"Weekly CX review 2026-W10"), std::string::npos);

  std::string xlsx_path = h.dir() + "/review.xlsx";
  ASSERT_TRUE(WriteReviewXlsx(*pack, h.ctx.zone, xlsx_path).ok());
  int err = 0;
  zip_t* z = zip_open(xlsx_path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  std::string styles = ZipEntry(z, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"&quot;₦&quot;#,##0"), std::string::npos) << styles;
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos);
  std::string deals = SheetText(z, "xl/worksheets/sheet7.xml");
  EXPECT_NE(deals.find("O-9|won|Fleet of twelve pickups|Company A-1|Motors|ada|15405700|"),
            std::string::npos)
      << deals;
  // The amount cell carries the naira format: its style is the one whose format is "₦"#,##0.
  std::string sheet7 = ZipEntry(z, "xl/worksheets/sheet7.xml");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(sheet7, m, std::regex("<c r=\"G\\d+\" s=\"(\\d+)\"><v>15405700<")));
  std::smatch f;
  ASSERT_TRUE(
      std::regex_search(styles, f, std::regex("<numFmt numFmtId=\"(\\d+)\" formatCode=\"&quot;₦")));
  std::string xfs = styles.substr(styles.find("<cellXfs"));
  std::vector<std::string> xf;
  std::regex xr("<xf [^>]*numFmtId=\"(\\d+)\"");
  for (auto it = std::sregex_iterator(xfs.begin(), xfs.end(), xr); it != std::sregex_iterator();
       ++it)
    xf.push_back((*it)[1]);
  size_t s = std::stoul(m[1]);
  ASSERT_LT(s, xf.size());
  EXPECT_EQ(xf[s], f[1]);
  std::string score = SheetText(z, "xl/worksheets/sheet1.xml");
  EXPECT_NE(score.find("Medical|Average Order Volume|"), std::string::npos) << score;
  zip_close(z);
}

TEST(ReviewPack, ErpStatusIsShownWhenWired) {
  Hub h;
  Fill(h);
  ReviewQuery q;
  q.week = *ParseIsoWeek(kWeek);
  q.trend = 0;
  q.erp = [&](const Context&, Timestamp) -> Result<ErpStatus> {
    ErpStatus s;
    s.steward_queue = 7;
    s.customers_synced = h.L(2026, 3, 8, 6);
    return s;
  };
  auto pack = BuildReview(h.ctx, q);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  std::string html = RenderReviewHtml(*pack, h.ctx.zone);
  EXPECT_NE(html.find("Steward queue (proposed ERP links)</td><td>7</td>"), std::string::npos);
  EXPECT_NE(html.find("2026-03-08</span> <span class=\"nw\">06:00"), std::string::npos);
}

TEST(ReviewPack, RefusesAPeriodThatIsNotAWeek) {
  Hub h;
  ReviewQuery q;
  q.week = Period{{2026, 3, 3}, {2026, 3, 9}};
  EXPECT_EQ(BuildReview(h.ctx, q).status().code(), Code::kInvalid);
}

TEST(ReviewPack, StewardHoursTripTheTrigger) {
  Hub h;
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "sam", "Sam Sales", "sales");
    h.UserRow(tx, "stella", "Stella Steward", "steward");
    return Status::Ok();
  });
  h.ctx.actor = "sam";
  EXPECT_EQ(RecordStewardHours(h.ctx, kWeek, 3).code(), Code::kForbidden);
  h.ctx.actor = "stella";
  EXPECT_EQ(RecordStewardHours(h.ctx, kWeek, -1).code(), Code::kInvalid);
  ASSERT_TRUE(RecordStewardHours(h.ctx, kWeek, 2.5).ok());
  ReviewQuery q;
  q.week = *ParseIsoWeek(kWeek);
  q.trend = 0;
  auto pack = BuildReview(h.ctx, q);
  ASSERT_TRUE(pack.ok());
  ASSERT_TRUE(pack->steward_hours.has_value());
  EXPECT_DOUBLE_EQ(*pack->steward_hours, 2.5);
  EXPECT_EQ(pack->triggers[2].tripped, std::optional<bool>(true));
  EXPECT_EQ(pack->tripped, 1);
}

}  // namespace
}  // namespace cx
