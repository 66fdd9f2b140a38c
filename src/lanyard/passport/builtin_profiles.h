// The profile files of profiles/, compiled into the library so that the program needs no data
// files at run time and works from any directory. Internal to profile.cc: use BuiltInProfile().
//
// The definition is generated at build time by cmake/embed_files.cmake, one entry per
// profiles/<id>.profile ("registered-nurse.profile" ...), as the file's bytes unchanged.
//
// Thread-safety: immutable data.
#pragma once

#include <span>

#include "lanyard/core/embedded_files.h"

namespace lanyard::passport {

// Every shipped profile, sorted by file name.
std::span<const EmbeddedFile> EmbeddedProfileFiles();

}  // namespace lanyard::passport
