// Who may do what in the passport service: the roles a person or API token holds, and the
// principal a request acts as once authenticated.
//
// Roles (persisted by name; never rename one):
//   national_admin    runs the deployment: adds organisations, bootstraps their administrators.
//                     Sees no organisation's people or credentials.
//   org_admin         an organisation's administrator: its users, roles, API tokens, keys,
//                     role profiles, invitations
//   hr_issuer         issues the employment checks (identity, right to work, registration, DBS,
//                     employment history, references, qualifications), invites staff
//   oh_issuer         issues occupational-health clearances; the only role that sees OH detail
//   training_issuer   issues core-skills training, induction and qualifications
//   verifier          a receiving organisation's medical staffing or recruitment officer:
//                     share requests, readiness reports, overrides
//   analyst           disclosure-controlled aggregates only
//   staff             a staff member with a hosted passport; belongs to no organisation
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/passport/credential_types.h"

namespace lanyard::service {

enum class Role : uint8_t {
  kNationalAdmin,
  kOrgAdmin,
  kHrIssuer,
  kOhIssuer,
  kTrainingIssuer,
  kVerifier,
  kAnalyst,
  kStaff,
};

std::span<const Role> AllRoles();
std::string_view RoleName(Role role);
// Errors: kInvalidArgument "role.unknown".
Result<Role> ParseRole(std::string_view name);

// A small set of roles, stored as a comma list ("hr_issuer,verifier").
class RoleSet {
 public:
  RoleSet() = default;
  explicit RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) Add(r);
  }
  void Add(Role role) { bits_ |= Bit(role); }
  bool Has(Role role) const { return (bits_ & Bit(role)) != 0; }
  bool HasAny(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const RoleSet&) const = default;
  std::string ToString() const;
  // Errors: role.unknown for the first unknown name; kInvalidArgument "role.mixed" when staff
  // is combined with an organisation role, or national_admin with any other.
  static Result<RoleSet> Parse(std::string_view comma_list);

 private:
  static uint32_t Bit(Role role) { return 1u << static_cast<unsigned>(role); }
  uint32_t bits_ = 0;
};

// The roles whose holders may issue credentials of `type` (an organisation's authority from the
// trust registry is checked separately).
RoleSet IssuerRolesFor(passport::CredentialType type);

// Who a request acts as, once authenticated.
struct Principal {
  enum class Kind { kAnonymous, kUser, kToken };
  Kind kind = Kind::kAnonymous;
  std::string id;       // user id or API token id
  std::string org_ods;  // the organisation acted for; "" for staff and national administrators
  RoleSet roles;
  std::string session_hash;  // the session's id hash when authenticated by cookie
  std::string csrf_token;    // the session's CSRF token (cookie sessions only)

  // The deployment itself acting (the command line, whose user holds the database and the
  // master key): recorded in the audit log as "system".
  static Principal System(RoleSet roles, std::string org_ods = "") {
    Principal p;
    p.kind = Kind::kUser;
    p.id = "system";
    p.org_ods = std::move(org_ods);
    p.roles = roles;
    return p;
  }

  bool authenticated() const { return kind != Kind::kAnonymous; }
  // What the audit log records as the actor: the user id, "token:<id>", or "anonymous".
  std::string Actor() const;
};

}  // namespace lanyard::service
