// Record commands: account, contact and interaction add / show / list, account edit.
#include <array>
#include <cstdio>
#include <map>
#include <optional>

#include "base/text.h"
#include "cli/cli_common.h"
#include "render/json_out.h"
#include "service/account_service.h"
#include "service/erp_sync.h"
#include "service/interaction_service.h"

namespace cx {
namespace {

struct RecOpts {
  bool json = false, force = false;
  std::string id, reason;
  std::vector<std::string> fields;  // --field NAME=VALUE
  Account account;
  Contact contact;
  Interaction interaction;
  std::string date, due, notes_file;
  std::string division, owner, type, account_id, contact_id;
  bool missing_erp = false;
  int limit = 50;
  // account edit: field → new value, for the options given
  std::map<std::string, std::optional<std::string>> edit;
};

Status ParseFields(const std::vector<std::string>& kv, CustomFields* out) {
  for (const auto& f : kv) {
    size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      return Invalid("--field '" + f + "': expected NAME=VALUE");
    (*out)[Trim(f.substr(0, eq))] = f.substr(eq + 1);
  }
  return Status::Ok();
}

void PrintAccountLine(const Account& a) {
  std::printf("%-12s %-40s %-18s %-14s %s\n", a.id.c_str(), a.name.c_str(), a.owner.c_str(),
              a.erp_customer_id.c_str(), a.divisions.c_str());
}

void PrintInteractionLine(const Interaction& i, const Zone& z) {
  std::string notes = i.notes.substr(0, 60);
  for (char& c : notes) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::printf("%-12s %s  %-10s %-10s %-12s %s", i.id.c_str(), FormatTime(i.at, z).c_str(),
              i.channel.c_str(), i.logged_by.c_str(), i.contact_id.c_str(), notes.c_str());
  if (!i.next_action.empty()) {
    std::printf("  → %s%s%s", i.next_action.c_str(), i.next_action_due ? " by " : "",
                i.next_action_due ? FormatTime(*i.next_action_due, z).c_str() : "");
  }
  std::printf("\n");
}

int AccountAdd(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(ParseFields(o.fields, &o.account.custom));
    auto r = AddAccount(ctx, o.account, CreateOptions{o.force, o.reason});
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r));
    else
      std::printf("account %s created: %s\n", r->id.c_str(), r->name.c_str());
    return 0;
  });
}

int AccountEdit(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto v = ShowAccount(ctx, o.id, 0);
    if (!v.ok()) return Fail(v.status());
    Account a = v->account;
    for (const auto& [field, value] : o.edit) {
      if (!value) continue;
      if (field == "type") {
        a.type = *value;
      } else if (field == "divisions") {
        a.divisions = *value;
      } else if (std::string* f = ErpOwnedField(a, field)) {
        *f = *value;
      }
    }
    CX_RETURN_IF_ERROR_CLI(ParseFields(o.fields, &a.custom));
    auto r = UpdateAccount(ctx, a, o.reason);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r));
    else
      std::printf("account %s saved: %s\n", r->id.c_str(), r->name.c_str());
    return 0;
  });
}

int AccountShow(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto v = ShowAccount(ctx, o.id, o.limit);
    if (!v.ok()) return Fail(v.status());
    if (o.json) {
      nlohmann::json j = ToJson(v->account);
      j["contacts"] = nlohmann::json::array();
      for (const auto& c : v->contacts) j["contacts"].push_back(ToJson(c));
      j["interactions"] = nlohmann::json::array();
      for (const auto& i : v->interactions) j["interactions"].push_back(ToJson(i, ctx.zone));
      j["opportunities"] = nlohmann::json::array();
      for (const auto& op : v->opportunities) j["opportunities"].push_back(ToJson(op, ctx.zone));
      j["cases"] = nlohmann::json::array();
      for (const auto& c : v->cases) j["cases"].push_back(ToJson(c, ctx.zone));
      PrintJson(j);
      return 0;
    }
    const Account& a = v->account;
    std::printf("%s  %s\n", a.id.c_str(), a.name.c_str());
    if (!a.merged_into.empty()) std::printf("  MERGED into %s\n", a.merged_into.c_str());
    std::printf("  owner: %s   type: %s   divisions: %s\n", a.owner.c_str(), a.type.c_str(),
                a.divisions.c_str());
    std::printf("  industry: %s   ERP customer: %s\n", a.industry.c_str(),
                a.erp_customer_id.empty() ? "(not linked)" : a.erp_customer_id.c_str());
    std::printf("  phone: %s   email: %s   %s %s\n", a.phone.c_str(), a.email.c_str(),
                a.address.c_str(), a.city.c_str());
    for (const auto& [k, val] : a.custom) std::printf("  %s: %s\n", k.c_str(), val.c_str());
    std::printf("contacts (%zu):\n", v->contacts.size());
    for (const auto& c : v->contacts) {
      std::printf("  %-12s %-30s %s\n", c.id.c_str(), c.full_name.c_str(), c.job_title.c_str());
    }
    std::printf("opportunities (%zu):\n", v->opportunities.size());
    for (const auto& op : v->opportunities) {
      std::printf("  %-12s %-18s %-14s %-6s %s\n", op.id.c_str(), op.division.c_str(),
                  op.stage.c_str(), op.outcome.c_str(), op.owner.c_str());
    }
    std::printf("cases (%zu):\n", v->cases.size());
    for (const auto& c : v->cases) {
      std::printf("  %-12s %-14s %s%s\n", c.id.c_str(), c.kind.c_str(),
                  FormatTime(c.opened, ctx.zone).c_str(), c.closed ? "  closed" : "  open");
    }
    std::printf("interactions (latest %zu):\n", v->interactions.size());
    for (const auto& i : v->interactions) {
      std::printf("  ");
      PrintInteractionLine(i, ctx.zone);
    }
    return 0;
  });
}

