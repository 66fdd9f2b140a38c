#include "lanyard/passport/readiness.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/canonical.h"

namespace lanyard::passport {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::string_view kMovementNames[] = {"permanent_transfer", "rotation_lead_employer",
                                               "temporary_move",     "bank",
                                               "collaborative_bank", "agency"};
constexpr std::string_view kDecisionNames[] = {"reuse", "reverify", "repeat", "not_required"};

// ----- dates ("YYYY-MM-DD" claims; the start is a day)

std::optional<sys_days> ParseDay(const std::string& text) {
  if (text.size() != 10) return std::nullopt;
  auto t = ParseRfc3339(text + "T00:00:00Z");
  if (!t.ok()) return std::nullopt;
  return std::chrono::floor<days>(*t);
}

std::optional<sys_days> ParseDate(const json::Value& claims, std::string_view field) {
  const std::string* text = claims.FindString(field);
  return text != nullptr ? ParseDay(*text) : std::nullopt;
}

sys_days Day(TimePoint t) { return std::chrono::floor<days>(t); }

std::string FormatDay(sys_days d) {
  year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

sys_days AddMonths(sys_days d, int months) {
  year_month_day ymd(d);
  auto ym = ymd.year() / ymd.month() + std::chrono::months(months);
  auto last = (ym / std::chrono::last).day();
  return sys_days(ym / std::min(ymd.day(), last));
}

bool Bool(const json::Value& claims, std::string_view field) {
  const json::Value* v = claims.Find(field);
  return v != nullptr && v->is_bool() && v->as_bool();
}

std::string Str(const json::Value& claims, std::string_view field) {
  const std::string* s = claims.FindString(field);
  return s != nullptr ? *s : std::string();
}

// ----- whether a credential may be relied on at all

// The first reason a verified credential cannot count, or empty.
std::string UnusableReason(const Evidence& e) {
  if (e.report.unusable()) return "credential.unreadable";
  for (const auto& f : e.report.Failures()) {
    if (f.code == "status.revoked") return "credential.revoked";
    if (f.code == "status.suspended") return "credential.suspended";
    if (f.code == "validity.expired") return "credential.expired";
    if (f.code == "issuer.untrusted") return "issuer.untrusted";
    if (f.code == "issuer.not_authorised_for_type") return "issuer.not_authorised_for_type";
    if (f.code == "issuer.key_compromised") return "issuer.key_compromised";
  }
  for (const auto& f : e.report.Failures()) {
    if (f.code.rfind("status.", 0) == 0) return "credential.status_unknown";
    if (f.code.rfind("trust.", 0) == 0) return "issuer.untrusted";
  }
  if (!e.report.verified()) return "credential.unverifiable";
  // Verified without a trust registry: nothing says the issuer may issue it, so nothing relies on it.
  for (const auto& c : e.report.checks()) {
    if (c.code == "trust.not_checked") return "issuer.untrusted";
  }
  return {};
}

// The claims a decision reads. A holder presenting an SD-JWT VC may withhold claims; one the
// rules need must be there, or the credential cannot decide anything.
bool DecisiveClaimsPresent(const Evidence& e) {
  if (!e.selectively_disclosed || !e.type) return true;
  std::vector<const char*> needed;
  switch (*e.type) {
    case CredentialType::kIdentity:
      needed = {"identityDocumentExpiryDate"};
      break;
    case CredentialType::kRightToWork:
      needed = {"permissionType", "legalSurname", "birthDate"};
      break;
    case CredentialType::kProfessionalRegistration:
      needed = {"professionalBody", "registrationNumber", "registrationStatus"};
      break;
    case CredentialType::kDbs:
      needed = {"typeOfDbsCheck", "adultsBarredListChecked", "childrensBarredListChecked",
                "certificateNumber", "disclosureIssueDate", "updateServiceSubscribed"};
      break;
    case CredentialType::kOccupationalHealth:
      needed = {"clearanceOutcome", "eppCleared", "patientContact"};
      break;
    case CredentialType::kCoreSkillsTraining:
      needed = {"competencyFramework", "subject", "subjectLevel", "dateLastAwarded"};
      break;
    default:
      return true;
  }
  for (const char* field : needed) {
    if (e.claims.Find(field) == nullptr) return false;
  }
  if (*e.type == CredentialType::kRightToWork &&
      Str(e.claims, "permissionType") == "time_limited" &&
      e.claims.Find("permissionExpiryDate") == nullptr) {
    return false;
  }
  return true;
}

// Reasons an override may never relax: the credential itself cannot count.
bool IsUnusableReason(std::string_view reason) {
  return reason.rfind("credential.", 0) == 0 || reason.rfind("issuer.", 0) == 0 ||
         reason.rfind("subject.", 0) == 0;
}

struct Candidate {
  const Evidence* evidence;
  std::string unusable;  // empty: usable
};

class Evaluator {
 public:
  Evaluator(const ReadinessRequest& request, std::span<const Evidence> evidence)
      : req_(request), profile_(*request.profile), start_(Day(request.start)) {
    Anchor(evidence);
    for (const auto& e : evidence) {
      if (!e.type) {
        Warn("evidence.unknown_type",
             e.source + " is not a passport credential type; it was not considered.");
        continue;
      }
      Candidate c{&e, UnusableReason(e)};
      if (c.unusable.empty() && !DecisiveClaimsPresent(e)) c.unusable = "evidence.claim_withheld";
      // A credential that is no longer valid on the start date cannot be relied on for it.
      if (c.unusable.empty() && e.valid_until && Day(*e.valid_until) <= start_) {
        c.unusable = "credential.expires_before_start";
      }
      if (c.unusable.empty() && anchor_.empty()) c.unusable = "subject.unanchored";
      if (c.unusable.empty() && e.subject != anchor_) c.unusable = "subject.mismatch";
      if (c.unusable.empty() && req_.registry != nullptr) {
        if (const trust::Organisation* org = req_.registry->FindByIdentifier(e.issuer)) {
          const auto& kinds = Info(*e.type).issuer_kinds;
          bool allowed = std::any_of(kinds.begin(), kinds.end(),
                                     [&](trust::OrgKind k) { return org->HasKind(k); });
          if (!allowed) c.unusable = "issuer.wrong_kind";
        }
      }
      if (e.valid_until) expiry_by_source_[e.source] = *e.valid_until;
      by_type_[*e.type].push_back(c);
    }
    employer_unchanged_ = EmployerUnchanged();
  }

  Readiness Run() {
    Readiness out;
    out.checks["identity"] = Identity();
    out.checks["right_to_work"] = RightToWork();
    out.checks["registration"] = Registration();
    out.checks["employment_history"] = EmploymentHistory();
    out.checks["dbs"] = Dbs();
    out.checks["work_health"] = WorkHealth();
    out.checks["induction"] = Induction();
    for (std::string_view subject : kTrainingSubjects) {
      out.training[std::string(subject)] = Training(subject);
    }
    FlagExpiringEvidence(&out);
    ApplyOverrides(&out);
    out.overall = Overall(out);
    out.warnings = std::move(warnings_);
    out.savings = Savings(out);
    return out;
  }

 private:
  // A credential relied on whose own validity ends within the window: its due date.
  void FlagExpiringEvidence(Readiness* out) {
    auto flag = [&](CheckResult& c) {
      if (c.decision == Decision::kRepeat || c.decision == Decision::kNotRequired) return;
      for (const auto& source : c.evidence) {
        auto it = expiry_by_source_.find(source);
        if (it == expiry_by_source_.end()) continue;
        sys_days d = Day(it->second);
        if (!c.due || FormatDay(d) < *c.due) FlagLapse(&c, d, source);
      }
    };
    for (auto& [name, c] : out->checks) flag(c);
    for (auto& [name, c] : out->training) flag(c);
  }

  // ----- the person and the employer relationship

  // The person: the holder who signed the presentation, else the subject of a usable identity
  // credential. Without either nothing can be attributed to anyone, so nothing counts.
  void Anchor(std::span<const Evidence> evidence) {
    if (req_.holder) {
      anchor_ = *req_.holder;
      return;
    }
    for (const auto& e : evidence) {
      if (e.type == CredentialType::kIdentity && UnusableReason(e).empty() && !e.subject.empty()) {
        anchor_ = e.subject;
        return;
      }
    }
    Warn("subject.unanchored",
         "No identity credential or signed presentation says who the person is, so no "
         "credential can be relied on.");
  }

  bool HasAgreement(std::initializer_list<trust::AgreementType> types) const {
    for (auto t : types) {
      if (std::find(req_.agreements.begin(), req_.agreements.end(), t) != req_.agreements.end()) {
        return true;
      }
    }
    if (req_.registry == nullptr) return false;
    for (const trust::Agreement* a :
         req_.registry->AgreementsBetween(req_.from_ods, req_.receiving_ods, req_.start)) {
      if (std::find(types.begin(), types.end(), a->type) != types.end()) return true;
    }
    return false;
  }

  // Whether the employer stays the same (the host relies on the employer's checks).
  bool EmployerUnchanged() {
    using A = trust::AgreementType;
    switch (req_.movement) {
      case Movement::kPermanentTransfer:
      case Movement::kAgency:
        return false;
      case Movement::kRotationLeadEmployer:
        if (HasAgreement({A::kLeadEmployerHosting})) return true;
        Warn("agreement.missing",
             "A lead-employer rotation, but no lead-employer hosting agreement between " +
                 req_.from_ods + " and " + req_.receiving_ods +
                 " is in force at the start: decided as a new employer.");
        return false;
      case Movement::kTemporaryMove:
        if (HasAgreement({A::kSecondment, A::kLicenceToAttend, A::kWorkforceSharing,
                          A::kHonoraryContract})) {
          return true;
        }
        Warn("agreement.missing",
             "A temporary move, but no secondment, Licence to Attend, workforce-sharing or "
             "honorary-contract agreement is in force: decided as a new employer.");
        return false;
      case Movement::kBank:
        if (!req_.from_ods.empty() && req_.from_ods == req_.receiving_ods) {
          return true;  // the organisation's own bank
        }
        return HasAgreement({A::kCollaborativeBank});
      case Movement::kCollaborativeBank:
        if (HasAgreement({A::kCollaborativeBank})) return true;
        Warn("agreement.missing",
             "A collaborative-bank shift, but no collaborative bank joins " + req_.from_ods +
                 " and " + req_.receiving_ods + ": decided as a new employer.");
        return false;
    }
    return false;
  }

  // Whether the sending employer issued it: a host relies on the employer's own checks, not on
  // whatever another organisation attested.
  bool FromEmployer(const Evidence& e) const {
    if (req_.registry == nullptr) return false;
    const trust::Organisation* org = req_.registry->FindByIdentifier(e.issuer);
    return org != nullptr && org->ods == req_.from_ods;
  }

  // The usable credentials of a type, best first by `order`; records the unusable reason when
  // some exist but none is usable.
  std::vector<const Evidence*> Usable(CredentialType type, CheckResult* result) {
    std::vector<const Evidence*> out;
    std::string blocked;
    for (const auto& c : by_type_[type]) {
      if (c.unusable.empty()) {
        out.push_back(c.evidence);
      } else if (blocked.empty()) {
        blocked = c.unusable;
        blocked_source_ = c.evidence->source;
      }
    }
    if (out.empty() && !blocked.empty()) {
      result->decision = Decision::kRepeat;
      result->reasons.push_back(blocked);
      result->evidence.push_back(blocked_source_);
      result->blocked_by_unusable = true;
    }
    return out;
  }

  static CheckResult Decided(Decision d, std::string reason) {
    CheckResult r;
    r.decision = d;
    r.reasons.push_back(std::move(reason));
    return r;
  }
  static CheckResult Missing() { return Decided(Decision::kRepeat, "evidence.missing"); }

  void Warn(std::string code, std::string message) {
    warnings_.push_back({std::move(code), std::move(message)});
  }

  // Something that lapses within the window after the start: relied on, with its due date.
  void FlagLapse(CheckResult* r, sys_days lapses, const std::string& what) {
    if (lapses < start_ + days(req_.window_days)) {
      r->due = FormatDay(lapses);
      Warn("lapses_in_window", what + " lapses on " + FormatDay(lapses) + ", within " +
                                   std::to_string(req_.window_days) + " days of the start.");
    }
  }

  void Live(const LiveAnswer& answer, CheckResult* r, const char* negative_reason) {
    switch (answer.outcome) {
      case LiveOutcome::kConfirmed:
        r->decision = Decision::kReverify;
        r->reasons.push_back("live.confirmed");
        break;
      case LiveOutcome::kNegative:
        r->decision = Decision::kRepeat;
        r->reasons.push_back(negative_reason);
        break;
      case LiveOutcome::kUnavailable:
        r->decision = Decision::kReverify;
        r->reasons.push_back("live.unavailable");
        break;
    }
  }

  // ----- the six standards

  CheckResult Identity() {
    if (!profile_.identity.required) return Decided(Decision::kNotRequired, "profile.not_required");
    CheckResult r;
    auto ids = Usable(CredentialType::kIdentity, &r);
    if (ids.empty()) return r.blocked_by_unusable ? r : Missing();
    const Evidence& e = *ids.front();
    r.evidence.push_back(e.source);
    if (auto expiry = ParseDate(e.claims, "identityDocumentExpiryDate"); expiry && *expiry <= start_) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("identity.document_expired");
      return r;
    }
    r.decision = Decision::kReuse;
    r.reasons.push_back(employer_unchanged_ && FromEmployer(e) ? "employer.unchanged"
                                                               : "identity.nhs_check_reused");
    return r;
  }

  CheckResult RightToWork() {
    if (!profile_.right_to_work.required) {
      return Decided(Decision::kNotRequired, "profile.not_required");
    }
    CheckResult r;
    auto rtws = Usable(CredentialType::kRightToWork, &r);
    if (rtws.empty()) return r.blocked_by_unusable ? r : Missing();
    const Evidence& e = *rtws.front();
    r.evidence.push_back(e.source);
    bool limited = Str(e.claims, "permissionType") == "time_limited";
    auto expiry = ParseDate(e.claims, "permissionExpiryDate");
    if (limited && (!expiry || *expiry <= start_)) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back(expiry ? "rtw.permission_ends_before_start" : "rtw.permission_end_unknown");
      return r;
    }
    if (const json::Value* restrictions = e.claims.Find("restrictions");
        json::IsOrContainsString(restrictions, "student_term_time_20h")) {
      Warn("rtw.student_hours_cap",
           "A student visa: at most 20 hours a week in term time across all employers "
           "combined, bank shifts included.");
    }
    if (employer_unchanged_ && FromEmployer(e)) {
      r.decision = Decision::kReuse;
      r.reasons.push_back("employer.unchanged");
    } else {
      // The statutory excuse is per employer: the new employer makes its own check, pre-filled.
      r.reasons.push_back("rtw.new_employer_check");
      LiveAnswer answer = req_.live.home_office != nullptr
                              ? req_.live.home_office->Check(Str(e.claims, "legalSurname"),
                                                             Str(e.claims, "birthDate"))
                              : LiveAnswer{};
      Live(answer, &r, "rtw.home_office_not_confirmed");
      if (answer.expiry_date) {
        if (auto live_expiry = ParseDay(*answer.expiry_date)) {
          expiry = *live_expiry;
          limited = true;
          // The Home Office's own end date rules, whatever the credential said.
          if (*expiry <= start_) {
            r.decision = Decision::kRepeat;
            r.reasons.push_back("rtw.permission_ends_before_start");
            return r;
          }
        }
      }
    }
    if (limited && expiry && r.decision != Decision::kRepeat) {
      if (*expiry < start_ + days(req_.window_days)) {
        r.due = FormatDay(*expiry);
        Warn("rtw.follow_up_due", "Time-limited permission to work ends on " + FormatDay(*expiry) +
                                      ": a follow-up check is due before then.");
      }
    }
    return r;
  }

