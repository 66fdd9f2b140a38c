// Error values for the whole library.
//
// Every fallible function returns Result<T> (or Status, a Result<void>). An Error carries a
// broad Code (which maps to HTTP statuses and exit codes), a stable machine-readable `reason`
// (for example "input.duplicate_key", shown in verification reports and API errors) and a
// plain-English message for people. Foreign errors (OpenSSL, libsodium, errno) are translated
// into Errors once, where the foreign call is made.
//
// Thread-safety: values; no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace lanyard {

// Broad error classes. Persisted in logs and mapped to HTTP statuses: never renumber.
enum class Code : int {
  kInvalidArgument = 1,
  kNotFound = 2,
  kAlreadyExists = 3,
  kFailedPrecondition = 4,
  kPermissionDenied = 5,
  kUnauthenticated = 6,
  kResourceExhausted = 7,
  kUnavailable = 8,
  kDataLoss = 9,
  kInternal = 10,
};

std::string_view CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string reason;   // stable dotted identifier, e.g. "input.too_deep"
  std::string message;  // a sentence for a person

  std::string ToString() const;
};

Error MakeError(Code code, std::string reason, std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status OkStatus() { return Status(); }

}  // namespace lanyard

#define LANYARD_CONCAT_INNER(a, b) a##b
#define LANYARD_CONCAT(a, b) LANYARD_CONCAT_INNER(a, b)

// Returns the error from the enclosing function if `expr` (a Result) failed.
#define LANYARD_TRY(expr)                            \
  do {                                               \
    auto lanyard_try_result_ = (expr);               \
    if (!lanyard_try_result_.ok()) {                 \
      return std::move(lanyard_try_result_).error(); \
    }                                                \
  } while (false)

// Declares `lhs` from the value of `expr`, or returns its error.
#define LANYARD_ASSIGN_OR_RETURN(lhs, expr) \
  LANYARD_ASSIGN_OR_RETURN_IMPL(LANYARD_CONCAT(lanyard_result_, __LINE__), lhs, expr)
#define LANYARD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).error();       \
  lhs = std::move(tmp).value()
