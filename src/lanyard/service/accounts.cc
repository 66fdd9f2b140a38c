#include "lanyard/service/accounts.h"

#include <algorithm>
#include <cctype>

#include "lanyard/core/encoding.h"
#include "lanyard/core/utf8.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/crypto/totp.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/value.h"
#include "lanyard/service/org_keys.h"

namespace lanyard::service {
namespace {

constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxNameBytes = 200;

Error Denied(std::string message) {
  return MakeError(Code::kPermissionDenied, "permission.denied", std::move(message));
}

Error InvalidCredentials() {
  return MakeError(Code::kUnauthenticated, "auth.invalid_credentials",
                   "the email address or password is not right");
}

Error NoSession() {
  return MakeError(Code::kUnauthenticated, "auth.no_session",
                   "sign in again: the session has ended or was never valid");
}

// Addresses are compared lower-cased; the check is deliberately loose (one @, something on each
// side, a dot in the domain, no spaces or controls): the invitation email proves the rest.
Result<std::string> NormaliseEmail(std::string_view email) {
  std::string out;
  out.reserve(email.size());
  for (char c : email) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = out.find('@');
  bool ok = !out.empty() && out.size() <= kMaxEmailBytes && at != std::string::npos && at > 0 &&
            at == out.rfind('@') && out.find('.', at) != std::string::npos && out.back() != '.' &&
            IsValidUtf8(out);
  for (char c : out) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) ok = false;
  }
  if (!ok) {
    return MakeError(Code::kInvalidArgument, "account.invalid",
                     "that is not an email address Lanyard can use");
  }
  return out;
}

Status CheckName(std::string_view name, std::string_view what) {
  bool ok = !name.empty() && name.size() <= kMaxNameBytes && IsValidUtf8(name);
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ok = false;
  }
  if (!ok) {
    return MakeError(Code::kInvalidArgument, "account.invalid",
                     std::string(what) + " must be 1 to 200 bytes of printable UTF-8");
  }
  return OkStatus();
}

bool IsOrgRole(RoleSet roles) {
  return !roles.empty() && !roles.Has(Role::kStaff) && !roles.Has(Role::kNationalAdmin);
}

Bytes UserAd(std::string_view purpose, std::string_view user_id) {
  std::string ad = "lanyard." + std::string(purpose) + ".v1";
  ad.push_back('\0');
  ad += user_id;
  return Bytes(ad.begin(), ad.end());
}

}  // namespace

std::string DetailsJson(std::initializer_list<std::pair<std::string_view, std::string>> members) {
  json::Value v = json::Object{};
  for (const auto& [k, value] : members) v.Set(std::string(k), value);
  // The store hashes details exactly as given, so they are kept in canonical form (sorted
  // members), the one spelling that hashes the same wherever it is recomputed.
  auto canonical = json::Canonicalize(v);
  return canonical.ok() ? std::move(canonical).value() : std::string("{}");
}

Bytes HolderKeyAd(std::string_view user_id) { return UserAd("holder", user_id); }

std::string HashSecret(std::string_view secret) {
  auto digest =
      crypto::Sha256(ByteView(reinterpret_cast<const uint8_t*>(secret.data()), secret.size()));
  return HexEncode(ByteView(digest.data(), digest.size()));
}

std::string NewSecret(std::string_view prefix) {
  Bytes r = crypto::SecureRandomBytes(32);
  return std::string(prefix) + Base64UrlEncode(r);
}

std::string NewId() { return Base64UrlEncode(crypto::SecureRandomBytes(16)); }

store::AppendAudit AuditOp(TimePoint at, const Principal& actor, std::string_view action,
                           std::string_view subject, std::string details_json) {
  store::AppendAudit op;
  op.at = at;
  op.actor = actor.Actor();
  op.org_ods = actor.org_ods;
  op.action = std::string(action);
  op.subject = std::string(subject);
  op.details_json = std::move(details_json);
  return op;
}

