// The checks of `cxhub check`: each reads through the store in its own transaction, so that
// one damaged area does not hide the findings of the others.
#include "service/check_service.h"

#include <unordered_set>

#include "base/safe_text.h"
#include "service/match.h"

namespace cx {
namespace {

constexpr int kMaxProblems = 40;

std::string Grouped(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > (s[0] == '-' ? 1 : 0); i -= 3) s.insert(size_t(i), ",");
  return s;
}

// Adds a problem, keeping at most kMaxProblems and counting the rest.
void Problem(CheckFinding* f, std::string p, int64_t* dropped) {
  f->ok = false;
  if (int(f->problems.size()) < kMaxProblems) {
    f->problems.push_back(std::move(p));
  } else {
    ++*dropped;
  }
}

void Close(CheckFinding* f, int64_t dropped) {
  if (dropped > 0) f->problems.push_back("… and " + Grouped(dropped) + " more");
}

// Runs `fn` in a transaction; a failure (a damaged page met on the way) is a problem of `f`.
void Run(const Context& ctx, CheckFinding* f, const std::function<Status(Tx&)>& fn) {
  Status st = ctx.store->Transaction(fn);
  // The end of a transaction that already named the damage adds nothing new.
  if (!st.ok() && f->ok) {
    f->ok = false;
    f->problems.push_back("cannot be read: " + st.message());
  }
}

CheckFinding Storage(const Context& ctx) {
  CheckFinding f{"storage", true, "", {}};
  Run(ctx, &f, [&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto lines, tx.CheckStorage(kMaxProblems));
    for (auto& l : lines) {
      f.ok = false;
      f.problems.push_back(std::move(l));
    }
    if (f.ok) f.summary = "every page, table and index read";
    return Status::Ok();
  });
  return f;
}

CheckFinding References(const Context& ctx) {
  CheckFinding f{"references", true, "", {}};
  Run(ctx, &f, [&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto lines, tx.CheckReferences(kMaxProblems));
    for (auto& l : lines) {
      f.ok = false;
      f.problems.push_back(std::move(l));
    }
    if (f.ok) f.summary = "every record's references name existing records";
    return Status::Ok();
  });
  return f;
}

// The audit log has no hash chain: it is append-only by its guards, and its sequence numbers
// (handed out by the database, never reused) run 1, 2, … without a gap. A row removed, or
// the log cut short, or the guards dropped to make either possible, shows here.
CheckFinding AuditLog(const Context& ctx) {
  CheckFinding f{"audit log", true, "", {}};
  Run(ctx, &f, [&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(AuditLogFacts a, tx.GetAuditLogFacts());
    for (const auto& g : a.missing_guards) {
      f.ok = false;
      f.problems.push_back("the guard " + g + " that keeps the log append-only is missing");
    }
    if (a.rows > 0 && a.min_seq != 1) {
      f.ok = false;
      f.problems.push_back("entries 1 to " + Grouped(a.min_seq - 1) + " are missing");
    }
    if (a.rows > 0 && a.max_seq - a.min_seq + 1 != a.rows) {
      f.ok = false;
      f.problems.push_back(Grouped(a.max_seq - a.min_seq + 1 - a.rows) +
                           " entries are missing between " + Grouped(a.min_seq) + " and " +
                           Grouped(a.max_seq));
    }
    if (a.highest_ever > a.max_seq) {
      f.ok = false;
      f.problems.push_back("the last " + Grouped(a.highest_ever - a.max_seq) + " entries (up to " +
                           Grouped(a.highest_ever) + ") are missing");
    }
    f.summary = Grouped(a.rows) + " entries";
    return Status::Ok();
  });
  return f;
}

// The name index holds exactly the words of every live record's name (service/match.h,
// MatchWords), each block counting its ids right.
CheckFinding NameIndex(const Context& ctx, NameKind k) {
  const std::string label = k == NameKind::kAccount ? "accounts" : "contacts";
  CheckFinding f{"name index of " + label, true, "", {}};
  int64_t dropped = 0;
  Run(ctx, &f, [&](Tx& tx) -> Status {
    std::unordered_set<std::string> expected;
    int64_t records = 0;
    CX_RETURN_IF_ERROR(tx.ForEachMatchKeys(k, [&](const MatchKeys& m) -> Status {
      ++records;
      for (const auto& w : MatchWords(k, m.name)) expected.insert(w + '\x1f' + m.id);
      return Status::Ok();
    }));
    const size_t entries = expected.size();
    CX_RETURN_IF_ERROR(tx.ForEachNamePosting(k, [&](const NamePosting& p) -> Status {
      if (int64_t(p.ids.size()) != p.records) {
        Problem(&f,
                "the word '" + QuotePrefix(p.word) + "' counts " + Grouped(p.records) +
                    " records in a block that lists " + Grouped(int64_t(p.ids.size())),
                &dropped);
      }
      for (const auto& id : p.ids) {
        if (expected.erase(p.word + '\x1f' + id) == 0) {
          Problem(&f,
                  "the word '" + QuotePrefix(p.word) + "' lists " + QuotePrefix(id) +
                      ", whose name has no such word (or which is merged or gone)",
                  &dropped);
        }
      }
      return Status::Ok();
    }));
    for (const auto& e : expected) {
      const size_t sep = e.find('\x1f');
      Problem(&f,
              QuotePrefix(e.substr(sep + 1)) + " is missing under the word '" +
                  QuotePrefix(e.substr(0, sep)) + "'",
              &dropped);
    }
    f.summary = Grouped(records) + " " + label + ", " + Grouped(int64_t(entries)) + " entries";
    return Status::Ok();
  });
  Close(&f, dropped);
  return f;
}

}  // namespace

HubCheckReport CheckHub(const Context& ctx) {
  HubCheckReport r;
  r.checks.push_back(Storage(ctx));
  r.checks.push_back(References(ctx));
  r.checks.push_back(AuditLog(ctx));
  r.checks.push_back(NameIndex(ctx, NameKind::kAccount));
  r.checks.push_back(NameIndex(ctx, NameKind::kContact));
  return r;
}

Status CheckStorageSound(const Context& ctx, const std::string& what) {
  CheckFinding f = Storage(ctx);
  if (f.ok) return Status::Ok();
  Status st = Internal(what +
                       " is damaged; nothing was written. Run `cxhub check` to see what "
                       "is damaged, and restore the last good copy made by `cxhub backup`");
  for (size_t i = 0; i < f.problems.size() && i < 5; ++i) st.AddDetail(f.problems[i]);
  return st;
}

}  // namespace cx
