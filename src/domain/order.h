// Order (from the ERP only) and Feedback (NPS, CSAT, reviews, emotion scores).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct Order {
  std::string id;
  std::string erp_customer_id;
  Timestamp date = 0;
  std::string division;
  double amount = 0;
  std::string currency = "NGN";
  Timestamp last_modified = 0;
};

struct Feedback {
  std::string id;  // "F-000123"
  Timestamp date = 0;
  std::string account_id;
  std::string contact_id;
  std::string division;
  std::string kind;  // nps, csat, review, emotion
  double score = 0;
  std::string stage;
  std::string platform;
  std::string comment;
  std::string touchpoint;  // a touchpoint id (T-…), or empty
  std::string source;      // survey, form, import, staff; empty when not known (older rows)
};

// Errors: kInvalid naming every bad field (score range depends on the kind).
Status ValidateOrder(Order* o);
Status ValidateFeedback(Feedback* f);

}  // namespace cx