AccountService::AccountService(store::Store& store, const Clock& clock, crypto::KeyStore& keys,
                               ServiceSecrets secrets, LoginThrottle& throttle,
                               AccountOptions options)
    : store_(store),
      clock_(clock),
      keys_(keys),
      secrets_(secrets),
      throttle_(throttle),
      options_(std::move(options)) {
  auto decoy = crypto::HashPassword(NewSecret(""), options_.password_params);
  if (decoy.ok()) decoy_hash_ = std::move(decoy).value();
}

Result<store::OrganisationRecord> AccountService::AddOrganisation(const Principal& actor,
                                                                  store::OrganisationRecord org,
                                                                  std::string_view did_web_base) {
  if (actor.authenticated() && !actor.roles.Has(Role::kNationalAdmin)) {
    return Denied("only a national administrator adds organisations");
  }
  bool ods_ok = !org.ods.empty() && org.ods.size() <= 10;
  for (char c : org.ods) {
    if (!std::isalnum(static_cast<unsigned char>(c))) ods_ok = false;
  }
  if (!ods_ok) {
    return MakeError(Code::kInvalidArgument, "org.invalid",
                     "an ODS code is 1 to 10 letters and digits");
  }
  std::transform(org.ods.begin(), org.ods.end(), org.ods.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  LANYARD_TRY(CheckName(org.name, "The organisation's name"));
  if (store_.GetOrganisation(org.ods).ok()) {
    return MakeError(Code::kAlreadyExists, "org.exists",
                     "organisation " + org.ods + " is already in this service");
  }
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyInfo key,
                           keys_.Generate(crypto::KeyType::kEd25519, org.ods + " signing key"));
  org.signing_key_id = key.id;
  org.did = std::string(did_web_base) + ":orgs:" + org.ods;
  org.created = clock_.Now();
  store::WriteBatch batch;
  batch.Add(store::PutOrganisation{org});
  batch.Add(AuditOp(org.created, actor, "org.add", org.ods,
                    DetailsJson({{"name", org.name}, {"kinds", org.kinds}})));
  LANYARD_TRY(store_.Apply(batch));
  return org;
}

Result<store::OrganisationRecord> AccountService::RotateSigningKey(const Principal& actor,
                                                                   std::string_view ods,
                                                                   std::string_view reason,
                                                                   bool compromised) {
  const bool system = actor.id == "system";
  if (!system && (!actor.roles.Has(Role::kOrgAdmin) || actor.org_ods != ods)) {
    return Denied("only the organisation's administrators rotate its signing key");
  }
  if (!system && !HasFreshStepUp(actor)) {
    return MakeError(Code::kUnauthenticated, "auth.step_up_required",
                     "confirm it is you (password or authenticator code) before changing the "
                     "organisation's signing key");
  }
  if (reason.empty() || reason.size() > kMaxRotationReason || !IsValidUtf8(reason)) {
    return MakeError(
        Code::kInvalidArgument, "org.invalid_reason",
        "say why the key is rotated (1 to " + std::to_string(kMaxRotationReason) + " characters)");
  }
  auto found = store_.GetOrganisation(ods);
  if (!found.ok()) {
    if (found.error().reason == "store.not_found") {
      return MakeError(Code::kNotFound, "org.not_found", "no such organisation");
    }
    return std::move(found).error();
  }
  store::OrganisationRecord org = *std::move(found);
  if (org.signing_key_id.empty()) {
    return MakeError(Code::kFailedPrecondition, "org.no_key",
                     "organisation " + org.ods + " has no signing key to rotate");
  }
  LANYARD_ASSIGN_OR_RETURN(std::vector<RetiredKey> retired, ParseRetiredKeys(org.retired_keys));
  if (retired.size() >= kMaxRetiredKeys) {
    return MakeError(Code::kResourceExhausted, "org.too_many_keys",
                     "organisation " + org.ods + " has rotated its key too many times");
  }
  TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyInfo key,
                           keys_.Generate(crypto::KeyType::kEd25519, org.ods + " signing key"));
  const std::string old_key = org.signing_key_id;
  retired.push_back(RetiredKey{old_key, now, compromised, std::string(reason)});
  org.retired_keys = RetiredKeysJson(retired);
  org.signing_key_id = key.id;
  store::WriteBatch batch;
  batch.Add(store::PutOrganisation{org});
  batch.Add(AuditOp(
      now, actor, compromised ? "org.key_compromised" : "org.key_rotate", org.ods,
      DetailsJson({{"reason", std::string(reason)}, {"old_key", old_key}, {"new_key", key.id}})));
  LANYARD_TRY(store_.Apply(batch));
  return org;
}

