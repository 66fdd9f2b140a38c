// The passport service's API in-process: a real deployment (SQLite store, file key store, master
// key) in a temporary directory, a simulated clock, requests dispatched straight to the Api.
// The HTTP server process itself is tested by tests/http/.
#include "lanyard/http/api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lanyard/analytics/ingest.h"
#include "lanyard/core/encoding.h"
#include "lanyard/crypto/totp.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/deployment.h"
#include "lanyard/service/publications.h"
#include "lanyard/service/role_profiles.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"
#include "lanyard/testing/test_deployment.h"
#include "lanyard/trust/trust_bundle.h"

namespace lanyard::http {
namespace {

using service::Role;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto ParseOrDie = testing::ParseJsonOrFail;
constexpr auto Str = testing::StringMember;

// Who is calling: a cookie session (with its CSRF token) or a bearer token.
struct Caller {
  std::string cookie;
  std::string csrf;
  std::string bearer;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDirectory("lanyard-api-test");
    auto d = service::OpenDeployment(testing::TestDeploymentOptions((dir_ / "lanyard.db").string()),
                                     clock_);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    d_ = std::move(d).value();
    api_ = std::make_unique<Api>(ApiServices::ForDeployment(*d_, clock_));
  }

  void TearDown() override {
    api_.reset();
    d_.reset();
    std::filesystem::remove_all(dir_);
  }

  ServerResponse Call(const Caller& who, const std::string& method, const std::string& target,
                      const std::string& body = "") {
    ServerRequest r;
    r.method = method;
    r.target = target;
    size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    r.remote_address = "127.0.0.1";
    r.request_id = "test";
    if (!body.empty()) {
      r.headers.push_back({"Content-Type", "application/json"});
      r.body = body;
    }
    if (!who.cookie.empty()) {
      r.headers.push_back({"Cookie", std::string(kSessionCookie) + "=" + who.cookie});
    }
    if (!who.csrf.empty()) r.headers.push_back({"X-CSRF-Token", who.csrf});
    if (!who.bearer.empty()) r.headers.push_back({"Authorization", "Bearer " + who.bearer});
    return api_->Dispatch(r);
  }

  json::Value CallJson(const Caller& who, const std::string& method, const std::string& target,
                       const json::Value& body, int expect_status) {
    ServerResponse r = Call(who, method, target, json::Serialize(body));
    EXPECT_EQ(r.status, expect_status) << method << " " << target << ": " << r.body;
    return ParseOrDie(r.body);
  }

  // Signs in; completes or enrols TOTP as the account needs. Returns the session.
  Caller SignIn(const std::string& email, const std::string& password) {
    ServerResponse r =
        Call({}, "POST", "/auth/login",
             json::Serialize(json::Value(json::Object{{"email", email}, {"password", password}})));
    EXPECT_EQ(r.status, 200) << r.body;
    Caller c;
    for (const auto& h : r.headers) {
      if (h.name == "Set-Cookie") {
        size_t eq = h.value.find('=');
        c.cookie = h.value.substr(eq + 1, h.value.find(';') - eq - 1);
      }
    }
    json::Value body = ParseOrDie(r.body);
    c.csrf = Str(body, "csrfToken");
    if (body.Find("totpEnrolmentRequired")->as_bool()) {
      json::Value enrol = CallJson(c, "POST", "/me/totp/enrol", json::Object{}, 200);
      std::string uri = Str(enrol, "otpauthUri");
      size_t at = uri.find("secret=") + 7;
      auto secret = crypto::Base32Decode(uri.substr(at, uri.find('&', at) - at));
      EXPECT_TRUE(secret.ok());
      totp_secrets_[email] = *secret;
      CallJson(c, "POST", "/me/totp/confirm",
               json::Object{{"code", crypto::TotpCode(*secret, clock_.Now())}}, 200);
    } else if (body.Find("secondFactorRequired")->as_bool()) {
      // A code from the next 30-second step: the last one was spent at enrolment.
      clock_.Advance(std::chrono::seconds(30));
      CallJson(c, "POST", "/auth/totp",
               json::Object{{"code", crypto::TotpCode(totp_secrets_[email], clock_.Now())}}, 200);
    }
    return c;
  }

  // Two organisations, each with an administrator, an HR issuer, a verifier and a member of
  // staff holding a DBS credential; a national administrator over both.
  struct Org {
    std::string ods;
    Caller admin, hr, verifier;
    std::map<Role, std::string> tokens;  // an API token per organisation role
    std::string staff_id, staff_email;
    Caller staff;
    std::string credential_id;
  };