int AccountList(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    AccountFilter f;
    f.division = o.division;
    f.owner = o.owner;
    f.type = o.type;
    f.missing_erp_id = o.missing_erp;
    f.limit = o.limit;
    auto r = ListAccounts(ctx, f);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& a : *r) arr.push_back(ToJson(a));
      PrintJson({{"accounts", arr}});
      return 0;
    }
    for (const auto& a : *r) PrintAccountLine(a);
    return 0;
  });
}

int ContactAdd(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    CX_RETURN_IF_ERROR_CLI(ParseFields(o.fields, &o.contact.custom));
    auto r = AddContact(ctx, o.contact, CreateOptions{o.force, o.reason});
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r));
    else
      std::printf("contact %s created: %s\n", r->id.c_str(), r->full_name.c_str());
    return 0;
  });
}

int ContactShow(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto v = ShowContact(ctx, o.id, o.limit);
    if (!v.ok()) return Fail(v.status());
    if (o.json) {
      nlohmann::json j = ToJson(v->contact);
      j["account"] = v->account ? ToJson(*v->account) : nlohmann::json(nullptr);
      j["interactions"] = nlohmann::json::array();
      for (const auto& i : v->interactions) j["interactions"].push_back(ToJson(i, ctx.zone));
      PrintJson(j);
      return 0;
    }
    const Contact& c = v->contact;
    std::printf("%s  %s  (%s)\n", c.id.c_str(), c.full_name.c_str(), c.job_title.c_str());
    if (!c.merged_into.empty()) std::printf("  MERGED into %s\n", c.merged_into.c_str());
    std::printf("  account: %s %s\n", c.account_id.c_str(),
                v->account ? v->account->name.c_str() : "");
    std::printf("  phone: %s   email: %s\n", c.phone.c_str(), c.email.c_str());
    for (const auto& [k, val] : c.custom) std::printf("  %s: %s\n", k.c_str(), val.c_str());
    std::printf("interactions (latest %zu):\n", v->interactions.size());
    for (const auto& i : v->interactions) {
      std::printf("  ");
      PrintInteractionLine(i, ctx.zone);
    }
    return 0;
  });
}

int ContactList(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    ContactFilter f;
    f.account_id = o.account_id;
    f.limit = o.limit;
    auto r = ListContacts(ctx, f);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& c : *r) arr.push_back(ToJson(c));
      PrintJson({{"contacts", arr}});
      return 0;
    }
    for (const auto& c : *r) {
      std::printf("%-12s %-30s %-24s %s\n", c.id.c_str(), c.full_name.c_str(), c.job_title.c_str(),
                  c.account_id.c_str());
    }
    return 0;
  });
}

int InteractionAdd(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    Interaction i = o.interaction;
    if (!o.notes_file.empty()) {
      auto notes = ReadNotesFile(o.notes_file);
      if (!notes.ok()) return Fail(notes.status());
      i.notes = std::move(*notes);
    }
    if (!o.date.empty()) {
      auto t = ParseTimeOption(ctx, "--date", o.date);
      if (!t.ok()) return Fail(t.status());
      i.at = *t;
    }
    if (!o.due.empty()) {
      auto t = ParseTimeOption(ctx, "--due", o.due);
      if (!t.ok()) return Fail(t.status());
      i.next_action_due = *t;
    }
    CX_RETURN_IF_ERROR_CLI(ParseFields(o.fields, &i.custom));
    auto r = LogInteraction(ctx, i);
    if (!r.ok()) return Fail(r.status());
    if (r->next_action_due && *r->next_action_due < ctx.now()) {
      // Saved as given (back-filling old conversations is normal), but a typo in the year
      // would otherwise go unnoticed until the action shows up as overdue.
      std::fprintf(stderr, "cxhub: warning: the next action of %s was due %s, already past\n",
                   r->id.c_str(), FormatTime(*r->next_action_due, ctx.zone).c_str());
    }
    if (o.json)
      PrintJson(ToJson(*r, ctx.zone));
    else
      std::printf("interaction %s logged\n", r->id.c_str());
    return 0;
  });
}

