// Trust and lifecycle end to end: an NHS trust publishing its DID document over did:web, its
// status lists, a trust registry, and the verifier's report for every outcome.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/did_web.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/service/status_service.h"
#include "lanyard/testing/fake_http_client.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/report.h"
#include "lanyard/trust/trust_bundle.h"
#include "lanyard/verify/status_check.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::verify {
namespace {

using testing::ErrorIs;
using testing::FailedCodes;
using testing::IsOk;

constexpr const char* kOrg = "did:web:rgt.example";
constexpr const char* kRevocationUrl = "https://rgt.example/status/r1";
constexpr const char* kSuspensionUrl = "https://rgt.example/status/s1";
constexpr const char* kTokenUrl = "https://rgt.example/status/t1";

StatusCheckOptions Online(const HttpClient* http) {
  StatusCheckOptions o;
  o.http = http;
  return o;
}

HttpRequest Req(const char* url) {
  HttpRequest r;
  r.url = url;
  return r;
}

TimePoint At(const char* text) { return ParseRfc3339(text).value(); }

bool HasCheck(const VerificationReport& r, const std::string& code, bool passed, bool warning) {
  for (const auto& c : r.checks()) {
    if (c.code == code && c.passed == passed && c.warning == warning) return true;
  }
  return false;
}

// GZIP of raw bytes, for hand-made (hostile) lists.
std::string GzipMultibase(const Bytes& raw) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, static_cast<uLong>(raw.size())) + 64);
  z.next_in = const_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return "u" + Base64UrlEncode(out);
}

class LifecycleTest : public ::testing::Test {
 protected:
  LifecycleTest()
      : clock_(At("2026-09-01T09:00:00Z")),
        key1_(crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value()),
        key_old_(crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value()),
        key_p256_(crypto::PrivateKey::Generate(crypto::KeyType::kP256).value()),
        other_(crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value()),
        store_(store::NewMemoryStatusStore()),
        service_(*store_, clock_) {}

  void SetUp() override {
    // The organisation's DID document: key-1 as Multikey, key-old (retired) and a P-256 key as JWK.
    json::Value doc = json::Parse(R"({"@context":["https://www.w3.org/ns/did/v1"],
      "id":"did:web:rgt.example","verificationMethod":[],"assertionMethod":[]})").value();
    json::Array methods;
    auto add = [&](const char* id, json::Value method) {
      method.Set("id", id);
      method.Set("controller", kOrg);
      methods.push_back(std::move(method));
      doc.Find("assertionMethod")->as_array().emplace_back(id);
    };
    json::Value m1 = json::Object{};
    m1.Set("type", "Multikey");
    m1.Set("publicKeyMultibase", crypto::PublicKeyToMultikey(key1_.public_key()));
    add("did:web:rgt.example#key-1", std::move(m1));
    json::Value m2 = json::Object{};
    m2.Set("type", "JsonWebKey");
    m2.Set("publicKeyJwk", crypto::PublicKeyToJwk(key_old_.public_key()));
    add("#key-old", std::move(m2));
    json::Value m3 = json::Object{};
    m3.Set("type", "JsonWebKey2020");
    m3.Set("publicKeyJwk", crypto::PublicKeyToJwk(key_p256_.public_key()));
    add("did:web:rgt.example#key-p256", std::move(m3));
    doc.Set("verificationMethod", std::move(methods));
    did_document_ = json::Serialize(doc);
    http_.SetResponse("https://rgt.example/.well-known/did.json", 200, did_document_);
    resolver_ = did::NewStandardResolver(&http_, clock_);

