#include "lanyard/passport/json_schema.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <utility>

#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::passport {

namespace {

constexpr int kMaxSchemaDepth = 32;
constexpr size_t kMaxPatternLength = 4096;  // the largest maxLength a pattern may sit beside
constexpr size_t kMaxUniqueItems = 1000;    // the largest maxItems uniqueItems may sit beside
constexpr int kMaxCompareDepth = 64;        // equality of nested values gives up (unequal) here
constexpr size_t kMaxNameInPath = 64;       // bytes of a member name shown in a path

enum TypeBit : unsigned {
  kNullBit = 1,
  kBooleanBit = 2,
  kObjectBit = 4,
  kArrayBit = 8,
  kNumberBit = 16,
  kStringBit = 32,
  kIntegerBit = 64,
};

struct TypeName {
  std::string_view name;
  std::string_view with_article;
  unsigned bit;
};

constexpr TypeName kTypeNames[] = {
    {"null", "null", kNullBit},
    {"boolean", "a boolean", kBooleanBit},
    {"object", "an object", kObjectBit},
    {"array", "an array", kArrayBit},
    {"number", "a number", kNumberBit},
    {"string", "a string", kStringBit},
    {"integer", "an integer", kIntegerBit},
};

std::string_view WithArticle(json::Kind kind) {
  switch (kind) {
    case json::Kind::kNull:
      return "null";
    case json::Kind::kBool:
      return "a boolean";
    case json::Kind::kNumber:
      return "a number";
    case json::Kind::kString:
      return "a string";
    case json::Kind::kArray:
      return "an array";
    case json::Kind::kObject:
      return "an object";
  }
  return "a value";
}

bool IsInteger(double d) { return std::isfinite(d) && std::trunc(d) == d; }

// Equality as JSON Schema defines it for enum, const and uniqueItems: numbers by value, arrays
// element by element, objects as sets of members whatever their order.
bool JsonEqual(const json::Value& a, const json::Value& b, int depth) {
  if (depth > kMaxCompareDepth) return false;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case json::Kind::kNull:
      return true;
    case json::Kind::kBool:
      return a.as_bool() == b.as_bool();
    case json::Kind::kNumber:
      return a.as_number() == b.as_number();
    case json::Kind::kString:
      return a.as_string() == b.as_string();
    case json::Kind::kArray: {
      const json::Array& x = a.as_array();
      const json::Array& y = b.as_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!JsonEqual(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case json::Kind::kObject: {
      const json::Object& x = a.as_object();
      const json::Object& y = b.as_object();
      if (x.size() != y.size()) return false;
      for (const auto& [key, value] : x) {
        const json::Value* other = b.Find(key);
        if (other == nullptr || !JsonEqual(value, *other, depth + 1)) return false;
      }
      return true;
    }
  }
  return false;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsPlainName(std::string_view name) {
  if (name.empty()) return false;
  auto ok_first = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$';
  };
  if (!ok_first(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return ok_first(c) || (c >= '0' && c <= '9') || c == '-'; });
}

// Appends ".name" (or "name" at the root), or ["quoted"] for a name a reader could misparse.
void AppendName(std::string_view name, std::string* path) {
  if (IsPlainName(name) && name.size() <= kMaxNameInPath) {
    if (!path->empty()) *path += '.';
    *path += name;
    return;
  }
  bool cut = name.size() > kMaxNameInPath;
  if (cut) {
    size_t end = kMaxNameInPath;
    // Never split a UTF-8 sequence: the quoted form must stay UTF-8.
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    name = name.substr(0, end);
  }
  *path += '[';
  json::AppendQuoted(name, path);
  if (cut) path->insert(path->size() - 1, "...");
  *path += ']';
}

std::string Quoted(std::string_view s) {
  std::string out;
  json::AppendQuoted(s, &out);
  return out;
}

std::string NumberText(double d) {
  auto text = json::FormatNumber(d);
  return text.ok() ? *text : std::string("?");
}

}  // namespace

// The compiled form of one schema object. Keywords absent from the schema are empty optionals.
struct JsonSchema::Node {
  bool accept_all = false;  // the schema `true` (or `{}`)
  bool reject_all = false;  // the schema `false`
  std::string id, title, description;

