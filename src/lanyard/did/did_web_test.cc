#include "lanyard/did/did_web.h"

#include <gtest/gtest.h>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_document.h"
#include "lanyard/http/http_client.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/fake_http_client.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::did {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(DidWebUrl, MapsHostPortAndPathAsTheMethodSays) {
  EXPECT_EQ(DidWebUrl("did:web:rgt.nhs.example").value(),
            "https://rgt.nhs.example/.well-known/did.json");
  EXPECT_EQ(DidWebUrl("did:web:rgt.nhs.example%3A8443").value(),
            "https://rgt.nhs.example:8443/.well-known/did.json");
  EXPECT_EQ(DidWebUrl("did:web:nhs.example:trusts:rgt").value(),
            "https://nhs.example/trusts/rgt/did.json");
  EXPECT_EQ(DidWebUrl("did:web:Example.ORG").value(), "https://example.org/.well-known/did.json");
  // Loopback is served over plain http (tests, a developer's machine); nothing else is.
  EXPECT_EQ(DidWebUrl("did:web:localhost%3A8080").value(),
            "http://localhost:8080/.well-known/did.json");
  EXPECT_EQ(DidWebUrl("did:web:127.0.0.1%3A9000:orgs:rgt").value(),
            "http://127.0.0.1:9000/orgs/rgt/did.json");
}

TEST(DidWebUrl, RefusesWhatCannotBeAUrl) {
  for (const char* bad :
       {"did:web:", "did:web:rgt.example%2Fevil", "did:web:rgt.example%3A0",
        "did:web:rgt.example%3A99999", "did:web:rgt.example::x", "did:web:rgt.example:..",
        "did:web:-rgt.example", "did:web:rgt..example", "did:key:z6Mk", "did:web:a%3Ab"}) {
    EXPECT_THAT(DidWebUrl(bad), ErrorIs("did.invalid")) << bad;
  }
}

class DidWebResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value().public_key();
    json::Value doc = json::Object{};
    doc.Set("id", "did:web:rgt.example");
    json::Value method = json::Object{};
    method.Set("id", "#key-1");
    method.Set("type", "Multikey");
    method.Set("controller", "did:web:rgt.example");
    method.Set("publicKeyMultibase", crypto::PublicKeyToMultikey(*key_));
    doc.Set("verificationMethod", json::Array{method});
    doc.Set("assertionMethod", json::Array{"#key-1"});
    document_ = json::Serialize(doc);
    http_.SetResponse(kUrl, 200, document_);
  }
  static constexpr const char* kUrl = "https://rgt.example/.well-known/did.json";
  std::optional<crypto::PublicKey> key_;
  std::string document_;
  testing::FakeHttpClient http_;
  SimulatedClock clock_{FromUnixSeconds(1785000000)};
};