  CheckResult Registration() {
    if (!profile_.registration.required) {
      return Decided(Decision::kNotRequired, "profile.not_required");
    }
    CheckResult r;
    auto regs = Usable(CredentialType::kProfessionalRegistration, &r);
    const Evidence* chosen = nullptr;
    for (const Evidence* e : regs) {
      std::string_view regulator = RegulatorShortName(Str(e->claims, "professionalBody"));
      if (std::find(profile_.registration.regulators.begin(),
                    profile_.registration.regulators.end(),
                    regulator) != profile_.registration.regulators.end()) {
        chosen = e;
        break;
      }
    }
    if (chosen == nullptr) {
      if (r.blocked_by_unusable) return r;
      return regs.empty() ? Missing() : Decided(Decision::kRepeat, "registration.wrong_regulator");
    }
    r.evidence.push_back(chosen->source);
    std::string status = Str(chosen->claims, "registrationStatus");
    if (status != "registered" && status != "registered_with_conditions") {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("registration." + (status.empty() ? std::string("status_unknown") : status));
      return r;
    }
    // Always re-verified live: the register is cheap and authoritative; the credential points.
    std::string regulator(RegulatorShortName(Str(chosen->claims, "professionalBody")));
    const json::Value* number = chosen->claims.Find("registrationNumber");
    std::string num = number == nullptr ? ""
                      : number->is_string() ? number->as_string()
                                            : json::Serialize(*number);
    LiveAnswer answer = req_.live.register_lookup != nullptr
                            ? req_.live.register_lookup->Lookup(regulator, num)
                            : LiveAnswer{};
    Live(answer, &r, answer.code == "suspended" ? "registration.suspended" : "registration.not_practising");
    bool conditions = status == "registered_with_conditions" || !answer.conditions.empty() ||
                      answer.code == "registered_with_conditions";
    if (r.decision != Decision::kRepeat && conditions && !profile_.registration.conditions_allowed) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("registration.conditions");
    }
    if (auto reval = ParseDate(chosen->claims, "revalidationDate");
        reval && r.decision != Decision::kRepeat) {
      FlagLapse(&r, *reval, "Revalidation");
    }
    return r;
  }

  CheckResult EmploymentHistory() {
    if (!profile_.employment_history.required) {
      return Decided(Decision::kNotRequired, "profile.not_required");
    }
    CheckResult r;
    auto history = Usable(CredentialType::kEmploymentHistory, &r);
    if (history.empty()) return r.blocked_by_unusable ? r : Missing();
    for (const Evidence* e : history) r.evidence.push_back(e->source);
    if (profile_.employment_history.reference_required && !employer_unchanged_) {
      CheckResult refs_result;
      auto refs = Usable(CredentialType::kFactualReference, &refs_result);
      if (refs.empty()) {
        r.decision = Decision::kRepeat;
        r.reasons.push_back(refs_result.blocked_by_unusable ? refs_result.reasons.front()
                                                            : "reference.missing");
        return r;
      }
      r.evidence.push_back(refs.front()->source);
    }
    r.decision = Decision::kReuse;
    r.reasons.push_back(employer_unchanged_ ? "employer.unchanged" : "history.nhs_reused");
    return r;
  }

  static int LevelRank(std::string_view type_of_check) {
    if (type_of_check == "Basic check") return 0;
    if (type_of_check == "Standard check") return 1;
    if (type_of_check == "Enhanced check") return 2;
    if (type_of_check == "Enhanced with barred list(s) check") return 3;
    return -1;
  }

  bool WorkforceCovers(std::string_view held) const {
    switch (profile_.dbs.workforce) {
      case DbsWorkforce::kOther:
        return true;
      case DbsWorkforce::kChild:
        return held == "Child" || held == "Child and Adult";
      case DbsWorkforce::kAdult:
        return held == "Adult" || held == "Child and Adult";
      case DbsWorkforce::kChildAndAdult:
        return held == "Child and Adult";
    }
    return false;
  }

  CheckResult Dbs() {
    if (!profile_.dbs.required) return Decided(Decision::kNotRequired, "profile.not_required");
    CheckResult r;
    auto certs = Usable(CredentialType::kDbs, &r);
    if (certs.empty()) return r.blocked_by_unusable ? r : Missing();
    const Evidence& e = *certs.front();
    r.evidence.push_back(e.source);
    const json::Value& c = e.claims;
    int need = static_cast<int>(profile_.dbs.level);
    if (LevelRank(Str(c, "typeOfDbsCheck")) < need) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("dbs.level_insufficient");
      return r;
    }
    if (!WorkforceCovers(Str(c, "workforceType"))) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("dbs.workforce_mismatch");
      return r;
    }
    if ((profile_.dbs.adults_barred_list && !Bool(c, "adultsBarredListChecked")) ||
        (profile_.dbs.childrens_barred_list && !Bool(c, "childrensBarredListChecked"))) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("dbs.barred_list_not_checked");
      return r;
    }
    // The local re-check interval is judged last: an override may relax it, but only once every
    // national rule (level, workforce, barred lists, the Update Service) has been met.
    bool recheck_due = false;
    if (profile_.dbs.recheck_years) {
      auto issued = ParseDate(c, "disclosureIssueDate");
      recheck_due = !issued || AddMonths(*issued, *profile_.dbs.recheck_years * 12) <= start_;
    }
    auto policy = [&](CheckResult result) {
      if (recheck_due && result.decision != Decision::kRepeat) {
        result.without_policy = result.decision;
        result.decision = Decision::kRepeat;
        result.reasons.push_back("dbs.recheck_interval");
        result.policy_only = true;
      }
      return result;
    };
    // A status check already on record that found new information (or no match) ends reuse.
    std::string last = Str(c, "lastStatusCheckResult");
    if (last == "NEW_INFO" || last == "NO_MATCH_FOUND") {
      r.decision = Decision::kRepeat;
      r.reasons.push_back(last == "NEW_INFO" ? "dbs.new_information" : "dbs.update_service_no_match");
      return r;
    }
    if (employer_unchanged_ && FromEmployer(e)) {
      r.decision = Decision::kReuse;
      r.reasons.push_back("employer.unchanged");
      return policy(r);
    }
    // A new employer reuses a DBS check only through the Update Service.
    if (!Bool(c, "updateServiceSubscribed")) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("dbs.not_subscribed");
      return r;
    }
    if (!Bool(c, "originalCertificateSeen")) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("dbs.certificate_not_seen");
      return r;
    }
    LiveAnswer answer = req_.live.dbs_update_service != nullptr
                            ? req_.live.dbs_update_service->StatusCheck(
                                  Str(c, "certificateNumber"), Str(c, "applicantSurname"),
                                  Str(c, "applicantDateOfBirth"))
                            : LiveAnswer{};
    Live(answer, &r, answer.code == "NEW_INFO" ? "dbs.new_information" : "dbs.update_service_no_match");
    return policy(r);
  }

  CheckResult WorkHealth() {
    if (!profile_.work_health.required) {
      return Decided(Decision::kNotRequired, "profile.not_required");
    }
    CheckResult r;
    auto oh = Usable(CredentialType::kOccupationalHealth, &r);
    if (oh.empty()) return r.blocked_by_unusable ? r : Missing();
    const Evidence& e = *oh.front();
    r.evidence.push_back(e.source);
    std::string outcome = Str(e.claims, "clearanceOutcome");
    if (outcome != "cleared" && outcome != "cleared_with_restrictions") {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("oh.not_cleared");
      return r;
    }
    if (profile_.work_health.epp && !Bool(e.claims, "eppCleared")) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("oh.epp_clearance_missing");
      return r;
    }
    if (profile_.work_health.patient_contact && !Bool(e.claims, "patientContact")) {
      // A significantly changed role: a new assessment.
      r.decision = Decision::kRepeat;
      r.reasons.push_back("oh.role_changed");
      return r;
    }
    if (outcome == "cleared_with_restrictions") {
      Warn("oh.restrictions", "Occupational health cleared with restrictions: the receiving "
                              "manager needs to see them (from the OH service, not the passport).");
    }
    r.decision = Decision::kReuse;
    r.reasons.push_back(employer_unchanged_ ? "employer.unchanged" : "oh.clearance_travels");
    return r;
  }

  CheckResult Induction() {
    if (!profile_.induction.required) return Decided(Decision::kNotRequired, "profile.not_required");
    CheckResult r;
    auto inductions = Usable(CredentialType::kCorporateInduction, &r);
    if (r.blocked_by_unusable) return r;  // an induction record that cannot count, host or not
    if (employer_unchanged_) {
      r.decision = Decision::kReuse;
      r.reasons.push_back("employer.unchanged");
      if (!inductions.empty()) r.evidence.push_back(inductions.front()->source);
      return r;
    }
    if (inductions.empty()) return r.blocked_by_unusable ? r : Missing();
    r.evidence.push_back(inductions.front()->source);
    if (!profile_.induction.recognise_previous &&
        !HasAgreement({trust::AgreementType::kMemorandumOfUnderstanding})) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back("induction.not_recognised");
      r.policy_only = true;
      r.without_policy = Decision::kReuse;
      return r;
    }
    r.decision = Decision::kReuse;
    r.reasons.push_back("induction.recognised_local_only");
    return r;
  }

  CheckResult Training(std::string_view subject) {
    auto need = profile_.training.find(std::string(subject));
    if (need == profile_.training.end()) {
      return Decided(Decision::kNotRequired, "profile.not_required");
    }
    CheckResult r;
    std::string blocked;
    const Evidence* best = nullptr;
    sys_days best_expiry{};
    bool level_short = false, not_cstf = false;
    std::optional<sys_days> latest_expired;
    // Training out of date only under a local refresher period, in date under the framework's:
    // an override may relax the local rule for it, and for nothing else.
    Profile national = profile_;
    national.refresher_months.clear();
    const Evidence* policy_candidate = nullptr;
    for (const auto& c : by_type_[CredentialType::kCoreSkillsTraining]) {
      if (Str(c.evidence->claims, "subject") != subject) continue;
      if (!c.unusable.empty()) {
        if (blocked.empty()) {
          blocked = c.unusable;
          blocked_source_ = c.evidence->source;
        }
        continue;
      }
      if (Str(c.evidence->claims, "competencyFramework") != "CSTF") {
        not_cstf = true;
        continue;
      }
      int level = std::atoi(Str(c.evidence->claims, "subjectLevel").c_str());
      if (level < need->second) {
        level_short = true;
        continue;
      }
      auto awarded = ParseDate(c.evidence->claims, "dateLastAwarded");
      if (!awarded) continue;
      // The receiver recomputes expiry from its own refresher period (the DSP rule).
      sys_days expiry = AddMonths(*awarded, RefresherMonths(profile_, subject, need->second));
      if (expiry <= start_) {
        if (!latest_expired || *latest_expired < expiry) latest_expired = expiry;
        if (start_ < AddMonths(*awarded, RefresherMonths(national, subject, need->second))) {
          policy_candidate = c.evidence;
        }
        continue;
      }
      if (best == nullptr || best_expiry < expiry) {
        best = c.evidence;
        best_expiry = expiry;
      }
    }
    if (best == nullptr) {
      r.decision = Decision::kRepeat;
      r.reasons.push_back(latest_expired ? "training.expired"
                          : level_short  ? "training.level_insufficient"
                          : not_cstf     ? "training.not_cstf_aligned"
                          : !blocked.empty() ? blocked
                                             : "evidence.missing");
      if (!blocked.empty() && r.reasons.front() == blocked) {
        r.evidence.push_back(blocked_source_);
        r.blocked_by_unusable = true;
      }
      if (policy_candidate != nullptr && r.reasons.front() == "training.expired") {
        r.policy_only = true;
        r.without_policy = Decision::kReuse;
        r.evidence.push_back(policy_candidate->source);
      }
      return r;
    }
    r.decision = Decision::kReuse;
    r.reasons.push_back("training.cstf_recognised");
    r.evidence.push_back(best->source);
    FlagLapse(&r, best_expiry, std::string(subject) + " training");
    return r;
  }

  // ----- overrides, the overall verdict, savings

  static int Strictness(Decision d) {
    return d == Decision::kReuse ? 0 : d == Decision::kReverify ? 1 : 2;
  }

  void ApplyOverrides(Readiness* out) {
    for (const auto& o : req_.overrides) {
      OverrideRecord record{o, false, ""};
      CheckResult* target = nullptr;
      if (o.check.rfind("training.", 0) == 0) {
        auto it = out->training.find(o.check.substr(9));
        if (it != out->training.end()) target = &it->second;
      } else {
        auto it = out->checks.find(o.check);
        if (it != out->checks.end()) target = &it->second;
      }
      if (target == nullptr) {
        record.outcome = "refused: override.unknown_check";
      } else if (o.reason.empty() || o.by.empty()) {
        record.outcome = "refused: override.needs_reason_and_name";
      } else if (o.decision == Decision::kRepeat) {
        // Stricter is always allowed ("if in doubt, duplication is preferable to gaps").
        target->decision = Decision::kRepeat;
        target->reasons.push_back("override.stricter");
        // "If in doubt": a later override cannot relax what a person made stricter.
        target->policy_only = false;
        target->without_policy.reset();
        record.applied = true;
        record.outcome = "applied";
      } else if (target->blocked_by_unusable ||
                 std::any_of(target->reasons.begin(), target->reasons.end(), IsUnusableReason)) {
        record.outcome = "refused: override.credential_unusable";
      } else if (target->decision == Decision::kRepeat && target->policy_only &&
                 target->without_policy && o.decision != Decision::kNotRequired &&
                 Strictness(o.decision) >= Strictness(*target->without_policy)) {
        // Relaxing the local rule leaves the national decision in force: never below it.
        target->decision = o.decision;
        target->reasons.push_back("override.policy_relaxed");
        record.applied = true;
        record.outcome = "applied";
      } else if (target->decision == o.decision) {
        record.outcome = "refused: override.no_change";
      } else {
        record.outcome = "refused: override.not_a_local_policy";
      }
      out->overrides.push_back(std::move(record));
    }
  }

  static std::string Overall(const Readiness& r) {
    bool repeat = false, reverify = false;
    auto look = [&](const CheckResult& c) {
      repeat |= c.decision == Decision::kRepeat;
      reverify |= c.decision == Decision::kReverify;
    };
    for (const auto& [k, c] : r.checks) look(c);
    for (const auto& [k, c] : r.training) look(c);
    return repeat ? "not_cleared" : reverify ? "cleared_subject_to_reverification" : "cleared";
  }

  // Estimated savings under the assumptions documented in docs/readiness.md: elapsed days a
  // check takes when repeated (they run in parallel, so the longest decides the time to clear)
  // and staff hours (the new starter's and the checking team's).
  static json::Value Savings(const Readiness& r) {
    struct Cost {
      const char* check;
      int elapsed_days;
      double staff_hours;
    };
    static constexpr Cost kCosts[] = {
        {"identity", 1, 1.0},          {"right_to_work", 2, 1.0},
        {"registration", 0, 0.5},      {"employment_history", 10, 2.0},
        {"dbs", 14, 1.5},              {"work_health", 7, 2.0},
        {"induction", 0, 16.0},
    };
    constexpr double kTrainingHours = 8.0 / 11.0;  // one day of statutory training a year
    constexpr double kLiveCheckHours = 0.25;
    int reused = 0, reverified = 0, repeated = 0, training_reused = 0;
    int slowest_required = 0, slowest_repeated = 0;
    double hours = 0;
    for (const Cost& cost : kCosts) {
      const CheckResult& c = r.checks.at(cost.check);
      if (c.decision == Decision::kNotRequired) continue;
      slowest_required = std::max(slowest_required, cost.elapsed_days);
      if (c.decision == Decision::kReuse) {
        ++reused;
        hours += cost.staff_hours;
      } else if (c.decision == Decision::kReverify) {
        ++reverified;
        hours += std::max(0.0, cost.staff_hours - kLiveCheckHours);
      } else {
        ++repeated;
        slowest_repeated = std::max(slowest_repeated, cost.elapsed_days);
      }
    }
    for (const auto& [subject, c] : r.training) {
      if (c.decision == Decision::kReuse) {
        ++training_reused;
        hours += kTrainingHours;
      }
    }
    json::Value out = json::Object{};
    out.Set("checks_reused", reused);
    out.Set("checks_reverified", reverified);
    out.Set("checks_repeated", repeated);
    out.Set("training_subjects_reused", training_reused);
    out.Set("staff_hours_saved", std::round(hours * 10) / 10);
    out.Set("elapsed_days_saved", slowest_required - slowest_repeated);
    out.Set("assumptions", "docs/readiness.md#savings");
    return out;
  }

  const ReadinessRequest& req_;
  const Profile& profile_;
  sys_days start_;
  std::string anchor_;
  bool employer_unchanged_ = false;
  std::map<CredentialType, std::vector<Candidate>> by_type_;
  std::vector<Warning> warnings_;
  std::string blocked_source_;
  std::map<std::string, TimePoint> expiry_by_source_;
};

