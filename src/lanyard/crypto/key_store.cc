#include "lanyard/crypto/key_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/private_file.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/json/value.h"

namespace lanyard::crypto {
namespace {

constexpr int kFormatVersion = 1;
constexpr char kHeaderName[] = "keystore.json";
constexpr std::string_view kKeyFileSuffix = ".key.json";
constexpr std::string_view kPassphraseAlg = "argon2id13";
constexpr std::string_view kMasterKeyAlg = "master-key";

constexpr size_t kIdRandomBytes = 16;
constexpr size_t kSecretBytes = 32;  // Ed25519 seed or P-256 scalar
constexpr size_t kStoreKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr size_t kMasterKeyBytes = crypto_kdf_KEYBYTES;
// Every file the store writes is well under a kilobyte; anything far larger is not ours.
constexpr size_t kMaxFileBytes = 64 * 1024;

constexpr std::string_view kCheckPlaintext = "lanyard keystore check v1";
constexpr std::string_view kCheckAd = "lanyard.keystore.check.v1";
constexpr std::string_view kKeyAdPrefix = "lanyard.keystore.key.v1";
constexpr char kMasterKeyContext[] = "LanyrdKS";
constexpr uint64_t kMasterKeySubkeyId = 1;

static_assert(kStoreKeyBytes == 32 && kNonceBytes == 24 && kSaltBytes == 16);
static_assert(kMasterKeyBytes == 32);
static_assert(sizeof kMasterKeyContext - 1 == crypto_kdf_CONTEXTBYTES);
static_assert(crypto_kdf_BYTES_MIN <= kStoreKeyBytes && kStoreKeyBytes <= crypto_kdf_BYTES_MAX);
// The header documents these without including sodium.h; keep them in step with libsodium.
static_assert(FileKeyStoreOptions{}.opslimit == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(FileKeyStoreOptions{}.memlimit == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(FileKeyStoreOptions::kMinOpsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(FileKeyStoreOptions::kMinMemLimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN);
static_assert(FileKeyStoreOptions::kMaxMemLimit <= crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);

// libsodium must be initialised before use. sodium_init is idempotent; a static keeps the call
// off every later path. Failure means no entropy source, and nothing can be kept safely.
void EnsureSodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) std::abort();
}

// ----- Errors -----------------------------------------------------------------------------------

Error Corrupt(const std::string& path, const std::string& what) {
  return MakeError(Code::kDataLoss, "keystore.corrupt", path + ": " + what);
}

Error IoError(const std::string& what, int err) {
  return FileError("keystore.io_error", what, err);
}

Error NotFound(std::string_view id) {
  return MakeError(Code::kNotFound, "keystore.not_found",
                   "no key with id \"" + std::string(id) + "\" in the key store");
}

// ----- Ids, labels, signers ---------------------------------------------------------------------

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool IsValidId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxKeyIdLength && std::all_of(id.begin(), id.end(), IsIdChar);
}

// Ids become file names, so they are checked before any path is built from them.
Status ValidateId(std::string_view id) {
  if (IsValidId(id)) return OkStatus();
  return MakeError(
      Code::kInvalidArgument, "keystore.invalid_id",
      "a key id is 1 to " + std::to_string(kMaxKeyIdLength) + " characters of A-Z a-z 0-9 - _");
}

Status ValidateLabel(std::string_view label) {
  if (label.size() > kMaxKeyLabelBytes) {
    return MakeError(Code::kInvalidArgument, "keystore.invalid_label",
                     "a key label is at most " + std::to_string(kMaxKeyLabelBytes) + " bytes");
  }
  // Labels are written into JSON files, which hold only UTF-8; the canonicaliser checks that.
  if (!json::Canonicalize(json::Value(label)).ok()) {
    return MakeError(Code::kInvalidArgument, "keystore.invalid_label", "a key label must be UTF-8");
  }
  return OkStatus();
}

// A fresh random id. Redrawn when it would start with '-' or '_': people paste ids into command
// lines, where a leading '-' reads as an option.
std::string NewKeyId() {
  while (true) {
    uint8_t random[kIdRandomBytes];
    SecureRandom(random);
    std::string id = Base64UrlEncode(random);
    if (id[0] != '-' && id[0] != '_') return id;
  }
}

// What callers get from GetSigner: signs with a key it shares with the store, but offers no way
// to reach the secret (a PrivateKey handed out directly could be cast back and exported).
class StoredSigner final : public Signer {
 public:
  explicit StoredSigner(PrivateKey key) : key_(std::move(key)) {}
  const PublicKey& public_key() const override { return key_.public_key(); }
  Result<Bytes> Sign(ByteView message) const override { return key_.Sign(message); }

