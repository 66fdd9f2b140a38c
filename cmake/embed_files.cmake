# Writes a C++ source file holding every *.EXTENSION file under DIR (recursively, sorted by path)
# as a table of lanyard::EmbeddedFile (src/lanyard/core/embedded_files.h), returned by the
# function NAMESPACE::FUNCTION(). Run at build time:
#   cmake -DDIR=... -DEXTENSION=json -DOUTPUT=file.cc -DNAMESPACE=lanyard::passport
#         -DFUNCTION=EmbeddedSchemaFiles -P embed_files.cmake
# Each file becomes a raw string literal; a file that contains the literal's closing delimiter
# is refused rather than written out truncated.
foreach(var DIR EXTENSION OUTPUT NAMESPACE FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_files.cmake: ${var} is not set")
  endif()
endforeach()

set(delimiter "lanyard_embedded")
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*.${EXTENSION}")
list(SORT files)

set(body "")
foreach(file ${files})
  file(READ "${DIR}/${file}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "embed_files.cmake: ${file} contains \")${delimiter}\"")
  endif()
  string(APPEND body "    {\"${file}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(content "// Generated at build time by cmake/embed_files.cmake from the *.${EXTENSION} files
// under ${DIR}; edit those files, not this one.
#include <span>

#include \"lanyard/core/embedded_files.h\"

namespace ${NAMESPACE} {

std::span<const lanyard::EmbeddedFile> ${FUNCTION}();

std::span<const lanyard::EmbeddedFile> ${FUNCTION}() {
  static constexpr lanyard::EmbeddedFile kFiles[] = {
${body}    {\"\", \"\"},  // so that an empty folder still compiles
  };
  return std::span<const lanyard::EmbeddedFile>(kFiles, sizeof kFiles / sizeof kFiles[0] - 1);
}

}  // namespace ${NAMESPACE}
")

# Rewritten only when it changes, so an unchanged schema set recompiles nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if("${old}" STREQUAL "${content}")
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
