// The status-list store on SQLite (WAL, synchronous=FULL: a change is on disk before the call
// returns). Migrations are numbered and recorded in PRAGMA user_version.
#include <sqlite3.h>

#include <mutex>

#include "lanyard/store/status_store.h"

namespace lanyard::store {
namespace {

// Schema versions, applied in order; never edit one that has shipped, append a new one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE status_lists (
  id      TEXT PRIMARY KEY,
  format  TEXT NOT NULL,
  purpose TEXT NOT NULL,
  size    INTEGER NOT NULL,
  url     TEXT NOT NULL,
  issuer  TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE status_entries (
  list_id       TEXT NOT NULL REFERENCES status_lists(id),
  idx           INTEGER NOT NULL,
  credential_id TEXT NOT NULL,
  value         INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  updated       INTEGER NOT NULL,
  PRIMARY KEY (list_id, idx)
) WITHOUT ROWID;
CREATE TABLE status_history (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  list_id TEXT NOT NULL,
  idx     INTEGER NOT NULL,
  value   INTEGER NOT NULL,
  reason  TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX status_history_entry ON status_history(list_id, idx, seq);
)sql",
};

int64_t Micros(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMicros(int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

// The one place SQLite's errors become Lanyard's.
Error DbError(sqlite3* db, const std::string& what) {
  int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    return MakeError(Code::kInternal, "status_store.corrupt", what + ": " + message);
  }
  return MakeError(Code::kUnavailable, "status_store.unavailable", what + ": " + message);
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& Bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(t),
                                      static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStatusStore final : public StatusStore {
 public:
  explicit SqliteStatusStore(sqlite3* db) : db_(db) {}
  ~SqliteStatusStore() override { sqlite3_close_v2(db_); }

  Status Migrate() {
    LANYARD_TRY(Exec("PRAGMA journal_mode=WAL"));
    LANYARD_TRY(Exec("PRAGMA synchronous=FULL"));
    LANYARD_TRY(Exec("PRAGMA foreign_keys=ON"));
    LANYARD_TRY(Exec("BEGIN IMMEDIATE"));
    Statement version(db_, "PRAGMA user_version");
    if (!version.ok() || version.Step() != SQLITE_ROW) {
      Rollback();
      return DbError(db_, "reading the schema version");
    }
    int64_t have = version.Int(0);
    constexpr int64_t want = std::size(kMigrations);
    if (have > want) {
      Rollback();
      return MakeError(Code::kUnavailable, "status_store.unavailable",
                       "the database was written by a newer Lanyard (schema " +
                           std::to_string(have) + ", this one knows " + std::to_string(want) + ")");
    }
    for (int64_t v = have; v < want; ++v) {
      Status s = Exec(kMigrations[v]);
      if (!s.ok()) {
        Rollback();
        return s;
      }
    }
    Status done = Exec("PRAGMA user_version=" + std::to_string(want));
    if (done.ok()) done = Exec("COMMIT");
    if (!done.ok()) Rollback();
    return done;
  }

  Status CreateList(const StatusListRecord& list) override {
    std::lock_guard lock(mu_);
    Statement s(db_, "INSERT INTO status_lists VALUES (?,?,?,?,?,?,?)");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list.id).Bind(2, ListFormatName(list.format)).Bind(3, list.purpose);
    s.Bind(4, static_cast<int64_t>(list.size)).Bind(5, list.url).Bind(6, list.issuer);
    s.Bind(7, Micros(list.created));
    int rc = s.Step();
    if ((sqlite3_extended_errcode(db_)) == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return MakeError(Code::kAlreadyExists, "status_store.list_exists",
                       "a status list named \"" + list.id + "\" already exists");
    }
    if (rc != SQLITE_DONE) return DbError(db_, "creating a status list");
    return {};
  }

  Result<StatusListRecord> GetList(std::string_view id) const override {
    std::lock_guard lock(mu_);
    Statement s(db_, "SELECT id,format,purpose,size,url,issuer,created FROM status_lists WHERE id=?");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return MakeError(Code::kNotFound, "status_store.list_not_found",
                       "there is no status list \"" + std::string(id.substr(0, 80)) + "\"");
    }
    if (rc != SQLITE_ROW) return DbError(db_, "reading a status list");
    return ReadList(s);
  }

  Result<std::vector<StatusListRecord>> Lists() const override {
    std::lock_guard lock(mu_);
    Statement s(db_,
                "SELECT id,format,purpose,size,url,issuer,created FROM status_lists ORDER BY id");
    if (!s.ok()) return DbError(db_, "preparing");
    std::vector<StatusListRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      LANYARD_ASSIGN_OR_RETURN(StatusListRecord r, ReadList(s));
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return DbError(db_, "listing status lists");
    return out;
  }

  Status Reserve(std::string_view list, uint64_t index, std::string_view credential_id,
                 TimePoint at) override {
    std::lock_guard lock(mu_);
    LANYARD_TRY(Exec("BEGIN IMMEDIATE"));
    Status s = ReserveLocked(list, index, credential_id, at);
    if (s.ok()) s = Exec("COMMIT");
    // Never leave a transaction open: it would hold the write lock against other processes.
    if (!s.ok()) Rollback();
    return s;
  }

  Result<uint64_t> CountReserved(std::string_view list) const override {
    std::lock_guard lock(mu_);
    LANYARD_TRY(ListExists(list));
    Statement s(db_, "SELECT count(*) FROM status_entries WHERE list_id=?");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list);
    if (s.Step() != SQLITE_ROW) return DbError(db_, "counting entries");
    return static_cast<uint64_t>(s.Int(0));
  }