    auto make = [&](const char* id, store::ListFormat format, const char* purpose, const char* url,
                    uint64_t size) {
      ASSERT_THAT(service_.CreateList({id, format, purpose, size, url, kOrg, clock_.Now()}), IsOk());
    };
    make("r1", store::ListFormat::kBitstring, "revocation", kRevocationUrl, 131072);
    make("s1", store::ListFormat::kBitstring, "suspension", kSuspensionUrl, 131072);
    make("t1", store::ListFormat::kToken, "status", kTokenUrl, 4096);
    revocation_entry_ = service_.Allocate("r1", "urn:cred:1").value();
    suspension_entry_ = service_.Allocate("s1", "urn:cred:1").value();
    token_ref_ = service_.Allocate("t1", "urn:cred:2").value();
    PublishAll();
    options_.now = clock_.Now();
  }

  uint64_t IndexOf(const json::Value& entry) {
    return std::stoull(*entry.FindString("statusListIndex"));
  }
  uint64_t TokenIndex() {
    return static_cast<uint64_t>(token_ref_.Find("status_list")->Find("idx")->as_number());
  }

  void PublishAll() {
    service::ListSigner signer{&key1_, "did:web:rgt.example#key-1"};
    for (auto [id, url] : {std::pair{"r1", kRevocationUrl}, std::pair{"s1", kSuspensionUrl},
                           std::pair{"t1", kTokenUrl}}) {
      auto text = service_.Publish(id, signer);
      ASSERT_THAT(text, IsOk());
      http_.SetResponse(url, 200, *text);
    }
  }

  json::Value Credential(const std::string& type = "DBSCheckCredential",
                         const char* valid_from = "2026-08-01T00:00:00Z") {
    json::Value vc = json::Parse(R"({"@context":["https://www.w3.org/ns/credentials/v2"],
      "id":"urn:cred:1","type":["VerifiableCredential"],"issuer":"did:web:rgt.example",
      "validUntil":"2029-08-01T00:00:00Z",
      "credentialSubject":{"id":"did:example:nurse","dbs":{"level":"enhanced"}}})")
                        .value();
    vc.Find("type")->as_array().emplace_back(type);
    vc.Set("validFrom", valid_from);
    vc.Set("credentialStatus", json::Array{revocation_entry_, suspension_entry_});
    return vc;
  }

  std::string Signed(json::Value vc, const crypto::PrivateKey& key,
                     const std::string& method = "did:web:rgt.example#key-1") {
    formats::di::ProofOptions p;
    p.verification_method = method;
    p.suite = key.type() == crypto::KeyType::kEd25519 ? formats::di::Cryptosuite::kEddsaJcs2022
                                                      : formats::di::Cryptosuite::kEcdsaJcs2019;
    p.created = At("2026-08-01T00:00:00Z");
    return json::Serialize(formats::di::AddProof(std::move(vc), p, key).value());
  }

  VerificationReport Verify(const std::string& text, const StatusChecker* checker) {
    options_.status = checker;
    return VerifyDocumentText(text, *resolver_, options_);
  }
  VerificationReport Verify(const std::string& text) {
    StatusChecker checker(*resolver_, clock_, Online(&http_));
    return Verify(text, &checker);
  }

  std::string TokenCredential() {
    json::Value payload = json::Object{};
    payload.Set("iss", kOrg);
    payload.Set("vct", "https://lanyard.example/vct/dbs");
    payload.Set("iat", static_cast<double>(ToUnixSeconds(At("2026-08-01T00:00:00Z"))));
    payload.Set("status", token_ref_);
    formats::sdjwt::VcIssueOptions o{};
    o.now = clock_.Now();
    o.kid = "did:web:rgt.example#key-1";
    return formats::sdjwt::IssueSdJwtVc(std::move(payload), o, key1_).value();
  }

  SimulatedClock clock_;
  crypto::PrivateKey key1_, key_old_, key_p256_, other_;
  testing::FakeHttpClient http_;
  std::string did_document_;
  std::unique_ptr<did::Resolver> resolver_;
  std::unique_ptr<store::StatusStore> store_;
  service::StatusService service_;
  json::Value revocation_entry_, suspension_entry_, token_ref_;
  VerifyOptions options_;
};

// ----- Status: Bitstring Status List

TEST_F(LifecycleTest, ACurrentCredentialPassesEveryStatusEntry) {
  auto report = Verify(Signed(Credential(), key1_));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_TRUE(HasCheck(report, "status.current", true, false));
  int current = 0;
  for (const auto& c : report.checks()) current += c.code == "status.current";
  EXPECT_EQ(current, 2) << "both the revocation and the suspension entry are checked";
}

TEST_F(LifecycleTest, RevokedIsInvalid) {
  std::string vc = Signed(Credential(), key1_);
  ASSERT_THAT(service_.Apply("r1", IndexOf(revocation_entry_), service::StatusAction::kRevoke,
                             "registration removed"),
              IsOk());
  PublishAll();
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.revoked");
}

TEST_F(LifecycleTest, SuspensionCanBeLifted) {
  std::string vc = Signed(Credential(), key1_);
  uint64_t index = IndexOf(suspension_entry_);
  ASSERT_THAT(service_.Apply("s1", index, service::StatusAction::kSuspend, "interim order"), IsOk());
  PublishAll();
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.suspended");
  ASSERT_THAT(service_.Apply("s1", index, service::StatusAction::kReinstate, "order lifted"),
              IsOk());
  PublishAll();
  EXPECT_TRUE(Verify(vc).verified());
}

