// The lanyard command line: one table of commands over the core library.
//
// Exit codes, for every command: 0 success (a valid credential), 1 a credential that is not
// valid, 2 unusable input or a usage error. Nothing exits above 2 except by a signal.
// Errors go to stderr in plain words; results go to stdout.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/http_client.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/did/resolver.h"

namespace lanyard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

// What commands need from the outside world; main() builds the real ones.
struct Environment {
  std::shared_ptr<Clock> clock;
  std::shared_ptr<did::Resolver> resolver;
  // Reaches issuer metadata for SD-JWT VC; null where the program has no network client.
  std::shared_ptr<HttpClient> http;
  std::ostream* out;
  std::ostream* err;
  // The secret that opens an encrypted key store (from LANYARD_KEYSTORE_MASTER_KEY or
  // LANYARD_KEYSTORE_PASSPHRASE in main()).
  std::function<Result<crypto::KeyStoreSecret>()> keystore_secret;
};

struct KeyGenerateArgs {
  std::string type = "ed25519";
  std::optional<std::string> out_file;  // a plain private JWK, for tools and tests
  std::optional<std::string> store;     // or: the encrypted key store in this directory
  std::string label;
};
int KeyGenerate(const Environment& env, const KeyGenerateArgs& args);

// Lists the keys of an encrypted key store: id, type, did:key and label, one per line.
int KeyList(const Environment& env, const std::string& store);

int KeyDid(const Environment& env, const std::string& key_file);

struct IssueArgs {
  std::string key_file;                  // a private JWK file, or
  std::optional<std::string> store;      // a key store directory with
  std::optional<std::string> key_id;     // the id of a key in it
  std::string format = "di";             // "di" (Data Integrity) or "sd-jwt" (SD-JWT VC)
  std::string suite = "eddsa-jcs-2022";  // Data Integrity only
  std::optional<std::string> created;    // Data Integrity only
  std::optional<std::string> holder;     // SD-JWT: a JWK whose public part becomes cnf.jwk
  std::vector<std::string> disclose;     // SD-JWT: claim paths made selectively disclosable
  std::optional<std::string> kid;        // SD-JWT: the header kid (a DID URL for a DID issuer)
  std::string in_file = "-";
};
int CredentialIssue(const Environment& env, const IssueArgs& args);

struct PresentArgs {
  std::string file;
  std::vector<std::string> disclose;  // what to reveal; nothing else is
  std::optional<std::string> holder_key;
  std::optional<std::string> nonce;
  std::optional<std::string> audience;
};
// Prints an SD-JWT presentation revealing only the named claims, key-bound when a holder key,
// nonce and audience are given.
int CredentialPresent(const Environment& env, const PresentArgs& args);

struct VerifyArgs {
  std::string file;
  std::optional<std::string> now;
  bool json = false;
  std::optional<std::string> challenge;      // also the SD-JWT key-binding nonce (--nonce)
  std::optional<std::string> domain;         // also the SD-JWT key-binding audience (--audience)
  std::optional<std::string> trust_anchors;  // PEM file of roots for x5c issuer certificates
  std::optional<int> kb_max_age;              // seconds a key-binding JWT may be old
  std::optional<int> kb_max_future;           // seconds a key-binding JWT may be ahead
};
int CredentialVerify(const Environment& env, const VerifyArgs& args);

// Parses argv and runs the chosen command.
int Run(int argc, char** argv, const Environment& env);

}  // namespace lanyard::cli
