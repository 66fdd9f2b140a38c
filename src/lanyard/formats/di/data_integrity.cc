#include "lanyard/formats/di/data_integrity.h"

#include <algorithm>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/canonical.h"

namespace lanyard::formats::di {
namespace {

constexpr std::string_view kProof = "proof";
constexpr std::string_view kContext = "@context";

// Canonical form of `object` leaving out member `skip`, and with `context_override` (when not
// null) standing in for its @context. Avoids copying the document on the verification hot path.
Status CanonicalizeWithout(const json::Object& object, std::string_view skip,
                           const json::Value* context_override, std::string* out) {
  std::vector<const json::Member*> members;
  members.reserve(object.size());
  json::Member replaced;
  for (const auto& m : object) {
    if (m.first == skip) continue;
    if (context_override != nullptr && m.first == kContext) continue;
    members.push_back(&m);
  }
  if (context_override != nullptr) {
    replaced = json::Member(std::string(kContext), *context_override);
    members.push_back(&replaced);
  }
  return json::CanonicalizeObjectTo(members, out);
}

Bytes CombineHashes(std::string_view canonical_config, std::string_view canonical_document) {
  Bytes out(64);
  crypto::Sha256Digest a = crypto::Sha256(AsBytes(canonical_config));
  crypto::Sha256Digest b = crypto::Sha256(AsBytes(canonical_document));
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + 32);
  return out;
}

std::string SecondsPrecision(TimePoint t) {
  return FormatRfc3339(std::chrono::floor<std::chrono::seconds>(t));
}

// Views a JSON-LD @context value (a string or an array) as a list.
std::vector<const json::Value*> ContextEntries(const json::Value& context) {
  std::vector<const json::Value*> out;
  if (context.is_array()) {
    for (const auto& v : context.as_array()) out.push_back(&v);
  } else {
    out.push_back(&context);
  }
  return out;
}

class ProofVerifier {
 public:
  ProofVerifier(const json::Value& document, const did::Resolver& resolver,
                const ProofExpectations& expectations, verify::VerificationReport* report)
      : document_(document), resolver_(resolver), expect_(expectations), report_(report) {}