TEST_F(LifecycleTest, LifecycleRefusesWhatCannotHappen) {
  uint64_t r = IndexOf(revocation_entry_);
  uint64_t s = IndexOf(suspension_entry_);
  EXPECT_THAT(service_.Apply("r1", r, service::StatusAction::kSuspend, "x"),
              ErrorIs("status.wrong_purpose"));
  EXPECT_THAT(service_.Apply("s1", s, service::StatusAction::kRevoke, "x"),
              ErrorIs("status.wrong_purpose"));
  EXPECT_THAT(service_.Apply("s1", s, service::StatusAction::kReinstate, "x"),
              ErrorIs("status.no_change"));
  EXPECT_THAT(service_.Apply("r1", r, service::StatusAction::kRevoke, ""),
              ErrorIs("status.reason_required"));
  ASSERT_THAT(service_.Apply("r1", r, service::StatusAction::kRevoke, "fraud"), IsOk());
  EXPECT_THAT(service_.Apply("r1", r, service::StatusAction::kReinstate, "x"),
              ErrorIs("status.revocation_permanent"));
  EXPECT_THAT(service_.Apply("r1", r + 1 == 131072 ? r - 1 : r + 1,
                             service::StatusAction::kRevoke, "x"),
              ErrorIs("status_store.entry_not_found"));
  uint64_t t = TokenIndex();
  ASSERT_THAT(service_.Apply("t1", t, service::StatusAction::kSuspend, "x"), IsOk());
  ASSERT_THAT(service_.Apply("t1", t, service::StatusAction::kRevoke, "x"), IsOk());
  EXPECT_THAT(service_.Apply("t1", t, service::StatusAction::kReinstate, "x"),
              ErrorIs("status.revocation_permanent"));
  EXPECT_THAT(service_.CreateList({"tiny", store::ListFormat::kBitstring, "revocation", 1024,
                                   kRevocationUrl, kOrg, clock_.Now()}),
              ErrorIs("status.list_too_small"));
}

TEST_F(LifecycleTest, AllocationIsRandomAndStopsBeforeTheListIsFull) {
  std::set<uint64_t> seen;
  for (int i = 0; i < 200; ++i) {
    seen.insert(IndexOf(service_.Allocate("r1", "urn:cred:x" + std::to_string(i)).value()));
  }
  EXPECT_EQ(seen.size(), 200u);
  // Spread over the whole list, not handed out in order.
  EXPECT_GT(*seen.rbegin() - *seen.begin(), 100000u);
  ASSERT_THAT(service_.CreateList({"small", store::ListFormat::kToken, "status", 1024,
                                   "https://rgt.example/status/small", kOrg, clock_.Now()}),
              IsOk());
  Result<json::Value> last = json::Value();
  for (int i = 0; i < 1024 && last.ok(); ++i) last = service_.Allocate("small", "urn:c");
  EXPECT_THAT(last, ErrorIs("status.list_full"));
  EXPECT_EQ(*store_->CountReserved("small"), 1024u / 10 * 9);
}

TEST_F(LifecycleTest, TheCacheHoldsAListForItsTtlThenFetchesAgain) {
  std::string vc = Signed(Credential(), key1_);
  StatusChecker checker(*resolver_, clock_, Online(&http_));
  EXPECT_TRUE(Verify(vc, &checker).verified());
  size_t fetches = http_.requested_urls().size();
  ASSERT_THAT(service_.Apply("r1", IndexOf(revocation_entry_), service::StatusAction::kRevoke,
                             "fraud"),
              IsOk());
  PublishAll();
  EXPECT_TRUE(Verify(vc, &checker).verified()) << "within the 5-minute ttl the cached list holds";
  EXPECT_EQ(http_.requested_urls().size(), fetches);
  EXPECT_EQ(*checker.Lookup(kRevocationUrl, IndexOf(revocation_entry_)), 0);
  clock_.Advance(std::chrono::minutes(6));
  options_.now = clock_.Now();
  EXPECT_EQ(FailedCodes(Verify(vc, &checker)), "status.revoked");
  EXPECT_EQ(*checker.Lookup(kRevocationUrl, IndexOf(revocation_entry_)), 1);
  EXPECT_THAT(checker.Lookup(kRevocationUrl, 131072), ErrorIs("status.index_out_of_range"));
  EXPECT_THAT(checker.Lookup("https://elsewhere.example/l", 1), ErrorIs("status.unavailable"));
}

TEST_F(LifecycleTest, AListThatCannotBeFetchedFailsClosed) {
  std::string vc = Signed(Credential(), key1_);
  http_.SetResponse(kRevocationUrl, 404, "not here");
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.unavailable");
  http_.SetError(kRevocationUrl,
                 MakeError(Code::kUnavailable, "http.timeout", "the server did not answer"));
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.unavailable");
  // No checker at all: unknown status is never "cleared".
  EXPECT_EQ(FailedCodes(Verify(vc, nullptr)), "status.unavailable");
  // Offline with nothing cached.
  StatusChecker offline(*resolver_, clock_, {});
  EXPECT_EQ(FailedCodes(Verify(vc, &offline)), "status.unavailable,status.unavailable");
}

