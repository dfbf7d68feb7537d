// The KPI engine: each KPI of docs/kpi.md computed from indexed facts of one period.
#include "service/kpi_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "domain/division.h"
#include "service/feedback_report.h"

namespace cx {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

namespace {

// Adds an id to a drill-down list, keeping at most `limit`.
void Keep(std::vector<std::string>* ids, const std::string& id, int limit, bool* truncated) {
  if (int(ids->size()) < limit) {
    ids->push_back(id);
  } else {
    *truncated = true;
  }
}

// State for computing one period's scorecard.
struct Engine {
  Tx& tx;
  const KpiQuery& q;
  Period period;
  PeriodBounds b;
  const BusinessHoursFn& hours;
  std::vector<KpiValue> out;

  bool Wants(const std::string& division) const {
    return q.division.empty() || q.division == division;
  }

  KpiValue Start(const KpiDef& def, const std::string& division) const {
    KpiValue v;
    v.division = division;
    v.key = def.key;
    v.name = def.name;
    v.unit = def.unit;
    return v;
  }

  // A ratio of counts; null with `why` when the denominator is zero.
  static void Ratio(KpiValue* v, int64_t num, int64_t den, const std::string& why) {
    v->numerator = double(num);
    v->denominator = double(den);
    v->sample = den;
    if (den == 0) {
      v->note = why;
    } else {
      v->value = double(num) / double(den);
    }
  }
  // A mean; null with `why` when there is nothing to average.
  static void Mean(KpiValue* v, double sum, int64_t n, const std::string& why) {
    v->numerator = sum;
    v->denominator = double(n);
    v->sample = n;
    if (n == 0) {
      v->note = why;
    } else {
      v->value = sum / double(n);
    }
  }

  // Runs `fn` for each division of `def` that the query wants, timing it.
  Status ForDivisions(const KpiDef& def, const std::function<Status(KpiValue*)>& fn) {
    for (const auto& d : def.divisions) {
      if (!Wants(d)) continue;
      auto t0 = std::chrono::steady_clock::now();
      KpiValue v = Start(def, d);
      CX_RETURN_IF_ERROR(fn(&v));
      v.millis =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }

  // The opportunities of the division whose first entry of `stage` is in the period, with the
  // first entries of `other` and "won": from the kpi_funnel aggregate (`axis`) when it is up to
  // date, else from the facts. Same rows, same order (by id); from the aggregate only the fields
  // its axis holds are filled (Tx::KpiFunnel), which are those the KPI of that axis reads.
  Result<std::vector<KpiStageRow>> StageRows(const std::string& division, KpiFunnelAxis axis,
                                             const std::string& stage, const std::string& other) {
    CX_ASSIGN_OR_RETURN(auto kept, tx.KpiFunnel(axis, division, b.begin, b.end));
    if (!kept) return tx.KpiFirstStageEntries(division, stage, b.begin, b.end, other);
    std::vector<KpiStageRow> rows;
    rows.reserve(kept->size());
    for (auto& f : *kept) {
      KpiStageRow r;
      r.id = std::move(f.id);
      r.outcome = std::move(f.outcome);
      r.closed = f.closed;
      r.won_entered = f.won;
      switch (axis) {
        case KpiFunnelAxis::kQualified:
          r.entered = *f.qualified;
          r.other_entered = f.quote;
          break;
        case KpiFunnelAxis::kQuote:
          r.entered = *f.quote;
          r.other_entered = f.won;
          break;
        default:
          r.entered = *f.signed_at;
          r.other_entered = f.signed_at;
          break;
      }
      rows.push_back(std::move(r));
    }
    return rows;
  }

  // Opportunities of the division closed in the period with the first entry of `stage`
  // ("qualified" or "proposal"), in (closed, id) order: from the aggregate when it is up to date.
  // Only id, outcome, closed and stage_entered are read.
  Result<std::vector<KpiOpportunityRow>> ClosedRows(const std::string& division,
                                                    const std::string& stage) {
    CX_ASSIGN_OR_RETURN(auto kept, tx.KpiFunnel(KpiFunnelAxis::kClosed, division, b.begin, b.end));
    if (!kept) return tx.KpiClosedOpportunities(division, b.begin, b.end, stage);
    std::vector<KpiOpportunityRow> rows;
    rows.reserve(kept->size());
    for (auto& f : *kept) {
      KpiOpportunityRow o;
      o.id = std::move(f.id);
      o.outcome = std::move(f.outcome);
      o.closed = f.closed;
      o.stage_entered = stage == "proposal" ? f.proposal : f.qualified;
      rows.push_back(std::move(o));
    }
    return rows;
  }

  // Opportunities of the division created in the period with their first response by their
  // owner before the end, in (created, id) order: from the aggregate when it is up to date. Only
  // id, created and first_response are read.
  Result<std::vector<KpiOpportunityRow>> CreatedRows(const std::string& division) {
    CX_ASSIGN_OR_RETURN(auto kept, tx.KpiFunnel(KpiFunnelAxis::kCreated, division, b.begin, b.end));
    if (!kept) return tx.KpiCreatedOpportunities(division, b.begin, b.end, b.end);
    std::vector<KpiOpportunityRow> rows;
    rows.reserve(kept->size());
    for (auto& f : *kept) {
      KpiOpportunityRow o;
      o.id = std::move(f.id);
      o.created = f.created;
      if (f.first_response && *f.first_response < b.end) o.first_response = f.first_response;
      rows.push_back(std::move(o));
    }
    return rows;
  }

  Status InquiryToQuote(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows,
                        StageRows(v->division, KpiFunnelAxis::kQualified, "qualified", "quote"));
    int64_t num = 0;
    for (const auto& r : rows) {
      Keep(&v->denominator_ids, r.id, q.id_limit, &v->ids_truncated);
      if (r.other_entered && *r.other_entered < b.end) {
        ++num;
        Keep(&v->numerator_ids, r.id, q.id_limit, &v->ids_truncated);
      }
    }
    Ratio(v, num, int64_t(rows.size()), "no opportunity entered Qualified in the period");
    return Status::Ok();
  }

