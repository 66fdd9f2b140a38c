// Property: whatever the evidence and whatever the overrides, no decision relies on a credential
// that is revoked, suspended, expired, unverifiable, about someone else, or from an untrusted or
// unauthorised issuer. Thousands of random passports with random defects, seeded and replayable.
#include <gtest/gtest.h>

#include <random>

#include "lanyard/passport/readiness.h"

namespace lanyard::passport {
namespace {

const char* kDefects[] = {"status.revoked", "status.suspended", "validity.expired",
                          "issuer.untrusted", "issuer.not_authorised_for_type",
                          "issuer.key_compromised", "signature.invalid", "status.unavailable"};

json::Value ClaimsFor(CredentialType type, std::mt19937& rng, std::string_view subject_key) {
  json::Value c = json::Object{};
  auto pick = [&](std::initializer_list<const char*> options) {
    auto it = options.begin();
    std::advance(it, rng() % options.size());
    return std::string(*it);
  };
  auto date = [&](int from_year, int to_year) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", from_year + static_cast<int>(rng() % (to_year - from_year + 1)),
                  1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
    return std::string(buf);
  };
  switch (type) {
    case CredentialType::kIdentity:
      c.Set("identityDocumentExpiryDate", date(2026, 2030));
      break;
    case CredentialType::kRightToWork:
      c.Set("permissionType", pick({"unlimited", "time_limited"}));
      c.Set("permissionExpiryDate", date(2026, 2029));
      c.Set("legalSurname", "Okafor");
      c.Set("birthDate", "1990-04-12");
      break;
    case CredentialType::kProfessionalRegistration:
      c.Set("professionalBody", pick({"Nursing and Midwifery Council", "General Medical Council"}));
      c.Set("registrationNumber", "12A3456E");
      c.Set("registrationStatus", pick({"registered", "registered_with_conditions", "suspended"}));
      break;
    case CredentialType::kDbs:
      c.Set("typeOfDbsCheck", pick({"Basic check", "Standard check", "Enhanced check",
                                    "Enhanced with barred list(s) check"}));
      c.Set("workforceType", pick({"Child", "Adult", "Child and Adult"}));
      c.Set("adultsBarredListChecked", rng() % 2 == 0);
      c.Set("childrensBarredListChecked", rng() % 2 == 0);
      c.Set("updateServiceSubscribed", rng() % 4 != 0);
      c.Set("originalCertificateSeen", rng() % 4 != 0);
      c.Set("certificateNumber", "001234567890");
      c.Set("disclosureIssueDate", date(2020, 2027));
      break;
    case CredentialType::kOccupationalHealth:
      c.Set("clearanceOutcome", pick({"cleared", "cleared_with_restrictions", "not_cleared"}));
      c.Set("eppCleared", rng() % 2 == 0);
      c.Set("patientContact", rng() % 3 != 0);
      break;
    case CredentialType::kCoreSkillsTraining:
      c.Set("competencyFramework", pick({"CSTF", "CSTF", "MAND"}));
      c.Set("subject", std::string(subject_key));
      c.Set("subjectLevel", std::to_string(1 + rng() % 3));
      c.Set("dateLastAwarded", date(2023, 2027));
      break;
    default:
      break;
  }
  return c;
}

TEST(ReadinessProperty, NothingUnusableIsEverReliedOn) {
  uint32_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  Profile profile;
  profile.id = "property";
  profile.version = 1;
  profile.registration.required = true;
  profile.registration.regulators = {"NMC", "GMC"};
  profile.employment_history.required = true;
  profile.dbs.required = true;
  profile.work_health.required = true;
  for (std::string_view s : kTrainingSubjects) profile.training[std::string(s)] = 1;
  const std::string person = "did:key:z6MkPerson";
  for (int round = 0; round < 3000; ++round) {
    profile.dbs.level = static_cast<DbsLevel>(rng() % 4);
    profile.dbs.workforce = static_cast<DbsWorkforce>(rng() % 4);
    profile.dbs.recheck_years = rng() % 3 == 0 ? std::optional<int>(3) : std::nullopt;
    profile.work_health.epp = rng() % 3 == 0;
    std::vector<Evidence> evidence;
    int n = 1 + static_cast<int>(rng() % 14);
    for (int i = 0; i < n; ++i) {
      Evidence e;
      auto type = static_cast<CredentialType>(rng() % 10);
      e.type = type;
      e.source = "e" + std::to_string(i);
      e.issuer = "did:web:rgt.example";
      e.subject = rng() % 6 == 0 ? "did:key:z6MkSomeoneElse" : person;
      e.claims = ClaimsFor(type, rng, kTrainingSubjects[rng() % 11]);
      e.report.Pass("signature.valid", "ok");
      if (rng() % 3 == 0) e.report.Fail(kDefects[rng() % std::size(kDefects)], "defect");
      evidence.push_back(std::move(e));
    }
    ReadinessRequest request;
    request.profile = &profile;
    request.movement = static_cast<Movement>(rng() % 6);
    request.from_ods = "RGT";
    request.receiving_ods = rng() % 2 ? "RGT" : "R0A";
    request.start = ParseRfc3339("2027-08-04T00:00:00Z").value();
    request.now = request.start;
    if (rng() % 2) request.holder = person;
    const char* checks[] = {"identity", "right_to_work", "registration", "dbs", "work_health",
                            "induction", "employment_history", "training.fire_safety",
                            "training.resuscitation"};
    for (int k = 0; k < 3; ++k) {
      request.overrides.push_back({checks[rng() % std::size(checks)],
                                   static_cast<Decision>(rng() % 3), "doubt", "A. Person"});
    }
    Readiness r = EvaluateReadiness(request, evidence);
    // Whose passport this is: the presentation's holder, else the identity credential's subject.
    std::optional<std::string> anchor = request.holder;
    for (const auto& e : evidence) {
      if (!anchor && e.type == CredentialType::kIdentity && e.report.verified()) anchor = e.subject;
    }
    auto check = [&](const std::string& name, const CheckResult& c) {
      if (c.decision != Decision::kReuse && c.decision != Decision::kReverify) return;
      for (const auto& source : c.evidence) {
        for (const auto& e : evidence) {
          if (e.source != source) continue;
          ASSERT_TRUE(e.report.verified()) << name << " relies on " << source << " (round " << round << ")";
          ASSERT_TRUE(anchor.has_value()) << name << " relies on " << source << " with no person";
          ASSERT_EQ(e.subject, *anchor) << name << " relies on someone else's " << source;
        }
      }
    };
    for (const auto& [name, c] : r.checks) check(name, c);
    for (const auto& [name, c] : r.training) check("training." + name, c);
    // Verdict consistency: not_cleared iff some repeat.
    bool any_repeat = false;
    for (const auto& [name, c] : r.checks) any_repeat |= c.decision == Decision::kRepeat;
    for (const auto& [name, c] : r.training) any_repeat |= c.decision == Decision::kRepeat;
    ASSERT_EQ(any_repeat, r.overall == "not_cleared");
  }
}

}  // namespace
}  // namespace lanyard::passport
