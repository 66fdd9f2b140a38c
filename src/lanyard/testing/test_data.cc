#include "lanyard/testing/test_data.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "lanyard/json/parser.h"

namespace lanyard::testing {

std::string VectorPath(const std::string& relative) {
  return std::string(LANYARD_TEST_DATA_DIR) + "/" + relative;
}

namespace {

std::string ReadFile(const std::string& path, const std::string& relative) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << relative;
    return "";
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

json::Value ParseFile(const std::string& text, const std::string& relative) {
  json::ParseOptions options;
  options.max_bytes = 64 * 1024 * 1024;
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) {
    ADD_FAILURE() << relative << ": " << parsed.error().ToString();
    return json::Value();
  }
  return std::move(parsed).value();
}

}  // namespace

std::string ReadVector(const std::string& relative) {
  return ReadFile(VectorPath(relative), "test vector " + relative);
}

json::Value ReadJsonVector(const std::string& relative) {
  return ParseFile(ReadVector(relative), relative);
}

json::Value ReadJsonExample(const std::string& relative) {
  return ParseFile(ReadFile(std::string(LANYARD_EXAMPLES_DIR) + "/" + relative, relative),
                   relative);
}

}  // namespace lanyard::testing
