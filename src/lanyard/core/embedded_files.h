// Files compiled into the program (the credential types' JSON Schemas), so that it needs nothing
// from the source tree at run time and works from any directory. cmake/embed_files.cmake writes
// the table at build time from the files themselves.
//
// Thread-safety: immutable data.
#pragma once

#include <string_view>

namespace lanyard {

struct EmbeddedFile {
  std::string_view path;  // relative to the folder embedded, e.g. "dbs/v1.json"
  std::string_view text;  // the file's bytes, as they are in the source tree
};

}  // namespace lanyard
