// VerificationReport: what a verification found, as data.
//
// Verification never throws and never answers with a bare bool. Every check performed is
// recorded with a stable machine-readable code and a plain-English sentence, so an HR officer
// can see why a credential was refused and a program can act on the code. Codes are part of
// Lanyard's interface: never rename one (docs/verification-codes.md lists them).
//
// This header depends only on core/ and json/, so every checker in formats/ can write into a
// report without depending on the rest of verify/.
//
// Thread-safety: a value; not safe for concurrent mutation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lanyard/json/value.h"

namespace lanyard::verify {

struct Check {
  std::string code;  // e.g. "signature.invalid", "validity.current"
  bool passed = false;
  bool warning = false;  // passed, but a person should know (e.g. a status not consulted)
  std::string message;   // a sentence for a person
  std::string subject;   // which part was checked, e.g. "proof[0]", "verifiableCredential[1]"
};

class VerificationReport {
 public:
  void Pass(std::string code, std::string message, std::string subject = {});
  void Fail(std::string code, std::string message, std::string subject = {});
  // Something that does not make the credential invalid but that a person should know.
  void Warn(std::string code, std::string message, std::string subject = {});
  // Records that the input could not be read at all (not JSON, too large, ...). The report
  // is then a failure and callers treat it as unusable input, not an invalid credential.
  void FailUnusable(std::string code, std::string message);

  // True when at least one check ran and none failed.
  bool verified() const;
  bool unusable() const { return unusable_; }
  const std::vector<Check>& checks() const { return checks_; }
  // Whether any failed check has this code.
  bool HasFailure(std::string_view code) const;
  // The failed checks, in order.
  std::vector<Check> Failures() const;

  // {"verified":bool,"checks":[{code,passed,message,subject?,warning?}...],
  //  "errors":[...failed codes],"warnings":[...warning codes]}
  json::Value ToJson() const;
  // One line per check: "PASS signature.valid  proof[0]: The signature ..." (WARN, FAIL).
  std::string ToText() const;

  // The claims the verifier read (for formats whose claims are not the input itself, such as an
  // SD-JWT VC after disclosure processing); rendered as "credential" by ToJson.
  void SetClaims(json::Value claims) { claims_ = std::move(claims); }
  const json::Value& claims() const { return claims_; }

  // Appends another report's checks (e.g. an embedded credential's), prefixing their subjects.
  void Merge(const VerificationReport& other, std::string_view subject_prefix);

 private:
  std::vector<Check> checks_;
  bool unusable_ = false;
  json::Value claims_;
};

}  // namespace lanyard::verify