Result<store::UserRecord> AccountService::MakeUser(const NewUser& user) const {
  LANYARD_ASSIGN_OR_RETURN(std::string email, NormaliseEmail(user.email));
  LANYARD_TRY(CheckName(user.display_name, "The name"));
  LANYARD_TRY(crypto::CheckPasswordPolicy(user.password));
  if (store_.FindUserByEmail(email).ok()) {
    return MakeError(Code::kAlreadyExists, "account.exists",
                     "an account with that email address already exists");
  }
  store::UserRecord record;
  record.id = NewId();
  record.email = email;
  record.display_name = user.display_name;
  record.org_ods = user.org_ods;
  record.roles = user.roles.ToString();
  LANYARD_ASSIGN_OR_RETURN(record.password_hash,
                           crypto::HashPassword(user.password, options_.password_params));
  record.created = clock_.Now();
  return record;
}

Result<store::UserRecord> AccountService::Bootstrap(const NewUser& user) {
  if (user.roles != RoleSet{Role::kNationalAdmin} || !user.org_ods.empty()) {
    return MakeError(Code::kInvalidArgument, "role.mixed",
                     "the bootstrap account is a national administrator of no organisation");
  }
  LANYARD_ASSIGN_OR_RETURN(auto admins, store_.ListUsers("", store::Page{100000, 0}));
  for (const auto& u : admins) {
    auto roles = RoleSet::Parse(u.roles);
    if (roles.ok() && roles->Has(Role::kNationalAdmin)) {
      return MakeError(Code::kAlreadyExists, "account.exists",
                       "this service already has a national administrator (" + u.email +
                           "); they add the others");
    }
  }
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord record, MakeUser(user));
  store::WriteBatch batch;
  batch.Add(store::InsertUser{record});
  batch.Add(AuditOp(record.created, Principal{}, "user.bootstrap", record.id,
                    DetailsJson({{"email", record.email}})));
  LANYARD_TRY(store_.Apply(batch));
  return record;
}

Result<store::UserRecord> AccountService::CreateUser(const Principal& actor, const NewUser& user) {
  if (user.roles.Has(Role::kStaff)) {
    return MakeError(Code::kInvalidArgument, "role.mixed",
                     "staff members sign up with an invitation, so their passport is their own");
  }
  bool national = actor.roles.Has(Role::kNationalAdmin);
  if (user.roles.Has(Role::kNationalAdmin)) {
    if (!national) return Denied("only a national administrator adds another");
  } else {
    if (!IsOrgRole(user.roles)) {
      return MakeError(Code::kInvalidArgument, "role.unknown", "give at least one role");
    }
    if (user.org_ods.empty()) {
      return MakeError(Code::kInvalidArgument, "org.unknown",
                       "an organisation user belongs to an organisation");
    }
    // A national administrator only bootstraps an organisation's administrators; everyone else
    // is added by those administrators, for their own organisation.
    bool allowed = national ? user.roles == RoleSet{Role::kOrgAdmin}
                            : actor.roles.Has(Role::kOrgAdmin) && actor.org_ods == user.org_ods;
    if (!allowed) return Denied("you may not add users with those roles to " + user.org_ods);
    LANYARD_TRY(store_.GetOrganisation(user.org_ods));
  }
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord record, MakeUser(user));
  store::WriteBatch batch;
  batch.Add(store::InsertUser{record});
  batch.Add(AuditOp(record.created, actor, "user.add", record.id,
                    DetailsJson({{"email", record.email}, {"roles", record.roles}})));
  LANYARD_TRY(store_.Apply(batch));
  return record;
}