json::Value CheckJson(const CheckResult& c) {
  json::Value v = json::Object{};
  v.Set("decision", DecisionName(c.decision));
  json::Array reasons, evidence;
  for (const auto& s : c.reasons) reasons.emplace_back(s);
  for (const auto& s : c.evidence) evidence.emplace_back(s);
  v.Set("reasons", std::move(reasons));
  v.Set("evidence", std::move(evidence));
  v.Set("due", c.due ? json::Value(*c.due) : json::Value());
  return v;
}

}  // namespace

std::string_view MovementName(Movement m) { return kMovementNames[static_cast<size_t>(m)]; }

std::span<const Movement> AllMovements() {
  static constexpr Movement kAll[] = {Movement::kPermanentTransfer, Movement::kRotationLeadEmployer,
                                      Movement::kTemporaryMove,     Movement::kBank,
                                      Movement::kCollaborativeBank, Movement::kAgency};
  static_assert(std::size(kAll) == std::size(kMovementNames));
  return kAll;
}

Result<Movement> ParseMovement(std::string_view name) {
  for (size_t i = 0; i < std::size(kMovementNames); ++i) {
    if (kMovementNames[i] == name) return static_cast<Movement>(i);
  }
  return MakeError(Code::kInvalidArgument, "readiness.unknown_movement",
                   "\"" + std::string(name.substr(0, 40)) + "\" is not a movement type");
}

