// The passport at the command line: typed, schema-checked credentials.
#include <iostream>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/cli/credential_steps.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/passport_credential.h"

namespace lanyard::cli {
namespace {

std::string TypeNames() {
  std::string names;
  for (const auto& info : passport::AllCredentialTypes()) {
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

Result<const passport::CredentialTypeInfo*> FindType(const std::string& name) {
  const passport::CredentialTypeInfo* info = passport::FindCredentialType(name);
  if (info == nullptr) {
    return MakeError(
        Code::kInvalidArgument, "usage",
        "unknown credential type \"" + name.substr(0, 200) + "\"; the types are " + TypeNames());
  }
  return info;
}

// A date alone means the whole of that day: valid until its last second.
Result<TimePoint> ParseValidUntil(const std::string& text) {
  if (passport::IsCalendarDate(text)) return ParseRfc3339(text + "T23:59:59Z");
  auto t = ParseRfc3339(text);
  if (!t.ok()) {
    return MakeError(Code::kInvalidArgument, "usage",
                     "--valid-until must be a date (YYYY-MM-DD) or an RFC 3339 time");
  }
  return t;
}

Result<formats::di::Cryptosuite> SuiteFor(const crypto::Signer& signer, const std::string& name) {
  switch (signer.type()) {
    case crypto::KeyType::kEd25519:
      return formats::di::Cryptosuite::kEddsaJcs2022;
    case crypto::KeyType::kP256:
      return formats::di::Cryptosuite::kEcdsaJcs2019;
    default:
      break;
  }
  return MakeError(Code::kInvalidArgument, "proof.key_type_mismatch",
                   "passport credentials are signed with Ed25519 or P-256 keys, and " + name +
                       " is a " + std::string(crypto::KeyTypeName(signer.type())) + " key");
}

}  // namespace

int PassportIssue(const Environment& env, const PassportIssueArgs& args) {
  auto found = FindType(args.type);
  if (!found.ok()) return Usage(env, found.error());
  const passport::CredentialTypeInfo& info = **found;
  const IssueArgs& issue = args.issue;
  std::optional<TimePoint> valid_until;
  if (args.valid_until) {
    auto t = ParseValidUntil(*args.valid_until);
    if (!t.ok()) return Usage(env, t.error());
    if (*t <= env.clock->Now()) {
      return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                  "--valid-until " + *args.valid_until + " has already passed"));
    }
    valid_until = *t;
  }
  auto key = LoadSigningKey(env, issue);
  if (!key.ok()) return Usage(env, key.error());
  bool sd_jwt = issue.format == "sd-jwt";

  // The claims as the issuer will sign them, or why not: read, the holder's DID added (Data
  // Integrity), recordType filled in, checked against the type's schema.
  auto claims_to_sign = [&]() -> Result<json::Value> {
    LANYARD_ASSIGN_OR_RETURN(json::Value claims, ReadJsonObject(issue.in_file, "the claims file"));
    if (!sd_jwt && issue.holder) {
      LANYARD_ASSIGN_OR_RETURN(json::Value jwk, ReadJsonObject(*issue.holder, "the holder key"));
      LANYARD_ASSIGN_OR_RETURN(crypto::PublicKey holder, crypto::PublicKeyFromJwk(jwk));
      std::string holder_did = did::DidKeyFromPublicKey(holder);
      const std::string* id = claims.FindString("id");
      if (claims.Find("id") == nullptr) {
        claims.Set("id", holder_did);
      } else if (id == nullptr || *id != holder_did) {
        *env.err << "lanyard: warning: the claims name the subject "
                 << (id ? *id : "(not a string)") << ", not " << holder_did
                 << ", the DID of --holder; the claims' id is kept\n";
      }
    }
    auto prepared = passport::PrepareClaims(info.type, std::move(claims));
    if (!prepared.ok()) {
      return MakeError(prepared.error().code, prepared.error().reason,
                       std::string(info.name) + " claims refused: " + prepared.error().message);
    }
    return prepared;
  };

  if (sd_jwt) {
    auto identity = IssuerIdentity(*key->signer, issue.kid);
    if (!identity.ok()) return Usage(env, identity.error());
    return SignSdJwtVc(env, issue, *key->signer, [&]() -> Result<SdJwtDraft> {
      LANYARD_ASSIGN_OR_RETURN(json::Value claims, claims_to_sign());
      LANYARD_ASSIGN_OR_RETURN(auto paths, ParsePaths(passport::DisclosablePaths(info, claims)));
      return SdJwtDraft{
          passport::MakeSdJwtVcPayload(info, std::move(claims), identity->did, valid_until),
          std::move(paths)};
    });
  }
  auto suite = SuiteFor(*key->signer, key->name);
  if (!suite.ok()) return Usage(env, suite.error());
  return SignDataIntegrity(env, issue, *key, *suite, [&]() -> Result<json::Value> {
    LANYARD_ASSIGN_OR_RETURN(json::Value claims, claims_to_sign());
    // The issuer is named by the signing step, from the key or --kid.
    return passport::MakeDataIntegrityCredential(info, std::move(claims), "", env.clock->Now(),
                                                 valid_until);
  });
}

int PassportPresent(const Environment& env, const PresentArgs& args) {
  auto text = ReadInput(args.file);
  if (!text.ok()) return Usage(env, text.error());
  std::vector<std::string> reveal = args.disclose;
  if (reveal.empty()) {
    auto defaults = passport::DefaultDisclosurePaths(*text);
    if (!defaults.ok()) return Usage(env, defaults.error());
    reveal = std::move(defaults).value();
  }
  return PresentSdJwtText(env, args, *text, reveal);
}

int PassportSchema(const Environment& env, const std::string& type) {
  auto found = FindType(type);
  if (!found.ok()) return Usage(env, found.error());
  std::string_view text = passport::SchemaText((*found)->type);
  if (text.empty()) {
    return Usage(env, MakeError(Code::kInternal, "schema.unavailable",
                                "no schema was compiled into this program for " + type));
  }
  *env.out << text;
  return kExitOk;
}

}  // namespace lanyard::cli
