#include "lanyard/formats/sdjwt/issuer_metadata.h"

#include <gtest/gtest.h>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/testing/fake_http_client.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::formats::sdjwt {
namespace {

using ::testing::ElementsAre;
using testing::ErrorIs;
using testing::FakeHttpClient;
using testing::IsOk;

constexpr char kIss[] = "https://trust.example";
constexpr char kMetadataUrl[] = "https://trust.example/.well-known/jwt-vc-issuer";
constexpr char kJwksUrl[] = "https://keys.trust.example/jwks.json";

crypto::PublicKey NewKey(crypto::KeyType type = crypto::KeyType::kP256) {
  return crypto::PrivateKey::Generate(type).value().public_key();
}

json::Value Jwk(const crypto::PublicKey& key, std::optional<std::string> kid = std::nullopt) {
  json::Value jwk = crypto::PublicKeyToJwk(key);
  if (kid) jwk.Set("kid", *kid);
  return jwk;
}

json::Value Jwks(json::Array keys) { return json::Object{{"keys", json::Value(std::move(keys))}}; }

std::string InlineMetadata(std::string_view issuer, json::Value jwks) {
  return json::Serialize(json::Object{{"issuer", issuer}, {"jwks", std::move(jwks)}});
}

std::string UriMetadata(std::string_view issuer, std::string_view jwks_uri) {
  return json::Serialize(json::Object{{"issuer", issuer}, {"jwks_uri", jwks_uri}});
}

TEST(IssuerMetadataUrl, InsertsTheWellKnownSegmentBeforeThePath) {
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://trust.example").value(), kMetadataUrl);
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://trust.example/").value(), kMetadataUrl);
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://trust.example/tenants/rhq").value(),
            "https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq");
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://trust.example/tenants/rhq/").value(),
            "https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq");
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://trust.example:8443/a%20b").value(),
            "https://trust.example:8443/.well-known/jwt-vc-issuer/a%20b");
  EXPECT_EQ(JwtVcIssuerMetadataUrl("https://[2001:db8::1]/x").value(),
            "https://[2001:db8::1]/.well-known/jwt-vc-issuer/x");
  // Plain http only on loopback.
  EXPECT_EQ(JwtVcIssuerMetadataUrl("http://localhost:8080/issuer").value(),
            "http://localhost:8080/.well-known/jwt-vc-issuer/issuer");
  EXPECT_EQ(JwtVcIssuerMetadataUrl("http://127.0.0.1").value(),
            "http://127.0.0.1/.well-known/jwt-vc-issuer");
  EXPECT_EQ(JwtVcIssuerMetadataUrl("http://[::1]:9000").value(),
            "http://[::1]:9000/.well-known/jwt-vc-issuer");
}

TEST(IssuerMetadataUrl, RefusesIssuersThatAreNotHttpsUrls) {
  for (const char* iss : {
           "",
           "trust.example",
           "http://trust.example",
           "http://127.0.0.2",
           "http://localhost.trust.example",
           "ftp://trust.example",
           "HTTPS://trust.example",
           "did:web:trust.example",
           "https://",
           "https:///path",
           "https://user@trust.example",
           "https://trust.example?tenant=rhq",
           "https://trust.example/#key",
           "https://trust.example:",
           "https://trust.example:0",
           "https://trust.example:65536",
           "https://trust.example:https",
           "https://trust..example",
           "https://.trust.example",
           "https://trust_example",
           "https://trust.example/a b",
           "https://trust.example/a\\b",
           "https://trust.example/a/../b",
           "https://trust.example/./b",
           "https://trust.example//b",
           "https://trust.example/a%2",
           "https://[zz::1]",
           "https://[]",
       }) {
    EXPECT_THAT(JwtVcIssuerMetadataUrl(iss), ErrorIs("issuer_metadata.invalid_issuer")) << iss;
  }
  EXPECT_THAT(JwtVcIssuerMetadataUrl("https://trust.example/" + std::string(3000, 'a')),
              ErrorIs("issuer_metadata.invalid_issuer"));
}

TEST(IssuerMetadata, PicksTheKeyWithTheHeadersKidFromInlineJwks) {
  crypto::PublicKey first = NewKey(), second = NewKey(crypto::KeyType::kEd25519);
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200,
                   InlineMetadata(kIss, Jwks({Jwk(first, "key-1"), Jwk(second, "key-2")})),
                   {{"content-type", "application/json"}});
  auto key = ResolveIssuerKeyFromMetadata(http, kIss, "key-2");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(*key, second);
  key = ResolveIssuerKeyFromMetadata(http, kIss, "key-1");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(*key, first);
  EXPECT_THAT(http.requested_urls(), ElementsAre(kMetadataUrl, kMetadataUrl));
}

