// The passport service's Store on SQLite.
//
// One file holds everything (tables and migrations: sqlite_util.cc, shared with the status
// store). Why it is built this way:
// - One writer connection, used only by whichever caller is the committer at the moment. SQLite
//   allows one writer anyway; funnelling every write through one place is what lets many
//   callers' batches share a transaction and so one fsync (synchronous=FULL makes each COMMIT
//   durable, and that fsync, not the SQL, is what a write costs).
// - Group commit without a thread of its own: a caller enqueues its batch; if no commit is in
//   progress it becomes the committer, takes everything queued (optionally after waiting
//   group_commit_window for company), and runs BEGIN IMMEDIATE, one SAVEPOINT per batch (rolled
//   back alone when one of its ops fails, so the others are unaffected), COMMIT; then wakes each
//   caller of the group with its own result, and hands the committer's role to the first caller
//   that queued meanwhile. Callers arriving during a commit queue up for the next, so the busier
//   the store, the larger the groups.
// - Checkpoints (copying the write-ahead log into the database) run on a thread of their own,
//   not inside whichever COMMIT crosses SQLite's threshold (see Checkpointer).
// - Reads use a small pool of read-only connections: in WAL mode readers see the last committed
//   state and never wait for the writer.
// - The audit chain is extended inside the transaction from the head row read at its start, so
//   seqs follow commit order; a batch rolled back returns its seqs (the head is restored).
// - Validation that needs no database (batch size, audit text) happens in the caller's thread,
//   before queueing, so the committer's critical section is SQL only.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <type_traits>

#include "lanyard/core/utf8.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/store/audit_chain.h"
#include "lanyard/store/sqlite/sqlite_util.h"
#include "lanyard/store/store.h"

