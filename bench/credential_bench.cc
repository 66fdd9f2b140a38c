// Issue and verify rates for both Data Integrity suites, against the physical limit.
//
// Every issuance parses the W3C example credential from its text, signs it and prints it; every
// verification parses the signed text and runs the whole pipeline (data model, did:key
// resolution, proof, issuer binding). The credential's issuer is the signing key's did:key, so it
// is one Lanyard accepts. In the same run the program measures the raw sign/verify rates of
// libsodium and OpenSSL the way `openssl speed` does (prepared keys and contexts, 64-byte
// messages), runs `openssl speed` itself as a cross-check, and runs the JavaScript peer on the
// same document, then prints every figure as a ratio.
//
//   lanyard_bench [--peer tests/interop/peer.mjs] [--seconds N] [google benchmark flags]
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/crypto/openssl_ptr.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/verify/verifier.h"

namespace {

using lanyard::crypto::KeyType;
using lanyard::crypto::PrivateKey;
using lanyard::formats::di::Cryptosuite;

// The W3C example credential of the eddsa/ecdsa test vectors (unsigned.json); the issuer is
// replaced by the signing key's did:key before use.
constexpr const char* kExampleCredential = R"({
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:abcdefgh",
        "alumniOf": "The School of Examples"
    }
})";

struct Fixture {
  explicit Fixture(PrivateKey k) : key(std::move(k)) {}
  PrivateKey key;
  std::string unsigned_text;  // issuer = the key's did:key
  std::string signed_text;
  std::unique_ptr<lanyard::did::Resolver> resolver = lanyard::did::NewOfflineResolver();
  lanyard::formats::di::ProofOptions options;
};

Fixture MakeFixture(Cryptosuite suite) {
  Fixture f(PrivateKey::Generate(lanyard::formats::di::SuiteKeyType(suite)).value());
  auto doc = lanyard::json::Parse(kExampleCredential).value();
  doc.Set("issuer", lanyard::did::DidKeyFromPublicKey(f.key.public_key()));
  f.unsigned_text = lanyard::json::Serialize(doc, 2);
  f.options.suite = suite;
  f.options.verification_method = lanyard::did::DidKeyMethodId(f.key.public_key());
  f.options.created = lanyard::FromUnixSeconds(1785920400);
  f.signed_text =
      lanyard::json::Serialize(lanyard::formats::di::AddProof(doc, f.options, f.key).value(), 2);
  return f;
}

Fixture& Eddsa() {
  static Fixture f = MakeFixture(Cryptosuite::kEddsaJcs2022);
  return f;
}
Fixture& Ecdsa() {
  static Fixture f = MakeFixture(Cryptosuite::kEcdsaJcs2019);
  return f;
}