  void BuildTwoOrganisations() {
    service::NewUser root{"root@nhs.example", "National Admin", "",
                          service::RoleSet{Role::kNationalAdmin}, kPassword};
    ASSERT_THAT(d_->accounts->Bootstrap(root), testing::IsOk());
    national_ = SignIn("root@nhs.example", kPassword);
    for (const char* ods : {"RGT", "R1H"}) {
      Org org;
      org.ods = ods;
      CallJson(
          national_, "POST", "/admin/orgs",
          json::Object{{"ods", ods}, {"name", std::string(ods) + " NHS Trust"}, {"kinds", "trust"}},
          201);
      std::string lower = ods;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
      CallJson(national_, "POST", "/admin/users",
               json::Object{{"email", "admin@" + lower + ".example"},
                            {"displayName", "Admin"},
                            {"organisation", ods},
                            {"password", kPassword}},
               201);
      org.admin = SignIn("admin@" + lower + ".example", kPassword);
      for (const auto& [role, who] : std::vector<std::pair<std::string, Caller*>>{
               {"hr_issuer", &org.hr}, {"verifier", &org.verifier}}) {
        std::string email = role + "@" + lower + ".example";
        CallJson(
            org.admin, "POST", std::string("/orgs/") + ods + "/users",
            json::Object{
                {"email", email}, {"displayName", role}, {"password", kPassword}, {"roles", role}},
            201);
        *who = SignIn(email, kPassword);
      }
      for (Role role : service::AllRoles()) {
        if (role == Role::kStaff || role == Role::kNationalAdmin) continue;
        json::Value t = CallJson(
            org.admin, "POST", std::string("/orgs/") + ods + "/tokens",
            json::Object{{"role", std::string(service::RoleName(role))}, {"label", "matrix"}}, 201);
        org.tokens[role] = Str(t, "token");
      }
      org.staff_email = "nurse@" + lower + ".example";
      json::Value invite =
          CallJson(org.hr, "POST", std::string("/orgs/") + ods + "/invitations",
                   json::Object{{"email", org.staff_email}, {"displayName", "Nurse"}}, 201);
      json::Value user = CallJson({}, "POST", "/auth/signup",
                                  json::Object{{"invitation", Str(invite, "invitation")},
                                               {"email", org.staff_email},
                                               {"displayName", "Nurse " + std::string(ods)},
                                               {"password", kPassword}},
                                  201);
      org.staff_id = Str(user, "id");
      org.staff = SignIn(org.staff_email, kPassword);
      json::Value issued = CallJson(
          org.hr, "POST", std::string("/orgs/") + ods + "/credentials",
          json::Object{{"subject", org.staff_id}, {"type", "dbs"}, {"claims", DbsClaims()}}, 201);
      org.credential_id = Str(*issued.Find("credential"), "id");
      orgs_.push_back(std::move(org));
    }
  }

  json::Value DbsClaims() { return testing::ReadJsonExample("claims/dbs.json"); }

  // `receiver`'s verifier asks for a registered nurse's checks; `holder`'s staff member opens
  // the link, steps up and consents. Returns the share request's id.
  std::string ConsentedShare(Org& holder, Org& receiver) {
    json::Value share = CallJson(receiver.verifier, "POST", "/orgs/" + receiver.ods + "/shares",
                                 json::Object{{"profile", "registered-nurse"},
                                              {"movement", "permanent_transfer"},
                                              {"startDate", "2026-10-05"}},
                                 201);
    std::string id = Str(share, "id");
    CallJson(holder.staff, "POST", "/wallet/shares/open",
             json::Object{{"link", Str(share, "link")}}, 200);
    CallJson(holder.staff, "POST", "/me/step-up", json::Object{{"secret", kPassword}}, 200);
    CallJson(holder.staff, "POST", "/wallet/shares/" + id + "/consent", json::Object{}, 200);
    return id;
  }

  static constexpr const char* kPassword = "correct horse battery staple";

  std::filesystem::path dir_;
  SimulatedClock clock_{*ParseRfc3339("2026-09-01T09:00:00Z")};
  std::unique_ptr<service::Deployment> d_;
  std::unique_ptr<Api> api_;
  std::map<std::string, Bytes> totp_secrets_;
  Caller national_;
  std::vector<Org> orgs_;
};

TEST_F(ApiTest, EmployerIssuesStaffHoldsReceiverVerifiesEmployerRevokes) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  Org& r1h = orgs_[1];

  // The staff member sees the credential in their passport.
  json::Value wallet = CallJson(rgt.staff, "GET", "/wallet/credentials", json::Value(), 200);
  ASSERT_EQ(wallet.Find("credentials")->as_array().size(), 1u);
  EXPECT_EQ(Str(wallet.Find("credentials")->as_array()[0], "standing"), "valid");
  json::Value held =
      CallJson(rgt.staff, "GET", "/wallet/credentials/" + rgt.credential_id, json::Value(), 200);
  json::Value vc = *held.Find("verifiableCredential");

  // The receiving organisation verifies it, status included.
  json::Value report = CallJson(r1h.verifier, "POST", "/orgs/R1H/credentials/verify",
                                json::Object{{"verifiableCredential", vc}}, 200);
  EXPECT_TRUE(report.Find("verified")->as_bool()) << json::Serialize(report);

  // The employer revokes it; the next verification sees that at once.
  CallJson(rgt.hr, "POST", "/orgs/RGT/credentials/" + rgt.credential_id + "/revoke",
           json::Object{{"reason", "certificate withdrawn"}}, 200);
  report = CallJson(r1h.verifier, "POST", "/orgs/R1H/credentials/verify",
                    json::Object{{"verifiableCredential", vc}}, 200);
  EXPECT_FALSE(report.Find("verified")->as_bool());
  EXPECT_THAT(json::Serialize(report), HasSubstr("status.revoked"));
  wallet = CallJson(rgt.staff, "GET", "/wallet/credentials", json::Value(), 200);
  EXPECT_EQ(Str(wallet.Find("credentials")->as_array()[0], "standing"), "revoked");

