#include "lanyard/formats/sdjwt/sd_jwt.h"

#include <gtest/gtest.h>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"
#include "lanyard/testing/report.h"
#include "lanyard/testing/test_data.h"

namespace lanyard::formats::sdjwt {
namespace {

using testing::ErrorIs;
using testing::IsOk;
using testing::ReadJsonVector;
using testing::ReadVector;

const char kDir[] = "sd-jwt/rfc9901-section5-simple/";

using testing::FailedCodes;

std::string Canonical(const json::Value& v) { return json::Canonicalize(v).value(); }

IssuerKeyLookup FixedKey(crypto::PublicKey key) {
  return [key](const json::Value&, const json::Value&) -> Result<crypto::PublicKey> { return key; };
}

// ----- RFC 9901 §5: the published example, verified at every step.

class Rfc9901Example : public ::testing::Test {
 protected:
  void SetUp() override {
    issuer_ = crypto::PublicKeyFromJwk(ReadJsonVector("sd-jwt/issuer-key.jwk.json")).value();
    expected_ = ReadJsonVector(std::string(kDir) + "expected.json");
    options_.now = FromUnixSeconds(1748537244 + 5);
  }

  verify::VerificationReport Verify(const std::string& text) {
    verify::VerificationReport report;
    result_ = VerifySdJwt(text, FixedKey(issuer_), options_, &report);
    return report;
  }

