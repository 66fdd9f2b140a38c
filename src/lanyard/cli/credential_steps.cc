#include "lanyard/cli/credential_steps.h"

#include <iostream>

#include "lanyard/cli/cli_io.h"
#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/resolver.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/canonical.h"
#include "lanyard/service/status_service.h"
#include "lanyard/store/status_store.h"
#include "lanyard/verify/report.h"

namespace lanyard::cli {
namespace {

// Failures that make a document unfit to sign. Only the validity window itself is not among
// them: a credential may be issued before it starts being valid, but not with dates that no
// verifier can read.
bool IsStructural(const std::string& code) {
  return code != "validity.not_yet_valid" && code != "validity.expired";
}

// Allocates an entry in each named list for `credential_id`; the entries a credential carries.
Result<std::vector<json::Value>> AllocateStatus(const Environment& env, const IssueArgs& args,
                                                const std::string& credential_id,
                                                const std::string& issuer) {
  std::vector<json::Value> entries;
  if (args.status_lists.empty()) return entries;
  if (!args.status_db) {
    return MakeError(Code::kInvalidArgument, "usage", "--status-list needs --status-db");
  }
  if (args.format == "sd-jwt" && args.status_lists.size() > 1) {
    return MakeError(Code::kInvalidArgument, "usage",
                     "an SD-JWT VC carries one Token Status List reference");
  }
  LANYARD_ASSIGN_OR_RETURN(auto store, store::NewSqliteStatusStore(*args.status_db));
  // Every list is checked before any index is taken, so a refusal leaves no entry behind.
  for (const auto& id : args.status_lists) {
    LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, store->GetList(id));
    bool token = list.format == store::ListFormat::kToken;
    if (token != (args.format == "sd-jwt")) {
      return MakeError(Code::kInvalidArgument, "status.wrong_format",
                       "status list " + id + " is a " +
                           std::string(store::ListFormatName(list.format)) + " list; " +
                           (token ? "Token Status Lists are for SD-JWT VCs"
                                  : "Bitstring lists are for Data Integrity credentials"));
    }
    if (list.issuer != issuer) {
      return MakeError(Code::kInvalidArgument, "status.wrong_issuer",
                       "status list " + id + " is issued by " + list.issuer +
                           ", and this credential by " + issuer +
                           "; verifiers accept only the credential issuer's own lists");
    }
  }
  service::StatusService service(*store, *env.clock);
  for (const auto& id : args.status_lists) {
    LANYARD_ASSIGN_OR_RETURN(json::Value entry, service.Allocate(id, credential_id));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

Result<std::vector<formats::sdjwt::ClaimPath>> ParsePaths(const std::vector<std::string>& texts) {
  std::vector<formats::sdjwt::ClaimPath> paths;
  for (const auto& t : texts) {
    LANYARD_ASSIGN_OR_RETURN(formats::sdjwt::ClaimPath p, formats::sdjwt::ParseClaimPath(t));
    paths.push_back(std::move(p));
  }
  return paths;
}

Result<SigningKey> LoadSigningKey(const Environment& env, const IssueArgs& args) {
  SigningKey key;
  if (args.store) {
    if (!args.key_id) {
      return MakeError(Code::kInvalidArgument, "usage", "--store needs --key-id");
    }
    LANYARD_ASSIGN_OR_RETURN(auto store, OpenStore(env, *args.store));
    LANYARD_ASSIGN_OR_RETURN(key.signer, store->GetSigner(*args.key_id));
    key.name = "key " + *args.key_id;
    return key;
  }
  if (args.key_file.empty()) {
    return MakeError(Code::kInvalidArgument, "usage",
                     "give --key FILE, or --store DIR with --key-id ID");
  }
  LANYARD_ASSIGN_OR_RETURN(crypto::PrivateKey private_key, ReadPrivateKey(args.key_file));
  key.signer = std::make_shared<crypto::PrivateKey>(std::move(private_key));
  key.name = args.key_file;
  return key;
}

Result<SigningIdentity> IssuerIdentity(const crypto::Signer& signer,
                                       const std::optional<std::string>& kid) {
  if (!kid) {
    return SigningIdentity{did::DidKeyFromPublicKey(signer.public_key()),
                           did::DidKeyMethodId(signer.public_key())};
  }
  // An organisation signs as its did:web with a key its DID document lists.
  auto url = did::ParseDidUrl(*kid);
  if (!url.ok() || url->fragment.empty()) {
    return MakeError(Code::kInvalidArgument, "did.invalid",
                     "--kid must be a DID URL naming a key (did:...#key)");
  }
  return SigningIdentity{url->did, *kid};
}

int SignSdJwtVc(const Environment& env, const IssueArgs& args, const crypto::Signer& signer,
                const std::function<Result<SdJwtDraft>()>& draft) {
  if (signer.type() == crypto::KeyType::kSecp256k1) {
    return Usage(env, MakeError(Code::kInvalidArgument, "jws.alg_unsupported",
                                "SD-JWT VCs are signed with Ed25519 or P-256 keys"));
  }
  auto made = draft();
  if (!made.ok()) return Usage(env, made.error());
  json::Value& payload = made->payload;
  if (!args.status_lists.empty()) {
    const std::string* iss = payload.FindString("iss");
    const std::string* jti = payload.FindString("jti");
    auto entries =
        AllocateStatus(env, args, jti ? *jti : formats::vc::NewCredentialId(env.clock->Now()), iss ? *iss : "");
    if (!entries.ok()) return Usage(env, entries.error());
    payload.Set("status", std::move(entries->front()));
  }
  formats::sdjwt::VcIssueOptions options;
  options.now = env.clock->Now();
  options.disclosable = std::move(made->disclosable);
  options.kid = args.kid;
  if (args.holder) {
    auto jwk = ReadJsonObject(*args.holder, "the holder key");
    if (!jwk.ok()) return Usage(env, jwk.error());
    // Only the public members go into cnf.jwk, even when the file holds a private key.
    auto holder = crypto::PublicKeyFromJwk(*jwk);
    if (!holder.ok()) return Usage(env, holder.error());
    options.holder_key = *holder;
  }
  auto token = formats::sdjwt::IssueSdJwtVc(std::move(payload), options, signer);
  if (!token.ok()) return Usage(env, token.error());
  *env.out << *token << "\n";
  return kExitOk;
}

int SignDataIntegrity(const Environment& env, const IssueArgs& args, const SigningKey& key,
                      formats::di::Cryptosuite suite,
                      const std::function<Result<json::Value>()>& document) {
  const crypto::Signer& signer = *key.signer;
  if (signer.type() != formats::di::SuiteKeyType(suite)) {
    return Usage(env,
                 MakeError(Code::kInvalidArgument, "proof.key_type_mismatch",
                           std::string(formats::di::CryptosuiteName(suite)) + " needs a " +
                               std::string(crypto::KeyTypeName(formats::di::SuiteKeyType(suite))) +
                               " key, and " + key.name + " is a " +
                               std::string(crypto::KeyTypeName(signer.type())) + " key"));
  }
  TimePoint created = env.clock->Now();
  if (args.created) {
    auto t = ParseRfc3339(*args.created);
    if (!t.ok()) return Usage(env, t.error());
    created = *t;
  }
  auto credential = document();
  if (!credential.ok()) return Usage(env, credential.error());
  auto identity = IssuerIdentity(signer, args.kid);
  if (!identity.ok()) return Usage(env, identity.error());
  const std::string& did = identity->did;
  if (credential->Find("issuer") == nullptr) {
    credential->Set("issuer", did);
  } else if (formats::vc::IssuerId(*credential) != did) {
    *env.err << "lanyard: warning: the credential's issuer is not " << did
             << ", the DID of this key, so verifiers will refuse it (issuer.not_signer)\n";
  }
  verify::VerificationReport structure;
  formats::vc::CheckCredential(*credential, created, "credential", &structure);
  for (const auto& failure : structure.Failures()) {
    if (IsStructural(failure.code)) {
      *env.err << "lanyard: refusing to sign: " << failure.message << " (" << failure.code << ")\n";
      return kExitUsage;
    }
  }
  if (!args.status_lists.empty()) {
    const std::string* id = credential->FindString("id");
    std::string credential_id = id != nullptr ? *id : formats::vc::NewCredentialId(env.clock->Now());
    if (id == nullptr) credential->Set("id", credential_id);
    auto entries = AllocateStatus(env, args, credential_id, formats::vc::IssuerId(*credential));
    if (!entries.ok()) return Usage(env, entries.error());
    if (entries->size() == 1) {
      credential->Set("credentialStatus", std::move(entries->front()));
    } else {
      credential->Set("credentialStatus", json::Array(std::move(entries).value()));
    }
  }
  formats::di::ProofOptions options;
  options.suite = suite;
  options.verification_method = identity->method;
  options.created = created;
  auto signed_credential = formats::di::AddProof(std::move(credential).value(), options, signer);
  if (!signed_credential.ok()) return Usage(env, signed_credential.error());
  *env.out << json::Serialize(*signed_credential, 2) << "\n";
  return kExitOk;
}

int PresentSdJwtText(const Environment& env, const PresentArgs& args, const std::string& text,
                     const std::vector<std::string>& reveal) {
  auto paths = ParsePaths(reveal);
  if (!paths.ok()) return Usage(env, paths.error());
  std::optional<crypto::PrivateKey> holder;
  formats::sdjwt::KeyBindingRequest kb;
  if (args.holder_key || args.nonce || args.audience) {
    if (!args.holder_key || !args.nonce || !args.audience) {
      return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                  "key binding needs all of --holder-key, --nonce and --audience"));
    }
    auto key = ReadPrivateKey(*args.holder_key);
    if (!key.ok()) return Usage(env, key.error());
    holder.emplace(std::move(key).value());
    kb = {&*holder, *args.nonce, *args.audience, env.clock->Now()};
  }
  auto presentation = formats::sdjwt::PresentSdJwt(text, *paths, holder ? &kb : nullptr);
  if (!presentation.ok()) return Usage(env, presentation.error());
  *env.out << *presentation << "\n";
  return kExitOk;
}

}  // namespace lanyard::cli
