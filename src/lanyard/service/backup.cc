#include "lanyard/service/backup.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <system_error>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/master_key.h"
#include "lanyard/crypto/private_file.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/store/audit_chain.h"

namespace lanyard::service {
namespace {

constexpr size_t kMagicSize = sizeof(kBackupMagic) - 1;
constexpr size_t kHeaderSize = kMagicSize + 4 + 4;
constexpr size_t kTrailerSize = 32;
constexpr char kDatabaseMember[] = "database";
constexpr char kKeysPrefix[] = "keys/";
constexpr char kKeyStoreFile[] = "keystore.json";
// Members are copied through a buffer of this size, so a 100 GB database costs 1 MiB of memory.
constexpr size_t kChunk = 1024 * 1024;

Error IoError(const std::string& what, int err) {
  return crypto::FileError("backup.io_error", what, err);
}
Error Corrupt(const std::string& what) {
  return MakeError(Code::kDataLoss, "backup.corrupt", what);
}
Error Truncated(const std::string& what) {
  return MakeError(Code::kDataLoss, "backup.truncated", what);
}
Error TooLarge(const std::string& what) {
  return MakeError(Code::kInvalidArgument, "backup.too_large", what);
}
Error Exists(const std::string& path) {
  return MakeError(Code::kAlreadyExists, "backup.exists",
                   path + " already exists; a backup or restore never replaces anything");
}
Error Unsafe(const std::string& what) {
  return MakeError(Code::kFailedPrecondition, "backup.unsafe_file", what);
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error (a write error can surface only at close on some systems).
  Status Close(const std::string& path) {
    int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0) return IoError("cannot close " + path, errno);
    return OkStatus();
  }

 private:
  int fd_;
};

// Removes a temporary directory (and what is in it) unless released: every failure path of a
// backup or restore leaves nothing behind without each of them having to say so.
class TempDir {
 public:
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  // Creates ".<base>.<tag>-XXXXXX" (mode 0700) in the directory of `beside`.
  Status Create(const std::string& beside, const std::string& tag) {
    const std::filesystem::path p(beside);
    std::filesystem::path dir = p.parent_path();
    if (dir.empty()) dir = ".";
    std::string templ = (dir / ("." + p.filename().string() + "." + tag + "-XXXXXX")).string();
    if (::mkdtemp(templ.data()) == nullptr) {
      return IoError("cannot create a temporary directory beside " + beside, errno);
    }
    path_ = templ;
    return OkStatus();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 || errno != ENOENT;
}

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

Status SyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return IoError("cannot open " + path, errno);
  Fd closer(fd);
  // Some file systems cannot sync a directory (EINVAL); their metadata is as durable as it gets.
  if (::fsync(fd) != 0 && !(directory && errno == EINVAL)) {
    return IoError("cannot sync " + path, errno);
  }
  return OkStatus();
}

Status WriteAll(int fd, ByteView data, const std::string& path) {
  return crypto::WriteAllToFd(fd, data, path, "backup.io_error");
}

// Reads up to out.size() bytes; fewer only at the end of the file.
Result<size_t> ReadUpTo(int fd, std::span<uint8_t> out, const std::string& path) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read " + path, errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

Status ReadExactly(int fd, std::span<uint8_t> out, const std::string& path,
                   const std::string& what) {
  LANYARD_ASSIGN_OR_RETURN(size_t n, ReadUpTo(fd, out, path));
  if (n != out.size()) return Truncated(path + " ends inside " + what);
  return OkStatus();
}

void PutBigEndian32(uint32_t v, uint8_t* out) {
  out[0] = static_cast<uint8_t>(v >> 24);
  out[1] = static_cast<uint8_t>(v >> 16);
  out[2] = static_cast<uint8_t>(v >> 8);
  out[3] = static_cast<uint8_t>(v);
}

uint32_t GetBigEndian32(const uint8_t* in) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) | (uint32_t{in[2]} << 8) | in[3];
}

// A key store file name as the key store writes them ("keystore.json", "<id>.key.json"): no
// path separators, no leading dot (the key store's own temporaries start with one), bounded.
bool IsKeyFileName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

struct KeyFile {
  std::string name;
  Bytes bytes;
};

