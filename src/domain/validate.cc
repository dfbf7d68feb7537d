// Validation and canonicalisation of every entity; each collects all problems.
#include <cmath>

#include "base/safe_text.h"
#include "base/text.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/cell_text.h"
#include "domain/contact.h"
#include "domain/division.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/order.h"
#include "domain/touchpoint.h"
#include "domain/user.h"

namespace cx {
namespace {

// An id or name as quoted in a message: a short prefix of a long text (base/safe_text.h).
std::string Quoted(const std::string& text) { return QuotePrefix(text); }

// Collects the problems of one record and turns them into one Status.
class Problems {
 public:
  explicit Problems(std::string what) : what_(std::move(what)) {}
  void Add(std::string field, std::string problem) { list_.push_back(field + ": " + problem); }
  void Required(const std::string& field, std::string* value) {
    TrimInPlace(value);
    if (value->empty()) Add(field, "is required");
  }
  void OneOf(const std::string& field, std::string* value,
             std::span<const std::string_view> allowed, bool required) {
    TrimInPlace(value);
    if (value->empty()) {
      if (required) Add(field, "is required (one of " + JoinForMessage(allowed) + ")");
      return;
    }
    auto c = CanonicalIn(*value, allowed);
    if (!c) {
      Add(field, "'" + Quoted(*value) + "' is not one of " + JoinForMessage(allowed));
      return;
    }
    *value = *c;
  }
  void Division(const std::string& field, std::string* value, bool required) {
    TrimInPlace(value);
    if (value->empty()) {
      if (required) Add(field, "is required (one of " + JoinForMessage(Divisions()) + ")");
      return;
    }
    auto c = CanonicalDivision(*value);
    if (!c) {
      Add(field,
          "'" + Quoted(*value) + "' is not a division (" + JoinForMessage(Divisions()) + ")");
      return;
    }
    *value = *c;
  }
  void Email(std::string* value) {
    TrimInPlace(value);
    if (!value->empty() && EmailKey(*value).empty()) {
      Add("email", "'" + Quoted(*value) + "' is not an email address");
    }
  }
  void Phone(std::string* value) {
    TrimInPlace(value);
    if (!value->empty() && PhoneKey(*value).empty()) {
      Add("phone", "'" + Quoted(*value) + "' has too few digits for a phone number");
    }
  }
  // Text longer than a spreadsheet cell holds (domain/cell_text.h) would break the export.
  void Fits(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
    for (const auto& [field, value] : fields) {
      if (std::string why = CellLengthProblem(*value); !why.empty()) Add(field, why);
    }
  }
  void Fits(const CustomFields& custom) {
    for (const auto& [name, value] : custom) {
      if (std::string why = CellLengthProblem(name); !why.empty())
        Add("the name of a custom field", why);
      if (std::string why = CellLengthProblem(value); !why.empty())
        Add("custom field '" + Quoted(name) + "'", why);
    }
  }
  // Names (matched, indexed, shown on one line) and ids have tighter caps than a cell.
  void Names(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
    for (const auto& [field, value] : fields) {
      if (std::string why = LengthProblem(*value, kMaxNameChars, "a name"); !why.empty())
        Add(field, why);
    }
  }
  void Ids(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
    for (const auto& [field, value] : fields) {
      if (std::string why = LengthProblem(*value, kMaxIdChars, "an id"); !why.empty())
        Add(field, why);
    }
  }
  Status Done() const {
    if (list_.empty()) return Status::Ok();
    Status s = Invalid(what_ + " is not valid");
    for (const auto& p : list_) s.AddDetail(p);
    return s;
  }

