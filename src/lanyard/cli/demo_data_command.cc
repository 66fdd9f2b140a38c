// lanyard demo-data: a realistic, seeded synthetic workforce with real credentials, for demos,
// tests and load. NHS organisations with did:web identities, their keys and status lists, a
// signed trust bundle carrying their DID documents, and for each member of staff the credentials
// their role's profile asks for (a few revoked, a few tampered with); a manifest saying how every
// file verifies offline, a cohort file for `readiness batch`, and the live-service simulator's
// answers. The same seed gives the same files, byte for byte.
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/did_web.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/json/canonical.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/live.h"
#include "lanyard/passport/passport_credential.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/status_service.h"
#include "lanyard/trust/trust_bundle.h"
#include "lanyard/verify/status_check.h"

namespace lanyard::cli {
namespace {

namespace fs = std::filesystem;
using passport::CredentialType;

constexpr const char* kFirst[] = {"Amara", "Oliver", "Priya", "Tomasz", "Grace", "Mohammed",
                                  "Siobhan", "Kwame", "Elena", "Rhys", "Aisha", "Daniel"};
constexpr const char* kLast[] = {"Okafor", "Hughes", "Raman", "Nowak", "Campbell", "Rahman",
                                 "Byrne", "Mensah", "Popescu", "Evans", "Begum", "Clarke"};
// The data's "today": lists are published and the manifest verifies at this instant.
constexpr const char* kToday = "2027-07-20T09:00:00Z";

struct Org {
  const char* ods;
  const char* name;
  trust::OrgKind kind;
  crypto::PrivateKey key;
  std::string did;
};

struct Role {
  const char* profile;
  const char* regulator;  // professionalBody, or nullptr
  const char* title;
  const char* staff_group;
};
constexpr Role kRoles[] = {
    {"foundation-doctor", "General Medical Council", "Foundation Doctor", "medical_dental"},
    {"specialty-registrar", "General Medical Council", "Specialty Registrar", "medical_dental"},
    {"registered-nurse", "Nursing and Midwifery Council", "Staff Nurse", "nursing_midwifery"},
    {"healthcare-support-worker", nullptr, "Healthcare Support Worker", "additional_clinical_services"},
    {"non-clinical-administrator", nullptr, "Ward Administrator", "administrative_clerical"},
};

Status WriteFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return MakeError(Code::kUnavailable, "output.unwritable", "cannot write " + path.string());
  }
  return OkStatus();
}

// Deterministic keys: the same seed gives the same organisations and people.
crypto::PrivateKey KeyFrom(std::mt19937_64& rng) {
  Bytes secret(32);
  for (auto& b : secret) b = static_cast<uint8_t>(rng());
  return crypto::PrivateKey::FromSecret(crypto::KeyType::kEd25519, secret).value();
}