std::string_view DecisionName(Decision d) { return kDecisionNames[static_cast<size_t>(d)]; }

Result<Decision> ParseDecision(std::string_view name) {
  for (size_t i = 0; i < std::size(kDecisionNames); ++i) {
    if (kDecisionNames[i] == name) return static_cast<Decision>(i);
  }
  return MakeError(Code::kInvalidArgument, "readiness.unknown_decision",
                   "\"" + std::string(name.substr(0, 40)) + "\" is not a decision");
}

Readiness EvaluateReadiness(const ReadinessRequest& request, std::span<const Evidence> evidence) {
  return Evaluator(request, evidence).Run();
}

json::Value Readiness::ToJson() const {
  json::Value checks_json = json::Object{};
  for (const char* name : {"identity", "right_to_work", "registration", "employment_history",
                           "dbs", "work_health", "induction"}) {
    checks_json.Set(name, CheckJson(checks.at(name)));
  }
  json::Value training_json = json::Object{};
  for (std::string_view subject : kTrainingSubjects) {
    training_json.Set(subject, CheckJson(training.at(std::string(subject))));
  }
  checks_json.Set("training", std::move(training_json));
  json::Array warnings_json;
  for (const auto& w : warnings) {
    json::Value v = json::Object{};
    v.Set("code", w.code);
    v.Set("message", w.message);
    warnings_json.push_back(std::move(v));
  }
  json::Array overrides_json;
  for (const auto& o : overrides) {
    json::Value v = json::Object{};
    v.Set("check", o.request.check);
    v.Set("decision", DecisionName(o.request.decision));
    v.Set("reason", o.request.reason);
    v.Set("by", o.request.by);
    v.Set("applied", o.applied);
    v.Set("outcome", o.outcome);
    overrides_json.push_back(std::move(v));
  }
  json::Value out = json::Object{};
  out.Set("overall", overall);
  out.Set("checks", std::move(checks_json));
  out.Set("warnings", std::move(warnings_json));
  out.Set("overrides", std::move(overrides_json));
  out.Set("savings", savings);
  return out;
}