int InteractionShow(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto r = GetInteraction(ctx, o.id);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      PrintJson(ToJson(*r, ctx.zone));
      return 0;
    }
    PrintInteractionLine(*r, ctx.zone);
    std::printf("%s\n", r->notes.c_str());
    return 0;
  });
}

int InteractionList(CliEnv& env, RecOpts& o) {
  return WithHub(env, [&](Context& ctx) {
    InteractionFilter f;
    f.contact_id = o.contact_id;
    f.account_id = o.account_id;
    f.logged_by = o.owner;
    f.division = o.division;
    f.limit = o.limit;
    auto r = ListInteractions(ctx, f);
    if (!r.ok()) return Fail(r.status());
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& i : *r) arr.push_back(ToJson(i, ctx.zone));
      PrintJson({{"interactions", arr}});
      return 0;
    }
    for (const auto& i : *r) PrintInteractionLine(i, ctx.zone);
    return 0;
  });
}

template <typename F>
void OnRun(CLI::App* cmd, CliEnv& env, std::shared_ptr<RecOpts> o, F f) {
  cmd->callback([&env, o, f] { env.action = [&env, o, f] { return f(env, *o); }; });
}

}  // namespace

void RegisterRecordCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<RecOpts>();
  auto* account = app.add_subcommand("account", "Accounts: companies and households");
  account->require_subcommand(1);
  auto* aadd = account->add_subcommand(
      "add", "Create an account (refused when it probably exists; see --force)");
  aadd->add_option("--id", o->account.id, "Account ID (default: the next A-NNNNNN)");
  aadd->add_option("--name", o->account.name, "Company Name")->required();
  aadd->add_option("--industry", o->account.industry, "Industry");
  aadd->add_option("--owner", o->account.owner, "Account Owner");
  aadd->add_option("--division", o->account.divisions, "Division(s), separated by ';'");
  aadd->add_option("--type", o->account.type,
                   "customer, prospect, distributor or target-distributor");
  aadd->add_option("--erp-id", o->account.erp_customer_id, "ERP Customer ID");
  aadd->add_option("--phone", o->account.phone, "Phone");
  aadd->add_option("--email", o->account.email, "Email");
  aadd->add_option("--address", o->account.address, "Address");
  aadd->add_option("--city", o->account.city, "City");
  aadd->add_option("--field", o->fields, "Custom field NAME=VALUE (repeatable)");
  aadd->add_flag("--force", o->force, "Create even if it probably exists (needs --reason)");
  aadd->add_option("--reason", o->reason, "Why it is not a duplicate (audited)");
  aadd->add_flag("--json", o->json, "Print the account as JSON");
  OnRun(aadd, env, o, AccountAdd);
  auto* aedit = account->add_subcommand(
      "edit",
      "Change an account's fields (audited; the fields the ERP owns on a linked account are "
      "refused, and the owner changes only through `ownership`)");
  aedit->add_option("id", o->id, "Account ID")->required();
  for (const auto& [flag, field, what] : std::vector<std::array<const char*, 3>>{
           {"--name", "name", "Company Name"},
           {"--industry", "industry", "Industry"},
           {"--type", "type", "customer, prospect, distributor or target-distributor"},
           {"--division", "divisions", "Division(s), separated by ';' (replaces the list)"},
           {"--phone", "phone", "Phone"},
           {"--email", "email", "Email"},
           {"--address", "address", "Address"},
           {"--city", "city", "City"},
           {"--status", "status", "Status"}}) {
    aedit->add_option(flag, o->edit[field], what);
  }
  aedit->add_option("--field", o->fields, "Custom field NAME=VALUE (repeatable)");
  aedit->add_option("--reason", o->reason, "Why (audited)");
  aedit->add_flag("--json", o->json, "Print the account as JSON");
  OnRun(aedit, env, o, AccountEdit);
  auto* ashow =
      account->add_subcommand("show", "An account with its contacts, pipeline, cases and history");
  ashow->add_option("id", o->id, "Account ID")->required();
  ashow->add_option("--limit", o->limit, "Interactions to show (default 50)");
  ashow->add_flag("--json", o->json, "Print as JSON");
  OnRun(ashow, env, o, AccountShow);
  auto* alist = account->add_subcommand("list", "List accounts");
  alist->add_option("--division", o->division, "Only this division");
  alist->add_option("--owner", o->owner, "Only this owner");
  alist->add_option("--type", o->type, "Only this type");
  alist->add_flag("--missing-erp-id", o->missing_erp, "Only accounts without an ERP Customer ID");
  alist->add_option("--limit", o->limit, "How many (default 50)");
  alist->add_flag("--json", o->json, "Print {\"accounts\": […]}");
  OnRun(alist, env, o, AccountList);

  auto* contact = app.add_subcommand("contact", "Contacts: the people we talk to");
  contact->require_subcommand(1);
  auto* cadd = contact->add_subcommand(
      "add", "Create a contact (refused when they probably exist; see --force)");
  cadd->add_option("--id", o->contact.id, "Contact ID (default: the next C-NNNNNN)");
  cadd->add_option("--name", o->contact.full_name, "Full Name")->required();
  cadd->add_option("--title", o->contact.job_title, "Job Title");
  cadd->add_option("--account", o->contact.account_id, "Associated Account ID");
  cadd->add_option("--email", o->contact.email, "Email");
  cadd->add_option("--phone", o->contact.phone, "Phone");
  cadd->add_option("--field", o->fields, "Custom field NAME=VALUE (repeatable)");
  cadd->add_flag("--force", o->force, "Create even if they probably exist (needs --reason)");
  cadd->add_option("--reason", o->reason, "Why it is not a duplicate (audited)");
  cadd->add_flag("--json", o->json, "Print the contact as JSON");
  OnRun(cadd, env, o, ContactAdd);
  auto* cshow = contact->add_subcommand("show", "A contact with their history");
  cshow->add_option("id", o->id, "Contact ID")->required();
  cshow->add_option("--limit", o->limit, "Interactions to show (default 50)");
  cshow->add_flag("--json", o->json, "Print as JSON");
  OnRun(cshow, env, o, ContactShow);
  auto* clist = contact->add_subcommand("list", "List contacts");
  clist->add_option("--account", o->account_id, "Only this account's contacts");
  clist->add_option("--limit", o->limit, "How many (default 50)");
  clist->add_flag("--json", o->json, "Print {\"contacts\": […]}");
  OnRun(clist, env, o, ContactList);

  auto* inter = app.add_subcommand("interaction", "Interactions: every meaningful conversation");
  inter->require_subcommand(1);
  auto* iadd = inter->add_subcommand("add", "Log an interaction");
  iadd->add_option("--id", o->interaction.id, "Interaction ID (default: the next I-NNNNNN)");
  iadd->add_option("--contact", o->interaction.contact_id, "Contact ID")->required();
  iadd->add_option("--channel", o->interaction.channel,
                   "phone, email, whatsapp, visit, meeting, walk-in, web or other")
      ->required();
  auto* notes = iadd->add_option("--notes", o->interaction.notes, "What was said");
  iadd->add_option("--notes-file", o->notes_file,
                   "Read the notes from this file, or from standard input for '-' (for notes "
                   "longer than a command-line argument may be)")
      ->excludes(notes);
  iadd->add_option("--date", o->date,
                   "When (default now), e.g. 2026-04-03 14:05 or 03/04/2026 14:05");
  iadd->add_option("--next-action", o->interaction.next_action, "What happens next");
  iadd->add_option("--due", o->due, "When the next action is due");
  iadd->add_option("--next-owner", o->interaction.next_action_owner,
                   "Who does the next action (default: logger)");
  iadd->add_option("--logged-by", o->interaction.logged_by, "Who logged it (default: --as)");
  iadd->add_option("--division", o->interaction.division, "Division (default: the account's)");
  iadd->add_option("--type", o->interaction.type, "Type, e.g. inquiry, lead, negotiation, service");
  iadd->add_option("--opportunity", o->interaction.opportunity_id, "Opportunity ID");
  iadd->add_option("--case", o->interaction.case_id, "Case ID");
  iadd->add_option("--field", o->fields, "Custom field NAME=VALUE (repeatable)");
  iadd->add_flag("--json", o->json, "Print the interaction as JSON");
  OnRun(iadd, env, o, InteractionAdd);
  auto* ishow = inter->add_subcommand("show", "One interaction");
  ishow->add_option("id", o->id, "Interaction ID")->required();
  ishow->add_flag("--json", o->json, "Print as JSON");
  OnRun(ishow, env, o, InteractionShow);
  auto* ilist = inter->add_subcommand("list", "List interactions, newest first");
  ilist->add_option("--contact", o->contact_id, "Only this contact's");
  ilist->add_option("--account", o->account_id, "Only this account's contacts'");
  ilist->add_option("--logged-by", o->owner, "Only logged by this person");
  ilist->add_option("--division", o->division, "Only this division");
  ilist->add_option("--limit", o->limit, "How many (default 50)");
  ilist->add_flag("--json", o->json, "Print {\"interactions\": […]}");
  OnRun(ilist, env, o, InteractionList);
}

}  // namespace cx