void AccountService::RecordFailure(const store::UserRecord* user, std::string_view email,
                                   std::string_view remote, std::string_view why) {
  throttle_.RecordFailure(email, remote);
  Principal who;
  if (user != nullptr) {
    who.kind = Principal::Kind::kUser;
    who.id = user->id;
    who.org_ods = user->org_ods;
  }
  store::WriteBatch batch;
  batch.Add(AuditOp(clock_.Now(), who, "login.failure", user ? user->id : "",
                    DetailsJson({{"reason", std::string(why)}, {"remote", std::string(remote)}})));
  // A failure to record a failure must not turn into a different answer for the caller.
  (void)store_.Apply(batch);
}

Result<LoginResult> AccountService::Login(std::string_view email_text, std::string_view password,
                                          std::string_view remote) {
  auto email = NormaliseEmail(email_text);
  std::string account = email.ok() ? *email : std::string(email_text.substr(0, kMaxEmailBytes));
  LANYARD_TRY(throttle_.CheckAllowed(account, remote));
  auto user =
      email.ok() ? store_.FindUserByEmail(*email) : Result<store::UserRecord>(InvalidCredentials());
  if (!user.ok()) {
    if (user.error().reason != "store.not_found" && email.ok()) return std::move(user).error();
    // The same work as a real check, so timing does not tell which addresses have accounts.
    if (!decoy_hash_.empty()) (void)crypto::VerifyPassword(decoy_hash_, password);
    RecordFailure(nullptr, account, remote, "unknown_account");
    return InvalidCredentials();
  }
  LANYARD_ASSIGN_OR_RETURN(bool matches, crypto::VerifyPassword(user->password_hash, password));
  if (!matches) {
    RecordFailure(&*user, account, remote, "wrong_password");
    return InvalidCredentials();
  }
  if (user->disabled) {
    return MakeError(Code::kPermissionDenied, "auth.disabled", "this account is disabled");
  }
  throttle_.RecordSuccess(account);
  LANYARD_ASSIGN_OR_RETURN(RoleSet roles, RoleSet::Parse(user->roles));
  LoginResult result;
  result.session_token = NewSecret("lys_");
  TimePoint now = clock_.Now();
  store::SessionRecord& s = result.session;
  s.id_hash = HashSecret(result.session_token);
  s.user_id = user->id;
  s.csrf_token = NewSecret("");
  s.created = now;
  s.last_seen = now;
  s.expires = now + options_.session_lifetime;
  if (user->totp_enrolled) {
    result.second_factor_required = true;
  } else if (!roles.Has(Role::kStaff)) {
    result.totp_enrolment_required = true;
  } else {
    s.second_factor_done = true;  // staff without TOTP step up with their password instead
  }
  Principal who{Principal::Kind::kUser, user->id, user->org_ods, roles, s.id_hash, ""};
  store::WriteBatch batch;
  batch.Add(store::PutSession{s});
  batch.Add(AuditOp(now, who, "login.password", user->id,
                    DetailsJson({{"remote", std::string(remote)}})));
  LANYARD_TRY(store_.Apply(batch));
  return result;
}

Result<store::SessionRecord> AccountService::SessionFor(std::string_view token) const {
  if (token.empty() || token.size() > 128) return NoSession();
  auto session = store_.GetSession(HashSecret(token));
  if (!session.ok()) {
    if (session.error().reason == "store.not_found") return NoSession();
    return std::move(session).error();
  }
  TimePoint now = clock_.Now();
  if (now >= session->expires || now - session->last_seen >= options_.session_idle) {
    return NoSession();
  }
  return session;
}

