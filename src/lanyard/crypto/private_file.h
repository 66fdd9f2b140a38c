// Small private files (keys, key-store files, backups) written the one safe way: mode 0600, whole
// and durable before anyone can see them, and never replacing a file that exists. Shared by the
// key store, the master key and backups so the sequence is written (and reviewed) once:
//
//   mkostemp a ".NAME.tmp-XXXXXX" beside the target, fchmod 0600 (the umask must not decide),
//   write everything, fsync, close, link(2) it to the target name — link, unlike rename,
//   refuses to replace an existing file, so two processes creating one file cannot overwrite
//   each other — unlink the temporary, fsync the directory.
//
// Errors carry the caller's reasons, so each module keeps its own stable codes: `io_reason`
// (kInternal, the message names the file and the system's words) and `exists_reason`
// (kAlreadyExists, the target already exists).
//
// Thread-safety: functions of their arguments; safe from many threads and processes.
#pragma once

#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"

namespace lanyard::crypto {

// Closes a file descriptor when it goes out of scope.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }

 private:
  int fd_;
};

// `what` and the system's words for `err`, as a kInternal error with reason `io_reason`.
Error FileError(std::string_view io_reason, const std::string& what, int err);

// Writes all of `data` to `fd` (retrying short writes and EINTR).
Status WriteAllToFd(int fd, ByteView data, const std::string& path, std::string_view io_reason);
inline Status WriteAllToFd(int fd, std::string_view data, const std::string& path,
                           std::string_view io_reason) {
  return WriteAllToFd(fd, ByteView(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
                      path, io_reason);
}

// Makes a link or removal in `directory` durable. File systems that cannot sync a directory
// (EINVAL) are taken as they are.
Status SyncDirectory(const std::string& directory, std::string_view io_reason);

// Creates `path` holding `contents`, mode 0600, as described above.
Status CreatePrivateFile(const std::string& path, ByteView contents, std::string_view io_reason,
                         std::string_view exists_reason);

}  // namespace lanyard::crypto
