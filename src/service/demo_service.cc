// Demo data generator: deterministic from a seed, realistic for all five divisions.
#include "service/demo_service.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <unordered_set>

#include "base/text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/demo_feedback.h"
#include "service/demo_strategy.h"
#include "service/demo_words.h"
#include "service/user_service.h"

namespace cx {
namespace {

using demo::Gen;
using demo::kSectors;
using demo::Phone;
using demo::Slug;
using demo::Variant;
using demo::WordList;

constexpr int64_t kChunk = 20000;  // records per transaction
constexpr int64_t kDay = 86400;

const std::array<const char*, 6> kSuffixes = {"Ltd",      "Limited",         "Plc",
                                              "Nig. Ltd", "Nigeria Limited", ""};
const std::array<const char*, 40> kFirstNames = {
    "Chinedu",   "Ngozi",  "Tunde",   "Aisha",   "Emeka",    "Funke",  "Ibrahim", "Kemi",
    "Musa",      "Nneka",  "Olumide", "Yetunde", "Chiamaka", "Segun",  "Halima",  "Uche",
    "Bola",      "Zainab", "Femi",    "Amaka",   "Kunle",    "Hauwa",  "Obinna",  "Tolu",
    "Sadiq",     "Ifeoma", "Dayo",    "Maryam",  "Gbenga",   "Chioma", "Yusuf",   "Adaeze",
    "Babatunde", "Fatima", "Ikenna",  "Lola",    "Nasir",    "Oluchi", "Rotimi",  "Salamatu"};
const std::array<const char*, 30> kSurnames = {
    "Okafor",   "Adeyemi",  "Bello",   "Chukwu",  "Danjuma", "Eze",      "Fashola",   "Garba",
    "Hassan",   "Ibe",      "Johnson", "Kalu",    "Lawal",   "Mohammed", "Nwachukwu", "Obi",
    "Ogunbiyi", "Oladipo",  "Peters",  "Quadri",  "Raji",    "Sule",     "Taiwo",     "Umeh",
    "Usman",    "Williams", "Yakubu",  "Zubairu", "Akande",  "Ekwueme"};
const std::array<const char*, 12> kTitles = {
    "Managing Director", "Procurement Manager", "Facility Manager", "Operations Head",
    "Chief Engineer",    "Pharmacist",          "Fleet Manager",    "Owner",
    "Finance Director",  "Head of Admin",       "Medical Director", "Purchasing Officer"};
const std::array<const char*, 10> kIndustries = {
    "Manufacturing", "Oil & Gas",    "Healthcare",  "Hospitality", "Logistics",
    "Retail",        "Construction", "Agriculture", "Telecoms",    "Private household"};
const std::array<const char*, 8> kCities = {"Lagos",  "Abuja", "Port Harcourt", "Kano",
                                            "Ibadan", "Enugu", "Benin City",    "Kaduna"};

struct Person {
  const char* login;
  const char* name;
  const char* role;
  const char* division;
};
const std::array<Person, 18> kPeople = {{
    {"adaeze.m", "Adaeze Mba", "sales", "Motors"},
    {"tunde.s", "Tunde Salako", "sales", "Motors"},
    {"kemi.o", "Kemi Oyelaran", "service", "Motors"},
    {"chidi.e", "Chidi Eze", "steward", "Motors"},
    {"bola.a", "Bola Adekunle", "sales", "Power & Industrial"},
    {"musa.d", "Musa Dikko", "sales", "Power & Industrial"},
    {"ngozi.i", "Ngozi Ike", "sales", "Power & Industrial"},
    {"femi.l", "Femi Lawson", "steward", "Power & Industrial"},
    {"halima.b", "Halima Bala", "sales", "Medical"},
    {"uche.n", "Uche Nnaji", "service", "Medical"},
    {"zainab.k", "Zainab Kolo", "steward", "Medical"},
    {"segun.f", "Segun Fadipe", "service", "GRAS"},
    {"amaka.o", "Amaka Obi", "service", "Cube 65"},
    {"ibrahim.g", "Ibrahim Gana", "manager", ""},
    {"funke.a", "Funke Alade", "manager", ""},
    {"admin", "System Owner", "admin", ""},
    {"erp-export", "ERP export job", "erp", ""},
    {"yetunde.r", "Yetunde Raji", "sales", "Motors"},
}};

const std::vector<std::string>& StagesOf(const std::string& division) {
  static const std::vector<std::string> kMotors = {"Inquiry", "Qualified", "Test Drive", "Quote"};
  static const std::vector<std::string> kPower = {"Lead", "Qualified", "Discovery", "Proposal",
                                                  "Negotiation"};
  static const std::vector<std::string> kMedical = {"Target", "Contacted", "Onboarding", "Signed"};
  static const std::vector<std::string> kNone;
  if (division == "Motors") return kMotors;
  if (division == "Power & Industrial") return kPower;
  if (division == "Medical") return kMedical;
  return kNone;
}

// Progress of a long step on stderr, rewritten in place once per percent (a line per record
// would be a million lines in a log).
struct Progress {
  bool quiet;
  const char* what;
  int64_t total;
  int64_t shown = -1;  // the percent last printed
  void Show(int64_t done) {
    if (quiet || total < 50000) return;
    const int64_t percent = done * 100 / total;
    if (percent == shown) return;
    shown = percent;
    std::fprintf(stderr, "\rdemo: %s %lld/%lld", what, (long long)done, (long long)total);
    if (done >= total) std::fprintf(stderr, "\n");
  }
};

}  // namespace

Result<DemoSummary> GenerateDemo(const Context& ctx, const DemoOptions& opt) {
  if (opt.accounts < 1 || opt.accounts > 5000000)
    return Invalid("--accounts: must be between 1 and 5,000,000");
  if (opt.duplicate_rate < 0 || opt.duplicate_rate > 0.5)
    return Invalid("--duplicate-rate: must be between 0 and 0.5");
  const int64_t n_contacts = opt.contacts >= 0 ? opt.contacts : opt.accounts * 2;
  const int64_t n_inter =
      opt.interactions >= 0 ? opt.interactions : std::min<int64_t>(opt.accounts * 8, 200000);
  Date as_of_date;
  if (opt.as_of.empty()) {
    int secs = 0;
    ctx.zone.ToLocal(ctx.now(), &as_of_date, &secs);
  } else {
    CX_ASSIGN_OR_RETURN(as_of_date, ParseDate(opt.as_of));
  }
  const Timestamp end = ctx.zone.ToUtc(as_of_date, 17 * 3600);
  const Timestamp start = end - 365 * kDay;
  {
    bool empty = true;
    CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
      CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));  // not the erp role
      CX_ASSIGN_OR_RETURN(int64_t n, tx.CountAccounts(AccountFilter{}));
      empty = n == 0;
      return Status::Ok();
    }));
    if (!empty) return Invalid("demo: the hub already has accounts; run demo on an empty database");
  }
  Gen g(opt.seed);
  DemoSummary sum;
  std::vector<std::string> words = WordList(g, 600);
  const Timestamp now = ctx.now();

  // Users.
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    for (const auto& p : kPeople) {
      User u{p.login, p.name, p.role, p.division, "", false, now};
      CX_RETURN_IF_ERROR(tx.UpsertUser(u));
      ++sum.users;
    }
    return Status::Ok();
  }));
  auto sales_of = [&](const std::string& division) {
    std::vector<const Person*> out;
    for (const auto& p : kPeople) {
      if (division == p.division && std::string(p.role) == "sales") out.push_back(&p);
    }
    if (out.empty()) {
      for (const auto& p : kPeople) {
        if (division == p.division) out.push_back(&p);
      }
    }
    return out;
  };
  // People columns link to users by login (docs/people.md); the hub shows the full name.
  auto person_of = [&](const std::string& division) -> std::string {
    auto v = sales_of(division);
    if (v.empty()) return "ibrahim.g";
    return v[size_t(g.Int(0, int64_t(v.size()) - 1))]->login;
  };

  // Accounts (and their planted duplicates).
  struct AccInfo {
    std::string id, division, erp;
  };
  std::vector<AccInfo> accs;
  accs.reserve(size_t(opt.accounts * (1 + opt.duplicate_rate)) + 1);
  std::unordered_set<std::string> keys;
  Progress prog{opt.quiet, "accounts", opt.accounts};
  int64_t made = 0;
  int64_t erp_seq = 100000;
  while (made < opt.accounts) {
    CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
      for (int64_t k = 0; k < kChunk && made < opt.accounts; ++k) {
        std::string w1, w2, sector, name, base;
        for (int tries = 0;; ++tries) {
          w1 = words[size_t(g.Int(0, int64_t(words.size()) - 1))];
          w2 = words[size_t(g.Int(0, int64_t(words.size()) - 1))];
          sector = g.Pick(kSectors);
          if (w1 == w2) continue;
          base = g.Chance(0.3) ? w1 : w1 + " " + w2;
          name = base + " " + sector;
          std::string suffix = g.Pick(kSuffixes);
          if (!suffix.empty()) name += " " + suffix;
          // The first account is the company the README's search means ("okafor enginering").
          if (made == 0)
            base = "Okafor", sector = "Engineering", name = base + " " + sector + " Ltd";
          if (keys.insert(CompanyKey(name)).second) break;
          if (tries > 1000) return Internal("demo: ran out of distinct company names");
        }
        double r = g.Real(0, 1);
        std::string division = r < 0.35   ? "Motors"
                               : r < 0.6  ? "Power & Industrial"
                               : r < 0.75 ? "Medical"
                               : r < 0.9  ? "GRAS"
                                          : "Cube 65";
        Account a;
        a.id = "A-" + std::string(6 - std::min<size_t>(6, std::to_string(made + 1).size()), '0') +
               std::to_string(made + 1);
        a.name = name;
        a.industry = division == "Medical" ? "Healthcare"
                     : division == "GRAS"  ? "Hospitality"
                                           : g.Pick(kIndustries);
        a.divisions = division;
        a.type = division == "Medical" ? (g.Chance(0.4) ? "target-distributor" : "distributor")
                                       : (g.Chance(0.2) ? "prospect" : "customer");
        a.owner = a.type == "prospect" || a.type == "target-distributor" ? "" : person_of(division);
        a.city = g.Pick(kCities);
        a.phone = Phone(made);
        a.email = "info@" + Slug(base) + std::to_string(made) + ".com.ng";
        if (a.type != "prospect" && a.type != "target-distributor" && g.Chance(0.8)) {
          a.erp_customer_id = "CUST" + std::to_string(++erp_seq);
          a.address = std::to_string(g.Int(1, 200)) + " " + words[size_t(g.Int(0, 50))] + " Road";
          a.status = "active";
        }
        a.created_at = a.updated_at = now;
        CX_RETURN_IF_ERROR(tx.InsertAccount(a));
        accs.push_back({a.id, division, a.erp_customer_id});
        ++made;
        if (g.Chance(opt.duplicate_rate)) {
          int kind = int(g.Int(0, 6));
          Account d;
          d.id = a.id + "-D";
          d.divisions = division;
          d.type = a.type;
          d.owner = person_of(division);
          d.created_at = d.updated_at = now;
          d.custom["demo_duplicate_of"] = a.id;
          if (kind == 6) {  // same phone, name typed differently
            d.name = Variant(g, name, base, sector, 3);
            d.phone = "0" + PhoneKey(a.phone).substr(1);
          } else {
            d.name = Variant(g, name, base, sector, kind);
            if (g.Chance(0.5)) d.email = AsciiLower(a.email);
          }
          CX_RETURN_IF_ERROR(tx.InsertAccount(d));
          accs.push_back({d.id, division, ""});
          ++sum.planted_duplicates;
        }
        prog.Show(made);
      }
      return Status::Ok();
    }));
  }
  sum.accounts = int64_t(accs.size());

  // Contacts: about two per account; planted duplicates share an email.
  struct ConInfo {
    std::string id;
    size_t acc;
  };
  std::vector<ConInfo> cons;
  cons.reserve(size_t(n_contacts) + 1);
  Progress cprog{opt.quiet, "contacts", n_contacts};
  int64_t cmade = 0;
  while (cmade < n_contacts) {
    CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
      for (int64_t k = 0; k < kChunk && cmade < n_contacts; ++k) {
        size_t ai =
            size_t(cmade < int64_t(accs.size()) ? cmade : g.Int(0, int64_t(accs.size()) - 1));
        Contact c;
        c.id = "C-" + std::string(6 - std::min<size_t>(6, std::to_string(cmade + 1).size()), '0') +
               std::to_string(cmade + 1);
        std::string first = g.Pick(kFirstNames), last = g.Pick(kSurnames);
        c.full_name = first + " " + last;
        c.job_title = g.Pick(kTitles);
        c.account_id = accs[ai].id;
        c.email =
            AsciiLower(first) + "." + AsciiLower(last) + std::to_string(cmade) + "@mail.com.ng";
        c.phone = Phone(50000000 + cmade);
        c.created_at = c.updated_at = now;
        CX_RETURN_IF_ERROR(tx.InsertContact(c));
        cons.push_back({c.id, ai});
        ++cmade;
        if (g.Chance(opt.duplicate_rate / 2)) {
          Contact d = c;
          d.id = c.id + "-D";
          d.full_name = AsciiLower(last) + ", " + first;
          d.email = c.email;
          d.phone.clear();
          d.custom["demo_duplicate_of"] = c.id;
          CX_RETURN_IF_ERROR(tx.InsertContact(d));
          cons.push_back({d.id, ai});
        }
        cprog.Show(cmade);
      }
      return Status::Ok();
    }));
  }
  sum.contacts = int64_t(cons.size());
  if (cons.empty()) return sum;

  // Opportunities through each division's journey, with stage history and the
  // interactions that answer them; cases; interactions; orders; feedback.
  const int64_t n_opps = std::min<int64_t>(std::max<int64_t>(opt.accounts / 2, 10), 100000);
  int64_t opp_seq = 0, case_seq = 0, int_seq = 0, ord_seq = 0;
  auto pad = [](const char* p, int64_t n) {
    std::string s = std::to_string(n);
    return std::string(p) + "-" + std::string(6 - std::min<size_t>(6, s.size()), '0') + s;
  };
  auto contact_of = [&](size_t acc_index) -> std::string {
    // The first contact of the account when it has one, else any.
    if (acc_index < cons.size() && cons[acc_index].acc == acc_index) return cons[acc_index].id;
    return cons[size_t(g.Int(0, int64_t(cons.size()) - 1))].id;
  };
  const std::array<const char*, 5> kLostReasons = {"price", "chose a competitor", "no budget",
                                                   "delivery time", "went silent"};
  const std::array<const char*, 6> kNotes = {
      "Asked for a quote on the new model; wants delivery before month end.",
      "Discussed warranty terms (6 years) and service intervals.",
      "Site visit: generator room measured, 500 kVA needed, ATS panel to replace.",
      "Distributor meeting: onboarding kit sent, first order expected next quarter.",
      "Customer complained about waiting time at the service centre.",
      "Follow-up call; decision maker travelling, call back next week."};
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    for (int64_t k = 0; k < n_opps; ++k) {
      size_t ai = size_t(g.Int(0, int64_t(accs.size()) - 1));
      const std::string& division = accs[ai].division;
      const auto& stages = StagesOf(division);
      if (stages.empty()) continue;
      Opportunity o;
      o.id = pad("O", ++opp_seq);
      o.account_id = accs[ai].id;
      o.division = division;
      o.owner = person_of(division);
      o.amount = division == "Motors"    ? g.Real(8e6, 9e7)
                 : division == "Medical" ? g.Real(2e6, 5e7)
                                         : g.Real(2e7, 8e8);
      o.amount = std::round(*o.amount / 1000) * 1000;
      // Created at a working-day hour, sometimes out of hours.
      Timestamp created = start + g.Int(0, 360) * kDay + g.Int(7, 19) * 3600 + g.Int(0, 59) * 60;
      o.created = created;
      o.title = division == "Motors"    ? "New vehicle"
                : division == "Medical" ? "Distribution agreement"
                                        : "Generator supply";
      size_t reach = size_t(g.Int(0, int64_t(stages.size()) - 1));
      Timestamp t = created;
      std::vector<StageEntry> hist;
      for (size_t s = 0; s <= reach; ++s) {
        if (s > 0) t += g.Int(1, 20) * kDay + g.Int(0, 8) * 3600;
        if (t > end) break;
        hist.push_back({o.id, stages[s], t, o.owner});
      }
      o.stage = hist.back().stage;
      double fate = g.Real(0, 1);
      Timestamp close_at = t + g.Int(1, 25) * kDay;
      if (reach + 1 == stages.size() && fate < 0.55 && close_at <= end) {
        o.outcome = "won";
        o.closed = close_at;
      } else if (fate > 0.8 && close_at <= end) {
        o.outcome = "lost";
        o.closed = close_at;
        o.lost_reason = g.Pick(kLostReasons);
      }
      CX_RETURN_IF_ERROR(tx.InsertOpportunity(o));
      for (const auto& h : hist) CX_RETURN_IF_ERROR(tx.AddStage(h));
      if (o.outcome == "won" && division == "Medical") {
        // Signing is the last stage; nothing more to record.
      }
      if (o.outcome == "won") {
        CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(o.account_id));
        if (acc && acc->owner != o.owner) {
          AuditEntry e{0,       *o.closed, o.owner,    "ownership", "account",
                       acc->id, "owner",   acc->owner, o.owner,     "won opportunity " + o.id};
          acc->owner = o.owner;
          CX_RETURN_IF_ERROR(tx.UpdateAccount(*acc));
          CX_RETURN_IF_ERROR(tx.AppendAudit(e));
        }
      }
      ++sum.opportunities;
      // The first response: usually within the SLA, sometimes late, sometimes by someone else.
      if (g.Chance(0.9)) {
        Interaction i;
        i.id = pad("I", ++int_seq);
        double late = g.Real(0, 1);
        i.at = created + (late < 0.75  ? g.Int(600, 3 * 3600)
                          : late < 0.9 ? g.Int(5 * 3600, 11 * 3600)
                                       : g.Int(13 * 3600, 60 * 3600));
        if (i.at > end) i.at = end;
        i.contact_id = contact_of(ai);
        i.channel = g.Chance(0.6) ? "phone" : "whatsapp";
        i.notes = kNotes[size_t(division == "Medical" ? 3 : division == "Motors" ? 0 : 2)];
        i.logged_by = g.Chance(0.85) ? o.owner : person_of(division);
        i.division = division;
        i.type = division == "Motors" ? "inquiry" : division == "Medical" ? "meeting" : "lead";
        i.opportunity_id = o.id;
        i.created_at = i.at;
        CX_RETURN_IF_ERROR(tx.InsertInteraction(i));
        ++sum.interactions;
      }
    }
    return Status::Ok();
  }));

  // Cases of every kind.
  const int64_t n_cases = std::min<int64_t>(std::max<int64_t>(opt.accounts / 5, 10), 50000);
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    for (int64_t k = 0; k < n_cases; ++k) {
      size_t ai = size_t(g.Int(0, int64_t(accs.size()) - 1));
      const std::string& division = accs[ai].division;
      Case c;
      c.id = pad("K", ++case_seq);
      c.account_id = accs[ai].id;
      c.contact_id = contact_of(ai);
      c.division = division;
      c.kind = division == "Medical"  ? (g.Chance(0.7) ? "quality-flag" : "complaint")
               : division == "Motors" ? (g.Chance(0.5)   ? "after-sales"
                                         : g.Chance(0.5) ? "service-job"
                                                         : "complaint")
                                      : "complaint";
      c.summary = c.kind == "quality-flag"  ? "Distributor reports packaging defect from a hospital"
                  : c.kind == "service-job" ? "Scheduled service with brake pads"
                                            : "Customer unhappy with response time";
      c.opened = start + g.Int(0, 362) * kDay + g.Int(8, 18) * 3600;
      c.owner = division == "Medical"  ? "uche.n"
                : division == "Motors" ? "kemi.o"
                                       : person_of(division);
      if (g.Chance(0.85)) c.first_response = c.opened + g.Int(900, 20 * 3600);
      if (c.kind == "quality-flag" && g.Chance(0.85))
        c.resolution_confirmed = c.opened + g.Int(4 * 3600, 70 * 3600);
      if (c.kind == "service-job") {
        c.quote_approved = c.opened + g.Int(3600, 2 * kDay);
        c.work_started = *c.quote_approved + g.Int(3600, kDay);
      }
      Timestamp close_base = c.resolution_confirmed.value_or(c.first_response.value_or(c.opened));
      if (g.Chance(0.75)) c.closed = close_base + g.Int(3600, 5 * kDay);
      for (auto* t : {&c.first_response, &c.resolution_confirmed, &c.closed, &c.quote_approved,
                      &c.work_started}) {
        if (*t && **t > end) t->reset();
      }
      CX_RETURN_IF_ERROR(tx.InsertCase(c));
      ++sum.cases;
      int touches = c.kind == "after-sales" ? int(g.Int(1, 3)) : int(g.Int(0, 2));
      for (int x = 0; x < touches; ++x) {
        Interaction i;
        i.id = pad("I", ++int_seq);
        i.at = std::min(end, c.opened + g.Int(1800, 3 * kDay));
        i.contact_id = c.contact_id;
        i.channel = g.Chance(0.5) ? "phone" : "visit";
        i.notes = kNotes[4];
        i.logged_by = c.owner;
        i.division = division;
        i.type = "service";
        i.case_id = c.id;
        i.created_at = i.at;
        CX_RETURN_IF_ERROR(tx.InsertInteraction(i));
        ++sum.interactions;
      }
    }
    return Status::Ok();
  }));

  // A year of everyday interactions, some with next actions (a few overdue).
  Progress iprog{opt.quiet, "interactions", n_inter};
  int64_t imade = 0;
  while (imade < n_inter) {
    CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
      // Written many per statement: on a server store a statement per row would be a round
      // trip per row.
      std::vector<Interaction> batch;
      for (int64_t k = 0; k < kChunk && imade < n_inter; ++k, ++imade) {
        const ConInfo& c = cons[size_t(g.Int(0, int64_t(cons.size()) - 1))];
        const std::string& division = accs[c.acc].division;
        Interaction i;
        i.id = pad("I", ++int_seq);
        i.at = start + g.Int(0, 364) * kDay + g.Int(8, 18) * 3600 + g.Int(0, 59) * 60;
        i.contact_id = c.id;
        i.channel = Channels()[size_t(g.Int(0, 7))].data();
        i.notes = kNotes[size_t(g.Int(0, int64_t(kNotes.size()) - 1))];
        if (g.Chance(0.02)) i.notes += "\nLong note: " + std::string(size_t(g.Int(200, 2000)), 'x');
        i.logged_by = person_of(division);
        i.division = division;
        i.type = division == "Power & Industrial" && g.Chance(0.2) ? "negotiation" : "follow-up";
        if (g.Chance(0.3)) {
          i.next_action =
              g.Chance(0.5) ? "Call back with revised quote" : "Send brochure and price list";
          i.next_action_due = i.at + g.Int(1, 14) * kDay;
          i.next_action_owner = i.logged_by;
          i.next_action_done = *i.next_action_due < end - 7 * kDay && g.Chance(0.85);
        }
        i.created_at = i.at;
        batch.push_back(std::move(i));
        ++sum.interactions;
        iprog.Show(imade + 1);
      }
      return tx.InsertInteractions(batch);
    }));
  }

  // Two years of ERP orders: visits for GRAS and Cube 65, orders for the others.
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    std::vector<Order> orders;  // a new hub has none: inserted many per statement
    for (const auto& a : accs) {
      if (a.erp.empty()) continue;
      bool visits = a.division == "GRAS" || a.division == "Cube 65";
      int n = visits ? int(g.Int(1, 8)) : int(g.Int(0, 3));
      if (accs.size() > 100000) n = std::min(n, 2);
      for (int x = 0; x < n; ++x) {
        Order o;
        o.id = "SO" + std::to_string(1000000 + ++ord_seq);
        o.erp_customer_id = a.erp;
        o.date = end - g.Int(0, 729) * kDay - g.Int(0, 8) * 3600;
        o.division = a.division;
        o.amount = visits ? std::round(g.Real(8000, 60000)) : std::round(g.Real(1e6, 4e7));
        o.currency = "NGN";
        o.last_modified = o.date;
        orders.push_back(std::move(o));
        ++sum.orders;
      }
    }
    std::vector<const Order*> rows;
    rows.reserve(orders.size());
    for (const Order& o : orders) rows.push_back(&o);
    return tx.InsertOrders(rows);
  }));

  // The voice of the customer: touchpoints, lead sources, feedback along the journeys, survey
  // answers, newsletter sign-ups (service/demo_feedback.cc), from a sample of the contacts.
  const int64_t n_fb = std::min<int64_t>(std::max<int64_t>(opt.accounts * 2, 200), 50000);
  std::vector<DemoContact> sample;
  const size_t step = std::max<size_t>(1, cons.size() / 20000);
  for (size_t i = 0; i < cons.size(); i += step)
    sample.push_back({cons[i].id, accs[cons[i].acc].id, accs[cons[i].acc].division});
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    DemoFeedbackCounts fc;
    CX_RETURN_IF_ERROR(GenerateDemoFeedback(tx, g.rng(), sample, start, end, n_fb, &fc));
    sum.feedback = fc.feedback;
    sum.touchpoints = fc.touchpoints;
    sum.survey_answers = fc.survey_answers;
    sum.newsletter = fc.newsletter;
    char what[256];
    std::snprintf(what, sizeof what, "%lld accounts, %lld contacts, %lld interactions (seed %llu)",
                  (long long)sum.accounts, (long long)sum.contacts, (long long)sum.interactions,
                  (unsigned long long)opt.seed);
    return AuditAction(tx, ctx, "demo", "hub", "demo", what, "demo data");
  }));
  CX_RETURN_IF_ERROR(AddDemoStrategy(ctx));  // service/demo_strategy.cc
  return sum;
}

}  // namespace cx