  unsigned types = 0;  // TypeBit set; 0 = any
  std::optional<json::Value> const_value;
  std::vector<json::Value> enum_values;  // empty = no enum

  // properties: names[i] is checked by property_nodes[i]. (Two lists rather than pairs: a pair
  // cannot hold the Node being defined.)
  std::vector<std::string> property_names;
  std::vector<Node> property_nodes;
  std::vector<std::string> required;
  // additionalProperties: absent = allowed; false = refused; a schema otherwise.
  std::unique_ptr<Node> additional;

  std::unique_ptr<Node> items;
  std::optional<size_t> min_items, max_items;
  bool unique_items = false;

  std::optional<size_t> min_length, max_length;
  std::string pattern_text;
  std::optional<std::regex> pattern;
  bool format_date = false;

  std::optional<double> minimum, maximum;

  std::vector<Node> one_of;
  std::unique_ptr<Node> if_schema, then_schema, else_schema;
};

namespace {

using Node = JsonSchema::Node;

Error Unsupported(const std::string& where, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "json_schema.unsupported",
                   (where.empty() ? std::string("(root)") : where) + ": " + why);
}
Error Malformed(const std::string& where, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "json_schema.malformed",
                   (where.empty() ? std::string("(root)") : where) + ": " + why);
}

std::string Join(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

Result<size_t> Count(const json::Value& v, const std::string& where) {
  if (!v.is_number() || !IsInteger(v.as_number()) || v.as_number() < 0 ||
      v.as_number() > 2147483647.0) {
    return Malformed(where, "must be a whole number from 0");
  }
  return static_cast<size_t>(v.as_number());
}

Result<Node> Compile(const json::Value& schema, const std::string& where, int depth);

Result<std::unique_ptr<Node>> CompileOwned(const json::Value& schema, const std::string& where,
                                           int depth) {
  LANYARD_ASSIGN_OR_RETURN(Node node, Compile(schema, where, depth));
  return std::make_unique<Node>(std::move(node));
}

Result<Node> Compile(const json::Value& schema, const std::string& where, int depth) {
  if (depth > kMaxSchemaDepth) return Malformed(where, "schemas nest deeper than 32");
  Node node;
  if (schema.is_bool()) {
    node.accept_all = schema.as_bool();
    node.reject_all = !schema.as_bool();
    return node;
  }
  if (!schema.is_object()) return Malformed(where, "a schema is an object or a boolean");
  if (schema.as_object().empty()) node.accept_all = true;
  for (const json::Member& member : schema.as_object()) {
    const std::string& key = member.first;
    const json::Value& value = member.second;
    std::string at = Join(where, key);
    auto text = [&](std::string* out) -> Status {
      if (!value.is_string()) return Malformed(at, "must be a string");
      *out = value.as_string();
      return OkStatus();
    };
    if (key == "$schema") {
      if (!value.is_string() || value.as_string() != kJsonSchemaDraft) {
        return Unsupported(at, "only " + std::string(kJsonSchemaDraft) + " is understood");
      }
    } else if (key == "$id") {
      LANYARD_TRY(text(&node.id));
    } else if (key == "title") {
      LANYARD_TRY(text(&node.title));
    } else if (key == "description") {
      LANYARD_TRY(text(&node.description));
    } else if (key == "$comment") {
      std::string ignored;
      LANYARD_TRY(text(&ignored));
    } else if (key == "type") {
      std::vector<const json::Value*> names;
      if (value.is_string()) {
        names.push_back(&value);
      } else if (value.is_array() && !value.as_array().empty()) {
        for (const auto& n : value.as_array()) names.push_back(&n);
      } else {
        return Malformed(at, "must be a type name or a non-empty list of them");
      }
      for (const json::Value* n : names) {
        const TypeName* found = nullptr;
        for (const auto& t : kTypeNames) {
          if (n->is_string() && n->as_string() == t.name) found = &t;
        }
        if (found == nullptr) return Malformed(at, "unknown type name");
        if ((node.types & found->bit) != 0) return Malformed(at, "a type is named twice");
        node.types |= found->bit;
      }
    } else if (key == "enum") {
      if (!value.is_array() || value.as_array().empty()) {
        return Malformed(at, "must be a non-empty list");
      }
      node.enum_values = value.as_array();
    } else if (key == "const") {
      node.const_value = value;
    } else if (key == "properties") {
      if (!value.is_object()) return Malformed(at, "must be an object of schemas");
      for (const auto& [name, sub] : value.as_object()) {
        LANYARD_ASSIGN_OR_RETURN(Node child, Compile(sub, at + "." + name, depth + 1));
        node.property_names.push_back(name);
        node.property_nodes.push_back(std::move(child));
      }
    } else if (key == "required") {
      if (!value.is_array()) return Malformed(at, "must be a list of property names");
      for (const auto& n : value.as_array()) {
        if (!n.is_string()) return Malformed(at, "must be a list of property names");
        if (std::find(node.required.begin(), node.required.end(), n.as_string()) !=
            node.required.end()) {
          return Malformed(at, "names " + Quoted(n.as_string()) + " twice");
        }
        node.required.push_back(n.as_string());
      }
    } else if (key == "additionalProperties") {
      if (value.is_bool() && value.as_bool()) continue;  // the default
      LANYARD_ASSIGN_OR_RETURN(node.additional, CompileOwned(value, at, depth + 1));
    } else if (key == "items") {
      LANYARD_ASSIGN_OR_RETURN(node.items, CompileOwned(value, at, depth + 1));
    } else if (key == "minItems") {
      LANYARD_ASSIGN_OR_RETURN(node.min_items, Count(value, at));
    } else if (key == "maxItems") {
      LANYARD_ASSIGN_OR_RETURN(node.max_items, Count(value, at));
    } else if (key == "uniqueItems") {
      if (!value.is_bool()) return Malformed(at, "must be true or false");
      node.unique_items = value.as_bool();
    } else if (key == "minLength") {
      LANYARD_ASSIGN_OR_RETURN(node.min_length, Count(value, at));
    } else if (key == "maxLength") {
      LANYARD_ASSIGN_OR_RETURN(node.max_length, Count(value, at));
    } else if (key == "pattern") {
      LANYARD_TRY(text(&node.pattern_text));
      try {
        node.pattern.emplace(node.pattern_text, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Malformed(at, std::string("does not compile: ") + e.what());
      }
    } else if (key == "format") {
      if (!value.is_string()) return Malformed(at, "must be a string");
      if (value.as_string() != "date") {
        return Unsupported(at, "only the format \"date\" is understood");
      }
      node.format_date = true;
    } else if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) return Malformed(at, "must be a number");
      (key == "minimum" ? node.minimum : node.maximum) = value.as_number();
    } else if (key == "oneOf") {
      if (!value.is_array() || value.as_array().empty()) {
        return Malformed(at, "must be a non-empty list of schemas");
      }
      for (size_t i = 0; i < value.as_array().size(); ++i) {
        LANYARD_ASSIGN_OR_RETURN(
            Node branch,
            Compile(value.as_array()[i], at + "[" + std::to_string(i) + "]", depth + 1));
        node.one_of.push_back(std::move(branch));
      }
    } else if (key == "if") {
      LANYARD_ASSIGN_OR_RETURN(node.if_schema, CompileOwned(value, at, depth + 1));
    } else if (key == "then") {
      LANYARD_ASSIGN_OR_RETURN(node.then_schema, CompileOwned(value, at, depth + 1));
    } else if (key == "else") {
      LANYARD_ASSIGN_OR_RETURN(node.else_schema, CompileOwned(value, at, depth + 1));
    } else {
      return Unsupported(at, "the keyword \"" + key.substr(0, 64) + "\" is not understood");
    }
  }
  if (node.pattern && (!node.max_length || *node.max_length > kMaxPatternLength)) {
    return Malformed(Join(where, "pattern"), "needs a maxLength of at most 4096 beside it");
  }
  if (node.unique_items && (!node.max_items || *node.max_items > kMaxUniqueItems)) {
    return Malformed(Join(where, "uniqueItems"), "needs a maxItems of at most 1000 beside it");
  }
  if ((node.then_schema || node.else_schema) && !node.if_schema) {
    return Malformed(where, "then and else need an if");
  }
  return node;
}

