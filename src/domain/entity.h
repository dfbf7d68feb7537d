// The kinds of record the hub keeps, named by type rather than by a storage table's name.
#pragma once

namespace cx {

// A kind of record with an id of its own, as the store's typed questions (exists, is empty,
// custom field names, bulk loads) name it.
enum class Entity { kAccount, kContact, kInteraction, kOpportunity, kCase, kOrder, kFeedback };

// The kind's plural name in lower case ("accounts", "feedback"): the word used in stored merge
// steps, messages and, by the backends, as their table name.
constexpr const char* EntityPlural(Entity e) {
  switch (e) {
    case Entity::kAccount:
      return "accounts";
    case Entity::kContact:
      return "contacts";
    case Entity::kInteraction:
      return "interactions";
    case Entity::kOpportunity:
      return "opportunities";
    case Entity::kCase:
      return "cases";
    case Entity::kOrder:
      return "orders";
    case Entity::kFeedback:
      return "feedback";
  }
  return "";
}

// Which kind of named record a search, duplicate or merge is about.
enum class NameKind { kAccount, kContact };

// A record's contact field that search also reads (besides its name).
enum class KeyField { kPhone, kEmail };

}  // namespace cx