namespace lanyard::store {
namespace {

using sqlite::Connection;
using sqlite::Statement;
namespace status_tables = sqlite::status_tables;

// ---------------------------------------------------------------------------------------------
// Errors

Error NotFound(std::string_view what, std::string_view key) {
  return MakeError(
      Code::kNotFound, "store.not_found",
      "there is no " + std::string(what) + " \"" + std::string(key.substr(0, 80)) + "\"");
}

Error Conflict(std::string message) {
  return MakeError(Code::kFailedPrecondition, "store.conflict", std::move(message));
}

Error Duplicate(std::string_view what) {
  return MakeError(Code::kAlreadyExists, "store.duplicate", std::string(what) + " already exists");
}

Error InvalidAudit(std::string message) {
  return MakeError(Code::kInvalidArgument, "store.invalid_audit", std::move(message));
}

// ---------------------------------------------------------------------------------------------
// SQL text, built once from each table's column list (key columns first), so the statements and
// the bind/read functions below agree on one order.

std::string InsertSql(std::string_view table, std::string_view columns) {
  std::string sql = "INSERT INTO " + std::string(table) + "(" + std::string(columns) + ") VALUES (";
  size_t n = static_cast<size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
  for (size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ",?";
  return sql + ")";
}

std::vector<std::string_view> SplitColumns(std::string_view columns) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t comma = columns.find(',', start);
    out.push_back(columns.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// INSERT ... ON CONFLICT(key) DO UPDATE: a real update, so a unique index on another column
// still reports a clash (INSERT OR REPLACE would silently delete the other row).
std::string UpsertSql(std::string_view table, std::string_view columns, size_t key_columns) {
  std::vector<std::string_view> cols = SplitColumns(columns);
  std::string sql = InsertSql(table, columns) + " ON CONFLICT(";
  for (size_t i = 0; i < key_columns; ++i) sql += (i ? "," : "") + std::string(cols[i]);
  sql += ") DO UPDATE SET ";
  for (size_t i = key_columns; i < cols.size(); ++i) {
    sql +=
        (i > key_columns ? "," : "") + std::string(cols[i]) + "=excluded." + std::string(cols[i]);
  }
  return sql;
}

// UPDATE table SET col2=?2,... WHERE col1=?1 (the first column is the key).
std::string UpdateSql(std::string_view table, std::string_view columns) {
  std::vector<std::string_view> cols = SplitColumns(columns);
  std::string sql = "UPDATE " + std::string(table) + " SET ";
  for (size_t i = 1; i < cols.size(); ++i) {
    sql += (i > 1 ? "," : "") + std::string(cols[i]) + "=?" + std::to_string(i + 1);
  }
  return sql + " WHERE " + std::string(cols[0]) + "=?1";
}

std::string SelectSql(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

int64_t Limit(size_t n) {
  return static_cast<int64_t>(std::min<size_t>(n, static_cast<size_t>(INT64_MAX)));
}

// ---------------------------------------------------------------------------------------------
// Records <-> rows. Bind* bind parameters 1..n in column order; Read* read columns 0..n-1.

constexpr std::string_view kOrgColumns =
    "ods,name,did,kinds,region,ics,signing_key_id,created,retired_keys";
void Bind(Statement& s, const OrganisationRecord& r) {
  s.Bind(1, r.ods).Bind(2, r.name).Bind(3, r.did).Bind(4, r.kinds).Bind(5, r.region);
  s.Bind(6, r.ics).Bind(7, r.signing_key_id).Bind(8, r.created).Bind(9, r.retired_keys);
}
OrganisationRecord ReadOrganisation(const Statement& s) {
  return OrganisationRecord{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                            s.Text(5), s.Text(6), s.Time(7), s.Text(8)};
}

constexpr std::string_view kUserColumns =
    "id,email,display_name,org_ods,roles,password_hash,totp_secret_sealed,totp_enrolled,"
    "totp_last_step,failed_logins,locked_until,disabled,created";
void Bind(Statement& s, const UserRecord& r) {
  s.Bind(1, r.id).Bind(2, r.email).Bind(3, r.display_name).Bind(4, r.org_ods).Bind(5, r.roles);
  s.Bind(6, r.password_hash).BindBlob(7, r.totp_secret_sealed).Bind(8, r.totp_enrolled);
  s.Bind(9, r.totp_last_step).Bind(10, r.failed_logins).Bind(11, r.locked_until);
  s.Bind(12, r.disabled).Bind(13, r.created);
}
UserRecord ReadUser(const Statement& s) {
  UserRecord r;
  r.id = s.Text(0);
  r.email = s.Text(1);
  r.display_name = s.Text(2);
  r.org_ods = s.Text(3);
  r.roles = s.Text(4);
  r.password_hash = s.Text(5);
  r.totp_secret_sealed = s.Blob(6);
  r.totp_enrolled = s.Int(7) != 0;
  r.totp_last_step = s.Int(8);
  r.failed_logins = static_cast<int>(s.Int(9));
  r.locked_until = s.OptionalTime(10);
  r.disabled = s.Int(11) != 0;
  r.created = s.Time(12);
  return r;
}

constexpr std::string_view kSessionColumns =
    "id_hash,user_id,csrf_token,second_factor_done,step_up_at,created,expires,last_seen";
void Bind(Statement& s, const SessionRecord& r) {
  s.Bind(1, r.id_hash).Bind(2, r.user_id).Bind(3, r.csrf_token).Bind(4, r.second_factor_done);
  s.Bind(5, r.step_up_at).Bind(6, r.created).Bind(7, r.expires).Bind(8, r.last_seen);
}
SessionRecord ReadSession(const Statement& s) {
  return SessionRecord{s.Text(0),         s.Text(1), s.Text(2), s.Int(3) != 0,
                       s.OptionalTime(4), s.Time(5), s.Time(6), s.Time(7)};
}

constexpr std::string_view kTokenColumns =
    "id,hash,org_ods,role,label,created_by,created,expires,revoked";
void Bind(Statement& s, const ApiTokenRecord& r) {
  s.Bind(1, r.id).Bind(2, r.hash).Bind(3, r.org_ods).Bind(4, r.role).Bind(5, r.label);
  s.Bind(6, r.created_by).Bind(7, r.created).Bind(8, r.expires).Bind(9, r.revoked);
}
ApiTokenRecord ReadToken(const Statement& s) {
  return ApiTokenRecord{s.Text(0), s.Text(1), s.Text(2),         s.Text(3),        s.Text(4),
                        s.Text(5), s.Time(6), s.OptionalTime(7), s.OptionalTime(8)};
}

constexpr std::string_view kInvitationColumns =
    "code_hash,org_ods,email,display_name,staff_number,created_by,created,expires,accepted_by,"
    "accepted_at";
void Bind(Statement& s, const InvitationRecord& r) {
  s.Bind(1, r.code_hash).Bind(2, r.org_ods).Bind(3, r.email).Bind(4, r.display_name);
  s.Bind(5, r.staff_number).Bind(6, r.created_by).Bind(7, r.created).Bind(8, r.expires);
  s.Bind(9, r.accepted_by).Bind(10, r.accepted_at);
}
InvitationRecord ReadInvitation(const Statement& s) {
  return InvitationRecord{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                          s.Text(5), s.Time(6), s.Time(7), s.Text(8), s.OptionalTime(9)};
}

constexpr std::string_view kMembershipColumns = "user_id,org_ods,staff_number,since,until";
void Bind(Statement& s, const MembershipRecord& r) {
  s.Bind(1, r.user_id).Bind(2, r.org_ods).Bind(3, r.staff_number).Bind(4, r.since);
  s.Bind(5, r.until);
}
MembershipRecord ReadMembership(const Statement& s) {
  return MembershipRecord{s.Text(0), s.Text(1), s.Text(2), s.Time(3), s.OptionalTime(4)};
}

constexpr std::string_view kWalletColumns = "user_id,holder_did,holder_key_sealed,created";
void Bind(Statement& s, const WalletRecord& r) {
  s.Bind(1, r.user_id).Bind(2, r.holder_did).BindBlob(3, r.holder_key_sealed).Bind(4, r.created);
}
WalletRecord ReadWallet(const Statement& s) {
  return WalletRecord{s.Text(0), s.Text(1), s.Blob(2), s.Time(3)};
}

constexpr std::string_view kWalletCredentialColumns =
    "id,user_id,type,format,issuer_ods,sealed,received,valid_until";
void Bind(Statement& s, const WalletCredentialRecord& r) {
  s.Bind(1, r.id).Bind(2, r.user_id).Bind(3, r.type).Bind(4, r.format).Bind(5, r.issuer_ods);
  s.BindBlob(6, r.sealed).Bind(7, r.received).Bind(8, r.valid_until);
}
WalletCredentialRecord ReadWalletCredential(const Statement& s) {
  return WalletCredentialRecord{s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                                s.Text(4), s.Blob(5), s.Time(6), s.OptionalTime(7)};
}

constexpr std::string_view kIssuedColumns =
    "id,issuer_ods,subject_user_id,type,format,status_list,status_index,state,issued_by,replaces,"
    "issued,valid_until,claims_json";
void Bind(Statement& s, const IssuedCredentialRecord& r) {
  s.Bind(1, r.id).Bind(2, r.issuer_ods).Bind(3, r.subject_user_id).Bind(4, r.type);
  s.Bind(5, r.format).Bind(6, r.status_list).Bind(7, r.status_index).Bind(8, r.state);
  s.Bind(9, r.issued_by).Bind(10, r.replaces).Bind(11, r.issued).Bind(12, r.valid_until);
  s.Bind(13, r.claims_json);
}
IssuedCredentialRecord ReadIssued(const Statement& s) {
  IssuedCredentialRecord r;
  r.id = s.Text(0);
  r.issuer_ods = s.Text(1);
  r.subject_user_id = s.Text(2);
  r.type = s.Text(3);
  r.format = s.Text(4);
  r.status_list = s.Text(5);
  r.status_index = static_cast<uint64_t>(s.Int(6));
  r.state = s.Text(7);
  r.issued_by = s.Text(8);
  r.replaces = s.Text(9);
  r.issued = s.Time(10);
  r.valid_until = s.OptionalTime(11);
  r.claims_json = s.Text(12);
  return r;
}

constexpr std::string_view kShareColumns =
    "id,requesting_org,created_by,profile,movement,start_date,link_hash,created,expires,state,"
    "staff_user_id,credential_ids,disclosure_json,presentation_sealed,report_json,consented_at,"
    "received_at,closed_at";
void Bind(Statement& s, const ShareRequestRecord& r) {
  s.Bind(1, r.id).Bind(2, r.requesting_org).Bind(3, r.created_by).Bind(4, r.profile);
  s.Bind(5, r.movement).Bind(6, r.start_date).Bind(7, r.link_hash).Bind(8, r.created);
  s.Bind(9, r.expires).Bind(10, r.state).Bind(11, r.staff_user_id).Bind(12, r.credential_ids);
  s.Bind(13, r.disclosure_json).BindBlob(14, r.presentation_sealed).Bind(15, r.report_json);
  s.Bind(16, r.consented_at).Bind(17, r.received_at).Bind(18, r.closed_at);
}
ShareRequestRecord ReadShare(const Statement& s) {
  ShareRequestRecord r;
  r.id = s.Text(0);
  r.requesting_org = s.Text(1);
  r.created_by = s.Text(2);
  r.profile = s.Text(3);
  r.movement = s.Text(4);
  r.start_date = s.Text(5);
  r.link_hash = s.Text(6);
  r.created = s.Time(7);
  r.expires = s.Time(8);
  r.state = s.Text(9);
  r.staff_user_id = s.Text(10);
  r.credential_ids = s.Text(11);
  r.disclosure_json = s.Text(12);
  r.presentation_sealed = s.Blob(13);
  r.report_json = s.Text(14);
  r.consented_at = s.OptionalTime(15);
  r.received_at = s.OptionalTime(16);
  r.closed_at = s.OptionalTime(17);
  return r;
}

constexpr std::string_view kJobColumns =
    "id,org_ods,kind,state,created_by,total,done,failed,errors_json,created,updated";
void Bind(Statement& s, const JobRecord& r) {
  s.Bind(1, r.id).Bind(2, r.org_ods).Bind(3, r.kind).Bind(4, r.state).Bind(5, r.created_by);
  s.Bind(6, r.total).Bind(7, r.done).Bind(8, r.failed).Bind(9, r.errors_json);
  s.Bind(10, r.created).Bind(11, r.updated);
}
JobRecord ReadJob(const Statement& s) {
  return JobRecord{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5),
                   s.Int(6),  s.Int(7),  s.Text(8), s.Time(9), s.Time(10)};
}

constexpr std::string_view kRoleProfileColumns = "org_ods,id,version,text,uploaded_by,uploaded";
void Bind(Statement& s, const RoleProfileRecord& r) {
  s.Bind(1, r.org_ods).Bind(2, r.id).Bind(3, r.version).Bind(4, r.text).Bind(5, r.uploaded_by);
  s.Bind(6, r.uploaded);
}
RoleProfileRecord ReadRoleProfile(const Statement& s) {
  return RoleProfileRecord{s.Text(0), s.Text(1), s.Int(2), s.Text(3), s.Text(4), s.Time(5)};
}

constexpr std::string_view kAuditColumns =
    "seq,at,actor,org_ods,action,subject,details_hash,prev_hash,entry_hash";
void Bind(Statement& s, const AuditEntry& e) {
  s.Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.org_ods).Bind(5, e.action);
  s.Bind(6, e.subject).Bind(7, e.details_hash).Bind(8, e.prev_hash).Bind(9, e.entry_hash);
}
AuditEntry ReadAudit(const Statement& s) {
  return AuditEntry{static_cast<uint64_t>(s.Int(0)),
                    s.Time(1),
                    s.Text(2),
                    s.Text(3),
                    s.Text(4),
                    s.Text(5),
                    s.Text(6),
                    s.Text(7),
                    s.Text(8)};
}

// Runs a statement that returns no rows. A UNIQUE/PRIMARY KEY clash is store.duplicate naming
// `what` when `what` is given.
Status Run(Connection& c, Statement& s, std::string_view doing, std::string_view what = {}) {
  int rc = s.Step();
  if (rc == SQLITE_DONE) return {};
  if (!what.empty() && c.LastWasUniqueViolation()) return Duplicate(what);
  return c.Fail(doing);
}

template <typename Reader>
auto One(Connection& c, Statement& s, Reader read, std::string_view what, std::string_view key)
    -> Result<decltype(read(s))> {
  int rc = s.Step();
  if (rc == SQLITE_ROW) return read(s);
  if (rc == SQLITE_DONE) return NotFound(what, key);
  return c.Fail("reading a " + std::string(what));
}

template <typename Reader>
auto All(Connection& c, Statement& s, Reader read, std::string_view what)
    -> Result<std::vector<decltype(read(s))>> {
  std::vector<decltype(read(s))> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(read(s));
  if (rc != SQLITE_DONE) return c.Fail("listing " + std::string(what));
  return out;
}

bool IsUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Utf8Char c = DecodeUtf8(text, i);
    if (c.error != Utf8Error::kNone) return false;
    i += c.length;
  }
  return true;
}

// Checks what can be checked without the database, in the caller's thread.
Status ValidateBatch(const WriteBatch& batch) {
  if (batch.ops.size() > kMaxBatchOps) {
    return MakeError(Code::kInvalidArgument, "store.too_large",
                     "a batch of " + std::to_string(batch.ops.size()) + " ops is over the " +
                         std::to_string(kMaxBatchOps) + " a batch may hold");
  }
  for (const WriteOp& op : batch.ops) {
    const auto* audit = std::get_if<AppendAudit>(&op);
    if (audit == nullptr) continue;
    for (std::string_view field :
         {std::string_view(audit->actor), std::string_view(audit->org_ods),
          std::string_view(audit->action), std::string_view(audit->subject)}) {
      if (!IsUtf8(field)) return InvalidAudit("an audit entry's ids must be UTF-8 text");
    }
    if (audit->details_json.empty()) continue;
    auto details = json::Parse(audit->details_json);
    if (!details.ok() || !details->is_object()) {
      return InvalidAudit("an audit entry's details must be a JSON object");
    }
    // Only the canonical form: the hash is of the stored text, and one meaning must have one
    // hash whoever wrote it.
    auto canonical = json::Canonicalize(*details);
    if (!canonical.ok() || *canonical != audit->details_json) {
      return InvalidAudit("an audit entry's details must be in canonical JSON form (RFC 8785)");
    }
  }
  return {};
}

// The end of the audit chain as the open transaction sees it.
struct AuditTip {
  uint64_t seq = 0;
  std::string hash;
};

// Applies one batch's ops inside the committer's open transaction (and the batch's savepoint).
class BatchWriter {
 public:
  BatchWriter(Connection& c, AuditTip& tip, ApplyResult& out) : c_(c), tip_(tip), out_(out) {}

