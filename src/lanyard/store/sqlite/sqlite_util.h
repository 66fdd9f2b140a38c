// Internal to store/sqlite/: what every SQLite-backed store shares — one connection with its
// cached prepared statements, the single translation of SQLite's errors into Lanyard's, the
// schema migrations (one list for the whole database file, whichever store opens it) and the
// status-list tables' operations.
//
// Thread-safety: a Connection is used by one thread at a time (its owner serialises access).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/store/status_store.h"

namespace lanyard::store::sqlite {

// Which reasons a store reports database failures under ("status_store.unavailable" for the
// status store, "store.unavailable" for the passport store).
struct ErrorNames {
  std::string_view unavailable;
  std::string_view corrupt;
};
inline constexpr ErrorNames kStatusStoreErrors{"status_store.unavailable", "status_store.corrupt"};
inline constexpr ErrorNames kStoreErrors{"store.unavailable", "store.corrupt"};

inline int64_t Micros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMicros(int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

// A prepared statement: owned (finalised on destruction) or borrowed from a Connection's cache
// (reset and unbound on destruction, ready for the next user).
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const char* sql);  // owned; ok() is false when it does not prepare
  Statement(sqlite3_stmt* cached, bool* in_use) : stmt_(cached), in_use_(in_use) {}
  ~Statement();
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)),
        in_use_(std::exchange(other.in_use_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& Bind(int i, std::string_view text);
  Statement& Bind(int i, const char* text) { return Bind(i, std::string_view(text)); }
  Statement& Bind(int i, const std::string& text) { return Bind(i, std::string_view(text)); }
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, uint64_t v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Statement& Bind(int i, TimePoint t) { return Bind(i, Micros(t)); }
  Statement& Bind(int i, const std::optional<TimePoint>& t);  // NULL when absent
  Statement& BindBlob(int i, ByteView bytes);

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const;
  Bytes Blob(int col) const;
  TimePoint Time(int col) const { return FromMicros(Int(col)); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::optional<TimePoint> OptionalTime(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // set for a borrowed statement
};

// SQLite's last error on `db` as a Lanyard error: names.corrupt for a damaged file,
// names.unavailable otherwise, keeping SQLite's own words after `what`.
Error TranslateError(sqlite3* db, ErrorNames names, std::string_view what);

// One database connection. Open() applies the pragmas every Lanyard connection needs (WAL,
// synchronous=FULL, foreign keys, a busy timeout so another process's short write lock is
// waited for rather than reported).
class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Errors: <names>.unavailable (cannot open), <names>.corrupt (not a database).
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, ErrorNames names,
                                                  Mode mode = Mode::kReadWrite);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  const ErrorNames& names() const { return names_; }

  // A statement from this connection's cache, prepared on first use. A statement already in
  // use (the same SQL nested) is prepared afresh instead. Check ok(); Fail() says why not.
  Statement Prepare(const std::string& sql);

  // Runs `sql` (one or more statements, no results).
  Status Exec(const std::string& sql);
  // Runs one statement that returns no rows (BEGIN, SAVEPOINT, COMMIT...) from the statement
  // cache: what Exec does without parsing the SQL again, for statements run thousands of times
  // a second.
  Status ExecCached(const std::string& sql);
  // Abandons the open transaction, if any; the error that caused it is what callers report.
  void Rollback();

  // The last error on this connection as a Lanyard error: <names>.corrupt for a damaged file,
  // <names>.unavailable otherwise, keeping SQLite's own words after `what`.
  Error Fail(std::string_view what) const;
  // True when the last error was a UNIQUE or PRIMARY KEY violation.
  bool LastWasUniqueViolation() const;

 private:
  Connection(sqlite3* db, ErrorNames names) : db_(db), names_(names) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  ErrorNames names_;
  std::unordered_map<std::string, std::unique_ptr<Cached>> cache_;
};

// The schema version the migrations reach (PRAGMA user_version).
int SchemaVersion();
// Brings the database up to SchemaVersion(), each migration in its own transaction (so a second
// process migrating at the same moment simply finds the work done). A database beyond this
// build's version fails with `too_new` (code `too_new_code`) and is left untouched.
Status Migrate(Connection& conn, Code too_new_code, std::string_view too_new_reason);

// The status-list tables. Writes REQUIRE an open transaction on `conn` (they take several
// statements); errors are the StatusStore's status_store.* ones, database failures conn's names.
namespace status_tables {
Status CreateList(Connection& conn, const StatusListRecord& list);
Result<StatusListRecord> GetList(Connection& conn, std::string_view id);
Result<std::vector<StatusListRecord>> Lists(Connection& conn);
Status Reserve(Connection& conn, std::string_view list, uint64_t index,
               std::string_view credential_id, TimePoint at);
Result<uint64_t> CountReserved(Connection& conn, std::string_view list);
Result<std::vector<uint64_t>> ReservedIndexes(Connection& conn, std::string_view list);
Result<StatusEntry> GetEntry(Connection& conn, std::string_view list, uint64_t index);
Status SetValue(Connection& conn, std::string_view list, uint64_t index, uint8_t expected,
                uint8_t value, std::string_view reason, TimePoint at);
Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(Connection& conn, std::string_view list);
Result<std::vector<StatusChange>> History(Connection& conn, std::string_view list, uint64_t index);
}  // namespace status_tables

}  // namespace lanyard::store::sqlite