 private:
  PrivateKey key_;
};

// The store keeps its own copy of an imported key, independent of the caller's.
Result<PrivateKey> CopyKey(const PrivateKey& key) {
  Bytes secret = key.ExportSecret();
  auto copy = PrivateKey::FromSecret(key.type(), secret);
  sodium_memzero(secret.data(), secret.size());
  return copy;
}

// ----- Memory store -----------------------------------------------------------------------------

class MemoryKeyStore final : public KeyStore {
 public:
  Result<KeyInfo> Generate(KeyType type, std::string_view label) override {
    LANYARD_TRY(ValidateLabel(label));
    LANYARD_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate(type));
    return Add(std::move(key), label);
  }

  Result<KeyInfo> Import(const PrivateKey& key, std::string_view label) override {
    LANYARD_TRY(ValidateLabel(label));
    LANYARD_ASSIGN_OR_RETURN(PrivateKey copy, CopyKey(key));
    return Add(std::move(copy), label);
  }

  Result<std::shared_ptr<const Signer>> GetSigner(std::string_view id) const override {
    LANYARD_TRY(ValidateId(id));
    std::lock_guard lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return NotFound(id);
    return it->second.signer;
  }

  Result<KeyInfo> Get(std::string_view id) const override {
    LANYARD_TRY(ValidateId(id));
    std::lock_guard lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return NotFound(id);
    return it->second.info;
  }

  Result<std::vector<KeyInfo>> List() const override {
    std::lock_guard lock(mu_);
    std::vector<KeyInfo> out;
    out.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) out.push_back(entry.info);  // the map is sorted
    return out;
  }

 private:
  struct Entry {
    KeyInfo info;
    std::shared_ptr<const Signer> signer;
  };

  Result<KeyInfo> Add(PrivateKey key, std::string_view label) {
    auto signer = std::make_shared<const StoredSigner>(std::move(key));
    KeyInfo info{NewKeyId(), signer->type(), signer->public_key(), std::string(label)};
    std::lock_guard lock(mu_);
    if (!entries_.try_emplace(info.id, Entry{info, signer}).second) {
      return MakeError(Code::kAlreadyExists, "keystore.id_collision",
                       "the random key id " + info.id + " is already in use");
    }
    return info;
  }

  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// ----- Files ------------------------------------------------------------------------------------

std::string JoinPath(const std::string& directory, std::string_view name) {
  std::string path = directory;
  if (path.empty() || path.back() != '/') path += '/';
  path += name;
  return path;
}

// Reads a regular file of at most kMaxFileBytes. Returns nullopt when it does not exist.
Result<std::optional<std::string>> ReadSmallFile(const std::string& path) {
  // O_NOFOLLOW: the store's files are its own, never links to something elsewhere.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    if (errno == ELOOP) return Corrupt(path, "is a symbolic link");
    return IoError("cannot open " + path, errno);
  }
  UniqueFd closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return IoError("cannot stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return Corrupt(path, "is not a regular file");
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read " + path, errno);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) return Corrupt(path, "is far larger than a key store file");
  }
  return std::optional<std::string>(std::move(text));
}

// Writes `name` in `directory` as a new private file (crypto/private_file.h); a name that exists
// is "keystore.id_collision". See the header for why link(2) rather than rename(2).
Status WriteNewFile(const std::string& directory, std::string_view name,
                    std::string_view contents) {
  return CreatePrivateFile(
      JoinPath(directory, name),
      ByteView(reinterpret_cast<const uint8_t*>(contents.data()), contents.size()),
      "keystore.io_error", "keystore.id_collision");
}

