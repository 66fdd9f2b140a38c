// Rules of the readiness evaluator that scenarios cannot reach (evidence shaped by hand).
#include "lanyard/passport/readiness.h"

#include <gtest/gtest.h>

#include "lanyard/json/parser.h"

namespace lanyard::passport {
namespace {

constexpr const char* kPerson = "did:key:z6MkPerson";

Evidence Make(CredentialType type, const char* claims, bool sd_jwt = false) {
  Evidence e;
  e.type = type;
  e.source = std::string(Info(type).name);
  e.issuer = "did:web:rgt.example";
  e.subject = kPerson;
  e.claims = json::Parse(claims).value();
  e.selectively_disclosed = sd_jwt;
  e.report.Pass("signature.valid", "ok");
  return e;
}

class ReadinessRules : public ::testing::Test {
 protected:
  ReadinessRules() {
    profile_.id = "rules";
    profile_.version = 1;
    profile_.dbs.required = true;
    profile_.dbs.level = DbsLevel::kEnhanced;
    profile_.dbs.workforce = DbsWorkforce::kAdult;
    profile_.work_health.required = true;
    request_.profile = &profile_;
    request_.from_ods = "RGT";
    request_.receiving_ods = "R0A";
    request_.start = ParseRfc3339("2027-08-04T00:00:00Z").value();
    request_.now = ParseRfc3339("2027-07-20T00:00:00Z").value();
    request_.holder = kPerson;
  }
  CheckResult Decide(const std::string& check, std::vector<Evidence> evidence) {
    last_ = EvaluateReadiness(request_, evidence);
    return last_.checks.at(check);
  }
  Profile profile_;
  ReadinessRequest request_;
  Readiness last_;
};

TEST_F(ReadinessRules, AWithheldDecisiveClaimMeansTheCredentialDecidesNothing) {
  auto oh = Decide("work_health", {Make(CredentialType::kOccupationalHealth,
                                        R"({"roleCategory":"x","eppCleared":false,"patientContact":true})",
                                        /*sd_jwt=*/true)});
  EXPECT_EQ(oh.decision, Decision::kRepeat);
  EXPECT_EQ(oh.reasons.front(), "evidence.claim_withheld");
  // An outcome that is not a clearance never counts, whatever it says.
  auto odd = Decide("work_health", {Make(CredentialType::kOccupationalHealth,
                                         R"({"clearanceOutcome":"pending","eppCleared":false,"patientContact":true})")});
  EXPECT_EQ(odd.reasons.front(), "oh.not_cleared");
}

TEST_F(ReadinessRules, ACredentialEndingBeforeTheStartIsNotReliedOn) {
  Evidence oh = Make(CredentialType::kOccupationalHealth,
                     R"({"clearanceOutcome":"cleared","eppCleared":false,"patientContact":true})");
  oh.valid_until = ParseRfc3339("2027-07-31T00:00:00Z").value();
  EXPECT_EQ(Decide("work_health", {oh}).reasons.front(), "credential.expires_before_start");
  oh.valid_until = ParseRfc3339("2027-08-10T00:00:00Z").value();
  auto soon = Decide("work_health", {oh});
  EXPECT_EQ(soon.decision, Decision::kReuse);
  EXPECT_EQ(soon.due, "2027-08-10");
}

TEST_F(ReadinessRules, AStatusCheckOnRecordWithNewInformationEndsReuse) {
  auto dbs = Decide("dbs", {Make(CredentialType::kDbs, R"({"typeOfDbsCheck":"Enhanced check",
      "workforceType":"Adult","adultsBarredListChecked":false,"childrensBarredListChecked":false,
      "certificateNumber":"001234567890","disclosureIssueDate":"2026-01-01",
      "updateServiceSubscribed":true,"originalCertificateSeen":true,"lastStatusCheckResult":"NEW_INFO"})")});
  EXPECT_EQ(dbs.decision, Decision::kRepeat);
  EXPECT_EQ(dbs.reasons.front(), "dbs.new_information");
}

TEST_F(ReadinessRules, TheHomeOfficesEndDateRulesEvenWhenItConfirms) {
  auto live = LiveSimulator::FromText(R"({"home_office":{"OKAFOR|1990-04-12":
      {"result":"confirmed","permission_expiry":"2027-06-30"}}})");
  ASSERT_TRUE(live.ok());
  request_.live = (*live)->Services();
  auto rtw = Decide("right_to_work", {Make(CredentialType::kRightToWork,
      R"({"legalSurname":"Okafor","birthDate":"1990-04-12","permissionType":"unlimited"})")});
  EXPECT_EQ(rtw.decision, Decision::kRepeat);
  EXPECT_EQ(rtw.reasons.back(), "rtw.permission_ends_before_start");
}

TEST_F(ReadinessRules, TrustNotCheckedMeansUntrusted) {
  Evidence oh = Make(CredentialType::kOccupationalHealth,
                     R"({"clearanceOutcome":"cleared","eppCleared":false,"patientContact":true})");
  oh.report.Warn("trust.not_checked", "no registry");
  EXPECT_EQ(Decide("work_health", {oh}).reasons.front(), "issuer.untrusted");
}

TEST_F(ReadinessRules, ALaterOverrideCannotRelaxWhatAPersonMadeStricter) {
  profile_.dbs.recheck_years = 1;
  request_.overrides = {{"dbs", Decision::kRepeat, "in doubt", "A"},
                        {"dbs", Decision::kReverify, "waive", "B"}};
  auto dbs = Decide("dbs", {Make(CredentialType::kDbs, R"({"typeOfDbsCheck":"Enhanced check",
      "workforceType":"Adult","adultsBarredListChecked":false,"childrensBarredListChecked":false,
      "certificateNumber":"001234567890","disclosureIssueDate":"2020-01-01",
      "updateServiceSubscribed":true,"originalCertificateSeen":true})")});
  EXPECT_EQ(dbs.decision, Decision::kRepeat);
  ASSERT_EQ(last_.overrides.size(), 2u);
  EXPECT_TRUE(last_.overrides[0].applied);
  EXPECT_FALSE(last_.overrides[1].applied);
}

}  // namespace
}  // namespace lanyard::passport
