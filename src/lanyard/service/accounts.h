// People and access: organisations, users and roles, password + TOTP sign-in with rate limiting
// and lockout, cookie sessions with CSRF tokens, scoped API tokens, and invitations through
// which staff members sign up for (or link to) their passport.
//
// Secrets are never stored as given: passwords as Argon2id hashes, session tokens, API tokens,
// and invitation codes as SHA-256 hashes (they are 256-bit random, so a fast hash suffices),
// TOTP secrets sealed with a key derived from the master key.
//
// Sign-in: Login checks the password; organisation users (every role but staff) must then pass
// TOTP — enrolling first if they have not — before the session is usable (a session still
// awaiting its second factor authenticates only for the TOTP routes). Staff members may enrol
// TOTP; without it, consent and export ask for their password again (a step-up).
//
// Errors (reason, Code):
//   auth.invalid_credentials  (kUnauthenticated) unknown email or wrong password: one answer for
//                             both, so sign-in reveals nobody's email
//   auth.rate_limited         (kResourceExhausted) too many attempts from one address
//   auth.locked               (kPermissionDenied) too many failures for the account
//   auth.disabled             (kPermissionDenied) the account is disabled
//   auth.no_session           (kUnauthenticated) unknown, expired or idle session / token
//   auth.second_factor_required (kUnauthenticated) the session has not passed TOTP yet
//   auth.step_up_required     (kUnauthenticated) a fresh password or TOTP check is needed
//   totp.* (kUnauthenticated)  from crypto/totp.h, and totp.not_enrolled (kFailedPrecondition)
//   password.* (kInvalidArgument) the password policy
//   account.invalid           (kInvalidArgument) a malformed email, name or label
//   account.exists            (kAlreadyExists) the email is taken
//   invitation.invalid        (kNotFound) an unknown, used or expired invitation code
//   org.unknown               (kNotFound), org.exists (kAlreadyExists)
//   permission.denied         (kPermissionDenied) the actor may not do this
//   plus the store's errors.
//
// Thread-safety: safe from many threads (state lives in the store and the throttle).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/crypto/password.h"
#include "lanyard/crypto/secret_box.h"
#include "lanyard/service/login_throttle.h"
#include "lanyard/service/roles.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct AccountOptions {
  crypto::PasswordHashParams password_params = crypto::InteractivePasswordParams();
  std::chrono::seconds session_lifetime = std::chrono::hours(12);
  std::chrono::seconds session_idle = std::chrono::minutes(30);
  std::chrono::seconds invitation_lifetime = std::chrono::hours(24 * 14);
  std::chrono::seconds step_up_window = std::chrono::minutes(5);
  std::string totp_issuer = "Lanyard";
};

// The keys the service seals secrets with, derived from the deployment's master key.
struct ServiceSecrets {
  const crypto::SecretKey* totp = nullptr;    // TOTP secrets
  const crypto::SecretKey* wallet = nullptr;  // hosted wallets (holder keys, credentials)
};

struct NewUser {
  std::string email;
  std::string display_name;
  std::string org_ods;  // "" for a national administrator
  RoleSet roles;
  std::string password;
};

struct LoginResult {
  std::string session_token;  // for the cookie; shown once
  store::SessionRecord session;
  bool second_factor_required = false;   // TOTP enrolled: send the code to CompleteSecondFactor
  bool totp_enrolment_required = false;  // an organisation user without TOTP: enrol first
};

struct IssuedSecret {
  std::string secret;  // the token or code itself, shown once
  std::string id;      // its record's key (token id, or the code's hash)
};

class AccountService {
 public:
  AccountService(store::Store& store, const Clock& clock, crypto::KeyStore& keys,
                 ServiceSecrets secrets, LoginThrottle& throttle, AccountOptions options = {});

  // --- organisations ---
  // Adds an organisation with a fresh Ed25519 signing key; its DID is did:web of
  // `did_web_base` + ":orgs:" + ods. Only national administrators (or `system`).
  Result<store::OrganisationRecord> AddOrganisation(const Principal& actor,
                                                    store::OrganisationRecord org,
                                                    std::string_view did_web_base);
  // Gives the organisation a fresh signing key; the old one is retired (kept for the
  // signatures it made) or, when `compromised`, disowned (see org_keys.h). Its own
  // administrators, after a step-up, or `system`. The reason is recorded in the audit log.
  // Errors: permission.denied, auth.step_up_required, org.invalid_reason, org.not_found,
  // org.no_key, org.too_many_keys.
  Result<store::OrganisationRecord> RotateSigningKey(const Principal& actor, std::string_view ods,
                                                     std::string_view reason, bool compromised);