TEST_F(LifecycleTest, OfflineUsesTheDiskCacheAndReverifiesIt) {
  std::string dir = ::testing::TempDir() + "lanyard-status-cache";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string vc = Signed(Credential(), key1_);
  StatusCheckOptions online = Online(&http_);
  online.cache_dir = dir;
  StatusChecker first(*resolver_, clock_, online);
  EXPECT_TRUE(Verify(vc, &first).verified());
  // A day later, no network: the cached lists (valid for a week) still answer.
  clock_.Advance(std::chrono::hours(24));
  options_.now = clock_.Now();
  StatusCheckOptions offline;
  offline.cache_dir = dir;
  StatusChecker second(*resolver_, clock_, offline);
  EXPECT_TRUE(Verify(vc, &second).verified()) << Verify(vc, &second).ToText();
  // A cache file edited by hand no longer verifies and is not used.
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::string text;
    {
      std::ifstream in(f.path());
      std::stringstream b;
      b << in.rdbuf();
      text = b.str();
    }
    size_t at = text.find("encodedList");
    ASSERT_NE(at, std::string::npos);
    text[at + 20] = text[at + 20] == 'A' ? 'B' : 'A';
    std::ofstream(f.path(), std::ios::trunc) << text;
  }
  StatusChecker third(*resolver_, clock_, offline);
  EXPECT_EQ(FailedCodes(Verify(vc, &third)), "status.unavailable,status.unavailable");
  std::filesystem::remove_all(dir);
}

TEST_F(LifecycleTest, AListSignedByAnotherIssuerIsInvalid) {
  // Someone else's list at the issuer's URL: right shape, valid signature, wrong issuer.
  auto other_store = store::NewMemoryStatusStore();
  service::StatusService other(*other_store, clock_);
  std::string other_did = did::DidKeyFromPublicKey(other_.public_key());
  ASSERT_THAT(other.CreateList({"r1", store::ListFormat::kBitstring, "revocation", 131072,
                                kRevocationUrl, other_did, clock_.Now()}),
              IsOk());
  http_.SetResponse(kRevocationUrl, 200,
                    other.Publish("r1", {&other_, did::DidKeyMethodId(other_.public_key())}).value());
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_))), "status.list_invalid");
}

TEST_F(LifecycleTest, ATamperedOrExpiredOrMismatchedListIsInvalid) {
  std::string vc = Signed(Credential(), key1_);
  json::Value list = json::Parse(*http_.Get(Req(kRevocationUrl))->body.data() == '{'
                                     ? http_.Get(Req(kRevocationUrl))->body
                                     : std::string("{}"))
                         .value();
  // Flip every bit of the list after signing: the proof no longer covers it.
  json::Value forged = list;
  formats::status::BitstringStatusList all_revoked(131072);
  for (size_t i = 0; i < 131072; ++i) ASSERT_THAT(all_revoked.Set(i, true), IsOk());
  forged.Find("credentialSubject")->Set("encodedList", all_revoked.Encode());
  http_.SetResponse(kRevocationUrl, 200, json::Serialize(forged));
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_invalid");
  // The suspension list served where the revocation list should be: wrong purpose.
  http_.SetResponse(kRevocationUrl, 200, http_.Get(Req(kSuspensionUrl))->body);
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_invalid");
  // A list past its validUntil (a week), even when freshly fetched.
  PublishAll();
  clock_.Advance(std::chrono::hours(24 * 8));
  options_.now = clock_.Now();
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_invalid,status.list_invalid");
}

TEST_F(LifecycleTest, ShortListsBombsAndBadIndexesAreRefused) {
  auto publish_raw = [&](const Bytes& raw) {
    json::Value list = json::Parse(http_.Get(Req(kRevocationUrl))->body).value();
    list.Erase("proof");
    list.Find("credentialSubject")->Set("encodedList", GzipMultibase(raw));
    formats::di::ProofOptions p;
    p.verification_method = "did:web:rgt.example#key-1";
    p.created = clock_.Now();
    http_.SetResponse(kRevocationUrl, 200,
                      json::Serialize(formats::di::AddProof(list, p, key1_).value()));
  };
  std::string vc = Signed(Credential(), key1_);
  publish_raw(Bytes(1024, 0));  // 8,192 entries: too few to hide anyone
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_too_short");
  // 64 MiB of zeros compress to ~64 KiB; inflating stops at the limit.
  publish_raw(Bytes(64 * 1024 * 1024, 0));
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_invalid");
  PublishAll();
  json::Value beyond = Credential();
  json::Value entry = revocation_entry_;
  entry.Set("statusListIndex", "131072");
  beyond.Set("credentialStatus", entry);
  EXPECT_EQ(FailedCodes(Verify(Signed(beyond, key1_))), "status.index_out_of_range");
  entry.Set("statusListIndex", 5);  // a number, not the decimal string the spec requires
  beyond.Set("credentialStatus", entry);
  EXPECT_EQ(FailedCodes(Verify(Signed(beyond, key1_))), "status.malformed");
  entry.Set("statusListIndex", "5");
  entry.Set("type", "StatusList2021Entry");
  beyond.Set("credentialStatus", entry);
  EXPECT_EQ(FailedCodes(Verify(Signed(beyond, key1_))), "status.unavailable");
}

