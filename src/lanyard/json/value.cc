#include "lanyard/json/value.h"

#include <algorithm>

namespace lanyard::json {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "unknown";
}

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Value::Find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->Find(key));
}

const std::string* Value::FindString(std::string_view key) const {
  const Value* v = Find(key);
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

void Value::Set(std::string_view key, Value value) {
  if (Value* existing = Find(key)) {
    *existing = std::move(value);
    return;
  }
  as_object().emplace_back(std::string(key), std::move(value));
}

bool Value::Erase(std::string_view key) {
  auto& members = as_object();
  auto it =
      std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.first == key; });
  if (it == members.end()) return false;
  members.erase(it);
  return true;
}

bool IsOrContainsString(const Value* value, std::string_view wanted) {
  if (value == nullptr) return false;
  if (value->is_string()) return value->as_string() == wanted;
  if (!value->is_array()) return false;
  for (const auto& v : value->as_array()) {
    if (v.is_string() && v.as_string() == wanted) return true;
  }
  return false;
}

}  // namespace lanyard::json