TEST(IssuerMetadata, AsksForJsonWithABoundedBody) {
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({Jwk(NewKey())})));
  ASSERT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt), IsOk());
  std::vector<HttpRequest> requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].max_body_bytes, kMaxIssuerMetadataBytes);
  EXPECT_EQ(requests[0].headers.at("accept"), "application/json");
}

TEST(IssuerMetadata, UsesTheOnlyKeyWhenTheHeaderHasNoKid) {
  crypto::PublicKey key = NewKey();
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({Jwk(key)})));
  auto resolved = ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt);
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(*resolved, key);
  // Whether or not the only key has a kid.
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({Jwk(key, "k")})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt), IsOk());
  // But a kid in the header must be matched, even by the only key.
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "other"),
              ErrorIs("issuer_metadata.key_not_found"));
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({Jwk(key)})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "k"),
              ErrorIs("issuer_metadata.key_not_found"));
}

TEST(IssuerMetadata, NeedsAKidWhenThereAreSeveralKeysOrNone) {
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200,
                   InlineMetadata(kIss, Jwks({Jwk(NewKey(), "a"), Jwk(NewKey(), "b")})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.key_not_found"));
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.key_not_found"));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "a"),
              ErrorIs("issuer_metadata.key_not_found"));
}

TEST(IssuerMetadata, FetchesTheJwksUri) {
  crypto::PublicKey key = NewKey();
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, UriMetadata(kIss, kJwksUrl));
  http.SetResponse(kJwksUrl, 200,
                   json::Serialize(Jwks({Jwk(NewKey(), "old"), Jwk(key, "current")})));
  auto resolved = ResolveIssuerKeyFromMetadata(http, kIss, "current");
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(*resolved, key);
  EXPECT_THAT(http.requested_urls(), ElementsAre(kMetadataUrl, kJwksUrl));
  EXPECT_EQ(http.requests()[1].max_body_bytes, kMaxIssuerMetadataBytes);
  // A query is allowed in a jwks_uri.
  http.SetResponse(kMetadataUrl, 200, UriMetadata(kIss, "https://trust.example/keys?v=2"));
  http.SetResponse("https://trust.example/keys?v=2", 200, json::Serialize(Jwks({Jwk(key)})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt), IsOk());
}

TEST(IssuerMetadata, InsertsTheWellKnownSegmentForIssuersWithAPath) {
  const std::string iss = "https://trust.example/tenants/rhq";
  const std::string url = "https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq";
  crypto::PublicKey key = NewKey();
  FakeHttpClient http;
  http.SetResponse(url, 200, InlineMetadata(iss, Jwks({Jwk(key, "rhq-1")})));
  auto resolved = ResolveIssuerKeyFromMetadata(http, iss, "rhq-1");
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(*resolved, key);
  EXPECT_THAT(http.requested_urls(), ElementsAre(url));
}

TEST(IssuerMetadata, ReachesLoopbackIssuersOverHttp) {
  const std::string iss = "http://localhost:8080";
  FakeHttpClient http;
  http.SetResponse("http://localhost:8080/.well-known/jwt-vc-issuer", 200,
                   InlineMetadata(iss, Jwks({Jwk(NewKey())})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, iss, std::nullopt), IsOk());
}

TEST(IssuerMetadata, RefusesAnInvalidIssuerWithoutAsking) {
  FakeHttpClient http;
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, "http://trust.example", std::nullopt),
              ErrorIs("issuer_metadata.invalid_issuer"));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, "did:key:z6Mk", std::nullopt),
              ErrorIs("issuer_metadata.invalid_issuer"));
  EXPECT_TRUE(http.requested_urls().empty());
}

