// An organisation's own role requirement profiles, beside the built-in ones (profiles/).
//
// An organisation administrator uploads a profile file (passport/profile.h): it is checked, its
// effect previewed (SharingService::PreviewProfile), then stored as the organisation's own.
// Every version is kept. From then on a new share request for that profile id is made under
// the organisation's latest version instead of the built-in one, and records which: its
// `profile` is a reference, "registered-nurse" for the built-in profile or "registered-nurse@4"
// for version 4 of the requesting organisation's own. A report is always evaluated under the
// version its request recorded, so editing a profile never changes a report already made.
//
// Errors:
//   profile.invalid             the file is not a valid profile (ParseProfile's message)
//   profile.other_organisation  the file names another organisation
//   profile.version_not_raised  the organisation already has this version or a later one
//   profile.not_found           no such profile for this organisation (kNotFound)
//
// Thread-safety: safe from many threads (the store is).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/accounts.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct ProfileRef {
  std::string id;
  int64_t version = 0;  // 0: the built-in profile
};
std::string FormatProfileRef(const ProfileRef& ref);
// Errors: profile.not_found for text that is no reference.
Result<ProfileRef> ParseProfileRef(std::string_view text);

struct AvailableProfile {
  passport::Profile profile;
  ProfileRef ref;
  bool own = false;         // the organisation's own, or built in
  std::string uploaded_by;  // own profiles: who stored this version, and when
  TimePoint uploaded;
};

class RoleProfiles {
 public:
  RoleProfiles(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Every profile a share request of `org_ods` can be made under: the organisation's own
  // (latest versions) and the built-in ones it has not replaced, by id.
  Result<std::vector<AvailableProfile>> Available(std::string_view org_ods) const;
  // What a new request for profile `id` is made under: the organisation's latest own version,
  // else the built-in profile.
  Result<AvailableProfile> Current(std::string_view org_ods, std::string_view id) const;
  // The profile a request recorded (`ref` as FormatProfileRef writes it).
  Result<passport::Profile> Resolve(std::string_view org_ods, std::string_view ref) const;

  // Checks an uploaded file as the organisation's next version of its profile.
  Result<passport::Profile> Check(std::string_view org_ods, std::string_view text,
                                  std::string_view source) const;
  // Checks, then stores the file as the organisation's own, audited ("profile.store").
  // REQUIRES: the caller has checked that `admin` administers `org_ods` (the route's roles).
  Result<store::RoleProfileRecord> Save(const Principal& admin, std::string_view org_ods,
                                        std::string_view text, std::string_view source);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace lanyard::service