 private:
  std::string what_;
  std::vector<std::string> list_;
};

std::string Label(const std::string& kind, const std::string& id) {
  return id.empty() ? "the new " + kind : kind + " " + Quoted(id);
}

}  // namespace

Status ValidateAccount(Account* a) {
  Problems p(Label("account", a->id));
  p.Fits({{"id", &a->id},
          {"name", &a->name},
          {"industry", &a->industry},
          {"ERP customer id", &a->erp_customer_id},
          {"owner", &a->owner},
          {"divisions", &a->divisions},
          {"type", &a->type},
          {"address", &a->address},
          {"city", &a->city},
          {"phone", &a->phone},
          {"email", &a->email},
          {"status", &a->status}});
  p.Fits(a->custom);
  p.Names({{"name", &a->name}, {"owner", &a->owner}});
  p.Ids({{"id", &a->id}, {"ERP customer id", &a->erp_customer_id}});
  TrimInPlace(&a->id);
  p.Required("name", &a->name);
  TrimInPlace(&a->industry);
  TrimInPlace(&a->erp_customer_id);
  TrimInPlace(&a->owner);
  if (a->type.empty()) a->type = "customer";
  p.OneOf("type", &a->type, AccountTypes(), true);
  // Divisions: a list separated by ';' or ','.
  std::string canon;
  std::string rest = a->divisions;
  for (char& c : rest) {
    if (c == ',') c = ';';
  }
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find(';', start);
    if (end == std::string::npos) end = rest.size();
    std::string one = Trim(rest.substr(start, end - start));
    if (!one.empty()) {
      auto d = CanonicalDivision(one);
      if (!d) {
        p.Add("divisions",
              "'" + Quoted(one) + "' is not a division (" + JoinForMessage(Divisions()) + ")");
      } else if (canon.find(*d) == std::string::npos) {
        if (!canon.empty()) canon += "; ";
        canon += *d;
      }
    }
    start = end + 1;
  }
  a->divisions = canon;
  p.Phone(&a->phone);
  p.Email(&a->email);
  return p.Done();
}

Status ValidateContact(Contact* c) {
  Problems p(Label("contact", c->id));
  p.Fits({{"id", &c->id},
          {"full name", &c->full_name},
          {"job title", &c->job_title},
          {"account", &c->account_id},
          {"email", &c->email},
          {"phone", &c->phone}});
  p.Fits(c->custom);
  p.Names({{"full name", &c->full_name}});
  p.Ids({{"id", &c->id}, {"account", &c->account_id}});
  c->id = Trim(c->id);
  p.Required("full name", &c->full_name);
  c->job_title = Trim(c->job_title);
  c->account_id = Trim(c->account_id);
  p.Phone(&c->phone);
  p.Email(&c->email);
  return p.Done();
}

Status ValidateInteraction(Interaction* i) {
  Problems p(Label("interaction", i->id));
  p.Fits({{"id", &i->id},
          {"contact", &i->contact_id},
          {"channel", &i->channel},
          {"notes", &i->notes},
          {"next action", &i->next_action},
          {"next action owner", &i->next_action_owner},
          {"logged by", &i->logged_by},
          {"division", &i->division},
          {"type", &i->type},
          {"opportunity", &i->opportunity_id},
          {"case", &i->case_id},
          {"checklist", &i->checklist}});
  p.Fits(i->custom);
  p.Names({{"logged by", &i->logged_by}, {"next action owner", &i->next_action_owner}});
  p.Ids({{"id", &i->id},
         {"contact", &i->contact_id},
         {"opportunity", &i->opportunity_id},
         {"case", &i->case_id}});
  i->id = Trim(i->id);
  p.Required("contact", &i->contact_id);
  if (i->channel.empty()) i->channel = "other";
  p.OneOf("channel", &i->channel, Channels(), true);
  p.Division("division", &i->division, false);
  if (i->at == 0) p.Add("date", "is required");
  if (i->next_action_due && Trim(i->next_action).empty()) {
    p.Add("next action", "a due date needs a next action");
  }
  if (!i->next_action.empty() && i->next_action_owner.empty()) i->next_action_owner = i->logged_by;
  if (!IsValidUtf8(i->notes)) p.Add("notes", "is not valid UTF-8");
  return p.Done();
}

Status ValidateOpportunity(Opportunity* o) {
  Problems p(Label("opportunity", o->id));
  p.Fits({{"id", &o->id},
          {"account", &o->account_id},
          {"division", &o->division},
          {"owner", &o->owner},
          {"stage", &o->stage},
          {"outcome", &o->outcome},
          {"lost reason", &o->lost_reason},
          {"title", &o->title}});
  p.Fits(o->custom);
  p.Names({{"owner", &o->owner}});
  p.Ids({{"id", &o->id}, {"account", &o->account_id}});
  p.Required("account", &o->account_id);
  p.Division("division", &o->division, true);
  p.OneOf("outcome", &o->outcome, Outcomes(), true);
  if (o->amount && (std::isnan(*o->amount) || *o->amount < 0)) {
    p.Add("amount", "must be a number of at least 0");
  }
  if (o->outcome == "lost" && Trim(o->lost_reason).empty()) {
    p.Add("lost reason", "is required when the outcome is lost");
  }
  if (o->outcome != "open" && !o->closed)
    p.Add("closed", "is required when the outcome is " + o->outcome);
  return p.Done();
}

