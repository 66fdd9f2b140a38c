#include "lanyard/formats/vcjwt/vc_jwt.h"

#include <string>

#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/jose/jwt.h"
#include "lanyard/formats/jose/token_text.h"
#include "lanyard/formats/vc/data_model.h"

namespace lanyard::formats::vcjwt {
namespace {

constexpr const char* kSubject = "vc-jwt";


// VC 1.1 dates inside "vc": an issuer may set them without the JWT's exp/nbf, and a credential
// past its expirationDate is expired whatever the JWT claims say.
void CheckVcDates(const json::Value& vc, TimePoint now, verify::VerificationReport* report) {
  for (const char* field : {"issuanceDate", "expirationDate"}) {
    const json::Value* v = vc.Find(field);
    if (v == nullptr) continue;
    auto t = vc::DateTimeValue(*v);
    if (!t.ok()) {
      report->Fail("validity.malformed", std::string("vc.") + field + " is not a date-time.",
                   kSubject);
    } else if (std::string_view(field) == "expirationDate" && now > *t) {
      report->Fail("validity.expired",
                   "The credential expired at " + FormatRfc3339(*t) + " (vc.expirationDate).",
                   kSubject);
    } else if (std::string_view(field) == "issuanceDate" && now < *t) {
      report->Fail("validity.not_yet_valid",
                   "The credential is not valid until " + FormatRfc3339(*t) + " (vc.issuanceDate).",
                   kSubject);
    }
  }
}

}  // namespace

std::optional<VerifiedVcJwt> VerifyVcJwt(std::string_view token, const did::Resolver& resolver,
                                         const VerifyOptions& options,
                                         verify::VerificationReport* report) {
  auto fail = [&](const std::string& code, const std::string& message) {
    report->Fail(code, message, kSubject);
    return std::nullopt;
  };
  token = jose::TrimToken(token);
  auto jws =
      jose::ParseCompactJws(token, jose::kDefaultMaxJwsBytes, jose::AlgorithmSet::kWithEs256k);
  if (!jws.ok()) return fail(jws.error().reason, jws.error().message + ".");
  auto claims = jose::ParseJsonPayload(*jws);
  if (!claims.ok()) return fail(claims.error().reason, claims.error().message + ".");
  const std::string* iss = claims->FindString("iss");
  const json::Value* vc = claims->Find("vc");
  if (iss == nullptr || vc == nullptr || !vc->is_object()) {
    return fail("vcjwt.malformed", "A VC-JWT needs an iss claim and a vc object.");
  }
  const std::string* kid = jws->header.FindString("kid");
  if (kid == nullptr) return fail("vcjwt.kid_not_of_issuer", "The header names no key (kid).");
  // Entra writes kid as a full DID URL; a bare fragment is relative to iss.
  std::string method = (*kid)[0] == '#' ? *iss + *kid : *kid;
  if (method.rfind(*iss + "#", 0) != 0) {
    return fail("vcjwt.kid_not_of_issuer", "The signing key " + method.substr(0, 120) +
                                               " does not belong to the issuer " +
                                               iss->substr(0, 120) + ".");
  }
  auto key = did::DereferenceMethod(resolver, method, "assertionMethod");
  if (!key.ok()) {
    return fail(key.error().reason == "did.relationship_not_authorised"
                    ? "proof.method_not_authorised"
                    : "proof.method_unresolvable",
                "The signing key could not be used: " + key.error().message + ".");
  }
  Status signature = jose::VerifyJwsSignature(*jws, key->key);
  if (!signature.ok()) {
    return fail(signature.error().reason,
                signature.error().reason == "signature.invalid"
                    ? "The signature does not match: the token was altered or signed by another "
                      "key."
                    : signature.error().message + ".");
  }
  report->Pass("signature.valid",
               "The " + std::string(jose::AlgorithmName(jws->alg)) +
                   " signature is valid for key " + method + ".",
               kSubject);
  report->Pass("issuer.is_signer", "The issuer " + *iss + " signed it.", kSubject);
  jose::CheckTimeClaims(*claims, {options.now, options.skew, false}, kSubject, report);

  const json::Value* context = vc->Find("@context");
  const json::Value* first =
      context != nullptr && context->is_array() && !context->as_array().empty()
          ? &context->as_array().front()
          : context;
  if (first == nullptr || !first->is_string() || first->as_string() != kCredentialsV1Context) {
    report->Fail("context.invalid",
                 "The first @context entry must be " + std::string(kCredentialsV1Context) + ".",
                 kSubject);
  }
  if (!json::IsOrContainsString(vc->Find("type"), "VerifiableCredential")) {
    report->Fail("type.invalid", "The type must include VerifiableCredential.", kSubject);
  }
  const json::Value* subject = vc->Find("credentialSubject");
  if (subject == nullptr || (!subject->is_object() && !subject->is_array())) {
    report->Fail("subject.missing", "The credential has no credentialSubject.", kSubject);
  }
  const json::Value* vc_issuer = vc->Find("issuer");
  if (vc_issuer != nullptr) {
    const std::string* id =
        vc_issuer->is_string() ? &vc_issuer->as_string() : vc_issuer->FindString("id");
    if (id == nullptr || *id != *iss) {
      report->Fail("vcjwt.claim_mismatch", "vc.issuer does not match iss.", kSubject);
    }
  }
  const std::string* sub = claims->FindString("sub");
  if (sub != nullptr && subject != nullptr && subject->is_object()) {
    const std::string* id = subject->FindString("id");
    if (id != nullptr && *id != *sub) {
      report->Fail("vcjwt.claim_mismatch", "credentialSubject.id does not match sub.", kSubject);
    }
  }
  CheckVcDates(*vc, options.now, report);
  return VerifiedVcJwt{std::move(claims).value(), std::move(method)};
}

}  // namespace lanyard::formats::vcjwt
