#include "lanyard/passport/passport_credential.h"

#include <algorithm>
#include <chrono>

#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/sdjwt/sd_jwt.h"

namespace lanyard::passport {

namespace {

std::string WholeSeconds(TimePoint t) {
  return FormatRfc3339(std::chrono::floor<std::chrono::seconds>(t));
}

// The passport types a credential's `type` names (by Data Integrity type).
std::vector<const CredentialTypeInfo*> PassportTypesOf(const json::Value& credential) {
  std::vector<const CredentialTypeInfo*> found;
  for (const auto& info : AllCredentialTypes()) {
    if (json::IsOrContainsString(credential.Find("type"), info.di_type)) found.push_back(&info);
  }
  return found;
}

void CheckOneSchema(const json::Value& entry, const json::Value& credential,
                    const std::string& subject, verify::VerificationReport* report) {
  const std::string* id = entry.is_object() ? entry.FindString("id") : nullptr;
  if (id == nullptr) {
    report->Warn("schema.unknown",
                 "A credentialSchema entry names no schema id, so the claims were not checked "
                 "against it.",
                 subject);
    return;
  }
  std::string shown = id->substr(0, 200);
  const CredentialTypeInfo* info = FindCredentialType(*id);
  if (info == nullptr || info->schema_id != *id) {
    report->Warn("schema.unknown",
                 "The credential names the schema " + shown +
                     ", which Lanyard does not have, so the claims were not checked against it.",
                 subject);
    return;
  }
  const std::string* type = entry.FindString("type");
  if (type == nullptr || *type != "JsonSchema") {
    report->Warn("schema.unknown",
                 "The credential names the " + std::string(info->name) +
                     " schema with a type other than JsonSchema, which Lanyard does not read, so "
                     "the claims were not checked against it.",
                 subject);
    return;
  }
  for (const CredentialTypeInfo* typed : PassportTypesOf(credential)) {
    if (typed != info) {
      report->Fail("schema.invalid",
                   "The credential is a " + std::string(typed->di_type) + " but names the " +
                       std::string(info->name) + " schema (" + shown + ").",
                   subject);
      return;
    }
  }
  auto schema = CredentialSchema(info->type);
  if (!schema.ok()) {
    report->Fail("schema.invalid", schema.error().message + ".", subject);
    return;
  }
  const json::Value* claims = credential.Find("credentialSubject");
  std::vector<const json::Value*> subjects;
  if (claims != nullptr && claims->is_array()) {
    for (const auto& s : claims->as_array()) subjects.push_back(&s);
  } else if (claims != nullptr) {
    subjects.push_back(claims);
  }
  if (subjects.empty()) {
    report->Fail("schema.invalid",
                 "The credential names the " + std::string(info->name) +
                     " schema and has no credentialSubject to check against it.",
                 subject);
    return;
  }
  for (size_t i = 0; i < subjects.size(); ++i) {
    Status valid = schema->Check(*subjects[i], 8);
    if (!valid.ok()) {
      std::string which = subjects.size() > 1 ? " " + std::to_string(i) : std::string();
      report->Fail("schema.invalid",
                   "credentialSubject" + which + " does not match the " + std::string(info->name) +
                       " schema (" + shown + "): " + valid.error().message + ".",
                   subject);
      return;
    }
  }
  report->Pass(
      "schema.valid",
      "credentialSubject matches the " + std::string(info->name) + " schema (" + shown + ").",
      subject);
}

}  // namespace

json::Value MakeDataIntegrityCredential(const CredentialTypeInfo& info, json::Value claims,
                                        const std::string& issuer, TimePoint valid_from,
                                        std::optional<TimePoint> valid_until) {
  json::Object vc;
  vc.emplace_back("@context", json::Array{"https://www.w3.org/ns/credentials/v2"});
  vc.emplace_back("type", json::Array{"VerifiableCredential", info.di_type});
  if (!issuer.empty()) vc.emplace_back("issuer", issuer);
  vc.emplace_back("validFrom", WholeSeconds(valid_from));
  if (valid_until) vc.emplace_back("validUntil", WholeSeconds(*valid_until));
  vc.emplace_back("credentialSchema",
                  json::Object{{"id", std::string(info.schema_id)}, {"type", "JsonSchema"}});
  vc.emplace_back("credentialSubject", std::move(claims));
  return json::Value(std::move(vc));
}

json::Value MakeSdJwtVcPayload(const CredentialTypeInfo& info, json::Value claims,
                               const std::string& iss, std::optional<TimePoint> exp) {
  json::Object payload;
  payload.emplace_back("iss", iss);
  payload.emplace_back("vct", std::string(info.vct));
  if (exp) payload.emplace_back("exp", static_cast<double>(ToUnixSeconds(*exp)));
  if (claims.is_object()) {
    for (auto& member : claims.as_object()) payload.push_back(std::move(member));
  }
  return json::Value(std::move(payload));
}

std::vector<std::string> DisclosablePaths(const CredentialTypeInfo& info,
                                          const json::Value& claims) {
  std::vector<std::string> paths;
  for (std::string_view name : info.selectively_disclosable) {
    if (claims.Find(name) != nullptr) paths.emplace_back(name);
  }
  return paths;
}

Result<std::vector<std::string>> DefaultDisclosurePaths(std::string_view sd_jwt) {
  formats::sdjwt::VerifyOptions limits;
  LANYARD_ASSIGN_OR_RETURN(formats::sdjwt::Parts parts, formats::sdjwt::SplitSdJwt(sd_jwt, limits));
  LANYARD_ASSIGN_OR_RETURN(formats::jose::CompactJws jws,
                           formats::jose::ParseCompactJws(parts.issuer_jwt));
  LANYARD_ASSIGN_OR_RETURN(json::Value payload, formats::jose::ParseJsonPayload(jws));
  const std::string* vct = payload.FindString("vct");
  const CredentialTypeInfo* info = vct != nullptr ? FindCredentialType(*vct) : nullptr;
  if (info == nullptr || info->vct != *vct) {
    return MakeError(Code::kInvalidArgument, "passport.unknown_type",
                     "the SD-JWT is not a Lanyard passport credential (its vct is " +
                         (vct != nullptr ? vct->substr(0, 200) : std::string("missing")) + ")");
  }
  // A default claim counts only when it is a disclosure of the top-level object: its digest is
  // in the payload's own _sd list.
  const json::Value* sd = payload.Find("_sd");
  std::vector<std::string> paths;
  for (std::string_view encoded : parts.disclosures) {
    LANYARD_ASSIGN_OR_RETURN(formats::sdjwt::Disclosure d,
                             formats::sdjwt::ParseDisclosure(encoded));
    if (!d.name || sd == nullptr || !sd->is_array()) continue;
    bool top_level = std::any_of(
        sd->as_array().begin(), sd->as_array().end(),
        [&](const json::Value& v) { return v.is_string() && v.as_string() == d.digest; });
    bool wanted = std::find(info->default_disclosures.begin(), info->default_disclosures.end(),
                            *d.name) != info->default_disclosures.end();
    if (top_level && wanted && std::find(paths.begin(), paths.end(), *d.name) == paths.end()) {
      paths.push_back(*d.name);
    }
  }
  return paths;
}

void CheckCredentialSchema(const json::Value& credential, verify::VerificationReport* report) {
  const json::Value* schema =
      credential.is_object() ? credential.Find("credentialSchema") : nullptr;
  if (schema == nullptr) return;
  if (schema->is_array()) {
    const json::Array& entries = schema->as_array();
    // A credential names one or two schemas; a list of thousands would only cost the verifier.
    size_t n = std::min<size_t>(entries.size(), 8);
    for (size_t i = 0; i < n; ++i) {
      CheckOneSchema(entries[i], credential, "credentialSchema[" + std::to_string(i) + "]", report);
    }
    if (entries.size() > n) {
      report->Warn("schema.unknown",
                   "The credential names " + std::to_string(entries.size()) +
                       " schemas; only the first 8 were considered.",
                   "credentialSchema");
    }
    return;
  }
  CheckOneSchema(*schema, credential, "credentialSchema", report);
}

}  // namespace lanyard::passport