Status AccountService::CheckTotp(store::UserRecord& user, std::string_view code, TimePoint now) {
  LANYARD_ASSIGN_OR_RETURN(
      Bytes secret, crypto::Open(*secrets_.totp, user.totp_secret_sealed, UserAd("totp", user.id)));
  std::optional<int64_t> last;
  if (user.totp_last_step >= 0) last = user.totp_last_step;
  auto step = crypto::VerifyTotp(secret, code, now, last);
  std::fill(secret.begin(), secret.end(), 0);
  if (!step.ok()) {
    RecordFailure(&user, user.email, "", step.error().reason);
    return std::move(step).error();
  }
  user.totp_last_step = *step;
  return OkStatus();
}

Status AccountService::CompleteSecondFactor(std::string_view token, std::string_view code) {
  LANYARD_ASSIGN_OR_RETURN(store::SessionRecord session, SessionFor(token));
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, store_.GetUser(session.user_id));
  if (!user.totp_enrolled) {
    return MakeError(Code::kFailedPrecondition, "totp.not_enrolled",
                     "this account has no authenticator app enrolled yet");
  }
  TimePoint now = clock_.Now();
  LANYARD_TRY(CheckTotp(user, code, now));
  session.second_factor_done = true;
  session.step_up_at = now;
  session.last_seen = now;
  Principal who{Principal::Kind::kUser, user.id, user.org_ods, {}, session.id_hash, ""};
  store::WriteBatch batch;
  batch.Add(store::PutUser{user});
  batch.Add(store::PutSession{session});
  batch.Add(AuditOp(now, who, "login.success", user.id));
  LANYARD_TRY(store_.Apply(batch));
  return OkStatus();
}

Status AccountService::Logout(std::string_view token) {
  auto session = SessionFor(token);
  if (!session.ok()) return OkStatus();  // already gone: signing out again is not an error
  Principal who{Principal::Kind::kUser, session->user_id, "", {}, session->id_hash, ""};
  store::WriteBatch batch;
  batch.Add(store::DeleteSession{session->id_hash});
  batch.Add(AuditOp(clock_.Now(), who, "logout", session->user_id));
  LANYARD_TRY(store_.Apply(batch));
  return OkStatus();
}

Result<Principal> AccountService::AuthenticateSession(std::string_view token,
                                                      bool allow_pending_second_factor) {
  LANYARD_ASSIGN_OR_RETURN(store::SessionRecord session, SessionFor(token));
  if (!session.second_factor_done && !allow_pending_second_factor) {
    return MakeError(Code::kUnauthenticated, "auth.second_factor_required",
                     "finish signing in with the code from your authenticator app");
  }
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, store_.GetUser(session.user_id));
  if (user.disabled) {
    return MakeError(Code::kPermissionDenied, "auth.disabled", "this account is disabled");
  }
  LANYARD_ASSIGN_OR_RETURN(RoleSet roles, RoleSet::Parse(user.roles));
  TimePoint now = clock_.Now();
  // Sliding idle expiry without a durable write per request: last_seen moves in minute steps.
  if (now - session.last_seen >= std::chrono::minutes(1)) {
    session.last_seen = now;
    store::WriteBatch batch;
    batch.Add(store::PutSession{session});
    LANYARD_TRY(store_.Apply(batch));
  }
  return Principal{Principal::Kind::kUser, user.id,           user.org_ods, roles,
                   session.id_hash,        session.csrf_token};
}

