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

namespace CLI {
class App;
}

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

// Prints the DID document an organisation publishes for `did` (a did:web): each key file's public
// key as a Multikey method "<did>#<fragment>", authorised for assertionMethod. Keys are listed in
// order; fragments default to key-1, key-2 ...
struct DidDocumentArgs {
  std::string did;
  std::vector<std::string> key_files;
  std::vector<std::string> fragments;
};
int KeyDidDocument(const Environment& env, const DidDocumentArgs& args);

struct IssueArgs {
  std::string key_file;                  // a private JWK file, or
  std::optional<std::string> store;      // a key store directory with
  std::optional<std::string> key_id;     // the id of a key in it
  std::string format = "di";             // "di" (Data Integrity) or "sd-jwt" (SD-JWT VC)
  std::string suite = "eddsa-jcs-2022";  // Data Integrity only
  std::optional<std::string> created;    // Data Integrity only
  std::optional<std::string> holder;     // SD-JWT: a JWK whose public part becomes cnf.jwk
  std::vector<std::string> disclose;     // SD-JWT: claim paths made selectively disclosable
  // The signing key's id: the SD-JWT header kid, or the Data Integrity verificationMethod (a
  // DID URL of the issuer; did:key of the key when absent).
  std::optional<std::string> kid;
  std::string in_file = "-";
  // Status lists to enter the credential in (issuer-side state in the SQLite file status_db).
  std::optional<std::string> status_db;
  std::vector<std::string> status_lists;
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
  std::optional<std::string> trust;           // a signed trust bundle
  std::optional<std::string> trust_signer;    // the did:key whose bundles are accepted
  bool require_trust = false;                 // an unchecked or untrusted issuer is invalid
  std::optional<std::string> status_cache;    // directory keeping fetched status lists
  bool offline = false;                       // no network: DID documents and lists from caches
};
int CredentialVerify(const Environment& env, const VerifyArgs& args);

// `passport issue`: a credential of one of the passport types (passport/credential_types.h)
// from its claims (the credentialSubject content, or the SD-JWT VC's claims), checked against the
// type's schema before anything is signed: a refusal exits 2 naming the field
// ("lanyard: dbs claims refused: typeOfDbsCheck: must be one of ..."). Uses of `issue`: the
// key (key_file, or store and key_id), format, kid, holder (SD-JWT: cnf; Data Integrity: the
// subject id when the claims have none), status_db and status_lists, in_file (the claims).
// The suite follows the key (Ed25519 eddsa-jcs-2022, P-256 ecdsa-jcs-2019).
struct PassportIssueArgs {
  std::string type;  // "dbs" ... (or the type's DI type, vct or schema id)
  IssueArgs issue;
  // validUntil (Data Integrity) or exp (SD-JWT VC): an RFC 3339 time, or a date YYYY-MM-DD
  // meaning the end of that day (23:59:59Z).
  std::optional<std::string> valid_until;
};
int PassportIssue(const Environment& env, const PassportIssueArgs& args);

// `passport present`: as `credential present`, but with no --disclose the holder reveals the
// type's default disclosures (for occupational health: the clearance outcome, not the
// immunisations).
int PassportPresent(const Environment& env, const PresentArgs& args);

// `passport schema TYPE`: prints the type's JSON Schema as compiled into the program.
int PassportSchema(const Environment& env, const std::string& type);

struct TrustBundleArgs {
  std::string registry;
  std::string key_file;
  std::string out = "-";
  std::vector<std::string> did_documents;  // documents to include as given (else fetched)
  int validity_days = 30;
};
// Signs the registry and its organisations' DID documents as a trust bundle.
int TrustBundleBuild(const Environment& env, const TrustBundleArgs& args);

struct StatusListArgs {
  std::string db;
  std::string id;
  // create
  std::string format = "bitstring";
  std::string purpose;
  std::string url;
  std::optional<std::string> issuer;
  uint64_t size = 131072;
  // revoke / suspend / reinstate / show
  std::optional<uint64_t> index;
  std::string reason;
  // publish (and create, for the issuer's did:key)
  std::optional<std::string> key_file;
  std::optional<std::string> kid;
  std::string out = "-";
  int validity_hours = 168;
  int ttl_seconds = 300;
};
int StatusListCreate(const Environment& env, const StatusListArgs& args);
// action: "revoke", "suspend" or "reinstate".
int StatusListChange(const Environment& env, const StatusListArgs& args, const std::string& action);
int StatusListPublish(const Environment& env, const StatusListArgs& args);
int StatusListShow(const Environment& env, const StatusListArgs& args);

struct ReadinessArgs {
  VerifyArgs verify;  // --now, --trust, --trust-signer, --status-cache, --offline, --nonce ...
  std::string profile;  // a built-in profile id, or a profile file
  std::string movement;
  std::vector<std::string> agreements;
  std::string start;  // YYYY-MM-DD
  std::string from;
  std::string receiving;
  int window_days = 28;
  std::optional<std::string> live;  // the live-service simulator file
  std::vector<std::string> overrides;  // CHECK=DECISION, paired in order with reasons and names
  std::vector<std::string> reasons;
  std::vector<std::string> by;
  bool json = false;
  std::vector<std::string> credentials;
};
// Verifies the credentials and prints the readiness decision. Exit 0 when cleared (or cleared
// subject to re-verification), 1 when not cleared, 2 for unusable input or usage.
int ReadinessCheck(const Environment& env, const ReadinessArgs& args);

// Checks a role requirement profile file ("-" for stdin): prints a one-line summary (id,
// version, role, number of requirements), or the "<file>:<line>: <field>: <why>" refusal on
// stderr and exits 2.
int ProfileValidate(const Environment& env, const std::string& file);
// Prints a profile in the file format: a built-in one by id, or else a profile file.
int ProfileShow(const Environment& env, const std::string& name_or_file);

struct ReadinessBatchArgs {
  VerifyArgs verify;
  std::string cohort;  // the cohort file
  std::optional<std::string> live;
  int threads = 0;
  bool json = false;
};
// A whole cohort (a changeover day): the cohort file is
//   {"members": [{"person", "profile", "movement", "from", "receiving", "start",
//                 "credentials": [files, relative to the cohort file]}]}
// Prints a dashboard (who is cleared, who is blocked and on what), or JSON. A progress bar goes to
// a terminal's stderr only. Exit 0 when everyone is cleared (or subject to re-verification),
// 1 when anyone is not, 2 for unusable input or usage.
int ReadinessBatch(const Environment& env, const ReadinessBatchArgs& args);

struct DemoDataArgs {
  int staff = 20;
  uint64_t seed = 1;
  std::string out;
};
// Writes a seeded synthetic workforce with real credentials (see demo_data_command.cc).
int DemoData(const Environment& env, const DemoDataArgs& args);

// Parses argv and runs the chosen command.
int Run(int argc, char** argv, const Environment& env);

// Adds `serve`, `admin ...` and `audit verify` to `app` (service_commands.cc). After parsing,
// the returned function runs whichever of them was given, or returns nullopt for none.
std::function<std::optional<int>()> AddServiceCommands(CLI::App& app, const Environment& env);

// Adds `backup`, `restore` and `admin key export` (backup_commands.cc). REQUIRES:
// AddServiceCommands has added `admin`. Returns as AddServiceCommands does.
std::function<std::optional<int>()> AddBackupCommands(CLI::App& app, const Environment& env);

// Adds `analytics generate` (analytics_commands.cc). Returns as AddServiceCommands does.
std::function<std::optional<int>()> AddAnalyticsCommands(CLI::App& app, const Environment& env);

}  // namespace lanyard::cli