// One validation run: the path being checked and the errors found so far.
class Validator {
 public:
  explicit Validator(size_t max_errors) : max_errors_(std::max<size_t>(max_errors, 1)) {}

  std::vector<SchemaError> Take() { return std::move(errors_); }
  bool full() const { return errors_.size() >= max_errors_; }

  void Check(const Node& node, const json::Value& value) {
    if (full() || node.accept_all) return;
    if (node.reject_all) {
      Add("is not allowed here");
      return;
    }
    if (node.types != 0 && !TypeMatches(node.types, value)) {
      Add(TypeMessage(node.types, value));
      return;  // every other keyword would only repeat the same mistake
    }
    if (node.const_value && !JsonEqual(*node.const_value, value, 0)) {
      Add("must be " + Display(*node.const_value));
      return;
    }
    if (!node.enum_values.empty()) {
      bool found = std::any_of(node.enum_values.begin(), node.enum_values.end(),
                               [&](const json::Value& e) { return JsonEqual(e, value, 0); });
      if (!found) {
        std::string message = "must be one of ";
        for (size_t i = 0; i < node.enum_values.size(); ++i) {
          if (i > 0) message += ", ";
          message += Display(node.enum_values[i]);
        }
        Add(message);
        return;
      }
    }
    switch (value.kind()) {
      case json::Kind::kString:
        CheckString(node, value.as_string());
        break;
      case json::Kind::kNumber:
        CheckNumber(node, value.as_number());
        break;
      case json::Kind::kObject:
        CheckObject(node, value);
        break;
      case json::Kind::kArray:
        CheckArray(node, value.as_array());
        break;
      default:
        break;
    }
    if (!node.one_of.empty()) CheckOneOf(node, value);
    if (node.if_schema) CheckConditional(node, value);
  }