// Reads every key file of `directory`. Names starting with "." are the key store's temporaries
// of a write in progress (published by link(2) under their real name once whole) and are skipped;
// anything else that is not a plain, small, regular file is refused rather than followed.
Result<std::vector<KeyFile>> ReadKeyDirectory(const std::string& directory) {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return IoError("cannot open the key store directory " + directory, errno);
  std::vector<std::string> names;
  Status status = OkStatus();
  errno = 0;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name.front() == '.') continue;
    if (!IsKeyFileName(name)) {
      status = Unsafe(directory + "/" + name + " is not a key store file name");
      break;
    }
    names.push_back(std::move(name));
    if (names.size() > kMaxKeyFiles) {
      status = TooLarge(directory + " holds more than " + std::to_string(kMaxKeyFiles) + " files");
      break;
    }
    errno = 0;
  }
  if (status.ok() && errno != 0) status = IoError("cannot list " + directory, errno);
  ::closedir(dir);
  LANYARD_TRY(status);
  std::sort(names.begin(), names.end());
  if (!std::binary_search(names.begin(), names.end(), std::string(kKeyStoreFile))) {
    return IoError(directory + " has no " + kKeyStoreFile, ENOENT);
  }

  std::vector<KeyFile> files;
  files.reserve(names.size());
  for (const std::string& name : names) {
    const std::string path = directory + "/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      if (errno == ELOOP) return Unsafe(path + " is a symbolic link");
      return IoError("cannot open " + path, errno);
    }
    Fd closer(fd);
    struct stat st;
    if (::fstat(fd, &st) != 0) return IoError("cannot stat " + path, errno);
    if (!S_ISREG(st.st_mode)) return Unsafe(path + " is not a regular file");
    if (static_cast<uint64_t>(st.st_size) > kMaxKeyFileBytes) {
      return TooLarge(path + " is larger than a key file can be");
    }
    // One byte more than the limit is asked for, so a file that grew since fstat is noticed.
    Bytes bytes(kMaxKeyFileBytes + 1);
    LANYARD_ASSIGN_OR_RETURN(size_t n, ReadUpTo(fd, bytes, path));
    if (n > kMaxKeyFileBytes) return TooLarge(path + " is larger than a key file can be");
    bytes.resize(n);
    files.push_back({name, std::move(bytes)});
  }
  return files;
}

struct Hashed {
  uint64_t size = 0;
  std::string sha256;
};

// Size and SHA-256 of a file, read in chunks.
Result<Hashed> HashFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return IoError("cannot open " + path, errno);
  Fd closer(fd);
  crypto::Sha256Hasher hasher;
  Bytes buffer(kChunk);
  Hashed out;
  for (;;) {
    LANYARD_ASSIGN_OR_RETURN(size_t n, ReadUpTo(fd, buffer, path));
    hasher.Update(ByteView(buffer.data(), n));
    out.size += n;
    if (n < buffer.size()) break;
  }
  out.sha256 = HexEncode(hasher.Finish());
  return out;
}

Result<std::string> ManifestText(const BackupManifest& m) {
  json::Array members;
  for (const BackupMember& member : m.members) {
    members.push_back(json::Object{{"name", member.name},
                                   {"size", static_cast<int64_t>(member.size)},
                                   {"sha256", member.sha256}});
  }
  json::Value manifest(json::Object{
      {"format", "lanyard-backup"},
      {"version", static_cast<int64_t>(m.version)},
      {"created", FormatRfc3339(m.created)},
      {"schemaVersion", m.schema_version},
      {"auditHead",
       json::Object{{"seq", static_cast<int64_t>(m.audit_seq)}, {"hash", m.audit_hash}}},
      // Said in the file itself, for whoever finds it: the key is kept elsewhere.
      {"masterKey", "not included"},
      {"members", std::move(members)}});
  return json::Canonicalize(manifest);
}

// Appends `data` to the archive being written and to its running checksum.
class ArchiveWriter {
 public:
  ArchiveWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Write(ByteView data) {
    hasher_.Update(data);
    bytes_ += data.size();
    return WriteAll(fd_, data, path_);
  }
  // Writes the trailing checksum.
  Status Finish() {
    crypto::Sha256Digest digest = hasher_.Finish();
    bytes_ += digest.size();
    return WriteAll(fd_, digest, path_);
  }
  uint64_t bytes() const { return bytes_; }