  // Revocation is final.
  ServerResponse again =
      Call(rgt.hr, "POST", "/orgs/RGT/credentials/" + rgt.credential_id + "/reinstate",
           R"({"reason":"mistake"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_THAT(again.body, HasSubstr("status.revocation_permanent"));

  // The staff member's history shows the issue and the revocation.
  json::Value history = CallJson(rgt.staff, "GET", "/wallet/history", json::Value(), 200);
  std::string text = json::Serialize(history);
  EXPECT_THAT(text, HasSubstr("credential.issue"));
  EXPECT_THAT(text, HasSubstr("credential.revoke"));
}

TEST_F(ApiTest, SdJwtCredentialIsIssuedWithTokenStatusAndSuspensionCanBeLifted) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  json::Value issued = CallJson(rgt.hr, "POST", "/orgs/RGT/credentials",
                                json::Object{{"subject", rgt.staff_id},
                                             {"type", "dbs"},
                                             {"format", "sd-jwt"},
                                             {"claims", DbsClaims()}},
                                201);
  std::string id = Str(*issued.Find("credential"), "id");
  ASSERT_TRUE(issued.Find("verifiableCredential")->is_string());
  CallJson(rgt.hr, "POST", "/orgs/RGT/credentials/" + id + "/suspend",
           json::Object{{"reason", "investigation"}}, 200);
  json::Value record = CallJson(rgt.hr, "POST", "/orgs/RGT/credentials/" + id + "/reinstate",
                                json::Object{{"reason", "cleared"}}, 200);
  EXPECT_EQ(Str(record, "state"), "active");
  ServerResponse list = Call({}, "GET", "/status/RGT-status-1");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.content_type, "application/statuslist+jwt");
}

TEST_F(ApiTest, ReissueReplacesAndRevokesTheOldCredential) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  json::Value issued =
      CallJson(rgt.hr, "POST", "/orgs/RGT/credentials/" + rgt.credential_id + "/reissue",
               json::Object{{"reason", "name corrected"}}, 201);
  EXPECT_EQ(Str(*issued.Find("credential"), "replaces"), rgt.credential_id);
  json::Value old =
      CallJson(rgt.hr, "GET", "/orgs/RGT/credentials/" + rgt.credential_id, json::Value(), 200);
  EXPECT_EQ(Str(old, "state"), "replaced");
}

TEST_F(ApiTest, CookieSessionsNeedTheCsrfTokenToChangeAnything) {
  BuildTwoOrganisations();
  Caller no_csrf = orgs_[0].hr;
  no_csrf.csrf.clear();
  ServerResponse r =
      Call(no_csrf, "POST", "/orgs/RGT/credentials/" + orgs_[0].credential_id + "/revoke",
           R"({"reason":"x"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, HasSubstr("auth.csrf"));
  no_csrf.csrf = "wrong";
  r = Call(no_csrf, "POST", "/orgs/RGT/credentials/" + orgs_[0].credential_id + "/revoke",
           R"({"reason":"x"})");
  EXPECT_THAT(r.body, HasSubstr("auth.csrf"));
}

TEST_F(ApiTest, OrganisationUsersCannotUseTheServiceBeforeTheirSecondFactor) {
  BuildTwoOrganisations();
  ServerResponse login =
      Call({}, "POST", "/auth/login",
           R"({"email":"hr_issuer@rgt.example","password":")" + std::string(kPassword) + "\"}");
  ASSERT_EQ(login.status, 200);
  EXPECT_THAT(login.body, HasSubstr("\"secondFactorRequired\":true"));
  Caller pending;
  for (const auto& h : login.headers) {
    if (h.name == "Set-Cookie") {
      size_t eq = h.value.find('=');
      pending.cookie = h.value.substr(eq + 1, h.value.find(';') - eq - 1);
    }
  }
  ServerResponse r = Call(pending, "GET", "/orgs/RGT/credentials");
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(r.body, HasSubstr("auth.second_factor_required"));
}

TEST_F(ApiTest, RepeatedWrongPasswordsLockTheAccount) {
  BuildTwoOrganisations();
  std::string wrong = R"({"email":"hr_issuer@rgt.example","password":"not the password at all"})";
  for (int i = 0; i < 5; ++i) {
    ServerResponse r = Call({}, "POST", "/auth/login", wrong);
    EXPECT_EQ(r.status, 401);
    EXPECT_THAT(r.body, HasSubstr("auth.invalid_credentials"));
  }
  ServerResponse r =
      Call({}, "POST", "/auth/login",
           R"({"email":"hr_issuer@rgt.example","password":")" + std::string(kPassword) + "\"}");
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(r.body, HasSubstr("auth.locked"));
}