  // Won by the end of the period: outcome won, closed (or entered Won) before the end.
  bool WonBy(const std::string& outcome, const std::optional<Timestamp>& closed,
             const std::optional<Timestamp>& won_entered) const {
    if (!EqualsNoCase(outcome, "won")) return false;
    if (closed) return *closed < b.end;
    if (won_entered) return *won_entered < b.end;
    return true;  // won, with no date recorded at all
  }

  Status QuoteToPurchase(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows, StageRows(v->division, KpiFunnelAxis::kQuote, "quote", "won"));
    int64_t num = 0;
    for (const auto& r : rows) {
      Keep(&v->denominator_ids, r.id, q.id_limit, &v->ids_truncated);
      if (WonBy(r.outcome, r.closed, r.won_entered)) {
        ++num;
        Keep(&v->numerator_ids, r.id, q.id_limit, &v->ids_truncated);
      }
    }
    Ratio(v, num, int64_t(rows.size()), "no opportunity entered Quote in the period");
    return Status::Ok();
  }

  Status FirstContactResolution(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows,
                        tx.KpiCases(v->division, "after-sales", "closed", b.begin, b.end, b.end));
    int64_t num = 0, zero = 0;
    for (const auto& c : rows) {
      Keep(&v->denominator_ids, c.id, q.id_limit, &v->ids_truncated);
      if (c.interactions == 1) {
        ++num;
        Keep(&v->numerator_ids, c.id, q.id_limit, &v->ids_truncated);
      } else if (c.interactions == 0) {
        ++zero;
        Keep(&v->other_ids["without_interaction"], c.id, q.id_limit, &v->ids_truncated);
      }
    }
    if (zero) v->extra["without_interaction"] = double(zero);
    Ratio(v, num, int64_t(rows.size()), "no after-sales case was closed in the period");
    return Status::Ok();
  }