 private:
  int fd_;
  std::string path_;
  crypto::Sha256Hasher hasher_;
  uint64_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Reading

Result<uint64_t> ManifestNumber(const json::Value& object, std::string_view key, uint64_t max) {
  const json::Value* v = object.Find(key);
  if (v == nullptr || !v->is_number()) {
    return Corrupt("the manifest's " + std::string(key) + " is missing or not a number");
  }
  double d = v->as_number();
  if (!(d >= 0) || d != std::floor(d) || d > static_cast<double>(max)) {
    return Corrupt("the manifest's " + std::string(key) + " is out of range");
  }
  return static_cast<uint64_t>(d);
}

Result<std::string> ManifestString(const json::Value& object, std::string_view key) {
  const std::string* s = object.FindString(key);
  if (s == nullptr) {
    return Corrupt("the manifest's " + std::string(key) + " is missing or not a string");
  }
  return *s;
}

bool IsLowerHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<BackupManifest> ParseManifest(std::string_view text, uint32_t header_version) {
  json::ParseOptions options;
  options.max_bytes = kMaxManifestBytes;
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) return Corrupt("the manifest is not JSON: " + parsed.error().message);
  const json::Value& m = *parsed;
  if (!m.is_object()) return Corrupt("the manifest is not a JSON object");
  BackupManifest out;
  LANYARD_ASSIGN_OR_RETURN(std::string format, ManifestString(m, "format"));
  if (format != "lanyard-backup") return Corrupt("the manifest's format is not lanyard-backup");
  LANYARD_ASSIGN_OR_RETURN(uint64_t version, ManifestNumber(m, "version", UINT32_MAX));
  if (version != header_version) return Corrupt("the manifest's version is not the header's");
  out.version = static_cast<uint32_t>(version);
  LANYARD_ASSIGN_OR_RETURN(std::string created, ManifestString(m, "created"));
  auto created_at = ParseRfc3339(created);
  if (!created_at.ok()) return Corrupt("the manifest's created is not an RFC 3339 time");
  out.created = *created_at;
  LANYARD_ASSIGN_OR_RETURN(uint64_t schema, ManifestNumber(m, "schemaVersion", 1'000'000));
  out.schema_version = static_cast<int>(schema);
  const json::Value* head = m.Find("auditHead");
  if (head == nullptr || !head->is_object()) return Corrupt("the manifest has no auditHead");
  LANYARD_ASSIGN_OR_RETURN(out.audit_seq, ManifestNumber(*head, "seq", uint64_t{1} << 53));
  LANYARD_ASSIGN_OR_RETURN(out.audit_hash, ManifestString(*head, "hash"));
  if (!IsLowerHex64(out.audit_hash)) return Corrupt("the manifest's audit head is not a hash");
  const json::Value* members = m.Find("members");
  if (members == nullptr || !members->is_array()) return Corrupt("the manifest has no members");
  if (members->as_array().size() > kMaxKeyFiles + 1) {
    return TooLarge("the manifest lists more members than a backup can hold");
  }
  std::set<std::string> names;
  for (const json::Value& member : members->as_array()) {
    if (!member.is_object()) return Corrupt("a manifest member is not an object");
    BackupMember b;
    LANYARD_ASSIGN_OR_RETURN(b.name, ManifestString(member, "name"));
    const bool is_database = b.name == kDatabaseMember;
    if (is_database != out.members.empty()) {
      return Corrupt("the manifest must list the database first, and once");
    }
    if (!is_database && !(b.name.starts_with(kKeysPrefix) &&
                          IsKeyFileName(std::string_view(b.name).substr(sizeof kKeysPrefix - 1)))) {
      return Corrupt("the manifest names an unknown member");
    }
    if (!names.insert(b.name).second) return Corrupt("the manifest lists " + b.name + " twice");
    // Bounds first, as plain numbers: nothing is allocated from a size that is not sane.
    auto size = ManifestNumber(member, "size", uint64_t{1} << 53);
    if (!size.ok()) return std::move(size).error();
    const uint64_t limit = is_database ? kMaxDatabaseBytes : kMaxKeyFileBytes;
    if (*size > limit) return TooLarge("the member " + b.name + " is larger than allowed");
    b.size = *size;
    LANYARD_ASSIGN_OR_RETURN(b.sha256, ManifestString(member, "sha256"));
    if (!IsLowerHex64(b.sha256)) return Corrupt("the member " + b.name + " has no SHA-256");
    out.members.push_back(std::move(b));
  }
  if (out.members.empty()) return Corrupt("the manifest lists no database");
  if (!names.contains(std::string(kKeysPrefix) + kKeyStoreFile)) {
    return Corrupt("the manifest lists no key store (keys/keystore.json)");
  }
  return out;
}