TEST_F(ApiTest, UnknownPathsAndWrongMethodsAreProblems) {
  ServerResponse r = Call({}, "GET", "/no/such/thing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_THAT(r.body, HasSubstr("http.not_found"));
  r = Call({}, "DELETE", "/healthz");
  EXPECT_EQ(r.status, 405);
  r = Call({}, "POST", "/auth/login", "{\"email\":");
  EXPECT_EQ(r.status, 400);
  r = Call({}, "POST", "/auth/login", "[]");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiTest, OpenApiDocumentListsExactlyTheRoutesThatExist) {
  json::Value doc = ParseOrDie(Call({}, "GET", "/openapi.json").body);
  EXPECT_EQ(Str(doc, "openapi"), "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.Find("paths")->as_object()) {
    for (const auto& [method, op] : item.as_object()) documented.insert(method + " " + path);
  }
  std::set<std::string> routed;
  std::set<std::string> operation_ids;
  for (const Route& route : api_->router().routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    routed.insert(method + " " + route.pattern);
    EXPECT_TRUE(operation_ids.insert(route.operation_id).second) << route.operation_id;
  }
  EXPECT_EQ(documented, routed);
  // The bulk upload is documented as the CSV file it takes, not as JSON.
  const json::Value* bulk = doc.Find("paths")->Find("/orgs/{ods}/jobs/bulk-issue");
  ASSERT_NE(bulk, nullptr);
  EXPECT_NE(bulk->Find("post")->Find("requestBody")->Find("content")->Find("text/csv"), nullptr);
}

// Every route of the router's own table, called by every role of organisation RGT (and by
// RGT's staff member), aimed at organisation R1H's people and credentials: nothing of R1H's may
// be read or changed.
TEST_F(ApiTest, NoRoleOfOneOrganisationReachesAnothersData) {
  BuildTwoOrganisations();
  Org& a = orgs_[0];
  Org& b = orgs_[1];
  std::map<std::string, Caller> callers;
  for (const auto& [role, token] : a.tokens) {
    callers[std::string(service::RoleName(role)) + " token"] = Caller{"", "", token};
  }
  callers["org_admin session"] = a.admin;
  callers["hr_issuer session"] = a.hr;
  callers["verifier session"] = a.verifier;
  callers["staff session"] = a.staff;
  callers["national_admin session"] = national_;

  // Secrets of B's that no answer to A may contain.
  std::vector<std::string> b_markers = {b.staff_email, "admin@r1h.example", "hr_issuer@r1h.example",
                                        "Nurse R1H"};
  json::Value b_body = json::Object{
      {"subject", b.staff_id},
      {"type", "dbs"},
      {"claims", DbsClaims()},
      {"reason", "cross-organisation attempt"},
      {"credentialId", b.credential_id},
      {"credentialStatus", json::Value(json::Array{json::Value(
                               json::Object{{"type", "revocation"}, {"status", true}})})},
      {"credential",
       json::Value(json::Object{
           {"type", json::Value(json::Array{json::Value("VerifiableCredential"),
                                            json::Value("LanyardDbsCheckCredential")})},
           {"credentialSubject", DbsClaims()}})},
      {"options", json::Value(json::Object{{"subject", b.staff_id}})},
      {"email", "intruder@rgt.example"},
      {"displayName", "Intruder"},
      {"password", kPassword},
      {"roles", "hr_issuer"},
      {"role", "hr_issuer"},
      {"label", "intruder"},
      {"staffNumber", "1"},
      {"invitation", "lyi_not-a-real-code"},
  };
  size_t calls = 0;
  // Signing out ends the callers' sessions, so it goes last.
  std::vector<const Route*> routes;
  for (const Route& route : api_->router().routes()) routes.push_back(&route);
  std::stable_partition(routes.begin(), routes.end(),
                        [](const Route* r) { return r->pattern != "/auth/logout"; });
  for (const Route* route_ptr : routes) {
    const Route& route = *route_ptr;
    if (route.access == Access::kPublic) continue;
    std::string path = route.pattern;
    auto fill = [&](const std::string& name, const std::string& value) {
      size_t at = path.find("{" + name + "}");
      if (at != std::string::npos) path.replace(at, name.size() + 2, value);
    };
    fill("ods", b.ods);
    fill("id", b.credential_id);
    for (const auto& [who, caller] : callers) {
      ServerResponse r =
          Call(caller, route.method, path, route.method == "GET" ? "" : json::Serialize(b_body));
      ++calls;
      SCOPED_TRACE(who + " " + route.method + " " + path + " -> " + std::to_string(r.status) + " " +
                   r.body.substr(0, 300));
      if (r.status == 401) {
        EXPECT_THAT(r.body, HasSubstr("auth.step_up_required"))
            << "the caller's session or token stopped working";
      }
      if (route.org_scoped()) {
        EXPECT_TRUE(r.status == 404 || r.status == 403) << "reached another organisation";
      }
      for (const auto& marker : b_markers) {
        EXPECT_THAT(r.body, Not(HasSubstr(marker)));
      }
    }
  }
  EXPECT_GT(calls, 100u);
  // B's credential is untouched, and B's staff member still holds it, valid.
  json::Value record =
      CallJson(b.hr, "GET", "/orgs/R1H/credentials/" + b.credential_id, json::Value(), 200);
  EXPECT_EQ(Str(record, "state"), "active");
  json::Value wallet = CallJson(b.staff, "GET", "/wallet/credentials", json::Value(), 200);
  ASSERT_EQ(wallet.Find("credentials")->as_array().size(), 1u);
  EXPECT_EQ(Str(wallet.Find("credentials")->as_array()[0], "standing"), "valid");
  // No user, token or staff link was added to B.
  auto users = d_->store->ListUsers("R1H", store::Page{});
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 3u);
  auto memberships = d_->store->MembershipsOfOrg("R1H", store::Page{});
  ASSERT_TRUE(memberships.ok());
  EXPECT_EQ(memberships->size(), 1u);
}

}  // namespace
}  // namespace lanyard::http