TEST_F(DidWebResolverTest, ResolvesAndDereferencesAnOrganisationsKey) {
  auto resolver = NewStandardResolver(&http_, clock_);
  auto method = DereferenceMethod(*resolver, "did:web:rgt.example#key-1", "assertionMethod");
  ASSERT_THAT(method, IsOk());
  EXPECT_TRUE(method->key == *key_);
  EXPECT_THAT(DereferenceMethod(*resolver, "did:web:rgt.example#key-1", "authentication"),
              ErrorIs("did.relationship_not_authorised"));
  // did:key still resolves offline through the same resolver.
  EXPECT_THAT(resolver->Resolve("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
              IsOk());
}

TEST_F(DidWebResolverTest, CachesForItsTtlAndNotFailures) {
  auto resolver = NewStandardResolver(&http_, clock_, std::chrono::seconds(300));
  ASSERT_THAT(resolver->Resolve("did:web:rgt.example"), IsOk());
  ASSERT_THAT(resolver->Resolve("did:web:rgt.example"), IsOk());
  EXPECT_EQ(http_.requested_urls().size(), 1u);
  clock_.Advance(std::chrono::seconds(301));
  ASSERT_THAT(resolver->Resolve("did:web:rgt.example"), IsOk());
  EXPECT_EQ(http_.requested_urls().size(), 2u);
  EXPECT_THAT(resolver->Resolve("did:web:gone.example"), ErrorIs("did.unavailable"));
  http_.SetResponse("https://gone.example/.well-known/did.json", 200,
                    std::string(document_).replace(document_.find("rgt"), 3, "gone"));
  EXPECT_THAT(resolver->Resolve("did:web:gone.example"), IsOk());
}

TEST_F(DidWebResolverTest, RefusesEveryBadAnswerWithItsOwnCode) {
  auto resolver = NewDidWebResolver(http_);
  http_.SetResponse(kUrl, 404, "no");
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.not_found"));
  http_.SetResponse(kUrl, 503, "busy");
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.unavailable"));
  // A 10 MB document: the client stops at the limit.
  http_.SetResponse(kUrl, 200, std::string(10 * 1024 * 1024, ' '));
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.document_too_large"));
  http_.SetError(kUrl, MakeError(Code::kPermissionDenied, "http.address_refused",
                                 "rgt.example resolves to a private address"));
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.unavailable"));
  http_.SetError(kUrl, MakeError(Code::kUnavailable, "http.too_many_redirects", "loop"));
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.unavailable"));
  // Someone else's document served at this address.
  http_.SetResponse(kUrl, 200,
                    std::string(document_).replace(document_.find("rgt"), 3, "xyz"));
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.id_mismatch"));
  http_.SetResponse(kUrl, 200, "{\"id\": \"did:web:rgt.example\", ");
  EXPECT_THAT(resolver->Resolve("did:web:rgt.example"), ErrorIs("did.document_invalid"));
}

// The server's setting for fetches made on behalf of remote users: a did:web that points into
// the private network (or at the server itself) is refused before any connection is made.
TEST(DidWebOverTheNetwork, RefusesPrivateAddressesWhenConfiguredTo) {
  http::HttpClientOptions options;
  options.allow_private_addresses = false;
  auto client = http::NewHttpClient(options);
  auto resolver = NewDidWebResolver(*client);
  for (const char* did : {"did:web:127.0.0.1%3A9", "did:web:10.1.2.3", "did:web:192.168.0.7:orgs:x",
                          "did:web:localhost%3A8080"}) {
    auto doc = resolver->Resolve(did);
    ASSERT_THAT(doc, ErrorIs("did.unavailable")) << did;
    EXPECT_NE(doc.error().message.find("http.address_refused"), std::string::npos)
        << doc.error().message;
  }
}

TEST(DidDocument, RefusesHalfReadableDocuments) {
  auto parse = [](const char* text) { return ParseDidDocumentText(text, ""); };
  EXPECT_THAT(parse(R"({"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey",
      "publicKeyMultibase":"zNotAKey"}]})"),
              ErrorIs("did.document_invalid"));
  EXPECT_THAT(parse(R"({"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"JsonWebKey",
      "publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
      "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}}]})"),
              ErrorIs("did.document_invalid"));  // a private key published by mistake
  EXPECT_THAT(parse(R"({"id":"did:web:a.example","assertionMethod":["#missing"]})"),
              ErrorIs("did.document_invalid"));
  EXPECT_THAT(parse(R"({"id":"did:web:a.example","verificationMethod":[{"id":"did:web:b.example#k",
      "type":"Multikey","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]})"),
              ErrorIs("did.document_invalid"));  // a key of another DID
  EXPECT_THAT(parse(R"({"id":"did:web:a.example","verificationMethod":[
      {"id":"#k","type":"Multikey","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
      {"id":"#k","type":"Multikey","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]})"),
              ErrorIs("did.document_invalid"));
  EXPECT_THAT(ParseDidDocumentText(std::string(300 * 1024, ' '), ""),
              ErrorIs("did.document_too_large"));
  // Methods of types Lanyard does not use are skipped, with the references to them.
  auto doc = parse(R"({"id":"did:web:a.example","verificationMethod":[{"id":"#x",
      "type":"EcdsaSecp256k1RecoveryMethod2020"}],"assertionMethod":["#x"]})");
  ASSERT_THAT(doc, IsOk());
  EXPECT_TRUE(doc->assertion_method.empty());
}

}  // namespace
}  // namespace lanyard::did
