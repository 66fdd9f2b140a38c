// The passport service's store: every record the server keeps — organisations, people and their
// roles, sessions, API tokens, invitations, hosted wallets, issued credentials with their status
// entries, share requests, background jobs — and the hash-chained audit log.
//
// Reads are plain calls. Every change goes through Apply(WriteBatch): a batch is applied all or
// nothing, and "acknowledged" (Apply returned OK) means committed durably (fsynced). An
// implementation may commit many callers' batches in one transaction (group commit), but one
// batch's failure never touches another's: each is applied as if alone, in some serial order.
// Status-list reservations, issued credentials, wallet copies and audit entries that belong to one
// act (an issuance, a revocation) go in one batch, so a crash leaves all of them or none.
//
// The store also is the StatusStore of the service's status lists (same database, same
// transactions), so StatusService works on it unchanged; its single-call StatusStore writes are
// batches of one.
//
// Audit chain: AppendAudit ops get the next sequence number and are chained in commit order:
//   details_hash = hex(SHA-256(details text as stored))   ("" when there are no details; the
//                  text must be canonical JSON, so this is the hash of the canonical form)
//   entry_hash   = hex(SHA-256(prev_hash "\n" AuditChainPayload(entry)))
// (store/audit_chain.h computes both; prev_hash of the first entry is 64 zeros.) Personal data
// (names, reasons, free text) goes in `details`, which is stored outside the chain: erasing it
// (EraseAuditDetails) leaves the chain verifiable. actor, org, action and subject hold ids only.
//
// Persisted enum names and the migrations are never renumbered or edited once shipped.
//
// Errors (reason, Code), besides the StatusStore's status_store.* ones:
//   store.not_found       (kNotFound) a Get of an absent record
//   store.conflict        (kFailedPrecondition) a conditional op whose condition did not hold
//                         (the message says which op and which record)
//   store.duplicate       (kAlreadyExists) an Insert op whose key (or unique email, token hash,
//                         link hash) exists
//   store.unavailable     (kUnavailable) the database failed; the message keeps its words
//   store.corrupt         (kInternal) a record the store cannot read back
//   store.too_large       (kInvalidArgument) a batch over kMaxBatchOps ops
//   store.invalid_audit   (kInvalidArgument) an AppendAudit whose ids are not UTF-8 or whose
//                         details are not "" or a JSON object in canonical form
//   store.too_new         (kFailedPrecondition) opening a database written by a newer Lanyard
//
// Thread-safety: every method is safe to call from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/store/status_store.h"