  crypto::PublicKey issuer_ =
      crypto::PrivateKey::Generate(crypto::KeyType::kP256).value().public_key();
  json::Value expected_;
  VerifyOptions options_;
  std::optional<VerifiedSdJwt> result_;
};

TEST_F(Rfc9901Example, DisclosureDigestsMatchThePublishedOnes) {
  json::Value list = ReadJsonVector(std::string(kDir) + "disclosures.json");
  ASSERT_EQ(list.as_array().size(), 10u);
  for (const auto& d : list.as_array()) {
    auto parsed = ParseDisclosure(*d.FindString("disclosure"));
    ASSERT_THAT(parsed, IsOk());
    EXPECT_EQ(parsed->digest, *d.FindString("sha256_b64url"));
  }
}

TEST_F(Rfc9901Example, IssuanceVerifiesWithEveryClaimDisclosed) {
  auto report = Verify(ReadVector(std::string(kDir) + "sd-jwt-issuance.txt"));
  EXPECT_TRUE(report.verified()) << report.ToText();
  ASSERT_TRUE(result_.has_value());
  json::Value want = *expected_.Find("user_claims_input");
  for (const auto& [name, value] : want.as_object()) {
    const json::Value* got = result_->claims.Find(name);
    ASSERT_NE(got, nullptr) << name;
    EXPECT_EQ(Canonical(*got), Canonical(value)) << name;
  }
  EXPECT_EQ(result_->claims.Find("_sd_alg"), nullptr);
  EXPECT_FALSE(result_->key_bound);
}

TEST_F(Rfc9901Example, KeyBoundPresentationVerifiesAndGivesTheProcessedPayload) {
  options_.nonce = "1234567890";
  options_.audience = "https://verifier.example.org";
  auto report = Verify(ReadVector(std::string(kDir) + "sd-jwt-kb-presentation.txt"));
  EXPECT_TRUE(report.verified()) << report.ToText();
  ASSERT_TRUE(result_.has_value());
  EXPECT_TRUE(result_->key_bound);
  EXPECT_EQ(Canonical(result_->claims),
            Canonical(*expected_.Find("processed_payload_after_presentation")));
}

TEST_F(Rfc9901Example, RefusesAPresentationForAnotherRequestVerifierOrTime) {
  std::string text = ReadVector(std::string(kDir) + "sd-jwt-kb-presentation.txt");
  options_.nonce = "0987654321";
  EXPECT_EQ(FailedCodes(Verify(text)), "sdjwt.kb_nonce_mismatch");
  options_.nonce = "1234567890";
  options_.audience = "https://other-verifier.example.org";
  EXPECT_EQ(FailedCodes(Verify(text)), "sdjwt.kb_audience_mismatch");
  options_.audience = "https://verifier.example.org";
  options_.now = FromUnixSeconds(1748537244 + 3600);
  EXPECT_EQ(FailedCodes(Verify(text)), "sdjwt.kb_too_old");
  options_.now = FromUnixSeconds(1748537244 - 3600);
  EXPECT_EQ(FailedCodes(Verify(text)), "sdjwt.kb_from_future");
}

TEST_F(Rfc9901Example, RefusesDroppedReorderedOrRepeatedDisclosures) {
  std::string text = ReadVector(std::string(kDir) + "sd-jwt-kb-presentation.txt");
  size_t first = text.find('~'), second = text.find('~', first + 1);
  size_t third = text.find('~', second + 1);
  std::string d1 = text.substr(first + 1, second - first - 1);
  std::string d2 = text.substr(second + 1, third - second - 1);
  std::string dropped = text.substr(0, first + 1) + text.substr(second + 1);
  EXPECT_EQ(FailedCodes(Verify(dropped)), "sdjwt.kb_sd_hash_mismatch");
  std::string reordered = text.substr(0, first + 1) + d2 + "~" + d1 + "~" + text.substr(third + 1);
  EXPECT_EQ(FailedCodes(Verify(reordered)), "sdjwt.kb_sd_hash_mismatch");
  std::string repeated = text.substr(0, second + 1) + d1 + "~" + text.substr(second + 1);
  EXPECT_EQ(FailedCodes(Verify(repeated)), "sdjwt.disclosure_repeated");
}

TEST_F(Rfc9901Example, RefusesATamperedIssuerSignatureAndAWrongHolderKey) {
  std::string text = ReadVector(std::string(kDir) + "sd-jwt-issuance.txt");
  std::string tampered = text;
  size_t dot = tampered.rfind('.', tampered.find('~'));
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(FailedCodes(Verify(tampered)), "signature.invalid");

  // The KB-JWT re-signed by someone else's key.
  std::string presentation = ReadVector(std::string(kDir) + "sd-jwt-kb-presentation.txt");
  std::string prefix = presentation.substr(0, presentation.rfind('~') + 1);
  auto thief = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  KeyBindingRequest kb{&thief, "1234567890", "https://verifier.example.org",
                       FromUnixSeconds(1748537244)};
  auto forged = PresentSdJwt(prefix, {}, nullptr);
  ASSERT_THAT(forged, IsOk());
  options_.nonce = "1234567890";
  auto rebound = PresentSdJwt(prefix, {*ParseClaimPath("family_name")}, &kb);
  ASSERT_THAT(rebound, IsOk());
  EXPECT_EQ(FailedCodes(Verify(*rebound)), "sdjwt.kb_signature_invalid");
}

TEST_F(Rfc9901Example, RequiresKeyBindingOnlyWhenAsked) {
  std::string text = ReadVector(std::string(kDir) + "sd-jwt-issuance.txt");
  EXPECT_TRUE(Verify(text).verified());
  options_.nonce = "1234567890";
  EXPECT_EQ(FailedCodes(Verify(text)), "sdjwt.kb_missing");
}

// ----- Issue, present and verify with Lanyard's own keys.

constexpr std::string_view kNeverDisclosable[] = {"iss", "nbf", "exp", "cnf", "vct", "status"};

class SdJwtRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    payload_ = json::Parse(R"({
      "iss": "https://trust.example", "vct": "https://lanyard.example/vct/staff-passport",
      "iat": 1785920400, "exp": 1817456400,
      "given_name": "Amara", "birthdate": "1990-04-01",
      "address": {"street_address": "1 Hospital Road", "locality": "Leeds"},
      "dbs": {"level": "enhanced", "barred_lists": ["adults", "children"]},
      "roles": ["Registered Nurse", "Ward Sister"]
    })")
                   .value();
    options_.now = FromUnixSeconds(1785920400 + 100);
    issue_.holder_key = holder_.public_key();
    issue_.never_disclosable = kNeverDisclosable;
  }

  std::string Issue(const std::vector<std::string>& paths) {
    paths_.clear();
    for (const auto& p : paths) paths_.push_back(ParseClaimPath(p).value());
    issue_.disclosable = paths_;
    auto out = IssueSdJwt(payload_, issue_, issuer_);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : "";
  }

  std::string Present(const std::string& sd_jwt, const std::vector<std::string>& paths,
                      bool bind = true) {
    std::vector<ClaimPath> reveal;
    for (const auto& p : paths) reveal.push_back(ParseClaimPath(p).value());
    KeyBindingRequest kb{&holder_, "n-123", "https://receiving.example", options_.now};
    auto out = PresentSdJwt(sd_jwt, reveal, bind ? &kb : nullptr);
    EXPECT_THAT(out, IsOk());
    return out.ok() ? *out : "";
  }

  verify::VerificationReport Verify(const std::string& text) {
    verify::VerificationReport report;
    result_ = VerifySdJwt(text, FixedKey(issuer_.public_key()), options_, &report);
    return report;
  }

  crypto::PrivateKey issuer_ = crypto::PrivateKey::Generate(crypto::KeyType::kP256).value();
  crypto::PrivateKey holder_ = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  json::Value payload_;
  std::vector<ClaimPath> paths_;
  IssueOptions issue_;
  VerifyOptions options_;
  std::optional<VerifiedSdJwt> result_;
};