// Creates `directory` and any missing parents, each with mode 0700.
Status EnsureDirectory(const std::string& directory) {
  struct stat st;
  if (::stat(directory.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return IoError("cannot use " + directory, ENOTDIR);
    return OkStatus();
  }
  if (errno != ENOENT) return IoError("cannot stat " + directory, errno);
  std::filesystem::path parent = std::filesystem::path(directory).parent_path();
  if (!parent.empty() && parent.string() != directory) {
    LANYARD_TRY(EnsureDirectory(parent.string()));
  }
  if (::mkdir(directory.c_str(), 0700) != 0) {
    if (errno == EEXIST) return EnsureDirectory(directory);  // created meanwhile by another
    return IoError("cannot create directory " + directory, errno);
  }
  // As for files: the umask must not decide who may read the store.
  if (::chmod(directory.c_str(), 0700) != 0) {
    return IoError("cannot set the mode of " + directory, errno);
  }
  return OkStatus();
}

// Whether `name` is "<valid id>.key.json"; sets *id to the id if so.
bool IsKeyFileName(std::string_view name, std::string_view* id) {
  if (name.size() <= kKeyFileSuffix.size() || !name.ends_with(kKeyFileSuffix)) return false;
  *id = name.substr(0, name.size() - kKeyFileSuffix.size());
  return IsValidId(*id);
}

// The ids of the key files in `directory` (unsorted).
Result<std::vector<std::string>> KeyFileIds(const std::string& directory) {
  std::vector<std::string> ids;
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) return IoError("cannot list " + directory, ec.value());
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::string_view id;
    if (IsKeyFileName(name, &id)) ids.emplace_back(id);
  }
  if (ec) return IoError("cannot list " + directory, ec.value());
  return ids;
}

// ----- JSON fields ------------------------------------------------------------------------------

Result<json::Value> ParseStoreFile(const std::string& path, std::string_view text) {
  auto doc = json::Parse(text);
  if (!doc.ok()) return Corrupt(path, "is not valid JSON (" + doc.error().message + ")");
  if (!doc->is_object()) return Corrupt(path, "is not a JSON object");
  return std::move(doc).value();
}

Status CheckVersion(const std::string& path, const json::Value& doc) {
  const json::Value* version = doc.Find("version");
  if (version == nullptr || !version->is_number()) return Corrupt(path, "has no version number");
  if (version->as_number() != kFormatVersion) {
    return MakeError(Code::kFailedPrecondition, "keystore.unsupported_version",
                     path + ": format version " + json::Serialize(*version) +
                         " is not supported (this Lanyard reads version 1)");
  }
  return OkStatus();
}

Result<std::string> StringField(const std::string& path, const json::Value& obj,
                                std::string_view name) {
  const std::string* s = obj.FindString(name);
  if (s == nullptr) return Corrupt(path, "has no string \"" + std::string(name) + "\"");
  return *s;
}

Result<Bytes> BytesField(const std::string& path, const json::Value& obj, std::string_view name,
                         size_t size) {
  LANYARD_ASSIGN_OR_RETURN(std::string text, StringField(path, obj, name));
  auto bytes = Base64UrlDecode(text);
  if (!bytes.ok() || bytes->size() != size) {
    return Corrupt(path, "\"" + std::string(name) + "\" is not " + std::to_string(size) +
                             " bytes of base64url");
  }
  return std::move(bytes).value();
}