namespace lanyard::store {

// ---------------------------------------------------------------------------------------------
// Records. Ids are opaque text chosen by the service (random, URL-safe). Times are UTC.

struct OrganisationRecord {
  std::string ods;   // ODS code, the key
  std::string name;
  std::string did;   // did:web of the organisation (its issuer id)
  std::string kinds;  // comma-separated organisation kinds as in the trust registry
  std::string region;
  std::string ics;
  std::string signing_key_id;  // key store id of its current signing key ("" until it has one)
  TimePoint created;
  // Its earlier signing keys, as the service writes them (service/org_keys.h: a JSON array);
  // "" or "[]" when it has never rotated.
  std::string retired_keys;
};

// Roles, persisted by name (RoleName/ParseRole in service/); stored as a comma list.
struct UserRecord {
  std::string id;
  std::string email;  // lower-cased; unique across the store
  std::string display_name;
  std::string org_ods;  // "" for staff members (whose passport is theirs) and national admins
  std::string roles;    // comma-separated role names
  std::string password_hash;  // Argon2id PHC string
  Bytes totp_secret_sealed;   // empty until TOTP is enrolled; sealed with the master key
  bool totp_enrolled = false;
  int64_t totp_last_step = -1;  // last accepted TOTP step (replay protection)
  int failed_logins = 0;
  std::optional<TimePoint> locked_until;
  bool disabled = false;
  TimePoint created;
};

struct SessionRecord {
  std::string id_hash;  // hex SHA-256 of the cookie's token: the token itself is never stored
  std::string user_id;
  std::string csrf_token;
  bool second_factor_done = false;
  std::optional<TimePoint> step_up_at;  // last fresh second-factor check (consent, exports)
  TimePoint created;
  TimePoint expires;     // absolute limit
  TimePoint last_seen;   // for the idle limit
};

struct ApiTokenRecord {
  std::string id;
  std::string hash;  // hex SHA-256 of the token; unique
  std::string org_ods;
  std::string role;   // the one role the token acts with
  std::string label;
  std::string created_by;  // user id
  TimePoint created;
  std::optional<TimePoint> expires;
  std::optional<TimePoint> revoked;
};

struct InvitationRecord {
  std::string code_hash;  // hex SHA-256 of the invitation code; the key
  std::string org_ods;    // the organisation that invited
  std::string email;
  std::string display_name;
  std::string staff_number;  // the organisation's own reference (ESR assignment number), may be ""
  std::string created_by;
  TimePoint created;
  TimePoint expires;
  std::string accepted_by;  // user id, "" while open
  std::optional<TimePoint> accepted_at;
};

// A staff member's link to an organisation they work for (or worked for).
struct MembershipRecord {
  std::string user_id;
  std::string org_ods;
  std::string staff_number;
  TimePoint since;
  std::optional<TimePoint> until;
};

// The hosted wallet: one per staff member, with their holder key sealed by the master key.
struct WalletRecord {
  std::string user_id;
  std::string holder_did;   // did:key of the holder key
  Bytes holder_key_sealed;  // the key's 32-byte secret, sealed
  TimePoint created;
};

struct WalletCredentialRecord {
  std::string id;  // the credential's id
  std::string user_id;
  std::string type;    // credential type name (passport/credential_types.h)
  std::string format;  // "di" or "sd-jwt"
  std::string issuer_ods;
  Bytes sealed;        // the credential text, sealed with the wallet's key
  TimePoint received;
  std::optional<TimePoint> valid_until;
};

// The issuer's record of a credential it issued.
struct IssuedCredentialRecord {
  std::string id;
  std::string issuer_ods;
  std::string subject_user_id;
  std::string type;
  std::string format;
  std::string status_list;  // "" when issued without a status entry
  uint64_t status_index = 0;
  std::string state;  // "active", "suspended", "revoked", "replaced"
  std::string issued_by;  // user or token id
  std::string replaces;   // id of the credential this one re-issues, or ""
  TimePoint issued;
  std::optional<TimePoint> valid_until;
  std::string claims_json;  // the credentialSubject as issued, for re-issue
};

struct ShareRequestRecord {
  std::string id;
  std::string requesting_org;
  std::string created_by;
  std::string profile;    // role requirement profile name
  std::string movement;   // movement type name
  std::string start_date;  // YYYY-MM-DD
  std::string link_hash;   // hex SHA-256 of the share link's secret; unique
  TimePoint created;
  TimePoint expires;
  // "open" -> "consented" -> "received" -> "closed"; "open"/"consented" -> "withdrawn";
  // "open" -> "expired". Persisted names.
  std::string state;
  std::string staff_user_id;  // who opened the link ("" until then)
  std::string credential_ids;  // comma list of the credentials consented to
  std::string disclosure_json;  // exactly what the staff member agreed to disclose
  Bytes presentation_sealed;   // what was presented, sealed
  std::string report_json;     // the readiness report (with overrides)
  std::optional<TimePoint> consented_at;
  std::optional<TimePoint> received_at;
  std::optional<TimePoint> closed_at;
};

// An organisation's own version of a role requirement profile (passport/profile.h), kept as the
// file it was uploaded as. Every version is kept: a share request names the version it was made
// under, so its report never changes because the profile was edited later.
struct RoleProfileRecord {
  std::string org_ods;
  std::string id;  // the profile's id ([a-z0-9-]+)
  int64_t version = 0;
  std::string text;  // the profile file, as ParseProfile accepted it
  std::string uploaded_by;
  TimePoint uploaded;
};

struct JobRecord {
  std::string id;
  std::string org_ods;
  std::string kind;   // "bulk_issue"
  std::string state;  // "queued", "running", "done", "failed"
  std::string created_by;
  int64_t total = 0;
  int64_t done = 0;
  int64_t failed = 0;
  std::string errors_json;  // [{"line":N,"code":"...","message":"..."}]
  TimePoint created;
  TimePoint updated;
};

struct AuditEntry {
  uint64_t seq = 0;  // 1, 2, ... in commit order
  TimePoint at;
  std::string actor;    // user id, "token:<id>", or "system"
  std::string org_ods;  // the organisation acting, or ""
  std::string action;   // e.g. "credential.issue", "share.view", "login.success"
  std::string subject;  // id of what was acted on (credential, user, share request)
  std::string details_hash;
  std::string prev_hash;
  std::string entry_hash;
};

// ---------------------------------------------------------------------------------------------
// Write ops. `Insert*` fail with store.duplicate when the key exists; `Put*` insert or replace
// (store.duplicate when the new values clash with another record's unique email or hash);
// `Delete*` succeed when there is nothing to delete. The store checks keys and uniqueness only:
// which records may refer to which is the service's rule.

struct PutOrganisation { OrganisationRecord record; };
struct InsertUser { UserRecord record; };
struct PutUser { UserRecord record; };  // REQUIRES: the user exists (store.not_found otherwise)
struct PutSession { SessionRecord record; };
struct DeleteSession { std::string id_hash; };
struct DeleteUserSessions { std::string user_id; };
struct InsertApiToken { ApiTokenRecord record; };
struct PutApiToken { ApiTokenRecord record; };
struct InsertInvitation { InvitationRecord record; };
// Marks an open, unexpired invitation accepted; store.conflict when it is used or expired at `at`.
struct AcceptInvitation { std::string code_hash; std::string user_id; TimePoint at; };
struct PutMembership { MembershipRecord record; };  // keyed by (user_id, org_ods)
struct InsertWallet { WalletRecord record; };
struct PutWalletCredential { WalletCredentialRecord record; };
struct DeleteWalletCredential { std::string id; };
// Takes a status index (status_store.index_taken when taken).
struct ReserveStatusIndex { std::string list; uint64_t index = 0; std::string credential_id; TimePoint at; };
// Compare-and-set of a status entry (status_store.conflict / entry_not_found as SetValue).
struct SetStatusValue {
  std::string list; uint64_t index = 0; uint8_t expected = 0; uint8_t value = 0;
  std::string reason; TimePoint at;
};
struct InsertIssuedCredential { IssuedCredentialRecord record; };
// Changes an issued credential's state if it is `expected_state` now (store.conflict otherwise).
struct SetIssuedCredentialState { std::string id; std::string expected_state; std::string state; };
struct InsertShareRequest { ShareRequestRecord record; };
// Replaces a share request if its state is `expected_state` now (store.conflict otherwise), so
// a single-use link can be used once however many requests race.
struct UpdateShareRequest { ShareRequestRecord record; std::string expected_state; };
struct PutJob { JobRecord record; };
// Keyed by (org_ods, id, version): store.duplicate when that version is stored.
struct InsertRoleProfile {
  RoleProfileRecord record;
};
struct AppendAudit {
  TimePoint at;
  std::string actor, org_ods, action, subject;
  std::string details_json;  // canonical JSON object with the personal detail, or ""
};
// Deletes an entry's details (idempotent); store.not_found when there is no entry `seq`.
struct EraseAuditDetails { uint64_t seq = 0; };

using WriteOp =
    std::variant<PutOrganisation, InsertUser, PutUser, PutSession, DeleteSession,
                 DeleteUserSessions, InsertApiToken, PutApiToken, InsertInvitation,
                 AcceptInvitation, PutMembership, InsertWallet, PutWalletCredential,
                 DeleteWalletCredential, ReserveStatusIndex, SetStatusValue, InsertIssuedCredential,
                 SetIssuedCredentialState, InsertShareRequest, UpdateShareRequest, PutJob,
                 InsertRoleProfile, AppendAudit, EraseAuditDetails>;

inline constexpr size_t kMaxBatchOps = 10'000;

struct WriteBatch {
  std::vector<WriteOp> ops;
  template <typename Op>
  WriteBatch& Add(Op op) {
    ops.emplace_back(std::move(op));
    return *this;
  }
};

// What Apply hands back: the sequence numbers given to the batch's AppendAudit ops, in order.
struct ApplyResult {
  std::vector<uint64_t> audit_seqs;
};

struct Page {
  size_t limit = 100;
  size_t offset = 0;
};

// What the store has done since it was opened (for /metrics, and to show group commit working:
// batches_applied / transactions_committed is the number of batches per fsync).
struct StoreStats {
  uint64_t transactions_committed = 0;
  uint64_t batches_applied = 0;  // acknowledged batches, single-call StatusStore writes included
  uint64_t batches_failed = 0;   // batches refused by one of their ops or by the database
};

class Store : public StatusStore {
 public:
  ~Store() override = default;

