// The transfer-readiness decision: for a named person starting in a named role on a named date,
// one decision per NHS Employment Check Standard, corporate induction and core-skills subject:
//   reuse         rely on the passport as it is
//   reverify      reliance rests on a quick live check (register, DBS Update Service, Home Office),
//                 answered or still to come; a negative answer makes it repeat, no answer leaves
//                 reverify with the reason live.unavailable
//   repeat        do the check afresh (missing, expired, revoked, suspended, wrong level,
//                 untrusted issuer, someone else's credential ...)
//   not_required  the role does not need it
// Overall: any repeat -> not_cleared; else any reverify -> cleared_subject_to_reverification;
// else cleared. The rules, and who relies on whose checks for each movement type, follow
// ../shared/DOMAIN.md; docs/readiness.md lists every reason code.
//
// Only verified evidence counts: a credential whose verification report failed (revoked,
// suspended, expired, untrusted, not authorised for its type, bad signature) is never relied on,
// and neither is one about anyone but the person: every credential's subject must be the
// identity credential's subject (or the presentation holder's), else subject.mismatch.
//
// Overrides ("if in doubt") may make a decision stricter (reuse/reverify -> repeat) or relax a
// local policy rule (a DBS re-check interval, a local refresher period), with a reason and a
// named person. One that would make an unusable credential count, or relax anything else, is
// refused, and the refusal is recorded.
//
// Thread-safety: pure functions; the live services must be thread-safe.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/json/value.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/live.h"
#include "lanyard/passport/profile.h"
#include "lanyard/trust/trust_registry.h"
#include "lanyard/verify/report.h"

namespace lanyard::passport {

enum class Movement {
  kPermanentTransfer,
  kRotationLeadEmployer,
  kTemporaryMove,
  kBank,
  kCollaborativeBank,
  kAgency,
};
std::string_view MovementName(Movement m);  // "permanent_transfer" ...
Result<Movement> ParseMovement(std::string_view name);
// Every movement type, in declaration order.
std::span<const Movement> AllMovements();

enum class Decision { kReuse, kReverify, kRepeat, kNotRequired };
std::string_view DecisionName(Decision d);  // "reuse", "reverify", "repeat", "not_required"
Result<Decision> ParseDecision(std::string_view name);

// One credential after verification.
struct Evidence {
  std::string source;  // where it came from (a file name)
  std::optional<CredentialType> type;  // nullopt: not a passport credential type
  std::string issuer;
  std::string subject;  // credentialSubject.id, or the SD-JWT holder key (cnf) as a did:key
  json::Value claims;   // credentialSubject (Data Integrity) or the disclosed claims (SD-JWT VC)
  verify::VerificationReport report;
  bool selectively_disclosed = false;    // an SD-JWT VC: the holder chose which claims to show
  std::optional<TimePoint> valid_until;  // validUntil / exp: unusable from then on
};

// Verifies one document (any format) and reads it as evidence.
Evidence EvidenceFromReport(std::string source, verify::VerificationReport report,
                            const json::Value& document);

struct Override {
  std::string check;  // "dbs", "training.fire_safety" ...
  Decision decision;
  std::string reason;
  std::string by;
};

struct ReadinessRequest {
  const Profile* profile = nullptr;
  Movement movement = Movement::kPermanentTransfer;
  std::vector<trust::AgreementType> agreements;  // stated by the user, beside the registry's
  std::string from_ods;
  std::string receiving_ods;
  TimePoint start;  // the start date (midnight UTC)
  TimePoint now;
  int window_days = 28;                       // lapses within this after the start are flagged
  const trust::TrustRegistry* registry = nullptr;  // agreements in force, issuer kinds
  LiveServices live;
  std::optional<std::string> holder;  // the presentation's holder, when the person presented
  std::vector<Override> overrides;
};

struct CheckResult {
  Decision decision = Decision::kRepeat;
  std::vector<std::string> reasons;   // stable codes, e.g. "dbs.update_service_no_new_info"
  std::vector<std::string> evidence;  // sources relied on
  std::optional<std::string> due;     // YYYY-MM-DD something lapses or needs a follow-up
  bool policy_only = false;           // repeat only because of a local policy rule
  std::optional<Decision> without_policy;  // what the national rules alone decide, then
  bool blocked_by_unusable = false;   // a credential was there but unusable (revoked ...)
};

struct Warning {
  std::string code;
  std::string message;
};

struct OverrideRecord {
  Override request;
  bool applied = false;
  std::string outcome;  // "applied", "refused: <code>"
};

struct Readiness {
  std::string overall;  // cleared | cleared_subject_to_reverification | not_cleared
  std::map<std::string, CheckResult> checks;    // identity ... induction
  std::map<std::string, CheckResult> training;  // the eleven subjects
  std::vector<Warning> warnings;
  std::vector<OverrideRecord> overrides;
  json::Value savings;

  json::Value ToJson() const;
  std::string ToText() const;
};

Readiness EvaluateReadiness(const ReadinessRequest& request, std::span<const Evidence> evidence);

}  // namespace lanyard::passport