TEST_F(SdJwtRoundTrip, RevealsOnlyWhatTheHolderChooses) {
  std::string issued = Issue({"given_name", "birthdate", "address", "address.street_address",
                              "dbs.level", "dbs.barred_lists[1]", "roles[0]"});
  options_.nonce = "n-123";
  options_.audience = "https://receiving.example";
  auto report = Verify(Present(issued, {"dbs.level", "address.locality", "roles[0]"}));
  EXPECT_TRUE(report.verified()) << report.ToText();
  ASSERT_TRUE(result_.has_value());
  EXPECT_EQ(
      json::Serialize(result_->claims),
      R"({"iss":"https://trust.example","vct":"https://lanyard.example/vct/staff-passport",)"
      R"("iat":1785920400,"exp":1817456400,"dbs":{"barred_lists":["adults"],"level":"enhanced"},)"
      R"("roles":["Registered Nurse","Ward Sister"],"cnf":{"jwk":)" +
          json::Serialize(crypto::PublicKeyToJwk(holder_.public_key())) +
          R"(},"address":{"locality":"Leeds"}})");
  std::string disclosed;
  for (const auto& p : result_->disclosed) disclosed += p + " ";
  EXPECT_EQ(disclosed, "dbs.level roles[0] address ");
}

TEST_F(SdJwtRoundTrip, RecursiveDisclosureRevealsTheWholeObjectWhenAskedFor) {
  issue_.decoys_per_object = 3;
  std::string issued = Issue({"address", "address.street_address", "dbs.barred_lists[0]"});
  auto report = Verify(Present(issued, {"address", "dbs"}, /*bind=*/false));
  EXPECT_TRUE(report.verified()) << report.ToText();
  EXPECT_EQ(json::Serialize(*result_->claims.Find("address")),
            R"({"locality":"Leeds","street_address":"1 Hospital Road"})");
  EXPECT_EQ(json::Serialize(*result_->claims.Find("dbs")),
            R"({"level":"enhanced","barred_lists":["adults","children"]})");
}

TEST_F(SdJwtRoundTrip, RefusesToMakeReservedOrMissingClaimsDisclosable) {
  paths_ = {ParseClaimPath("vct").value()};
  issue_.disclosable = paths_;
  EXPECT_THAT(IssueSdJwt(payload_, issue_, issuer_), ErrorIs("sdjwt.claim_not_disclosable"));
  paths_ = {ParseClaimPath("dbs.update_service").value()};
  issue_.disclosable = paths_;
  EXPECT_THAT(IssueSdJwt(payload_, issue_, issuer_), ErrorIs("sdjwt.path_not_found"));
  paths_ = {ParseClaimPath("roles[7]").value()};
  issue_.disclosable = paths_;
  EXPECT_THAT(IssueSdJwt(payload_, issue_, issuer_), ErrorIs("sdjwt.path_not_found"));
  paths_ = {ParseClaimPath("roles[0]").value(), ParseClaimPath("roles[0]").value()};
  issue_.disclosable = paths_;
  EXPECT_THAT(IssueSdJwt(payload_, issue_, issuer_), ErrorIs("sdjwt.invalid_path"));
  json::Value with_sd = payload_;
  with_sd.Set("_sd", json::Array{});
  issue_.disclosable = {};
  EXPECT_THAT(IssueSdJwt(with_sd, issue_, issuer_), ErrorIs("sdjwt.reserved_claim"));
  EXPECT_THAT(PresentSdJwt(Issue({"birthdate"}), {ParseClaimPath("passport").value()}, nullptr),
              ErrorIs("sdjwt.path_not_found"));
}