  // All or nothing; OK means durable. Errors: any op's error (the batch then changed nothing).
  virtual Result<ApplyResult> Apply(const WriteBatch& batch) = 0;

  virtual Result<OrganisationRecord> GetOrganisation(std::string_view ods) const = 0;
  virtual Result<std::vector<OrganisationRecord>> ListOrganisations() const = 0;  // by ods

  virtual Result<UserRecord> GetUser(std::string_view id) const = 0;
  virtual Result<UserRecord> FindUserByEmail(std::string_view email) const = 0;
  // Users whose org_ods is `ods` (ods "" lists staff members and national admins), by email.
  virtual Result<std::vector<UserRecord>> ListUsers(std::string_view ods, Page page) const = 0;
  virtual Result<int64_t> CountUsers() const = 0;

  virtual Result<SessionRecord> GetSession(std::string_view id_hash) const = 0;
  virtual Result<ApiTokenRecord> FindApiToken(std::string_view hash) const = 0;
  // Oldest first (created, then id).
  virtual Result<std::vector<ApiTokenRecord>> ListApiTokens(std::string_view ods) const = 0;

  virtual Result<InvitationRecord> GetInvitation(std::string_view code_hash) const = 0;
  // Both oldest first (since, then org_ods / user_id).
  virtual Result<std::vector<MembershipRecord>> MembershipsOfUser(std::string_view user_id) const = 0;
  virtual Result<std::vector<MembershipRecord>> MembershipsOfOrg(std::string_view ods,
                                                                 Page page) const = 0;