Status ValidateCase(Case* c) {
  Problems p(Label("case", c->id));
  p.Fits({{"id", &c->id},
          {"account", &c->account_id},
          {"contact", &c->contact_id},
          {"division", &c->division},
          {"kind", &c->kind},
          {"summary", &c->summary},
          {"owner", &c->owner}});
  p.Fits(c->custom);
  p.Names({{"owner", &c->owner}});
  p.Ids({{"id", &c->id}, {"account", &c->account_id}, {"contact", &c->contact_id}});
  p.Required("account", &c->account_id);
  p.Division("division", &c->division, true);
  p.OneOf("kind", &c->kind, CaseKinds(), true);
  if (c->opened == 0) p.Add("opened", "is required");
  auto before_open = [&](const std::optional<Timestamp>& t, const char* name) {
    if (t && *t < c->opened) p.Add(name, "is before the case was opened");
  };
  before_open(c->first_response, "first response");
  before_open(c->resolution_confirmed, "resolution confirmed");
  before_open(c->closed, "closed");
  return p.Done();
}

Status ValidateOrder(Order* o) {
  Problems p("order " + Quoted(o->id));
  p.Fits({{"order id", &o->id},
          {"ERP customer id", &o->erp_customer_id},
          {"division", &o->division},
          {"currency", &o->currency}});
  p.Ids({{"order id", &o->id}, {"ERP customer id", &o->erp_customer_id}});
  p.Required("order id", &o->id);
  p.Required("ERP customer id", &o->erp_customer_id);
  p.Division("division", &o->division, true);
  if (std::isnan(o->amount)) p.Add("amount", "is not a number");
  return p.Done();
}

Status ValidateFeedback(Feedback* f) {
  Problems p(Label("feedback", f->id));
  p.Fits({{"id", &f->id},
          {"account", &f->account_id},
          {"contact", &f->contact_id},
          {"division", &f->division},
          {"kind", &f->kind},
          {"stage", &f->stage},
          {"platform", &f->platform},
          {"comment", &f->comment},
          {"touchpoint", &f->touchpoint},
          {"source", &f->source}});
  p.Ids({{"id", &f->id},
         {"account", &f->account_id},
         {"contact", &f->contact_id},
         {"touchpoint", &f->touchpoint}});
  p.OneOf("kind", &f->kind, FeedbackKinds(), true);
  p.Division("division", &f->division, false);
  double lo = 0, hi = 10;
  if (f->kind == "csat" || f->kind == "review" || f->kind == "hub") lo = 1, hi = 5;
  if (f->kind == "emotion") lo = -2, hi = 2;
  if (std::isnan(f->score) || f->score < lo || f->score > hi) {
    p.Add("score", "must be between " + std::to_string(int(lo)) + " and " +
                       std::to_string(int(hi)) + " for " + f->kind);
  }
  if (f->kind == "review") p.Required("platform", &f->platform);
  p.OneOf("source", &f->source, FeedbackSources(), false);
  if (f->date == 0) p.Add("date", "is required");
  return p.Done();
}

std::span<const std::string_view> FeedbackSources() {
  static constexpr std::string_view kSources[] = {"survey", "form", "import", "staff"};
  return kSources;
}

Status ValidateTouchpoint(Touchpoint* t) {
  Problems p(Label("touchpoint", t->id));
  p.Fits({{"id", &t->id},
          {"name", &t->name},
          {"division", &t->division},
          {"stage", &t->stage},
          {"channel", &t->channel},
          {"owner", &t->owner}});
  TrimInPlace(&t->id);
  p.Required("name", &t->name);
  TrimInPlace(&t->stage);
  TrimInPlace(&t->channel);
  TrimInPlace(&t->owner);
  TrimInPlace(&t->division);
  if (AsciiLower(t->division) == "all") {
    t->division = "All";
  } else if (t->division.empty()) {
    p.Add("division", "is required (one of " + JoinForMessage(Divisions()) + ", or All)");
  } else {
    p.Division("division", &t->division, true);
  }
  if (!std::isfinite(t->yearly_budget) || t->yearly_budget < 0)
    p.Add("yearly budget", "must be a number of naira, 0 or more");
  return p.Done();
}

Status ValidateUser(User* u) {
  Problems p("user " + Quoted(u->login));
  p.Fits({{"login", &u->login}, {"name", &u->name}, {"division", &u->division}});
  p.Names({{"name", &u->name}});
  p.Ids({{"login", &u->login}});
  p.Required("login", &u->login);
  for (char c : u->login) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      p.Add("login", "may hold only letters, digits, '.', '_' and '-'");
      break;
    }
  }
  if (u->name.empty()) u->name = u->login;
  p.OneOf("role", &u->role, Roles(), true);
  p.Division("division", &u->division, false);
  return p.Done();
}

}  // namespace cx
