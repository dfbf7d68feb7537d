// Status and Result<T>: how every fallible function in cxhub reports failure.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cx {

// The kind of failure. kInvalid and friends map to exit status 2 on the command
// line (the caller's input was wrong, nothing was written); kInternal maps to 1.
enum class Code {
  kOk,
  kInvalid,    // bad input: a field, a row, an argument
  kNotFound,   // a named record does not exist
  kConflict,   // refused by a rule (probable duplicate, stale edit, ERP-owned field)
  kForbidden,  // the acting user's role does not allow it
  kInternal,   // anything else: I/O, database, a bug
};

// A success or a failure with a code and a message. Cheap to copy on success.
// Several problems (every bad row of a file) are kept in details().
class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<std::string>& details() const { return details_; }
  Status& AddDetail(std::string d) {
    details_.push_back(std::move(d));
    return *this;
  }
  // The message followed by every detail on its own line.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<std::string> details_;
};

inline Status Invalid(std::string m) { return {Code::kInvalid, std::move(m)}; }
inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
inline Status Forbidden(std::string m) { return {Code::kForbidden, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

// A value or a failure. Access value() only when ok().
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cx

// Returns early from the enclosing function when a Status is not ok.
#define CX_RETURN_IF_ERROR(expr)     \
  do {                               \
    ::cx::Status cx_st_ = (expr);    \
    if (!cx_st_.ok()) return cx_st_; \
  } while (0)

#define CX_CONCAT_INNER(a, b) a##b
#define CX_CONCAT(a, b) CX_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, returning its Status early on failure.
#define CX_ASSIGN_OR_RETURN(lhs, expr) \
  CX_ASSIGN_OR_RETURN_IMPL(CX_CONCAT(cx_r_, __LINE__), lhs, expr)
#define CX_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