Result<Principal> AccountService::AuthenticateToken(std::string_view bearer) {
  if (bearer.empty() || bearer.size() > 128) return NoSession();
  auto token = store_.FindApiToken(HashSecret(bearer));
  if (!token.ok()) {
    if (token.error().reason == "store.not_found") return NoSession();
    return std::move(token).error();
  }
  TimePoint now = clock_.Now();
  if (token->revoked || (token->expires && now >= *token->expires)) return NoSession();
  LANYARD_ASSIGN_OR_RETURN(Role role, ParseRole(token->role));
  Principal p;
  p.kind = Principal::Kind::kToken;
  p.id = token->id;
  p.org_ods = token->org_ods;
  p.roles.Add(role);
  return p;
}

Result<std::string> AccountService::BeginTotpEnrolment(const Principal& who) {
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, store_.GetUser(who.id));
  if (user.totp_enrolled) {
    return MakeError(Code::kFailedPrecondition, "totp.already_enrolled",
                     "an authenticator app is already enrolled for this account");
  }
  Bytes secret = crypto::NewTotpSecret();
  user.totp_secret_sealed = crypto::Seal(*secrets_.totp, secret, UserAd("totp", user.id));
  store::WriteBatch batch;
  batch.Add(store::PutUser{user});
  batch.Add(AuditOp(clock_.Now(), who, "totp.enrolment_started", user.id));
  LANYARD_TRY(store_.Apply(batch));
  return crypto::OtpauthUri(options_.totp_issuer, user.email, secret);
}

Status AccountService::ConfirmTotpEnrolment(const Principal& who, std::string_view code) {
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, store_.GetUser(who.id));
  if (user.totp_enrolled) {
    return MakeError(Code::kFailedPrecondition, "totp.already_enrolled",
                     "an authenticator app is already enrolled for this account");
  }
  if (user.totp_secret_sealed.empty()) {
    return MakeError(Code::kFailedPrecondition, "totp.not_enrolled",
                     "start enrolment first: no authenticator secret has been made");
  }
  LANYARD_ASSIGN_OR_RETURN(
      Bytes secret, crypto::Open(*secrets_.totp, user.totp_secret_sealed, UserAd("totp", user.id)));
  TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(int64_t step, crypto::VerifyTotp(secret, code, now, std::nullopt));
  user.totp_enrolled = true;
  user.totp_last_step = step;
  store::WriteBatch batch;
  batch.Add(store::PutUser{user});
  if (!who.session_hash.empty()) {
    auto session = store_.GetSession(who.session_hash);
    if (session.ok()) {
      session->second_factor_done = true;
      session->step_up_at = now;
      batch.Add(store::PutSession{*session});
    }
  }
  batch.Add(AuditOp(now, who, "totp.enrolled", user.id));
  LANYARD_TRY(store_.Apply(batch));
  return OkStatus();
}

Status AccountService::StepUp(const Principal& who, std::string_view code_or_password) {
  if (who.session_hash.empty()) {
    return MakeError(Code::kUnauthenticated, "auth.step_up_required",
                     "a step-up check needs a signed-in person, not an API token");
  }
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord user, store_.GetUser(who.id));
  LANYARD_ASSIGN_OR_RETURN(store::SessionRecord session, store_.GetSession(who.session_hash));
  LANYARD_TRY(throttle_.CheckAllowed(user.email, ""));
  TimePoint now = clock_.Now();
  if (user.totp_enrolled) {
    LANYARD_TRY(CheckTotp(user, code_or_password, now));
  } else {
    LANYARD_ASSIGN_OR_RETURN(bool matches,
                             crypto::VerifyPassword(user.password_hash, code_or_password));
    if (!matches) {
      RecordFailure(&user, user.email, "", "wrong_password");
      return InvalidCredentials();
    }
  }
  throttle_.RecordSuccess(user.email);
  session.step_up_at = now;
  store::WriteBatch batch;
  if (user.totp_enrolled) batch.Add(store::PutUser{user});
  batch.Add(store::PutSession{session});
  batch.Add(AuditOp(now, who, "login.step_up", user.id));
  LANYARD_TRY(store_.Apply(batch));
  return OkStatus();
}