  Status operator()(const PutOrganisation& op) {
    static const std::string sql = UpsertSql("organisations", kOrgColumns, 1);
    return Write(sql, op.record, "writing an organisation", {});
  }
  Status operator()(const InsertUser& op) {
    static const std::string sql = InsertSql("users", kUserColumns);
    return Write(sql, op.record, "adding a user", "a user with this id or email");
  }
  Status operator()(const PutUser& op) {
    static const std::string sql = UpdateSql("users", kUserColumns);
    LANYARD_TRY(Write(sql, op.record, "changing a user", "a user with this email"));
    if (sqlite3_changes(c_.db()) == 0) return NotFound("user", op.record.id);
    return {};
  }
  Status operator()(const PutSession& op) {
    static const std::string sql = UpsertSql("sessions", kSessionColumns, 1);
    return Write(sql, op.record, "writing a session", {});
  }
  Status operator()(const DeleteSession& op) {
    return Delete("DELETE FROM sessions WHERE id_hash=?", op.id_hash, "deleting a session");
  }
  Status operator()(const DeleteUserSessions& op) {
    return Delete("DELETE FROM sessions WHERE user_id=?", op.user_id, "deleting sessions");
  }
  Status operator()(const InsertApiToken& op) {
    static const std::string sql = InsertSql("api_tokens", kTokenColumns);
    return Write(sql, op.record, "adding an API token", "an API token with this id or hash");
  }
  Status operator()(const PutApiToken& op) {
    static const std::string sql = UpsertSql("api_tokens", kTokenColumns, 1);
    return Write(sql, op.record, "writing an API token", "an API token with this hash");
  }
  Status operator()(const InsertInvitation& op) {
    static const std::string sql = InsertSql("invitations", kInvitationColumns);
    return Write(sql, op.record, "adding an invitation", "an invitation with this code");
  }
  Status operator()(const AcceptInvitation& op) {
    {
      Statement s = Prepare("SELECT accepted_by,expires FROM invitations WHERE code_hash=?");
      if (!s.ok()) return c_.Fail("preparing");
      s.Bind(1, op.code_hash);
      int rc = s.Step();
      if (rc == SQLITE_DONE) return NotFound("invitation", op.code_hash);
      if (rc != SQLITE_ROW) return c_.Fail("reading an invitation");
      if (!s.Text(0).empty()) {
        return Conflict("AcceptInvitation: invitation " + op.code_hash.substr(0, 16) +
                        "... has been used already");
      }
      if (op.at >= s.Time(1)) {
        return Conflict("AcceptInvitation: invitation " + op.code_hash.substr(0, 16) +
                        "... has expired");
      }
    }
    Statement u = Prepare("UPDATE invitations SET accepted_by=?, accepted_at=? WHERE code_hash=?");
    if (!u.ok()) return c_.Fail("preparing");
    u.Bind(1, op.user_id).Bind(2, op.at).Bind(3, op.code_hash);
    return Run(c_, u, "accepting an invitation");
  }
  Status operator()(const PutMembership& op) {
    static const std::string sql = UpsertSql("memberships", kMembershipColumns, 2);
    return Write(sql, op.record, "writing a membership", {});
  }
  Status operator()(const InsertWallet& op) {
    static const std::string sql = InsertSql("wallets", kWalletColumns);
    return Write(sql, op.record, "adding a wallet", "a wallet for this user");
  }
  Status operator()(const PutWalletCredential& op) {
    static const std::string sql = UpsertSql("wallet_credentials", kWalletCredentialColumns, 1);
    return Write(sql, op.record, "writing a wallet credential", {});
  }
  Status operator()(const DeleteWalletCredential& op) {
    return Delete("DELETE FROM wallet_credentials WHERE id=?", op.id,
                  "deleting a wallet credential");
  }
  Status operator()(const ReserveStatusIndex& op) {
    return status_tables::Reserve(c_, op.list, op.index, op.credential_id, op.at);
  }
  Status operator()(const SetStatusValue& op) {
    return status_tables::SetValue(c_, op.list, op.index, op.expected, op.value, op.reason, op.at);
  }
  Status operator()(const InsertIssuedCredential& op) {
    static const std::string sql = InsertSql("issued_credentials", kIssuedColumns);
    return Write(sql, op.record, "recording an issued credential",
                 "an issued credential with this id");
  }
  Status operator()(const SetIssuedCredentialState& op) {
    Statement s = Prepare("UPDATE issued_credentials SET state=?3 WHERE id=?1 AND state=?2");
    if (!s.ok()) return c_.Fail("preparing");
    s.Bind(1, op.id).Bind(2, op.expected_state).Bind(3, op.state);
    LANYARD_TRY(Run(c_, s, "changing an issued credential"));
    if (sqlite3_changes(c_.db()) != 0) return {};
    LANYARD_TRY(
        MustExist("SELECT 1 FROM issued_credentials WHERE id=?", op.id, "issued credential"));
    return Conflict("SetIssuedCredentialState: issued credential " + op.id + " is not " +
                    op.expected_state);
  }
  Status operator()(const InsertShareRequest& op) {
    static const std::string sql = InsertSql("share_requests", kShareColumns);
    LANYARD_TRY(
        Write(sql, op.record, "adding a share request", "a share request with this id or link"));
    return IndexShareCredentials(op.record);
  }
  Status operator()(const UpdateShareRequest& op) {
    static const std::string sql = UpdateSql("share_requests", kShareColumns) + " AND state=?19";
    Statement s = Prepare(sql);
    if (!s.ok()) return c_.Fail("preparing");
    Bind(s, op.record);
    s.Bind(19, op.expected_state);
    LANYARD_TRY(Run(c_, s, "changing a share request", "a share request with this link"));
    if (sqlite3_changes(c_.db()) == 0) {
      LANYARD_TRY(
          MustExist("SELECT 1 FROM share_requests WHERE id=?", op.record.id, "share request"));
      return Conflict("UpdateShareRequest: share request " + op.record.id + " is not " +
                      op.expected_state);
    }
    LANYARD_TRY(Delete("DELETE FROM share_request_credentials WHERE share_id=?", op.record.id,
                       "indexing a share request"));
    return IndexShareCredentials(op.record);
  }
  Status operator()(const PutJob& op) {
    static const std::string sql = UpsertSql("jobs", kJobColumns, 1);
    return Write(sql, op.record, "writing a job", {});
  }
  Status operator()(const InsertRoleProfile& op) {
    static const std::string sql = InsertSql("role_profiles", kRoleProfileColumns);
    return Write(sql, op.record, "adding a role profile", "this version of the role profile");
  }
  Status operator()(const AppendAudit& op) {
    // REQUIRES (ValidateBatch): UTF-8 ids, canonical details.
    AuditEntry e;
    e.seq = tip_.seq + 1;
    e.at = op.at;
    e.actor = op.actor;
    e.org_ods = op.org_ods;
    e.action = op.action;
    e.subject = op.subject;
    e.details_hash = AuditDetailsHash(op.details_json);
    e.prev_hash = tip_.hash;
    e.entry_hash = AuditEntryHash(e);
    static const std::string sql = InsertSql("audit_log", kAuditColumns);
    LANYARD_TRY(Write(sql, e, "appending to the audit log", {}));
    if (!op.details_json.empty()) {
      Statement d = Prepare("INSERT INTO audit_details(seq,details) VALUES (?,?)");
      if (!d.ok()) return c_.Fail("preparing");
      d.Bind(1, e.seq).Bind(2, op.details_json);
      LANYARD_TRY(Run(c_, d, "recording audit details"));
    }
    tip_ = AuditTip{e.seq, std::move(e.entry_hash)};
    out_.audit_seqs.push_back(e.seq);
    return {};
  }
  Status operator()(const EraseAuditDetails& op) {
    LANYARD_TRY(MustExist("SELECT 1 FROM audit_log WHERE seq=?", op.seq, "audit entry"));
    Statement s = Prepare("DELETE FROM audit_details WHERE seq=?");
    if (!s.ok()) return c_.Fail("preparing");
    s.Bind(1, op.seq);
    return Run(c_, s, "erasing audit details");
  }

