// A changeover day: 60,000 resident doctors with 8 credentials each (480,000 verifications plus
// the readiness decision for every doctor), on every core. The goal: at most 1.5 times what the
// same machine needs, in the same run, for the 480,000 bare Ed25519 signature verifications
// alone (libsodium, same threads).
//
//   lanyard_readiness_bench [--doctors N] [--threads T]
//
// Credentials are real: eddsa-jcs-2022 Data Integrity credentials from four issuers (an employer,
// an occupational-health service, a learning provider, the GMC), each with a revocation entry in
// its issuer's 131,072-entry status list, checked against a trust registry; the list is fetched
// (from memory here) and verified once, then read from the cache.
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

#include "lanyard/core/clock.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/cohort.h"
#include "lanyard/passport/passport_credential.h"
#include "lanyard/service/status_service.h"

namespace {

using namespace lanyard;
using WallClock = std::chrono::steady_clock;

class MapHttp final : public HttpClient {
 public:
  std::map<std::string, std::string> bodies;
  Result<HttpResponse> Get(const HttpRequest& r) const override {
    auto it = bodies.find(r.url);
    if (it == bodies.end()) return MakeError(Code::kUnavailable, "http.unavailable", r.url);
    return HttpResponse{200, {}, it->second};
  }
};

struct Issuer {
  std::string ods;
  trust::OrgKind kind;
  crypto::PrivateKey key;
  std::string did;
  std::string list_id;
};

double Seconds(WallClock::time_point a, WallClock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

template <typename F>
void Parallel(int threads, size_t n, F f) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(256)) < n;) {
      for (size_t j = i; j < std::min(i + 256, n); ++j) f(j);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

int main(int argc, char** argv) {
  size_t doctors = 60000;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--doctors") == 0) doctors = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
  }
  if (sodium_init() < 0) return 1;
  std::printf("Lanyard changeover-day benchmark (build: %s): %zu doctors x 8 credentials, %d threads\n",
              LANYARD_BENCH_BUILD_TYPE, doctors, threads);
  SimulatedClock clock(ParseRfc3339("2027-07-20T09:00:00Z").value());
  auto store = store::NewMemoryStatusStore();
  service::StatusService status_service(*store, clock);
  MapHttp http;
  std::vector<Issuer> issuers;
  for (auto [ods, kind] : {std::pair{"RGT", trust::OrgKind::kTrust},
                           std::pair{"OHS1", trust::OrgKind::kOccupationalHealth},
                           std::pair{"LRN1", trust::OrgKind::kLearningProvider},
                           std::pair{"GMC", trust::OrgKind::kRegulator}}) {
    auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
    std::string did = did::DidKeyFromPublicKey(key.public_key());
    std::string list = std::string(ods) + "-revocation";
    (void)status_service.CreateList({list, store::ListFormat::kBitstring, "revocation", 1u << 20,
                                     "https://" + std::string(ods) + ".nhs.example/status/r", did,
                                     clock.Now()});
    issuers.push_back({ods, kind, std::move(key), did, list});
  }
  // The registry: each issuer authorised for the passport types.
  json::Value reg = json::Parse(R"({"format":"lanyard-trust-registry/1","serial":1})").value();
  json::Array orgs, auths;
  for (const auto& is : issuers) {
    json::Value o = json::Object{};
    o.Set("ods", is.ods);
    o.Set("name", is.ods);
    o.Set("kinds", json::Array{std::string(trust::OrgKindName(is.kind))});
    o.Set("identifiers", json::Array{is.did});
    orgs.push_back(o);
    json::Array types;
    for (const auto& info : passport::AllCredentialTypes()) types.emplace_back(info.di_type);
    json::Value a = json::Object{};
    a.Set("organisation", is.ods);
    a.Set("credentialTypes", types);
    a.Set("from", "2020-01-01T00:00:00Z");
    auths.push_back(a);
  }
  reg.Set("organisations", orgs);
  reg.Set("authorisations", auths);
  auto registry = trust::TrustRegistry::FromJson(reg).value();

  // The eight credentials of a doctor: (type, issuer index, claims).
  auto claims_for = [](passport::CredentialType t) -> std::string {
    using T = passport::CredentialType;
    switch (t) {
      case T::kIdentity:
        return R"({"legalFirstName":"Sam","legalSurname":"Adeyemi","birthDate":"1997-02-11","identityVerified":true,"verificationRoute":"in_person","dateOfIdCheck":"2025-08-01","identityDocumentExpiryDate":"2031-01-01"})";
      case T::kRightToWork:
        return R"({"legalFirstName":"Sam","legalSurname":"Adeyemi","birthDate":"1997-02-11","identityVerified":true,"dateOfIdCheck":"2025-08-01","checkMethod":"manual_document","permissionType":"unlimited"})";
      case T::kProfessionalRegistration:
        return R"({"professionalBody":"General Medical Council","registrationNumber":"7654321","registrationStatus":"registered"})";
      case T::kDbs:
        return R"({"applicantFirstName":"Sam","applicantMiddleNames":"","applicantSurname":"Adeyemi","applicantDateOfBirth":"1997-02-11","typeOfDbsCheck":"Enhanced with barred list(s) check","adultsBarredListChecked":true,"childrensBarredListChecked":true,"certificateNumber":"001234567890","disclosureIssueDate":"2025-07-20","informationDisclosed":false,"workforceType":"Child and Adult","registeredBodyNumber":"20012345678","registeredBodyName":"Lead Employer","updateServiceSubscribed":true,"originalCertificateSeen":true})";
      case T::kOccupationalHealth:
        return R"({"clearanceOutcome":"cleared","roleCategory":"clinical_patient_contact","eppCleared":false,"patientContact":true,"assessmentDate":"2025-07-25"})";
      case T::kCoreSkillsTraining:
        return R"({"competencyFramework":"CSTF","subjectName":"Resuscitation","competencyName":"Resuscitation Adult Immediate Life Support","subjectLevel":"2","attainmentStatus":"ACHIEVED","awardingOrganisation":"RGT","dateLastAwarded":"2027-03-01","subject":"resuscitation"})";
      case T::kCorporateInduction:
        return R"({"organisation":"RGT","completedDate":"2025-08-06","elements":["values","policies","statutory_mandatory","it_security"]})";
      default:
        return R"({"employerOds":"RGT","employerName":"Lead Employer","role":"Foundation Doctor","staffGroup":"medical_dental","startDate":"2025-08-06","contractType":"fixed_term"})";
    }
  };
  const std::pair<passport::CredentialType, int> kit[] = {
      {passport::CredentialType::kIdentity, 0},           {passport::CredentialType::kRightToWork, 0},
      {passport::CredentialType::kProfessionalRegistration, 3}, {passport::CredentialType::kDbs, 0},
      {passport::CredentialType::kOccupationalHealth, 1}, {passport::CredentialType::kCoreSkillsTraining, 2},
      {passport::CredentialType::kCorporateInduction, 0}, {passport::CredentialType::kEmploymentHistory, 0}};
  // A foundation doctor whose eight credentials are all the role asks for here (the built-in
  // profile also lists the other ten core-skills subjects, which would make every doctor
  // "not cleared" for want of certificates this benchmark does not issue).
  auto profile = passport::ParseProfile(R"(format = lanyard-profile/1
id = bench-foundation-doctor
version = 1
organisation = *
staff_group = medical_dental
role = Foundation Doctor
employment_type = fixed_term
[registration]
required = true
regulators = GMC
[employment_history]
required = true
[dbs]
required = true
level = enhanced_barred
workforce = child_and_adult
adults_barred_list = true
childrens_barred_list = true
[work_health]
required = true
patient_contact = true
[training]
resuscitation = 2
)", "bench").value();

  std::printf("issuing %zu credentials...\n", doctors * 8);
  std::fflush(stdout);
  std::vector<passport::CohortMember> cohort(doctors);
  // Status entries are allocated up front (the store is the one shared thing).
  std::vector<json::Value> entries(doctors * 8);
  for (size_t i = 0; i < doctors * 8; ++i) {
    entries[i] = status_service.Allocate(issuers[static_cast<size_t>(kit[i % 8].second)].list_id, "c").value();
  }
  std::vector<json::Value> claims;
  for (const auto& [type, issuer] : kit) claims.push_back(json::Parse(claims_for(type)).value());
  const TimePoint issued = ParseRfc3339("2025-08-01T00:00:00Z").value();
  auto t0 = WallClock::now();
  Parallel(threads, doctors, [&](size_t d) {
    auto holder = "did:key:z6MkDoctor" + std::to_string(d);
    passport::CohortMember& m = cohort[d];
    m.person = "doctor-" + std::to_string(d);
    m.profile = &profile;
    m.movement = passport::Movement::kRotationLeadEmployer;
    m.from_ods = "RGT";
    m.receiving_ods = "R0A";
    m.start = ParseRfc3339("2027-08-04T00:00:00Z").value();
    for (size_t k = 0; k < 8; ++k) {
      const auto& [type, issuer_index] = kit[k];
      const Issuer& is = issuers[static_cast<size_t>(issuer_index)];
      const auto& info = passport::Info(type);
      json::Value subject = claims[k];
      subject.Set("recordType", info.record_type);
      subject.Set("id", holder);
      json::Value vc =
          passport::MakeDataIntegrityCredential(info, std::move(subject), is.did, issued, std::nullopt);
      vc.Set("credentialStatus", entries[d * 8 + k]);
      formats::di::ProofOptions p;
      p.verification_method = did::DidKeyMethodId(is.key.public_key());
      p.created = issued;
      m.sources.push_back(std::string(info.name));
      m.documents.push_back(json::Serialize(formats::di::AddProof(std::move(vc), p, is.key).value()));
    }
  });
  std::printf("  issued in %.1f s\n", Seconds(t0, WallClock::now()));
  for (const auto& is : issuers) {
    auto record = store->GetList(is.list_id).value();
    http.bodies[record.url] =
        status_service.Publish(is.list_id, {&is.key, did::DidKeyMethodId(is.key.public_key())}).value();
  }

  // Reference: the bare signature verifications, same count, same threads.
  std::vector<unsigned char> pk(crypto_sign_PUBLICKEYBYTES), sk(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(pk.data(), sk.data());
  unsigned char msg[64] = {7}, sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk.data());
  std::atomic<int> ok{0};
  auto r0 = WallClock::now();
  Parallel(threads, doctors * 8, [&](size_t) {
    if (crypto_sign_verify_detached(sig, msg, sizeof msg, pk.data()) == 0) ok.fetch_add(1, std::memory_order_relaxed);
  });
  double raw = Seconds(r0, WallClock::now());

  // The real thing: verify everything (signature, data model, trust, status) and decide.
  auto resolver = did::NewOfflineResolver();
  verify::StatusCheckOptions so;
  so.http = &http;
  so.trust = &registry;
  verify::StatusChecker status(*resolver, clock, so);
  verify::VerifyOptions vo;
  vo.now = clock.Now();
  vo.trust = &registry;
  vo.status = &status;
  passport::CohortOptions co;
  co.threads = threads;
  auto c0 = WallClock::now();
  auto results = passport::EvaluateCohort(cohort, *resolver, vo, co);
  double full = Seconds(c0, WallClock::now());
  std::map<std::string, size_t> verdicts;
  for (const auto& r : results) ++verdicts[r.overall];
  std::printf("\n  raw Ed25519 verifications   %8.2f s  (%zu, %.0f/s)\n", raw, doctors * 8,
              static_cast<double>(doctors * 8) / raw);
  std::printf("  verify + decide the cohort  %8.2f s  (%.0f credentials/s)\n", full,
              static_cast<double>(doctors * 8) / full);
  for (const auto& [v, n] : verdicts) std::printf("    %-36s %zu\n", v.c_str(), n);
  std::printf("\nSummary: cohort / raw signatures = %.2f   goal <= 1.50: %s\n", full / raw,
              full / raw <= 1.5 ? "MET" : "NOT MET");
  return ok.load() == static_cast<int>(doctors * 8) ? 0 : 1;
}
