# Writes OUTPUT, a C++ source holding every PROFILE_DIR/*.profile file's bytes, for
# src/lanyard/passport/builtin_profiles.h. Run by the build (cmake -P) whenever a profile changes.
#
# Bytes are written as \x escapes so that no file content can end a string literal early, and
# the output is replaced only when it changes, so an unchanged profile recompiles nothing.
if(NOT PROFILE_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DPROFILE_DIR=DIR -DOUTPUT=FILE -P embed_profiles.cmake")
endif()

file(GLOB profiles RELATIVE "${PROFILE_DIR}" "${PROFILE_DIR}/*.profile")
if(NOT profiles)
  message(FATAL_ERROR "no profiles in ${PROFILE_DIR}")
endif()
# Sorted by id, not by file name: "a" before "a-b", though "a-b.profile" sorts before "a.profile".
set(ids "")
foreach(name IN LISTS profiles)
  string(REGEX REPLACE "\\.profile$" "" id "${name}")
  if(NOT id MATCHES "^[a-z0-9-]+$")
    message(FATAL_ERROR "${PROFILE_DIR}/${name}: a profile's file name is its id, [a-z0-9-]+")
  endif()
  list(APPEND ids "${id}")
endforeach()
list(SORT ids)

set(entries "")
foreach(id IN LISTS ids)
  set(path "${PROFILE_DIR}/${id}.profile")
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # 32 bytes to a source line; adjacent literals are joined by the compiler.
  set(literal "")
  set(offset 0)
  while(offset LESS hex_length)
    string(SUBSTRING "${hex}" ${offset} 64 chunk)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" chunk "${chunk}")
    string(APPEND literal "\n     \"${chunk}\"")
    math(EXPR offset "${offset} + 64")
  endwhile()
  if(literal STREQUAL "")
    set(literal "\"\"")
  endif()
  string(APPEND entries "    {\"${id}\", std::string_view(${literal},\n                          ${size})},\n")
endforeach()

set(content "// Generated from profiles/*.profile by cmake/embed_profiles.cmake: do not edit.
#include \"lanyard/passport/builtin_profiles.h\"

namespace lanyard::passport::internal {
namespace {

const EmbeddedProfile kProfiles[] = {
${entries}};

}  // namespace

std::span<const EmbeddedProfile> EmbeddedProfiles() { return kProfiles; }

}  // namespace lanyard::passport::internal
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