  virtual Result<WalletRecord> GetWallet(std::string_view user_id) const = 0;
  virtual Result<WalletCredentialRecord> GetWalletCredential(std::string_view id) const = 0;
  // Oldest first (received, then id).
  virtual Result<std::vector<WalletCredentialRecord>> ListWalletCredentials(
      std::string_view user_id) const = 0;

  virtual Result<IssuedCredentialRecord> GetIssuedCredential(std::string_view id) const = 0;
  // Newest first (issued, then id, descending). subject_user_id "" lists all of the
  // organisation's.
  virtual Result<std::vector<IssuedCredentialRecord>> ListIssuedCredentials(
      std::string_view issuer_ods, std::string_view subject_user_id, Page page) const = 0;

  virtual Result<ShareRequestRecord> GetShareRequest(std::string_view id) const = 0;
  virtual Result<ShareRequestRecord> FindShareRequestByLink(std::string_view link_hash) const = 0;
  // Newest first (created, then id, descending): a receiving organisation's requests (only
  // those `staff_user_id` opened when it is not ""), or ("" org) those a staff member opened.
  // Both "" lists nothing.
  virtual Result<std::vector<ShareRequestRecord>> ListShareRequests(std::string_view org_ods,
                                                                    std::string_view staff_user_id,
                                                                    Page page) const = 0;
  // Share requests whose consented credentials include `credential_id`, oldest first.
  virtual Result<std::vector<ShareRequestRecord>> SharesRelyingOn(
      std::string_view credential_id) const = 0;

  virtual Result<RoleProfileRecord> GetRoleProfile(std::string_view org_ods, std::string_view id,
                                                   int64_t version) const = 0;
  // The latest version of each of the organisation's profiles, by id.
  virtual Result<std::vector<RoleProfileRecord>> ListRoleProfiles(
      std::string_view org_ods) const = 0;

  virtual Result<JobRecord> GetJob(std::string_view id) const = 0;
  // Every job in `state` ("queued", "running", ...), oldest first (created, then id): how a
  // starting server finds the jobs a previous process left unfinished.
  virtual Result<std::vector<JobRecord>> ListJobs(std::string_view state) const = 0;

  // Audit entries with seq >= from_seq, in order, at most `limit`.
  virtual Result<std::vector<AuditEntry>> AuditEntries(uint64_t from_seq, size_t limit) const = 0;
  // Newest first, entries whose actor or subject is `id`.
  virtual Result<std::vector<AuditEntry>> AuditAbout(std::string_view id, Page page) const = 0;
  // The details kept outside the chain; std::nullopt when erased or never given.
  // Errors: store.not_found when there is no entry `seq`.
  virtual Result<std::optional<std::string>> AuditDetails(uint64_t seq) const = 0;
  // The recorded head of the log: the last seq and its entry_hash ({0, 64 zeros} when empty),
  // written in the same transaction as every append. VerifyAuditChain compares it with the last
  // entry, which is how entries removed from the end are noticed.
  virtual Result<std::pair<uint64_t, std::string>> AuditHead() const = 0;

  // Counters since the store was opened; zeros from a store that keeps none.
  virtual StoreStats Stats() const { return {}; }

  // Writes a consistent copy of the whole database to `path` while others keep reading and
  // writing (SQLite's online backup). Errors: store.unavailable (also when `path` exists: a
  // backup never overwrites a file).
  virtual Status BackupTo(const std::string& path) const = 0;
};

struct SqliteStoreOptions {
  // Longest a caller waits for its group commit to gather company before committing (it stops
  // early once many batches are queued). 0: commit whatever is queued at once; groups still form
  // from the callers that arrive while a commit is in progress.
  std::chrono::microseconds group_commit_window{0};
};

// Opens (creating and migrating when needed) the SQLite database at `path` (WAL,
// synchronous=FULL). The file may be one NewSqliteStatusStore created: both share one schema,
// so it is upgraded in place. Errors: store.unavailable; store.corrupt; store.too_new when the
// file was written by a newer Lanyard (its schema version is beyond this build's).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = {});

// The schema version this build migrates to.
int SqliteStoreSchemaVersion();

}  // namespace lanyard::store