TEST_F(LifecycleTest, AKeyThatOnlyNamesTheIssuerAsControllerCannotSignItsList) {
  // did:web:evil.example publishes a key "controlled by" the trust, and signs a clean list.
  json::Value evil = json::Parse(R"({"id":"did:web:evil.example","verificationMethod":[],
      "assertionMethod":["did:web:evil.example#k"]})").value();
  json::Value method = json::Object{};
  method.Set("id", "did:web:evil.example#k");
  method.Set("type", "Multikey");
  method.Set("controller", kOrg);
  method.Set("publicKeyMultibase", crypto::PublicKeyToMultikey(other_.public_key()));
  evil.Set("verificationMethod", json::Array{method});
  http_.SetResponse("https://evil.example/.well-known/did.json", 200, json::Serialize(evil));
  std::string vc = Signed(Credential(), key1_);
  ASSERT_THAT(service_.Apply("r1", IndexOf(revocation_entry_), service::StatusAction::kRevoke,
                             "fraud"),
              IsOk());
  auto clean_store = store::NewMemoryStatusStore();
  service::StatusService clean(*clean_store, clock_);
  ASSERT_THAT(clean.CreateList({"r1", store::ListFormat::kBitstring, "revocation", 131072,
                                kRevocationUrl, kOrg, clock_.Now()}),
              IsOk());
  http_.SetResponse(kRevocationUrl, 200,
                    clean.Publish("r1", {&other_, "did:web:evil.example#k"}).value());
  EXPECT_EQ(FailedCodes(Verify(vc)), "status.list_invalid");
}

TEST_F(LifecycleTest, AForgedCredentialDoesNotMakeTheVerifierFetchItsLists) {
  json::Value vc = json::Parse(Signed(Credential(), key1_)).value();
  vc.Find("credentialSubject")->Set("dbs", "forged");
  size_t before = http_.requested_urls().size();
  auto report = Verify(json::Serialize(vc));
  EXPECT_EQ(FailedCodes(report), "signature.invalid,issuer.not_signer");
  EXPECT_TRUE(HasCheck(report, "status.not_checked", true, true));
  for (size_t i = before; i < http_.requested_urls().size(); ++i) {
    EXPECT_EQ(http_.requested_urls()[i].find("/status/"), std::string::npos);
  }
  json::Value many = Credential();
  json::Array entries;
  for (int i = 0; i < 17; ++i) entries.push_back(revocation_entry_);
  many.Set("credentialStatus", entries);
  EXPECT_EQ(FailedCodes(Verify(Signed(many, key1_))), "status.malformed");
}

// ----- Status: IETF Token Status List for SD-JWT VC

TEST_F(LifecycleTest, TokenStatusListCoversTheSameLifecycle) {
  std::string sd = TokenCredential();
  auto report = Verify(sd);
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_TRUE(HasCheck(report, "status.current", true, false));
  ASSERT_THAT(service_.Apply("t1", TokenIndex(), service::StatusAction::kSuspend, "OH review"),
              IsOk());
  PublishAll();
  EXPECT_EQ(FailedCodes(Verify(sd)), "status.suspended");
  ASSERT_THAT(service_.Apply("t1", TokenIndex(), service::StatusAction::kReinstate, "cleared"),
              IsOk());
  PublishAll();
  EXPECT_TRUE(Verify(sd).verified());
  ASSERT_THAT(service_.Apply("t1", TokenIndex(), service::StatusAction::kRevoke, "left NHS"),
              IsOk());
  PublishAll();
  EXPECT_EQ(FailedCodes(Verify(sd)), "status.revoked");
  token_ref_.Find("status_list")->Set("idx", "7");  // a string, not a number
  EXPECT_EQ(FailedCodes(Verify(TokenCredential())), "status.malformed");
}

TEST_F(LifecycleTest, ATokenListMustBeTheIssuersOwnForThisUri) {
  std::string sd = TokenCredential();
  std::string token = http_.Get(Req(kTokenUrl))->body;
  // Served at another URI: sub no longer matches.
  json::Value ref = token_ref_;
  ref.Find("status_list")->Set("uri", "https://rgt.example/status/t2");
  http_.SetResponse("https://rgt.example/status/t2", 200, token);
  token_ref_ = ref;
  EXPECT_EQ(FailedCodes(Verify(TokenCredential())), "status.list_invalid");
  // Signed by a key that is not the issuer's.
  json::Value header = json::Object{};
  header.Set("typ", "statuslist+jwt");
  header.Set("kid", did::DidKeyMethodId(other_.public_key()));
  auto payload = json::Parse(R"({"sub":"https://rgt.example/status/t1","iat":1785000000,
      "status_list":{"bits":2,"lst":"eNrbuRgAAhcBXQ"}})").value();
  http_.SetResponse(kTokenUrl, 200,
                    formats::jose::SignCompactJws(header, json::Serialize(payload), other_).value());
  EXPECT_EQ(FailedCodes(Verify(sd)), "status.list_invalid");
  // A Bitstring list credential where a token is expected.
  http_.SetResponse(kTokenUrl, 200, http_.Get(Req(kRevocationUrl))->body);
  EXPECT_EQ(FailedCodes(Verify(sd)), "status.list_invalid");
}

