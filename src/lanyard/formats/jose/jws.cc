#include "lanyard/formats/jose/jws.h"

#include "lanyard/core/encoding.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::formats::jose {
namespace {

Error Malformed(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "jws.malformed", "the JWS is malformed: " + why);
}

// JOSE headers are small; a deep or large header is hostile.
json::ParseOptions HeaderParseOptions() {
  json::ParseOptions options;
  options.max_bytes = 64 * 1024;
  options.max_depth = 16;
  return options;
}

}  // namespace

std::string_view AlgorithmName(Algorithm alg) {
  switch (alg) {
    case Algorithm::kEdDSA:
      return "EdDSA";
    case Algorithm::kES256:
      return "ES256";
    case Algorithm::kES256K:
      return "ES256K";
  }
  return "unknown";
}

crypto::KeyType AlgorithmKeyType(Algorithm alg) {
  switch (alg) {
    case Algorithm::kEdDSA:
      return crypto::KeyType::kEd25519;
    case Algorithm::kES256:
      return crypto::KeyType::kP256;
    case Algorithm::kES256K:
      return crypto::KeyType::kSecp256k1;
  }
  return crypto::KeyType::kEd25519;
}

Result<Algorithm> SigningAlgorithm(crypto::KeyType type) {
  if (type == crypto::KeyType::kEd25519) return Algorithm::kEdDSA;
  if (type == crypto::KeyType::kP256) return Algorithm::kES256;
  return MakeError(Code::kInvalidArgument, "jws.alg_unsupported",
                   "Lanyard does not sign with secp256k1 (ES256K is accepted for verification "
                   "of VC-JWT 1.1 only)");
}

Result<CompactJws> ParseCompactJws(std::string_view token, size_t max_bytes,
                                   AlgorithmSet accepted) {
  if (token.size() > max_bytes) {
    return MakeError(Code::kResourceExhausted, "jws.too_large",
                     "the JWS is " + std::to_string(token.size()) +
                         " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Malformed("a compact JWS has exactly three dot-separated parts");
  }
  auto header_bytes = Base64UrlDecode(token.substr(0, first));
  auto payload_bytes = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  auto signature = Base64UrlDecode(token.substr(second + 1));
  if (!header_bytes.ok() || !payload_bytes.ok() || !signature.ok()) {
    return Malformed("a part is not base64url");
  }
  auto header = json::Parse(AsChars(*header_bytes), HeaderParseOptions());
  if (!header.ok() || !header->is_object()) return Malformed("the header is not a JSON object");
  const std::string* alg = header->FindString("alg");
  if (alg == nullptr) return Malformed("the header has no \"alg\"");
  CompactJws jws;
  if (*alg == "EdDSA") {
    jws.alg = Algorithm::kEdDSA;
  } else if (*alg == "ES256") {
    jws.alg = Algorithm::kES256;
  } else if (*alg == "ES256K" && accepted == AlgorithmSet::kWithEs256k) {
    jws.alg = Algorithm::kES256K;
  } else if (*alg == "none") {
    return MakeError(Code::kInvalidArgument, "jws.alg_none",
                     "the token is unsigned (\"alg\":\"none\")");
  } else if (alg->rfind("HS", 0) == 0) {
    return MakeError(Code::kInvalidArgument, "jws.alg_symmetric",
                     "symmetric algorithms (" + alg->substr(0, 16) + ") are never accepted");
  } else {
    return MakeError(Code::kInvalidArgument, "jws.alg_unsupported",
                     "the algorithm \"" + alg->substr(0, 16) +
                         "\" is not supported (EdDSA, ES256 and ES256K are)");
  }
  if (header->Find("crit") != nullptr) {
    return MakeError(Code::kInvalidArgument, "jws.crit_unsupported",
                     "the header lists critical extensions (\"crit\"), which Lanyard does not "
                     "understand");
  }
  jws.signing_input = std::string(token.substr(0, second));
  jws.header = std::move(header).value();
  jws.payload = std::string(AsChars(*payload_bytes));
  jws.signature = std::move(signature).value();
  return jws;
}

Result<json::Value> ParseJsonPayload(const CompactJws& jws) {
  LANYARD_ASSIGN_OR_RETURN(json::Value payload, json::Parse(jws.payload));
  if (!payload.is_object()) return Malformed("the payload is not a JSON object");
  return payload;
}

Status VerifyJwsSignature(const CompactJws& jws, const crypto::PublicKey& key) {
  if (key.type() != AlgorithmKeyType(jws.alg)) {
    return MakeError(Code::kInvalidArgument, "jws.key_alg_mismatch",
                     "the header says " + std::string(AlgorithmName(jws.alg)) + " but the key is " +
                         std::string(crypto::KeyTypeName(key.type())));
  }
  if (!key.Verify(AsBytes(jws.signing_input), jws.signature)) {
    return MakeError(Code::kInvalidArgument, "signature.invalid",
                     "the JWS signature does not verify");
  }
  return OkStatus();
}

Result<std::string> SignCompactJws(const json::Value& header, std::string_view payload,
                                   const crypto::Signer& signer) {
  LANYARD_ASSIGN_OR_RETURN(Algorithm alg, SigningAlgorithm(signer.type()));
  json::Object members;
  members.reserve(header.as_object().size() + 1);
  members.emplace_back("alg", std::string(AlgorithmName(alg)));
  for (const auto& m : header.as_object()) {
    if (m.first != "alg") members.push_back(m);
  }
  std::string input = Base64UrlEncode(AsBytes(json::Serialize(json::Value(std::move(members)))));
  input += '.';
  input += Base64UrlEncode(AsBytes(payload));
  LANYARD_ASSIGN_OR_RETURN(Bytes signature, signer.Sign(AsBytes(input)));
  input += '.';
  input += Base64UrlEncode(signature);
  return input;
}

}  // namespace lanyard::formats::jose