 private:
  void Add(std::string message) {
    if (full()) return;
    errors_.push_back({path_.empty() ? std::string("(root)") : path_, std::move(message)});
  }

  static bool TypeMatches(unsigned types, const json::Value& value) {
    switch (value.kind()) {
      case json::Kind::kNull:
        return (types & kNullBit) != 0;
      case json::Kind::kBool:
        return (types & kBooleanBit) != 0;
      case json::Kind::kObject:
        return (types & kObjectBit) != 0;
      case json::Kind::kArray:
        return (types & kArrayBit) != 0;
      case json::Kind::kString:
        return (types & kStringBit) != 0;
      case json::Kind::kNumber:
        return (types & kNumberBit) != 0 ||
               ((types & kIntegerBit) != 0 && IsInteger(value.as_number()));
    }
    return false;
  }

  static std::string TypeMessage(unsigned types, const json::Value& value) {
    std::vector<std::string_view> wanted;
    for (const auto& t : kTypeNames) {
      if ((types & t.bit) != 0) wanted.push_back(t.with_article);
    }
    std::string message = "must be ";
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (i > 0) message += i + 1 == wanted.size() ? " or " : ", ";
      message += wanted[i];
    }
    if (value.is_number() && (types & kIntegerBit) != 0) {
      return message + ", not a number with a fraction";
    }
    if (value.is_string() && types == kBooleanBit &&
        (value.as_string() == "true" || value.as_string() == "false")) {
      // The DSP examples send booleans as strings; say exactly what to change.
      return message + " (true or false without quotes), not a string";
    }
    return message + ", not " + std::string(WithArticle(value.kind()));
  }

  static std::string Display(const json::Value& v) {
    std::string text = json::Serialize(v);
    if (text.size() > 200) text = text.substr(0, 200) + "...";
    return text;
  }

  void CheckString(const Node& node, const std::string& s) {
    size_t length = (node.min_length || node.max_length) ? CodePoints(s) : 0;
    if (node.max_length && length > *node.max_length) {
      Add("must be at most " + std::to_string(*node.max_length) + " characters long");
      return;  // the pattern never runs on an over-long string
    }
    if (node.min_length && length < *node.min_length) {
      Add(*node.min_length == 1
              ? std::string("must not be empty")
              : "must be at least " + std::to_string(*node.min_length) + " characters long");
      return;
    }
    if (node.pattern && !std::regex_search(s, *node.pattern)) {
      Add("must match the pattern " + node.pattern_text);
      return;
    }
    if (node.format_date && !IsCalendarDate(s)) {
      Add("must be a date written YYYY-MM-DD, and a day that exists");
    }
  }

  void CheckNumber(const Node& node, double d) {
    if (node.minimum && d < *node.minimum) Add("must be at least " + NumberText(*node.minimum));
    if (node.maximum && d > *node.maximum) Add("must be at most " + NumberText(*node.maximum));
  }

  void CheckObject(const Node& node, const json::Value& value) {
    for (const auto& name : node.required) {
      if (value.Find(name) == nullptr) Add("missing required property " + Quoted(name));
    }
    // Members are visited in the instance's order, so errors come out in document order.
    for (const auto& [name, member] : value.as_object()) {
      if (full()) return;
      const Node* sub = nullptr;
      for (size_t i = 0; i < node.property_names.size(); ++i) {
        if (node.property_names[i] == name) sub = &node.property_nodes[i];
      }
      size_t mark = path_.size();
      AppendName(name, &path_);
      if (sub != nullptr) {
        Check(*sub, member);
      } else if (node.additional) {
        if (node.additional->reject_all) {
          Add("unknown property (not part of this record)");
        } else {
          Check(*node.additional, member);
        }
      }
      path_.resize(mark);
    }
  }

  void CheckArray(const Node& node, const json::Array& array) {
    if (node.min_items && array.size() < *node.min_items) {
      Add(*node.min_items == 1
              ? std::string("must not be empty")
              : "must have at least " + std::to_string(*node.min_items) + " items");
    }
    if (node.max_items && array.size() > *node.max_items) {
      Add("must have at most " + std::to_string(*node.max_items) + " items");
      return;  // neither items nor uniqueItems run over an over-long list
    }
    if (node.items) {
      for (size_t i = 0; i < array.size() && !full(); ++i) {
        size_t mark = path_.size();
        path_ += "[" + std::to_string(i) + "]";
        Check(*node.items, array[i]);
        path_.resize(mark);
      }
    }
    if (node.unique_items) {
      for (size_t i = 1; i < array.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (JsonEqual(array[i], array[j], 0)) {
            size_t mark = path_.size();
            path_ += "[" + std::to_string(i) + "]";
            Add("repeats item " + std::to_string(j));
            path_.resize(mark);
            break;
          }
        }
      }
    }
  }

  // The errors `node` finds in `value`, checked on the side (at the current path).
  std::vector<SchemaError> Trial(const Node& node, const json::Value& value, size_t max_errors) {
    Validator trial(max_errors);
    trial.path_ = path_;
    trial.Check(node, value);
    return trial.Take();
  }

  static bool IsMismatchOfConst(const Node& branch, const SchemaError& e, const std::string& at) {
    // A branch whose discriminating constant (e.g. recordType "Vaccination") does not match is
    // not the branch the writer meant; its other errors would only mislead.
    for (size_t i = 0; i < branch.property_names.size(); ++i) {
      if (!branch.property_nodes[i].const_value) continue;
      std::string p = at;
      AppendName(branch.property_names[i], &p);
      if (e.path == p) return true;
    }
    return false;
  }

  void CheckOneOf(const Node& node, const json::Value& value) {
    std::vector<size_t> matched;
    size_t best = node.one_of.size();
    std::vector<SchemaError> best_errors;
    for (size_t i = 0; i < node.one_of.size(); ++i) {
      auto errors = Trial(node.one_of[i], value, max_errors_);
      if (errors.empty()) {
        matched.push_back(i);
        continue;
      }
      bool off_target = std::any_of(errors.begin(), errors.end(), [&](const SchemaError& e) {
        return IsMismatchOfConst(node.one_of[i], e, path_);
      });
      if (!off_target && (best == node.one_of.size() || errors.size() < best_errors.size())) {
        best = i;
        best_errors = std::move(errors);
      }
    }
    if (matched.size() == 1) return;
    if (matched.empty() && best < node.one_of.size()) {
      for (auto& e : best_errors) {
        if (full()) break;
        errors_.push_back(std::move(e));
      }
      return;
    }
    std::string forms;
    for (size_t i = 0; i < node.one_of.size(); ++i) {
      if (i > 0) forms += ", ";
      forms += node.one_of[i].title.empty() ? "form " + std::to_string(i + 1)
                                            : Quoted(node.one_of[i].title);
    }
    Add(matched.empty() ? "must be one of the forms " + forms
                        : "matches more than one of the forms " + forms);
  }

  void CheckConditional(const Node& node, const json::Value& value) {
    bool holds = Trial(*node.if_schema, value, 1).empty();
    const Node* branch = holds ? node.then_schema.get() : node.else_schema.get();
    if (branch == nullptr) return;
    size_t before = errors_.size();
    Check(*branch, value);
    if (!branch->description.empty()) {
      for (size_t i = before; i < errors_.size(); ++i) {
        errors_[i].message += " (" + branch->description + ")";
      }
    }
  }

  size_t max_errors_;
  std::string path_;
  std::vector<SchemaError> errors_;
};

}  // namespace

