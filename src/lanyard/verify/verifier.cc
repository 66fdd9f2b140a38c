#include "lanyard/verify/verifier.h"

#include <algorithm>

#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/jose/token_text.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/formats/vcjwt/vc_jwt.h"
#include "lanyard/passport/passport_credential.h"

namespace lanyard::verify {
namespace {

// The DID part of a verification method URL.
std::string_view DidOf(std::string_view method_url) {
  return method_url.substr(0, method_url.find('#'));
}

void CheckSignerBinding(const std::vector<formats::di::VerifiedProof>& proofs,
                        const std::string& party_id, const char* role, const char* code_prefix,
                        VerificationReport* report) {
  std::string prefix(code_prefix);
  for (const auto& p : proofs) {
    if (DidOf(p.verification_method) == party_id && p.controller == party_id) {
      report->Pass(prefix + ".is_signer",
                   std::string("The ") + role + " " + party_id + " signed it with " +
                       p.verification_method + ".",
                   "credential");
      return;
    }
  }
  report->Fail(prefix + ".not_signer",
               std::string("No valid proof was made by a key of the ") + role + " " + party_id +
                   ", so nothing shows that " + party_id + " " +
                   (std::string(role) == "issuer" ? "issued" : "presented") + " it.",
               std::string(role) == "issuer" ? "credential" : "presentation");
}

bool IsPresentation(const json::Value& doc) {
  return json::IsOrContainsString(doc.Find("type"), "VerifiablePresentation");
}

Result<json::Value> ParseInput(std::string_view text, const VerifyOptions& options,
                               VerificationReport* report) {
  auto parsed = json::Parse(text, options.parse);
  if (!parsed.ok()) {
    report->FailUnusable(parsed.error().reason,
                         "The input could not be read: " + parsed.error().message + ".");
    return std::move(parsed).error();
  }
  if (!parsed->is_object()) {
    report->FailUnusable("input.not_object", "The input is JSON but not a JSON object.");
    return MakeError(Code::kInvalidArgument, "input.not_object", "not an object");
  }
  return parsed;
}

// Parses `text` and hands the object to `verify`, or returns the unusable-input report.
template <typename Verify>
VerificationReport ParseThen(std::string_view text, const VerifyOptions& options, Verify verify) {
  VerificationReport report;
  auto doc = ParseInput(text, options, &report);
  if (!doc.ok()) return report;
  return verify(*doc);
}


// What the trust registry is asked about a verified credential.
struct Signing {
  std::string issuer;
  std::vector<std::string> key_ids;  // every key of the issuer's that signed (absolute ids)
  std::vector<std::string> types;
  std::optional<TimePoint> claimed_issued;  // validFrom / iat: the issuer's own word
};

// The registry names a token's key by its kid (a DID URL for a DID issuer, which the SD-JWT VC
// rules require to be absolute); a token without one (an x5c chain, issuer metadata) is known by
// its issuer.
std::string KeyIdOf(const std::string& iss, const std::string* kid) {
  return kid != nullptr ? *kid : iss;
}

std::vector<std::string> CredentialTypes(const json::Value* type) {
  std::vector<std::string> out;
  if (type == nullptr) return out;
  if (type->is_string()) {
    if (type->as_string() != "VerifiableCredential") out.push_back(type->as_string());
  } else if (type->is_array()) {
    for (const auto& t : type->as_array()) {
      if (t.is_string() && t.as_string() != "VerifiableCredential") out.push_back(t.as_string());
    }
  }
  if (out.empty()) out.emplace_back("VerifiableCredential");
  return out;
}

void CheckKey(const trust::Organisation& org, const std::string& key_id, const Signing& signing,
              const std::string& subject, VerificationReport* report) {
  const trust::KeyState* key = nullptr;
  for (const auto& k : org.keys) {
    if (k.id == key_id) key = &k;
  }
  if (key == nullptr || key->status == trust::KeyStatus::kActive) {
    report->Pass("issuer.key_current",
                 "It was signed with " + key_id.substr(0, 200) + ", a current key of " +
                     org.name + ".",
                 subject);
    return;
  }
  std::string since = key->since ? FormatRfc3339(*key->since) : std::string("an unknown date");
  if (key->status == trust::KeyStatus::kCompromised) {
    report->Fail("issuer.key_compromised",
                 "It was signed with " + key_id.substr(0, 200) + ", which " + org.name +
                     " reported compromised on " + since +
                     ". Whoever holds that key can backdate, so nothing it signed is accepted; "
                     "ask the issuer to re-issue.",
                 subject);
    return;
  }
  if (key->since && signing.claimed_issued && *key->since < *signing.claimed_issued) {
    report->Fail("issuer.key_retired",
                 "It was signed with " + key_id.substr(0, 200) + ", which " + org.name +
                     " retired on " + since + ", before the credential says it was issued.",
                 subject);
    return;
  }
  report->Warn("issuer.key_retired",
               "It was signed with " + key_id.substr(0, 200) + ", which " + org.name +
                   " has since retired (" + since +
                   "); credentials it signed before then stay valid until they expire.",
               subject);
}

void CheckTrust(const Signing& signing, const VerifyOptions& options, const std::string& subject,
                VerificationReport* report) {
  if (options.trust == nullptr) {
    std::string message =
        "Trust was not checked: no trust registry was given, so nothing says whether " +
        signing.issuer.substr(0, 200) + " is an NHS organisation allowed to issue this.";
    if (options.require_trust) {
      report->Fail("trust.not_checked", message, subject);
    } else {
      report->Warn("trust.not_checked", message, subject);
    }
    return;
  }
  const trust::TrustRegistry& registry = *options.trust;
  const trust::Organisation* org = registry.FindByIdentifier(signing.issuer);
  if (org == nullptr) {
    report->Fail("issuer.untrusted",
                 "The issuer " + signing.issuer.substr(0, 200) +
                     " is not an organisation in the trust registry (serial " +
                     std::to_string(registry.serial()) + ").",
                 subject);
    return;
  }
  report->Pass("issuer.trusted",
               "The issuer is " + org->name + " (ODS " + org->ods + ") in the trust registry.",
               subject);
  // Authority is judged at the time the issuer says it issued; a compromised key is judged below
  // without trusting that date.
  TimePoint at = signing.claimed_issued.value_or(options.now);
  for (const auto& type : signing.types) {
    if (registry.MayIssue(signing.issuer, type, at) == trust::Authority::kAuthorised) {
      report->Pass("issuer.authorised_for_type",
                   org->name + " is authorised to issue " + type + ".", subject);
    } else {
      report->Fail("issuer.not_authorised_for_type",
                   org->name + " (ODS " + org->ods + ") is not authorised to issue " +
                       type.substr(0, 120) + " at " + FormatRfc3339(at) + ".",
                   subject);
    }
  }
  // Every key of the issuer's that signed is looked up: one compromised key among several proofs
  // still invalidates the credential.
  for (const auto& key_id : signing.key_ids) CheckKey(*org, key_id, signing, subject, report);
}

// Every credentialStatus entry (object or list) of a credential from `issuer`.
void CheckStatusOf(const json::Value& status, bool token, const std::string& issuer,
                   const VerifyOptions& options, const std::string& subject,
                   VerificationReport* report) {
  if (options.status == nullptr) {
    report->Fail("status.unavailable",
                 "The credential names a status list, and this verifier was not given a way to "
                 "check it; its revocation and suspension are unknown.",
                 subject);
    return;
  }
  if (token) {
    options.status->CheckTokenStatus(status, issuer, subject, report);
  } else {
    options.status->CheckCredentialStatus(status, issuer, subject, report);
  }
}

// Status costs network fetches: only a credential that is otherwise sound is worth them (a
// forged one naming a thousand lists must not make the verifier fetch them).
void CheckStatusIfSound(const json::Value* status, bool token, const std::string& issuer,
                        const VerifyOptions& options, const std::string& subject,
                        VerificationReport* report) {
  if (status == nullptr) return;
  if (!report->verified()) {
    report->Warn("status.not_checked",
                 "The credential's status was not checked, because it already failed.", subject);
    return;
  }
  CheckStatusOf(*status, token, issuer, options, subject, report);
}

std::optional<TimePoint> TimeMember(const json::Value& doc, std::string_view name) {
  const std::string* text = doc.FindString(name);
  if (text == nullptr) return std::nullopt;
  auto t = ParseRfc3339(*text);
  return t.ok() ? std::optional<TimePoint>(*t) : std::nullopt;
}

std::optional<TimePoint> NumericTime(const json::Value& doc, std::string_view name) {
  const json::Value* v = doc.Find(name);
  if (v == nullptr || !v->is_number() || v->as_number() < 0 || v->as_number() > 1e11) {
    return std::nullopt;
  }
  return FromUnixSeconds(static_cast<int64_t>(v->as_number()));
}

}  // namespace

VerificationReport VerifyCredential(const json::Value& credential, const did::Resolver& resolver,
                                    const VerifyOptions& options) {
  VerificationReport report;
  std::string issuer = formats::vc::CheckCredential(credential, options.now, "credential", &report);
  if (!credential.is_object()) return report;
  passport::CheckCredentialSchema(credential, &report);
  formats::di::ProofExpectations expect;
  expect.proof_purpose = "assertionMethod";
  expect.now = options.now;
  auto proofs = formats::di::VerifyProofs(credential, resolver, expect, &report);
  if (issuer.empty()) return report;
  CheckSignerBinding(proofs, issuer, "issuer", "issuer", &report);
  Signing signing{issuer, {}, CredentialTypes(credential.Find("type")),
                  TimeMember(credential, "validFrom")};
  if (!signing.claimed_issued) signing.claimed_issued = TimeMember(credential, "issuanceDate");
  for (const auto& p : proofs) {
    if (DidOf(p.verification_method) == issuer && p.controller == issuer) {
      signing.key_ids.push_back(p.verification_method);
    }
  }
  if (!signing.key_ids.empty()) CheckTrust(signing, options, "credential", &report);
  CheckStatusIfSound(credential.Find("credentialStatus"), false, issuer, options,
                     "credentialStatus", &report);
  return report;
}

VerificationReport VerifyCredentialText(std::string_view text, const did::Resolver& resolver,
                                        const VerifyOptions& options) {
  return ParseThen(text, options, [&](const json::Value& doc) {
    return VerifyCredential(doc, resolver, options);
  });
}

VerificationReport VerifyPresentation(const json::Value& presentation,
                                      const did::Resolver& resolver, const VerifyOptions& options) {
  VerificationReport report;
  std::string holder = formats::vc::CheckPresentation(presentation, "presentation", &report);
  if (!presentation.is_object()) return report;
  formats::di::ProofExpectations expect;
  expect.proof_purpose = "authentication";
  expect.now = options.now;
  expect.challenge = options.challenge;
  expect.domain = options.domain;
  auto proofs = formats::di::VerifyProofs(presentation, resolver, expect, &report);
  if (!holder.empty()) CheckSignerBinding(proofs, holder, "holder", "holder", &report);

  const json::Value* vcs = presentation.Find("verifiableCredential");
  if (vcs == nullptr) return report;
  if (vcs->is_object()) {
    report.Merge(VerifyCredential(*vcs, resolver, options), "verifiableCredential");
  } else if (vcs->is_array()) {
    for (size_t i = 0; i < vcs->as_array().size(); ++i) {
      report.Merge(VerifyCredential(vcs->as_array()[i], resolver, options),
                   "verifiableCredential[" + std::to_string(i) + "]");
    }
  } else {
    report.Fail("presentation.malformed", "verifiableCredential must be an object or a list.",
                "presentation");
  }
  return report;
}

VerificationReport VerifyPresentationText(std::string_view text, const did::Resolver& resolver,
                                          const VerifyOptions& options) {
  return ParseThen(text, options, [&](const json::Value& doc) {
    return VerifyPresentation(doc, resolver, options);
  });
}

Format DetectFormat(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  // Anything that begins like JSON (or nothing at all) goes to the JSON parser, whose refusal
  // names the exact problem (input.syntax, input.too_deep, input.not_object ...).
  if (start == std::string_view::npos ||
      std::string_view("{[\"-0123456789tfn").find(text[start]) != std::string_view::npos) {
    return Format::kDataIntegrity;
  }
  if (text.find('~') != std::string_view::npos) return Format::kSdJwtVc;
  if (std::count(text.begin(), text.end(), '.') == 2) return Format::kVcJwt;
  return Format::kUnknown;
}

namespace {

// Structural refusals of a token: nothing inside it could be read, so the input is unusable
// (exit 2 at the command line) rather than an invalid credential.
bool TokenUnreadable(std::string_view text, Format format, const VerifyOptions& options,
                     VerificationReport* report) {
  std::string_view jwt = formats::jose::TrimToken(text);
  if (format == Format::kSdJwtVc) {
    formats::sdjwt::VerifyOptions limits;  // the same limits the verification itself uses
    limits.max_bytes = options.parse.max_bytes;
    auto parts = formats::sdjwt::SplitSdJwt(text, limits);
    if (!parts.ok()) {
      report->FailUnusable(parts.error().reason,
                           "The input could not be read: " + parts.error().message + ".");
      return true;
    }
    jwt = parts->issuer_jwt;
  }
  // The JWS limit the format's own parse applies, so the screen and the parse agree.
  auto jws = formats::jose::ParseCompactJws(jwt, formats::jose::kDefaultMaxJwsBytes,
                                            formats::jose::AlgorithmSet::kWithEs256k);
  if (!jws.ok() &&
      (jws.error().reason == "jws.malformed" || jws.error().reason == "jws.too_large")) {
    report->FailUnusable(jws.error().reason,
                         "The input could not be read: " + jws.error().message + ".");
    return true;
  }
  return false;
}

}  // namespace

VerificationReport VerifyDocumentText(std::string_view text, const did::Resolver& resolver,
                                      const VerifyOptions& options) {
  VerificationReport report;
  Format format = DetectFormat(text);
  switch (format) {
    case Format::kDataIntegrity:
      return ParseThen(text, options, [&](const json::Value& doc) {
        return IsPresentation(doc) ? VerifyPresentation(doc, resolver, options)
                                   : VerifyCredential(doc, resolver, options);
      });
    case Format::kSdJwtVc: {
      if (TokenUnreadable(text, format, options, &report)) return report;
      formats::sdjwt::VerifyOptions sd;
      sd.now = options.now;
      sd.skew = options.skew;
      sd.nonce = options.challenge;
      sd.audience = options.domain;
      sd.kb_max_age = options.kb_max_age;
      sd.kb_max_future = options.kb_max_future;
      sd.max_bytes = options.parse.max_bytes;
      formats::sdjwt::IssuerKeySources sources{&resolver, options.http, options.anchors};
      auto verified = formats::sdjwt::VerifySdJwtVc(text, sources, sd, &report);
      if (!verified) return report;
      const std::string* iss = verified->claims.FindString("iss");
      if (iss == nullptr) return report;
      const std::string* kid = verified->header.FindString("kid");
      const std::string* vct = verified->claims.FindString("vct");
      Signing signing{*iss, {KeyIdOf(*iss, kid)},
                      {vct != nullptr ? *vct : std::string("?")},
                      NumericTime(verified->claims, "iat")};
      CheckTrust(signing, options, "sd-jwt", &report);
      CheckStatusIfSound(verified->claims.Find("status"), true, *iss, options, "status", &report);
      return report;
    }
    case Format::kVcJwt: {
      if (TokenUnreadable(text, format, options, &report)) return report;
      auto verified =
          formats::vcjwt::VerifyVcJwt(text, resolver, {options.now, options.skew}, &report);
      if (!verified) return report;
      const json::Value& claims = verified->claims;
      const std::string* iss = claims.FindString("iss");
      const json::Value* vc = claims.Find("vc");
      if (iss == nullptr || vc == nullptr) return report;
      // The key the VC-JWT verifier resolved and checked (a relative kid already made absolute).
      Signing signing{*iss, {verified->key_id}, CredentialTypes(vc->Find("type")),
                      NumericTime(claims, "iat")};
      if (!signing.claimed_issued) signing.claimed_issued = NumericTime(claims, "nbf");
      CheckTrust(signing, options, "vc-jwt", &report);
      CheckStatusIfSound(vc->Find("credentialStatus"), false, *iss, options, "credentialStatus",
                         &report);
      return report;
    }
    case Format::kUnknown:
      break;
  }
  report.FailUnusable("input.unknown_format",
                      "The input is not a credential Lanyard can read: not JSON, not an SD-JWT "
                      "and not a JWT.");
  return report;
}

}  // namespace lanyard::verify
