// People: one map from every way of naming a user to the user.
#include "domain/people.h"

#include "base/text.h"

namespace cx {

std::string People::Norm(std::string_view s) { return AsciiLower(Trim(s)); }

People::People(std::vector<User> users) : users_(std::move(users)) {
  by_key_.reserve(users_.size() * 2);
  for (size_t i = 0; i < users_.size(); ++i) by_key_[Norm(users_[i].login)] = i;
  for (size_t i = 0; i < users_.size(); ++i) {
    std::string k = Norm(users_[i].name);
    if (!k.empty()) by_key_.emplace(std::move(k), i);
  }
}

const User* People::Find(std::string_view typed) const {
  if (by_key_.empty()) return nullptr;
  auto it = by_key_.find(Norm(typed));
  return it == by_key_.end() ? nullptr : &users_[it->second];
}

std::string People::Link(std::string_view typed) const {
  if (const User* u = Find(typed)) return u->login;
  return Trim(typed);
}

std::string People::Name(std::string_view stored) const {
  if (const User* u = Find(stored)) return u->name;
  return std::string(stored);
}

std::string People::Key(std::string_view typed) const {
  if (const User* u = Find(typed)) return u->login;
  return Norm(typed);
}

void ShowPeople(const People& people, Account* a) { a->owner = people.Name(a->owner); }
void ShowPeople(const People& people, Interaction* i) {
  i->logged_by = people.Name(i->logged_by);
  i->next_action_owner = people.Name(i->next_action_owner);
}
void ShowPeople(const People& people, Opportunity* o) { o->owner = people.Name(o->owner); }
void ShowPeople(const People& people, Case* c) { c->owner = people.Name(c->owner); }

bool People::Same(std::string_view a, std::string_view b) const { return Key(a) == Key(b); }

}  // namespace cx