Result<JsonSchema> JsonSchema::Load(const json::Value& schema) {
  LANYARD_ASSIGN_OR_RETURN(Node root, Compile(schema, "", 0));
  return JsonSchema(std::make_shared<const Node>(std::move(root)));
}

Result<JsonSchema> JsonSchema::FromText(std::string_view text) {
  auto value = json::Parse(text);
  if (!value.ok()) {
    return MakeError(Code::kInvalidArgument, "json_schema.malformed",
                     "the schema is not JSON: " + value.error().message);
  }
  return Load(*value);
}

const std::string& JsonSchema::id() const { return root_->id; }
const std::string& JsonSchema::title() const { return root_->title; }

std::vector<SchemaError> JsonSchema::Validate(const json::Value& instance,
                                              size_t max_errors) const {
  Validator v(max_errors);
  v.Check(*root_, instance);
  return v.Take();
}

Status JsonSchema::Check(const json::Value& instance, size_t max_errors) const {
  std::vector<SchemaError> errors = Validate(instance, max_errors);
  if (errors.empty()) return OkStatus();
  std::string message;
  for (const auto& e : errors) {
    if (!message.empty()) message += "; ";
    message += e.ToString();
  }
  return MakeError(Code::kInvalidArgument, "schema.invalid", std::move(message));
}

bool IsCalendarDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= last;
}

}  // namespace lanyard::passport
