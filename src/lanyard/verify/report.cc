#include "lanyard/verify/report.h"

namespace lanyard::verify {

void VerificationReport::Pass(std::string code, std::string message, std::string subject) {
  checks_.push_back({std::move(code), true, false, std::move(message), std::move(subject)});
}

void VerificationReport::Fail(std::string code, std::string message, std::string subject) {
  checks_.push_back({std::move(code), false, false, std::move(message), std::move(subject)});
}

void VerificationReport::Warn(std::string code, std::string message, std::string subject) {
  checks_.push_back({std::move(code), true, true, std::move(message), std::move(subject)});
}

void VerificationReport::FailUnusable(std::string code, std::string message) {
  unusable_ = true;
  Fail(std::move(code), std::move(message), "input");
}

bool VerificationReport::verified() const {
  if (checks_.empty() || unusable_) return false;
  for (const auto& c : checks_) {
    if (!c.passed) return false;
  }
  return true;
}

bool VerificationReport::HasFailure(std::string_view code) const {
  for (const auto& c : checks_) {
    if (!c.passed && c.code == code) return true;
  }
  return false;
}

std::vector<Check> VerificationReport::Failures() const {
  std::vector<Check> out;
  for (const auto& c : checks_) {
    if (!c.passed) out.push_back(c);
  }
  return out;
}

json::Value VerificationReport::ToJson() const {
  json::Array checks, errors, warnings;
  for (const auto& c : checks_) {
    json::Object o;
    o.emplace_back("code", c.code);
    o.emplace_back("passed", c.passed);
    o.emplace_back("message", c.message);
    if (!c.subject.empty()) o.emplace_back("subject", c.subject);
    if (c.warning) o.emplace_back("warning", true);
    checks.emplace_back(std::move(o));
    if (!c.passed) errors.emplace_back(c.code);
    if (c.warning) warnings.emplace_back(c.code);
  }
  json::Object report;
  report.emplace_back("verified", verified());
  report.emplace_back("checks", std::move(checks));
  report.emplace_back("errors", std::move(errors));
  report.emplace_back("warnings", std::move(warnings));
  if (!claims_.is_null()) report.emplace_back("credential", claims_);
  return json::Value(std::move(report));
}

std::string VerificationReport::ToText() const {
  std::string out;
  for (const auto& c : checks_) {
    out += !c.passed ? "FAIL " : c.warning ? "WARN " : "PASS ";
    out += c.code;
    out += "  ";
    if (!c.subject.empty()) out += c.subject + ": ";
    out += c.message;
    out += '\n';
  }
  return out;
}

void VerificationReport::Merge(const VerificationReport& other, std::string_view subject_prefix) {
  for (const auto& c : other.checks_) {
    Check copy = c;
    copy.subject = c.subject.empty() ? std::string(subject_prefix)
                                     : std::string(subject_prefix) + "." + c.subject;
    checks_.push_back(std::move(copy));
  }
  unusable_ = unusable_ || other.unusable_;
}

}  // namespace lanyard::verify