  // --- users ---
  // The first national administrator; refused (account.exists) once any user holds the role.
  Result<store::UserRecord> Bootstrap(const NewUser& user);
  // National admins create organisation administrators; organisation admins create users of
  // their own organisation with organisation roles.
  Result<store::UserRecord> CreateUser(const Principal& actor, const NewUser& user);

  // --- sign-in ---
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            std::string_view remote_address);
  // Completes the second factor of a session (and records it as a fresh step-up).
  Status CompleteSecondFactor(std::string_view session_token, std::string_view code);
  Status Logout(std::string_view session_token);
  // The principal of a session cookie's token. Sessions awaiting a second factor fail with
  // auth.second_factor_required unless `allow_pending_second_factor`.
  Result<Principal> AuthenticateSession(std::string_view session_token,
                                        bool allow_pending_second_factor = false);
  Result<Principal> AuthenticateToken(std::string_view bearer_token);

  // --- TOTP ---
  // Starts (or restarts, while unconfirmed) enrolment; returns the otpauth:// URI to show as a
  // QR code or text. Errors: totp.already_enrolled (kFailedPrecondition).
  Result<std::string> BeginTotpEnrolment(const Principal& user);
  // Confirms with a first code; for a session awaiting enrolment this also completes sign-in.
  Status ConfirmTotpEnrolment(const Principal& user, std::string_view code);
  // A fresh check at a sensitive moment: the TOTP code when enrolled, else the password.
  Status StepUp(const Principal& user, std::string_view code_or_password);
  // Whether the session passed a step-up within the window.
  bool HasFreshStepUp(const Principal& user) const;

  // --- API tokens ---
  // Errors: permission.denied unless an org_admin of `org_ods`; role.* for national_admin or
  // staff tokens; account.invalid for a bad label.
  Result<IssuedSecret> CreateApiToken(const Principal& actor, std::string_view org_ods, Role role,
                                      std::string_view label,
                                      std::optional<std::chrono::seconds> lifetime);
  Status RevokeApiToken(const Principal& actor, std::string_view org_ods, std::string_view id);

  // --- invitations and staff sign-up ---
  // An HR issuer or org admin invites a staff member; returns the invitation code.
  Result<IssuedSecret> Invite(const Principal& actor, std::string_view org_ods,
                              std::string_view email, std::string_view display_name,
                              std::string_view staff_number);
  // A new staff member signs up with an invitation code: user, hosted wallet (a fresh holder
  // key) and membership, in one batch. The invitation may come from any organisation.
  Result<store::UserRecord> SignUp(std::string_view code, std::string_view email,
                                   std::string_view display_name, std::string_view password);
  // An existing staff member accepts another organisation's invitation: a new membership.
  Status AcceptInvitation(const Principal& staff, std::string_view code);

  const AccountOptions& options() const { return options_; }

 private:
  Result<store::UserRecord> MakeUser(const NewUser& user) const;
  Result<store::SessionRecord> SessionFor(std::string_view session_token) const;
  // Counts a failed sign-in or check in the throttle and the audit log.
  void RecordFailure(const store::UserRecord* user, std::string_view email, std::string_view remote,
                     std::string_view why);
  // Checks a TOTP code against `user`'s secret, moving its last accepted step on success.
  Status CheckTotp(store::UserRecord& user, std::string_view code, TimePoint now);
  // An open, unexpired invitation by its code (invitation.invalid otherwise).
  Result<store::InvitationRecord> OpenInvitation(std::string_view code, TimePoint now) const;
  // Applies a batch that accepts an invitation; a lost race is invitation.invalid.
  Status ApplyAcceptance(const store::WriteBatch& batch);

  store::Store& store_;
  const Clock& clock_;
  crypto::KeyStore& keys_;
  ServiceSecrets secrets_;
  LoginThrottle& throttle_;
  AccountOptions options_;
  std::string decoy_hash_;  // verified for unknown emails, so timing does not reveal accounts
};

// An audit entry's details: a JSON object of text members (kept outside the hash chain).
std::string DetailsJson(std::initializer_list<std::pair<std::string_view, std::string>> members);

// Associated data binding a sealed holder key to its staff member.
Bytes HolderKeyAd(std::string_view user_id);

// Hex SHA-256 of a secret (session token, API token, invitation or link code).
std::string HashSecret(std::string_view secret);
// A fresh 256-bit secret as base64url, with a readable prefix ("lys_", "lyt_", "lyi_").
std::string NewSecret(std::string_view prefix);
// A fresh random id (128 bits, base64url).
std::string NewId();

// Audit op for `actor` doing `action` on `subject`, details as a JSON object (may be empty).
store::AppendAudit AuditOp(TimePoint at, const Principal& actor, std::string_view action,
                           std::string_view subject, std::string details_json = "");

}  // namespace lanyard::service
