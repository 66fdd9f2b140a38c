// Shared by the store tests: temporary directories, the list of Store implementations the
// contract suite runs against, sample records with every field set, and records rendered as
// text (so a test compares whole records once and a failure shows every field).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lanyard/core/encoding.h"
#include "lanyard/store/store.h"

namespace lanyard::store::test_support {

// Waits for forked writer processes; each must have exited with status 0.
inline void ExpectChildrenExitedCleanly(const std::vector<pid_t>& children) {
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/lanyard-store-XXXXXX";
    const char* made = ::mkdtemp(tmpl);
    path_ = made != nullptr ? made : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every Store implementation the contract suite covers: one line each. `open` gets a fresh empty
// directory per test.
struct StoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
};

inline std::vector<StoreFactory> StoreFactories() {
  return {
      {"sqlite", [](const std::string& dir) { return OpenSqliteStore(dir + "/store.db"); }},
  };
}

inline std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

const TimePoint kT0 = FromUnixSeconds(1785000000);

// ---------------------------------------------------------------------------------------------
// Rendering

class Line {
 public:
  explicit Line(std::string_view kind) : text_(kind) {}
  Line& F(std::string_view name, std::string_view v) {
    text_ += " " + std::string(name) + "=" + std::string(v);
    return *this;
  }
  Line& F(std::string_view name, const std::string& v) { return F(name, std::string_view(v)); }
  Line& F(std::string_view name, const char* v) { return F(name, std::string_view(v)); }
  Line& F(std::string_view name, int64_t v) { return F(name, std::to_string(v)); }
  Line& F(std::string_view name, uint64_t v) { return F(name, std::to_string(v)); }
  Line& F(std::string_view name, int v) { return F(name, std::to_string(v)); }
  Line& F(std::string_view name, bool v) { return F(name, v ? "true" : "false"); }
  Line& F(std::string_view name, TimePoint t) { return F(name, FormatRfc3339(t)); }
  Line& F(std::string_view name, const std::optional<TimePoint>& t) {
    return F(name, t.has_value() ? FormatRfc3339(*t) : "-");
  }
  Line& F(std::string_view name, const Bytes& b) { return F(name, "0x" + HexEncode(b)); }
  std::string str() const { return text_ + "\n"; }

