#include "lanyard/cli/cli_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/parser.h"

namespace lanyard::cli {

Result<std::string> ReadInput(const std::string& path, size_t max_bytes) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return MakeError(Code::kInvalidArgument, "input.unreadable",
                       "cannot read " + path + ": it is a directory");
    }
    file.open(path, std::ios::binary);
    if (!file) {
      return MakeError(Code::kNotFound, "input.unreadable",
                       "cannot read " + path + ": " + std::strerror(errno));
    }
    in = &file;
  }
  std::string data;
  char buf[65536];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    data.append(buf, static_cast<size_t>(in->gcount()));
    if (data.size() > max_bytes) {
      return MakeError(Code::kResourceExhausted, "input.too_large",
                       (path == "-" ? std::string("standard input") : path) + " is larger than " +
                           std::to_string(max_bytes) + " bytes");
    }
  }
  return data;
}

Status WritePrivateFile(const std::string& path, const std::string& text) {
  // O_NOFOLLOW: a symbolic link planted at the path must not redirect a private key elsewhere.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return MakeError(Code::kUnavailable, "output.unwritable",
                     "cannot write " + path + ": " + std::strerror(errno));
  }
  // An existing file keeps its old mode through O_TRUNC: tighten it before writing secrets.
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return MakeError(Code::kUnavailable, "output.unwritable",
                     "cannot write " + path + ": " + std::strerror(errno));
  }
  return OkStatus();
}

Result<json::Value> ReadJsonObject(const std::string& path, const char* what) {
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  auto value = json::Parse(text);
  if (!value.ok()) {
    return MakeError(Code::kInvalidArgument, value.error().reason,
                     std::string(what) + " is not usable JSON: " + value.error().message);
  }
  if (!value->is_object()) {
    return MakeError(Code::kInvalidArgument, "input.not_object",
                     std::string(what) + " must be a JSON object");
  }
  return value;
}

Result<crypto::PrivateKey> ReadPrivateKey(const std::string& path) {
  LANYARD_ASSIGN_OR_RETURN(json::Value jwk, ReadJsonObject(path, path.c_str()));
  auto key = crypto::PrivateKeyFromJwk(jwk);
  if (!key.ok()) {
    return MakeError(Code::kInvalidArgument, key.error().reason, path + ": " + key.error().message);
  }
  return key;
}

Result<std::unique_ptr<crypto::KeyStore>> OpenStore(const Environment& env,
                                                    const std::string& directory) {
  if (!env.keystore_secret) {
    return MakeError(Code::kFailedPrecondition, "keystore.no_secret", "no key store secret");
  }
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyStoreSecret secret, env.keystore_secret());
  return crypto::OpenFileKeyStore(directory, secret);
}

int Usage(const Environment& env, const Error& e) {
  *env.err << "lanyard: " << e.message << "\n";
  return kExitUsage;
}

Status WriteOutput(const Environment& env, const std::string& path, const std::string& text) {
  if (path == "-") {
    *env.out << text;
    return OkStatus();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return MakeError(Code::kUnavailable, "output.unwritable",
                     "cannot write " + path + ": " + std::strerror(errno));
  }
  return OkStatus();
}

Result<Bytes> ReadPseudonymKeyFile(const std::string& path) {
  // One line of 64 hex digits; anything longer is refused before it is read whole.
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(path, 256));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto key = HexDecode(text);
  if (!key.ok() || key->size() != 32) {
    return MakeError(Code::kInvalidArgument, "export.invalid_key",
                     "the pseudonymisation key file holds 64 hex digits");
  }
  return *std::move(key);
}

}  // namespace lanyard::cli
