// Trust and lifecycle at national scale: the three figures the verifier and the issuer live by.
//
//   1. A status check in a cached, already-verified list (list URL and index given): the
//      goal is at least 10 million per second on one core. Reference in the same run: the
//      irreducible work (one hash-map lookup of the URL and one bit test).
//   2. Rebuilding, compressing (GZIP) and signing (eddsa-jcs-2022) a 131,072-entry list with
//      1,000 revoked entries: the goal is at most 2 ms. Reference: one raw libsodium signature.
//   3. "May organisation X issue type T at time t" over 10,000 organisations and 100,000
//      authorisations: the goal is at least 5 million per second. Reference: one lookup in a
//      hash map of 10,000 strings.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/canonical.h"
#include "lanyard/service/status_service.h"
#include "lanyard/trust/trust_registry.h"
#include "lanyard/verify/status_check.h"

namespace {

using namespace lanyard;

constexpr const char* kListUrl = "https://status.rgt.nhs.example/lists/revocation/0001";

// Serves one fixed document, as a status-list server would.
class OneDocumentHttp final : public HttpClient {
 public:
  explicit OneDocumentHttp(std::string body) : body_(std::move(body)) {}
  Result<HttpResponse> Get(const HttpRequest&) const override {
    return HttpResponse{200, {}, body_};
  }

 private:
  std::string body_;
};

struct StatusFixture {
  SimulatedClock clock{FromUnixSeconds(1785000000)};
  crypto::PrivateKey key = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  std::unique_ptr<store::StatusStore> store = store::NewMemoryStatusStore();
  service::StatusService service{*store, clock};
  service::ListSigner signer{&key, did::DidKeyMethodId(key.public_key())};

  StatusFixture() {
    std::string issuer = did::DidKeyFromPublicKey(key.public_key());
    (void)service.CreateList({"r", store::ListFormat::kBitstring, "revocation", 131072, kListUrl,
                              issuer, clock.Now()});
    for (int i = 0; i < 1000; ++i) {
      auto entry = service.Allocate("r", "urn:cred:" + std::to_string(i));
      if (entry.ok()) {
        (void)service.Apply("r", std::stoull(*entry->FindString("statusListIndex")),
                            service::StatusAction::kRevoke, "bench");
      }
    }
  }
};

StatusFixture& Fixture() {
  static StatusFixture f;
  return f;
}

std::vector<uint64_t> RandomIndexes(size_t n, uint64_t bound) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> out(n);
  for (auto& i : out) i = rng() % bound;
  return out;
}

void BM_Status_CachedLookup(benchmark::State& state) {
  auto& f = Fixture();
  OneDocumentHttp http(f.service.Publish("r", f.signer).value());
  auto resolver = did::NewOfflineResolver();
  verify::StatusCheckOptions options;
  options.http = &http;
  verify::StatusChecker checker(*resolver, f.clock, options);
  if (!checker.Load(kListUrl, false, did::DidKeyFromPublicKey(f.key.public_key())).ok()) {
    state.SkipWithError("the list did not load");
    return;
  }
  auto indexes = RandomIndexes(4096, 131072);
  size_t i = 0;
  uint64_t revoked = 0;
  for (auto _ : state) {
    auto v = checker.Lookup(kListUrl, indexes[i++ & 4095]);
    revoked += *v;
  }
  benchmark::DoNotOptimize(revoked);
  state.SetItemsProcessed(state.iterations());
}

void BM_Reference_HashAndBitTest(benchmark::State& state) {
  std::unordered_map<std::string, std::vector<uint8_t>> lists;
  lists[kListUrl] = std::vector<uint8_t>(16384, 0x11);
  std::string_view url = kListUrl;
  auto indexes = RandomIndexes(4096, 131072);
  size_t i = 0;
  uint64_t set = 0;
  for (auto _ : state) {
    const auto& bits = lists.find(std::string(url))->second;
    uint64_t index = indexes[i++ & 4095];
    set += (bits[index / 8] >> (7 - index % 8)) & 1;
  }
  benchmark::DoNotOptimize(set);
  state.SetItemsProcessed(state.iterations());
}

