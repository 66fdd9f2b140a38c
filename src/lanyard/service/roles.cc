#include "lanyard/service/roles.h"

#include <array>

namespace lanyard::service {
namespace {

constexpr std::array<Role, 8> kRoles = {Role::kNationalAdmin, Role::kOrgAdmin,  Role::kHrIssuer,
                                        Role::kOhIssuer,      Role::kTrainingIssuer,
                                        Role::kVerifier,      Role::kAnalyst,   Role::kStaff};

}  // namespace

std::span<const Role> AllRoles() { return kRoles; }

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kNationalAdmin:
      return "national_admin";
    case Role::kOrgAdmin:
      return "org_admin";
    case Role::kHrIssuer:
      return "hr_issuer";
    case Role::kOhIssuer:
      return "oh_issuer";
    case Role::kTrainingIssuer:
      return "training_issuer";
    case Role::kVerifier:
      return "verifier";
    case Role::kAnalyst:
      return "analyst";
    case Role::kStaff:
      return "staff";
  }
  return "unknown";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : kRoles) {
    if (RoleName(r) == name) return r;
  }
  std::string names;
  for (Role r : kRoles) {
    if (!names.empty()) names += ", ";
    names += RoleName(r);
  }
  return MakeError(Code::kInvalidArgument, "role.unknown",
                   "unknown role \"" + std::string(name.substr(0, 64)) + "\"; the roles are " +
                       names);
}

std::string RoleSet::ToString() const {
  std::string out;
  for (Role r : kRoles) {
    if (!Has(r)) continue;
    if (!out.empty()) out += ",";
    out += RoleName(r);
  }
  return out;
}

Result<RoleSet> RoleSet::Parse(std::string_view comma_list) {
  RoleSet set;
  while (!comma_list.empty()) {
    size_t comma = comma_list.find(',');
    std::string_view name = comma_list.substr(0, comma);
    LANYARD_ASSIGN_OR_RETURN(Role role, ParseRole(name));
    set.Add(role);
    comma_list = comma == std::string_view::npos ? "" : comma_list.substr(comma + 1);
  }
  // A staff member's passport is theirs, not an organisation's; a national administrator sees
  // no organisation's data. Either combined with another role would blur that line.
  if ((set.Has(Role::kStaff) || set.Has(Role::kNationalAdmin)) && (set.bits_ & (set.bits_ - 1)) != 0) {
    return MakeError(Code::kInvalidArgument, "role.mixed",
                     "staff and national_admin cannot be combined with other roles");
  }
  return set;
}

RoleSet IssuerRolesFor(passport::CredentialType type) {
  using passport::CredentialType;
  switch (type) {
    case CredentialType::kOccupationalHealth:
      return RoleSet{Role::kOhIssuer};
    case CredentialType::kCoreSkillsTraining:
    case CredentialType::kCorporateInduction:
      return RoleSet{Role::kTrainingIssuer};
    case CredentialType::kQualification:
      return RoleSet{Role::kHrIssuer, Role::kTrainingIssuer};
    case CredentialType::kIdentity:
    case CredentialType::kRightToWork:
    case CredentialType::kProfessionalRegistration:
    case CredentialType::kDbs:
    case CredentialType::kEmploymentHistory:
    case CredentialType::kFactualReference:
      return RoleSet{Role::kHrIssuer};
  }
  return RoleSet{};
}

std::string Principal::Actor() const {
  switch (kind) {
    case Kind::kUser:
      return id;
    case Kind::kToken:
      return "token:" + id;
    case Kind::kAnonymous:
      break;
  }
  return "anonymous";
}

}  // namespace lanyard::service