// An archive opened for reading, with its header and manifest read and checked against the
// file's size; the members are read by ReadMembers.
struct OpenArchive {
  std::unique_ptr<Fd> fd;
  std::string path;
  Bytes head;  // header and manifest bytes, as read (they lead the trailing checksum)
  BackupManifest manifest;
};

Result<OpenArchive> OpenAndReadManifest(const std::string& path) {
  OpenArchive a;
  a.path = path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + path, errno);
  a.fd = std::make_unique<Fd>(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return IoError("cannot stat " + path, errno);
  if (!S_ISREG(st.st_mode)) return IoError(path + " is not a regular file", EINVAL);
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);

  std::array<uint8_t, kHeaderSize> header{};
  LANYARD_ASSIGN_OR_RETURN(size_t n, ReadUpTo(fd, header, path));
  const size_t magic_seen = std::min(n, kMagicSize);
  if (std::memcmp(header.data(), kBackupMagic, magic_seen) != 0 || n == 0) {
    return MakeError(Code::kInvalidArgument, "backup.not_a_backup",
                     path + " is not a Lanyard backup (it does not start with LANYARD-BACKUP)");
  }
  if (n < kHeaderSize) return Truncated(path + " ends inside the backup's header");
  const uint32_t version = GetBigEndian32(header.data() + kMagicSize);
  if (version != kBackupFormatVersion) {
    return MakeError(Code::kFailedPrecondition, "backup.unsupported_version",
                     path + " is a version " + std::to_string(version) +
                         " backup; this Lanyard reads version " +
                         std::to_string(kBackupFormatVersion));
  }
  const uint32_t manifest_size = GetBigEndian32(header.data() + kMagicSize + 4);
  if (manifest_size == 0) return Corrupt(path + " has an empty manifest");
  if (manifest_size > kMaxManifestBytes) return TooLarge(path + "'s manifest is too large");
  if (file_size < kHeaderSize + uint64_t{manifest_size}) {
    return Truncated(path + " ends inside the backup's manifest");
  }
  a.head.assign(header.begin(), header.end());
  a.head.resize(kHeaderSize + manifest_size);
  LANYARD_TRY(
      ReadExactly(fd, std::span<uint8_t>(a.head).subspan(kHeaderSize), path, "the manifest"));
  std::string_view text(reinterpret_cast<const char*>(a.head.data()) + kHeaderSize, manifest_size);
  LANYARD_ASSIGN_OR_RETURN(a.manifest, ParseManifest(text, version));

  // Every size is bounded, so the sum cannot overflow.
  uint64_t expected = kHeaderSize + uint64_t{manifest_size} + kTrailerSize;
  for (const BackupMember& m : a.manifest.members) expected += m.size;
  if (file_size < expected) {
    return Truncated(path + " is " + std::to_string(file_size) + " bytes; its manifest says " +
                     std::to_string(expected));
  }
  if (file_size > expected) {
    return Corrupt(path + " has " + std::to_string(file_size - expected) +
                   " bytes after the end of the backup");
  }
  return a;
}

// Reads every member from the current offset (just after the manifest), checking each
// member's SHA-256 and the trailing checksum. `sink`, when given, receives each member's bytes
// as they are read (`begin` is called once per member first); it must not be trusted with the
// result until this returns OK, since the checksums are judged only at each member's end.
using BeginMember = std::function<Status(const BackupMember&)>;
using MemberBytes = std::function<Status(ByteView)>;

