// Reading and writing files for the command line: bounded reads, private files, JSON objects,
// keys, and the one way every command reports a usage error.
#pragma once

#include <memory>
#include <string>

#include "lanyard/cli/commands.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/json/value.h"
#include "lanyard/trust/trust_bundle.h"
#include "lanyard/verify/status_check.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::cli {

// Largest file any command reads by default: credentials and keys are kilobytes; a bigger file
// is refused before it is read whole.
inline constexpr size_t kMaxInputBytes = 2 * 1024 * 1024;

// The 32-byte pseudonymisation key from a file holding it as 64 hex digits (one line).
// Errors: usage (unreadable), export.invalid_key.
Result<Bytes> ReadPseudonymKeyFile(const std::string& path);

// Reads a file (or stdin for "-"), refusing more than `max_bytes`.
// Errors: input.unreadable, input.too_large.
Result<std::string> ReadInput(const std::string& path, size_t max_bytes = kMaxInputBytes);
// Writes `text` to a new file readable only by its owner (private keys).
Status WritePrivateFile(const std::string& path, const std::string& text);
// Writes `text` to `path`, or to stdout for "-".
Status WriteOutput(const Environment& env, const std::string& path, const std::string& text);
Result<json::Value> ReadJsonObject(const std::string& path, const char* what);
Result<crypto::PrivateKey> ReadPrivateKey(const std::string& path);
Result<std::unique_ptr<crypto::KeyStore>> OpenStore(const Environment& env,
                                                    const std::string& directory);
// Everything `credential verify` (and every command that verifies) sets up from its options: the
// clock of --now, the resolver (offline, or with a trust bundle's documents first), the status
// checker and its cache. The options point into this object; keep it alive while verifying.
struct Verifier {
  verify::VerifyOptions options;
  const did::Resolver* resolver = nullptr;
  std::unique_ptr<SimulatedClock> clock;
  std::unique_ptr<did::Resolver> offline_resolver;
  std::unique_ptr<did::Resolver> bundle_resolver;
  std::optional<crypto::TrustAnchors> anchors;
  std::optional<trust::TrustBundle> bundle;
  std::unique_ptr<verify::StatusChecker> status;

  // Errors: those of reading and loading the files named (--trust, --trust-anchors), and
  // "usage" for --require-trust without a pinned bundle signer.
  static Result<std::unique_ptr<Verifier>> Make(const Environment& env, const VerifyArgs& args);
};

// Prints "lanyard: <message>" to stderr and returns kExitUsage.
int Usage(const Environment& env, const Error& e);

}  // namespace lanyard::cli
