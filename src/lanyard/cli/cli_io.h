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

namespace lanyard::cli {

// Largest file any command reads by default: credentials and keys are kilobytes; a bigger file
// is refused before it is read whole.
inline constexpr size_t kMaxInputBytes = 2 * 1024 * 1024;

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
// Prints "lanyard: <message>" to stderr and returns kExitUsage.
int Usage(const Environment& env, const Error& e);

}  // namespace lanyard::cli