  // Returns whether every check of this proof passed; fills *verified on success.
  bool Verify(const json::Value& proof, const std::string& subject, VerifiedProof* verified) {
    subject_ = subject;
    if (!proof.is_object()) return Fail("proof.malformed", "The proof is not a JSON object.");
    const std::string* type = proof.FindString("type");
    if (type == nullptr || *type != "DataIntegrityProof") {
      return Fail("proof.malformed", "The proof's type is not DataIntegrityProof.");
    }
    const std::string* suite_name = proof.FindString("cryptosuite");
    if (suite_name == nullptr) return Fail("proof.malformed", "The proof names no cryptosuite.");
    auto suite = ParseCryptosuite(*suite_name);
    if (!suite.ok()) return Fail("proof.unknown_cryptosuite", suite.error().message);
    if (proof.Find("previousProof") != nullptr) {
      return Fail("proof.chain_unsupported",
                  "The proof is part of a proof chain (previousProof), which Lanyard does not "
                  "accept.");
    }

    bool ok = true;
    const std::string* purpose = proof.FindString("proofPurpose");
    if (purpose == nullptr || *purpose != expect_.proof_purpose) {
      ok = Fail("proof.purpose_mismatch",
                "The proof was made for \"" + (purpose ? purpose->substr(0, 64) : "nothing") +
                    "\", but " + expect_.proof_purpose + " is required here.");
    } else {
      Pass("proof.purpose_matches", "The proof was made for " + *purpose + ".");
    }
    ok = CheckTimes(proof) && ok;
    ok = CheckBinding(proof, "challenge", expect_.challenge) && ok;
    ok = CheckBinding(proof, "domain", expect_.domain) && ok;

    const std::string* method_url = proof.FindString("verificationMethod");
    if (method_url == nullptr) {
      return Fail("proof.malformed", "The proof names no verificationMethod.");
    }
    auto method = did::DereferenceMethod(resolver_, *method_url, expect_.proof_purpose);
    if (!method.ok()) {
      const std::string& reason = method.error().reason;
      return Fail(reason == "did.relationship_not_authorised" ? "proof.method_not_authorised"
                                                              : "proof.method_unresolvable",
                  "The signing key could not be used: " + method.error().message + ".");
    }
    if (method->key.type() != SuiteKeyType(*suite)) {
      return Fail("proof.key_type_mismatch",
                  "The key is " + std::string(crypto::KeyTypeName(method->key.type())) + ", but " +
                      std::string(CryptosuiteName(*suite)) + " needs " +
                      std::string(crypto::KeyTypeName(SuiteKeyType(*suite))) + ".");
    }

    // Decode the signature before any hashing: a malformed one is refused cheaply.
    const std::string* proof_value = proof.FindString("proofValue");
    if (proof_value == nullptr || proof_value->empty() || (*proof_value)[0] != 'z') {
      return Fail("proof.invalid_encoding",
                  "The proofValue is missing or is not multibase base58btc (starting with 'z').");
    }
    auto signature = MultibaseDecode(*proof_value);
    if (!signature.ok()) {
      return Fail("proof.invalid_encoding", "The proofValue is not valid base58btc.");
    }
    if (signature->size() != 64) {
      std::string hint = (*suite == Cryptosuite::kEcdsaJcs2019 && signature->size() >= 8 &&
                          (*signature)[0] == 0x30)
                             ? " It looks DER-encoded; these suites use the raw r||s form."
                             : "";
      return Fail("signature.malformed", "The signature is " + std::to_string(signature->size()) +
                                             " bytes; " + std::string(CryptosuiteName(*suite)) +
                                             " signatures are 64 bytes." + hint);
    }

    // The proof's @context must lead the document's; the document is then hashed with it.
    const json::Value* proof_context = proof.Find(kContext);
    if (proof_context != nullptr) {
      const json::Value* doc_context = document_.Find(kContext);
      auto want = ContextEntries(*proof_context);
      std::vector<const json::Value*> have;
      if (doc_context != nullptr) have = ContextEntries(*doc_context);
      bool prefix = have.size() >= want.size();
      for (size_t i = 0; prefix && i < want.size(); ++i) prefix = *have[i] == *want[i];
      if (!prefix) {
        return Fail("proof.context_mismatch",
                    "The document's @context does not begin with the proof's @context.");
      }
    }

    std::string canonical_config, canonical_document;
    Status s = CanonicalizeWithout(proof.as_object(), "proofValue", nullptr, &canonical_config);
    if (s.ok()) {
      s = CanonicalizeWithout(document_.as_object(), kProof, proof_context, &canonical_document);
    }
    if (!s.ok())
      return Fail("proof.malformed", "The document cannot be canonicalised: " + s.error().message);
    Bytes hash = CombineHashes(canonical_config, canonical_document);
    if (!method->key.Verify(hash, *signature)) {
      return Fail("signature.invalid",
                  "The signature does not match the credential: it was altered after signing or "
                  "signed by another key.");
    }
    Pass("signature.valid", "The " + std::string(CryptosuiteName(*suite)) +
                                " signature is valid for key " + *method_url + ".");
    if (ok) *verified = {*method_url, method->controller};
    return ok;
  }

 private:
  bool Fail(std::string code, std::string message) {
    report_->Fail(std::move(code), std::move(message), subject_);
    return false;
  }
  void Pass(std::string code, std::string message) {
    report_->Pass(std::move(code), std::move(message), subject_);
  }

  bool CheckTimes(const json::Value& proof) {
    for (const char* field : {"created", "expires"}) {
      const json::Value* v = proof.Find(field);
      if (v == nullptr) continue;
      auto t = vc::DateTimeValue(*v);
      if (!t.ok()) {
        return Fail("proof.malformed",
                    std::string("The proof's ") + field + " is not an RFC 3339 date-time.");
      }
      if (std::string_view(field) == "expires" && *t < expect_.now) {
        return Fail("proof.expired", "The proof expired at " + FormatRfc3339(*t) + ".");
      }
    }
    return true;
  }

  bool CheckBinding(const json::Value& proof, const char* field,
                    const std::optional<std::string>& expected) {
    if (!expected) return true;
    const std::string* actual = proof.FindString(field);
    std::string code = std::string("proof.") + field;
    if (actual == nullptr || *actual != *expected) {
      return Fail(code + "_mismatch", std::string("The proof's ") + field +
                                          " does not match the one this verifier asked for.");
    }
    Pass(code + "_matches", std::string("The proof's ") + field + " matches.");
    return true;
  }

  const json::Value& document_;
  const did::Resolver& resolver_;
  const ProofExpectations& expect_;
  verify::VerificationReport* report_;
  std::string subject_;
};

}  // namespace

std::string_view CryptosuiteName(Cryptosuite suite) {
  return suite == Cryptosuite::kEddsaJcs2022 ? "eddsa-jcs-2022" : "ecdsa-jcs-2019";
}

