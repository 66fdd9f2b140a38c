#include "lanyard/crypto/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace lanyard::crypto {

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Error FileError(std::string_view io_reason, const std::string& what, int err) {
  return MakeError(Code::kInternal, std::string(io_reason),
                   what + ": " + std::error_code(err, std::generic_category()).message());
}

Status WriteAllToFd(int fd, ByteView data, const std::string& path, std::string_view io_reason) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError(io_reason, "cannot write " + path, errno);
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return OkStatus();
}

Status SyncDirectory(const std::string& directory, std::string_view io_reason) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return FileError(io_reason, "cannot open directory " + directory, errno);
  if (::fsync(fd.get()) != 0 && errno != EINVAL) {
    return FileError(io_reason, "cannot sync " + directory, errno);
  }
  return OkStatus();
}

Status CreatePrivateFile(const std::string& path, ByteView contents, std::string_view io_reason,
                         std::string_view exists_reason) {
  const std::filesystem::path target(path);
  std::string directory = target.parent_path().string();
  if (directory.empty()) directory = ".";
  std::string temp_path =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
  if (fd < 0) return FileError(io_reason, "cannot create a temporary file beside " + path, errno);
  Status written = OkStatus();
  // mkostemp asks for 0600 but the umask may take more away; the mode should be exactly 0600.
  if (::fchmod(fd, 0600) != 0) {
    written = FileError(io_reason, "cannot set the mode of " + temp_path, errno);
  }
  if (written.ok()) written = WriteAllToFd(fd, contents, temp_path, io_reason);
  if (written.ok() && ::fsync(fd) != 0) {
    written = FileError(io_reason, "cannot sync " + temp_path, errno);
  }
  if (::close(fd) != 0 && written.ok()) {
    written = FileError(io_reason, "cannot close " + temp_path, errno);
  }
  if (!written.ok()) {
    ::unlink(temp_path.c_str());
    return written;
  }
  const int linked = ::link(temp_path.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp_path.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) {
      return MakeError(Code::kAlreadyExists, std::string(exists_reason), path + " already exists");
    }
    return FileError(io_reason, "cannot create " + path, link_errno);
  }
  return SyncDirectory(directory, io_reason);
}

}  // namespace lanyard::crypto