Status ReadMembers(OpenArchive& a, const BeginMember& begin, const MemberBytes& sink) {
  crypto::Sha256Hasher whole;
  whole.Update(a.head);
  Bytes buffer(kChunk);
  for (const BackupMember& member : a.manifest.members) {
    if (begin) LANYARD_TRY(begin(member));
    crypto::Sha256Hasher hasher;
    uint64_t left = member.size;
    while (left > 0) {
      std::span<uint8_t> chunk(buffer.data(),
                               static_cast<size_t>(std::min<uint64_t>(left, kChunk)));
      LANYARD_TRY(ReadExactly(a.fd->get(), chunk, a.path, member.name));
      hasher.Update(chunk);
      whole.Update(chunk);
      if (sink) LANYARD_TRY(sink(chunk));
      left -= chunk.size();
    }
    if (HexEncode(hasher.Finish()) != member.sha256) {
      return Corrupt("the member " + member.name + " of " + a.path +
                     " does not match its SHA-256 in the manifest");
    }
  }
  std::array<uint8_t, kTrailerSize> trailer{};
  LANYARD_TRY(ReadExactly(a.fd->get(), trailer, a.path, "the checksum"));
  crypto::Sha256Digest digest = whole.Finish();
  if (!std::equal(digest.begin(), digest.end(), trailer.begin())) {
    return Corrupt(a.path + "'s checksum does not match its contents (the manifest was altered)");
  }
  uint8_t extra = 0;
  LANYARD_ASSIGN_OR_RETURN(size_t more,
                           ReadUpTo(a.fd->get(), std::span<uint8_t>(&extra, 1), a.path));
  if (more != 0) return Corrupt(a.path + " grew while it was read");
  return OkStatus();
}

// Moves `from` to `to` only if `to` does not exist.
Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return OkStatus();
  }
  if (errno == EEXIST) return Exists(to);
  if (errno != EINVAL && errno != ENOSYS) {
    return IoError("cannot move " + from + " to " + to, errno);
  }
  // A file system without RENAME_NOREPLACE: checked first, then moved. The targets were already
  // checked before anything was written; this narrows the window, which only another restore to
  // the same path could use.
  if (PathExists(to)) return Exists(to);
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return IoError("cannot move " + from + " to " + to, errno);
  }
  return OkStatus();
}

}  // namespace