Result<uint64_t> LimitField(const std::string& path, const json::Value& obj, std::string_view name,
                            uint64_t min, uint64_t max) {
  const json::Value* v = obj.Find(name);
  if (v == nullptr || !v->is_number() || std::floor(v->as_number()) != v->as_number() ||
      v->as_number() < static_cast<double>(min) || v->as_number() > static_cast<double>(max)) {
    return Corrupt(path, "\"" + std::string(name) + "\" is not an integer from " +
                             std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<uint64_t>(v->as_number());
}

// ----- Store key and header ---------------------------------------------------------------------

struct SodiumFree {
  void operator()(unsigned char* p) const { sodium_free(p); }
};

// The 32-byte store key, in memory that libsodium guards, locks against swapping where it can,
// makes read-only once filled, and wipes when freed.
class StoreKey {
 public:
  static Result<StoreKey> Allocate() {
    auto* p = static_cast<unsigned char*>(sodium_malloc(kStoreKeyBytes));
    if (p == nullptr) {
      return MakeError(Code::kResourceExhausted, "keystore.kdf_failed",
                       "cannot allocate protected memory for the store key");
    }
    return StoreKey(p);
  }

  unsigned char* mutable_data() { return key_.get(); }
  const unsigned char* data() const { return key_.get(); }
  void Seal() { sodium_mprotect_readonly(key_.get()); }

 private:
  explicit StoreKey(unsigned char* p) : key_(p) {}
  std::unique_ptr<unsigned char, SodiumFree> key_;
};

// What keystore.json says about deriving the store key.
struct KdfParams {
  KeyStoreSecret::Kind kind = KeyStoreSecret::Kind::kPassphrase;
  Bytes salt;  // passphrase stores only
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
};

std::string KindName(KeyStoreSecret::Kind kind) {
  return kind == KeyStoreSecret::Kind::kPassphrase ? "a passphrase" : "a master key";
}

Status ValidateSecret(const KeyStoreSecret& secret) {
  if (secret.kind == KeyStoreSecret::Kind::kPassphrase) {
    if (secret.value.empty()) {
      return MakeError(Code::kInvalidArgument, "keystore.invalid_secret",
                       "the key store passphrase is empty");
    }
    return OkStatus();
  }
  if (secret.value.size() != 2 * kMasterKeyBytes || !HexDecode(secret.value).ok()) {
    return MakeError(Code::kInvalidArgument, "keystore.invalid_secret",
                     "the key store master key must be 64 hex digits (32 bytes)");
  }
  return OkStatus();
}

Result<StoreKey> DeriveStoreKey(const KeyStoreSecret& secret, const KdfParams& params) {
  LANYARD_ASSIGN_OR_RETURN(StoreKey key, StoreKey::Allocate());
  if (secret.kind == KeyStoreSecret::Kind::kPassphrase) {
    if (crypto_pwhash(key.mutable_data(), kStoreKeyBytes, secret.value.data(), secret.value.size(),
                      params.salt.data(), params.opslimit, static_cast<size_t>(params.memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return MakeError(Code::kResourceExhausted, "keystore.kdf_failed",
                       "Argon2id could not allocate " + std::to_string(params.memlimit) + " bytes");
    }
  } else {
    LANYARD_ASSIGN_OR_RETURN(Bytes master, HexDecode(secret.value));
    crypto_kdf_derive_from_key(key.mutable_data(), kStoreKeyBytes, kMasterKeySubkeyId,
                               kMasterKeyContext, master.data());
    sodium_memzero(master.data(), master.size());
  }
  key.Seal();
  return key;
}

Result<KdfParams> ReadKdfParams(const std::string& path, const json::Value& header) {
  const json::Value* kdf = header.Find("kdf");
  if (kdf == nullptr || !kdf->is_object()) return Corrupt(path, "has no \"kdf\" object");
  LANYARD_ASSIGN_OR_RETURN(std::string alg, StringField(path, *kdf, "alg"));
  KdfParams params;
  if (alg == kMasterKeyAlg) {
    params.kind = KeyStoreSecret::Kind::kMasterKey;
    return params;
  }
  if (alg != kPassphraseAlg) return Corrupt(path, "names an unknown KDF \"" + alg + "\"");
  params.kind = KeyStoreSecret::Kind::kPassphrase;
  LANYARD_ASSIGN_OR_RETURN(params.salt, BytesField(path, *kdf, "salt", kSaltBytes));
  // Bounded so that an altered header cannot make every open take minutes or gigabytes.
  LANYARD_ASSIGN_OR_RETURN(params.opslimit,
                           LimitField(path, *kdf, "opslimit", FileKeyStoreOptions::kMinOpsLimit,
                                      FileKeyStoreOptions::kMaxOpsLimit));
  LANYARD_ASSIGN_OR_RETURN(params.memlimit,
                           LimitField(path, *kdf, "memlimit", FileKeyStoreOptions::kMinMemLimit,
                                      FileKeyStoreOptions::kMaxMemLimit));
  return params;
}

// Opens an existing store's header: the secret must be of the recorded kind and decrypt the
// check value.
Result<StoreKey> OpenHeader(const std::string& path, std::string_view text,
                            const KeyStoreSecret& secret) {
  LANYARD_ASSIGN_OR_RETURN(json::Value header, ParseStoreFile(path, text));
  LANYARD_TRY(CheckVersion(path, header));
  LANYARD_ASSIGN_OR_RETURN(KdfParams params, ReadKdfParams(path, header));
  if (params.kind != secret.kind) {
    return MakeError(Code::kFailedPrecondition, "keystore.wrong_secret_kind",
                     "the key store at " + path + " is protected by " + KindName(params.kind) +
                         ", not " + KindName(secret.kind));
  }
  const json::Value* check = header.Find("check");
  if (check == nullptr || !check->is_object()) return Corrupt(path, "has no \"check\" object");
  LANYARD_ASSIGN_OR_RETURN(Bytes nonce, BytesField(path, *check, "nonce", kNonceBytes));
  LANYARD_ASSIGN_OR_RETURN(
      Bytes sealed, BytesField(path, *check, "ciphertext", kCheckPlaintext.size() + kTagBytes));
  LANYARD_ASSIGN_OR_RETURN(StoreKey key, DeriveStoreKey(secret, params));
  unsigned char opened[kCheckPlaintext.size()];
  unsigned long long opened_size = 0;
  const ByteView ad = AsBytes(kCheckAd);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(opened, &opened_size, nullptr, sealed.data(),
                                                 sealed.size(), ad.data(), ad.size(), nonce.data(),
                                                 key.data()) != 0) {
    // A wrong secret and an altered check value look the same; the former is far likelier.
    const char* what =
        secret.kind == KeyStoreSecret::Kind::kPassphrase ? "passphrase" : "master key";
    return MakeError(Code::kPermissionDenied, "keystore.wrong_passphrase",
                     std::string("the ") + what + " does not open the key store at " + path);
  }
  if (AsChars(ByteView(opened, opened_size)) != kCheckPlaintext) {
    return Corrupt(path, "has an unexpected check value");
  }
  return key;
}

// Creates a new store's header. Errors with kAlreadyExists if another process got there first.
Result<StoreKey> CreateHeader(const std::string& directory, const KeyStoreSecret& secret,
                              const FileKeyStoreOptions& options) {
  KdfParams params;
  params.kind = secret.kind;
  json::Object kdf;
  if (secret.kind == KeyStoreSecret::Kind::kPassphrase) {
    params.salt = SecureRandomBytes(kSaltBytes);
    params.opslimit = options.opslimit;
    params.memlimit = options.memlimit;
    kdf.emplace_back("alg", kPassphraseAlg);
    kdf.emplace_back("salt", Base64UrlEncode(params.salt));
    kdf.emplace_back("opslimit", static_cast<double>(params.opslimit));
    kdf.emplace_back("memlimit", static_cast<double>(params.memlimit));
  } else {
    kdf.emplace_back("alg", kMasterKeyAlg);
  }
  LANYARD_ASSIGN_OR_RETURN(StoreKey key, DeriveStoreKey(secret, params));
  Bytes nonce = SecureRandomBytes(kNonceBytes);
  Bytes sealed(kCheckPlaintext.size() + kTagBytes);
  const ByteView plain = AsBytes(kCheckPlaintext);
  const ByteView ad = AsBytes(kCheckAd);
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), nullptr, plain.data(), plain.size(),
                                             ad.data(), ad.size(), nullptr, nonce.data(),
                                             key.data());
  json::Object check;
  check.emplace_back("nonce", Base64UrlEncode(nonce));
  check.emplace_back("ciphertext", Base64UrlEncode(sealed));
  json::Object header;
  header.emplace_back("version", kFormatVersion);
  header.emplace_back("kdf", std::move(kdf));
  header.emplace_back("check", std::move(check));
  LANYARD_TRY(WriteNewFile(directory, kHeaderName, json::Serialize(header, 2) + "\n"));
  return key;
}

// ----- File store -------------------------------------------------------------------------------

// Additional data binding a key file's ciphertext to its id, type and public key.
std::string KeyAd(std::string_view id, std::string_view type, std::string_view multikey) {
  std::string ad(kKeyAdPrefix);
  for (std::string_view part : {id, type, multikey}) {
    ad.push_back('\0');
    ad.append(part);
  }
  return ad;
}

// A key file's contents, parsed and checked for shape but not yet decrypted.
struct KeyRecord {
  std::string path;
  std::string ad;
  Bytes nonce;
  Bytes sealed;
  KeyInfo info;
};

Result<KeyType> KeyTypeField(const std::string& path, const json::Value& doc) {
  LANYARD_ASSIGN_OR_RETURN(std::string name, StringField(path, doc, "type"));
  // Exactly the names this store writes: they are part of the authenticated data.
  for (KeyType type : {KeyType::kEd25519, KeyType::kP256}) {
    if (name == KeyTypeName(type)) return type;
  }
  return Corrupt(path, "names an unknown key type \"" + name + "\"");
}

class FileKeyStore final : public KeyStore {
 public:
  FileKeyStore(std::string directory, StoreKey key)
      : directory_(std::move(directory)), key_(std::move(key)) {}

  Result<KeyInfo> Generate(KeyType type, std::string_view label) override {
    LANYARD_TRY(ValidateLabel(label));
    LANYARD_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate(type));
    return Persist(std::move(key), label);
  }

  Result<KeyInfo> Import(const PrivateKey& key, std::string_view label) override {
    LANYARD_TRY(ValidateLabel(label));
    LANYARD_ASSIGN_OR_RETURN(PrivateKey copy, CopyKey(key));
    return Persist(std::move(copy), label);
  }

  Result<std::shared_ptr<const Signer>> GetSigner(std::string_view id) const override {
    LANYARD_TRY(ValidateId(id));
    {
      std::lock_guard lock(mu_);
      auto it = signers_.find(id);
      if (it != signers_.end()) return it->second;
    }
    // Decrypted outside the lock: two threads may both load a key on a first call, and the
    // first to finish is kept. That costs less than serialising every miss behind file I/O.
    LANYARD_ASSIGN_OR_RETURN(KeyRecord record, ReadRecord(id));
    unsigned char secret[kSecretBytes];
    Status opened = Open(record, secret);
    auto key = opened.ok()
                   ? PrivateKey::FromSecret(record.info.type, ByteView(secret, sizeof secret))
                   : Result<PrivateKey>(opened.error());
    sodium_memzero(secret, sizeof secret);
    LANYARD_TRY(opened);
    if (!key.ok()) return Corrupt(record.path, "holds a secret that is not a usable key");
    if (!(key->public_key() == record.info.public_key)) {
      return Corrupt(record.path, "holds a secret that does not match its publicKeyMultibase");
    }
    auto signer = std::make_shared<const StoredSigner>(std::move(key).value());
    std::lock_guard lock(mu_);
    return signers_.try_emplace(std::string(id), std::move(signer)).first->second;
  }

  Result<KeyInfo> Get(std::string_view id) const override {
    LANYARD_TRY(ValidateId(id));
    LANYARD_ASSIGN_OR_RETURN(KeyRecord record, ReadRecord(id));
    // Authenticate the file before vouching for its public key, wiping the secret at once.
    unsigned char secret[kSecretBytes];
    Status opened = Open(record, secret);
    sodium_memzero(secret, sizeof secret);
    LANYARD_TRY(opened);
    return std::move(record.info);
  }

  Result<std::vector<KeyInfo>> List() const override {
    LANYARD_ASSIGN_OR_RETURN(std::vector<std::string> ids, KeyFileIds(directory_));
    std::sort(ids.begin(), ids.end());
    std::vector<KeyInfo> out;
    out.reserve(ids.size());
    for (const std::string& id : ids) {
      auto info = Get(id);
      // A damaged file must not hide the good keys; Get on its id reports the damage.
      if (info.ok()) out.push_back(std::move(info).value());
    }
    return out;
  }

 private:
  std::string KeyPath(std::string_view id) const {
    return JoinPath(directory_, std::string(id) + std::string(kKeyFileSuffix));
  }

  // REQUIRES: IsValidId(id).
  Result<KeyRecord> ReadRecord(std::string_view id) const {
    std::string path = KeyPath(id);
    LANYARD_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadSmallFile(path));
    if (!text.has_value()) return NotFound(id);
    LANYARD_ASSIGN_OR_RETURN(json::Value doc, ParseStoreFile(path, *text));
    LANYARD_TRY(CheckVersion(path, doc));
    LANYARD_ASSIGN_OR_RETURN(std::string stated_id, StringField(path, doc, "id"));
    if (stated_id != id) return Corrupt(path, "belongs to key \"" + stated_id + "\"");
    LANYARD_ASSIGN_OR_RETURN(KeyType type, KeyTypeField(path, doc));
    LANYARD_ASSIGN_OR_RETURN(std::string label, StringField(path, doc, "label"));
    if (!ValidateLabel(label).ok()) return Corrupt(path, "has an overlong label");
    LANYARD_ASSIGN_OR_RETURN(std::string multikey, StringField(path, doc, "publicKeyMultibase"));
    auto public_key = PublicKeyFromMultikey(multikey);
    if (!public_key.ok() || public_key->type() != type) {
      return Corrupt(path, "has a publicKeyMultibase that is not a " +
                               std::string(KeyTypeName(type)) + " public key");
    }
    LANYARD_ASSIGN_OR_RETURN(Bytes nonce, BytesField(path, doc, "nonce", kNonceBytes));
    LANYARD_ASSIGN_OR_RETURN(Bytes sealed,
                             BytesField(path, doc, "ciphertext", kSecretBytes + kTagBytes));
    std::string ad = KeyAd(id, KeyTypeName(type), multikey);
    return KeyRecord{
        std::move(path), std::move(ad), std::move(nonce), std::move(sealed),
        KeyInfo{std::string(id), type, std::move(public_key).value(), std::move(label)}};
  }

  // Decrypts a record's secret into `secret`, which the caller wipes.
  Status Open(const KeyRecord& record, unsigned char (&secret)[kSecretBytes]) const {
    unsigned long long size = 0;
    const ByteView ad = AsBytes(record.ad);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret, &size, nullptr, record.sealed.data(),
                                                   record.sealed.size(), ad.data(), ad.size(),
                                                   record.nonce.data(), key_.data()) != 0 ||
        size != kSecretBytes) {
      return Corrupt(record.path,
                     "does not decrypt with this store's key (altered, or from another store)");
    }
    return OkStatus();
  }

  Result<KeyInfo> Persist(PrivateKey key, std::string_view label) {
    KeyInfo info{NewKeyId(), key.type(), key.public_key(), std::string(label)};
    const std::string type_name(KeyTypeName(info.type));
    const std::string multikey = PublicKeyToMultikey(info.public_key);
    const std::string ad = KeyAd(info.id, type_name, multikey);
    const ByteView ad_bytes = AsBytes(ad);
    Bytes nonce = SecureRandomBytes(kNonceBytes);
    Bytes secret = key.ExportSecret();
    if (secret.size() != kSecretBytes) {
      sodium_memzero(secret.data(), secret.size());
      return MakeError(Code::kInternal, "crypto.internal", "unexpected private key length");
    }
    Bytes sealed(kSecretBytes + kTagBytes);
    crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), nullptr, secret.data(), secret.size(),
                                               ad_bytes.data(), ad_bytes.size(), nullptr,
                                               nonce.data(), key_.data());
    sodium_memzero(secret.data(), secret.size());

    json::Object doc;
    doc.emplace_back("version", kFormatVersion);
    doc.emplace_back("id", info.id);
    doc.emplace_back("type", type_name);
    doc.emplace_back("label", info.label);
    doc.emplace_back("publicKeyMultibase", multikey);
    doc.emplace_back("nonce", Base64UrlEncode(nonce));
    doc.emplace_back("ciphertext", Base64UrlEncode(sealed));
    LANYARD_TRY(WriteNewFile(directory_, info.id + std::string(kKeyFileSuffix),
                             json::Serialize(doc, 2) + "\n"));

    auto signer = std::make_shared<const StoredSigner>(std::move(key));
    std::lock_guard lock(mu_);
    signers_.try_emplace(info.id, std::move(signer));
    return info;
  }

  const std::string directory_;
  const StoreKey key_;  // read-only after open
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const Signer>, std::less<>> signers_;
};

