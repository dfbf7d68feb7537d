// Tests of the one limit on stored text: counted as Excel counts, cut at a character, and
// refused by the validation of every record with the field named.
#include "domain/cell_text.h"

#include <gtest/gtest.h>

#include "domain/account.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/order.h"
#include "domain/user.h"

namespace cx {
namespace {

const std::string kEmoji = "\xF0\x9F\x98\x80";  // U+1F600: 4 bytes, 2 UTF-16 code units
const std::string kNaira = "\xE2\x82\xA6";      // U+20A6: 3 bytes, 1 code unit

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

bool HasDetail(const Status& st, const std::string& part) {
  for (const auto& d : st.details()) {
    if (d.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(CellTextTest, CountsUtf16CodeUnitsAsExcelDoes) {
  EXPECT_EQ(CellLength(""), 0u);
  EXPECT_EQ(CellLength("abc"), 3u);
  EXPECT_EQ(CellLength("Ad\xC3\xA9"), 3u);  // é: two bytes, one unit
  EXPECT_EQ(CellLength(kNaira), 1u);
  EXPECT_EQ(CellLength(kEmoji), 2u);
  EXPECT_EQ(CellLength(Repeat(kEmoji, 16384)), 32768u);
}

TEST(CellTextTest, FitsUpToTheLimitAndNoFurther) {
  EXPECT_TRUE(FitsInCell(std::string(kMaxCellChars, 'x')));
  EXPECT_FALSE(FitsInCell(std::string(kMaxCellChars + 1, 'x')));
  // 32,767 characters of three bytes each: 98,301 bytes, still one cell.
  EXPECT_TRUE(FitsInCell(Repeat(kNaira, kMaxCellChars)));
  EXPECT_FALSE(FitsInCell(Repeat(kEmoji, 16384)));  // 16,384 characters, 32,768 units
  EXPECT_TRUE(FitsInCell(Repeat(kEmoji, 16383) + "a"));
}

TEST(CellTextTest, ProblemNamesTheLengthAndTheLimit) {
  EXPECT_EQ(CellLengthProblem("short"), "");
  EXPECT_EQ(CellLengthProblem(std::string(100000, 'x')),
            "is 100,000 characters long; a spreadsheet cell holds at most 32,767");
}

TEST(CellTextTest, CutsAtACharacterNeverInsideOne) {
  const std::string fits = std::string(10, 'a');
  EXPECT_EQ(CutToCell(fits), fits);
  EXPECT_EQ(CutToCell(std::string(100000, 'x')).size(), kMaxCellChars);
  // 32,766 ASCII then an emoji: the emoji's second unit would be the 32,768th, so it goes whole.
  std::string s = std::string(kMaxCellChars - 1, 'a') + kEmoji + "tail";
  EXPECT_EQ(CutToCell(s), std::string(kMaxCellChars - 1, 'a'));
  // Three-byte characters: cut after the 32,767th, at a character boundary.
  std::string naira = Repeat(kNaira, 40000);
  std::string_view cut = CutToCell(naira);
  EXPECT_EQ(cut.size(), kMaxCellChars * 3);
  EXPECT_EQ(CellLength(cut), kMaxCellChars);
}

TEST(CellTextTest, EveryRecordRefusesATextTooLongNamingTheField) {
  const std::string too_long(kMaxCellChars + 1, 'x');
  Interaction i;
  i.contact_id = "C-000001";
  i.at = 1775206800;
  i.notes = std::string(100000, 'n');
  Status st = ValidateInteraction(&i);
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(HasDetail(st, "notes: is 100,000 characters long")) << st.ToString();
  i.notes = std::string(kMaxCellChars, 'n');
  EXPECT_TRUE(ValidateInteraction(&i).ok());
  i.custom["Visit Report"] = too_long;
  st = ValidateInteraction(&i);
  EXPECT_TRUE(HasDetail(st, "custom field 'Visit Report': is 32,768 characters long"))
      << st.ToString();

  Account a;
  a.name = "Okafor Foods";
  a.address = too_long;
  st = ValidateAccount(&a);
  EXPECT_TRUE(HasDetail(st, "address: is 32,768")) << st.ToString();

  Contact c;
  c.full_name = too_long;
  EXPECT_TRUE(HasDetail(ValidateContact(&c), "full name: is 32,768"));

  Opportunity o;
  o.account_id = "A-000001";
  o.division = "Motors";
  o.title = too_long;
  EXPECT_TRUE(HasDetail(ValidateOpportunity(&o), "title: is 32,768"));

  Case k;
  k.account_id = "A-000001";
  k.division = "Motors";
  k.kind = "complaint";
  k.opened = 1775206800;
  k.summary = too_long;
  EXPECT_TRUE(HasDetail(ValidateCase(&k), "summary: is 32,768"));

  Feedback f;
  f.kind = "nps";
  f.score = 9;
  f.date = 1775206800;
  f.comment = too_long;
  EXPECT_TRUE(HasDetail(ValidateFeedback(&f), "comment: is 32,768"));

  Order ord;
  ord.id = "SO1";
  ord.erp_customer_id = too_long;
  ord.division = "Motors";
  EXPECT_TRUE(HasDetail(ValidateOrder(&ord), "ERP customer id: is 32,768"));

  User u;
  u.login = "ada";
  u.role = "sales";
  u.name = too_long;
  EXPECT_TRUE(HasDetail(ValidateUser(&u), "name: is 32,768"));
}

TEST(CellTextTest, ARefusedValueIsNotQuotedWhole) {
  Contact c;
  c.full_name = "Ada";
  c.email = std::string(50000, 'e');  // also not an email address
  Status st = ValidateContact(&c);
  EXPECT_FALSE(st.ok());
  EXPECT_LT(st.ToString().size(), 1000u) << "the message quotes the 50,000 characters";
}

}  // namespace
}  // namespace cx
