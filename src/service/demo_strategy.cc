// The demo hub's customer strategy, seven steps and go-live progress.
#include "service/demo_strategy.h"

#include <string>

#include "service/cem_service.h"
#include "service/golive_service.h"
#include "service/strategy_service.h"

namespace cx {
namespace {

// Key results are due at the end of next year (the strategy's 1-year horizon).
std::string DemoStrategyToml(int year) {
  const std::string due = "\"" + std::to_string(year + 1) + "-12-31\"";
  return R"(mission = "Power, mobility and care that Nigerian homes and businesses can rely on, backed by service people talk about."
vision = "The company customers choose first in every division, because every conversation is remembered and every promise kept."
ambition = "Customers see us as the partner who answers fast, knows their history and never surprises them with hidden costs."
communication = "Strategy page on the hub; monthly town hall by the MD; key results read in every weekly CX review; one-page guides per role."
notes = "Key results read the hub's live KPIs for the current quarter. Reviewed every quarter by management."

[key_objectives.growth]
year1 = "Revenue +12 % across divisions"
year3 = "Revenue +40 %, service revenue one fifth of Motors"
year5 = "Double revenue from 2026"

[key_objectives.new_markets]
year1 = "Abuja and Port Harcourt showrooms at full strength"
year3 = "Kano and Enugu service centres"
year5 = "West African export of generators"

[key_objectives.new_customers]
year1 = "4 new Medical distributors"
year3 = "500 new fleet and industrial accounts"
year5 = "One in three Lagos clinics as customers"

[[objectives]]
title = "Strategic alignment"
year1 = "Every division runs its weekly CX review from the hub"
year3 = "Compensation rewards cross-divisional sales"
year5 = "Customer experience is a board-level KPI"

[[objectives]]
title = "Respond faster than anyone"
year1 = "Motors inquiries answered within 12 hours"
year3 = "Power leads answered within 2 business hours"
year5 = "Same-day answers across all divisions"

[[objectives]]
title = "No surprises after the sale"
year1 = "Service quotes approved before every job"
year3 = "First service booked at every delivery"
year5 = "Complaints below 2 % of active accounts"

[[key_results]]
title = "Motors customers recommend us"
kpi = "nps"
division = "Motors"
target = 30
direction = "at_least"
due = )" +
         due + R"(

[[key_results]]
title = "Qualified Motors inquiries get a quote"
kpi = "inquiry_to_quote"
division = "Motors"
due = )" +
         due + R"(

[[key_results]]
title = "Power leads answered within 4 business hours"
kpi = "lead_response_hours"
division = "Power & Industrial"
due = )" +
         due + R"(

[[key_results]]
title = "Two new distributors a quarter"
kpi = "distributor_acquisition"
division = "Medical"
due = )" +
         due + R"(

[[key_results]]
title = "GRAS rated 4.5 stars online"
kpi = "review_score"
division = "GRAS"
due = )" +
         due + R"(

[[key_results]]
title = "Fewer complaints"
kpi = "complaint_rate"
division = "All"
target = 0.05
direction = "at_most"
due = )" +
         due + "\n";
}

}  // namespace

Status AddDemoStrategy(const Context& ctx) {
  Context manager = ctx;
  manager.actor = "funke.a";
  const int year = CurrentYear(ctx);
  CX_RETURN_IF_ERROR(SetStrategy(manager, DemoStrategyToml(year), "demo strategy").status());
  CemChange done;
  done.status = "done";
  done.owner = "funke.a";
  done.note = "Touchpoints compiled with the division heads";
  CX_RETURN_IF_ERROR(SetCemStep(manager, year, 1, done).status());
  CemChange running;
  running.status = "in-progress";
  running.owner = "ibrahim.g";
  running.note = "Surveys by WhatsApp link after every delivery and service";
  CX_RETURN_IF_ERROR(SetCemStep(manager, year, 2, running).status());
  done.note = "One-page strategy agreed by management";
  CX_RETURN_IF_ERROR(SetCemStep(manager, year, 5, done).status());
  CX_RETURN_IF_ERROR(AnswerDiscovery(manager, "D-01",
                                     {std::string("All five divisions: Motors, Power & Industrial, "
                                                  "Medical, GRAS and Cube 65"),
                                      std::string("ibrahim.g")})
                         .status());
  CX_RETURN_IF_ERROR(AnswerDiscovery(manager, "D-04",
                                     {std::string("The ERP customer number; yes, it is the ERP "
                                                  "Customer ID"),
                                      std::string("femi.l")})
                         .status());
  for (int task : {1, 2})
    CX_RETURN_IF_ERROR(SetPlanTask(manager, task, "done", std::nullopt).status());
  return SetPlanTask(manager, 3, "in-progress", std::nullopt).status();
}

}  // namespace cx
