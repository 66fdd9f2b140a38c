// The status-list store: issuer-side state of every status list (which indexes are taken, by
// which credential, and what each entry's status is, with the history of every change and its
// reason). The lifecycle rules (what may follow what) live in service/status_service.h; the
// store only keeps records, atomically.
//
// Implementations: NewMemoryStatusStore() (tests, single process), NewSqliteStatusStore() (the
// CLI's --db file) and every Store (store.h; the service's, on the same tables). One contract
// test suite runs against all of them.
//
// Errors:
//   status_store.list_exists     (kAlreadyExists) CreateList with an id already used
//   status_store.list_not_found  (kNotFound)
//   status_store.index_taken     (kAlreadyExists) Reserve of an index already reserved
//   status_store.entry_not_found (kNotFound) an index never reserved
//   status_store.unavailable     (kUnavailable) the database failed (busy beyond its timeout,
//                                I/O error); the message keeps the database's own words
//   status_store.corrupt         (kInternal) a record the store cannot read back
//
// Thread-safety: implementations are safe to call from several threads; the SQLite store is
// also safe across processes sharing one file (Reserve is a single INSERT under a UNIQUE key).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"

namespace lanyard::store {

enum class ListFormat { kBitstring, kToken };
std::string_view ListFormatName(ListFormat format);  // "bitstring", "token"
Result<ListFormat> ParseListFormat(std::string_view name);

struct StatusListRecord {
  std::string id;  // the issuer's own name for the list, e.g. "rgt-revocation-1"
  ListFormat format = ListFormat::kBitstring;
  // Bitstring: "revocation" or "suspension"; Token Status List: "status" (one 2-bit list holds
  // valid, revoked and suspended).
  std::string purpose;
  uint64_t size = 0;   // entries
  std::string url;     // where the published list is served
  std::string issuer;  // who the list is issued as (DID or issuer URL)
  TimePoint created;
};

struct StatusEntry {
  uint64_t index = 0;
  std::string credential_id;
  uint8_t value = 0;
  std::string reason;  // of the latest change
  TimePoint updated;
};

struct StatusChange {
  uint64_t index = 0;
  uint8_t value = 0;
  std::string reason;
  TimePoint at;
};

class StatusStore {
 public:
  virtual ~StatusStore() = default;

  virtual Status CreateList(const StatusListRecord& list) = 0;
  virtual Result<StatusListRecord> GetList(std::string_view id) const = 0;
  virtual Result<std::vector<StatusListRecord>> Lists() const = 0;

  // Takes `index` for `credential_id` (value 0), or fails with status_store.index_taken.
  virtual Status Reserve(std::string_view list, uint64_t index, std::string_view credential_id,
                         TimePoint at) = 0;
  virtual Result<uint64_t> CountReserved(std::string_view list) const = 0;
  // Every allocated index of `list`, ascending (what an issuer draws around).
  virtual Result<std::vector<uint64_t>> ReservedIndexes(std::string_view list) const = 0;
  virtual Result<StatusEntry> GetEntry(std::string_view list, uint64_t index) const = 0;

  // Sets an entry's value only if it is `expected` now (compare-and-set, so two officers acting
  // on one entry cannot both succeed on a stale view), appending to its history.
  // Errors: status_store.entry_not_found; kFailedPrecondition "status_store.conflict" when the
  // value moved.
  virtual Status SetValue(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                          std::string_view reason, TimePoint at) = 0;
  // (index, value) of every entry whose value is not 0, in index order.
  virtual Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(
      std::string_view list) const = 0;
  virtual Result<std::vector<StatusChange>> History(std::string_view list,
                                                    uint64_t index) const = 0;
};

std::unique_ptr<StatusStore> NewMemoryStatusStore();
// Opens (creating and migrating when needed) the SQLite database at `path`. The schema is the
// passport store's (OpenSqliteStore): either opens a file the other wrote.
// Errors: status_store.unavailable when the file cannot be opened or migrated (or was written by
// a newer Lanyard); status_store.corrupt when it is not a database.
Result<std::unique_ptr<StatusStore>> NewSqliteStatusStore(const std::string& path);

}  // namespace lanyard::store