  Result<StatusEntry> GetEntry(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    return GetEntryLocked(list, index);
  }

  Status SetValue(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                  std::string_view reason, TimePoint at) override {
    std::lock_guard lock(mu_);
    LANYARD_TRY(Exec("BEGIN IMMEDIATE"));
    Status s = SetValueLocked(list, index, expected, value, reason, at);
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) Rollback();
    return s;
  }

  Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(std::string_view list) const override {
    std::lock_guard lock(mu_);
    LANYARD_TRY(ListExists(list));
    Statement s(db_,
                "SELECT idx,value FROM status_entries WHERE list_id=? AND value<>0 ORDER BY idx");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list);
    std::vector<std::pair<uint64_t, uint8_t>> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.emplace_back(static_cast<uint64_t>(s.Int(0)), static_cast<uint8_t>(s.Int(1)));
    }
    if (rc != SQLITE_DONE) return DbError(db_, "reading entries");
    return out;
  }

  Result<std::vector<StatusChange>> History(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    LANYARD_TRY(GetEntryLocked(list, index));
    Statement s(db_,
                "SELECT idx,value,reason,at FROM status_history WHERE list_id=? AND idx=? "
                "ORDER BY seq");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list).Bind(2, static_cast<int64_t>(index));
    std::vector<StatusChange> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      out.push_back(StatusChange{static_cast<uint64_t>(s.Int(0)), static_cast<uint8_t>(s.Int(1)),
                                 s.Text(2), FromMicros(s.Int(3))});
    }
    if (rc != SQLITE_DONE) return DbError(db_, "reading history");
    return out;
  }

 private:
  // A failed transaction is abandoned; the error that caused it is what the caller reports.
  void Rollback() const { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

  Status Exec(const std::string& sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      sqlite3_free(message);
      return DbError(db_, "running \"" + sql.substr(0, 40) + "\"");
    }
    return {};
  }

  Result<StatusListRecord> ReadList(const Statement& s) const {
    StatusListRecord r;
    r.id = s.Text(0);
    auto format = ParseListFormat(s.Text(1));
    if (!format.ok()) {
      return MakeError(Code::kInternal, "status_store.corrupt",
                       "status list " + r.id + " has an unknown format");
    }
    r.format = *format;
    r.purpose = s.Text(2);
    r.size = static_cast<uint64_t>(s.Int(3));
    r.url = s.Text(4);
    r.issuer = s.Text(5);
    r.created = FromMicros(s.Int(6));
    return r;
  }

  Status ListExists(std::string_view list) const {
    Statement s(db_, "SELECT 1 FROM status_lists WHERE id=?");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list);
    int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return MakeError(Code::kNotFound, "status_store.list_not_found",
                       "there is no status list \"" + std::string(list.substr(0, 80)) + "\"");
    }
    if (rc != SQLITE_ROW) return DbError(db_, "reading a status list");
    return {};
  }

  Status ReserveLocked(std::string_view list, uint64_t index, std::string_view credential_id,
                       TimePoint at) {
    LANYARD_TRY(ListExists(list));
    Statement s(db_, "INSERT INTO status_entries VALUES (?,?,?,0,'issued',?)");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list).Bind(2, static_cast<int64_t>(index)).Bind(3, credential_id).Bind(4, Micros(at));
    int rc = s.Step();
    if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return MakeError(Code::kAlreadyExists, "status_store.index_taken",
                       "index " + std::to_string(index) + " is already allocated");
    }
    if (rc != SQLITE_DONE) return DbError(db_, "allocating an index");
    return AppendHistory(list, index, 0, "issued", at);
  }

  Status AppendHistory(std::string_view list, uint64_t index, uint8_t value,
                       std::string_view reason, TimePoint at) {
    Statement h(db_, "INSERT INTO status_history(list_id,idx,value,reason,at) VALUES (?,?,?,?,?)");
    if (!h.ok()) return DbError(db_, "preparing");
    h.Bind(1, list).Bind(2, static_cast<int64_t>(index)).Bind(3, static_cast<int64_t>(value));
    h.Bind(4, reason).Bind(5, Micros(at));
    if (h.Step() != SQLITE_DONE) return DbError(db_, "recording history");
    return {};
  }

  Result<StatusEntry> GetEntryLocked(std::string_view list, uint64_t index) const {
    LANYARD_TRY(ListExists(list));
    Statement s(db_,
                "SELECT idx,credential_id,value,reason,updated FROM status_entries "
                "WHERE list_id=? AND idx=?");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, list).Bind(2, static_cast<int64_t>(index));
    int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return MakeError(Code::kNotFound, "status_store.entry_not_found",
                       "index " + std::to_string(index) + " of status list \"" +
                           std::string(list.substr(0, 80)) + "\" was never allocated");
    }
    if (rc != SQLITE_ROW) return DbError(db_, "reading an entry");
    return StatusEntry{static_cast<uint64_t>(s.Int(0)), s.Text(1), static_cast<uint8_t>(s.Int(2)),
                       s.Text(3), FromMicros(s.Int(4))};
  }

  Status SetValueLocked(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                        std::string_view reason, TimePoint at) {
    LANYARD_ASSIGN_OR_RETURN(StatusEntry current, GetEntryLocked(list, index));
    if (current.value != expected) {
      return MakeError(Code::kFailedPrecondition, "status_store.conflict",
                       "the entry changed while this change was being made");
    }
    Statement s(db_,
                "UPDATE status_entries SET value=?, reason=?, updated=? "
                "WHERE list_id=? AND idx=? AND value=?");
    if (!s.ok()) return DbError(db_, "preparing");
    s.Bind(1, static_cast<int64_t>(value)).Bind(2, reason).Bind(3, Micros(at));
    s.Bind(4, list).Bind(5, static_cast<int64_t>(index)).Bind(6, static_cast<int64_t>(expected));
    if (s.Step() != SQLITE_DONE) return DbError(db_, "changing an entry");
    return AppendHistory(list, index, value, reason, at);
  }

  sqlite3* db_;
  mutable std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<StatusStore>> NewSqliteStatusStore(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Error e = DbError(db, "opening " + path);
    sqlite3_close_v2(db);
    return e;
  }
  // Another process allocating on the same file holds the write lock for microseconds; wait for
  // it rather than failing.
  sqlite3_busy_timeout(db, 10000);
  auto store = std::make_unique<SqliteStatusStore>(db);
  LANYARD_TRY(store->Migrate());
  return std::unique_ptr<StatusStore>(std::move(store));
}

}  // namespace lanyard::store