TEST_F(SdJwtRoundTrip, RefusesReservedNamesAnywhereInTheIssuedPayload) {
  json::Value smuggled = payload_;
  smuggled.Find("dbs")->Set("_sd", json::Array{json::Value(1)});
  EXPECT_THAT(IssueSdJwt(smuggled, issue_, issuer_), ErrorIs("sdjwt.reserved_claim"));
  json::Value element = payload_;
  element.Find("roles")->as_array().push_back(json::Object{{"...", "digest"}});
  EXPECT_THAT(IssueSdJwt(element, issue_, issuer_), ErrorIs("sdjwt.reserved_claim"));
}

TEST_F(SdJwtRoundTrip, RefusesDisclosuresChainedDeeperThanTheLimit) {
  // Each disclosure is shallow, but each holds the digest of the next: 300 levels in all.
  std::vector<Disclosure> chain;
  std::string next_digest;
  for (int i = 0; i < 300; ++i) {
    json::Value value = next_digest.empty()
                            ? json::Value("bottom")
                            : json::Value(json::Object{{"_sd", json::Array{next_digest}}});
    chain.push_back(MakeDisclosure("s" + std::to_string(i), "level", std::move(value)));
    next_digest = chain.back().digest;
  }
  json::Value top(json::Object{{"_sd", json::Array{next_digest}}});
  std::string token = jose::SignCompactJws(json::Value(json::Object{{"typ", "dc+sd-jwt"}}),
                                           json::Serialize(top), issuer_)
                          .value() +
                      "~";
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) token += it->encoded + "~";
  EXPECT_EQ(FailedCodes(Verify(token)).substr(0, 14), "sdjwt.too_deep");
  std::vector<ClaimPath> reveal = {ParseClaimPath("level").value()};
  EXPECT_THAT(PresentSdJwt(token, reveal, nullptr), ErrorIs("sdjwt.too_deep"));
}

TEST_F(SdJwtRoundTrip, RefusesEs256kAndAcceptsSurroundingWhitespace) {
  auto header = Base64UrlEncode(AsBytes(R"({"alg":"ES256K","typ":"dc+sd-jwt"})"));
  EXPECT_EQ(FailedCodes(Verify(header + "." + Base64UrlEncode(AsBytes("{}")) + ".AAAA~")),
            "jws.alg_unsupported");
  std::string issued = Issue({"given_name"});
  EXPECT_TRUE(Verify("\n  " + issued + "\r\n").verified());
}

TEST_F(SdJwtRoundTrip, ParsesAndPrintsClaimPaths) {
  EXPECT_EQ(FormatClaimPath(ParseClaimPath("a.b[2].c").value()), "a.b[2].c");
  EXPECT_EQ(FormatClaimPath(ParseClaimPath("roles[0]").value()), "roles[0]");
  for (const char* bad : {"", "a..b", "[0]", "a[", "a[x]", "a.", "a]", "a[]", "a[0]b"}) {
    EXPECT_THAT(ParseClaimPath(bad), ErrorIs("sdjwt.invalid_path")) << bad;
  }
}

// Signs a hand-made payload, so the verifier's rules can be tested one at a time.
std::string Craft(const crypto::PrivateKey& issuer, const json::Value& payload,
                  const std::vector<Disclosure>& disclosures) {
  std::string out = jose::SignCompactJws(json::Value(json::Object{{"typ", "dc+sd-jwt"}}),
                                         json::Serialize(payload), issuer)
                        .value() +
                    "~";
  for (const auto& d : disclosures) out += d.encoded + "~";
  return out;
}