 private:
  Statement Prepare(const std::string& sql) { return c_.Prepare(sql); }

  template <typename Record>
  Status Write(const std::string& sql, const Record& record, std::string_view doing,
               std::string_view duplicate_what) {
    Statement s = Prepare(sql);
    if (!s.ok()) return c_.Fail("preparing");
    Bind(s, record);
    return Run(c_, s, doing, duplicate_what);
  }

  template <typename Key>
  Status Delete(const char* sql, const Key& key, std::string_view doing) {
    Statement s = Prepare(sql);
    if (!s.ok()) return c_.Fail("preparing");
    s.Bind(1, key);
    return Run(c_, s, doing);
  }

  template <typename Key>
  Status MustExist(const char* sql, const Key& key, std::string_view what) {
    Statement s = Prepare(sql);
    if (!s.ok()) return c_.Fail("preparing");
    s.Bind(1, key);
    int rc = s.Step();
    if (rc == SQLITE_ROW) return {};
    if (rc != SQLITE_DONE) return c_.Fail("reading a " + std::string(what));
    if constexpr (std::is_same_v<Key, uint64_t>) {
      return NotFound(what, std::to_string(key));
    } else {
      return NotFound(what, key);
    }
  }

  Status IndexShareCredentials(const ShareRequestRecord& r) {
    std::string_view ids = r.credential_ids;
    while (!ids.empty()) {
      size_t comma = ids.find(',');
      std::string_view id = ids.substr(0, comma);
      ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
      if (id.empty()) continue;
      Statement s = Prepare(
          "INSERT OR IGNORE INTO share_request_credentials(credential_id,share_id) VALUES (?,?)");
      if (!s.ok()) return c_.Fail("preparing");
      s.Bind(1, id).Bind(2, r.id);
      LANYARD_TRY(Run(c_, s, "indexing a share request"));
    }
    return {};
  }