 private:
  std::string text_;
};

inline std::string Render(const OrganisationRecord& r) {
  return Line("org")
      .F("ods", r.ods)
      .F("name", r.name)
      .F("did", r.did)
      .F("kinds", r.kinds)
      .F("region", r.region)
      .F("ics", r.ics)
      .F("key", r.signing_key_id)
      .F("created", r.created)
      .F("retired_keys", r.retired_keys)
      .str();
}
inline std::string Render(const UserRecord& r) {
  return Line("user")
      .F("id", r.id)
      .F("email", r.email)
      .F("name", r.display_name)
      .F("org", r.org_ods)
      .F("roles", r.roles)
      .F("pw", r.password_hash)
      .F("totp", r.totp_secret_sealed)
      .F("enrolled", r.totp_enrolled)
      .F("step", r.totp_last_step)
      .F("failed", r.failed_logins)
      .F("locked", r.locked_until)
      .F("disabled", r.disabled)
      .F("created", r.created)
      .str();
}
inline std::string Render(const SessionRecord& r) {
  return Line("session")
      .F("id", r.id_hash)
      .F("user", r.user_id)
      .F("csrf", r.csrf_token)
      .F("2fa", r.second_factor_done)
      .F("step_up", r.step_up_at)
      .F("created", r.created)
      .F("expires", r.expires)
      .F("seen", r.last_seen)
      .str();
}
inline std::string Render(const ApiTokenRecord& r) {
  return Line("token")
      .F("id", r.id)
      .F("hash", r.hash)
      .F("org", r.org_ods)
      .F("role", r.role)
      .F("label", r.label)
      .F("by", r.created_by)
      .F("created", r.created)
      .F("expires", r.expires)
      .F("revoked", r.revoked)
      .str();
}
inline std::string Render(const InvitationRecord& r) {
  return Line("invitation")
      .F("code", r.code_hash)
      .F("org", r.org_ods)
      .F("email", r.email)
      .F("name", r.display_name)
      .F("staff", r.staff_number)
      .F("by", r.created_by)
      .F("created", r.created)
      .F("expires", r.expires)
      .F("accepted_by", r.accepted_by)
      .F("accepted_at", r.accepted_at)
      .str();
}
inline std::string Render(const MembershipRecord& r) {
  return Line("membership")
      .F("user", r.user_id)
      .F("org", r.org_ods)
      .F("staff", r.staff_number)
      .F("since", r.since)
      .F("until", r.until)
      .str();
}
inline std::string Render(const WalletRecord& r) {
  return Line("wallet")
      .F("user", r.user_id)
      .F("did", r.holder_did)
      .F("key", r.holder_key_sealed)
      .F("created", r.created)
      .str();
}
inline std::string Render(const WalletCredentialRecord& r) {
  return Line("wallet_credential")
      .F("id", r.id)
      .F("user", r.user_id)
      .F("type", r.type)
      .F("format", r.format)
      .F("issuer", r.issuer_ods)
      .F("sealed", r.sealed)
      .F("received", r.received)
      .F("valid_until", r.valid_until)
      .str();
}
inline std::string Render(const IssuedCredentialRecord& r) {
  return Line("issued")
      .F("id", r.id)
      .F("issuer", r.issuer_ods)
      .F("subject", r.subject_user_id)
      .F("type", r.type)
      .F("format", r.format)
      .F("list", r.status_list)
      .F("index", r.status_index)
      .F("state", r.state)
      .F("by", r.issued_by)
      .F("replaces", r.replaces)
      .F("issued", r.issued)
      .F("valid_until", r.valid_until)
      .F("claims", r.claims_json)
      .str();
}
inline std::string Render(const ShareRequestRecord& r) {
  return Line("share")
      .F("id", r.id)
      .F("org", r.requesting_org)
      .F("by", r.created_by)
      .F("profile", r.profile)
      .F("movement", r.movement)
      .F("start", r.start_date)
      .F("link", r.link_hash)
      .F("created", r.created)
      .F("expires", r.expires)
      .F("state", r.state)
      .F("staff", r.staff_user_id)
      .F("creds", r.credential_ids)
      .F("disclosure", r.disclosure_json)
      .F("presentation", r.presentation_sealed)
      .F("report", r.report_json)
      .F("consented", r.consented_at)
      .F("received", r.received_at)
      .F("closed", r.closed_at)
      .str();
}
inline std::string Render(const JobRecord& r) {
  return Line("job")
      .F("id", r.id)
      .F("org", r.org_ods)
      .F("kind", r.kind)
      .F("state", r.state)
      .F("by", r.created_by)
      .F("total", r.total)
      .F("done", r.done)
      .F("failed", r.failed)
      .F("errors", r.errors_json)
      .F("created", r.created)
      .F("updated", r.updated)
      .str();
}
inline std::string Render(const RoleProfileRecord& r) {
  return Line("role_profile")
      .F("org", r.org_ods)
      .F("id", r.id)
      .F("version", r.version)
      .F("text", r.text)
      .F("by", r.uploaded_by)
      .F("uploaded", r.uploaded)
      .str();
}
inline std::string Render(const AuditEntry& e) {
  return Line("audit")
      .F("seq", e.seq)
      .F("at", e.at)
      .F("actor", e.actor)
      .F("org", e.org_ods)
      .F("action", e.action)
      .F("subject", e.subject)
      .F("details_hash", e.details_hash)
      .F("prev", e.prev_hash)
      .F("hash", e.entry_hash)
      .str();
}
template <typename T>
std::string Render(const std::vector<T>& records) {
  std::string out;
  for (const T& r : records) out += Render(r);
  return out;
}
// The list's ids in order, "a,b,c": for paging and ordering checks.
template <typename T, typename Key>
std::string Ids(const std::vector<T>& records, Key key) {
  std::string out;
  for (const T& r : records) out += (out.empty() ? "" : ",") + std::string(key(r));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sample records: every field set (optional ones too), varied by `n`.

inline TimePoint At(int minutes) { return kT0 + std::chrono::minutes(minutes); }

inline OrganisationRecord SampleOrganisation(std::string ods) {
  return OrganisationRecord{ods,
                            "Trust " + ods,
                            "did:web:" + ods + ".example",
                            "employer,issuer",
                            "London",
                            "NCL",
                            "key-" + ods,
                            At(1),
                            R"([{"id":"old-)" + ods + R"(","since":"2026-01-01T00:00:00Z"}])"};
}

inline UserRecord SampleUser(std::string id, std::string email, std::string org = "RGT") {
  UserRecord u;
  u.id = std::move(id);
  u.email = std::move(email);
  u.display_name = "Dr " + u.id;
  u.org_ods = std::move(org);
  u.roles = "org_admin,issuer";
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.totp_secret_sealed = Bytes{1, 2, 3, 0, 255};
  u.totp_enrolled = true;
  u.totp_last_step = 58'000'000;
  u.failed_logins = 2;
  u.locked_until = At(30);
  u.disabled = false;
  u.created = At(2);
  return u;
}

inline SessionRecord SampleSession(std::string id_hash, std::string user) {
  return SessionRecord{
      std::move(id_hash), std::move(user), "csrf-1", true, At(5), At(3), At(600), At(4)};
}

inline ApiTokenRecord SampleToken(std::string id, std::string hash, std::string org = "RGT") {
  return ApiTokenRecord{std::move(id), std::move(hash), std::move(org), "issuer", "ESR feed",
                        "u1",          At(6),           At(60 * 24),    At(7)};
}

inline InvitationRecord SampleInvitation(std::string code_hash, TimePoint expires = At(60)) {
  return InvitationRecord{
      std::move(code_hash), "RGT", "new@nhs.net", "New Starter", "ESR-1", "u1", At(8), expires, "",
      std::nullopt};
}

inline MembershipRecord SampleMembership(std::string user, std::string org, int since) {
  return MembershipRecord{std::move(user), std::move(org), "ESR-" + std::to_string(since),
                          At(since), At(since + 100)};
}

inline WalletRecord SampleWallet(std::string user) {
  return WalletRecord{std::move(user), "did:key:z6MkSample", Bytes(32, 7), At(9)};
}

inline WalletCredentialRecord SampleWalletCredential(std::string id, std::string user, int at) {
  return WalletCredentialRecord{std::move(id), std::move(user), "dbs-check", "sd-jwt",
                                "RGT",         Bytes{9, 8, 7},  At(at),      At(at + 1000)};
}

inline IssuedCredentialRecord SampleIssued(std::string id, std::string subject, int at,
                                           std::string issuer = "RGT") {
  IssuedCredentialRecord r;
  r.id = std::move(id);
  r.issuer_ods = std::move(issuer);
  r.subject_user_id = std::move(subject);
  r.type = "mandatory-training";
  r.format = "di";
  r.status_list = "rgt-revocation-1";
  r.status_index = 4242;
  r.state = "active";
  r.issued_by = "u1";
  r.replaces = "urn:old";
  r.issued = At(at);
  r.valid_until = At(at + 525600);
  r.claims_json = R"({"course":"Fire safety"})";
  return r;
}

inline ShareRequestRecord SampleShare(std::string id, std::string link_hash, int at,
                                      std::string org = "RGT") {
  ShareRequestRecord r;
  r.id = std::move(id);
  r.requesting_org = std::move(org);
  r.created_by = "u1";
  r.profile = "fy1-doctor";
  r.movement = "rotation";
  r.start_date = "2026-08-05";
  r.link_hash = std::move(link_hash);
  r.created = At(at);
  r.expires = At(at + 1440);
  r.state = "open";
  return r;
}

inline ShareRequestRecord Consented(ShareRequestRecord r, std::string staff, std::string creds) {
  r.state = "consented";
  r.staff_user_id = std::move(staff);
  r.credential_ids = std::move(creds);
  r.disclosure_json = R"({"dbs":["level"]})";
  r.presentation_sealed = Bytes{4, 5, 6};
  r.report_json = R"({"ready":true})";
  r.consented_at = r.created + std::chrono::minutes(10);
  r.received_at = r.created + std::chrono::minutes(11);
  r.closed_at = r.created + std::chrono::minutes(12);
  return r;
}

inline RoleProfileRecord SampleRoleProfile(std::string org, std::string id, int64_t version) {
  return RoleProfileRecord{
      std::move(org), std::move(id),
      version,        "format = lanyard-profile/1\nversion = " + std::to_string(version) + "\n",
      "u1",           At(20 + version)};
}

inline JobRecord SampleJob(std::string id) {
  return JobRecord{std::move(id),
                   "RGT",
                   "bulk_issue",
                   "running",
                   "u1",
                   100,
                   40,
                   2,
                   R"([{"line":3,"code":"x","message":"y"}])",
                   At(10),
                   At(11)};
}

inline StatusListRecord SampleList(std::string id, uint64_t size = 131072) {
  return StatusListRecord{std::move(id),
                          ListFormat::kBitstring,
                          "revocation",
                          size,
                          "https://rgt.example/s/1",
                          "did:web:rgt.example",
                          kT0};
}

inline AppendAudit SampleAudit(std::string action, std::string subject,
                               std::string details = R"({"name":"A. Person"})",
                               std::string actor = "u1") {
  return AppendAudit{
      At(20), std::move(actor), "RGT", std::move(action), std::move(subject), std::move(details)};
}

}  // namespace lanyard::store::test_support
