#include "lanyard/store/sqlite/sqlite_util.h"

#include <iterator>

namespace lanyard::store::sqlite {

// ---------------------------------------------------------------------------------------------
// Migrations: one list for the whole file, so the status store (the CLI's --db) and the passport
// store can open each other's databases, and a status-only file becomes a passport store in
// place. Never edit or renumber one that has shipped; append a new one.
//
// Why the tables look as they do:
// - Times are INTEGER microseconds since the epoch (TimePoint's own unit), NULL when optional.
// - Records keep no foreign keys to each other: what may refer to what is the service's rule
//   (as lifecycle rules are), so the store checks only keys and uniqueness and the PostgreSQL
//   store can pass the same contract.
// - UNIQUE indexes on the user's email, the API token's hash and the share link's hash are the
//   lookup keys of login, bearer authentication and the share link: uniqueness is what makes
//   those lookups mean one thing.
// - share_request_credentials mirrors each share request's consented credential list, so "who
//   relies on this credential" (a revocation's notifications) is an index lookup, not a scan.
// - The audit log keeps ids and hashes only; personal detail lives in audit_details, one row per
//   entry, deleted on erasure, so erasure never touches the chain. audit_head is one row holding
//   the last seq and hash, written in the same transaction as every append: without it, entries
//   cut from the end of the log would leave a shorter chain that still verifies.
// - An entry's reservation is its own row's `reserved` time, not a status_history row (from
//   migration 3): history is the changes after it. Indexes are drawn at random (a list must not
//   reveal issuance order), so each history row costs a write to a random page of the history
//   index, and at issuance that doubled the pages a commit writes for nothing the entry's row
//   could not say. Entries reserved before migration 3 keep their history row and a NULL
//   `reserved`, so their history reads the same.
constexpr const char* kMigrations[] = {
    // 1: the status lists.
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
    // 2: the passport service's records and the audit log.
    R"sql(
CREATE TABLE organisations (
  ods            TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  did            TEXT NOT NULL,
  kinds          TEXT NOT NULL,
  region         TEXT NOT NULL,
  ics            TEXT NOT NULL,
  signing_key_id TEXT NOT NULL,
  created        INTEGER NOT NULL
);
CREATE TABLE users (
  id                 TEXT PRIMARY KEY,
  email              TEXT NOT NULL,
  display_name       TEXT NOT NULL,
  org_ods            TEXT NOT NULL,
  roles              TEXT NOT NULL,
  password_hash      TEXT NOT NULL,
  totp_secret_sealed BLOB NOT NULL,
  totp_enrolled      INTEGER NOT NULL,
  totp_last_step     INTEGER NOT NULL,
  failed_logins      INTEGER NOT NULL,
  locked_until       INTEGER,
  disabled           INTEGER NOT NULL,
  created            INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users(email);
CREATE INDEX users_org ON users(org_ods, email);
CREATE TABLE sessions (
  id_hash            TEXT PRIMARY KEY,
  user_id            TEXT NOT NULL,
  csrf_token         TEXT NOT NULL,
  second_factor_done INTEGER NOT NULL,
  step_up_at         INTEGER,
  created            INTEGER NOT NULL,
  expires            INTEGER NOT NULL,
  last_seen          INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  hash       TEXT NOT NULL,
  org_ods    TEXT NOT NULL,
  role       TEXT NOT NULL,
  label      TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created    INTEGER NOT NULL,
  expires    INTEGER,
  revoked    INTEGER
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(hash);
CREATE INDEX api_tokens_org ON api_tokens(org_ods, created);
CREATE TABLE invitations (
  code_hash    TEXT PRIMARY KEY,
  org_ods      TEXT NOT NULL,
  email        TEXT NOT NULL,
  display_name TEXT NOT NULL,
  staff_number TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created      INTEGER NOT NULL,
  expires      INTEGER NOT NULL,
  accepted_by  TEXT NOT NULL,
  accepted_at  INTEGER
);
CREATE TABLE memberships (
  user_id      TEXT NOT NULL,
  org_ods      TEXT NOT NULL,
  staff_number TEXT NOT NULL,
  since        INTEGER NOT NULL,
  until        INTEGER,
  PRIMARY KEY (user_id, org_ods)
) WITHOUT ROWID;
CREATE INDEX memberships_org ON memberships(org_ods, since);
CREATE TABLE wallets (
  user_id           TEXT PRIMARY KEY,
  holder_did        TEXT NOT NULL,
  holder_key_sealed BLOB NOT NULL,
  created           INTEGER NOT NULL
);
CREATE TABLE wallet_credentials (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  type        TEXT NOT NULL,
  format      TEXT NOT NULL,
  issuer_ods  TEXT NOT NULL,
  sealed      BLOB NOT NULL,
  received    INTEGER NOT NULL,
  valid_until INTEGER
);
CREATE INDEX wallet_credentials_user ON wallet_credentials(user_id, received);
CREATE TABLE issued_credentials (
  id              TEXT PRIMARY KEY,
  issuer_ods      TEXT NOT NULL,
  subject_user_id TEXT NOT NULL,
  type            TEXT NOT NULL,
  format          TEXT NOT NULL,
  status_list     TEXT NOT NULL,
  status_index    INTEGER NOT NULL,
  state           TEXT NOT NULL,
  issued_by       TEXT NOT NULL,
  replaces        TEXT NOT NULL,
  issued          INTEGER NOT NULL,
  valid_until     INTEGER,
  claims_json     TEXT NOT NULL
);
CREATE INDEX issued_credentials_issuer ON issued_credentials(issuer_ods, issued);
CREATE INDEX issued_credentials_subject ON issued_credentials(issuer_ods, subject_user_id, issued);
CREATE TABLE share_requests (
  id                  TEXT PRIMARY KEY,
  requesting_org      TEXT NOT NULL,
  created_by          TEXT NOT NULL,
  profile             TEXT NOT NULL,
  movement            TEXT NOT NULL,
  start_date          TEXT NOT NULL,
  link_hash           TEXT NOT NULL,
  created             INTEGER NOT NULL,
  expires             INTEGER NOT NULL,
  state               TEXT NOT NULL,
  staff_user_id       TEXT NOT NULL,
  credential_ids      TEXT NOT NULL,
  disclosure_json     TEXT NOT NULL,
  presentation_sealed BLOB NOT NULL,
  report_json         TEXT NOT NULL,
  consented_at        INTEGER,
  received_at         INTEGER,
  closed_at           INTEGER
);
CREATE UNIQUE INDEX share_requests_link ON share_requests(link_hash);
CREATE INDEX share_requests_org ON share_requests(requesting_org, created);
CREATE INDEX share_requests_staff ON share_requests(staff_user_id, created);
CREATE TABLE share_request_credentials (
  credential_id TEXT NOT NULL,
  share_id      TEXT NOT NULL REFERENCES share_requests(id),
  PRIMARY KEY (credential_id, share_id)
) WITHOUT ROWID;
CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  org_ods     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  state       TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  total       INTEGER NOT NULL,
  done        INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  errors_json TEXT NOT NULL,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  org_ods      TEXT NOT NULL,
  action       TEXT NOT NULL,
  subject      TEXT NOT NULL,
  details_hash TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  entry_hash   TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_subject ON audit_log(subject, seq);
CREATE TABLE audit_details (
  seq     INTEGER PRIMARY KEY REFERENCES audit_log(seq),
  details TEXT NOT NULL
);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
    // 3: a reservation is recorded in its entry's row.
    R"sql(
ALTER TABLE status_entries ADD COLUMN reserved INTEGER;
)sql",
    // 4: an organisation's earlier signing keys (after a rotation).
    R"sql(
ALTER TABLE organisations ADD COLUMN retired_keys TEXT NOT NULL DEFAULT '';
)sql",
    // 5: organisations' own role profiles, every version kept.
    R"sql(
CREATE TABLE role_profiles (
  org_ods     TEXT NOT NULL,
  id          TEXT NOT NULL,
  version     INTEGER NOT NULL,
  text        TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded    INTEGER NOT NULL,
  PRIMARY KEY (org_ods, id, version)
) WITHOUT ROWID;
)sql",
};

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(sqlite3* db, const char* sql) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::Bind(int i, std::string_view text) {
  // An empty view may have a null data(), which SQLite would store as NULL rather than "".
  const char* data = text.data() != nullptr ? text.data() : "";
  sqlite3_bind_text(stmt_, i, data, static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Statement& Statement::Bind(int i, const std::optional<TimePoint>& t) {
  if (t.has_value()) {
    sqlite3_bind_int64(stmt_, i, Micros(*t));
  } else {
    sqlite3_bind_null(stmt_, i);
  }
  return *this;
}

Statement& Statement::BindBlob(int i, ByteView bytes) {
  static const uint8_t kEmpty = 0;  // as for text: a null pointer would bind NULL
  const void* data = bytes.data() != nullptr ? bytes.data() : &kEmpty;
  sqlite3_bind_blob(stmt_, i, data, static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

std::string Statement::Text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  return t == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(t),
                                    static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Bytes Statement::Blob(int col) const {
  const auto* b = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, col));
  if (b == nullptr) return {};
  return Bytes(b, b + sqlite3_column_bytes(stmt_, col));
}

std::optional<TimePoint> Statement::OptionalTime(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return FromMicros(Int(col));
}

// ---------------------------------------------------------------------------------------------
// Connection

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, ErrorNames names,
                                                     Mode mode) {
  sqlite3* db = nullptr;
  // NOMUTEX: every connection is used by one thread at a time (its owner's lock or pool says so),
  // so SQLite's own per-connection mutex would only add cost.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Connection> conn(new Connection(db, names));
  if (rc != SQLITE_OK) return conn->Fail("opening " + path);
  // Another process (or this one's writer) holds the write lock for milliseconds at a time; wait
  // for it rather than fail.
  sqlite3_busy_timeout(db, 10000);
  if (mode == Mode::kReadWrite) {
    LANYARD_TRY(conn->Exec("PRAGMA journal_mode=WAL"));
    LANYARD_TRY(conn->Exec("PRAGMA synchronous=FULL"));
    LANYARD_TRY(conn->Exec("PRAGMA foreign_keys=ON"));
    // A savepoint keeps the pages it changes in a sub-journal; on disk (the default past 64 KiB)
    // that is a second write of every page a group commit touches, by the one thread all
    // writers wait for. A group's sub-journal is a few megabytes at most.
    LANYARD_TRY(conn->Exec("PRAGMA temp_store=MEMORY"));
  } else {
    LANYARD_TRY(conn->Exec("PRAGMA query_only=ON"));
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached->stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::Prepare(const std::string& sql) {
  auto& slot = cache_[sql];
  if (slot == nullptr) {
    slot = std::make_unique<Cached>();
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &slot->stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(slot->stmt);
      cache_.erase(sql);
      return Statement();
    }
  }
  if (slot->in_use) return Statement(db_, sql.c_str());
  slot->in_use = true;
  return Statement(slot->stmt, &slot->in_use);
}

Status Connection::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return Fail("running \"" + sql.substr(0, 40) + "\"");
  }
  return {};
}