TEST_F(LifecycleTest, AnUnknownTokenValueIsNotClearedAndOtherPurposesOnlyWarn) {
  // A list with the application-specific value 3 at the credential's index.
  formats::status::TokenStatusList values(2, 4096);
  ASSERT_THAT(values.Set(TokenIndex(), 3), IsOk());
  json::Value header = json::Object{};
  header.Set("typ", "statuslist+jwt");
  header.Set("kid", "did:web:rgt.example#key-1");
  json::Value payload = json::Object{};
  payload.Set("sub", kTokenUrl);
  payload.Set("iat", static_cast<double>(ToUnixSeconds(clock_.Now())));
  json::Value list = json::Object{};
  list.Set("bits", 2);
  list.Set("lst", values.Encode());
  payload.Set("status_list", list);
  http_.SetResponse(kTokenUrl, 200,
                    formats::jose::SignCompactJws(header, json::Serialize(payload), key1_).value());
  auto unknown = Verify(TokenCredential());
  EXPECT_EQ(FailedCodes(unknown), "status.unrecognised_value") << unknown.ToText();
  // A "message" entry beside the revocation entry: consulted for nothing, said as a warning.
  json::Value vc = Credential();
  json::Value message = revocation_entry_;
  message.Set("statusPurpose", "message");
  vc.Set("credentialStatus", json::Array{revocation_entry_, message});
  auto report = Verify(Signed(vc, key1_));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_TRUE(HasCheck(report, "status.purpose_unsupported", true, true));
}

// ----- Trust: the registry and key rotation

// ----- Status: lists the verifying service keeps itself

// The lists of a service that is also their issuer, read straight from its status store (as
// service::NewLocalStatusLists reads the passport store).
class StoreLists final : public LocalStatusLists {
 public:
  explicit StoreLists(const store::StatusStore& store) : store_(store) {}
  std::optional<Result<Entry>> Read(std::string_view url, uint64_t index) const override {
    ++reads;
    auto lists = store_.Lists();
    if (!lists.ok()) return Result<Entry>(std::move(lists).error());
    for (const auto& list : *lists) {
      if (list.url != url) continue;
      Entry e{list.format == store::ListFormat::kToken, list.issuer, list.purpose, list.size, 0};
      if (auto entry = store_.GetEntry(list.id, index); entry.ok()) e.value = entry->value;
      return Result<Entry>(std::move(e));
    }
    return std::nullopt;
  }
  mutable int reads = 0;

 private:
  const store::StatusStore& store_;
};

TEST_F(LifecycleTest, LocalListsAreReadAtEveryCheckWithoutFetchingOrPublishing) {
  StoreLists lists(*store_);
  StatusCheckOptions o;  // offline: only the local lists can answer
  o.local = &lists;
  StatusChecker checker(*resolver_, clock_, o);
  std::string vc = Signed(Credential(), key1_);
  EXPECT_TRUE(Verify(vc, &checker).verified());
  EXPECT_EQ(lists.reads, 2) << "one read per status entry";
  // Not published again: the very next check sees the change in the store.
  ASSERT_THAT(service_.Apply("s1", IndexOf(suspension_entry_), service::StatusAction::kSuspend,
                             "interim order"),
              IsOk());
  EXPECT_EQ(FailedCodes(Verify(vc, &checker)), "status.suspended");
  ASSERT_THAT(service_.Apply("r1", IndexOf(revocation_entry_), service::StatusAction::kRevoke,
                             "registration removed"),
              IsOk());
  auto report = Verify(vc, &checker);
  EXPECT_TRUE(HasCheck(report, "status.revoked", false, false)) << report.ToText();
  std::string sd = TokenCredential();
  EXPECT_TRUE(Verify(sd, &checker).verified());
  ASSERT_THAT(service_.Apply("t1", TokenIndex(), service::StatusAction::kRevoke, "left NHS"),
              IsOk());
  EXPECT_EQ(FailedCodes(Verify(sd, &checker)), "status.revoked");
}