Result<Cryptosuite> ParseCryptosuite(std::string_view name) {
  if (name == "eddsa-jcs-2022") return Cryptosuite::kEddsaJcs2022;
  if (name == "ecdsa-jcs-2019") return Cryptosuite::kEcdsaJcs2019;
  return MakeError(Code::kInvalidArgument, "proof.unknown_cryptosuite",
                   "the cryptosuite \"" + std::string(name.substr(0, 64)) +
                       "\" is not supported (eddsa-jcs-2022 and ecdsa-jcs-2019 are)");
}

crypto::KeyType SuiteKeyType(Cryptosuite suite) {
  return suite == Cryptosuite::kEddsaJcs2022 ? crypto::KeyType::kEd25519 : crypto::KeyType::kP256;
}

Result<json::Value> MakeProofConfig(const json::Value& document, const ProofOptions& options) {
  if (!document.is_object()) {
    return MakeError(Code::kInvalidArgument, "proof.document_not_object",
                     "only a JSON object can be signed");
  }
  json::Object config;
  config.emplace_back("type", "DataIntegrityProof");
  config.emplace_back("cryptosuite", std::string(CryptosuiteName(options.suite)));
  config.emplace_back("created", SecondsPrecision(options.created));
  if (options.expires) config.emplace_back("expires", SecondsPrecision(*options.expires));
  config.emplace_back("verificationMethod", options.verification_method);
  config.emplace_back("proofPurpose", options.proof_purpose);
  if (options.challenge) config.emplace_back("challenge", *options.challenge);
  if (options.domain) config.emplace_back("domain", *options.domain);
  if (const json::Value* context = document.Find(kContext)) {
    config.emplace_back(std::string(kContext), *context);
  }
  return json::Value(std::move(config));
}

Result<Bytes> HashData(const json::Value& proof_config, const json::Value& document) {
  if (!proof_config.is_object() || !document.is_object()) {
    return MakeError(Code::kInvalidArgument, "proof.document_not_object",
                     "the proof configuration and the document must be JSON objects");
  }
  std::string canonical_config, canonical_document;
  LANYARD_TRY(
      CanonicalizeWithout(proof_config.as_object(), "proofValue", nullptr, &canonical_config));
  LANYARD_TRY(CanonicalizeWithout(document.as_object(), kProof, nullptr, &canonical_document));
  return CombineHashes(canonical_config, canonical_document);
}

Result<json::Value> AddProof(json::Value document, const ProofOptions& options,
                             const crypto::Signer& signer) {
  if (signer.type() != SuiteKeyType(options.suite)) {
    return MakeError(Code::kInvalidArgument, "proof.key_type_mismatch",
                     std::string(CryptosuiteName(options.suite)) + " needs a " +
                         std::string(crypto::KeyTypeName(SuiteKeyType(options.suite))) + " key");
  }
  LANYARD_ASSIGN_OR_RETURN(json::Value config, MakeProofConfig(document, options));
  LANYARD_ASSIGN_OR_RETURN(Bytes hash, HashData(config, document));
  LANYARD_ASSIGN_OR_RETURN(Bytes signature, signer.Sign(hash));
  config.as_object().emplace_back("proofValue", MultibaseEncode(Multibase::kBase58btc, signature));

  json::Value* existing = document.Find(kProof);
  if (existing == nullptr) {
    document.as_object().emplace_back(std::string(kProof), std::move(config));
  } else if (existing->is_array()) {
    existing->as_array().push_back(std::move(config));
  } else {
    json::Array set;
    set.push_back(std::move(*existing));
    set.push_back(std::move(config));
    *existing = json::Value(std::move(set));
  }
  return document;
}

std::vector<VerifiedProof> VerifyProofs(const json::Value& document, const did::Resolver& resolver,
                                        const ProofExpectations& expectations,
                                        verify::VerificationReport* report) {
  std::vector<VerifiedProof> verified;
  const json::Value* proof = document.Find(kProof);
  if (proof == nullptr) {
    report->Fail("proof.missing", "The document carries no proof, so nothing vouches for it.",
                 "proof");
    return verified;
  }
  ProofVerifier verifier(document, resolver, expectations, report);
  if (!proof->is_array()) {
    VerifiedProof one;
    if (verifier.Verify(*proof, "proof", &one)) verified.push_back(std::move(one));
    return verified;
  }
  const json::Array& set = proof->as_array();
  if (set.empty()) {
    report->Fail("proof.missing", "The document's proof set is empty.", "proof");
    return verified;
  }
  for (size_t i = 0; i < set.size(); ++i) {
    VerifiedProof one;
    if (verifier.Verify(set[i], "proof[" + std::to_string(i) + "]", &one)) {
      verified.push_back(std::move(one));
    }
  }
  return verified;
}

}  // namespace lanyard::formats::di