// Refuses to start a fresh header beside existing key files: a new salt would make them
// unreadable for good, and a missing header more likely means a damaged store than a new one.
Status RefuseOrphanKeyFiles(const std::string& directory) {
  LANYARD_ASSIGN_OR_RETURN(std::vector<std::string> ids, KeyFileIds(directory));
  if (ids.empty()) return OkStatus();
  return Corrupt(JoinPath(directory, kHeaderName), "is missing, but the directory holds " +
                                                       std::to_string(ids.size()) + " key file(s)");
}

}  // namespace

std::unique_ptr<KeyStore> NewMemoryKeyStore() {
  EnsureSodium();
  return std::make_unique<MemoryKeyStore>();
}

Result<KeyStoreSecret> KeyStoreSecretFromEnvironment() {
  return KeyStoreSecretFromEnvironment(
      [](const char* name) -> const char* { return std::getenv(name); });
}

Result<KeyStoreSecret> KeyStoreSecretFromEnvironment(const EnvironmentLookup& lookup) {
  const char* master = lookup("LANYARD_KEYSTORE_MASTER_KEY");
  if (master != nullptr && *master != '\0') {
    KeyStoreSecret secret{KeyStoreSecret::Kind::kMasterKey, master};
    if (!ValidateSecret(secret).ok()) {
      sodium_memzero(secret.value.data(), secret.value.size());
      return MakeError(Code::kInvalidArgument, "keystore.invalid_secret",
                       "LANYARD_KEYSTORE_MASTER_KEY must be 64 hex digits (32 bytes)");
    }
    return secret;
  }
  const char* passphrase = lookup("LANYARD_KEYSTORE_PASSPHRASE");
  if (passphrase != nullptr && *passphrase != '\0') {
    return KeyStoreSecret{KeyStoreSecret::Kind::kPassphrase, passphrase};
  }
  return MakeError(Code::kFailedPrecondition, "keystore.no_secret",
                   "set LANYARD_KEYSTORE_MASTER_KEY or LANYARD_KEYSTORE_PASSPHRASE to open the "
                   "key store");
}

