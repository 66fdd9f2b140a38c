#include "lanyard/crypto/master_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>
#include <system_error>

#include "lanyard/crypto/private_file.h"
#include "lanyard/crypto/sodium_init.h"

namespace lanyard::crypto {
namespace {

constexpr size_t kHexDigits = 2 * SecretKey::kSize;
// The longest acceptable file: the digits and one newline. One byte more is read so that a
// longer file is noticed.
constexpr size_t kMaxFileBytes = kHexDigits + 1;

Error Invalid(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "masterkey.invalid", what);
}

Error Insecure(const std::string& what) {
  return MakeError(Code::kFailedPrecondition, "masterkey.insecure_permissions", what);
}

Error IoError(const std::string& what, int err) {
  return FileError("masterkey.io_error", what, err);
}

// Reads and checks the key file. Returns nullopt when it does not exist.
Result<std::optional<SecretKey>> ReadKeyFile(const std::string& path) {
  // O_NOFOLLOW: a link could point the server at a key (or a file) chosen by whoever can write
  // the directory, and the permission check below would judge the wrong file.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<SecretKey>();
    if (errno == ELOOP) {
      return Insecure(path + " is a symbolic link; the master key file must not be");
    }
    return IoError("cannot open " + path, errno);
  }
  UniqueFd closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return IoError("cannot stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return Invalid(path + " is not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Insecure(path + " is accessible to other users (mode " +
                    std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                    std::to_string(st.st_mode & 7) + "); run chmod 600 on it");
  }
  char text[kMaxFileBytes + 1];
  size_t size = 0;
  Status status = OkStatus();
  while (size < sizeof text) {
    ssize_t n = ::read(fd, text + size, sizeof text - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      status = IoError("cannot read " + path, errno);
      break;
    }
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  Result<SecretKey> key = Invalid(path + " does not hold 64 hex digits");
  if (status.ok()) {
    std::string_view contents(text, size);
    if (contents.ends_with('\n')) contents.remove_suffix(1);
    if (contents.size() == kHexDigits) {
      key = SecretKey::FromHex(contents);
      if (!key.ok() && key.error().reason == "secretbox.invalid_key") {
        key = Invalid(path + " does not hold 64 hex digits");
      }
    }
  }
  sodium_memzero(text, sizeof text);
  LANYARD_TRY(status);
  if (!key.ok()) return std::move(key).error();
  return std::optional<SecretKey>(std::move(key).value());
}

// Writes a new key file holding `key` (crypto/private_file.h). Errors with kAlreadyExists when
// the file appeared meanwhile (another process created it first): link(2), unlike rename(2),
// never replaces a key another process has just written and may already have sealed data under.
Status CreateKeyFile(const std::string& path, const SecretKey& key) {
  uint8_t hex[kHexDigits + 2];  // digits, newline, and sodium_bin2hex's terminating NUL
  sodium_bin2hex(reinterpret_cast<char*>(hex), kHexDigits + 1, internal::SecretKeyAccess::Data(key),
                 SecretKey::kSize);
  hex[kHexDigits] = '\n';
  Status created = CreatePrivateFile(path, ByteView(hex, kHexDigits + 1), "masterkey.io_error",
                                     "masterkey.io_error");
  sodium_memzero(hex, sizeof hex);
  return created;
}

}  // namespace

Result<MasterKeySource> LoadOrCreateMasterKey(const std::string& file_path,
                                              const EnvironmentLookup& env) {
  internal::EnsureSodium();
  const char* from_env = env(kMasterKeyVariable);
  if (from_env != nullptr && *from_env != '\0') {
    auto key = SecretKey::FromHex(from_env);
    if (!key.ok()) {
      if (key.error().code == Code::kInvalidArgument) {
        return Invalid(std::string(kMasterKeyVariable) + " must be 64 hex digits (32 bytes)");
      }
      return std::move(key).error();
    }
    return MasterKeySource{std::move(key).value(), false, "environment"};
  }
  // Twice at most: if another process creates the file between our read and our write, the
  // second pass reads theirs.
  for (int attempt = 0; attempt < 2; ++attempt) {
    LANYARD_ASSIGN_OR_RETURN(std::optional<SecretKey> existing, ReadKeyFile(file_path));
    if (existing.has_value()) return MasterKeySource{std::move(*existing), false, file_path};
    LANYARD_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Generate());
    Status created = CreateKeyFile(file_path, key);
    if (created.ok()) return MasterKeySource{std::move(key), true, file_path};
    if (created.error().code != Code::kAlreadyExists) return std::move(created).error();
  }
  return MakeError(Code::kInternal, "masterkey.io_error",
                   file_path + " keeps appearing and disappearing");
}

Result<MasterKeySource> LoadMasterKey(const std::string& file_path, const EnvironmentLookup& env) {
  internal::EnsureSodium();
  const char* from_env = env(kMasterKeyVariable);
  if (from_env != nullptr && *from_env != '\0') {
    // The environment wins, as in LoadOrCreateMasterKey (which never creates a file then).
    return LoadOrCreateMasterKey(file_path, env);
  }
  LANYARD_ASSIGN_OR_RETURN(std::optional<SecretKey> existing, ReadKeyFile(file_path));
  if (!existing.has_value()) {
    return MakeError(Code::kNotFound, "masterkey.not_found",
                     std::string("no master key: ") + kMasterKeyVariable + " is unset and " +
                         file_path + " does not exist");
  }
  return MasterKeySource{std::move(*existing), false, file_path};
}

Status WriteMasterKeyFile(const std::string& path, const SecretKey& key) {
  Status created = CreateKeyFile(path, key);
  if (!created.ok() && created.error().code == Code::kAlreadyExists) {
    return MakeError(Code::kAlreadyExists, "masterkey.exists",
                     path + " already exists; a key file is never overwritten");
  }
  return created;
}

std::string MasterKeyFileFor(std::string_view db_path) {
  return std::string(db_path) + ".master-key";
}

Result<KeyStoreSecret> KeyStoreSecretFromMasterKey(const SecretKey& master) {
  LANYARD_ASSIGN_OR_RETURN(SecretKey derived, DeriveSecretKey(master, "LanyKeys", 1));
  KeyStoreSecret secret;
  secret.kind = KeyStoreSecret::Kind::kMasterKey;
  secret.value.resize(SecretKey::kSize * 2);
  sodium_bin2hex(secret.value.data(), secret.value.size() + 1,
                 internal::SecretKeyAccess::Data(derived), SecretKey::kSize);
  return secret;
}

}  // namespace lanyard::crypto
