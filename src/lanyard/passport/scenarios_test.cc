// The readiness scenarios in tests/scenarios/: each folder's scenario.json describes a person's
// credentials (issued here for real: signed, published status lists, a trust registry, DID
// documents served over a fake HTTP client), a role profile, a movement and a start date, and the
// decisions expected. Credentials are verified through the whole pipeline, so revocation,
// suspension, trust and the person check are exercised as in production.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/did_web.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/passport_credential.h"
#include "lanyard/passport/readiness.h"
#include "lanyard/service/status_service.h"
#include "lanyard/testing/fake_http_client.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::passport {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(LANYARD_SCENARIO_DIR)) {
    if (e.is_directory() && fs::exists(e.path() / "scenario.json")) {
      out.push_back(e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The organisations every scenario can name as issuers, by ODS code, with their kinds. UNREG is a
// well-formed issuer missing from the registry; RGX is registered but authorised for nothing.
struct OrgSpec {
  const char* ods;
  std::vector<trust::OrgKind> kinds;
  bool registered = true;
  bool authorised = true;
};
const std::vector<OrgSpec>& Orgs() {
  using K = trust::OrgKind;
  static const std::vector<OrgSpec> orgs = {
      {"RGT", {K::kTrust}},          {"R0A", {K::kTrust, K::kLeadEmployer}},
      {"RJ1", {K::kTrust}},          {"OHS1", {K::kOccupationalHealth}},
      {"LRN1", {K::kLearningProvider}}, {"NMC", {K::kRegulator}},
      {"GMC", {K::kRegulator}},      {"AGY1", {K::kAgency}},
      {"RGX", {K::kTrust}, true, false}, {"UNREG", {K::kTrust}, false, true},
  };
  return orgs;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Scenario {
 public:
  explicit Scenario(const fs::path& dir)
      : dir_(dir), spec_(json::Parse(ReadFile(dir / "scenario.json")).value()) {}

  void Run() {
    const std::string now_text =
        spec_.FindString("now") ? *spec_.FindString("now") : *spec_.FindString("start") + "T09:00:00Z";
    clock_.Set(ParseRfc3339(now_text).value() - std::chrono::hours(24 * 60));
    SetUpOrganisations();
    holder_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
    other_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
    // Issue (two months before "now"), then publish lists and verify at "now".
    std::vector<std::pair<std::string, std::string>> issued;  // (source, text)
    const json::Value* creds = spec_.Find("credentials");
    ASSERT_NE(creds, nullptr);
    for (size_t i = 0; i < creds->as_array().size(); ++i) {
      issued.emplace_back(Issue(creds->as_array()[i], i));
      if (::testing::Test::HasFatalFailure()) return;
    }
    clock_.Set(ParseRfc3339(now_text).value());
    PublishLists();
    auto resolver = did::NewStandardResolver(&http_, clock_);
    verify::StatusCheckOptions status_options;
    status_options.http = &http_;
    status_options.trust = &registry_;
    verify::StatusChecker status(*resolver, clock_, status_options);
    verify::VerifyOptions options;
    options.now = clock_.Now();
    options.trust = &registry_;
    options.status = &status;
    std::vector<Evidence> evidence;
    for (const auto& [source, text] : issued) {
      auto report = verify::VerifyDocumentText(text, *resolver, options);
      json::Value document;
      if (text[0] == '{') document = json::Parse(text).value();
      evidence.push_back(EvidenceFromReport(source, std::move(report), document));
    }
    Evaluate(evidence);
  }

 private:
  void SetUpOrganisations() {
    json::Array orgs, auths;
    for (const auto& o : Orgs()) {
      auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
      std::string did = "did:web:" + Lower(o.ods) + ".nhs.example";
      did::DidDocument doc;
      doc.id = did;
      doc.verification_methods.push_back({did + "#key-1", did, key.public_key()});
      doc.assertion_method.push_back(did + "#key-1");
      http_.SetResponse(did::DidWebUrl(did).value(), 200,
                        json::Serialize(did::DidDocumentToJson(doc)));
      dids_[o.ods] = did;
      keys_.emplace(o.ods, std::move(key));
      if (!o.registered) continue;
      json::Value org = json::Object{};
      org.Set("ods", o.ods);
      org.Set("name", std::string(o.ods) + " (scenario organisation)");
      json::Array kinds;
      for (auto k : o.kinds) kinds.emplace_back(trust::OrgKindName(k));
      org.Set("kinds", std::move(kinds));
      org.Set("identifiers", json::Array{did});
      orgs.push_back(std::move(org));
      if (!o.authorised) continue;
      json::Array types;
      for (const auto& info : AllCredentialTypes()) {
        types.emplace_back(info.di_type);
        types.emplace_back(info.vct);
      }
      json::Value auth = json::Object{};
      auth.Set("organisation", o.ods);
      auth.Set("credentialTypes", std::move(types));
      auth.Set("from", "2020-01-01T00:00:00Z");
      auths.push_back(std::move(auth));
    }
    json::Value reg = json::Object{};
    reg.Set("format", "lanyard-trust-registry/1");
    reg.Set("serial", 1);
    reg.Set("organisations", std::move(orgs));
    reg.Set("authorisations", std::move(auths));
    if (const json::Value* a = spec_.Find("registry_agreements")) reg.Set("agreements", *a);
    auto loaded = trust::TrustRegistry::FromJson(reg);
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    registry_ = *std::move(loaded);
  }

  std::string Subject(const json::Value& c) {
    const std::string* who = c.FindString("subject");
    const crypto::PrivateKey& key = who != nullptr && *who == "other" ? *other_ : *holder_;
    return did::DidKeyFromPublicKey(key.public_key());
  }

  std::pair<std::string, std::string> Issue(const json::Value& c, size_t i) {
    std::string type_name = *c.FindString("type");
    const CredentialTypeInfo* info = FindCredentialType(type_name);
    EXPECT_NE(info, nullptr) << "unknown type " << type_name;
    if (info == nullptr) return {};
    std::string ods = c.FindString("issuer") ? *c.FindString("issuer") : "RGT";
    std::string did = dids_.at(ods);
    const crypto::PrivateKey& key = keys_.at(ods);
    json::Value claims = c.Find("claims") ? *c.Find("claims") : json::Value(json::Object{});
    claims.Set("recordType", info->record_type);
    claims.Set("id", Subject(c));
    Status valid = ValidateClaims(info->type, claims);
    EXPECT_TRUE(valid.ok()) << dir_.filename() << " credential " << i << ": "
                            << valid.error().ToString();
    std::string source = "credential[" + std::to_string(i) + "]:" + type_name;
    // Status lists: one revocation and one suspension list per issuer.
    json::Array entries;
    for (const char* purpose : {"revocation", "suspension"}) {
      std::string list_id = ods + "-" + purpose;
      if (!lists_.count(list_id)) {
        EXPECT_TRUE(service_
                        .CreateList({list_id, store::ListFormat::kBitstring, purpose, 131072,
                                     "https://" + Lower(ods) + ".nhs.example/status/" + purpose,
                                     did, clock_.Now()})
                        .ok());
        lists_[list_id] = ods;
      }
      json::Value entry = service_.Allocate(list_id, source).value();
      const std::string* status = c.FindString("status");
      if (status != nullptr && ((*status == "revoked" && std::string(purpose) == "revocation") ||
                                (*status == "suspended" && std::string(purpose) == "suspension"))) {
        EXPECT_TRUE(service_
                        .Apply(list_id, std::stoull(*entry.FindString("statusListIndex")),
                               *status == "revoked" ? service::StatusAction::kRevoke
                                                    : service::StatusAction::kSuspend,
                               "scenario")
                        .ok());
      }
      entries.push_back(std::move(entry));
    }
    std::optional<TimePoint> until;
    if (const std::string* text = c.FindString("valid_until")) until = ParseRfc3339(*text).value();
    json::Value vc = MakeDataIntegrityCredential(*info, claims, did, clock_.Now(), until);
    vc.Set("credentialStatus", json::Array(std::move(entries)));
    formats::di::ProofOptions p;
    p.verification_method = did + "#key-1";
    p.created = clock_.Now();
    return {source, json::Serialize(formats::di::AddProof(std::move(vc), p, key).value())};
  }

  void PublishLists() {
    for (const auto& [list_id, ods] : lists_) {
      const crypto::PrivateKey& key = keys_.at(ods);
      service::ListSigner signer{&key, dids_.at(ods) + "#key-1"};
      auto record = store_->GetList(list_id).value();
      http_.SetResponse(record.url, 200, service_.Publish(list_id, signer).value());
    }
  }

  void Evaluate(const std::vector<Evidence>& evidence) {
    Profile profile;
    const json::Value* p = spec_.Find("profile");
    if (p->is_string()) {
      auto builtin = BuiltInProfile(p->as_string());
      ASSERT_TRUE(builtin.ok()) << builtin.error().ToString();
      profile = *builtin;
    } else {
      std::string file = *p->FindString("file");
      auto parsed = ParseProfile(ReadFile(dir_ / file), file);
      ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
      profile = *parsed;
    }
    ReadinessRequest request;
    request.profile = &profile;
    request.movement = ParseMovement(*spec_.FindString("movement")).value();
    request.from_ods = *spec_.FindString("from");
    request.receiving_ods = *spec_.FindString("receiving");
    request.start = ParseRfc3339(*spec_.FindString("start") + "T00:00:00Z").value();
    request.now = clock_.Now();
    request.registry = &registry_;
    if (const json::Value* w = spec_.Find("window_days")) request.window_days = static_cast<int>(w->as_number());
    if (const json::Value* a = spec_.Find("agreements")) {
      for (const auto& t : a->as_array()) {
        request.agreements.push_back(trust::ParseAgreementType(t.as_string()).value());
      }
    }
    std::unique_ptr<LiveSimulator> live;
    if (const json::Value* l = spec_.Find("live")) {
      auto loaded = LiveSimulator::FromText(json::Serialize(*l));
      ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
      live = std::move(loaded).value();
      request.live = live->Services();
    }
    if (const json::Value* o = spec_.Find("overrides")) {
      for (const auto& item : o->as_array()) {
        request.overrides.push_back({*item.FindString("check"),
                                     ParseDecision(*item.FindString("decision")).value(),
                                     item.FindString("reason") ? *item.FindString("reason") : "",
                                     item.FindString("by") ? *item.FindString("by") : ""});
      }
    }
    Readiness result = EvaluateReadiness(request, evidence);
    json::Value got = result.ToJson();
    std::string context = dir_.filename().string() + "\n" + result.ToText();
    const json::Value& expect = *spec_.Find("expect");
    if (const std::string* overall = expect.FindString("overall")) {
      EXPECT_EQ(result.overall, *overall) << context;
    }
    auto check_of = [&](const std::string& name) -> const json::Value* {
      const json::Value* checks = got.Find("checks");
      if (name.rfind("training.", 0) == 0) return checks->Find("training")->Find(name.substr(9));
      return checks->Find(name);
    };
    if (const json::Value* d = expect.Find("decisions")) {
      for (const auto& [name, want] : d->as_object()) {
        const json::Value* c = check_of(name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_EQ(*c->FindString("decision"), want.as_string()) << name << "\n" << context;
      }
    }
    if (const json::Value* r = expect.Find("reasons")) {
      for (const auto& [name, want] : r->as_object()) {
        const json::Value* c = check_of(name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_TRUE(json::IsOrContainsString(c->Find("reasons"), want.as_string()))
            << name << " lacks reason " << want.as_string() << "\n" << context;
      }
    }
    if (const json::Value* w = expect.Find("warnings")) {
      for (const auto& code : w->as_array()) {
        bool found = false;
        for (const auto& warning : result.warnings) found |= warning.code == code.as_string();
        EXPECT_TRUE(found) << "missing warning " << code.as_string() << "\n" << context;
      }
    }
    if (const json::Value* o = expect.Find("overrides")) {
      ASSERT_EQ(o->as_array().size(), result.overrides.size()) << context;
      for (size_t i = 0; i < result.overrides.size(); ++i) {
        EXPECT_EQ(result.overrides[i].outcome, o->as_array()[i].as_string()) << context;
      }
    }
    // The property every scenario must keep: nothing unusable is ever relied on.
    for (const auto& [name, check] : result.checks) AssertNoUnusableReuse(check, evidence, name);
    for (const auto& [name, check] : result.training) AssertNoUnusableReuse(check, evidence, name);
  }

  void AssertNoUnusableReuse(const CheckResult& check, const std::vector<Evidence>& evidence,
                             const std::string& name) {
    if (check.decision != Decision::kReuse && check.decision != Decision::kReverify) return;
    for (const auto& source : check.evidence) {
      for (const auto& e : evidence) {
        if (e.source != source) continue;
        EXPECT_TRUE(e.report.verified()) << dir_.filename() << ": " << name << " relies on "
                                         << source << ", which did not verify";
      }
    }
  }

  fs::path dir_;
  json::Value spec_;
  SimulatedClock clock_{TimePoint()};
  testing::FakeHttpClient http_;
  trust::TrustRegistry registry_;
  std::map<std::string, std::string> dids_;
  std::map<std::string, crypto::PrivateKey> keys_;
  std::optional<crypto::PrivateKey> holder_, other_;
  std::unique_ptr<store::StatusStore> store_ = store::NewMemoryStatusStore();
  service::StatusService service_{*store_, clock_};
  std::map<std::string, std::string> lists_;
};

class ReadinessScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadinessScenario, DecidesAsExpected) {
  Scenario(fs::path(LANYARD_SCENARIO_DIR) / GetParam()).Run();
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReadinessScenario, ::testing::ValuesIn(ScenarioNames()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(ReadinessScenarios, ThereAreAtLeastForty) { EXPECT_GE(ScenarioNames().size(), 40u); }

}  // namespace
}  // namespace lanyard::passport