  Connection& c_;
  AuditTip& tip_;
  ApplyResult& out_;
};

// ---------------------------------------------------------------------------------------------
// Read connections, kept for reuse. A connection is lent to one reader at a time.

class ReadPool {
 public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(const ReadPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_ != nullptr) pool_->Return(std::move(conn_));
    }
    Connection& operator*() const { return *conn_; }

   private:
    const ReadPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Result<Lease> Acquire() const {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
    }
    LANYARD_ASSIGN_OR_RETURN(
        auto conn, Connection::Open(path_, sqlite::kStoreErrors, Connection::Mode::kReadOnly));
    return Lease(this, std::move(conn));
  }

 private:
  // More idle connections than this are closed: readers beyond it are a burst, not the norm.
  // The server runs up to one reader per handler thread (64 under load), and opening a
  // connection (file open, schema read, pragmas) costs far more than the reads it serves, so
  // the pool keeps enough for every handler; an idle connection costs little memory.
  static constexpr size_t kMaxIdle = 128;

  void Return(std::unique_ptr<Connection> conn) const {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
  }

  std::string path_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Connection>> idle_;
};

// ---------------------------------------------------------------------------------------------
// Checkpoints off the commit path.
//
// SQLite's automatic checkpoint runs inside whichever COMMIT takes the write-ahead log past 1,000
// pages: that committer copies the log into the database and fsyncs it while every caller in
// the next group waits behind it. Here the writer's log hook only wakes this thread, which
// checkpoints on its own connection (PASSIVE: it never blocks the writer or readers, and copies
// what it can). Should it fall far behind (a reader pinning old frames, a slow disk), the writer
// checkpoints itself, as SQLite would have, so the log cannot grow without bound.

class Checkpointer {
 public:
  // Checkpoints when the log has this many pages (SQLite's default automatic threshold)...
  static constexpr int kWakeAtPages = 1000;
  // ...and the writer does it itself past this many.
  static constexpr int kWriterAtPages = 16 * kWakeAtPages;

  Checkpointer(std::unique_ptr<Connection> own, Connection& writer)
      : own_(std::move(own)), thread_([this] { Loop(); }) {
    sqlite3_wal_hook(writer.db(), &Checkpointer::OnCommit, this);
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  // SQLite calls this on the writer's thread after each commit, with the log's size in pages.
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (pages >= kWriterAtPages) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kWakeAtPages) {
      {
        std::lock_guard lock(c->mu_);
        c->wanted_ = true;
      }
      c->wake_.notify_one();
    }
    return SQLITE_OK;
  }

  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      lock.unlock();
      // A busy result (the writer checkpointing itself) or an I/O error leaves the frames in
      // the log, where they are as durable as in the database; the next wake tries again.
      sqlite3_wal_checkpoint_v2(own_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  std::unique_ptr<Connection> own_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is initialised
};

