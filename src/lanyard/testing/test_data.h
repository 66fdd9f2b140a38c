// Helpers for tests that read the vectors under tests/vectors/ (see SOURCES.md there) and the
// examples under examples/.
#pragma once

#include <string>

#include "lanyard/json/value.h"

namespace lanyard::testing {

// Path of a file under tests/vectors/.
std::string VectorPath(const std::string& relative);
// The exact bytes of a vector file; fails the current test (and returns "") if unreadable.
std::string ReadVector(const std::string& relative);
// A vector file parsed as JSON; fails the current test if it does not parse.
json::Value ReadJsonVector(const std::string& relative);
// A file under examples/ parsed as JSON (e.g. "claims/dbs.json"); fails the current test if it
// does not parse.
json::Value ReadJsonExample(const std::string& relative);

}  // namespace lanyard::testing
