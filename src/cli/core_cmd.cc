// Core commands: init, search, duplicates, merge, audit, backup, user.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/cli_common.h"
#include "render/json_out.h"
#include "render/report_json.h"
#include "service/check_service.h"
#include "service/dedupe.h"
#include "service/merge_service.h"
#include "service/user_service.h"
#include "store/open/open_store.h"

namespace cx {

void RegisterRecordCommands(CLI::App& app, CliEnv& env);  // record_cmd.cc

namespace {

struct Opts {
  bool json = false;
  std::string text, kind = "all", survivor, reason, merge_id, entity_id, actor, action, path;
  std::vector<std::string> others;
  int limit = 20;
  std::string login, role, division, name;
  bool password_stdin = false, away = false, force = false;
};

int Init(CliEnv& env) {
  return WithHub(
      env,
      [&](Context& ctx) {
        auto v = ctx.store->SchemaVersion();
        if (!v.ok()) return Fail(v.status());
        Print("cxhub database ready at %s (schema version %d)\n", env.db_url.c_str(), *v);
        return 0;
      },
      HubUse::kCreate);
}

int SearchCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::vector<Match> hits;
    Status st = ctx.store->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(hits, Search(tx, o.text, o.limit));
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    if (o.json) {
      nlohmann::json r = nlohmann::json::array();
      for (const auto& h : hits) r.push_back(ToJson(h));
      PrintJson({{"results", r}});
      return 0;
    }
    if (hits.empty()) Print("no match for '%s'\n", o.text.c_str());
    for (const auto& h : hits) {
      // A contact is shown with its company, so that "Bola Okafor" says which one.
      std::string company;
      if (!h.account_id.empty()) company = "  (" + h.account_name + ", " + h.account_id + ")";
      Print("%-8s %-12s %4.2f  %s%s\n", KindLabel(h.kind), h.id.c_str(), h.score, h.name.c_str(),
            company.c_str());
    }
    return 0;
  });
}

int DuplicatesCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto doc = DuplicatesReport(ctx, o.kind);
    if (!doc.ok()) return Fail(doc.status());
    const nlohmann::json& out = *doc;
    if (o.json) {
      PrintJson(out);
      return 0;
    }
    for (const char* key : {"accounts", "contacts"}) {
      Print("%s: %zu probable duplicate clusters\n", key, out[key].size());
      for (const auto& c : out[key]) {
        std::string ids;
        for (const auto& id : c["ids"]) ids += (ids.empty() ? "" : ", ") + id.get<std::string>();
        Print("  %.2f  %s  (%s)\n", c["score"].get<double>(), ids.c_str(),
              c["why"].get<std::string>().c_str());
      }
    }
    return 0;
  });
}

int MergeCmd(CliEnv& env, const Opts& o, NameKind k) {
  return WithHub(env, [&](Context& ctx) {
    auto m = Merge(ctx, k, o.survivor, o.others, o.reason);
    if (!m.ok()) return Fail(m.status());
    if (o.json) {
      PrintJson(ToJson(*m, ctx.zone));
    } else {
      Print("merge %s: %zu %s(s) merged into %s; undo with: cxhub merge undo %s --reason TEXT\n",
            m->id.c_str(), m->merged.size(), KindLabel(k), m->survivor.c_str(), m->id.c_str());
    }
    return 0;
  });
}

int UndoCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto m = UndoMerge(ctx, o.merge_id, o.reason);
    if (!m.ok()) return Fail(m.status());
    if (o.json)
      PrintJson(ToJson(*m, ctx.zone));
    else
      Print("merge %s undone\n", m->id.c_str());
    return 0;
  });
}

int MergeListCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto ms = ListMerges(ctx, o.limit);
    if (!ms.ok()) return Fail(ms.status());
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& m : *ms) arr.push_back(ToJson(m, ctx.zone));
    if (o.json) {
      PrintJson({{"merges", arr}});
      return 0;
    }
    for (const auto& m : arr) {
      Print("%s  %s  %s ← %s  by %s  %s%s\n", m["id"].get<std::string>().c_str(),
            m["at"].get<std::string>().c_str(), m["survivor"].get<std::string>().c_str(),
            m["merged"].dump().c_str(), m["actor"].get<std::string>().c_str(),
            m["reason"].get<std::string>().c_str(), m["undone_at"].is_null() ? "" : "  (undone)");
    }
    return 0;
  });
}

int AuditCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::vector<AuditEntry> entries;
    AuditFilter f;
    f.entity_id = o.entity_id;
    f.actor = o.actor;
    f.action = o.action;
    f.limit = o.limit;
    Status st = ctx.store->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(entries, tx.ListAudit(f));
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : entries) arr.push_back(ToJson(e, ctx.zone));
      PrintJson({{"entries", arr}});
      return 0;
    }
    for (const auto& raw : entries) {
      const AuditEntry e = ForDisplay(raw, ctx.zone);
      Print("%s  %-10s %-12s %-8s %-12s %s", FormatTime(e.at, ctx.zone).c_str(), e.actor.c_str(),
            e.action.c_str(), e.entity.c_str(), e.entity_id.c_str(), e.field.c_str());
      if (!e.field.empty())
        Print(": '%s' → '%s'", e.before.c_str(), e.after.c_str());
      else if (!e.after.empty())
        Print("%s", e.after.c_str());
      if (!e.reason.empty()) Print("  [reason: %s]", e.reason.c_str());
      Print("\n");
    }
    return 0;
  });
}

int BackupCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    const OutputPolicy policy = env.Output(o.force);
    CX_RETURN_IF_ERROR_CLI(CheckOutputPath(o.path, StoreBackupKind(env.db_url), policy));
    // An existing database is replaced only when it is a copy of this hub (an earlier
    // backup): another hub at that path is refused, as any file of another kind is.
    std::error_code ec;
    if (!o.force && std::filesystem::is_regular_file(o.path, ec) &&
        std::filesystem::file_size(o.path, ec) > 0) {
      auto same = ctx.store->IsCopyOfThisHub(o.path);
      if (!same.ok()) return Fail(same.status());
      if (!*same) {
        return Fail(Invalid("refusing to write over " + o.path +
                            ": it is a hub database that is not a copy of this one (another "
                            "hub?); use --force to replace it"));
      }
    }
    // A damaged hub is not copied over a good earlier copy: the source is checked first, the
    // copy after (Store::Backup).
    CX_RETURN_IF_ERROR_CLI(CheckStorageSound(ctx, "the hub " + env.db_url));
    Status st = WriteOutputFile(o.path, StoreBackupKind(env.db_url), policy,
                                [&](const std::string& tmp) { return ctx.store->Backup(tmp); });
    if (!st.ok()) return Fail(st);
    Print("backup written to %s (checked)\n", o.path.c_str());
    return 0;
  });
}

int UserAddCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    std::string password;
    if (o.password_stdin) std::getline(std::cin, password);
    User u;
    u.login = o.login;
    u.name = o.name;
    u.role = o.role;
    u.division = o.division;
    u.away = o.away;
    auto r = AddUser(ctx, u, password);
    if (!r.ok()) return Fail(r.status());
    if (o.json)
      PrintJson(ToJson(*r));
    else
      Print("user %s (%s%s%s) saved\n", r->login.c_str(), r->role.c_str(),
            r->division.empty() ? "" : ", ", r->division.c_str());
    return 0;
  });
}

int UserListCmd(CliEnv& env, const Opts& o) {
  return WithHub(env, [&](Context& ctx) {
    auto doc = UsersReport(ctx);
    if (!doc.ok()) return Fail(doc.status());
    if (o.json) {
      PrintJson(*doc);
      return 0;
    }
    for (const auto& u : (*doc)["users"]) {
      Print("%-16s %-10s %-20s %s%s%s\n", u["login"].get<std::string>().c_str(),
            u["role"].get<std::string>().c_str(), u["division"].get<std::string>().c_str(),
            u["name"].get<std::string>().c_str(), u["away"].get<bool>() ? "  (away)" : "",
            u["disabled"].get<bool>() ? "  (disabled)" : "");
    }
    return 0;
  });
}

}  // namespace