TEST(IssuerMetadata, ReportsUnavailableMetadata) {
  FakeHttpClient http;
  // Nothing registered: the fake answers as an unreachable host does.
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.unavailable"));
  std::string metadata = InlineMetadata(kIss, Jwks({Jwk(NewKey())}));
  for (int status : {404, 500, 301, 204}) {
    http.SetResponse(kMetadataUrl, status, metadata);
    EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
                ErrorIs("issuer_metadata.unavailable"))
        << status;
  }
  http.SetError(kMetadataUrl,
                MakeError(Code::kUnavailable, "http.unavailable", "TLS handshake failed"));
  auto result = ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt);
  EXPECT_THAT(result, ErrorIs("issuer_metadata.unavailable"));
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_NE(result.error().message.find("TLS handshake failed"), std::string::npos);

  // The JWK Set behind jwks_uri, likewise.
  http.SetResponse(kMetadataUrl, 200, UriMetadata(kIss, kJwksUrl));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.unavailable"));
  http.SetResponse(kJwksUrl, 503, "");
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.unavailable"));
}

TEST(IssuerMetadata, BoundsBodiesAndKeyCounts) {
  FakeHttpClient http;
  std::string padded = InlineMetadata(kIss, Jwks({Jwk(NewKey())}));
  padded.insert(1, std::string(kMaxIssuerMetadataBytes, ' '));
  http.SetResponse(kMetadataUrl, 200, padded);
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.too_large"));

  json::Array many;
  for (size_t i = 0; i <= kMaxIssuerKeys; ++i) {
    many.push_back(Jwk(NewKey(crypto::KeyType::kEd25519), "k" + std::to_string(i)));
  }
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks(many)));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "k0"), ErrorIs("issuer_metadata.too_large"));
  many.pop_back();
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks(many)));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "k0"), IsOk());
}

// A client that ignores max_body_bytes: the limit still holds.
class CarelessHttpClient final : public HttpClient {
 public:
  explicit CarelessHttpClient(std::string body) : body_(std::move(body)) {}
  Result<HttpResponse> Get(const HttpRequest&) const override {
    HttpResponse response;
    response.status = 200;
    response.body = body_;
    return response;
  }

 private:
  std::string body_;
};

TEST(IssuerMetadata, BoundsBodiesEvenWhenTheClientDoesNot) {
  std::string padded = InlineMetadata(kIss, Jwks({Jwk(NewKey())}));
  padded.insert(1, std::string(kMaxIssuerMetadataBytes, ' '));
  CarelessHttpClient http(padded);
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.too_large"));
}

TEST(IssuerMetadata, RefusesAnotherIssuersMetadata) {
  FakeHttpClient http;
  json::Value jwks = Jwks({Jwk(NewKey())});
  for (const char* issuer : {"https://trust.example/", "https://other.example",
                             "https://TRUST.example", "http://trust.example"}) {
    http.SetResponse(kMetadataUrl, 200, InlineMetadata(issuer, jwks));
    EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
                ErrorIs("issuer_metadata.issuer_mismatch"))
        << issuer;
  }
  // With a path, the issuer must carry the same path.
  http.SetResponse("https://trust.example/.well-known/jwt-vc-issuer/tenants/rhq", 200,
                   InlineMetadata(kIss, jwks));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, "https://trust.example/tenants/rhq", std::nullopt),
              ErrorIs("issuer_metadata.issuer_mismatch"));
}

TEST(IssuerMetadata, RefusesMalformedMetadata) {
  std::string jwk = json::Serialize(Jwk(NewKey(), "k"));
  std::string iss = std::string("\"issuer\":\"") + kIss + "\"";
  for (const std::string& body : {
           std::string("not json"),
           std::string(""),
           "{" + iss + ",\"jwks\":{\"keys\":[" + jwk + "]}",               // truncated
           "{" + iss + "," + iss + ",\"jwks\":{\"keys\":[" + jwk + "]}}",  // duplicate member
           "[{" + iss + ",\"jwks\":{\"keys\":[" + jwk + "]}}]",            // not an object
           "{\"jwks\":{\"keys\":[" + jwk + "]}}",                          // no issuer
           "{\"issuer\":42,\"jwks\":{\"keys\":[" + jwk + "]}}",
           "{" + iss + "}",  // neither
           "{" + iss + ",\"jwks\":{\"keys\":[" + jwk + "]},\"jwks_uri\":\"" + kJwksUrl + "\"}",
           "{" + iss + ",\"jwks\":[" + jwk + "]}",                         // jwks not a set
           "{" + iss + ",\"jwks\":{}}",                                    // no keys
           "{" + iss + ",\"jwks\":{\"keys\":" + jwk + "}}",                // keys not an array
           "{" + iss + ",\"jwks\":{\"keys\":[\"" + kJwksUrl + "\"]}}",     // key not an object
           "{" + iss + ",\"jwks\":{\"keys\":[{\"kid\":7}]}}",              // kid not a string
           "{" + iss + ",\"jwks\":{\"keys\":[" + jwk + "," + jwk + "]}}",  // kid twice
           "{" + iss + ",\"jwks_uri\":7}",
           "{" + iss + ",\"jwks_uri\":\"http://keys.trust.example/jwks.json\"}",
           "{" + iss + ",\"jwks_uri\":\"/jwks.json\"}",
           "{" + iss + ",\"jwks_uri\":\"https://keys.trust.example/jwks.json#x\"}",
           "{" + iss + ",\"jwks\":{\"keys\":[" + jwk + "]},\"n\":" + std::string(40, '[') +
               std::string(40, ']') + "}",  // too deep
       }) {
    FakeHttpClient http;
    http.SetResponse(kMetadataUrl, 200, body);
    EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "k"), ErrorIs("issuer_metadata.malformed"))
        << body;
  }
}