bool AccountService::HasFreshStepUp(const Principal& who) const {
  if (who.session_hash.empty()) return false;
  auto session = store_.GetSession(who.session_hash);
  return session.ok() && session->step_up_at &&
         clock_.Now() - *session->step_up_at < options_.step_up_window;
}

Result<IssuedSecret> AccountService::CreateApiToken(const Principal& actor,
                                                    std::string_view org_ods, Role role,
                                                    std::string_view label,
                                                    std::optional<std::chrono::seconds> lifetime) {
  if (!actor.roles.Has(Role::kOrgAdmin) || actor.org_ods != org_ods) {
    return Denied("only the organisation's administrators make its API tokens");
  }
  if (role == Role::kStaff || role == Role::kNationalAdmin) {
    return MakeError(Code::kInvalidArgument, "role.mixed",
                     "API tokens act for an organisation, with an organisation role");
  }
  LANYARD_TRY(CheckName(label, "The token's label"));
  IssuedSecret out;
  out.secret = NewSecret("lyt_");
  store::ApiTokenRecord record;
  record.id = NewId();
  record.hash = HashSecret(out.secret);
  record.org_ods = std::string(org_ods);
  record.role = std::string(RoleName(role));
  record.label = std::string(label);
  record.created_by = actor.id;
  record.created = clock_.Now();
  if (lifetime) record.expires = record.created + *lifetime;
  out.id = record.id;
  store::WriteBatch batch;
  batch.Add(store::InsertApiToken{record});
  batch.Add(AuditOp(record.created, actor, "token.create", record.id,
                    DetailsJson({{"label", record.label}, {"role", record.role}})));
  LANYARD_TRY(store_.Apply(batch));
  return out;
}

Status AccountService::RevokeApiToken(const Principal& actor, std::string_view org_ods,
                                      std::string_view id) {
  if (!actor.roles.Has(Role::kOrgAdmin) || actor.org_ods != org_ods) {
    return Denied("only the organisation's administrators revoke its API tokens");
  }
  LANYARD_ASSIGN_OR_RETURN(auto tokens, store_.ListApiTokens(org_ods));
  for (auto& t : tokens) {
    if (t.id != id) continue;
    if (t.revoked) return OkStatus();
    t.revoked = clock_.Now();
    store::WriteBatch batch;
    batch.Add(store::PutApiToken{t});
    batch.Add(AuditOp(*t.revoked, actor, "token.revoke", t.id));
    LANYARD_TRY(store_.Apply(batch));
    return OkStatus();
  }
  return MakeError(Code::kNotFound, "store.not_found",
                   "no such API token in " + std::string(org_ods));
}

Result<IssuedSecret> AccountService::Invite(const Principal& actor, std::string_view org_ods,
                                            std::string_view email_text,
                                            std::string_view display_name,
                                            std::string_view staff_number) {
  if (actor.org_ods != org_ods || !actor.roles.HasAny(RoleSet{Role::kOrgAdmin, Role::kHrIssuer})) {
    return Denied("only the organisation's HR staff and administrators invite staff");
  }
  LANYARD_ASSIGN_OR_RETURN(std::string email, NormaliseEmail(email_text));
  LANYARD_TRY(CheckName(display_name, "The name"));
  if (staff_number.size() > 64 || !IsValidUtf8(staff_number)) {
    return MakeError(Code::kInvalidArgument, "account.invalid",
                     "a staff number is at most 64 bytes of UTF-8");
  }
  IssuedSecret out;
  out.secret = NewSecret("lyi_");
  store::InvitationRecord record;
  record.code_hash = HashSecret(out.secret);
  record.org_ods = std::string(org_ods);
  record.email = email;
  record.display_name = std::string(display_name);
  record.staff_number = std::string(staff_number);
  record.created_by = actor.id;
  record.created = clock_.Now();
  record.expires = record.created + options_.invitation_lifetime;
  out.id = record.code_hash;
  store::WriteBatch batch;
  batch.Add(store::InsertInvitation{record});
  batch.Add(AuditOp(record.created, actor, "staff.invite", record.code_hash,
                    DetailsJson({{"email", email}, {"name", record.display_name}})));
  LANYARD_TRY(store_.Apply(batch));
  return out;
}