TEST_F(LifecycleTest, ALocalListLendsNoEntriesToAnotherIssuersCredential) {
  StoreLists lists(*store_);
  StatusCheckOptions o;
  o.local = &lists;
  StatusChecker checker(*resolver_, clock_, o);
  // A credential signed by someone else that names the organisation's lists.
  json::Value vc = Credential();
  vc.Set("issuer", did::DidKeyFromPublicKey(other_.public_key()));
  auto report = Verify(Signed(std::move(vc), other_, did::DidKeyMethodId(other_.public_key())),
                       &checker);
  EXPECT_FALSE(report.verified());
  EXPECT_TRUE(HasCheck(report, "status.list_invalid", false, false)) << report.ToText();
  EXPECT_FALSE(HasCheck(report, "status.current", true, false)) << report.ToText();
}

TEST_F(LifecycleTest, ALocalListOfTheWrongKindPurposeOrLengthIsRefused) {
  StoreLists lists(*store_);
  StatusCheckOptions o;
  o.local = &lists;
  StatusChecker checker(*resolver_, clock_, o);
  // The revocation entry pointing at the suspension list.
  revocation_entry_.Set("statusListCredential", kSuspensionUrl);
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_), &checker)), "status.list_invalid");
  // A Bitstring entry pointing at the token list.
  revocation_entry_.Set("statusListCredential", kTokenUrl);
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_), &checker)), "status.list_invalid");
  // An index beyond the list.
  revocation_entry_.Set("statusListCredential", kRevocationUrl);
  revocation_entry_.Set("statusListIndex", "131072");
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_), &checker)),
            "status.index_out_of_range");
  // A list it does not know is not guessed at: offline, it is unavailable.
  revocation_entry_.Set("statusListCredential", "https://rgt.example/status/r9");
  revocation_entry_.Set("statusListIndex", "5");
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_), &checker)), "status.unavailable");
}

class TrustTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    std::string registry = R"({"format":"lanyard-trust-registry/1","serial":7,
      "organisations":[
        {"ods":"RGT","name":"Cambridge University Hospitals","kinds":["trust"],"region":"Y61",
         "ics":"QUE","identifiers":["did:web:rgt.example"],
         "keys":[{"id":"did:web:rgt.example#key-1","status":"active"},
                 {"id":"did:web:rgt.example#key-old","status":"retired","since":"2026-08-15T00:00:00Z"},
                 {"id":"did:web:rgt.example#key-p256","status":"compromised","since":"2026-08-20T00:00:00Z"}]},
        {"ods":"R0A","name":"Manchester University","kinds":["trust","lead_employer"],
         "identifiers":["did:web:mft.example"]}],
      "authorisations":[{"organisation":"RGT","credentialTypes":["DBSCheckCredential"],
                         "from":"2026-01-01T00:00:00Z","until":"2027-01-01T00:00:00Z"}],
      "agreements":[{"id":"lead-1","type":"lead_employer_hosting","parties":["R0A","RGT"],
                     "from":"2026-08-01T00:00:00Z"}]})";
    registry_ = trust::TrustRegistry::FromText(registry).value();
    options_.trust = &registry_;
  }
  trust::TrustRegistry registry_;
};

TEST_F(TrustTest, WithoutARegistryTrustIsNotCheckedNeverTrusted) {
  options_.trust = nullptr;
  auto report = Verify(Signed(Credential(), key1_));
  EXPECT_TRUE(report.verified());
  EXPECT_TRUE(HasCheck(report, "trust.not_checked", true, true));
  options_.require_trust = true;
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential(), key1_))), "trust.not_checked");
}

TEST_F(TrustTest, ATrustedIssuerWithItsCurrentKeyPasses) {
  auto report = Verify(Signed(Credential(), key1_));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_TRUE(HasCheck(report, "issuer.trusted", true, false));
  EXPECT_TRUE(HasCheck(report, "issuer.authorised_for_type", true, false));
  EXPECT_TRUE(HasCheck(report, "issuer.key_current", true, false));
}

TEST_F(TrustTest, AnUnknownIssuerIsUntrusted) {
  json::Value vc = Credential();
  vc.Set("issuer", did::DidKeyFromPublicKey(other_.public_key()));
  vc.Erase("credentialStatus");
  auto report = Verify(Signed(vc, other_, did::DidKeyMethodId(other_.public_key())));
  EXPECT_EQ(FailedCodes(report), "issuer.untrusted");
}