void Issue(benchmark::State& state, Fixture& f) {
  for (auto _ : state) {
    auto doc = lanyard::json::Parse(f.unsigned_text);
    auto signed_doc = lanyard::formats::di::AddProof(std::move(doc).value(), f.options, f.key);
    std::string text = lanyard::json::Serialize(*signed_doc);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}

void Verify(benchmark::State& state, Fixture& f) {
  lanyard::verify::VerifyOptions options;
  options.now = lanyard::FromUnixSeconds(1785920400);
  for (auto _ : state) {
    auto report = lanyard::verify::VerifyCredentialText(f.signed_text, *f.resolver, options);
    if (!report.verified()) state.SkipWithError(report.ToText().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Issue_EddsaJcs2022(benchmark::State& s) { Issue(s, Eddsa()); }
void BM_Verify_EddsaJcs2022(benchmark::State& s) { Verify(s, Eddsa()); }
void BM_Issue_EcdsaJcs2019(benchmark::State& s) { Issue(s, Ecdsa()); }
void BM_Verify_EcdsaJcs2019(benchmark::State& s) { Verify(s, Ecdsa()); }

// --- SD-JWT VC: the staff-passport payload of tests/interop/sdjwt_peer.mjs (bench-payload), with
// its ten top-level claims disclosable; presentations reveal five of them with key binding.

constexpr const char* kPassportPayload = R"({
  "vct": "https://lanyard.example/vct/staff-passport",
  "iss": "https://issuer.lanyard.example",
  "given_name": "Amara", "family_name": "Okafor", "birthdate": "1988-04-12", "nationality": "GB",
  "address": {"street_address": "14 Infirmary Row", "locality": "Leeds", "postal_code": "LS1 3EX"},
  "professional_registration": {"body": "NMC", "number": "09A1234E", "status": "registered"},
  "dbs": {"level": "enhanced", "barred_lists": ["adults"], "update_service": true},
  "right_to_work": {"status": "unlimited"},
  "employer": "Northbridge General Hospital NHS Trust", "role": "Staff Nurse"
})";
constexpr const char* kDisclosable[] = {"given_name",  "family_name",   "birthdate",
                                        "nationality", "address",       "professional_registration",
                                        "dbs",         "right_to_work", "employer",
                                        "role"};
constexpr const char* kPresented[] = {"given_name", "family_name", "professional_registration",
                                      "dbs", "right_to_work"};
constexpr int kHolders = 200;

struct SdJwtFixture {
  PrivateKey issuer = PrivateKey::Generate(KeyType::kP256).value();
  lanyard::formats::sdjwt::VcIssueOptions options;
  std::vector<std::string> presentations;  // one per distinct holder, key-bound
  lanyard::TimePoint now = lanyard::FromUnixSeconds(1785920400);

  SdJwtFixture() {
    namespace sd = lanyard::formats::sdjwt;
    options.now = now;
    for (const char* p : kDisclosable) options.disclosable.push_back(sd::ParseClaimPath(p).value());
    std::vector<sd::ClaimPath> reveal;
    for (const char* p : kPresented) reveal.push_back(sd::ParseClaimPath(p).value());
    auto payload = lanyard::json::Parse(kPassportPayload).value();
    for (int i = 0; i < kHolders; ++i) {
      PrivateKey holder = PrivateKey::Generate(KeyType::kP256).value();
      sd::VcIssueOptions o = options;
      o.holder_key = holder.public_key();
      std::string issued = sd::IssueSdJwtVc(payload, o, issuer).value();
      sd::KeyBindingRequest kb{&holder, "nonce-" + std::to_string(i), "https://verifier.example",
                               now};
      presentations.push_back(sd::PresentSdJwt(issued, reveal, &kb).value());
    }
  }
};

SdJwtFixture& SdJwt() {
  static SdJwtFixture f;
  return f;
}

void BM_Issue_SdJwtVc_10Claims(benchmark::State& state) {
  auto& f = SdJwt();
  for (auto _ : state) {
    auto payload = lanyard::json::Parse(kPassportPayload);
    auto token =
        lanyard::formats::sdjwt::IssueSdJwtVc(std::move(payload).value(), f.options, f.issuer);
    if (!token.ok()) state.SkipWithError(token.error().ToString().c_str());
    benchmark::DoNotOptimize(token);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Verify_SdJwtVc_KeyBound_DistinctHolders(benchmark::State& state) {
  namespace sd = lanyard::formats::sdjwt;
  auto& f = SdJwt();
  const lanyard::crypto::PublicKey issuer_key = f.issuer.public_key();  // the only cached key
  sd::IssuerKeyLookup lookup = [&](const lanyard::json::Value&, const lanyard::json::Value&)
      -> lanyard::Result<lanyard::crypto::PublicKey> { return issuer_key; };
  sd::VerifyOptions options;
  options.now = f.now;
  options.audience = "https://verifier.example";
  size_t i = 0;
  for (auto _ : state) {
    options.nonce = "nonce-" + std::to_string(i);
    lanyard::verify::VerificationReport report;
    auto result = sd::VerifySdJwt(f.presentations[i], lookup, options, &report);
    if (!result || !report.verified() || !result->key_bound) {
      state.SkipWithError(report.ToText().c_str());
    }
    i = (i + 1) % f.presentations.size();
  }
  state.SetItemsProcessed(state.iterations());
}

// --- Raw signature rates, prepared as `openssl speed` prepares them.

uint8_t g_message[64] = {1, 2, 3};

void BM_Raw_Sodium_Ed25519_Sign(benchmark::State& state) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[64];
  crypto_sign_keypair(pk, sk);
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, g_message, sizeof g_message, sk);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Raw_Sodium_Ed25519_Verify(benchmark::State& state) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[64];
  crypto_sign_keypair(pk, sk);
  crypto_sign_detached(sig, nullptr, g_message, sizeof g_message, sk);
  for (auto _ : state) {
    if (crypto_sign_verify_detached(sig, g_message, sizeof g_message, pk) != 0) {
      state.SkipWithError("verify failed");
    }
  }
  state.SetItemsProcessed(state.iterations());
}

lanyard::crypto::OpenSslPtr<EVP_PKEY, EVP_PKEY_free> OpenSslKey(const char* type,
                                                                const char* curve) {
  return lanyard::crypto::OpenSslPtr<EVP_PKEY, EVP_PKEY_free>(
      curve ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, curve)
            : EVP_PKEY_Q_keygen(nullptr, nullptr, type));
}

void BM_Raw_OpenSSL_Ed25519_Sign(benchmark::State& state) {
  auto key = OpenSslKey("ED25519", nullptr);
  lanyard::crypto::OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get());
  unsigned char sig[64];
  for (auto _ : state) {
    size_t len = sizeof sig;
    EVP_DigestSign(ctx.get(), sig, &len, g_message, sizeof g_message);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Raw_OpenSSL_Ed25519_Verify(benchmark::State& state) {
  auto key = OpenSslKey("ED25519", nullptr);
  lanyard::crypto::OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> sctx(EVP_MD_CTX_new()),
      vctx(EVP_MD_CTX_new());
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_DigestSignInit(sctx.get(), nullptr, nullptr, nullptr, key.get());
  EVP_DigestSign(sctx.get(), sig, &len, g_message, sizeof g_message);
  EVP_DigestVerifyInit(vctx.get(), nullptr, nullptr, nullptr, key.get());
  for (auto _ : state) {
    if (EVP_DigestVerify(vctx.get(), sig, len, g_message, sizeof g_message) != 1) {
      state.SkipWithError("verify failed");
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// openssl speed signs a prepared digest with a prepared EVP_PKEY_CTX.
void BM_Raw_OpenSSL_P256_Sign(benchmark::State& state) {
  auto key = OpenSslKey("EC", "P-256");
  lanyard::crypto::OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(
      EVP_PKEY_CTX_new(key.get(), nullptr));
  EVP_PKEY_sign_init(ctx.get());
  unsigned char sig[80];
  for (auto _ : state) {
    size_t len = sizeof sig;
    EVP_PKEY_sign(ctx.get(), sig, &len, g_message, 32);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Raw_OpenSSL_P256_Verify(benchmark::State& state) {
  auto key = OpenSslKey("EC", "P-256");
  lanyard::crypto::OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free> sctx(
      EVP_PKEY_CTX_new(key.get(), nullptr)),
      vctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  EVP_PKEY_sign_init(sctx.get());
  unsigned char sig[80];
  size_t len = sizeof sig;
  EVP_PKEY_sign(sctx.get(), sig, &len, g_message, 32);
  EVP_PKEY_verify_init(vctx.get());
  for (auto _ : state) {
    if (EVP_PKEY_verify(vctx.get(), sig, len, g_message, 32) != 1) {
      state.SkipWithError("verify failed");
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// Importing a P-256 public key from its coordinates, as a verifier must for every new holder.
void BM_Raw_OpenSSL_P256_Import(benchmark::State& state) {
  auto key = OpenSslKey("EC", "P-256");
  unsigned char point[65];
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
  for (auto _ : state) {
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* imported = nullptr;
    EVP_PKEY_fromdata_init(ctx);
    if (EVP_PKEY_fromdata(ctx, &imported, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
      state.SkipWithError("import failed");
    }
    EVP_PKEY_free(imported);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Raw_Sodium_Ed25519_Sign);
BENCHMARK(BM_Raw_Sodium_Ed25519_Verify);
BENCHMARK(BM_Raw_OpenSSL_Ed25519_Sign);
BENCHMARK(BM_Raw_OpenSSL_Ed25519_Verify);
BENCHMARK(BM_Raw_OpenSSL_P256_Sign);
BENCHMARK(BM_Raw_OpenSSL_P256_Verify);
BENCHMARK(BM_Issue_EddsaJcs2022);
BENCHMARK(BM_Verify_EddsaJcs2022);
BENCHMARK(BM_Issue_EcdsaJcs2019);
BENCHMARK(BM_Verify_EcdsaJcs2019);
BENCHMARK(BM_Raw_OpenSSL_P256_Import);
BENCHMARK(BM_Issue_SdJwtVc_10Claims);
BENCHMARK(BM_Verify_SdJwtVc_KeyBound_DistinctHolders);

// Keeps each benchmark's rate for the summary.
class RateReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rates[run.benchmark_name()] = it->second.value;
    }
  }
  std::map<std::string, double> rates;
};

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// Runs a peer's `bench` command with the given files written to a private temporary folder
// (each {name, content}; "{name}" in `args` becomes the file's path), and returns the numbers of
// the JSON line it prints.
std::map<std::string, double> RunPeerBench(
    const std::string& script, const std::vector<std::pair<std::string, std::string>>& files,
    std::string args, const char* who) {
  std::map<std::string, double> out;
  char dir[] = "/tmp/lanyard-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) return out;
  std::vector<std::string> paths;
  for (const auto& [name, content] : files) {
    paths.push_back(std::string(dir) + "/" + name);
    std::ofstream(paths.back()) << content;
    std::string placeholder = "{" + name + "}";
    for (size_t at; (at = args.find(placeholder)) != std::string::npos;) {
      args.replace(at, placeholder.size(), "'" + paths.back() + "'");
    }
  }
  std::string line = RunCommand("timeout 600 node '" + script + "' bench " + args);
  for (const auto& p : paths) std::remove(p.c_str());
  rmdir(dir);
  auto parsed = lanyard::json::Parse(line.substr(0, line.find('\n')));
  if (!parsed.ok() || !parsed->is_object()) {
    std::cerr << who << " gave no result: " << line << "\n";
    return out;
  }
  for (const auto& [k, v] : parsed->as_object()) {
    if (v.is_number()) out[k] = v.as_number();
  }
  return out;
}

std::string PrivateJwkText(const PrivateKey& key) {
  return lanyard::json::Serialize(lanyard::crypto::PrivateKeyToJwk(key));
}

// The SD-JWT peer (@sd-jwt/sd-jwt-vc 0.19.0 with node:crypto signers) on the same work.
std::map<std::string, double> SdJwtPeerRates(const std::string& peer_dir, int seconds) {
  return RunPeerBench(
      peer_dir + "/sdjwt_peer.mjs",
      {{"issuer.jwk", PrivateJwkText(PrivateKey::Generate(KeyType::kP256).value())},
       {"holder.jwk", PrivateJwkText(PrivateKey::Generate(KeyType::kP256).value())}},
      "--key {issuer.jwk} --holder {holder.jwk} --seconds " + std::to_string(seconds),
      "the SD-JWT peer");
}

// The Data Integrity peer on the same document and key type.
std::map<std::string, double> PeerRates(const std::string& peer, Fixture& f, const char* suite,
                                        int seconds) {
  return RunPeerBench(peer, {{"key.jwk", PrivateJwkText(f.key)}, {"doc.json", f.unsigned_text}},
                      std::string("--key {key.jwk} --suite ") + suite +
                          " --in {doc.json} --seconds " + std::to_string(seconds),
                      "the JavaScript peer");
}

void PrintRatio(const char* label, double value, double reference, const char* reference_name,
                double goal) {
  double ratio = reference > 0 ? value / reference : 0;
  std::printf("  %-34s %9.0f/s = %5.2f x %-28s", label, value, ratio, reference_name);
  if (goal > 0) std::printf(" goal >= %.2f: %s", goal, ratio >= goal ? "MET" : "MISSED");
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string peer;
  int seconds = 3;
  std::vector<char*> args{argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--peer" && i + 1 < argc)
      peer = argv[++i];
    else if (a == "--seconds" && i + 1 < argc)
      seconds = std::atoi(argv[++i]);
    else
      args.push_back(argv[i]);
  }
  if (sodium_init() < 0) return 1;
  std::printf(
      "Lanyard credential benchmark\n  CPU: %s (%ld online)\n  build: %s\n  %s, libsodium %s\n",
      CpuModel().c_str(), sysconf(_SC_NPROCESSORS_ONLN), LANYARD_BENCH_BUILD_TYPE,
      OPENSSL_VERSION_TEXT, sodium_version_string());
  if (std::string(LANYARD_BENCH_BUILD_TYPE) != "Release") {
    std::printf("  WARNING: not a Release build; figures are meaningless\n");
  }
  std::fflush(stdout);

  int bench_argc = static_cast<int>(args.size());
  benchmark::Initialize(&bench_argc, args.data());
  RateReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  auto& r = reporter.rates;
  std::map<std::string, double> peer_ed, peer_ec, peer_sd;
  if (!peer.empty()) {
    std::printf("\nJavaScript peer (node:crypto + canonicalize 4.0.0), %d s per figure...\n",
                seconds);
    std::fflush(stdout);
    peer_ed = PeerRates(peer, Eddsa(), "eddsa-jcs-2022", seconds);
    peer_ec = PeerRates(peer, Ecdsa(), "ecdsa-jcs-2019", seconds);
    std::string peer_dir = peer.substr(0, peer.rfind('/'));
    peer_sd = SdJwtPeerRates(peer_dir, seconds);
  }

  std::string speed = RunCommand("openssl speed -seconds " + std::to_string(seconds) +
                                 " ed25519 ecdsap256 2>/dev/null | tail -n 6");
  std::printf("\n`openssl speed -seconds %d ed25519 ecdsap256` (cross-check):\n%s", seconds,
              speed.c_str());

  double sign_ed = std::max(r["BM_Raw_Sodium_Ed25519_Sign"], r["BM_Raw_OpenSSL_Ed25519_Sign"]);
  double verify_ed =
      std::max(r["BM_Raw_Sodium_Ed25519_Verify"], r["BM_Raw_OpenSSL_Ed25519_Verify"]);
  std::printf("\nSummary (one core; ratios within this run)\n");
  std::printf(" eddsa-jcs-2022\n");
  PrintRatio("issue", r["BM_Issue_EddsaJcs2022"], sign_ed, "fastest raw Ed25519 sign", 0.60);
  PrintRatio("verify", r["BM_Verify_EddsaJcs2022"], verify_ed, "fastest raw Ed25519 verify", 0.75);
  if (!peer_ed.empty()) {
    PrintRatio("issue vs JavaScript peer", r["BM_Issue_EddsaJcs2022"], peer_ed["issue_per_s"],
               "peer issue", 2.0);
    PrintRatio("verify vs JavaScript peer", r["BM_Verify_EddsaJcs2022"], peer_ed["verify_per_s"],
               "peer verify", 2.0);
  }
  std::printf(" ecdsa-jcs-2019\n");
  PrintRatio("issue", r["BM_Issue_EcdsaJcs2019"], r["BM_Raw_OpenSSL_P256_Sign"],
             "raw OpenSSL P-256 sign", 0);
  PrintRatio("verify", r["BM_Verify_EcdsaJcs2019"], r["BM_Raw_OpenSSL_P256_Verify"],
             "raw OpenSSL P-256 verify", 0);
  if (!peer_ec.empty()) {
    PrintRatio("issue vs JavaScript peer", r["BM_Issue_EcdsaJcs2019"], peer_ec["issue_per_s"],
               "peer issue", 2.0);
    PrintRatio("verify vs JavaScript peer", r["BM_Verify_EcdsaJcs2019"], peer_ec["verify_per_s"],
               "peer verify", 2.0);
  }
  std::printf(
      " sd-jwt-vc (ES256, 10 disclosable claims; presentations reveal 5, key-bound, %d "
      "distinct holders)\n",
      kHolders);
  double p256_sign = r["BM_Raw_OpenSSL_P256_Sign"], p256_verify = r["BM_Raw_OpenSSL_P256_Verify"];
  double import_rate = r["BM_Raw_OpenSSL_P256_Import"];
  double kb_reference =
      import_rate > 0 && p256_verify > 0 ? 1.0 / (1.0 / import_rate + 2.0 / p256_verify) : 0;
  PrintRatio("issue", r["BM_Issue_SdJwtVc_10Claims"], p256_sign, "raw OpenSSL P-256 sign", 0.60);
  PrintRatio("verify (key-bound)", r["BM_Verify_SdJwtVc_KeyBound_DistinctHolders"], kb_reference,
             "1 raw import + 2 raw verifies", 0.75);
  if (!peer_sd.empty()) {
    PrintRatio("issue vs @sd-jwt peer", r["BM_Issue_SdJwtVc_10Claims"], peer_sd["issue_per_s"],
               "peer issue", 2.0);
    PrintRatio("verify vs @sd-jwt peer", r["BM_Verify_SdJwtVc_KeyBound_DistinctHolders"],
               peer_sd["verify_per_s"], "peer verify", 2.0);
    std::printf("   peer: %.0f issue/s %.0f verify/s\n", peer_sd["issue_per_s"],
                peer_sd["verify_per_s"]);
  }
  std::printf(" raw P-256 import %.0f/s (reference for key-bound verification: %.0f/s)\n",
              import_rate, kb_reference);
  std::printf(
      " raw rates: sodium Ed25519 %.0f sign/s %.0f verify/s; OpenSSL Ed25519 %.0f / %.0f; "
      "OpenSSL P-256 %.0f / %.0f\n",
      r["BM_Raw_Sodium_Ed25519_Sign"], r["BM_Raw_Sodium_Ed25519_Verify"],
      r["BM_Raw_OpenSSL_Ed25519_Sign"], r["BM_Raw_OpenSSL_Ed25519_Verify"],
      r["BM_Raw_OpenSSL_P256_Sign"], r["BM_Raw_OpenSSL_P256_Verify"]);
  if (!peer_ed.empty()) {
    std::printf(" peer: eddsa-jcs-2022 %.0f issue/s %.0f verify/s; ecdsa-jcs-2019 %.0f / %.0f\n",
                peer_ed["issue_per_s"], peer_ed["verify_per_s"], peer_ec["issue_per_s"],
                peer_ec["verify_per_s"]);
    std::printf(" peer raw (node:crypto): Ed25519 %.0f / %.0f; P-256 %.0f / %.0f\n",
                peer_ed["raw_sign_per_s"], peer_ed["raw_verify_per_s"], peer_ec["raw_sign_per_s"],
                peer_ec["raw_verify_per_s"]);
  }
  benchmark::Shutdown();
  return 0;
}
