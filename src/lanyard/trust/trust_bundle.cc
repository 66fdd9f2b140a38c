#include "lanyard/trust/trust_bundle.h"

#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/parser.h"
#include "lanyard/verify/report.h"

namespace lanyard::trust {
namespace {

constexpr std::string_view kBundleType = "LanyardTrustBundle";

Error BundleInvalid(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "trust.bundle_invalid",
                   "the trust bundle cannot be used: " + why);
}


}  // namespace

Result<json::Value> BuildTrustBundle(const TrustRegistry& registry,
                                     const std::map<std::string, did::DidDocument>& documents,
                                     const crypto::Signer& signer,
                                     const BundleBuildOptions& options) {
  std::string issuer = did::DidKeyFromPublicKey(signer.public_key());
  json::Array docs;
  for (const auto& [id, doc] : documents) docs.push_back(did::DidDocumentToJson(doc));
  json::Value subject = json::Object{};
  subject.Set("id", "urn:lanyard:trust-registry:" + std::to_string(registry.serial()));
  subject.Set("registry", registry.ToJson());
  subject.Set("didDocuments", std::move(docs));
  json::Value bundle = json::Object{};
  bundle.Set("@context", json::Array{"https://www.w3.org/ns/credentials/v2"});
  bundle.Set("type", json::Array{"VerifiableCredential", std::string(kBundleType)});
  bundle.Set("issuer", issuer);
  TimePoint from = std::chrono::time_point_cast<std::chrono::seconds>(options.now);
  bundle.Set("validFrom", FormatRfc3339(from));
  bundle.Set("validUntil", FormatRfc3339(from + options.lifetime));
  bundle.Set("credentialSubject", std::move(subject));
  formats::di::ProofOptions proof;
  proof.suite = signer.type() == crypto::KeyType::kEd25519
                    ? formats::di::Cryptosuite::kEddsaJcs2022
                    : formats::di::Cryptosuite::kEcdsaJcs2019;
  proof.verification_method = did::DidKeyMethodId(signer.public_key());
  proof.created = from;
  return formats::di::AddProof(std::move(bundle), proof, signer);
}

Result<TrustBundle> LoadTrustBundle(std::string_view text, TimePoint now,
                                    const std::optional<std::string>& expected_signer) {
  json::ParseOptions parse;
  parse.max_bytes = 256 * 1024 * 1024;
  parse.max_depth = 32;
  auto doc = json::Parse(text, parse);
  if (!doc.ok()) return BundleInvalid("it is not valid JSON (" + doc.error().reason + ")");
  if (!doc->is_object() || !json::IsOrContainsString(doc->Find("type"), kBundleType)) {
    return BundleInvalid("it is not a LanyardTrustBundle credential");
  }
  const std::string* issuer = doc->FindString("issuer");
  if (issuer == nullptr || issuer->rfind("did:key:", 0) != 0) {
    return BundleInvalid("its issuer must be a did:key");
  }
  // The bundle is checked like any credential (data model, validity period, proof, signer),
  // then refused as a whole if anything failed.
  verify::VerificationReport report;
  formats::vc::CheckCredential(*doc, now, "bundle", &report);
  auto resolver = did::NewOfflineResolver();
  formats::di::ProofExpectations expect;
  expect.now = now;
  auto proofs = formats::di::VerifyProofs(*doc, *resolver, expect, &report);
  bool signed_by_issuer = false;
  for (const auto& p : proofs) {
    signed_by_issuer |= p.controller == *issuer &&
                        p.verification_method.substr(0, p.verification_method.find('#')) == *issuer;
  }
  for (const auto& failure : report.Failures()) {
    if (failure.code.rfind("validity.", 0) == 0) {
      return MakeError(Code::kFailedPrecondition, "trust.bundle_expired",
                       "the trust bundle is not valid now: " + failure.message);
    }
  }
  if (!report.verified() || !signed_by_issuer) {
    std::string why = report.Failures().empty() ? "its issuer did not sign it"
                                                : report.Failures().front().message;
    return BundleInvalid(why);
  }
  if (expected_signer && *expected_signer != *issuer) {
    return MakeError(Code::kPermissionDenied, "trust.bundle_signer_mismatch",
                     "the trust bundle was signed by " + *issuer + ", not by " + *expected_signer);
  }
  const json::Value* subject = doc->Find("credentialSubject");
  const json::Value* registry_json = subject != nullptr ? subject->Find("registry") : nullptr;
  if (registry_json == nullptr) return BundleInvalid("it carries no registry");
  auto registry = TrustRegistry::FromJson(*registry_json);
  if (!registry.ok()) return BundleInvalid(registry.error().message);
  TrustBundle out;
  out.registry = *std::move(registry);
  out.signer = *issuer;
  out.signer_pinned = expected_signer.has_value();
  if (const std::string* until = doc->FindString("validUntil")) {
    if (auto t = ParseRfc3339(*until); t.ok()) out.valid_until = *t;
  }
  if (const json::Value* docs = subject->Find("didDocuments")) {
    if (!docs->is_array()) return BundleInvalid("didDocuments is not a list");
    for (const auto& d : docs->as_array()) {
      auto parsed = did::ParseDidDocument(d, "");
      if (!parsed.ok()) return BundleInvalid(parsed.error().message);
      std::string id = parsed->id;
      out.documents.emplace(std::move(id), *std::move(parsed));
    }
  }
  return out;
}

}  // namespace lanyard::trust