std::string Readiness::ToText() const {
  std::ostringstream out;
  auto line = [&](const std::string& name, const CheckResult& c) {
    out << "  " << name << std::string(name.size() < 34 ? 34 - name.size() : 1, ' ')
        << DecisionName(c.decision);
    if (!c.reasons.empty()) {
      out << "  (";
      for (size_t i = 0; i < c.reasons.size(); ++i) out << (i ? ", " : "") << c.reasons[i];
      out << ")";
    }
    if (c.due) out << "  due " << *c.due;
    out << "\n";
  };
  out << "Readiness: " << overall << "\n\nEmployment check standards\n";
  for (const char* name : {"identity", "right_to_work", "registration", "employment_history",
                           "dbs", "work_health", "induction"}) {
    line(name, checks.at(name));
  }
  out << "\nCore skills training\n";
  for (std::string_view subject : kTrainingSubjects) {
    line(std::string(subject), training.at(std::string(subject)));
  }
  if (!warnings.empty()) {
    out << "\nWarnings\n";
    for (const auto& w : warnings) out << "  " << w.code << ": " << w.message << "\n";
  }
  if (!overrides.empty()) {
    out << "\nOverrides\n";
    for (const auto& o : overrides) {
      out << "  " << o.request.check << " -> " << DecisionName(o.request.decision) << " by "
          << o.request.by << " (" << o.request.reason << "): " << o.outcome << "\n";
    }
  }
  out << "\nEstimated savings: " << json::Serialize(savings) << "\n";
  return out.str();
}

