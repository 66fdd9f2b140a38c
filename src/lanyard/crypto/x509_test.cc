#include "lanyard/crypto/x509.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::crypto {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using testing::ReadJsonVector;
using testing::ReadVector;

// The certificates under tests/vectors/x509/ (made by make.sh there) are valid from 2025-01-01
// to 2045-01-01 unless their names say otherwise.
TimePoint At(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }

// A PEM certificate as an x5c entry: the base64 between the armour lines, joined.
std::string X5cEntry(const std::string& file) {
  std::istringstream in(ReadVector("x509/" + file));
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("-----", 0) != 0) out += line;
  }
  return out;
}

TrustAnchors Anchors(const std::string& file = "root.pem") {
  auto anchors = LoadTrustAnchorsPem(ReadVector("x509/" + file));
  EXPECT_THAT(anchors, IsOk());
  return std::move(anchors).value();
}

X5cOptions At2030() {
  X5cOptions options;
  options.now = At("2030-01-01T00:00:00Z");
  return options;
}

std::vector<std::string> Chain(const std::string& leaf) {
  return {X5cEntry(leaf), X5cEntry("intermediate.pem")};
}

TEST(X509, ReturnsTheP256LeafKeyOfAValidChain) {
  auto key = VerifyX5cChain(Chain("leaf.pem"), Anchors(), At2030());
  ASSERT_THAT(key, IsOk());
  auto private_key = PrivateKeyFromJwk(ReadJsonVector("x509/leaf-key.jwk.json"));
  ASSERT_THAT(private_key, IsOk());
  EXPECT_EQ(key->type(), KeyType::kP256);
  EXPECT_EQ(*key, private_key->public_key());
  // The leaf's key checks signatures made with the published private key.
  Bytes message = ToBytes("issuer-signed JWT");
  EXPECT_TRUE(key->Verify(message, private_key->Sign(message).value()));
}

TEST(X509, ReturnsTheEd25519LeafKey) {
  auto key = VerifyX5cChain(Chain("leaf-ed25519.pem"), Anchors(), At2030());
  ASSERT_THAT(key, IsOk());
  auto private_key = PrivateKeyFromJwk(ReadJsonVector("x509/leaf-ed25519-key.jwk.json"));
  ASSERT_THAT(private_key, IsOk());
  EXPECT_EQ(key->type(), KeyType::kEd25519);
  EXPECT_EQ(*key, private_key->public_key());
}

TEST(X509, ReadsThePublishedX5cArray) {
  json::Value array = ReadJsonVector("x509/chain.x5c.json");
  ASSERT_TRUE(array.is_array());
  std::vector<std::string> x5c;
  for (const auto& entry : array.as_array()) x5c.push_back(entry.as_string());
  EXPECT_EQ(x5c, Chain("leaf.pem"));
  EXPECT_THAT(VerifyX5cChain(x5c, Anchors(), At2030()), IsOk());
}

TEST(X509, AcceptsAChainThatIncludesTheRoot) {
  std::vector<std::string> x5c = Chain("leaf.pem");
  x5c.push_back(X5cEntry("root.pem"));
  EXPECT_THAT(VerifyX5cChain(x5c, Anchors(), At2030()), IsOk());
}

TEST(X509, ChecksTheExpectedNamesInSubjectAltName) {
  X5cOptions options = At2030();
  options.expected_dns_name = "issuer.trust.example";
  options.expected_uri = "https://issuer.trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), IsOk());
  options.expected_dns_name = "Issuer.Trust.Example";  // DNS names ignore ASCII case
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), IsOk());

  X5cOptions dns = At2030();
  dns.expected_dns_name = "other.trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), dns), ErrorIs("x5c.name_mismatch"));
  dns.expected_dns_name = "trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), dns), ErrorIs("x5c.name_mismatch"));
  dns.expected_dns_name = "*.trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), dns), ErrorIs("x5c.name_mismatch"));

  X5cOptions uri = At2030();
  uri.expected_uri = "https://issuer.trust.example/";  // URIs compare byte for byte
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), uri), ErrorIs("x5c.name_mismatch"));
  uri.expected_uri = "HTTPS://issuer.trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), uri), ErrorIs("x5c.name_mismatch"));
  // The subject CN is not a subjectAltName.
  uri.expected_uri = "issuer.trust.example";
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), uri), ErrorIs("x5c.name_mismatch"));
}