void RegisterCoreCommands(CLI::App& app, CliEnv& env) {
  auto o = std::make_shared<Opts>();
  auto* init = app.add_subcommand("init", "Create the database or apply pending migrations");
  init->callback([&env] { env.action = [&env] { return Init(env); }; });

  auto* search = app.add_subcommand(
      "search", "Find accounts and contacts by name, phone or email (typo-tolerant)");
  search->add_option("text", o->text, "What to look for")->required();
  search->add_option("--limit", o->limit, "Most results to show (default 20)");
  search->add_flag("--json", o->json, "Print {\"results\": [{kind, id, name, score}…]}");
  search->callback([&env, o] { env.action = [&env, o] { return SearchCmd(env, *o); }; });

  auto* dup =
      app.add_subcommand("duplicates", "List clusters of probable duplicate accounts and contacts");
  dup->add_option("--kind", o->kind, "accounts, contacts or all (default)")
      ->check(CLI::IsMember({"accounts", "contacts", "all"}));
  dup->add_flag("--json", o->json, "Print {\"accounts\": [{ids, score, why}…], \"contacts\": […]}");
  dup->callback([&env, o] { env.action = [&env, o] { return DuplicatesCmd(env, *o); }; });

  auto* merge = app.add_subcommand(
      "merge", "Merge duplicates into one survivor (stewards), list or undo merges");
  merge->require_subcommand(1);
  for (auto [name, kind] :
       {std::pair{"accounts", NameKind::kAccount}, std::pair{"contacts", NameKind::kContact}}) {
    auto* m =
        merge->add_subcommand(name, std::string("Merge ") + name + " into the first one named");
    m->add_option("survivor", o->survivor, "The record that stays")->required();
    m->add_option("others", o->others, "The records merged into it")->required();
    m->add_option("--reason", o->reason, "Why (audited)")->required();
    m->add_flag("--json", o->json, "Print the merge record as JSON");
    NameKind k = kind;
    m->callback([&env, o, k] { env.action = [&env, o, k] { return MergeCmd(env, *o, k); }; });
  }
  auto* undo = merge->add_subcommand("undo", "Undo a merge: every moved record goes back");
  undo->add_option("merge_id", o->merge_id, "The merge (M-…)")->required();
  undo->add_option("--reason", o->reason, "Why (audited)")->required();
  undo->add_flag("--json", o->json, "Print the merge record as JSON");
  undo->callback([&env, o] { env.action = [&env, o] { return UndoCmd(env, *o); }; });
  auto* mlist = merge->add_subcommand("list", "Recent merges");
  mlist->add_option("--limit", o->limit, "How many (default 20)");
  mlist->add_flag("--json", o->json, "Print {\"merges\": […]}");
  mlist->callback([&env, o] { env.action = [&env, o] { return MergeListCmd(env, *o); }; });

  auto* audit = app.add_subcommand("audit", "Show the audit log, newest first");
  audit->add_option("--id", o->entity_id, "Only entries about this record");
  audit->add_option("--actor", o->actor, "Only entries by this person");
  audit->add_option("--action", o->action, "Only this action (create, update, merge …)");
  audit->add_option("--limit", o->limit, "How many (default 20)");
  audit->add_flag("--json", o->json, "Print {\"entries\": […]}");
  audit->callback([&env, o] { env.action = [&env, o] { return AuditCmd(env, *o); }; });

  auto* backup =
      app.add_subcommand("backup", "Write a consistent copy of the database while the hub runs");
  backup
      ->add_option("file", o->path,
                   "Where to write the copy (never the hub's own file; an earlier copy of this "
                   "hub is replaced whole, at the end)")
      ->required();
  backup->add_flag("--force", o->force,
                   "Replace an existing file that is not an earlier copy of this hub (another "
                   "hub, a file of another kind)");
  backup->callback([&env, o] { env.action = [&env, o] { return BackupCmd(env, *o); }; });

  auto* user = app.add_subcommand("user", "Manage users and roles (admin)");
  user->require_subcommand(1);
  auto* uadd = user->add_subcommand("add", "Add or update a user");
  uadd->add_option("login", o->login, "Login name")->required();
  uadd->add_option("--role", o->role, "sales, service, steward, manager, admin or erp")->required();
  uadd->add_option("--division", o->division, "The user's division (empty: all)");
  uadd->add_option("--name", o->name, "Full name as people type it (default: the login)");
  uadd->add_flag("--away", o->away, "Mark as away (skipped by lead routing)");
  uadd->add_flag("--password-stdin", o->password_stdin,
                 "Read a password (8+ characters) from standard input");
  uadd->add_flag("--json", o->json, "Print the user as JSON");
  uadd->callback([&env, o] { env.action = [&env, o] { return UserAddCmd(env, *o); }; });
  auto* ulist = user->add_subcommand("list", "List users");
  ulist->add_flag("--json", o->json, "Print {\"users\": […]}");
  ulist->callback([&env, o] { env.action = [&env, o] { return UserListCmd(env, *o); }; });

  RegisterRecordCommands(app, env);
}

}  // namespace cx
