// People as the hub stores them (docs/people.md): a person column holds the login of the user
// it names, or, for someone who is not a user, the name as it was typed. Pure: built from the
// users read once, then every lookup is a hash probe (bulk loads resolve millions of rows).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/account.h"
#include "domain/case.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/user.h"

namespace cx {

class People {
 public:
  People() = default;
  // Indexes `users` by login and by full name (both without case and outer spaces). A login
  // wins over another user's equal name; among equal names the first user wins.
  explicit People(std::vector<User> users);

  // The user `typed` names by login or full name, or nullptr (blank text names nobody).
  const User* Find(std::string_view typed) const;
  // What a person column stores for `typed`: the login of the user it names, else the text
  // trimmed (kept as written otherwise). "" for blank text.
  std::string Link(std::string_view typed) const;
  // What is shown and exported for a stored value: the linked user's full name, else the
  // stored text itself.
  std::string Name(std::string_view stored) const;
  // Whether two typed or stored values name the same person (same user, or the same text
  // without case and outer spaces).
  bool Same(std::string_view a, std::string_view b) const;
  // The comparison key of a person: the user's login, else the text trimmed and in ASCII
  // lower case.
  std::string Key(std::string_view typed) const;
  const std::vector<User>& users() const { return users_; }

  // Trimmed (ASCII and Unicode spaces) and ASCII lower-cased: the one normalisation used to
  // match people, also by migration 0019's SQL (lower(trim(x))) for ASCII spaces.
  static std::string Norm(std::string_view s);

 private:
  std::vector<User> users_;
  std::unordered_map<std::string, size_t> by_key_;  // Norm(login) and Norm(name) → user
};

// Replace each people field of a stored record by what is shown (People::Name), for a view.
void ShowPeople(const People& people, Account* a);
void ShowPeople(const People& people, Interaction* i);
void ShowPeople(const People& people, Opportunity* o);
void ShowPeople(const People& people, Case* c);

}  // namespace cx
