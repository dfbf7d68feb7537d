// Merge steps to and from their stored text.
#include "store/logic/merge_steps.h"

#include <nlohmann/json.hpp>

namespace cx {
namespace {

// The names the stored text gives the kinds of record (those of the first schema's tables).
constexpr const char* kErpLink = "erp_link";
constexpr const char* kSurvivorBefore = "survivor_before";
constexpr const char* kMergedInto = "merged_into";

bool KindOfText(const std::string& text, Entity* e) {
  for (Entity k : {Entity::kAccount, Entity::kContact, Entity::kInteraction, Entity::kOpportunity,
                   Entity::kCase, Entity::kOrder, Entity::kFeedback}) {
    if (text == EntityPlural(k)) {
      *e = k;
      return true;
    }
  }
  return false;
}

const char* ReferenceText(NameKind k) {
  return k == NameKind::kAccount ? "account_id" : "contact_id";
}

}  // namespace

std::string MergeStepsToText(const std::vector<MergeStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : steps) {
    std::string table, id, column;
    switch (s.type) {
      case MergeStep::Type::kMovedRow:
        table = EntityPlural(s.entity);
        id = s.id;
        column = ReferenceText(s.reference);
        break;
      case MergeStep::Type::kMergedAway:
        table = EntityPlural(s.entity);
        id = s.id;
        column = kMergedInto;
        break;
      case MergeStep::Type::kErpLinkTakenOver:
        table = kErpLink;
        id = s.id;
        column = s.erp_id;
        break;
      case MergeStep::Type::kSurvivorBefore: {
        nlohmann::json b = nlohmann::json::object();
        for (const auto& [k, v] : s.before) b[k] = v;
        table = kSurvivorBefore;
        id = b.dump();
        break;
      }
    }
    out.push_back({{"table", table}, {"id", id}, {"column", column}});
  }
  return out.dump();
}

Result<std::vector<MergeStep>> MergeStepsFromText(const std::string& text,
                                                  const std::string& merge_id) {
  const Status corrupt = Internal("merge record " + merge_id + " is corrupt");
  auto moved = nlohmann::json::parse(text, nullptr, false);
  if (moved.is_discarded() || !moved.is_array()) return corrupt;
  std::vector<MergeStep> steps;
  for (const auto& r : moved) {
    if (!r.is_object()) return corrupt;
    const std::string table = r.value("table", ""), id = r.value("id", ""),
                      column = r.value("column", "");
    MergeStep s;
    s.id = id;
    if (table == kErpLink) {
      s.type = MergeStep::Type::kErpLinkTakenOver;
      s.erp_id = column;
    } else if (table == kSurvivorBefore) {
      s.type = MergeStep::Type::kSurvivorBefore;
      s.id.clear();
      auto b = nlohmann::json::parse(id, nullptr, false);
      if (!b.is_object()) return corrupt;
      for (auto it = b.begin(); it != b.end(); ++it) {
        if (!it.value().is_string()) return corrupt;
        s.before[it.key()] = it.value().get<std::string>();
      }
    } else if (!KindOfText(table, &s.entity)) {
      return corrupt;
    } else if (column == kMergedInto) {
      s.type = MergeStep::Type::kMergedAway;
    } else if (column == "account_id" || column == "contact_id") {
      s.type = MergeStep::Type::kMovedRow;
      s.reference = column == "account_id" ? NameKind::kAccount : NameKind::kContact;
    } else {
      return corrupt;
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

}  // namespace cx