Status Connection::ExecCached(const std::string& sql) {
  Statement s = Prepare(sql);
  if (!s.ok()) return Fail("preparing \"" + sql.substr(0, 40) + "\"");
  if (s.Step() != SQLITE_DONE) return Fail("running \"" + sql.substr(0, 40) + "\"");
  return {};
}

void Connection::Rollback() {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Error TranslateError(sqlite3* db, ErrorNames names, std::string_view what) {
  int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_CANTOPEN;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
  std::string text = std::string(what) + ": " + message;
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    return MakeError(Code::kInternal, std::string(names.corrupt), std::move(text));
  }
  return MakeError(Code::kUnavailable, std::string(names.unavailable), std::move(text));
}

Error Connection::Fail(std::string_view what) const { return TranslateError(db_, names_, what); }

bool Connection::LastWasUniqueViolation() const {
  int code = sqlite3_extended_errcode(db_);
  return code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE;
}

// ---------------------------------------------------------------------------------------------
// Migrations

Status Migrate(Connection& conn, Code too_new_code, std::string_view too_new_reason) {
  const int64_t want = SchemaVersion();
  {
    // The usual case, an up-to-date file, needs no write lock (which a busy writer in another
    // process would make us wait for).
    Statement version = conn.Prepare("PRAGMA user_version");
    if (!version.ok() || version.Step() != SQLITE_ROW)
      return conn.Fail("reading the schema version");
    if (version.Int(0) == want) return {};
  }
  for (;;) {
    LANYARD_TRY(conn.Exec("BEGIN IMMEDIATE"));
    // Read inside the write transaction: another process may have migrated meanwhile.
    int64_t have = 0;
    {
      Statement version = conn.Prepare("PRAGMA user_version");
      if (!version.ok() || version.Step() != SQLITE_ROW) {
        Error e = conn.Fail("reading the schema version");
        conn.Rollback();
        return e;
      }
      have = version.Int(0);
    }
    if (have > want) {
      conn.Rollback();
      return MakeError(too_new_code, std::string(too_new_reason),
                       "the database was written by a newer Lanyard (schema " +
                           std::to_string(have) + ", this one knows " + std::to_string(want) + ")");
    }
    if (have == want) {
      conn.Rollback();  // nothing was written
      return {};
    }
    Status s = conn.Exec(kMigrations[have]);
    if (s.ok()) s = conn.Exec("PRAGMA user_version=" + std::to_string(have + 1));
    if (s.ok()) s = conn.Exec("COMMIT");
    if (!s.ok()) {
      conn.Rollback();
      return s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Status tables

namespace status_tables {
namespace {

constexpr const char* kListColumns = "id,format,purpose,size,url,issuer,created";

Error ListNotFound(std::string_view list) {
  return MakeError(Code::kNotFound, "status_store.list_not_found",
                   "there is no status list \"" + std::string(list.substr(0, 80)) + "\"");
}

Result<StatusListRecord> ReadList(const Connection& conn, const Statement& s) {
  StatusListRecord r;
  r.id = s.Text(0);
  auto format = ParseListFormat(s.Text(1));
  if (!format.ok()) {
    return MakeError(Code::kInternal, std::string(conn.names().corrupt),
                     "status list " + r.id + " has an unknown format");
  }
  r.format = *format;
  r.purpose = s.Text(2);
  r.size = static_cast<uint64_t>(s.Int(3));
  r.url = s.Text(4);
  r.issuer = s.Text(5);
  r.created = s.Time(6);
  return r;
}

Status ListExists(Connection& conn, std::string_view list) {
  Statement s = conn.Prepare("SELECT 1 FROM status_lists WHERE id=?");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return ListNotFound(list);
  if (rc != SQLITE_ROW) return conn.Fail("reading a status list");
  return {};
}

Error EntryNotFound(std::string_view list, uint64_t index) {
  return MakeError(Code::kNotFound, "status_store.entry_not_found",
                   "index " + std::to_string(index) + " of status list \"" +
                       std::string(list.substr(0, 80)) + "\" was never allocated");
}

Status AppendHistory(Connection& conn, std::string_view list, uint64_t index, uint8_t value,
                     std::string_view reason, TimePoint at) {
  Statement h =
      conn.Prepare("INSERT INTO status_history(list_id,idx,value,reason,at) VALUES (?,?,?,?,?)");
  if (!h.ok()) return conn.Fail("preparing");
  h.Bind(1, list).Bind(2, index).Bind(3, static_cast<int64_t>(value)).Bind(4, reason).Bind(5, at);
  if (h.Step() != SQLITE_DONE) return conn.Fail("recording history");
  return {};
}

}  // namespace

Status CreateList(Connection& conn, const StatusListRecord& list) {
  Statement s = conn.Prepare("INSERT INTO status_lists VALUES (?,?,?,?,?,?,?)");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list.id).Bind(2, ListFormatName(list.format)).Bind(3, list.purpose);
  s.Bind(4, list.size).Bind(5, list.url).Bind(6, list.issuer).Bind(7, list.created);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return {};
  if (conn.LastWasUniqueViolation()) {
    return MakeError(Code::kAlreadyExists, "status_store.list_exists",
                     "a status list named \"" + list.id + "\" already exists");
  }
  return conn.Fail("creating a status list");
}

Result<StatusListRecord> GetList(Connection& conn, std::string_view id) {
  Statement s =
      conn.Prepare(std::string("SELECT ") + kListColumns + " FROM status_lists WHERE id=?");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return ListNotFound(id);
  if (rc != SQLITE_ROW) return conn.Fail("reading a status list");
  return ReadList(conn, s);
}

Result<std::vector<StatusListRecord>> Lists(Connection& conn) {
  Statement s =
      conn.Prepare(std::string("SELECT ") + kListColumns + " FROM status_lists ORDER BY id");
  if (!s.ok()) return conn.Fail("preparing");
  std::vector<StatusListRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    LANYARD_ASSIGN_OR_RETURN(StatusListRecord r, ReadList(conn, s));
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return conn.Fail("listing status lists");
  return out;
}

Status Reserve(Connection& conn, std::string_view list, uint64_t index,
               std::string_view credential_id, TimePoint at) {
  LANYARD_TRY(ListExists(conn, list));
  Statement s = conn.Prepare(
      "INSERT INTO status_entries(list_id,idx,credential_id,value,reason,updated,reserved) "
      "VALUES (?1,?2,?3,0,'issued',?4,?4)");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list).Bind(2, index).Bind(3, credential_id).Bind(4, at);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return {};
  if (conn.LastWasUniqueViolation()) {
    return MakeError(Code::kAlreadyExists, "status_store.index_taken",
                     "index " + std::to_string(index) + " is already allocated");
  }
  return conn.Fail("allocating an index");
}

Result<uint64_t> CountReserved(Connection& conn, std::string_view list) {
  LANYARD_TRY(ListExists(conn, list));
  Statement s = conn.Prepare("SELECT count(*) FROM status_entries WHERE list_id=?");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list);
  if (s.Step() != SQLITE_ROW) return conn.Fail("counting entries");
  return static_cast<uint64_t>(s.Int(0));
}

Result<std::vector<uint64_t>> ReservedIndexes(Connection& conn, std::string_view list) {
  LANYARD_TRY(ListExists(conn, list));
  Statement s = conn.Prepare("SELECT idx FROM status_entries WHERE list_id=? ORDER BY idx");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list);
  std::vector<uint64_t> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(static_cast<uint64_t>(s.Int(0)));
  if (rc != SQLITE_DONE) return conn.Fail("reading entries");
  return out;
}