void BM_Status_PublishBitstring131072(benchmark::State& state) {
  auto& f = Fixture();
  for (auto _ : state) {
    auto text = f.service.Publish("r", f.signer);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Reference_SodiumSign(benchmark::State& state) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  unsigned char msg[64] = {1}, sig[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, msg, sizeof msg, sk);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}

struct RegistryFixture {
  trust::TrustRegistry registry;
  std::vector<std::string> issuers;
  std::vector<std::string> types;

  RegistryFixture() {
    json::Array orgs, auths;
    for (int t = 0; t < 40; ++t) types.push_back("Type" + std::to_string(t) + "Credential");
    std::mt19937 rng(11);
    for (int o = 0; o < 10000; ++o) {
      std::string ods = "R" + std::to_string(10000 + o);
      std::string did = "did:web:org" + std::to_string(o) + ".nhs.example";
      issuers.push_back(did);
      json::Value org = json::Object{};
      org.Set("ods", ods);
      org.Set("name", "Organisation " + std::to_string(o));
      org.Set("kinds", json::Array{"trust"});
      org.Set("identifiers", json::Array{did});
      orgs.push_back(std::move(org));
      for (int a = 0; a < 10; ++a) {
        json::Value auth = json::Object{};
        auth.Set("organisation", ods);
        auth.Set("credentialTypes", json::Array{types[rng() % types.size()]});
        auth.Set("from", "2025-01-01T00:00:00Z");
        auth.Set("until", a % 2 ? "2030-01-01T00:00:00Z" : "2026-06-01T00:00:00Z");
        auths.push_back(std::move(auth));
      }
    }
    json::Value doc = json::Object{};
    doc.Set("format", "lanyard-trust-registry/1");
    doc.Set("serial", 1);
    doc.Set("organisations", std::move(orgs));
    doc.Set("authorisations", std::move(auths));
    registry = trust::TrustRegistry::FromJson(doc).value();
  }
};

void BM_Registry_MayIssue(benchmark::State& state) {
  static RegistryFixture f;
  std::mt19937 rng(3);
  std::vector<std::pair<const std::string*, const std::string*>> queries(4096);
  for (auto& q : queries) q = {&f.issuers[rng() % f.issuers.size()], &f.types[rng() % f.types.size()]};
  TimePoint at = FromUnixSeconds(1785000000);
  size_t i = 0, yes = 0;
  for (auto _ : state) {
    const auto& q = queries[i++ & 4095];
    yes += f.registry.MayIssue(*q.first, *q.second, at) == trust::Authority::kAuthorised;
  }
  benchmark::DoNotOptimize(yes);
  state.SetItemsProcessed(state.iterations());
}

void BM_Reference_HashLookup10k(benchmark::State& state) {
  static RegistryFixture f;
  std::unordered_map<std::string_view, int> map;
  for (size_t i = 0; i < f.issuers.size(); ++i) map[f.issuers[i]] = static_cast<int>(i);
  std::mt19937 rng(3);
  std::vector<const std::string*> queries(4096);
  for (auto& q : queries) q = &f.issuers[rng() % f.issuers.size()];
  size_t i = 0, sum = 0;
  for (auto _ : state) sum += map.find(*queries[i++ & 4095])->second;
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rates[r.benchmark_name()] = it->second.value;
    }
  }
  std::map<std::string, double> rates;
};

}  // namespace

BENCHMARK(BM_Status_CachedLookup);
BENCHMARK(BM_Reference_HashAndBitTest);
BENCHMARK(BM_Status_PublishBitstring131072)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Reference_SodiumSign);
BENCHMARK(BM_Registry_MayIssue);
BENCHMARK(BM_Reference_HashLookup10k);

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  std::printf("Lanyard trust and lifecycle benchmark (build: %s)\n", LANYARD_BENCH_BUILD_TYPE);
  benchmark::Initialize(&argc, argv);
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  auto& r = reporter.rates;
  auto rate = [&](const char* name) { return r.count(name) ? r[name] : 0.0; };
  double lookup = rate("BM_Status_CachedLookup");
  double publish = rate("BM_Status_PublishBitstring131072");
  double registry = rate("BM_Registry_MayIssue");
  std::printf("\nSummary (goals from the trust-and-lifecycle issue; references from this run)\n");
  std::printf("  cached status check   %6.1f M/s  goal >= 10 M/s   %.2f of hash+bit-test reference\n",
              lookup / 1e6, lookup / rate("BM_Reference_HashAndBitTest"));
  std::printf("  publish 131,072 list  %6.3f ms   goal <= 2 ms     = %.1f raw Ed25519 signatures\n",
              publish > 0 ? 1e3 / publish : 0.0,
              publish > 0 ? rate("BM_Reference_SodiumSign") / publish : 0.0);
  std::printf("  registry may-issue    %6.1f M/s  goal >= 5 M/s    %.2f of one 10k hash lookup\n",
              registry / 1e6, registry / rate("BM_Reference_HashLookup10k"));
  return 0;
}
