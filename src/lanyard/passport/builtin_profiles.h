// The profile files of profiles/, compiled into the library so that the program needs no data
// files at run time and works from any directory. Internal to profile.cc: use BuiltInProfile().
//
// The definition is generated at build time by cmake/embed_profiles.cmake, one entry per
// profiles/<id>.profile, as the file's bytes unchanged.
//
// Thread-safety: immutable data.
#pragma once

#include <span>
#include <string_view>

namespace lanyard::passport::internal {

struct EmbeddedProfile {
  std::string_view id;    // the file name without ".profile"
  std::string_view text;  // the file as shipped
};

// Every shipped profile, in order of id.
std::span<const EmbeddedProfile> EmbeddedProfiles();

}  // namespace lanyard::passport::internal