Result<StatusEntry> GetEntry(Connection& conn, std::string_view list, uint64_t index) {
  LANYARD_TRY(ListExists(conn, list));
  Statement s = conn.Prepare(
      "SELECT idx,credential_id,value,reason,updated FROM status_entries "
      "WHERE list_id=? AND idx=?");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list).Bind(2, index);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return EntryNotFound(list, index);
  if (rc != SQLITE_ROW) return conn.Fail("reading an entry");
  return StatusEntry{static_cast<uint64_t>(s.Int(0)), s.Text(1), static_cast<uint8_t>(s.Int(2)),
                     s.Text(3), s.Time(4)};
}

Status SetValue(Connection& conn, std::string_view list, uint64_t index, uint8_t expected,
                uint8_t value, std::string_view reason, TimePoint at) {
  LANYARD_ASSIGN_OR_RETURN(StatusEntry current, GetEntry(conn, list, index));
  if (current.value != expected) {
    return MakeError(Code::kFailedPrecondition, "status_store.conflict",
                     "the entry changed while this change was being made");
  }
  Statement s = conn.Prepare(
      "UPDATE status_entries SET value=?, reason=?, updated=? "
      "WHERE list_id=? AND idx=? AND value=?");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, static_cast<int64_t>(value)).Bind(2, reason).Bind(3, at);
  s.Bind(4, list).Bind(5, index).Bind(6, static_cast<int64_t>(expected));
  if (s.Step() != SQLITE_DONE) return conn.Fail("changing an entry");
  return AppendHistory(conn, list, index, value, reason, at);
}

Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(Connection& conn, std::string_view list) {
  LANYARD_TRY(ListExists(conn, list));
  Statement s = conn.Prepare(
      "SELECT idx,value FROM status_entries WHERE list_id=? AND value<>0 ORDER BY idx");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list);
  std::vector<std::pair<uint64_t, uint8_t>> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.emplace_back(static_cast<uint64_t>(s.Int(0)), static_cast<uint8_t>(s.Int(1)));
  }
  if (rc != SQLITE_DONE) return conn.Fail("reading entries");
  return out;
}