TEST(X509, RefusesAChainThatDoesNotReachAnAnchor) {
  // The intermediate is missing.
  EXPECT_THAT(VerifyX5cChain({X5cEntry("leaf.pem")}, Anchors(), At2030()),
              ErrorIs("x5c.untrusted"));
  // Another root issued the leaf.
  EXPECT_THAT(VerifyX5cChain({X5cEntry("other-leaf.pem")}, Anchors(), At2030()),
              ErrorIs("x5c.untrusted"));
  // Carrying its own root does not make a chain trusted.
  EXPECT_THAT(
      VerifyX5cChain({X5cEntry("other-leaf.pem"), X5cEntry("other-root.pem")}, Anchors(), At2030()),
      ErrorIs("x5c.untrusted"));
  // A self-signed leaf.
  EXPECT_THAT(VerifyX5cChain({X5cEntry("other-root.pem")}, Anchors(), At2030()),
              ErrorIs("x5c.untrusted"));
  // The other root does not vouch for this chain.
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors("other-root.pem"), At2030()),
              ErrorIs("x5c.untrusted"));
  EXPECT_THAT(VerifyX5cChain({X5cEntry("other-leaf.pem")}, Anchors("other-root.pem"), At2030()),
              IsOk());
}

TEST(X509, RefusesACertificateWhoseSignatureWasTampered) {
  Bytes der = Base64Decode(X5cEntry("leaf.pem")).value();
  der[der.size() - 5] ^= 0x01;  // inside the ECDSA signature's integer
  EXPECT_THAT(
      VerifyX5cChain({Base64Encode(der), X5cEntry("intermediate.pem")}, Anchors(), At2030()),
      ErrorIs("x5c.untrusted"));
}

TEST(X509, ChecksValidityAtTheGivenInstantNotTheSystemClock) {
  X5cOptions options = At2030();
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-expired.pem"), Anchors(), options),
              ErrorIs("x5c.expired"));
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-future.pem"), Anchors(), options),
              ErrorIs("x5c.not_yet_valid"));

  options.now = At("2025-03-01T00:00:00Z");
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-expired.pem"), Anchors(), options), IsOk());
  options.now = At("2041-01-01T00:00:00Z");
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-future.pem"), Anchors(), options), IsOk());

  // The whole path is checked: before the root and intermediate begin, after they end.
  options.now = At("2024-12-31T23:59:59Z");
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), ErrorIs("x5c.not_yet_valid"));
  options.now = At("2045-01-01T00:00:01Z");
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), ErrorIs("x5c.expired"));
}

TEST(X509, RefusesALeafThatIsACa) {
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-ca.pem"), Anchors(), At2030()), ErrorIs("x5c.leaf_is_ca"));
  // Listing the chain in the wrong order puts the intermediate CA in the leaf's place.
  EXPECT_THAT(
      VerifyX5cChain({X5cEntry("intermediate.pem"), X5cEntry("leaf.pem")}, Anchors(), At2030()),
      ErrorIs("x5c.leaf_is_ca"));
  EXPECT_THAT(VerifyX5cChain({X5cEntry("root.pem")}, Anchors(), At2030()),
              ErrorIs("x5c.leaf_is_ca"));
}

TEST(X509, RefusesALeafWhoseKeyUsageExcludesSignatures) {
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-key-agreement.pem"), Anchors(), At2030()),
              ErrorIs("x5c.wrong_key_usage"));
}

TEST(X509, RefusesKeysOtherThanP256AndEd25519) {
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-p384.pem"), Anchors(), At2030()),
              ErrorIs("x5c.unsupported_key"));
}