TEST(IssuerMetadata, RefusesAMalformedJwkSetBehindJwksUri) {
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, UriMetadata(kIss, kJwksUrl));
  for (const std::string& body : {std::string("{\"keys\":"), std::string("[]"),
                                  std::string("{\"keys\":{}}"), std::string("{}")}) {
    http.SetResponse(kJwksUrl, 200, body);
    EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
                ErrorIs("issuer_metadata.malformed"))
        << body;
  }
}

TEST(IssuerMetadata, RefusesAPublishedPrivateKey) {
  auto secret = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  json::Value jwk = crypto::PrivateKeyToJwk(secret);
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({jwk})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, std::nullopt),
              ErrorIs("issuer_metadata.malformed"));
}

TEST(IssuerMetadata, OnlyUsesKeysMeantForSignatures) {
  crypto::PublicKey key = NewKey();
  FakeHttpClient http;
  auto with = [&](std::string_view member, json::Value value) {
    json::Value jwk = Jwk(key, "k");
    jwk.Set(member, std::move(value));
    http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({jwk})));
    return ResolveIssuerKeyFromMetadata(http, kIss, "k");
  };
  EXPECT_THAT(with("use", "sig"), IsOk());
  EXPECT_THAT(with("key_ops", json::Array{"verify"}), IsOk());
  EXPECT_THAT(with("use", "enc"), ErrorIs("issuer_metadata.key_not_found"));
  EXPECT_THAT(with("key_ops", json::Array{"encrypt", "wrapKey"}),
              ErrorIs("issuer_metadata.key_not_found"));
  EXPECT_THAT(with("key_ops", "verify"), ErrorIs("issuer_metadata.key_not_found"));
}

TEST(IssuerMetadata, DecodesOnlyTheChosenKey) {
  crypto::PublicKey key = NewKey();
  json::Value rsa = json::Object{{"kty", "RSA"}, {"kid", "rsa"}, {"n", "AQAB"}, {"e", "AQAB"}};
  FakeHttpClient http;
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({rsa, Jwk(key, "ec")})));
  auto resolved = ResolveIssuerKeyFromMetadata(http, kIss, "ec");
  ASSERT_THAT(resolved, IsOk());
  EXPECT_EQ(*resolved, key);
  // Choosing the unusable key reports why it is unusable.
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "rsa"), ErrorIs("key.invalid_jwk"));
  json::Value short_x = Jwk(key, "short");
  short_x.Set("x", "AAAA");
  http.SetResponse(kMetadataUrl, 200, InlineMetadata(kIss, Jwks({short_x})));
  EXPECT_THAT(ResolveIssuerKeyFromMetadata(http, kIss, "short"), ErrorIs("key.invalid_jwk"));
}

TEST(IssuerMetadata, FakeHttpClientRecordsEveryRequestInOrder) {
  FakeHttpClient http;
  http.SetResponse("https://a.example/", 200, "a");
  HttpRequest request;
  for (const char* url : {"https://a.example/", "https://b.example/", "https://a.example/"}) {
    request.url = url;
    (void)http.Get(request);
  }
  EXPECT_THAT(http.requested_urls(),
              ElementsAre("https://a.example/", "https://b.example/", "https://a.example/"));
  request.url = "https://b.example/";
  EXPECT_THAT(http.Get(request), ErrorIs("http.unavailable"));
  request.url = "https://a.example/";
  request.max_body_bytes = 0;
  EXPECT_THAT(http.Get(request), ErrorIs("http.too_large"));
}

}  // namespace
}  // namespace lanyard::formats::sdjwt