Result<std::vector<StatusChange>> History(Connection& conn, std::string_view list, uint64_t index) {
  LANYARD_TRY(ListExists(conn, list));
  std::vector<StatusChange> out;
  {
    Statement e = conn.Prepare("SELECT reserved FROM status_entries WHERE list_id=? AND idx=?");
    if (!e.ok()) return conn.Fail("preparing");
    e.Bind(1, list).Bind(2, index);
    int rc = e.Step();
    if (rc == SQLITE_DONE) return EntryNotFound(list, index);
    if (rc != SQLITE_ROW) return conn.Fail("reading an entry");
    if (!e.IsNull(0)) out.push_back(StatusChange{index, 0, "issued", e.Time(0)});
  }
  Statement s = conn.Prepare(
      "SELECT idx,value,reason,at FROM status_history WHERE list_id=? AND idx=? ORDER BY seq");
  if (!s.ok()) return conn.Fail("preparing");
  s.Bind(1, list).Bind(2, index);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back(StatusChange{static_cast<uint64_t>(s.Int(0)), static_cast<uint8_t>(s.Int(1)),
                               s.Text(2), s.Time(3)});
  }
  if (rc != SQLITE_DONE) return conn.Fail("reading history");
  return out;
}

}  // namespace status_tables
}  // namespace lanyard::store::sqlite