TEST(X509, RefusesMalformedChains) {
  TrustAnchors anchors = Anchors();
  std::string leaf = X5cEntry("leaf.pem");
  std::string intermediate = X5cEntry("intermediate.pem");
  EXPECT_THAT(VerifyX5cChain({}, anchors, At2030()), ErrorIs("x5c.malformed"));
  EXPECT_THAT(VerifyX5cChain({""}, anchors, At2030()), ErrorIs("x5c.malformed"));
  // Not standard base64: base64url characters, missing padding, line breaks, spaces.
  std::string url = Base64UrlEncode(Base64Decode(leaf).value());
  ASSERT_NE(url.find_first_of("-_"), std::string::npos);
  EXPECT_THAT(VerifyX5cChain({url, intermediate}, anchors, At2030()), ErrorIs("x5c.malformed"));
  EXPECT_THAT(VerifyX5cChain({leaf + "\n", intermediate}, anchors, At2030()),
              ErrorIs("x5c.malformed"));
  EXPECT_THAT(VerifyX5cChain({" " + leaf, intermediate}, anchors, At2030()),
              ErrorIs("x5c.malformed"));
  // Base64, but not a certificate.
  EXPECT_THAT(
      VerifyX5cChain({Base64Encode(ToBytes("not a certificate")), intermediate}, anchors, At2030()),
      ErrorIs("x5c.malformed"));
  // A certificate with bytes after it, and a truncated one.
  Bytes der = Base64Decode(leaf).value();
  Bytes longer = der;
  longer.push_back(0);
  EXPECT_THAT(VerifyX5cChain({Base64Encode(longer), intermediate}, anchors, At2030()),
              ErrorIs("x5c.malformed"));
  Bytes shorter(der.begin(), der.end() - 1);
  EXPECT_THAT(VerifyX5cChain({Base64Encode(shorter), intermediate}, anchors, At2030()),
              ErrorIs("x5c.malformed"));
  // A bad entry anywhere in the chain.
  EXPECT_THAT(VerifyX5cChain({leaf, "%%%%"}, anchors, At2030()), ErrorIs("x5c.malformed"));
}

TEST(X509, BoundsTheChainLengthAndCertificateSize) {
  X5cOptions options = At2030();
  options.max_chain_length = 1;
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), ErrorIs("x5c.malformed"));
  options.max_chain_length = 2;
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), Anchors(), options), IsOk());
  std::vector<std::string> repeated = Chain("leaf.pem");
  repeated.resize(6, X5cEntry("intermediate.pem"));
  EXPECT_THAT(VerifyX5cChain(repeated, Anchors(), At2030()), ErrorIs("x5c.malformed"));

  // Refused by size before it is decoded.
  std::string huge = Base64Encode(Bytes(kMaxCertificateBytes + 1, 0x30));
  EXPECT_THAT(VerifyX5cChain({huge}, Anchors(), At2030()), ErrorIs("x5c.malformed"));
}

TEST(X509, LoadsSeveralAnchors) {
  auto anchors = LoadTrustAnchorsPem("A comment before the blocks\n" + ReadVector("x509/root.pem") +
                                     ReadVector("x509/other-root.pem"));
  ASSERT_THAT(anchors, IsOk());
  EXPECT_EQ(anchors->size(), 2u);
  EXPECT_THAT(VerifyX5cChain(Chain("leaf.pem"), *anchors, At2030()), IsOk());
  EXPECT_THAT(VerifyX5cChain({X5cEntry("other-leaf.pem")}, *anchors, At2030()), IsOk());
  // Copies share the same set.
  TrustAnchors copy = *anchors;
  EXPECT_EQ(copy.size(), 2u);
  EXPECT_THAT(VerifyX5cChain(Chain("leaf-ed25519.pem"), copy, At2030()), IsOk());
}

TEST(X509, RefusesAnchorsThatAreNotSelfSignedCas) {
  EXPECT_THAT(LoadTrustAnchorsPem(""), ErrorIs("x5c.invalid_anchor"));
  EXPECT_THAT(LoadTrustAnchorsPem("no certificates here\n"), ErrorIs("x5c.invalid_anchor"));
  EXPECT_THAT(LoadTrustAnchorsPem(ReadVector("x509/leaf.pem")), ErrorIs("x5c.invalid_anchor"));
  EXPECT_THAT(LoadTrustAnchorsPem(ReadVector("x509/intermediate.pem")),
              ErrorIs("x5c.invalid_anchor"));
  // A private key is not a certificate.
  EXPECT_THAT(LoadTrustAnchorsPem(ReadVector("x509/leaf-key.pem")), ErrorIs("x5c.invalid_anchor"));
  // A damaged block after a good one.
  std::string root = ReadVector("x509/root.pem");
  std::string damaged = root;
  damaged[damaged.size() / 2] = '!';
  EXPECT_THAT(LoadTrustAnchorsPem(root + damaged), ErrorIs("x5c.invalid_anchor"));
  // One bad certificate spoils the set.
  EXPECT_THAT(LoadTrustAnchorsPem(root + ReadVector("x509/leaf.pem")),
              ErrorIs("x5c.invalid_anchor"));
  EXPECT_THAT(LoadTrustAnchorsPem(std::string(kMaxTrustAnchorPemBytes + 1, '\n') + root),
              ErrorIs("x5c.invalid_anchor"));
}

}  // namespace
}  // namespace lanyard::crypto