TEST_F(SdJwtRoundTrip, EnforcesEveryDigestRule) {
  Disclosure name = MakeDisclosure("s1", std::string("given_name"), "Amara");
  Disclosure element = MakeDisclosure("s2", std::nullopt, "Ward Sister");
  Disclosure reserved = MakeDisclosure("s3", std::string("_sd"), json::Array{});
  Disclosure clash = MakeDisclosure("s4", std::string("iss"), "https://evil.example");
  auto with_sd = [&](json::Array digests) {
    json::Value p(json::Object{{"iss", "https://trust.example"}, {"_sd", std::move(digests)}});
    return p;
  };
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, with_sd({name.digest, name.digest}), {name}))),
            "sdjwt.digest_duplicate");
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, with_sd({}), {name}))),
            "sdjwt.disclosure_unreferenced");
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, with_sd({reserved.digest}), {reserved}))),
            "sdjwt.disclosure_reserved_name");
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, with_sd({clash.digest}), {clash}))),
            "sdjwt.claim_name_clash");
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, with_sd({element.digest}), {element}))),
            "sdjwt.disclosure_wrong_kind");
  json::Value array_payload(
      json::Object{{"roles", json::Array{json::Object{{"...", name.digest}}}}});
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, array_payload, {name}))),
            "sdjwt.disclosure_wrong_kind");
  json::Value sha512 = with_sd({name.digest});
  sha512.Set("_sd_alg", "sha-512");
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, sha512, {name}))), "sdjwt.unsupported_hash");
  json::Value not_strings = with_sd({json::Value(1)});
  EXPECT_EQ(FailedCodes(Verify(Craft(issuer_, not_strings, {}))), "sdjwt.malformed");
  // A digest inside a disclosure that repeats one in the payload.
  Disclosure outer =
      MakeDisclosure("s5", std::string("address"), json::Object{{"_sd", json::Array{name.digest}}});
  EXPECT_EQ(
      FailedCodes(Verify(Craft(issuer_, with_sd({outer.digest, name.digest}), {outer, name}))),
      "sdjwt.digest_duplicate");
}

TEST_F(SdJwtRoundTrip, RefusesHostileAndMalformedTokensCleanly) {
  std::string issued = Issue({"given_name"});
  EXPECT_EQ(FailedCodes(Verify(issued.substr(0, issued.find('~')))), "sdjwt.malformed");
  // Trailing garbage after the last '~' is read as a key-binding JWT, and refused as one.
  EXPECT_EQ(FailedCodes(Verify(issued + "garbage")), "jws.malformed");
  std::string many = issued;
  for (int i = 0; i < 10000; ++i) many += "WyJzIiwgIngiLCAxXQ~";
  EXPECT_EQ(FailedCodes(Verify(many)), "sdjwt.too_many_disclosures");
  std::string huge(20 * 1024 * 1024, 'A');
  EXPECT_EQ(FailedCodes(Verify(huge + "~")), "input.too_large");
  EXPECT_EQ(FailedCodes(Verify(issued + "!!notbase64~")), "sdjwt.disclosure_malformed");
  EXPECT_EQ(FailedCodes(Verify(issued.substr(0, issued.find('~')) + "~~")), "sdjwt.malformed");
  EXPECT_EQ(FailedCodes(Verify("a.b.c~")), "jws.malformed");
}

TEST_F(SdJwtRoundTrip, RefusesUnsafeAlgorithmsAndCriticalHeaders) {
  auto token = [](const std::string& header) {
    return Base64UrlEncode(AsBytes(header)) + "." + Base64UrlEncode(AsBytes("{}")) + ".AAAA~";
  };
  EXPECT_EQ(FailedCodes(Verify(token(R"({"alg":"none"})"))), "jws.alg_none");
  EXPECT_EQ(FailedCodes(Verify(token(R"({"alg":"HS256"})"))), "jws.alg_symmetric");
  EXPECT_EQ(FailedCodes(Verify(token(R"({"alg":"RS256"})"))), "jws.alg_unsupported");
  EXPECT_EQ(FailedCodes(Verify(token(R"({"alg":"ES256","crit":["exp"]})"))),
            "jws.crit_unsupported");
  // An EdDSA header over a P-256 issuer key.
  std::string issued = Issue({"given_name"});
  auto ed = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519).value();
  std::string wrong = Craft(ed, payload_, {});
  EXPECT_EQ(FailedCodes(Verify(wrong)), "jws.key_alg_mismatch");
}

TEST_F(SdJwtRoundTrip, ChecksTheIssuerJwtTimes) {
  std::string issued = Issue({"given_name"});
  options_.now = FromUnixSeconds(1817456400 + 120);
  EXPECT_EQ(FailedCodes(Verify(issued)), "jwt.expired");
  options_.now = FromUnixSeconds(1785920400 - 3600);
  EXPECT_EQ(FailedCodes(Verify(issued)), "jwt.issued_in_future");
}

}  // namespace
}  // namespace lanyard::formats::sdjwt