std::string Day(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int DemoData(const Environment& env, const DemoDataArgs& args) {
  std::mt19937_64 rng(args.seed);
  fs::path out(args.out);
  TimePoint today = ParseRfc3339(kToday).value();
  const TimePoint issued = ParseRfc3339("2025-08-01T00:00:00Z").value();
  SimulatedClock clock(today);
  // Organisations: employers, an occupational-health service, a learning provider, regulators.
  std::vector<Org> orgs;
  for (auto [ods, name, kind] :
       {std::tuple{"RGT", "Cambridge University Hospitals NHS Foundation Trust", trust::OrgKind::kTrust},
        std::tuple{"R0A", "Manchester University NHS Foundation Trust", trust::OrgKind::kLeadEmployer},
        std::tuple{"OHS1", "Regional Occupational Health Service", trust::OrgKind::kOccupationalHealth},
        std::tuple{"LRN1", "NHS e-Learning Provider", trust::OrgKind::kLearningProvider},
        std::tuple{"GMC", "General Medical Council", trust::OrgKind::kRegulator},
        std::tuple{"NMC", "Nursing and Midwifery Council", trust::OrgKind::kRegulator}}) {
    auto key = KeyFrom(rng);
    orgs.push_back({ods, name, kind, std::move(key), "did:web:" + Lower(ods) + ".nhs.example"});
  }
  auto org = [&](const char* ods) -> Org& {
    for (auto& o : orgs) {
      if (std::string(o.ods) == ods) return o;
    }
    return orgs.front();
  };
  // The registry and the bundle (with every DID document), signed by a national key.
  json::Array orgs_json, auths, docs;
  std::map<std::string, did::DidDocument> documents;
  for (const auto& o : orgs) {
    json::Value v = json::Object{};
    v.Set("ods", o.ods);
    v.Set("name", o.name);
    v.Set("kinds", json::Array{std::string(trust::OrgKindName(o.kind))});
    v.Set("identifiers", json::Array{o.did});
    orgs_json.push_back(std::move(v));
    json::Array types;
    for (const auto& info : passport::AllCredentialTypes()) {
      for (auto k : info.issuer_kinds) {
        if (k == o.kind || (o.kind == trust::OrgKind::kLeadEmployer && k == trust::OrgKind::kTrust)) {
          types.emplace_back(info.di_type);
          break;
        }
      }
    }
    json::Value a = json::Object{};
    a.Set("organisation", o.ods);
    a.Set("credentialTypes", std::move(types));
    a.Set("from", "2020-01-01T00:00:00Z");
    auths.push_back(std::move(a));
    did::DidDocument doc;
    doc.id = o.did;
    doc.verification_methods.push_back({o.did + "#key-1", o.did, o.key.public_key()});
    doc.assertion_method.push_back(o.did + "#key-1");
    documents.emplace(o.did, doc);
  }
  json::Value registry_json = json::Object{};
  registry_json.Set("format", "lanyard-trust-registry/1");
  registry_json.Set("serial", 1);
  registry_json.Set("issued", kToday);
  registry_json.Set("organisations", std::move(orgs_json));
  registry_json.Set("authorisations", std::move(auths));
  registry_json.Set("agreements", json::Parse(R"([{"id":"nw-lead-employer","type":"lead_employer_hosting","parties":["R0A","RGT"],"from":"2026-01-01T00:00:00Z"}])").value());
  auto registry = trust::TrustRegistry::FromJson(registry_json);
  if (!registry.ok()) return Usage(env, registry.error());
  auto national = KeyFrom(rng);
  std::string signer = did::DidKeyFromPublicKey(national.public_key());
  auto bundle = trust::BuildTrustBundle(*registry, documents, national, {today});
  if (!bundle.ok()) return Usage(env, bundle.error());
  if (auto s = WriteFile(out / "registry.json", json::Serialize(registry_json, 2) + "\n"); !s.ok()) {
    return Usage(env, s.error());
  }
  if (auto s = WriteFile(out / "bundle.json", json::Serialize(*bundle) + "\n"); !s.ok()) {
    return Usage(env, s.error());
  }

  // Status lists: one revocation list per issuer.
  auto store = store::NewMemoryStatusStore();
  service::StatusService status_service(*store, clock);
  // Seeded indexes, so the same seed writes the same files; real issuers draw from the CSPRNG.
  std::mt19937_64 index_rng(args.seed ^ 0x5eed);
  status_service.SetIndexSource([&](uint64_t bound) { return index_rng() % bound; });
  for (const auto& o : orgs) {
    Status created = status_service.CreateList(
        {o.ods, store::ListFormat::kBitstring, "revocation", 131072,
         "https://" + Lower(o.ods) + ".nhs.example/status/revocation", o.did,
         clock.Now() - std::chrono::hours(24 * 400)});
    if (!created.ok()) return Usage(env, created.error());
  }

  json::Array manifest, cohort, register_entries;
  json::Value live = json::Object{};
  json::Value live_register = json::Object{}, live_dbs = json::Object{}, live_home = json::Object{};
  json::Array args_common{"--offline", "--trust", "bundle.json", "--trust-signer", signer,
                          "--status-cache", "status-cache", "--now", kToday};
  size_t revoked = 0, tampered = 0;
  for (int i = 0; i < args.staff; ++i) {
    const Role& role = kRoles[rng() % std::size(kRoles)];
    auto profile = passport::BuiltInProfile(role.profile);
    if (!profile.ok()) return Usage(env, profile.error());
    std::string first = kFirst[rng() % std::size(kFirst)];
    std::string last = kLast[rng() % std::size(kLast)];
    std::string birth = Day(1965 + static_cast<int>(rng() % 35), 1 + static_cast<int>(rng() % 12),
                            1 + static_cast<int>(rng() % 28));
    auto holder = KeyFrom(rng);
    std::string subject = did::DidKeyFromPublicKey(holder.public_key());
    std::string person = "staff-" + std::to_string(i + 1);
    std::string certificate = std::to_string(100000000000ULL + rng() % 899999999999ULL);
    std::string reg_number = std::to_string(1000000 + rng() % 8999999);
    std::vector<std::pair<CredentialType, json::Value>> kit;
    auto claims = [](const char* text) { return json::Parse(text).value(); };
    json::Value id = claims(R"({"identityVerified":true,"verificationRoute":"in_person","dateOfIdCheck":"2025-08-01","identityDocumentExpiryDate":"2032-03-31"})");
    id.Set("legalFirstName", first);
    id.Set("legalSurname", last);
    id.Set("birthDate", birth);
    kit.emplace_back(CredentialType::kIdentity, id);
    json::Value rtw = claims(R"({"identityVerified":true,"dateOfIdCheck":"2025-08-01","checkMethod":"manual_document","permissionType":"unlimited"})");
    rtw.Set("legalFirstName", first);
    rtw.Set("legalSurname", last);
    rtw.Set("birthDate", birth);
    kit.emplace_back(CredentialType::kRightToWork, rtw);
    if (role.regulator != nullptr) {
      json::Value reg = json::Object{};
      reg.Set("professionalBody", role.regulator);
      reg.Set("registrationNumber", reg_number);
      reg.Set("registrationStatus", "registered");
      kit.emplace_back(CredentialType::kProfessionalRegistration, reg);
      std::string short_name = role.regulator[0] == 'G' ? "GMC" : "NMC";
      live_register.Set(short_name + ":" + reg_number, claims(R"({"status":"registered"})"));
    }
    if (profile->dbs.required) {
      json::Value dbs = claims(R"({"applicantMiddleNames":"","informationDisclosed":false,"registeredBodyNumber":"20012345678","registeredBodyName":"Cambridge University Hospitals NHS Foundation Trust","updateServiceSubscribed":true,"originalCertificateSeen":true,"disclosureIssueDate":"2025-07-14"})");
      dbs.Set("applicantFirstName", first);
      dbs.Set("applicantSurname", last);
      dbs.Set("applicantDateOfBirth", birth);
      dbs.Set("certificateNumber", certificate);
      bool barred = profile->dbs.level == passport::DbsLevel::kEnhancedBarred;
      dbs.Set("typeOfDbsCheck", barred ? "Enhanced with barred list(s) check"
                                : profile->dbs.level == passport::DbsLevel::kEnhanced ? "Enhanced check"
                                : profile->dbs.level == passport::DbsLevel::kStandard ? "Standard check"
                                                                                      : "Basic check");
      dbs.Set("adultsBarredListChecked", barred && profile->dbs.adults_barred_list);
      dbs.Set("childrensBarredListChecked", barred && profile->dbs.childrens_barred_list);
      const char* workforce = profile->dbs.workforce == passport::DbsWorkforce::kChild ? "Child"
                              : profile->dbs.workforce == passport::DbsWorkforce::kAdult ? "Adult"
                              : profile->dbs.workforce == passport::DbsWorkforce::kChildAndAdult
                                  ? "Child and Adult"
                                  : nullptr;
      if (workforce != nullptr) dbs.Set("workforceType", workforce);
      kit.emplace_back(CredentialType::kDbs, dbs);
      live_dbs.Set(certificate, "BLANK_NO_NEW_INFO");
    }
    if (profile->work_health.required) {
      json::Value oh = claims(R"({"clearanceOutcome":"cleared","assessmentDate":"2025-07-21"})");
      oh.Set("roleCategory", profile->work_health.epp ? "clinical_epp" : "clinical_patient_contact");
      oh.Set("eppCleared", profile->work_health.epp);
      oh.Set("patientContact", profile->work_health.patient_contact);
      kit.emplace_back(CredentialType::kOccupationalHealth, oh);
    }
    kit.emplace_back(CredentialType::kCorporateInduction,
                     claims(R"({"organisation":"RGT","completedDate":"2025-08-06","elements":["values","policies","statutory_mandatory","it_security"]})"));
    json::Value hist = claims(R"({"employerOds":"RGT","employerName":"Cambridge University Hospitals NHS Foundation Trust","startDate":"2025-08-06","contractType":"permanent"})");
    hist.Set("role", role.title);
    hist.Set("staffGroup", role.staff_group);
    kit.emplace_back(CredentialType::kEmploymentHistory, hist);
    if (profile->employment_history.reference_required) {
      json::Value ref = claims(R"({"refereeOds":"RGT","employmentStartDate":"2025-08-06","issuedDate":"2027-06-01"})");
      ref.Set("role", role.title);
      kit.emplace_back(CredentialType::kFactualReference, ref);
    }
    for (const auto& [subject_key, level] : profile->training) {
      json::Value t = claims(R"({"competencyFramework":"CSTF","attainmentStatus":"ACHIEVED","awardingOrganisation":"RGT"})");
      t.Set("subject", subject_key);
      t.Set("subjectName", subject_key);
      t.Set("competencyName", subject_key);
      t.Set("subjectLevel", std::to_string(level));
      t.Set("dateLastAwarded", Day(2027, 1 + static_cast<int>(rng() % 6), 1 + static_cast<int>(rng() % 28)));
      kit.emplace_back(CredentialType::kCoreSkillsTraining, t);
    }
    live_home.Set(passport::LiveSimulator::HomeOfficeKey(last, birth), claims(R"({"result":"confirmed"})"));

    json::Array files;
    for (size_t k = 0; k < kit.size(); ++k) {
      auto& [type, c] = kit[k];
      const auto& info = passport::Info(type);
      Org& issuer = type == CredentialType::kOccupationalHealth      ? org("OHS1")
                    : type == CredentialType::kCoreSkillsTraining     ? org("LRN1")
                    : type == CredentialType::kProfessionalRegistration
                        ? org(role.regulator[0] == 'G' ? "GMC" : "NMC")
                        : org("RGT");
      c.Set("recordType", info.record_type);
      c.Set("id", subject);
      if (Status valid = passport::ValidateClaims(type, c); !valid.ok()) {
        return Usage(env, valid.error());
      }
      std::string file = "staff/" + person + "/" + std::string(info.name) +
                         (type == CredentialType::kCoreSkillsTraining
                              ? "-" + *c.FindString("subject")
                              : std::string()) +
                         ".json";
      auto entry = status_service.Allocate(issuer.ods, person + "/" + std::string(info.name));
      if (!entry.ok()) return Usage(env, entry.error());
      std::string expect = "valid";
      // About one credential in forty is revoked, and one person in fifty has a file altered.
      if (rng() % 40 == 0) {
        auto revoke = status_service.Apply(issuer.ods, std::stoull(*entry->FindString("statusListIndex")),
                                           service::StatusAction::kRevoke, "demo data: revoked");
        if (!revoke.ok()) return Usage(env, revoke.error());
        expect = "invalid";
        ++revoked;
      }
      json::Value vc = passport::MakeDataIntegrityCredential(info, c, issuer.did, issued, std::nullopt);
      vc.Set("credentialStatus", *entry);
      formats::di::ProofOptions p;
      p.verification_method = issuer.did + "#key-1";
      p.created = issued;
      auto signed_vc = formats::di::AddProof(std::move(vc), p, issuer.key);
      if (!signed_vc.ok()) return Usage(env, signed_vc.error());
      std::string text = json::Serialize(*signed_vc, 2) + "\n";
      if (k == 0 && rng() % 50 == 0) {
        // An altered file: the identity's surname changed after signing.
        size_t at = text.find("\"legalSurname\": \"");
        if (at != std::string::npos) text.insert(at + 17, "X");
        expect = "invalid";
        ++tampered;
      }
      if (auto s = WriteFile(out / file, text); !s.ok()) return Usage(env, s.error());
      json::Value m = json::Object{};
      m.Set("file", file);
      m.Set("expect", expect);
      m.Set("args", args_common);
      manifest.push_back(std::move(m));
      files.emplace_back(file);
    }
    json::Value member = json::Object{};
    member.Set("person", person);
    member.Set("profile", role.profile);
    bool doctor = std::string(role.staff_group) == "medical_dental";
    member.Set("movement", doctor ? "rotation_lead_employer" : "permanent_transfer");
    member.Set("from", doctor ? "R0A" : "RGT");
    member.Set("receiving", doctor ? "RGT" : "R0A");
    member.Set("start", "2027-08-04");
    member.Set("credentials", std::move(files));
    cohort.push_back(std::move(member));
  }
  // Publish each list into the offline status cache, as a verifier would have fetched it today.
  for (const auto& o : orgs) {
    auto text = status_service.Publish(o.ods, {&o.key, o.did + "#key-1"});
    if (!text.ok()) return Usage(env, text.error());
    auto record = store->GetList(o.ods);
    Status cached = verify::WriteStatusCacheEntry((out / "status-cache").string(), record->url,
                                                  *text, today);
    if (!cached.ok()) return Usage(env, cached.error());
  }
  live.Set("register", std::move(live_register));
  live.Set("dbs_update_service", std::move(live_dbs));
  live.Set("home_office", std::move(live_home));
  json::Value cohort_json = json::Object{};
  cohort_json.Set("members", std::move(cohort));
  for (auto [name, value] : {std::pair{"manifest.json", json::Value(std::move(manifest))},
                             std::pair{"cohort.json", std::move(cohort_json)},
                             std::pair{"live.json", std::move(live)}}) {
    if (auto s = WriteFile(out / name, json::Serialize(value, 2) + "\n"); !s.ok()) {
      return Usage(env, s.error());
    }
  }
  *env.err << "Wrote " << args.staff << " staff to " << args.out << ": " << revoked
           << " credentials revoked, " << tampered
           << " altered; verify offline with the arguments in manifest.json, or run readiness "
              "batch --cohort cohort.json --live live.json with those arguments.\n";
  return kExitOk;
}

}  // namespace lanyard::cli
