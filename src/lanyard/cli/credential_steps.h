// The steps of `credential issue` and `credential present`, shared with the passport commands:
// the key a command signs with, the issuer it signs as, signing in either securing format (with
// status list entries), and presenting an SD-JWT. Each step that prints reports its own usage
// errors and returns an exit code (commands.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lanyard/cli/commands.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt.h"
#include "lanyard/json/value.h"

namespace lanyard::cli {

struct SigningKey {
  std::shared_ptr<const crypto::Signer> signer;
  std::string name;  // for messages: the key file, or "key <id>"
};

// The key of --key FILE, or of --store DIR with --key-id ID.
// Errors: "usage" (neither given, or --store without --key-id), the key store's and the key
// file's errors.
Result<SigningKey> LoadSigningKey(const Environment& env, const IssueArgs& args);

struct SigningIdentity {
  std::string did;     // the issuer
  std::string method;  // the verification method (DID URL) that signs
};

// The key's did:key, or the DID of `kid` (an organisation signing as its did:web with a key its
// DID document lists). Errors: kInvalidArgument "did.invalid" when kid is not a DID URL with a
// fragment.
Result<SigningIdentity> IssuerIdentity(const crypto::Signer& signer,
                                       const std::optional<std::string>& kid);

// Errors: "sdjwt.invalid_path" for the first path that does not parse.
Result<std::vector<formats::sdjwt::ClaimPath>> ParsePaths(const std::vector<std::string>& texts);

// Signs the credential `document()` returns as Data Integrity and prints it: the issuer set to
// the signing DID when absent (a warning when another), the data model checked, status entries
// allocated (args.status_db / status_lists), the proof added (args.created, args.kid).
// `document` runs after the key is known to fit `suite`; its error is printed as usage.
int SignDataIntegrity(const Environment& env, const IssueArgs& args, const SigningKey& key,
                      formats::di::Cryptosuite suite,
                      const std::function<Result<json::Value>()>& document);

struct SdJwtDraft {
  json::Value payload;  // iss, vct and the claims
  std::vector<formats::sdjwt::ClaimPath> disclosable;
};

// Issues the SD-JWT VC `draft()` returns and prints it: a status entry (args.status_lists, for
// the payload's iss), cnf from args.holder, the header kid from args.kid. `draft` runs after the
// key is known to sign SD-JWT VCs; its error is printed as usage.
int SignSdJwtVc(const Environment& env, const IssueArgs& args, const crypto::Signer& signer,
                const std::function<Result<SdJwtDraft>()>& draft);

// Prints a presentation of the SD-JWT `text` revealing `reveal` (key-bound per args).
int PresentSdJwtText(const Environment& env, const PresentArgs& args, const std::string& text,
                     const std::vector<std::string>& reveal);

}  // namespace lanyard::cli