Result<store::UserRecord> AccountService::SignUp(std::string_view code, std::string_view email,
                                                 std::string_view display_name,
                                                 std::string_view password) {
  TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(store::InvitationRecord invitation, OpenInvitation(code, now));
  NewUser user{std::string(email), std::string(display_name), "", RoleSet{Role::kStaff},
               std::string(password)};
  LANYARD_ASSIGN_OR_RETURN(store::UserRecord record, MakeUser(user));
  // The holder key: the staff member's own, kept sealed in the hosted wallet.
  LANYARD_ASSIGN_OR_RETURN(crypto::PrivateKey holder,
                           crypto::PrivateKey::Generate(crypto::KeyType::kEd25519));
  store::WalletRecord wallet;
  wallet.user_id = record.id;
  wallet.holder_did = did::DidKeyFromPublicKey(holder.public_key());
  Bytes secret = holder.ExportSecret();
  wallet.holder_key_sealed = crypto::Seal(*secrets_.wallet, secret, HolderKeyAd(record.id));
  std::fill(secret.begin(), secret.end(), 0);
  wallet.created = now;
  store::MembershipRecord membership{record.id, invitation.org_ods, invitation.staff_number, now,
                                     std::nullopt};
  Principal who{Principal::Kind::kUser, record.id, "", RoleSet{Role::kStaff}, "", ""};
  store::WriteBatch batch;
  batch.Add(store::InsertUser{record});
  batch.Add(store::AcceptInvitation{invitation.code_hash, record.id, now});
  batch.Add(store::InsertWallet{wallet});
  batch.Add(store::PutMembership{membership});
  batch.Add(AuditOp(now, who, "staff.sign_up", record.id,
                    DetailsJson({{"email", record.email}, {"invited_by", invitation.org_ods}})));
  LANYARD_TRY(ApplyAcceptance(batch));
  return record;
}

Status AccountService::AcceptInvitation(const Principal& staff, std::string_view code) {
  if (!staff.roles.Has(Role::kStaff)) return Denied("invitations are for staff members");
  TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(store::InvitationRecord invitation, OpenInvitation(code, now));
  store::MembershipRecord membership{staff.id, invitation.org_ods, invitation.staff_number, now,
                                     std::nullopt};
  store::WriteBatch batch;
  batch.Add(store::AcceptInvitation{invitation.code_hash, staff.id, now});
  batch.Add(store::PutMembership{membership});
  batch.Add(
      AuditOp(now, staff, "staff.join", staff.id, DetailsJson({{"org", invitation.org_ods}})));
  return ApplyAcceptance(batch);
}

Result<store::InvitationRecord> AccountService::OpenInvitation(std::string_view code,
                                                               TimePoint now) const {
  auto invitation = store_.GetInvitation(HashSecret(code));
  if (!invitation.ok() || !invitation->accepted_by.empty() || now >= invitation->expires) {
    return MakeError(Code::kNotFound, "invitation.invalid",
                     "that invitation code is not valid: it may have been used or have expired");
  }
  return invitation;
}

Status AccountService::ApplyAcceptance(const store::WriteBatch& batch) {
  auto applied = store_.Apply(batch);
  if (!applied.ok()) {
    // Two sign-ups racing on one code: the store's compare-and-set lets one win.
    if (applied.error().reason == "store.conflict") {
      return MakeError(Code::kNotFound, "invitation.invalid",
                       "that invitation code has just been used");
    }
    return std::move(applied).error();
  }
  return OkStatus();
}

}  // namespace lanyard::service
