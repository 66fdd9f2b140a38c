// Fuzzes the JSON Schema validator with every compiled-in credential schema: any JSON value must
// be accepted or refused with errors that each name a path and say why, never more than asked
// for, and Check must agree with Validate. The same value is also tried as the claims an issuer
// prepares and as the credentialSubject a verifier checks against a credential's schema.
#include <cstdlib>
#include <string_view>

#include "lanyard/json/parser.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/passport_credential.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lanyard::json::ParseOptions options;
  options.max_depth = 64;
  auto value = lanyard::json::Parse(text, options);
  if (!value.ok()) return 0;
  for (const auto& info : lanyard::passport::AllCredentialTypes()) {
    auto schema = lanyard::passport::CredentialSchema(info.type);
    if (!schema.ok()) std::abort();  // a compiled-in schema that does not load
    auto errors = schema->Validate(*value, 4);
    if (errors.size() > 4) std::abort();
    for (const auto& e : errors) {
      if (e.path.empty() || e.message.empty()) std::abort();
    }
    auto status = schema->Check(*value, 4);
    if (status.ok() != errors.empty()) std::abort();
    if (!status.ok() && status.error().reason != "schema.invalid") std::abort();

    auto prepared = lanyard::passport::PrepareClaims(info.type, *value);
    if (!prepared.ok() && prepared.error().reason != "schema.invalid") std::abort();
    if (prepared.ok() && !lanyard::passport::ValidateClaims(info.type, *prepared).ok()) {
      std::abort();
    }

    lanyard::verify::VerificationReport report;
    lanyard::passport::CheckCredentialSchema(
        lanyard::passport::MakeDataIntegrityCredential(info, *value, "did:web:rr8.example",
                                                       lanyard::TimePoint(), std::nullopt),
        &report);
    if (report.checks().size() != 1) std::abort();
    // A list of subjects is checked subject by subject, so only a single one compares directly.
    const auto& check = report.checks().front();
    if (!value->is_array() && (check.code == "schema.valid") != errors.empty()) std::abort();
  }
  return 0;
}
