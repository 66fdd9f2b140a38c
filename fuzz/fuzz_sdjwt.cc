// Fuzzes SD-JWT verification (splitting, disclosures, digest processing, key binding) and the
// format detection in front of it. The issuer key is fixed, so inputs that pass the signature
// are rare; the digest and disclosure rules are reached through the seed corpus, whose tokens
// are signed by the RFC 9901 example key.
#include <cstdlib>
#include <string_view>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/formats/sdjwt/sd_jwt.h"
#include "lanyard/json/parser.h"
#include "lanyard/verify/verifier.h"

namespace {

// The RFC 9901 example issuer key (public part).
const char kIssuerJwk[] =
    R"({"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",)"
    R"("y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto key =
      lanyard::crypto::PublicKeyFromJwk(lanyard::json::Parse(kIssuerJwk).value()).value();
  lanyard::formats::sdjwt::VerifyOptions options;
  options.now = lanyard::FromUnixSeconds(1748537244);
  options.nonce = "1234567890";
  lanyard::verify::VerificationReport report;
  auto result = lanyard::formats::sdjwt::VerifySdJwt(
      text,
      [](const lanyard::json::Value&, const lanyard::json::Value&)
          -> lanyard::Result<lanyard::crypto::PublicKey> { return key; },
      options, &report);
  if (report.checks().empty()) std::abort();                          // every outcome is explained
  if (result && result->claims.Find("_sd") != nullptr) std::abort();  // digests all processed

  static auto resolver = lanyard::did::NewOfflineResolver();
  lanyard::verify::VerifyOptions verify_options;
  verify_options.now = options.now;
  auto any = lanyard::verify::VerifyDocumentText(text, *resolver, verify_options);
  if (any.checks().empty()) std::abort();
  return 0;
}