Evidence EvidenceFromReport(std::string source, verify::VerificationReport report,
                            const json::Value& document) {
  Evidence e;
  e.source = std::move(source);
  e.report = std::move(report);
  // SD-JWT VC: the processed claims; Data Integrity: the credential itself.
  const json::Value& claims_doc = e.report.claims().is_null() ? document : e.report.claims();
  if (const std::string* vct = claims_doc.FindString("vct")) {
    if (const CredentialTypeInfo* info = FindCredentialType(*vct)) e.type = info->type;
    e.issuer = Str(claims_doc, "iss");
    e.claims = claims_doc;
    e.selectively_disclosed = true;
    if (const json::Value* exp = claims_doc.Find("exp"); exp != nullptr && exp->is_number() &&
                                                         exp->as_number() > 0 && exp->as_number() < 1e11) {
      e.valid_until = FromUnixSeconds(static_cast<int64_t>(exp->as_number()));
    }
    // The holder is the key the credential is bound to (cnf), written as the did:key Data
    // Integrity subjects use; without a binding, the subject the issuer named.
    const json::Value* jwk = claims_doc.Find("cnf") ? claims_doc.Find("cnf")->Find("jwk") : nullptr;
    if (jwk != nullptr) {
      if (auto key = crypto::PublicKeyFromJwk(*jwk); key.ok()) e.subject = did::DidKeyFromPublicKey(*key);
    } else if (const std::string* sub = claims_doc.FindString("sub")) {
      e.subject = *sub;
    }
    return e;
  }
  const json::Value* type = document.Find("type");
  if (type != nullptr) {
    for (const auto& info : AllCredentialTypes()) {
      if (json::IsOrContainsString(type, info.di_type)) e.type = info.type;
    }
  }
  const json::Value* issuer = document.Find("issuer");
  if (issuer != nullptr) e.issuer = issuer->is_string() ? issuer->as_string() : Str(*issuer, "id");
  if (const std::string* until = document.FindString("validUntil")) {
    if (auto t = ParseRfc3339(*until); t.ok()) e.valid_until = *t;
  }
  if (const json::Value* subject = document.Find("credentialSubject");
      subject != nullptr && subject->is_object()) {
    e.claims = *subject;
    e.subject = Str(*subject, "id");
  }
  return e;
}

}  // namespace lanyard::passport
