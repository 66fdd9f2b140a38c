// A JSON Schema validator for the subset of draft 2020-12 that Lanyard's credential schemas use.
//
// Keywords understood; a schema using any other keyword (or another `format`) is refused when it
// is loaded, so a misspelt or unsupported constraint can never be silently ignored:
//   annotations  $schema (only "https://json-schema.org/draft/2020-12/schema"), $id, title,
//                description, $comment
//   any value    type (a name or a list of names: null, boolean, object, array, number, string,
//                integer), enum, const, oneOf, if / then / else
//   objects      properties, required, additionalProperties (true, false or a schema)
//   arrays       items (one schema for every element), minItems, maxItems, uniqueItems
//   strings      minLength, maxLength (in Unicode code points), pattern (ECMAScript syntax, and
//                unanchored as JSON Schema says: write ^...$), format "date" (YYYY-MM-DD naming a
//                day that exists; asserted, where draft 2020-12 only annotates by default)
//   numbers      minimum, maximum
// A schema may also be `true` (anything) or `false` (nothing). Keywords apply only to values of
// their kind (minLength ignores numbers), as in JSON Schema; enum, const and uniqueItems compare
// as JSON Schema does (numbers by value, objects whatever their member order), except that values
// nested more than 64 deep compare unequal (the comparison's stack stays bounded).
//
// Patterns run on std::regex, which backtracks: they are compiled once when the schema is
// loaded, and only from schemas Lanyard ships. To bound the cost of matching, a `pattern` must
// sit beside a `maxLength` of at most 4096, which is checked first (a longer string is refused
// before the pattern runs); `uniqueItems` needs a `maxItems` of at most 1000 for the same reason;
// schemas nest at most 32 deep.
//
// Errors found by Validate name the value by its path from the validated instance: "(root)" for
// the instance itself, then "typeOfDbsCheck", "immunisations[2].date"; a name that is not a plain
// identifier is quoted (["odd.name"]). Messages never repeat the offending value (claims are
// personal data), only what was expected, e.g. `typeOfDbsCheck: must be one of "Basic check",
// "Standard check", ...` or `(root): missing required property "birthDate"`.
//
// Thread-safety: a loaded JsonSchema is immutable; Validate is safe from several threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/json/value.h"

namespace lanyard::passport {

inline constexpr std::string_view kJsonSchemaDraft = "https://json-schema.org/draft/2020-12/schema";

struct SchemaError {
  std::string path;     // "(root)", "typeOfDbsCheck", "immunisations[2].date"
  std::string message;  // "must be one of ..."

  std::string ToString() const { return path + ": " + message; }  // "path: message"
};

class JsonSchema {
 public:
  // Loads (and checks) a schema. Errors, kInvalidArgument, each message naming the place in the
  // schema (e.g. "properties.birthDate.formt"):
  //   json_schema.unsupported  a keyword outside the subset above, or a format other than date
  //   json_schema.malformed    a keyword whose value has the wrong shape, a pattern that does not
  //                            compile, a pattern without a small enough maxLength, uniqueItems
  //                            without a small enough maxItems, nesting beyond 32
  static Result<JsonSchema> Load(const json::Value& schema);
  // As Load, from text; a schema that is not JSON is json_schema.malformed.
  static Result<JsonSchema> FromText(std::string_view text);

  const std::string& id() const;     // $id of the root ("" when absent)
  const std::string& title() const;  // title of the root ("" when absent)

  // Every error found, in a stable order, stopping after `max_errors` (at least 1). Empty when
  // `instance` is valid.
  std::vector<SchemaError> Validate(const json::Value& instance, size_t max_errors = 16) const;

  // OK, or kInvalidArgument "schema.invalid" whose message is the errors ("path: message"),
  // joined by "; ".
  Status Check(const json::Value& instance, size_t max_errors = 16) const;

  struct Node;  // the compiled form; defined in json_schema.cc

 private:
  explicit JsonSchema(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

// Whether `text` is a date "YYYY-MM-DD" that exists in the proleptic Gregorian calendar
// (2024-02-29 yes, 2023-02-29 no). What `format: "date"` checks.
bool IsCalendarDate(std::string_view text);

}  // namespace lanyard::passport