Result<std::unique_ptr<KeyStore>> OpenFileKeyStore(const std::string& directory,
                                                   const KeyStoreSecret& secret,
                                                   const FileKeyStoreOptions& options) {
  EnsureSodium();
  LANYARD_TRY(ValidateSecret(secret));
  if (options.opslimit < FileKeyStoreOptions::kMinOpsLimit ||
      options.opslimit > FileKeyStoreOptions::kMaxOpsLimit ||
      options.memlimit < FileKeyStoreOptions::kMinMemLimit ||
      options.memlimit > FileKeyStoreOptions::kMaxMemLimit) {
    return MakeError(Code::kInvalidArgument, "keystore.invalid_options",
                     "Argon2id limits must be opslimit 1..16 and memlimit 8 KiB..1 GiB");
  }
  LANYARD_TRY(EnsureDirectory(directory));
  const std::string header_path = JoinPath(directory, kHeaderName);
  // Twice at most: if another process creates the header between our read and our write, the
  // second pass opens theirs.
  for (int attempt = 0; attempt < 2; ++attempt) {
    LANYARD_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadSmallFile(header_path));
    if (text.has_value()) {
      LANYARD_ASSIGN_OR_RETURN(StoreKey key, OpenHeader(header_path, *text, secret));
      return std::unique_ptr<KeyStore>(std::make_unique<FileKeyStore>(directory, std::move(key)));
    }
    LANYARD_TRY(RefuseOrphanKeyFiles(directory));
    Result<StoreKey> created = CreateHeader(directory, secret, options);
    if (created.ok()) {
      return std::unique_ptr<KeyStore>(
          std::make_unique<FileKeyStore>(directory, std::move(created).value()));
    }
    if (created.error().code != Code::kAlreadyExists) return std::move(created).error();
  }
  return MakeError(Code::kInternal, "keystore.io_error",
                   header_path + " keeps appearing and disappearing");
}

}  // namespace lanyard::crypto
