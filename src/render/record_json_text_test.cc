// The account view written as text is byte for byte the document the nlohmann shapes of
// json_out.h give (the API's contract), on text that stresses the escaping.
#include "render/record_json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/json_out.h"

namespace cx {
namespace {

// The view as the API built it before: the nlohmann document of the account with its contacts
// and interactions joined, dumped as JsonResponse dumps.
std::string ViewByTree(const AccountView& v, const Zone& z) {
  nlohmann::json j = ToJson(v.account);
  j["contacts"] = nlohmann::json::array();
  for (const auto& x : v.contacts) j["contacts"].push_back(ToJson(x));
  j["interactions"] = nlohmann::json::array();
  for (const auto& x : v.interactions) j["interactions"].push_back(ToJson(x, z));
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every byte below 0x20, DEL, quotes, backslashes, a slash, HTML, 2-, 3- and 4-byte UTF-8.
std::string Awkward(const std::string& tag) {
  std::string s = tag + " \"quoted\" back\\slash /slash <b>&amp;</b> Ọ̀kàfọ̀ 东京 😀 ";
  for (int c = 0; c < 0x20; ++c) s.push_back(char(c));
  s.push_back('\x7f');
  return s;
}

AccountView VariedView() {
  AccountView v;
  Account& a = v.account;
  a.id = "A-000042";
  a.name = Awkward("name");
  a.industry = "Hospitality";
  a.erp_customer_id = "";
  a.owner = "Yetunde Raji";
  a.divisions = "Motors;Power";
  a.type = "customer";
  a.address = "12 \"Marina\"\r\nLagos";
  a.city = "Lagos\t";
  a.phone = "+234 807 000 0000";
  a.email = "info@example.ng";
  a.status = "active";
  a.custom = {{"tier", "gold"}, {"wéird \"key\"\n", Awkward("custom")}, {"", ""}};
  a.updated_at = 1796560189;
  Contact c1;
  c1.id = "C-000001";
  c1.full_name = Awkward("contact");
  c1.account_id = a.id;
  c1.custom = {{"b", "2"}, {"a", "1"}};
  Contact c2;
  c2.id = "C-000002";
  c2.full_name = "Merged Person";
  c2.account_id = a.id;
  c2.merged_into = "C-000001";
  v.contacts = {c1, c2};
  Interaction i1;
  i1.id = "I-000001";
  i1.at = 1796560189;
  i1.contact_id = "C-000001";
  i1.channel = "phone";
  i1.notes = Awkward("notes") + "<script>alert(1)</script>";
  i1.next_action = "Call back";
  i1.next_action_due = 1796600000;
  i1.next_action_owner = "Ọlá";
  i1.next_action_done = true;
  i1.custom = {{"source", "web\u2028form"}};
  Interaction i2;
  i2.id = "I-000002";
  i2.at = -86400;
  i2.notes = "";
  v.interactions = {i1, i2};
  return v;
}

TEST(RecordJsonText, AccountViewIsTheTreeByteForByte) {
  const Zone z = Zone::Default();
  AccountView v = VariedView();
  std::string account_json;
  const std::string text = AccountViewJsonText(v, z, &account_json);
  EXPECT_EQ(text, ViewByTree(v, z));
  EXPECT_EQ(account_json, ToJson(v.account).dump());
  EXPECT_EQ(AccountJsonText(v.account), account_json);
  // And it reads back as the same document.
  EXPECT_EQ(nlohmann::json::parse(text)["interactions"][0]["notes"], v.interactions[0].notes);
}

TEST(RecordJsonText, EmptyViewIsTheTree) {
  const Zone z = Zone::Default();
  AccountView v;
  v.account.id = "A-1";
  EXPECT_EQ(AccountViewJsonText(v, z), ViewByTree(v, z));
}

TEST(RecordJsonText, InvalidUtf8IsReplacedAsTheTreeReplacesIt) {
  const Zone z = Zone::Default();
  AccountView v = VariedView();
  // A lone continuation byte, a truncated sequence, an overlong slash, an encoded surrogate,
  // a code point past U+10FFFF, and a lone lead byte at the very end.
  v.account.name = "a\x80z \xe2\x82 \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xc3";
  v.interactions[0].notes = "ok \xff\xfe\"quote\"";
  v.contacts[0].custom = {{"bad\xc3", "x\x80"}};
  EXPECT_EQ(AccountViewJsonText(v, z), ViewByTree(v, z));
}

TEST(RecordJsonText, AppendJsonStringEscapesAsNlohmann) {
  for (const std::string& s :
       {std::string(""), std::string("plain"), std::string("\"\\"), std::string("\x01\x1f\x7f", 3),
        std::string("a\0b", 3), Awkward("x"), std::string("\xe2\x80\xa8 \xf0\x9f\x98\x80")}) {
    std::string out = "prefix:";
    AppendJsonString(&out, s);
    EXPECT_EQ(out, "prefix:" + nlohmann::json(s).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace))
        << s;
  }
}

// The search answer as the API built it before: {"results":[ToJson(m)…]}, dumped as
// JsonResponse dumps.
std::string SearchByTree(const std::vector<Match>& hits) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& h : hits) results.push_back(ToJson(h));
  return nlohmann::json{{"results", std::move(results)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(RecordJsonText, SearchAnswerIsTheTreeByteForByte) {
  std::vector<Match> hits;
  // Scores as ranking gives them (whole, fractions, digits that need all 17 to round trip,
  // tiny and huge ones nlohmann writes with an exponent), names that need escaping, contacts
  // with and without an account, an account name that is empty.
  const double scores[] = {1.0,       0.0,       0.95, 0.9,      0.8333333333333334,
                           2.0 / 3.0, 0.1 + 0.2, 1e-7, 0.000123, 123456789012345678.0,
                           -0.0,      0.5};
  int n = 0;
  for (double score : scores) {
    Match m;
    m.kind = n % 3 == 0 ? NameKind::kAccount : NameKind::kContact;
    m.id = (m.kind == NameKind::kAccount ? "A-" : "C-") + std::to_string(100000 + n);
    m.name = Awkward("match " + std::to_string(n));
    m.score = score;
    m.why = "similar name";
    if (m.kind == NameKind::kContact && n % 3 == 1) {
      m.account_id = "A-" + std::to_string(n);
      m.account_name = n == 4 ? "" : Awkward("company");
    }
    hits.push_back(m);
    ++n;
  }
  Match bad;
  bad.kind = NameKind::kContact;
  bad.id = "C-9";
  bad.name = "broken \xC3\x28 utf8";
  bad.account_id = "A-9";
  bad.account_name = "\xFF\xFE";
  hits.push_back(bad);
  EXPECT_EQ(SearchJsonText(hits), SearchByTree(hits));
  EXPECT_EQ(SearchJsonText({}), SearchByTree({}));
  EXPECT_EQ(SearchJsonText({}), R"({"results":[]})");
}

}  // namespace
}  // namespace cx
