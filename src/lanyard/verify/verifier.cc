#include "lanyard/verify/verifier.h"

#include <algorithm>

#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/jose/token_text.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/formats/vcjwt/vc_jwt.h"

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
  const json::Value* type = doc.Find("type");
  if (type == nullptr) return false;
  if (type->is_string()) return type->as_string() == "VerifiablePresentation";
  if (!type->is_array()) return false;
  for (const auto& t : type->as_array()) {
    if (t.is_string() && t.as_string() == "VerifiablePresentation") return true;
  }
  return false;
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

}  // namespace

VerificationReport VerifyCredential(const json::Value& credential, const did::Resolver& resolver,
                                    const VerifyOptions& options) {
  VerificationReport report;
  std::string issuer = formats::vc::CheckCredential(credential, options.now, "credential", &report);
  if (!credential.is_object()) return report;
  formats::di::ProofExpectations expect;
  expect.proof_purpose = "assertionMethod";
  expect.now = options.now;
  auto proofs = formats::di::VerifyProofs(credential, resolver, expect, &report);
  if (!issuer.empty()) CheckSignerBinding(proofs, issuer, "issuer", "issuer", &report);
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
      formats::sdjwt::VerifySdJwtVc(text, sources, sd, &report);
      return report;
    }
    case Format::kVcJwt: {
      if (TokenUnreadable(text, format, options, &report)) return report;
      formats::vcjwt::VerifyVcJwt(text, resolver, {options.now, options.skew}, &report);
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
