// Tests for People: every way of naming a user finds the one user; others are kept as typed.
#include "domain/people.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

People Team() {
  return People({User{"adaeze.m", "Adaeze Mba", "sales", "Motors", "", false, 0},
                 User{"tunde.s", "Tunde Salako", "sales", "Motors", "", false, 0},
                 // A full name equal to another user's login: the login wins.
                 User{"zed", "tunde.s", "sales", "", "", false, 0}});
}

TEST(PeopleTest, NameOrLoginAnyCaseLinksToTheUser) {
  People p = Team();
  for (const char* typed : {"Tunde Salako", "tunde.s", "  TUNDE SALAKO ", "Tunde.S\t"}) {
    EXPECT_EQ(p.Link(typed), "tunde.s") << typed;
    EXPECT_EQ(p.Key(typed), "tunde.s") << typed;
    ASSERT_NE(p.Find(typed), nullptr) << typed;
  }
  EXPECT_TRUE(p.Same("Adaeze Mba", "ADAEZE.M"));
  EXPECT_FALSE(p.Same("Adaeze Mba", "tunde.s"));
}

TEST(PeopleTest, SomeoneWhoIsNoUserIsKeptAsWritten) {
  People p = Team();
  EXPECT_EQ(p.Find("Old Typist"), nullptr);
  EXPECT_EQ(p.Link("  Old Typist "), "Old Typist");
  EXPECT_EQ(p.Name("Old Typist"), "Old Typist");
  EXPECT_TRUE(p.Same("old typist", "Old Typist "));
  EXPECT_EQ(p.Link(""), "");
  EXPECT_EQ(p.Find("   "), nullptr);
}

TEST(PeopleTest, ShowsTheFullNameOfALink) {
  People p = Team();
  EXPECT_EQ(p.Name("tunde.s"), "Tunde Salako");
  EXPECT_EQ(p.Name("adaeze.m"), "Adaeze Mba");
  Account a;
  a.owner = "adaeze.m";
  ShowPeople(p, &a);
  EXPECT_EQ(a.owner, "Adaeze Mba");
  Interaction i;
  i.logged_by = "tunde.s";
  i.next_action_owner = "Someone Else";
  ShowPeople(p, &i);
  EXPECT_EQ(i.logged_by, "Tunde Salako");
  EXPECT_EQ(i.next_action_owner, "Someone Else");
}

TEST(PeopleTest, NoUsersLinksNobody) {
  People p;
  EXPECT_EQ(p.Link("tunde.s"), "tunde.s");
  EXPECT_EQ(p.Name("tunde.s"), "tunde.s");
}

}  // namespace
}  // namespace cx
