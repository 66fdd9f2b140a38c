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

#include "lanyard/core/clock.h"
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
  std::string key_file;                // a private JWK file, or
  std::optional<std::string> store;    // a key store directory with
  std::optional<std::string> key_id;   // the id of a key in it
  std::string suite = "eddsa-jcs-2022";
  std::optional<std::string> created;
  std::string in_file = "-";
};
int CredentialIssue(const Environment& env, const IssueArgs& args);

struct VerifyArgs {
  std::string file;
  std::optional<std::string> now;
  bool json = false;
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};
int CredentialVerify(const Environment& env, const VerifyArgs& args);

// Parses argv and runs the chosen command.
int Run(int argc, char** argv, const Environment& env);

}  // namespace lanyard::cli