Result<BackupSummary> BackupDeployment(const store::Store& store, const std::string& db_path,
                                       const std::string& out_file, const Clock& clock) {
  if (PathExists(out_file)) return Exists(out_file);
  TempDir work;
  LANYARD_TRY(work.Create(out_file, "tmp"));
  const std::string db_copy = work.path() + "/database";
  LANYARD_TRY(store.BackupTo(db_copy));

  BackupManifest manifest;
  manifest.created = clock.Now();
  {
    // The head is read from the copy itself: the live store may have moved on since.
    LANYARD_ASSIGN_OR_RETURN(auto copy, store::OpenSqliteStore(db_copy));
    LANYARD_ASSIGN_OR_RETURN(auto head, copy->AuditHead());
    manifest.audit_seq = head.first;
    manifest.audit_hash = head.second;
    manifest.schema_version = store::SqliteStoreSchemaVersion();
  }  // closed (and its write-ahead log folded in) before its bytes are hashed
  LANYARD_ASSIGN_OR_RETURN(Hashed db_hash, HashFile(db_copy));
  if (db_hash.size > kMaxDatabaseBytes) return TooLarge(db_path + " is too large to back up");
  manifest.members.push_back({kDatabaseMember, db_hash.size, db_hash.sha256});

  // After the copy: an organisation in the copy had its key written before its record.
  LANYARD_ASSIGN_OR_RETURN(std::vector<KeyFile> keys, ReadKeyDirectory(db_path + ".keys"));
  for (const KeyFile& k : keys) {
    manifest.members.push_back(
        {kKeysPrefix + k.name, k.bytes.size(), HexEncode(crypto::Sha256(k.bytes))});
  }
  LANYARD_ASSIGN_OR_RETURN(std::string manifest_text, ManifestText(manifest));
  if (manifest_text.size() > kMaxManifestBytes) return TooLarge("the manifest is too large");

  const std::string archive = work.path() + "/archive";
  // Mode 0600: the database holds personal data in clear.
  int fd = ::open(archive.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError("cannot create " + archive, errno);
  Fd out(fd);
  if (::fchmod(fd, 0600) != 0) return IoError("cannot set the mode of " + archive, errno);
  ArchiveWriter writer(fd, archive);
  std::array<uint8_t, kHeaderSize> header{};
  std::memcpy(header.data(), kBackupMagic, kMagicSize);
  PutBigEndian32(kBackupFormatVersion, header.data() + kMagicSize);
  PutBigEndian32(static_cast<uint32_t>(manifest_text.size()), header.data() + kMagicSize + 4);
  LANYARD_TRY(writer.Write(header));
  LANYARD_TRY(writer.Write(AsBytes(manifest_text)));
  {
    // The copy is hashed again as it is written, so the archive holds exactly what the manifest
    // describes even if something touched the temporary copy in between.
    int db_fd = ::open(db_copy.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (db_fd < 0) return IoError("cannot open " + db_copy, errno);
    Fd db_in(db_fd);
    crypto::Sha256Hasher hasher;
    Bytes buffer(kChunk);
    uint64_t total = 0;
    for (;;) {
      LANYARD_ASSIGN_OR_RETURN(size_t n, ReadUpTo(db_fd, buffer, db_copy));
      ByteView chunk(buffer.data(), n);
      hasher.Update(chunk);
      LANYARD_TRY(writer.Write(chunk));
      total += n;
      if (n < buffer.size()) break;
    }
    if (total != db_hash.size || HexEncode(hasher.Finish()) != db_hash.sha256) {
      return IoError("the database copy " + db_copy + " changed while it was archived", EIO);
    }
  }
  for (const KeyFile& k : keys) LANYARD_TRY(writer.Write(k.bytes));
  LANYARD_TRY(writer.Finish());
  if (::fsync(fd) != 0) return IoError("cannot sync " + archive, errno);
  LANYARD_TRY(out.Close(archive));
  // link(2) refuses to replace a file that appeared meanwhile.
  if (::link(archive.c_str(), out_file.c_str()) != 0) {
    if (errno == EEXIST) return Exists(out_file);
    return IoError("cannot create " + out_file, errno);
  }
  LANYARD_TRY(SyncPath(DirectoryOf(out_file), true));

  BackupSummary summary;
  summary.out_file = out_file;
  summary.bytes = writer.bytes();
  summary.manifest = std::move(manifest);
  return summary;
}

Result<BackupManifest> CheckBackup(const std::string& in_file) {
  LANYARD_ASSIGN_OR_RETURN(OpenArchive archive, OpenAndReadManifest(in_file));
  LANYARD_TRY(ReadMembers(archive, nullptr, nullptr));
  return std::move(archive.manifest);
}

Result<RestoreSummary> RestoreDeployment(const std::string& in_file, const std::string& db_path,
                                         const RestoreOptions& options) {
  crypto::EnvironmentLookup env = options.environment;
  if (!env) env = [](const char* name) -> const char* { return std::getenv(name); };
  // The key first: without it the restored deployment could not be opened, and OpenDeployment
  // would quietly create a new one that opens nothing.
  LANYARD_ASSIGN_OR_RETURN(crypto::MasterKeySource master,
                           crypto::LoadMasterKey(crypto::MasterKeyFileFor(db_path), env));
  const std::string keys_dir = db_path + ".keys";
  // A stale write-ahead log beside the target would be replayed into the restored database.
  for (const std::string& target :
       {db_path, db_path + "-wal", db_path + "-shm", db_path + "-journal", keys_dir}) {
    if (PathExists(target)) return Exists(target);
  }

  // Everything is checked before anything is written.
  LANYARD_ASSIGN_OR_RETURN(OpenArchive archive, OpenAndReadManifest(in_file));
  if (archive.manifest.schema_version > store::SqliteStoreSchemaVersion()) {
    return MakeError(Code::kFailedPrecondition, "backup.too_new",
                     in_file + " holds a schema version " +
                         std::to_string(archive.manifest.schema_version) +
                         " database; this Lanyard knows up to " +
                         std::to_string(store::SqliteStoreSchemaVersion()));
  }
  LANYARD_TRY(ReadMembers(archive, nullptr, nullptr));

  // Second pass: into a temporary directory beside the target, re-checked as it is written
  // (the file could have changed since the first pass).
  TempDir work;
  LANYARD_TRY(work.Create(db_path, "restore"));
  const std::string work_db = work.path() + "/database";
  const std::string work_keys = work.path() + "/keys";
  if (::mkdir(work_keys.c_str(), 0700) != 0) return IoError("cannot create " + work_keys, errno);
  if (::lseek(archive.fd->get(), static_cast<off_t>(archive.head.size()), SEEK_SET) < 0) {
    return IoError("cannot seek in " + in_file, errno);
  }
  std::unique_ptr<Fd> current;
  std::string current_path;
  std::vector<std::string> written;
  auto finish_current = [&]() -> Status {
    if (!current) return OkStatus();
    if (::fsync(current->get()) != 0) return IoError("cannot sync " + current_path, errno);
    LANYARD_TRY(current->Close(current_path));
    current.reset();
    return OkStatus();
  };
  auto begin = [&](const BackupMember& member) -> Status {
    LANYARD_TRY(finish_current());
    current_path = member.name == kDatabaseMember
                       ? work_db
                       : work_keys + "/" + member.name.substr(sizeof kKeysPrefix - 1);
    int fd =
        ::open(current_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return IoError("cannot create " + current_path, errno);
    current = std::make_unique<Fd>(fd);
    if (::fchmod(fd, 0600) != 0) return IoError("cannot set the mode of " + current_path, errno);
    return OkStatus();
  };
  auto sink = [&](ByteView bytes) { return WriteAll(current->get(), bytes, current_path); };
  LANYARD_TRY(ReadMembers(archive, begin, sink));
  LANYARD_TRY(finish_current());
  LANYARD_TRY(SyncPath(work_keys, true));

  // The master key must open the restored key store before anything is put in place: a wrong
  // key is refused here with nothing left behind.
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyStoreSecret secret,
                           crypto::KeyStoreSecretFromMasterKey(master.key));
  { LANYARD_ASSIGN_OR_RETURN(auto keys, crypto::OpenFileKeyStore(work_keys, secret)); }

  // Into place: the key directory, then the database (whose appearance is what makes a
  // deployment), each refusing to replace anything; if the database cannot go in, the key
  // directory comes back out.
  LANYARD_TRY(RenameNoReplace(work_keys, keys_dir));
  if (::link(work_db.c_str(), db_path.c_str()) != 0) {
    const int err = errno;
    (void)::rename(keys_dir.c_str(), work_keys.c_str());
    if (err == EEXIST) return Exists(db_path);
    return IoError("cannot create " + db_path, err);
  }
  LANYARD_TRY(SyncPath(DirectoryOf(db_path), true));

  RestoreSummary summary;
  summary.manifest = std::move(archive.manifest);
  summary.master_key_origin = master.origin;
  LANYARD_ASSIGN_OR_RETURN(auto restored, store::OpenSqliteStore(db_path));
  LANYARD_ASSIGN_OR_RETURN(store::AuditVerification chain, store::VerifyAuditChain(*restored));
  summary.audit_entries = chain.entries;
  summary.audit_problem = chain.problem;
  summary.audit_message = chain.message;
  LANYARD_ASSIGN_OR_RETURN(auto head, restored->AuditHead());
  summary.head_matches =
      head.first == summary.manifest.audit_seq && head.second == summary.manifest.audit_hash;
  LANYARD_ASSIGN_OR_RETURN(auto keys, crypto::OpenFileKeyStore(keys_dir, secret));
  LANYARD_ASSIGN_OR_RETURN(std::vector<store::OrganisationRecord> orgs,
                           restored->ListOrganisations());
  summary.organisations = orgs.size();
  for (const store::OrganisationRecord& org : orgs) {
    if (org.signing_key_id.empty()) continue;
    // GetSigner decrypts the secret and checks it gives the recorded public key.
    if (!keys->GetSigner(org.signing_key_id).ok()) {
      summary.organisations_without_key.push_back(org.ods);
    }
  }
  return summary;
}

Result<std::string> ExportMasterKey(const std::string& db_path, const std::string& out_file,
                                    const crypto::EnvironmentLookup& environment) {
  crypto::EnvironmentLookup env = environment;
  if (!env) env = [](const char* name) -> const char* { return std::getenv(name); };
  LANYARD_ASSIGN_OR_RETURN(crypto::MasterKeySource master,
                           crypto::LoadMasterKey(crypto::MasterKeyFileFor(db_path), env));
  const std::string keys_dir = db_path + ".keys";
  if (PathExists(keys_dir + "/" + kKeyStoreFile)) {
    LANYARD_ASSIGN_OR_RETURN(crypto::KeyStoreSecret secret,
                             crypto::KeyStoreSecretFromMasterKey(master.key));
    LANYARD_ASSIGN_OR_RETURN(auto keys, crypto::OpenFileKeyStore(keys_dir, secret));
  }
  LANYARD_TRY(crypto::WriteMasterKeyFile(out_file, master.key));
  return master.origin;
}

}  // namespace lanyard::service