// ---------------------------------------------------------------------------------------------

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, std::unique_ptr<Connection> writer,
              std::unique_ptr<Connection> checkpoints, const SqliteStoreOptions& options)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        checkpointer_(std::move(checkpoints), *writer_),
        window_(options.group_commit_window),
        readers_(path_) {}

  // StatusStore -------------------------------------------------------------------------------

  Status CreateList(const StatusListRecord& list) override {
    Pending p;
    p.new_list = &list;
    auto r = Submit(p);
    if (!r.ok()) return std::move(r).error();
    return {};
  }
  Result<StatusListRecord> GetList(std::string_view id) const override {
    return Read([&](Connection& c) { return status_tables::GetList(c, id); });
  }
  Result<std::vector<StatusListRecord>> Lists() const override {
    return Read([&](Connection& c) { return status_tables::Lists(c); });
  }
  Status Reserve(std::string_view list, uint64_t index, std::string_view credential_id,
                 TimePoint at) override {
    return ApplyOne(ReserveStatusIndex{std::string(list), index, std::string(credential_id), at});
  }
  Result<uint64_t> CountReserved(std::string_view list) const override {
    return Read([&](Connection& c) { return status_tables::CountReserved(c, list); });
  }
  Result<std::vector<uint64_t>> ReservedIndexes(std::string_view list) const override {
    return Read([&](Connection& c) { return status_tables::ReservedIndexes(c, list); });
  }
  Result<StatusEntry> GetEntry(std::string_view list, uint64_t index) const override {
    return Read([&](Connection& c) { return status_tables::GetEntry(c, list, index); });
  }
  Status SetValue(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                  std::string_view reason, TimePoint at) override {
    return ApplyOne(
        SetStatusValue{std::string(list), index, expected, value, std::string(reason), at});
  }
  Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(std::string_view list) const override {
    return Read([&](Connection& c) { return status_tables::NonZero(c, list); });
  }
  Result<std::vector<StatusChange>> History(std::string_view list, uint64_t index) const override {
    return Read([&](Connection& c) { return status_tables::History(c, list, index); });
  }

  // Store: writes ------------------------------------------------------------------------------

  Result<ApplyResult> Apply(const WriteBatch& batch) override {
    LANYARD_TRY(ValidateBatch(batch));
    if (batch.ops.empty()) return ApplyResult{};
    Pending p;
    p.batch = &batch;
    return Submit(p);
  }

  // Store: reads -------------------------------------------------------------------------------

  Result<OrganisationRecord> GetOrganisation(std::string_view ods) const override {
    static const std::string sql = SelectSql(kOrgColumns, "FROM organisations WHERE ods=?");
    return Get(sql, ods, ReadOrganisation, "organisation");
  }
  Result<std::vector<OrganisationRecord>> ListOrganisations() const override {
    static const std::string sql = SelectSql(kOrgColumns, "FROM organisations ORDER BY ods");
    return Read([&](Connection& c) -> Result<std::vector<OrganisationRecord>> {
      Statement s = c.Prepare(sql);
      if (!s.ok()) return c.Fail("preparing");
      return All(c, s, ReadOrganisation, "organisations");
    });
  }

  Result<UserRecord> GetUser(std::string_view id) const override {
    static const std::string sql = SelectSql(kUserColumns, "FROM users WHERE id=?");
    return Get(sql, id, ReadUser, "user");
  }
  Result<UserRecord> FindUserByEmail(std::string_view email) const override {
    static const std::string sql = SelectSql(kUserColumns, "FROM users WHERE email=?");
    return Get(sql, email, ReadUser, "user with the email");
  }
  Result<std::vector<UserRecord>> ListUsers(std::string_view ods, Page page) const override {
    static const std::string sql =
        SelectSql(kUserColumns, "FROM users WHERE org_ods=? ORDER BY email LIMIT ? OFFSET ?");
    return List(sql, ReadUser, "users", ods, Limit(page.limit), Limit(page.offset));
  }
  Result<int64_t> CountUsers() const override {
    return Read([&](Connection& c) -> Result<int64_t> {
      Statement s = c.Prepare("SELECT count(*) FROM users");
      if (!s.ok()) return c.Fail("preparing");
      if (s.Step() != SQLITE_ROW) return c.Fail("counting users");
      return s.Int(0);
    });
  }

  Result<SessionRecord> GetSession(std::string_view id_hash) const override {
    static const std::string sql = SelectSql(kSessionColumns, "FROM sessions WHERE id_hash=?");
    return Get(sql, id_hash, ReadSession, "session");
  }
  Result<ApiTokenRecord> FindApiToken(std::string_view hash) const override {
    static const std::string sql = SelectSql(kTokenColumns, "FROM api_tokens WHERE hash=?");
    return Get(sql, hash, ReadToken, "API token with the hash");
  }
  Result<std::vector<ApiTokenRecord>> ListApiTokens(std::string_view ods) const override {
    static const std::string sql =
        SelectSql(kTokenColumns, "FROM api_tokens WHERE org_ods=? ORDER BY created, id");
    return List(sql, ReadToken, "API tokens", ods);
  }

  Result<InvitationRecord> GetInvitation(std::string_view code_hash) const override {
    static const std::string sql =
        SelectSql(kInvitationColumns, "FROM invitations WHERE code_hash=?");
    return Get(sql, code_hash, ReadInvitation, "invitation");
  }
  Result<std::vector<MembershipRecord>> MembershipsOfUser(std::string_view user_id) const override {
    static const std::string sql =
        SelectSql(kMembershipColumns, "FROM memberships WHERE user_id=? ORDER BY since, org_ods");
    return List(sql, ReadMembership, "memberships", user_id);
  }
  Result<std::vector<MembershipRecord>> MembershipsOfOrg(std::string_view ods,
                                                         Page page) const override {
    static const std::string sql =
        SelectSql(kMembershipColumns,
                  "FROM memberships WHERE org_ods=? ORDER BY since, user_id LIMIT ? OFFSET ?");
    return List(sql, ReadMembership, "memberships", ods, Limit(page.limit), Limit(page.offset));
  }

  Result<WalletRecord> GetWallet(std::string_view user_id) const override {
    static const std::string sql = SelectSql(kWalletColumns, "FROM wallets WHERE user_id=?");
    return Get(sql, user_id, ReadWallet, "wallet of the user");
  }
  Result<WalletCredentialRecord> GetWalletCredential(std::string_view id) const override {
    static const std::string sql =
        SelectSql(kWalletCredentialColumns, "FROM wallet_credentials WHERE id=?");
    return Get(sql, id, ReadWalletCredential, "wallet credential");
  }
  Result<std::vector<WalletCredentialRecord>> ListWalletCredentials(
      std::string_view user_id) const override {
    static const std::string sql = SelectSql(
        kWalletCredentialColumns, "FROM wallet_credentials WHERE user_id=? ORDER BY received, id");
    return List(sql, ReadWalletCredential, "wallet credentials", user_id);
  }

  Result<IssuedCredentialRecord> GetIssuedCredential(std::string_view id) const override {
    static const std::string sql = SelectSql(kIssuedColumns, "FROM issued_credentials WHERE id=?");
    return Get(sql, id, ReadIssued, "issued credential");
  }
  Result<std::vector<IssuedCredentialRecord>> ListIssuedCredentials(
      std::string_view issuer_ods, std::string_view subject_user_id, Page page) const override {
    static const std::string all = SelectSql(kIssuedColumns,
                                             "FROM issued_credentials WHERE issuer_ods=?1 "
                                             "ORDER BY issued DESC, id DESC LIMIT ?3 OFFSET ?4");
    static const std::string of_subject =
        SelectSql(kIssuedColumns,
                  "FROM issued_credentials WHERE issuer_ods=?1 AND subject_user_id=?2 "
                  "ORDER BY issued DESC, id DESC LIMIT ?3 OFFSET ?4");
    return List(subject_user_id.empty() ? all : of_subject, ReadIssued, "issued credentials",
                issuer_ods, subject_user_id, Limit(page.limit), Limit(page.offset));
  }

  Result<ShareRequestRecord> GetShareRequest(std::string_view id) const override {
    static const std::string sql = SelectSql(kShareColumns, "FROM share_requests WHERE id=?");
    return Get(sql, id, ReadShare, "share request");
  }
  Result<ShareRequestRecord> FindShareRequestByLink(std::string_view link_hash) const override {
    static const std::string sql =
        SelectSql(kShareColumns, "FROM share_requests WHERE link_hash=?");
    return Get(sql, link_hash, ReadShare, "share request with the link");
  }
  Result<std::vector<ShareRequestRecord>> ListShareRequests(std::string_view org_ods,
                                                            std::string_view staff_user_id,
                                                            Page page) const override {
    static const std::string of_org =
        SelectSql(kShareColumns,
                  "FROM share_requests WHERE requesting_org=?1 "
                  "ORDER BY created DESC, id DESC LIMIT ?3 OFFSET ?4");
    static const std::string of_org_and_staff =
        SelectSql(kShareColumns,
                  "FROM share_requests WHERE requesting_org=?1 AND staff_user_id=?2 "
                  "ORDER BY created DESC, id DESC LIMIT ?3 OFFSET ?4");
    static const std::string of_staff =
        SelectSql(kShareColumns,
                  "FROM share_requests WHERE staff_user_id=?2 "
                  "ORDER BY created DESC, id DESC LIMIT ?3 OFFSET ?4");
    if (org_ods.empty() && staff_user_id.empty()) return std::vector<ShareRequestRecord>{};
    const std::string& sql = org_ods.empty()         ? of_staff
                             : staff_user_id.empty() ? of_org
                                                     : of_org_and_staff;
    return List(sql, ReadShare, "share requests", org_ods, staff_user_id, Limit(page.limit),
                Limit(page.offset));
  }
  Result<std::vector<ShareRequestRecord>> SharesRelyingOn(
      std::string_view credential_id) const override {
    static const std::string sql =
        SelectSql(kShareColumns,
                  "FROM share_requests WHERE id IN (SELECT share_id FROM share_request_credentials "
                  "WHERE credential_id=?) ORDER BY created, id");
    return List(sql, ReadShare, "share requests", credential_id);
  }

  Result<RoleProfileRecord> GetRoleProfile(std::string_view org_ods, std::string_view id,
                                           int64_t version) const override {
    static const std::string sql = SelectSql(
        kRoleProfileColumns, "FROM role_profiles WHERE org_ods=?1 AND id=?2 AND version=?3");
    LANYARD_ASSIGN_OR_RETURN(auto found,
                             List(sql, ReadRoleProfile, "role profile", org_ods, id, version));
    if (found.empty()) {
      return NotFound("role profile",
                      std::string(org_ods) + "/" + std::string(id) + "@" + std::to_string(version));
    }
    return std::move(found.front());
  }
  Result<std::vector<RoleProfileRecord>> ListRoleProfiles(std::string_view org_ods) const override {
    static const std::string sql =
        SelectSql(kRoleProfileColumns,
                  "FROM role_profiles p WHERE org_ods=?1 AND version=(SELECT MAX(version) FROM "
                  "role_profiles WHERE org_ods=p.org_ods AND id=p.id) ORDER BY id");
    return List(sql, ReadRoleProfile, "role profiles", org_ods);
  }

  Result<JobRecord> GetJob(std::string_view id) const override {
    static const std::string sql = SelectSql(kJobColumns, "FROM jobs WHERE id=?");
    return Get(sql, id, ReadJob, "job");
  }
  Result<std::vector<JobRecord>> ListJobs(std::string_view state) const override {
    static const std::string sql =
        SelectSql(kJobColumns, "FROM jobs WHERE state=? ORDER BY created, id");
    return List(sql, ReadJob, "jobs", state);
  }

  Result<std::vector<AuditEntry>> AuditEntries(uint64_t from_seq, size_t limit) const override {
    static const std::string sql =
        SelectSql(kAuditColumns, "FROM audit_log WHERE seq>=? ORDER BY seq LIMIT ?");
    return List(sql, ReadAudit, "audit entries", from_seq, Limit(limit));
  }
  Result<std::vector<AuditEntry>> AuditAbout(std::string_view id, Page page) const override {
    // Two indexed lookups united, rather than an OR the planner may answer with a full scan.
    static const std::string sql =
        SelectSql(kAuditColumns,
                  "FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE actor=?1 "
                  "UNION SELECT seq FROM audit_log WHERE subject=?1) "
                  "ORDER BY seq DESC LIMIT ?2 OFFSET ?3");
    return List(sql, ReadAudit, "audit entries", id, Limit(page.limit), Limit(page.offset));
  }
  Result<std::optional<std::string>> AuditDetails(uint64_t seq) const override {
    return Read([&](Connection& c) -> Result<std::optional<std::string>> {
      Statement s = c.Prepare(
          "SELECT d.details FROM audit_log l LEFT JOIN audit_details d ON d.seq=l.seq "
          "WHERE l.seq=?");
      if (!s.ok()) return c.Fail("preparing");
      s.Bind(1, seq);
      int rc = s.Step();
      if (rc == SQLITE_DONE) return NotFound("audit entry", std::to_string(seq));
      if (rc != SQLITE_ROW) return c.Fail("reading audit details");
      if (s.IsNull(0)) return std::optional<std::string>();
      return std::optional<std::string>(s.Text(0));
    });
  }
  Result<std::pair<uint64_t, std::string>> AuditHead() const override {
    return Read([&](Connection& c) -> Result<std::pair<uint64_t, std::string>> {
      LANYARD_ASSIGN_OR_RETURN(AuditTip tip, ReadTip(c));
      return std::make_pair(tip.seq, std::move(tip.hash));
    });
  }

  Status BackupTo(const std::string& path) const override {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return MakeError(Code::kUnavailable, "store.unavailable",
                       "the backup's destination " + path + " already exists");
    }
    LANYARD_ASSIGN_OR_RETURN(auto source, readers_.Acquire());
    sqlite3* dest = nullptr;
    if (sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      Error e = sqlite::TranslateError(dest, sqlite::kStoreErrors, "opening " + path);
      sqlite3_close_v2(dest);
      return e;
    }
    // All pages in one step: the step reads in one transaction on the source, so the copy is
    // one committed state however busy the writer is (WAL lets it carry on meanwhile).
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", (*source).db(), "main");
    Status status;
    if (backup == nullptr) {
      status = sqlite::TranslateError(dest, sqlite::kStoreErrors, "starting a backup");
    } else {
      int rc = sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        status = sqlite::TranslateError(dest, sqlite::kStoreErrors, "copying to " + path);
      }
    }
    sqlite3_close_v2(dest);
    return status;
  }

  StoreStats Stats() const override {
    StoreStats s;
    s.transactions_committed = transactions_committed_.load(std::memory_order_relaxed);
    s.batches_applied = batches_applied_.load(std::memory_order_relaxed);
    s.batches_failed = batches_failed_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  // One caller's write, waiting in the queue: a batch, or a StatusStore CreateList (which has no
  // WriteOp of its own). Each has its own condition variable so that finishing a group wakes
  // exactly the callers in it (and the next committer), not every thread waiting to write: with
  // dozens of handler threads queued, waking them all to find most still waiting cost the
  // committer more than its SQL did.
  struct Pending {
    const WriteBatch* batch = nullptr;
    const StatusListRecord* new_list = nullptr;
    Result<ApplyResult> result = ApplyResult{};
    bool done = false;  // result is final
    bool lead = false;  // this caller commits the queue
    std::condition_variable wake;
  };

  // A single-call StatusStore write: a batch of one through the same committer.
  template <typename Op>
  Status ApplyOne(Op op) {
    WriteBatch batch;
    batch.Add(std::move(op));
    auto r = Apply(batch);
    if (!r.ok()) return std::move(r).error();
    return {};
  }

  Result<ApplyResult> Submit(Pending& p) {
    std::unique_lock lock(queue_mu_);
    queue_.push_back(&p);
    if (!committing_) {
      committing_ = true;
      p.lead = true;
    } else if (gathering_) {
      company_.notify_one();
    }
    p.wake.wait(lock, [&] { return p.done || p.lead; });
    if (p.done) return std::move(p.result);

    // This caller commits everything queued, its own batch among it.
    if (window_.count() > 0) {
      gathering_ = true;
      company_.wait_for(lock, window_, [&] { return queue_.size() >= kEnoughCompany; });
      gathering_ = false;
    }
    std::vector<Pending*> group;
    group.swap(queue_);
    lock.unlock();
    CommitGroup(group);
    lock.lock();
    // Notified under the lock: a woken caller returns and its Pending (on its stack) is gone.
    for (Pending* q : group) {
      q->done = true;
      if (q != &p) q->wake.notify_one();
    }
    if (queue_.empty()) {
      committing_ = false;
    } else {
      queue_.front()->lead = true;  // arrived during this commit: it commits the next group
      queue_.front()->wake.notify_one();
    }
    return std::move(p.result);
  }

  // Runs with committing_ held by this thread: the only user of writer_.
  void CommitGroup(const std::vector<Pending*>& group) {
    Connection& c = *writer_;
    // A failure of the transaction itself fails every batch that had not failed on its own.
    auto fail_all = [&](const Error& e) {
      c.Rollback();
      for (Pending* p : group) {
        if (p->result.ok()) p->result = e;
      }
      batches_failed_.fetch_add(group.size(), std::memory_order_relaxed);
    };
    static const std::string kBegin = "BEGIN IMMEDIATE", kSavepoint = "SAVEPOINT batch",
                             kRelease = "RELEASE batch", kRollbackTo = "ROLLBACK TO batch",
                             kCommit = "COMMIT";
    Status begin = c.ExecCached(kBegin);
    if (!begin.ok()) return fail_all(begin.error());
    auto tip = ReadTip(c);
    if (!tip.ok()) return fail_all(tip.error());
    AuditTip current = std::move(tip).value();
    const uint64_t start_seq = current.seq;
    uint64_t applied = 0;
    for (Pending* p : group) {
      Status sp = c.ExecCached(kSavepoint);
      if (!sp.ok()) return fail_all(sp.error());
      AuditTip before = current;
      Result<ApplyResult> r = ApplyPending(c, *p, current);
      if (r.ok()) {
        Status release = c.ExecCached(kRelease);
        if (!release.ok()) return fail_all(release.error());
        p->result = std::move(r);
        ++applied;
        continue;
      }
      p->result = std::move(r).error();
      // Some failures (disk full, I/O) make SQLite abandon the whole transaction.
      if (sqlite3_get_autocommit(c.db()) != 0) return fail_all(p->result.error());
      Status back = c.ExecCached(kRollbackTo);
      if (back.ok()) back = c.ExecCached(kRelease);
      if (!back.ok()) return fail_all(back.error());
      current = std::move(before);
    }
    // The head row moves once per transaction, to where the group's last batch left the chain.
    if (current.seq != start_seq) {
      Status head = MoveAuditHead(c, current);
      if (!head.ok()) return fail_all(head.error());
    }
    Status commit = c.ExecCached(kCommit);
    if (!commit.ok()) return fail_all(commit.error());
    if (applied > 0) transactions_committed_.fetch_add(1, std::memory_order_relaxed);
    batches_applied_.fetch_add(applied, std::memory_order_relaxed);
    batches_failed_.fetch_add(group.size() - applied, std::memory_order_relaxed);
  }

  static Status MoveAuditHead(Connection& c, const AuditTip& tip) {
    Statement s = c.Prepare("UPDATE audit_head SET seq=?, hash=? WHERE id=1");
    if (!s.ok()) return c.Fail("preparing");
    s.Bind(1, tip.seq).Bind(2, tip.hash);
    return Run(c, s, "moving the audit head");
  }

  // Applies one pending write inside the open transaction, extending the audit chain from `tip`.
  static Result<ApplyResult> ApplyPending(Connection& c, const Pending& p, AuditTip& tip) {
    ApplyResult out;
    if (p.new_list != nullptr) {
      LANYARD_TRY(status_tables::CreateList(c, *p.new_list));
      return out;
    }
    BatchWriter writer(c, tip, out);
    for (const WriteOp& op : p.batch->ops) LANYARD_TRY(std::visit(writer, op));
    return out;
  }

  static Result<AuditTip> ReadTip(Connection& c) {
    Statement s = c.Prepare("SELECT seq,hash FROM audit_head WHERE id=1");
    if (!s.ok()) return c.Fail("preparing");
    int rc = s.Step();
    if (rc == SQLITE_DONE) {
      return MakeError(Code::kInternal, "store.corrupt", "the audit log's head row is missing");
    }
    if (rc != SQLITE_ROW) return c.Fail("reading the audit head");
    return AuditTip{static_cast<uint64_t>(s.Int(0)), s.Text(1)};
  }

  template <typename F>
  auto Read(F&& body) const -> decltype(body(std::declval<Connection&>())) {
    LANYARD_ASSIGN_OR_RETURN(auto lease, readers_.Acquire());
    return body(*lease);
  }

  template <typename Reader>
  auto Get(const std::string& sql, std::string_view key, Reader read, std::string_view what) const
      -> Result<decltype(read(std::declval<const Statement&>()))> {
    return Read([&](Connection& c) -> Result<decltype(read(std::declval<const Statement&>()))> {
      Statement s = c.Prepare(sql);
      if (!s.ok()) return c.Fail("preparing");
      s.Bind(1, key);
      return One(c, s, read, what, key);
    });
  }

  // Binds `params` to ?1, ?2, ... (a statement may leave some unused) and reads every row.
  template <typename Reader, typename... Params>
  auto List(const std::string& sql, Reader read, std::string_view what,
            const Params&... params) const
      -> Result<std::vector<decltype(read(std::declval<const Statement&>()))>> {
    using Out = Result<std::vector<decltype(read(std::declval<const Statement&>()))>>;
    return Read([&](Connection& c) -> Out {
      Statement s = c.Prepare(sql);
      if (!s.ok()) return c.Fail("preparing");
      int i = 0;
      (s.Bind(++i, params), ...);
      return All(c, s, read, what);
    });
  }

  // A leader waiting out group_commit_window stops early once this many batches are queued.
  static constexpr size_t kEnoughCompany = 64;

  const std::string path_;
  const std::unique_ptr<Connection> writer_;
  Checkpointer checkpointer_;  // stops before writer_ closes (and checkpoints what is left)
  const std::chrono::microseconds window_;
  ReadPool readers_;

  std::mutex queue_mu_;
  std::condition_variable company_;  // a batch arrived while the leader gathers
  std::vector<Pending*> queue_;
  bool committing_ = false;
  bool gathering_ = false;

  std::atomic<uint64_t> transactions_committed_{0};
  std::atomic<uint64_t> batches_applied_{0};
  std::atomic<uint64_t> batches_failed_{0};
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options) {
  LANYARD_ASSIGN_OR_RETURN(auto writer, Connection::Open(path, sqlite::kStoreErrors));
  LANYARD_TRY(sqlite::Migrate(*writer, Code::kFailedPrecondition, "store.too_new"));
  LANYARD_ASSIGN_OR_RETURN(auto checkpoints, Connection::Open(path, sqlite::kStoreErrors));
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(path, std::move(writer), std::move(checkpoints), options));
}

int SqliteStoreSchemaVersion() { return sqlite::SchemaVersion(); }

}  // namespace lanyard::store