namespace lanyard::http {
namespace {

TEST_F(ApiTest, ReceivingOrganisationGetsAReadinessReportThatShowsALaterRevocation) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  Org& r1h = orgs_[1];
  json::Value share = CallJson(r1h.verifier, "POST", "/orgs/R1H/shares",
                               json::Object{{"profile", "registered-nurse"},
                                            {"movement", "permanent_transfer"},
                                            {"startDate", "2026-10-05"},
                                            {"from", "RGT"}},
                               201);
  std::string id = Str(share, "id");
  std::string link = Str(share, "link");

  // Before consent there is nothing to report.
  ServerResponse early = Call(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report");
  EXPECT_EQ(early.status, 409);
  EXPECT_THAT(early.body, HasSubstr("share.wrong_state"));

  // The staff member sees exactly what would be disclosed, then consents after a step-up.
  json::Value opened =
      CallJson(rgt.staff, "POST", "/wallet/shares/open", json::Object{{"link", link}}, 200);
  std::string plan = json::Serialize(*opened.Find("disclosure"));
  EXPECT_THAT(plan, HasSubstr(rgt.credential_id));
  EXPECT_THAT(plan, HasSubstr("typeOfDbsCheck"));
  ServerResponse no_step_up = Call(rgt.staff, "POST", "/wallet/shares/" + id + "/consent", "{}");
  EXPECT_EQ(no_step_up.status, 401);
  EXPECT_THAT(no_step_up.body, HasSubstr("auth.step_up_required"));
  CallJson(rgt.staff, "POST", "/me/step-up", json::Object{{"secret", kPassword}}, 200);
  json::Value consented =
      CallJson(rgt.staff, "POST", "/wallet/shares/" + id + "/consent", json::Object{}, 200);
  EXPECT_EQ(Str(consented, "state"), "consented");

  // The link was single-use: R1H's own staff member cannot open it afterwards.
  ServerResponse reuse =
      Call(r1h.staff, "POST", "/wallet/shares/open", "{\"link\":\"" + link + "\"}");
  EXPECT_EQ(reuse.status, 404);

  json::Value report =
      CallJson(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report", json::Value(), 200);
  const json::Value* checks = report.Find("readiness")->Find("checks");
  ASSERT_NE(checks, nullptr) << json::Serialize(report);
  std::string dbs_before = Str(*checks->Find("dbs"), "decision");
  EXPECT_NE(dbs_before, "repeat") << json::Serialize(*checks->Find("dbs"));

  // RGT revokes the DBS credential: the report marks it and decides afresh.
  CallJson(rgt.hr, "POST", "/orgs/RGT/credentials/" + rgt.credential_id + "/revoke",
           json::Object{{"reason", "new information"}}, 200);
  report = CallJson(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report", json::Value(), 200);
  EXPECT_THAT(json::Serialize(*report.Find("marks")), HasSubstr(rgt.credential_id));
  EXPECT_EQ(Str(*report.Find("readiness")->Find("checks")->Find("dbs"), "decision"), "repeat");

  // An override is recorded with its reason; then the organisation closes the request and its
  // access ends.
  report = CallJson(
      r1h.verifier, "POST", "/orgs/R1H/shares/" + id + "/overrides",
      json::Object{
          {"check", "identity"}, {"decision", "repeat"}, {"reason", "see the passport in person"}},
      200);
  EXPECT_THAT(json::Serialize(report), HasSubstr("see the passport in person"));
  CallJson(r1h.verifier, "POST", "/orgs/R1H/shares/" + id + "/close", json::Object{}, 200);
  ServerResponse after = Call(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report");
  EXPECT_EQ(after.status, 409);

  // RGT cannot see R1H's request; the staff member's history shows who viewed what.
  EXPECT_EQ(Call(rgt.hr, "GET", "/orgs/R1H/shares/" + id).status, 404);
  json::Value history = CallJson(rgt.staff, "GET", "/wallet/history", json::Value(), 200);
  (void)history;
}

TEST_F(ApiTest, ARevocationThroughTheVcApiMarksTheReportsThatReliedOnIt) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  Org& r1h = orgs_[1];
  std::string id = ConsentedShare(rgt, r1h);
  Caller hr_token{"", "", rgt.tokens[Role::kHrIssuer]};
  CallJson(hr_token, "POST", "/credentials/status",
           json::Object{{"credentialId", rgt.credential_id},
                        {"credentialStatus", json::Value(json::Array{json::Value(json::Object{
                                                 {"type", "revocation"}, {"status", true}})})}},
           200);
  json::Value report =
      CallJson(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report", json::Value(), 200);
  EXPECT_THAT(json::Serialize(*report.Find("marks")), HasSubstr(rgt.credential_id));
}

TEST_F(ApiTest, WithdrawnConsentEndsTheReport) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  Org& r1h = orgs_[1];
  std::string id = ConsentedShare(rgt, r1h);
  CallJson(rgt.staff, "POST", "/wallet/shares/" + id + "/withdraw", json::Object{}, 200);
  ServerResponse r = Call(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report");
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(r.body, HasSubstr("withdrawn"));
  // Someone else's staff member cannot withdraw or consent to it.
  EXPECT_EQ(Call(r1h.staff, "POST", "/wallet/shares/" + id + "/consent", "{}").status, 404);
}

TEST_F(ApiTest, TrustBundleCoversTheOrganisationsAndVerifiesWithItsPinnedSigner) {
  BuildTwoOrganisations();
  ServerResponse r = Call({}, "GET", "/trust-bundle");
  ASSERT_EQ(r.status, 200) << r.body;
  auto signer = service::BundleSignerDid(*d_->keys);
  ASSERT_TRUE(signer.ok());
  auto bundle = trust::LoadTrustBundle(r.body, clock_.Now(), *signer);
  ASSERT_TRUE(bundle.ok()) << bundle.error().ToString();
  EXPECT_EQ(bundle->documents.size(), 2u);
  EXPECT_NE(bundle->registry.FindByIdentifier(d_->did_web_base + ":orgs:RGT"), nullptr);
  EXPECT_FALSE(trust::LoadTrustBundle(r.body, clock_.Now(), std::string("did:key:z6MkOther")).ok());
}

TEST_F(ApiTest, AnalystsSeeOnlyDisclosureControlledAggregates) {
  BuildTwoOrganisations();
  Caller analyst{"", "", orgs_[0].tokens[Role::kAnalyst]};
  json::Value summary = CallJson(analyst, "GET", "/orgs/RGT/analytics/summary", json::Value(), 200);
  // One DBS credential: a count of 1 is never published.
  EXPECT_EQ(json::Serialize(*summary.Find("credentialsByType")),
            R"({"cells":{"dbs":"<5"},"total":"<5"})");
  // Analysts cannot read people or credentials.
  EXPECT_EQ(Call(analyst, "GET", "/orgs/RGT/credentials").status, 403);
  EXPECT_EQ(Call(analyst, "GET", "/orgs/RGT/staff").status, 403);
}

std::string HeaderOf(const ServerResponse& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (h.name == name) return h.value;
  }
  return "";
}

TEST_F(ApiTest, StartPageAndPrivacyNoticeRenderWithoutAssetsAndWithoutInlineScript) {
  for (const char* path : {"/", "/privacy"}) {
    ServerResponse r = Call({}, "GET", path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    const std::string csp = HeaderOf(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_NE(csp.find("font-src 'self'"), std::string::npos);
    // Every script is a file: "<script" is always followed by a src, and the element is empty.
    for (size_t at = r.body.find("<script"); at != std::string::npos;
         at = r.body.find("<script", at + 1)) {
      size_t end = r.body.find('>', at);
      ASSERT_NE(end, std::string::npos);
      std::string tag = r.body.substr(at, end - at);
      EXPECT_NE(tag.find(" src=\"/assets/"), std::string::npos) << path << ": " << tag;
      EXPECT_EQ(r.body.compare(end + 1, 9, "</script>"), 0) << path << ": " << tag;
    }
    EXPECT_EQ(r.body.find("style="), std::string::npos) << path;
    // Nothing is loaded from elsewhere: the only absolute address is SVG's namespace name.
    std::string body = r.body;
    for (size_t at; (at = body.find("http://www.w3.org/2000/svg")) != std::string::npos;) {
      body.erase(at, 26);
    }
    EXPECT_EQ(body.find("http://"), std::string::npos) << path;
    EXPECT_EQ(body.find("https://"), std::string::npos) << path;
  }
  EXPECT_THAT(Call({}, "GET", "/").body, HasSubstr("<h1>Your staff passport</h1>"));
  EXPECT_THAT(Call({}, "GET", "/privacy").body, HasSubstr("30 minutes when idle"));
}

TEST_F(ApiTest, AssetsComeOnlyFromTheWebRootByPlainName) {
  EXPECT_EQ(Call({}, "GET", "/assets/lanyard.css").status, 404);  // no web root configured
  const auto root = dir_ / "web";
  std::filesystem::create_directories(root);
  { std::ofstream(root / "lanyard.css") << "body{color:#212b32}"; }
  { std::ofstream(root / "lanyard.css.gz") << "GZIPPED"; }
  { std::ofstream(dir_ / "secret.css") << "not for you"; }
  ApiServices services = ApiServices::ForDeployment(*d_, clock_);
  services.web_root = root.string();
  api_ = std::make_unique<Api>(services);
  ServerResponse css = Call({}, "GET", "/assets/lanyard.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{color:#212b32}");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(HeaderOf(css, "Cache-Control"), "public, max-age=86400");
  ServerRequest gz;
  gz.method = "GET";
  gz.target = gz.path = "/assets/lanyard.css";
  gz.headers.push_back({"Accept-Encoding", "gzip, br"});
  ServerResponse zipped = api_->Dispatch(gz);
  EXPECT_EQ(zipped.body, "GZIPPED");
  EXPECT_EQ(HeaderOf(zipped, "Content-Encoding"), "gzip");
  for (const char* bad : {"/assets/..%2Fsecret.css", "/assets/.hidden.css", "/assets/lanyard.exe",
                          "/assets/missing.css"}) {
    EXPECT_EQ(Call({}, "GET", bad).status, 404) << bad;
  }
}

TEST_F(ApiTest, EventExportCarriesKeyedPseudonymsAndNoPersonalData) {
  BuildTwoOrganisations();
  Bytes key(32, 7);
  auto csv = service::ExportEventsCsv(*d_->store, key);
  ASSERT_TRUE(csv.ok());
  EXPECT_THAT(*csv, HasSubstr("credential.issue,2026-09-01,"));
  for (const auto& org : orgs_) {
    EXPECT_THAT(*csv, Not(HasSubstr(org.staff_id)));
    EXPECT_THAT(*csv, Not(HasSubstr(org.staff_email)));
  }
  auto again = service::ExportEventsCsv(*d_->store, key);
  EXPECT_EQ(*again, *csv) << "the same key gives the same pseudonyms";
  Bytes other(32, 8);
  EXPECT_NE(*service::ExportEventsCsv(*d_->store, other), *csv);
  EXPECT_THAT(service::ExportEventsCsv(*d_->store, Bytes(16, 1)),
              testing::ErrorIs("export.invalid_key"));
  // The research tools read the export as it is written, every row.
  EXPECT_EQ(analytics::DetectFormat(csv->substr(0, csv->find('\n'))),
            analytics::InputFormat::kLanyardEvents);
  analytics::OrganisationTable orgs;
  analytics::RoleTable roles;
  analytics::RowErrors errors;
  analytics::MeasuredEffect measured;
  std::istringstream in(*csv);
  auto read = analytics::IngestLanyardEventsStream(
      in, "events.csv", analytics::IngestContext{&orgs, &roles, std::nullopt, &errors}, measured);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_GT(read->rows, 0u);
  EXPECT_EQ(read->accepted, read->rows);
  EXPECT_EQ(errors.count(), 0u);
}

}  // namespace
}  // namespace lanyard::http

namespace lanyard::http {
namespace {

// A page form as a browser posts it.
ServerRequest FormRequest(const std::string& target, const std::string& body,
                          const std::string& cookie_header) {
  ServerRequest r;
  r.method = "POST";
  r.target = target;
  r.path = target;
  r.remote_address = "127.0.0.1";
  r.request_id = "test";
  r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  if (!cookie_header.empty()) r.headers.push_back({"Cookie", cookie_header});
  r.body = body;
  return r;
}

TEST_F(ApiTest, PagesSendVisitorsToSignInAndAnswerErrorsAsPages) {
  BuildTwoOrganisations();
  // Every page that needs a session sends a visitor without one to sign in, back to the page.
  for (const Route& route : api_->router().routes()) {
    if (!route.page || route.method != "GET" || route.access == Access::kPublic) continue;
    std::string path = route.pattern;
    for (size_t at; (at = path.find('{')) != std::string::npos;) {
      path.replace(at, path.find('}') - at + 1, "x");
    }
    ServerResponse r = Call({}, "GET", path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(HeaderOf(r, "Location").rfind("/sign-in?next=", 0), 0u) << path;
  }
  // Another organisation's credential is a page that says not found, as the API would.
  ServerResponse missing = Call(orgs_[1].hr, "GET", "/issued/" + orgs_[0].credential_id);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(missing.body, HasSubstr("Page not found"));
  // A page outside one's roles.
  ServerResponse refused = Call(orgs_[0].staff, "GET", "/requests");
  EXPECT_EQ(refused.status, 403);
  EXPECT_THAT(refused.body, HasSubstr("permission.denied"));
}

TEST_F(ApiTest, PageFormsNeedTheirCsrfToken) {
  BuildTwoOrganisations();
  const Caller& staff = orgs_[0].staff;
  const std::string cookie = std::string(kSessionCookie) + "=" + staff.cookie;
  ServerResponse no_token =
      api_->Dispatch(FormRequest("/passport/shares/none/withdraw", "", cookie));
  EXPECT_EQ(no_token.status, 403);
  EXPECT_THAT(no_token.body, HasSubstr("auth.csrf"));
  ServerResponse wrong = api_->Dispatch(
      FormRequest("/passport/shares/none/withdraw", "csrf_token=" + staff.csrf + "x", cookie));
  EXPECT_EQ(wrong.status, 403);
  ServerResponse right = api_->Dispatch(
      FormRequest("/passport/shares/none/withdraw", "csrf_token=" + staff.csrf, cookie));
  EXPECT_EQ(right.status, 404) << right.body;  // past the check: there is no such request

  // Before sign-in, the form's token is the one in its own cookie.
  ServerResponse form = Call({}, "GET", "/sign-in");
  std::string set_cookie = HeaderOf(form, "Set-Cookie");
  ASSERT_EQ(set_cookie.rfind("__Host-lanyard_form=", 0), 0u) << set_cookie;
  std::string token = set_cookie.substr(20, set_cookie.find(';') - 20);
  EXPECT_THAT(form.body, HasSubstr("value=\"" + token + "\""));
  const std::string login = "email=nobody%40example.org&password=wrong&csrf_token=";
  EXPECT_EQ(api_->Dispatch(FormRequest("/sign-in", login + token, "")).status, 403);
  ServerResponse wrong_password =
      api_->Dispatch(FormRequest("/sign-in", login + token, "__Host-lanyard_form=" + token));
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_THAT(wrong_password.body, HasSubstr("Enter a correct email address and password"));
  ServerResponse malformed =
      api_->Dispatch(FormRequest("/sign-in", "csrf_token=%zz", "__Host-lanyard_form=" + token));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.body, HasSubstr("form.malformed"));
}

TEST_F(ApiTest, AnOrganisationsOwnRoleProfileIsPreviewedStoredAndPinnedToNewRequests) {
  BuildTwoOrganisations();
  Org& rgt = orgs_[0];
  Org& r1h = orgs_[1];
  const std::string earlier = ConsentedShare(rgt, r1h);
  auto dbs_decision = [&](const std::string& id) {
    json::Value report =
        CallJson(r1h.verifier, "GET", "/orgs/R1H/shares/" + id + "/report", json::Value(), 200);
    return Str(*report.Find("readiness")->Find("checks")->Find("dbs"), "decision");
  };
  const std::string dbs_before = dbs_decision(earlier);
  ASSERT_NE(dbs_before, "not_required");

  // R1H's own registered-nurse profile, which does not ask for a DBS check.
  passport::Profile local = passport::BuiltInProfile("registered-nurse").value();
  local.version = 2;
  local.dbs.required = false;
  const std::string text = passport::WriteProfile(local);
  const std::string cookie = std::string(kSessionCookie) + "=" + r1h.admin.cookie;
  auto multipart = [&](const std::string& file) {
    ServerRequest r = FormRequest("/organisation/profiles/check", "", cookie);
    r.headers[0].value = "multipart/form-data; boundary=XyZ";
    r.body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" +
             r1h.admin.csrf +
             "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
             "filename=\"nurse.profile\"\r\nContent-Type: text/plain\r\n\r\n" +
             file + "\r\n--XyZ--\r\n";
    return api_->Dispatch(r);
  };
  // The preview names what changes, for whom.
  ServerResponse preview = multipart(text);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_THAT(preview.body, HasSubstr("id=\"profile-differences\""));
  EXPECT_THAT(preview.body, HasSubstr("Nurse RGT"));
  EXPECT_THAT(preview.body, HasSubstr("Criminal record (DBS): "));
  EXPECT_THAT(preview.body, HasSubstr(" → Not required"));
  // A profile for another organisation is refused, with the reason at the field.
  passport::Profile elsewhere = local;
  elsewhere.organisation = "RGT";
  ServerResponse refused = multipart(passport::WriteProfile(elsewhere));
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(refused.body, HasSubstr("this profile is for RGT, not R1H"));

  // Stored, it is used for new requests only.
  const std::string store_form =
      "csrf_token=" + r1h.admin.csrf + "&file_data=" + Base64UrlEncode(AsBytes(text));
  ServerResponse stored = api_->Dispatch(FormRequest("/organisation/profiles", store_form, cookie));
  ASSERT_EQ(stored.status, 303) << stored.body;
  EXPECT_EQ(HeaderOf(stored, "Location"), "/organisation/profiles?stored=registered-nurse@2");
  ServerResponse again = api_->Dispatch(FormRequest("/organisation/profiles", store_form, cookie));
  EXPECT_EQ(again.status, 400);
  EXPECT_THAT(again.body, HasSubstr("version 2 of registered-nurse is already stored"));

  EXPECT_EQ(dbs_decision(earlier), dbs_before);
  const std::string later = ConsentedShare(rgt, r1h);
  EXPECT_EQ(Str(CallJson(r1h.verifier, "GET", "/orgs/R1H/shares/" + later, json::Value(), 200),
                "profile"),
            "registered-nurse@2");
  EXPECT_EQ(dbs_decision(later), "not_required");
  // The API lists it, and takes the next version as a file.
  json::Value listed = CallJson(r1h.verifier, "GET", "/orgs/R1H/profiles", json::Value(), 200);
  EXPECT_THAT(json::Serialize(listed), HasSubstr("\"reference\":\"registered-nurse@2\""));
  auto post_file = [&](const Caller& who, const std::string& body) {
    ServerRequest r = FormRequest("/orgs/R1H/profiles", body, "");
    r.headers[0].value = "text/plain; charset=utf-8";
    r.headers.push_back({"Cookie", std::string(kSessionCookie) + "=" + who.cookie});
    r.headers.push_back({"X-CSRF-Token", who.csrf});
    return api_->Dispatch(r);
  };
  ServerResponse same = post_file(r1h.admin, text);
  EXPECT_EQ(same.status, 400);
  EXPECT_THAT(same.body, HasSubstr("profile.version_not_raised"));
  EXPECT_EQ(post_file(r1h.verifier, text).status, 403);
  local.version = 3;
  ServerResponse next = post_file(r1h.admin, passport::WriteProfile(local));
  EXPECT_EQ(next.status, 201) << next.body;
  EXPECT_THAT(next.body, HasSubstr("\"reference\":\"registered-nurse@3\""));
  // Another organisation's requests cannot name it.
  service::RoleProfiles profiles(*d_->store, clock_);
  EXPECT_THAT(profiles.Resolve("RGT", "registered-nurse@2"), testing::ErrorIs("profile.not_found"));
  EXPECT_EQ(profiles.Current("RGT", "registered-nurse")->ref.version, 0);
  EXPECT_EQ(profiles.Current("R1H", "registered-nurse")->ref.version, 3);
}

}  // namespace
}  // namespace lanyard::http
