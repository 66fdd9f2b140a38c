#include "lanyard/service/role_profiles.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace lanyard::service {
namespace {

Error NotFound(std::string_view what) {
  return MakeError(Code::kNotFound, "profile.not_found",
                   "unknown role profile \"" + std::string(what.substr(0, 64)) + "\"");
}

AvailableProfile BuiltIn(passport::Profile profile) {
  AvailableProfile out;
  out.ref = {profile.id, 0};
  out.profile = std::move(profile);
  return out;
}

Result<AvailableProfile> FromRecord(const store::RoleProfileRecord& r) {
  // A stored file was accepted when it was stored; one that no longer parses means the
  // profile format changed under it, which must be said rather than guessed around.
  auto parsed = passport::ParseProfile(r.text, r.id + "@" + std::to_string(r.version));
  if (!parsed.ok()) return std::move(parsed).error();
  return AvailableProfile{std::move(*parsed), {r.id, r.version}, true, r.uploaded_by, r.uploaded};
}

}  // namespace

std::string FormatProfileRef(const ProfileRef& ref) {
  return ref.version == 0 ? ref.id : ref.id + "@" + std::to_string(ref.version);
}

Result<ProfileRef> ParseProfileRef(std::string_view text) {
  ProfileRef ref;
  const size_t at = text.find('@');
  ref.id = std::string(text.substr(0, at));
  if (!passport::IsProfileId(ref.id)) return NotFound(text);
  if (at != std::string_view::npos) {
    std::string_view digits = text.substr(at + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ref.version);
    if (ec != std::errc() || end != digits.data() + digits.size() || ref.version <= 0 ||
        digits.front() == '0') {
      return NotFound(text);
    }
  }
  return ref;
}

Result<std::vector<AvailableProfile>> RoleProfiles::Available(std::string_view org_ods) const {
  std::map<std::string, AvailableProfile> by_id;
  for (std::string_view id : passport::BuiltInProfileIds()) {
    LANYARD_ASSIGN_OR_RETURN(passport::Profile p, passport::BuiltInProfile(id));
    by_id.emplace(std::string(id), BuiltIn(std::move(p)));
  }
  LANYARD_ASSIGN_OR_RETURN(auto own, store_.ListRoleProfiles(org_ods));
  for (const store::RoleProfileRecord& r : own) {
    LANYARD_ASSIGN_OR_RETURN(AvailableProfile p, FromRecord(r));
    by_id.insert_or_assign(r.id, std::move(p));
  }
  std::vector<AvailableProfile> out;
  for (auto& [id, p] : by_id) out.push_back(std::move(p));
  return out;
}

Result<AvailableProfile> RoleProfiles::Current(std::string_view org_ods,
                                               std::string_view id) const {
  if (!passport::IsProfileId(id)) return NotFound(id);
  LANYARD_ASSIGN_OR_RETURN(auto own, store_.ListRoleProfiles(org_ods));
  for (const store::RoleProfileRecord& r : own) {
    if (r.id == id) return FromRecord(r);
  }
  auto built_in = passport::BuiltInProfile(id);
  if (!built_in.ok()) return NotFound(id);
  return BuiltIn(std::move(*built_in));
}

Result<passport::Profile> RoleProfiles::Resolve(std::string_view org_ods,
                                                std::string_view ref) const {
  LANYARD_ASSIGN_OR_RETURN(ProfileRef parsed, ParseProfileRef(ref));
  if (parsed.version == 0) {
    auto built_in = passport::BuiltInProfile(parsed.id);
    if (!built_in.ok()) return NotFound(ref);
    return built_in;
  }
  auto record = store_.GetRoleProfile(org_ods, parsed.id, parsed.version);
  if (!record.ok()) {
    if (record.error().code == Code::kNotFound) return NotFound(ref);
    return std::move(record).error();
  }
  LANYARD_ASSIGN_OR_RETURN(AvailableProfile p, FromRecord(*record));
  return std::move(p.profile);
}

Result<passport::Profile> RoleProfiles::Check(std::string_view org_ods, std::string_view text,
                                              std::string_view source) const {
  LANYARD_ASSIGN_OR_RETURN(passport::Profile p, passport::ParseProfile(text, source));
  if (p.organisation != "*" && p.organisation != org_ods) {
    return MakeError(Code::kInvalidArgument, "profile.other_organisation",
                     "this profile is for " + p.organisation + ", not " + std::string(org_ods) +
                         " (set organisation = " + std::string(org_ods) + " or *)");
  }
  LANYARD_ASSIGN_OR_RETURN(auto own, store_.ListRoleProfiles(org_ods));
  for (const store::RoleProfileRecord& r : own) {
    if (r.id == p.id && r.version >= p.version) {
      return MakeError(Code::kInvalidArgument, "profile.version_not_raised",
                       "version " + std::to_string(r.version) + " of " + p.id +
                           " is already stored: raise the version to " +
                           std::to_string(r.version + 1) + " or more");
    }
  }
  return p;
}

Result<store::RoleProfileRecord> RoleProfiles::Save(const Principal& admin,
                                                    std::string_view org_ods, std::string_view text,
                                                    std::string_view source) {
  LANYARD_ASSIGN_OR_RETURN(passport::Profile p, Check(org_ods, text, source));
  store::RoleProfileRecord record;
  record.org_ods = std::string(org_ods);
  record.id = p.id;
  record.version = p.version;
  record.text = std::string(text);
  record.uploaded_by = admin.Actor();
  record.uploaded = clock_.Now();
  store::WriteBatch batch;
  batch.Add(store::InsertRoleProfile{record});
  batch.Add(AuditOp(record.uploaded, admin, "profile.store", FormatProfileRef({p.id, p.version})));
  auto applied = store_.Apply(batch);
  if (!applied.ok()) {
    // Two administrators storing the same version at once: the second is told as if it had
    // checked after the first.
    if (applied.error().reason == "store.duplicate") {
      return MakeError(Code::kInvalidArgument, "profile.version_not_raised",
                       "version " + std::to_string(p.version) + " of " + p.id +
                           " is already stored: raise the version");
    }
    return std::move(applied).error();
  }
  return record;
}

}  // namespace lanyard::service
