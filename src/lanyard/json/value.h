// An in-memory JSON value, as Lanyard's strict parser produces it.
//
// Numbers are IEEE doubles, as RFC 8785 and every JavaScript peer treat them. Objects keep their
// members in document order (a vector, not a map): credential objects are small, lookups are
// linear, and the order is what a person wrote when a document is printed back. The parser
// guarantees that an object has no duplicate keys; Set() keeps that true for built values.
//
// Thread-safety: a value is safe to read from several threads; writes need exclusive access.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lanyard::json {

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };

std::string_view KindName(Kind kind);  // "null", "boolean", "number", "string", "array", "object"

class Value {
 public:
  Value() : v_(nullptr) {}
  Value(std::nullptr_t) : v_(nullptr) {}             // NOLINT
  Value(bool b) : v_(b) {}                           // NOLINT
  Value(double d) : v_(d) {}                         // NOLINT
  Value(int i) : v_(static_cast<double>(i)) {}       // NOLINT
  Value(int64_t i) : v_(static_cast<double>(i)) {}   // NOLINT
  Value(std::string s) : v_(std::move(s)) {}         // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}  // NOLINT
  Value(const char* s) : v_(std::string(s)) {}       // NOLINT
  Value(Array a) : v_(std::move(a)) {}               // NOLINT
  Value(Object o) : v_(std::move(o)) {}              // NOLINT

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_number() const { return kind() == Kind::kNumber; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // REQUIRES: the matching is_*() is true.
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object member lookup. Returns nullptr when this is not an object or has no such key.
  const Value* Find(std::string_view key) const;
  Value* Find(std::string_view key);
  // Returns the string member `key`, or nullptr when absent or not a string.
  const std::string* FindString(std::string_view key) const;

  // Replaces member `key` or appends it. REQUIRES: is_object().
  void Set(std::string_view key, Value value);
  // Removes member `key` if present; returns whether it was. REQUIRES: is_object().
  bool Erase(std::string_view key);

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::nullptr_t, bool, double, std::string, Array, Object> v_;
};

// Whether `value` is the string `wanted`, or an array with that string among its members: the
// shape of `type`, `statusPurpose` and similar properties. False for null.
bool IsOrContainsString(const Value* value, std::string_view wanted);

}  // namespace lanyard::json