  Status LeadResponseHours(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows, CreatedRows(v->division));
    double sum = 0;
    int64_t answered = 0, unanswered = 0;
    for (const auto& o : rows) {
      if (!o.first_response) {
        ++unanswered;
        Keep(&v->other_ids["unanswered"], o.id, q.id_limit, &v->ids_truncated);
        continue;
      }
      ++answered;
      sum += hours(o.created, *o.first_response);
      Keep(&v->denominator_ids, o.id, q.id_limit, &v->ids_truncated);
    }
    v->numerator_ids = v->denominator_ids;
    v->extra["unanswered"] = double(unanswered);
    v->extra["leads"] = double(rows.size());
    Mean(v, sum, answered,
         rows.empty()
             ? "no lead was created in the period"
             : "no lead created in the period was answered by its owner by the end of the period");
    if (unanswered && v->value)
      v->note = std::to_string(unanswered) + " lead(s) unanswered, counted apart";
    return Status::Ok();
  }

  Status ProposalWinRate(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows, ClosedRows(v->division, "proposal"));
    int64_t num = 0, den = 0;
    for (const auto& o : rows) {
      if (!o.stage_entered || *o.stage_entered >= b.end) continue;
      ++den;
      Keep(&v->denominator_ids, o.id, q.id_limit, &v->ids_truncated);
      if (EqualsNoCase(o.outcome, "won")) {
        ++num;
        Keep(&v->numerator_ids, o.id, q.id_limit, &v->ids_truncated);
      }
    }
    Ratio(v, num, den, "no opportunity that had entered Proposal was closed in the period");
    return Status::Ok();
  }

  Status SalesCycleDays(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows, ClosedRows(v->division, "qualified"));
    double sum = 0;
    int64_t n = 0, unqualified = 0;
    for (const auto& o : rows) {
      if (!EqualsNoCase(o.outcome, "won")) continue;
      if (!o.stage_entered || *o.stage_entered >= b.end) {
        ++unqualified;
        Keep(&v->other_ids["won_never_qualified"], o.id, q.id_limit, &v->ids_truncated);
        continue;
      }
      ++n;
      sum += double(*o.closed - *o.stage_entered) / 86400.0;
      Keep(&v->denominator_ids, o.id, q.id_limit, &v->ids_truncated);
    }
    v->numerator_ids = v->denominator_ids;
    if (unqualified) v->extra["won_never_qualified"] = double(unqualified);
    Mean(v, sum, n, "no opportunity that had entered Qualified was won in the period");
    if (unqualified && v->value)
      v->note =
          std::to_string(unqualified) + " won opportunity(ies) never entered Qualified, left out";
    return Status::Ok();
  }

  Status DistributorAcquisition(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows,
                        StageRows(v->division, KpiFunnelAxis::kSigned, "signed", "signed"));
    int quarters = QuartersTouched(period);
    for (const auto& r : rows) Keep(&v->numerator_ids, r.id, q.id_limit, &v->ids_truncated);
    v->numerator = double(rows.size());
    v->denominator = quarters;
    v->sample = int64_t(rows.size());
    v->extra["quarters"] = quarters;
    CX_ASSIGN_OR_RETURN(bool any, tx.KpiAnyOpportunity(v->division, b.end));
    if (!any) {
      v->note = "no " + v->division + " opportunity is recorded up to the end of the period";
      return Status::Ok();
    }
    v->value = double(rows.size()) / quarters;
    return Status::Ok();
  }

  // Mean order amount this period ÷ the same a year earlier − 1.
  Status OrderYoy(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto now, tx.KpiOrders(v->division, b.begin, b.end));
    PeriodBounds prev = BoundsOf(YearEarlier(period), ctx_zone);
    CX_ASSIGN_OR_RETURN(auto before, tx.KpiOrders(v->division, prev.begin, prev.end));
    v->sample = now.orders;
    v->extra["orders"] = double(now.orders);
    v->extra["previous_orders"] = double(before.orders);
    // Amounts are money: their sums are taken to the cent, so that stores that add the same
    // amounts in another way (exact decimals, floating point in any order) give one answer,
    // and 0.1 + 0.2 is 0.3.
    auto cents = [](double sum) { return std::round(sum * 100) / 100; };
    double mean_now = now.orders ? cents(now.amount) / double(now.orders) : 0;
    double mean_before = before.orders ? cents(before.amount) / double(before.orders) : 0;
    v->numerator = mean_now;
    v->denominator = mean_before;
    CX_ASSIGN_OR_RETURN(v->numerator_ids, tx.KpiOrderIds(v->division, b.begin, b.end, q.id_limit));
    CX_ASSIGN_OR_RETURN(v->denominator_ids,
                        tx.KpiOrderIds(v->division, prev.begin, prev.end, q.id_limit));
    v->ids_truncated = v->ids_truncated || now.orders > q.id_limit || before.orders > q.id_limit;
    if (now.orders == 0) {
      v->note = "no " + v->division + " order in the period";
    } else if (before.orders == 0) {
      v->note = "no " + v->division + " order in the same period one year earlier";
    } else if (mean_before == 0) {
      v->note = "the mean order amount one year earlier is 0";
    } else {
      v->value = mean_now / mean_before - 1;
    }
    return Status::Ok();
  }

  Status QualityFlagHours(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(auto rows, tx.KpiCases(v->division, "quality-flag", "resolution_confirmed",
                                               b.begin, b.end, b.end));
    double sum = 0;
    for (const auto& c : rows) {
      sum += double(*c.resolution_confirmed - c.opened) / 3600.0;
      Keep(&v->denominator_ids, c.id, q.id_limit, &v->ids_truncated);
    }
    v->numerator_ids = v->denominator_ids;
    Mean(v, sum, int64_t(rows.size()),
         "no quality flag had its resolution confirmed in the period");
    return Status::Ok();
  }

  Status RepeatCustomerRate(KpiValue* v) {
    CX_ASSIGN_OR_RETURN(
        auto by_day, tx.KpiRepeatCustomersByDay(ctx_zone, v->division, DaysFromCivil(period.from),
                                                DaysFromCivil(period.to), q.id_limit));
    KpiRepeatStats st;
    if (by_day) {
      st = std::move(*by_day);
    } else {
      CX_ASSIGN_OR_RETURN(
          st, tx.KpiRepeatCustomers(v->division, b.begin, b.end, kKpiRepeatGapSeconds, q.id_limit));
    }
    v->numerator_ids = st.returning_ids;
    v->denominator_ids = st.returning_ids;
    for (const auto& id : st.other_ids) {
      if (int(v->denominator_ids.size()) < q.id_limit) v->denominator_ids.push_back(id);
    }
    v->ids_truncated = v->ids_truncated || st.customers > int64_t(v->denominator_ids.size());
    Ratio(v, st.returning, st.customers,
          "no " + v->division + " customer had an order in the period");
    return Status::Ok();
  }

  Status ReviewScore(KpiValue* v, const std::vector<KpiFeedbackRow>& reviews) {
    double sum = 0;
    int64_t n = 0;
    for (const auto& f : reviews) {
      if (f.division != v->division) continue;
      sum += f.score;
      ++n;
      Keep(&v->denominator_ids, f.id, q.id_limit, &v->ids_truncated);
    }
    v->numerator_ids = v->denominator_ids;
    Mean(v, sum, n, "no online review of " + v->division + " in the period");
    return Status::Ok();
  }

  Status Nps(KpiValue* v, const std::vector<KpiFeedbackRow>& scores) {
    int64_t n = 0, promoters = 0, detractors = 0;
    for (const auto& f : scores) {
      if (v->division != kAllDivisions && f.division != v->division) continue;
      ++n;
      Keep(&v->denominator_ids, f.id, q.id_limit, &v->ids_truncated);
      if (f.score >= 9) {
        ++promoters;
        Keep(&v->other_ids["promoters"], f.id, q.id_limit, &v->ids_truncated);
      } else if (f.score <= 6) {
        ++detractors;
        Keep(&v->other_ids["detractors"], f.id, q.id_limit, &v->ids_truncated);
      }
    }
    v->numerator = double(promoters - detractors);
    v->denominator = double(n);
    v->sample = n;
    v->extra["promoters"] = double(promoters);
    v->extra["detractors"] = double(detractors);
    v->numerator_ids = v->other_ids["promoters"];
    if (n == 0) {
      v->note = "no NPS score in the period";
    } else {
      v->value = 100.0 * double(promoters - detractors) / double(n);
    }
    return Status::Ok();
  }

  Status ComplaintRate(KpiValue* v, const std::vector<KpiCaseRow>& complaints,
                       const std::vector<KpiActiveAccount>& active) {
    int64_t num = 0;
    for (const auto& c : complaints) {
      if (v->division != kAllDivisions && c.division != v->division) continue;
      ++num;
      Keep(&v->numerator_ids, c.id, q.id_limit, &v->ids_truncated);
    }
    int64_t den = 0;
    if (counted) {
      const KpiActivityCount& c = counted->at(v->division == kAllDivisions ? "*" : v->division);
      den = c.accounts;
      v->denominator_ids = c.ids;
      if (c.accounts > int64_t(c.ids.size())) v->ids_truncated = true;
    } else if (v->division == kAllDivisions) {
      // `active` holds distinct (division, account) pairs: a division's count needs no set; All
      // does.
      std::unordered_set<std::string_view> accounts;
      accounts.reserve(active.size());
      for (const auto& a : active) {
        if (accounts.insert(a.account_id).second)
          Keep(&v->denominator_ids, a.account_id, q.id_limit, &v->ids_truncated);
      }
      den = int64_t(accounts.size());
    } else {
      for (const auto& a : active) {
        if (a.division != v->division) continue;
        ++den;
        Keep(&v->denominator_ids, a.account_id, q.id_limit, &v->ids_truncated);
      }
    }
    Ratio(v, num, den, "no account had an interaction or an order in the period");
    return Status::Ok();
  }

  Status Run() {
    std::vector<KpiFeedbackRow> reviews, nps;
    std::vector<KpiCaseRow> complaints;
    std::vector<KpiActiveAccount> active;
    bool wants_all_rows = q.division.empty() || q.division == kAllDivisions;
    for (const auto& def : KpiDefs()) {
      const std::string& k = def.key;
      Status st;
      if (k == "inquiry_to_quote") {
        st = ForDivisions(def, [&](KpiValue* v) { return InquiryToQuote(v); });
      } else if (k == "quote_to_purchase") {
        st = ForDivisions(def, [&](KpiValue* v) { return QuoteToPurchase(v); });
      } else if (k == "first_contact_resolution") {
        st = ForDivisions(def, [&](KpiValue* v) { return FirstContactResolution(v); });
      } else if (k == "lead_response_hours") {
        st = ForDivisions(def, [&](KpiValue* v) { return LeadResponseHours(v); });
      } else if (k == "proposal_win_rate") {
        st = ForDivisions(def, [&](KpiValue* v) { return ProposalWinRate(v); });
      } else if (k == "sales_cycle_days") {
        st = ForDivisions(def, [&](KpiValue* v) { return SalesCycleDays(v); });
      } else if (k == "distributor_acquisition") {
        st = ForDivisions(def, [&](KpiValue* v) { return DistributorAcquisition(v); });
      } else if (k == "avg_order_volume_yoy" || k == "avg_spend_yoy") {
        st = ForDivisions(def, [&](KpiValue* v) { return OrderYoy(v); });
      } else if (k == "quality_flag_hours") {
        st = ForDivisions(def, [&](KpiValue* v) { return QualityFlagHours(v); });
      } else if (k == "repeat_customer_rate") {
        st = ForDivisions(def, [&](KpiValue* v) { return RepeatCustomerRate(v); });
      } else if (k == "review_score") {
        if (q.division.empty() || q.division == "GRAS" || q.division == "Cube 65") {
          CX_ASSIGN_OR_RETURN(reviews, tx.KpiFeedback("review", b.begin, b.end));
        }
        st = ForDivisions(def, [&](KpiValue* v) { return ReviewScore(v, reviews); });
      } else if (k == "nps") {
        CX_ASSIGN_OR_RETURN(nps, tx.KpiFeedback("nps", b.begin, b.end));
        st = ForDivisions(def, [&](KpiValue* v) { return Nps(v, nps); });
      } else if (k == "complaint_rate") {
        auto t0 = std::chrono::steady_clock::now();
        CX_ASSIGN_OR_RETURN(complaints, tx.KpiCases(wants_all_rows ? "" : q.division, "complaint",
                                                    "opened", b.begin, b.end, b.end));
        std::vector<std::string> series;
        for (const auto& d : def.divisions) {
          if (Wants(d)) series.push_back(d == kAllDivisions ? "*" : d);
        }
        CX_ASSIGN_OR_RETURN(counted,
                            tx.KpiActivityCounts(ctx_zone, DaysFromCivil(period.from),
                                                 DaysFromCivil(period.to), series, q.id_limit));
        if (!counted) {
          CX_ASSIGN_OR_RETURN(active, tx.KpiActiveAccounts(b.begin, b.end));
        }
        // The shared reads are counted in the first division's time.
        double shared =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        size_t first = out.size();
        st = ForDivisions(def, [&](KpiValue* v) { return ComplaintRate(v, complaints, active); });
        if (out.size() > first) out[first].millis += shared;
      } else if (k == "newsletter_signups") {
        st = ForDivisions(
            def, [&](KpiValue* v) { return NewsletterSignupsKpi(tx, period, q.id_limit, v); });
      }
      CX_RETURN_IF_ERROR(st);
    }
    return Status::Ok();
  }

  Zone ctx_zone;
  // The complaint rate's active accounts per series, from the aggregate when it is up to date.
  std::optional<std::map<std::string, KpiActivityCount>> counted;
};

}  // namespace

Result<std::vector<KpiValue>> ComputeKpiPeriod(Tx& tx, const Context& ctx, const KpiQuery& q,
                                               const Period& p, const BusinessHoursFn& hours) {
  Engine e{tx, q, p, BoundsOf(p, ctx.zone), hours, {}, ctx.zone, std::nullopt};
  CX_RETURN_IF_ERROR(e.Run());
  return std::move(e.out);
}

}  // namespace cx
