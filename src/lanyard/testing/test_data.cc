#include "lanyard/testing/test_data.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "lanyard/json/parser.h"

namespace lanyard::testing {

std::string VectorPath(const std::string& relative) {
  return std::string(LANYARD_TEST_DATA_DIR) + "/" + relative;
}

std::string ReadVector(const std::string& relative) {
  std::ifstream in(VectorPath(relative), std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read test vector " << relative;
    return "";
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

json::Value ReadJsonVector(const std::string& relative) {
  json::ParseOptions options;
  options.max_bytes = 64 * 1024 * 1024;
  auto parsed = json::Parse(ReadVector(relative), options);
  if (!parsed.ok()) {
    ADD_FAILURE() << relative << ": " << parsed.error().ToString();
    return json::Value();
  }
  return std::move(parsed).value();
}

}  // namespace lanyard::testing