TEST_F(TrustTest, AnIssuerMayIssueOnlyItsAuthorisedTypesInTheirWindow) {
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential("OccupationalHealthClearance"), key1_))),
            "issuer.not_authorised_for_type");
  // Issued (by its own account) before the authorisation began.
  EXPECT_EQ(FailedCodes(Verify(Signed(Credential("DBSCheckCredential", "2025-12-01T00:00:00Z"),
                                      key1_))),
            "issuer.not_authorised_for_type");
  EXPECT_EQ(registry_.MayIssue(kOrg, "DBSCheckCredential", At("2026-06-01T00:00:00Z")),
            trust::Authority::kAuthorised);
  EXPECT_EQ(registry_.MayIssue(kOrg, "DBSCheckCredential", At("2027-01-01T00:00:00Z")),
            trust::Authority::kNotAuthorised);
  EXPECT_EQ(registry_.MayIssue("did:web:nobody.example", "DBSCheckCredential", clock_.Now()),
            trust::Authority::kUnknownIssuer);
  EXPECT_EQ(registry_.AgreementsBetween("RGT", "R0A", clock_.Now()).size(), 1u);
  EXPECT_EQ(registry_.AgreementsBetween("RGT", "R0A", At("2026-07-01T00:00:00Z")).size(), 0u);
}

TEST_F(TrustTest, ARetiredKeyKeepsOldCredentialsValidAndSaysSo) {
  auto report = Verify(Signed(Credential(), key_old_, "did:web:rgt.example#key-old"));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_TRUE(HasCheck(report, "issuer.key_retired", true, true));
  // Signed, by its own account, after the key was retired: refused.
  auto late = Verify(Signed(Credential("DBSCheckCredential", "2026-08-20T00:00:00Z"), key_old_,
                            "did:web:rgt.example#key-old"));
  EXPECT_EQ(FailedCodes(late), "issuer.key_retired");
}

TEST_F(TrustTest, ACompromisedKeyInvalidatesEverythingItSignedWhateverTheDates) {
  // Backdated to long before the compromise: still refused.
  auto report = Verify(Signed(Credential("DBSCheckCredential", "2026-02-01T00:00:00Z"), key_p256_,
                              "did:web:rgt.example#key-p256"));
  EXPECT_EQ(FailedCodes(report), "issuer.key_compromised");
}

TEST_F(TrustTest, OneCompromisedKeyInAProofSetIsEnough) {
  std::string once = Signed(Credential(), key1_);
  formats::di::ProofOptions p;
  p.verification_method = "did:web:rgt.example#key-p256";
  p.suite = formats::di::Cryptosuite::kEcdsaJcs2019;
  p.created = At("2026-08-01T00:00:00Z");
  json::Value twice = formats::di::AddProof(json::Parse(once).value(), p, key_p256_).value();
  EXPECT_EQ(FailedCodes(Verify(json::Serialize(twice))), "issuer.key_compromised");
}

TEST_F(TrustTest, TheSdJwtVcPathConsultsTheRegistryToo) {
  auto report = Verify(TokenCredential());
  EXPECT_EQ(FailedCodes(report), "issuer.not_authorised_for_type");  // its vct is not granted
}

TEST_F(TrustTest, ABundleCarriesTheRegistryAndDocumentsForOfflineUse) {
  std::map<std::string, did::DidDocument> docs;
  docs.emplace(kOrg, did::ParseDidDocumentText(did_document_, kOrg).value());
  auto signer = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  trust::BundleBuildOptions build{clock_.Now()};
  std::string text =
      json::Serialize(trust::BuildTrustBundle(registry_, docs, signer, build).value());
  std::string signer_did = did::DidKeyFromPublicKey(signer.public_key());
  auto bundle = trust::LoadTrustBundle(text, clock_.Now(), signer_did);
  ASSERT_THAT(bundle, IsOk());
  EXPECT_EQ(bundle->registry.serial(), 7u);
  EXPECT_TRUE(bundle->signer_pinned);
  // Verify with no network at all: the DID document comes from the bundle, lists from nowhere.
  auto offline = did::NewStaticResolver(bundle->documents, nullptr);
  options_.trust = &bundle->registry;
  json::Value vc = Credential();
  vc.Erase("credentialStatus");
  std::string signed_vc = Signed(vc, key1_);
  options_.status = nullptr;
  auto report = VerifyDocumentText(signed_vc, *offline, options_);
  EXPECT_TRUE(report.verified()) << report.ToText();

  EXPECT_THAT(trust::LoadTrustBundle(text, clock_.Now(), std::string("did:key:z6Mkother")),
              ErrorIs("trust.bundle_signer_mismatch"));
  EXPECT_THAT(trust::LoadTrustBundle(text, clock_.Now() + std::chrono::hours(24 * 31), signer_did),
              ErrorIs("trust.bundle_expired"));
  std::string tampered = text;
  tampered.replace(tampered.find("Cambridge"), 9, "Cambridgf");
  EXPECT_THAT(trust::LoadTrustBundle(tampered, clock_.Now(), signer_did),
              ErrorIs("trust.bundle_invalid"));
  EXPECT_THAT(trust::LoadTrustBundle("{}", clock_.Now(), std::nullopt),
              ErrorIs("trust.bundle_invalid"));
}

}  // namespace
}  // namespace lanyard::verify
