#include "lanyard/passport/json_schema.h"

#include <gtest/gtest.h>

#include "lanyard/json/parser.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::passport {
namespace {

using testing::ErrorIs;
using testing::IsOk;

JsonSchema Load(const std::string& text) {
  auto schema = JsonSchema::FromText(text);
  EXPECT_THAT(schema, IsOk()) << text;
  return std::move(schema).value();
}

// Every error for `instance`, rendered "path: message" and joined by " | ", or "valid".
std::string Errors(const JsonSchema& schema, const std::string& instance) {
  auto value = json::Parse(instance);
  EXPECT_THAT(value, IsOk()) << instance;
  if (!value.ok()) return "not JSON";
  std::string out;
  for (const auto& e : schema.Validate(*value)) {
    if (!out.empty()) out += " | ";
    out += e.ToString();
  }
  return out.empty() ? "valid" : out;
}

TEST(JsonSchema, TypeNamesTheKindExpectedAndFound) {
  JsonSchema s = Load(R"({"type": "string"})");
  EXPECT_EQ(Errors(s, R"("x")"), "valid");
  EXPECT_EQ(Errors(s, "12"), "(root): must be a string, not a number");
  JsonSchema list = Load(R"({"type": ["string", "integer"]})");
  EXPECT_EQ(Errors(list, "7"), "valid");
  EXPECT_EQ(Errors(list, R"("7")"), "valid");
  EXPECT_EQ(Errors(list, "7.5"),
            "(root): must be a string or an integer, not a number with a fraction");
  EXPECT_EQ(Errors(list, "null"), "(root): must be a string or an integer, not null");
  JsonSchema any_number = Load(R"({"type": "number"})");
  EXPECT_EQ(Errors(any_number, "7.5"), "valid");
  JsonSchema integer = Load(R"({"type": "integer"})");
  EXPECT_EQ(Errors(integer, "7.0"), "valid");
}

TEST(JsonSchema, ABooleanWrittenAsAStringIsRefusedWithAHint) {
  JsonSchema s = Load(R"({"properties": {"eppCleared": {"type": "boolean"}}})");
  EXPECT_EQ(Errors(s, R"({"eppCleared": false})"), "valid");
  EXPECT_EQ(Errors(s, R"({"eppCleared": "true"})"),
            "eppCleared: must be a boolean (true or false without quotes), not a string");
  EXPECT_EQ(Errors(s, R"({"eppCleared": 1})"), "eppCleared: must be a boolean, not a number");
}

TEST(JsonSchema, EnumListsTheAllowedValues) {
  JsonSchema s = Load(R"({"properties": {"workforceType": {"enum": ["Child", "Adult", 3]}}})");
  EXPECT_EQ(Errors(s, R"({"workforceType": "Adult"})"), "valid");
  EXPECT_EQ(Errors(s, R"({"workforceType": 3.0})"), "valid");
  EXPECT_EQ(Errors(s, R"({"workforceType": "adult"})"),
            R"(workforceType: must be one of "Child", "Adult", 3)");
}

TEST(JsonSchema, ConstComparesAsJsonSchemaDoes) {
  JsonSchema s = Load(R"({"const": {"a": 1, "b": [true, null]}})");
  EXPECT_EQ(Errors(s, R"({"b": [true, null], "a": 1.0})"), "valid");  // member order is free
  EXPECT_EQ(Errors(s, R"({"a": 1, "b": [null, true]})"),
            R"((root): must be {"a":1,"b":[true,null]})");
  JsonSchema record = Load(R"({"properties": {"recordType": {"const": "DBSCheckOutcome"}}})");
  EXPECT_EQ(Errors(record, R"({"recordType": "RightToWork"})"),
            R"(recordType: must be "DBSCheckOutcome")");
}

TEST(JsonSchema, RequiredAndAdditionalPropertiesNameTheProperty) {
  JsonSchema s = Load(R"({
    "type": "object",
    "properties": {"birthDate": {"type": "string"}, "id": {"type": "string"}},
    "required": ["birthDate"],
    "additionalProperties": false})");
  EXPECT_EQ(Errors(s, R"({"birthDate": "x", "id": "y"})"), "valid");
  EXPECT_EQ(Errors(s, R"({"id": "y"})"), R"((root): missing required property "birthDate")");
  EXPECT_EQ(Errors(s, R"({"birthDate": "x", "credentialSubject": {}})"),
            "credentialSubject: unknown property (not part of this record)");
  JsonSchema typed_extra = Load(R"({"additionalProperties": {"type": "number"}})");
  EXPECT_EQ(Errors(typed_extra, R"({"a": 1, "b": "2"})"), "b: must be a number, not a string");
  JsonSchema open =
      Load(R"({"properties": {"a": {"type": "number"}}, "additionalProperties": true})");
  EXPECT_EQ(Errors(open, R"({"a": 1, "b": "2"})"), "valid");
}

TEST(JsonSchema, NestedPathsNameArrayIndexesAndMembers) {
  JsonSchema s = Load(R"({
    "properties": {"immunisations": {"type": "array", "items": {
      "type": "object", "properties": {"date": {"type": "string", "format": "date"}}}}}})");
  EXPECT_EQ(Errors(s, R"({"immunisations": [{"date": "2020-01-01"}, {}, {"date": "2020-02-30"}]})"),
            "immunisations[2].date: must be a date written YYYY-MM-DD, and a day that exists");
}

TEST(JsonSchema, NamesThatAreNotIdentifiersAreQuotedInPaths) {
  JsonSchema s = Load(R"({"additionalProperties": false})");
  EXPECT_EQ(Errors(s, R"({"a.b": 1})"), R"(["a.b"]: unknown property (not part of this record))");
  std::string long_name(100, 'x');
  EXPECT_EQ(Errors(s, "{\"" + long_name + "\": 1}"),
            "[\"" + std::string(64, 'x') + "...\"]: unknown property (not part of this record)");
}

TEST(JsonSchema, StringLengthsCountCodePoints) {
  JsonSchema s = Load(R"({"minLength": 2, "maxLength": 3})");
  EXPECT_EQ(Errors(s, R"("éé")"), "valid");  // 4 bytes, 2 characters
  EXPECT_EQ(Errors(s, R"("é")"), "(root): must be at least 2 characters long");
  EXPECT_EQ(Errors(s, R"("abcd")"), "(root): must be at most 3 characters long");
  JsonSchema non_empty = Load(R"({"minLength": 1})");
  EXPECT_EQ(Errors(non_empty, R"("")"), "(root): must not be empty");
  EXPECT_EQ(Errors(non_empty, "5"), "valid");  // string keywords ignore other kinds
}

TEST(JsonSchema, PatternIsUnanchoredEcmaScript) {
  JsonSchema s =
      Load(R"({"properties": {"certificateNumber": {"pattern": "^\\d{12}$", "maxLength": 12}}})");
  EXPECT_EQ(Errors(s, R"({"certificateNumber": "001234567890"})"), "valid");
  EXPECT_EQ(Errors(s, R"({"certificateNumber": "00123456789"})"),
            R"(certificateNumber: must match the pattern ^\d{12}$)");
  EXPECT_EQ(Errors(s, R"({"certificateNumber": "00123456789a"})"),
            R"(certificateNumber: must match the pattern ^\d{12}$)");
  // Digits of other scripts are not \d.
  EXPECT_EQ(Errors(s, R"({"certificateNumber": "٠٠١٢٣٤٥٦٧٨٩٠"})"),
            R"(certificateNumber: must match the pattern ^\d{12}$)");
  JsonSchema unanchored = Load(R"({"pattern": "RGT", "maxLength": 20})");
  EXPECT_EQ(Errors(unanchored, R"("xRGTx")"), "valid");
}

TEST(JsonSchema, ANewlineDoesNotSlipPastTheEndAnchor) {
  JsonSchema s = Load(R"({"pattern": "^\\d{11}$", "maxLength": 12})");
  EXPECT_EQ(Errors(s, R"("20012345678\n")"), "(root): must match the pattern ^\\d{11}$");
}

TEST(JsonSchema, MaxLengthIsCheckedBeforeThePattern) {
  JsonSchema s = Load(R"({"pattern": "^(a|a)*$", "maxLength": 10})");
  EXPECT_EQ(Errors(s, "\"" + std::string(100000, 'a') + "\""),
            "(root): must be at most 10 characters long");
}

TEST(JsonSchema, FormatDateIsARealCalendarDate) {
  EXPECT_TRUE(IsCalendarDate("2024-02-29"));
  EXPECT_TRUE(IsCalendarDate("2000-02-29"));
  EXPECT_TRUE(IsCalendarDate("1988-04-12"));
  EXPECT_FALSE(IsCalendarDate("2023-02-29"));
  EXPECT_FALSE(IsCalendarDate("1900-02-29"));
  EXPECT_FALSE(IsCalendarDate("2026-04-31"));
  EXPECT_FALSE(IsCalendarDate("2026-13-01"));
  EXPECT_FALSE(IsCalendarDate("2026-00-10"));
  EXPECT_FALSE(IsCalendarDate("2026-01-00"));
  EXPECT_FALSE(IsCalendarDate("2026-1-01"));
  EXPECT_FALSE(IsCalendarDate("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(IsCalendarDate("12/04/1988"));
  EXPECT_FALSE(IsCalendarDate("2026-0a-01"));
  JsonSchema s = Load(R"({"format": "date"})");
  EXPECT_EQ(Errors(s, R"("2026-02-29")"),
            "(root): must be a date written YYYY-MM-DD, and a day that exists");
  EXPECT_EQ(Errors(s, "20260228"), "valid");  // format applies to strings only
}

TEST(JsonSchema, MinimumAndMaximum) {
  JsonSchema s =
      Load(R"({"properties": {"level": {"type": "integer", "minimum": 1, "maximum": 8}}})");
  EXPECT_EQ(Errors(s, R"({"level": 6})"), "valid");
  EXPECT_EQ(Errors(s, R"({"level": 0})"), "level: must be at least 1");
  EXPECT_EQ(Errors(s, R"({"level": 9})"), "level: must be at most 8");
  JsonSchema fraction = Load(R"({"minimum": 0.5})");
  EXPECT_EQ(Errors(fraction, "0.25"), "(root): must be at least 0.5");
}

TEST(JsonSchema, ArrayKeywords) {
  JsonSchema s = Load(R"({"type": "array", "items": {"type": "string"}, "minItems": 1,
                         "maxItems": 3, "uniqueItems": true})");
  EXPECT_EQ(Errors(s, R"(["values", "policies"])"), "valid");
  EXPECT_EQ(Errors(s, "[]"), "(root): must not be empty");
  EXPECT_EQ(Errors(s, R"(["a", "b", "c", "d"])"), "(root): must have at most 3 items");
  EXPECT_EQ(Errors(s, R"(["a", 2, "a"])"),
            "[1]: must be a string, not a number | [2]: repeats item 0");
  JsonSchema two = Load(R"({"minItems": 2})");
  EXPECT_EQ(Errors(two, "[1]"), "(root): must have at least 2 items");
  JsonSchema unique_objects = Load(R"({"uniqueItems": true, "maxItems": 5})");
  EXPECT_EQ(Errors(unique_objects, R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])"),
            "[1]: repeats item 0");
  EXPECT_EQ(Errors(unique_objects, R"([1, "1", true])"), "valid");
}

TEST(JsonSchema, OneOfReportsTheBranchTheWriterMeant) {
  JsonSchema s = Load(R"({"type": "array", "items": {"oneOf": [
    {"title": "Vaccination", "properties": {"recordType": {"const": "Vaccination"},
       "date": {"type": "string"}}, "required": ["recordType", "date"]},
    {"title": "Observation", "properties": {"recordType": {"const": "Observation"},
       "result": {"enum": ["Yes", "No"]}}, "required": ["recordType", "result"]}]}})");
  EXPECT_EQ(Errors(s, R"([{"recordType": "Vaccination", "date": "2019"},
                          {"recordType": "Observation", "result": "No"}])"),
            "valid");
  EXPECT_EQ(Errors(s, R"([{"recordType": "Observation", "result": "yes"}])"),
            R"([0].result: must be one of "Yes", "No")");
  EXPECT_EQ(Errors(s, R"([{"recordType": "Vaccination"}])"),
            R"([0]: missing required property "date")");
  EXPECT_EQ(Errors(s, R"([{"recordType": "Vaccine", "date": "2019"}])"),
            R"([0]: must be one of the forms "Vaccination", "Observation")");
  JsonSchema overlapping = Load(R"({"oneOf": [{"type": "number"}, {"minimum": 0}]})");
  EXPECT_EQ(Errors(overlapping, "5"), "(root): matches more than one of the forms form 1, form 2");
  EXPECT_EQ(Errors(overlapping, R"("x")"), "valid");  // minimum ignores strings: one branch
  // No branch is ruled out by a constant: the errors of the one with fewest (the first on a tie).
  JsonSchema open = Load(R"({"oneOf": [{"type": "number"}, {"type": "string", "maxLength": 1}]})");
  EXPECT_EQ(Errors(open, R"("xx")"), "(root): must be a number, not a string");
}

TEST(JsonSchema, IfThenElseExplainsWithTheBranchDescription) {
  JsonSchema s = Load(R"({
    "if": {"properties": {"permissionType": {"const": "time_limited"}}, "required": ["permissionType"]},
    "then": {"description": "time-limited permission has an expiry date",
             "required": ["permissionExpiryDate"]},
    "else": {"properties": {"permissionExpiryDate": false}}})");
  EXPECT_EQ(Errors(s, R"({"permissionType": "unlimited"})"), "valid");
  EXPECT_EQ(Errors(s, R"({"permissionType": "time_limited", "permissionExpiryDate": "x"})"),
            "valid");
  EXPECT_EQ(
      Errors(s, R"({"permissionType": "time_limited"})"),
      R"((root): missing required property "permissionExpiryDate" (time-limited permission has an expiry date))");
  EXPECT_EQ(Errors(s, R"({"permissionType": "unlimited", "permissionExpiryDate": "x"})"),
            "permissionExpiryDate: is not allowed here");
}

TEST(JsonSchema, BooleanSchemas) {
  EXPECT_EQ(Errors(Load("true"), R"({"anything": [1]})"), "valid");
  EXPECT_EQ(Errors(Load("false"), "1"), "(root): is not allowed here");
  EXPECT_EQ(Errors(Load("{}"), "null"), "valid");
}

TEST(JsonSchema, StopsAtTheErrorLimit) {
  JsonSchema s = Load(R"({"additionalProperties": false})");
  auto value = json::Parse(R"({"a": 1, "b": 2, "c": 3, "d": 4})");
  ASSERT_THAT(value, IsOk());
  EXPECT_EQ(s.Validate(*value, 2).size(), 2u);
  EXPECT_EQ(s.Validate(*value, 0).size(), 1u);  // at least one
  Status status = s.Check(*value, 2);
  ASSERT_THAT(status, ErrorIs("schema.invalid"));
  EXPECT_EQ(status.error().message,
            "a: unknown property (not part of this record); b: unknown property (not part of "
            "this record)");
}

TEST(JsonSchema, AnnotationsAreKept) {
  JsonSchema s = Load(R"({"$schema": "https://json-schema.org/draft/2020-12/schema",
                         "$id": "https://lanyard.health/schemas/x/v1.json", "title": "X",
                         "description": "d", "$comment": "c"})");
  EXPECT_EQ(s.id(), "https://lanyard.health/schemas/x/v1.json");
  EXPECT_EQ(s.title(), "X");
}

TEST(JsonSchema, RefusesKeywordsOutsideTheSubsetAtLoad) {
  auto expect = [](const std::string& text, const std::string& reason, const std::string& where) {
    auto s = JsonSchema::FromText(text);
    ASSERT_THAT(s, ErrorIs(reason)) << text;
    EXPECT_EQ(s.error().message.substr(0, where.size()), where) << s.error().message;
  };
  expect(R"({"properties": {"birthDate": {"formt": "date"}}})", "json_schema.unsupported",
         "properties.birthDate.formt: ");
  expect(R"({"$ref": "#/x"})", "json_schema.unsupported", "$ref: ");
  expect(R"({"format": "email"})", "json_schema.unsupported", "format: ");
  expect(R"({"$schema": "http://json-schema.org/draft-07/schema#"})", "json_schema.unsupported",
         "$schema: ");
  expect(R"({"items": {"oneOf": [{"patternProperties": {}}]}})", "json_schema.unsupported",
         "items.oneOf[0].patternProperties: ");
}

TEST(JsonSchema, RefusesMalformedKeywordsAtLoad) {
  auto expect = [](const std::string& text, const std::string& where) {
    auto s = JsonSchema::FromText(text);
    ASSERT_THAT(s, ErrorIs("json_schema.malformed")) << text;
    EXPECT_EQ(s.error().message.substr(0, where.size()), where) << s.error().message;
  };
  expect("[]", "(root): ");
  expect("not json", "the schema is not JSON");
  expect(R"({"type": "text"})", "type: ");
  expect(R"({"type": ["string", "string"]})", "type: ");
  expect(R"({"type": []})", "type: ");
  expect(R"({"enum": []})", "enum: ");
  expect(R"({"required": ["a", "a"]})", "required: ");
  expect(R"({"required": "a"})", "required: ");
  expect(R"({"minLength": -1})", "minLength: ");
  expect(R"({"maxItems": 1.5})", "maxItems: ");
  expect(R"({"minimum": "1"})", "minimum: ");
  expect(R"({"uniqueItems": "yes"})", "uniqueItems: ");
  expect(R"({"title": 1})", "title: ");
  expect(R"({"pattern": "(", "maxLength": 5})", "pattern: ");
  expect(R"({"pattern": "^a$"})", "pattern: ");                     // no maxLength
  expect(R"({"pattern": "^a$", "maxLength": 5000})", "pattern: ");  // too long to match safely
  expect(R"({"uniqueItems": true})", "uniqueItems: ");              // no maxItems
  expect(R"({"uniqueItems": true, "maxItems": 5000})", "uniqueItems: ");
  expect(R"({"then": {}})", "(root): ");
  expect(R"({"oneOf": []})", "oneOf: ");
  expect(R"({"properties": {"a": 1}})", "properties.a: ");
}

TEST(JsonSchema, RefusesSchemasNestedTooDeep) {
  std::string deep = "true";
  for (int i = 0; i < 40; ++i) deep = R"({"items": )" + deep + "}";
  EXPECT_THAT(JsonSchema::FromText(deep), ErrorIs("json_schema.malformed"));
  std::string fine = "true";
  for (int i = 0; i < 30; ++i) fine = R"({"items": )" + fine + "}";
  EXPECT_THAT(JsonSchema::FromText(fine), IsOk());
}

TEST(JsonSchema, ComparisonGivesUpOnValuesNestedBeyondItsLimit) {
  JsonSchema s = Load(R"({"uniqueItems": true, "maxItems": 3})");
  EXPECT_EQ(Errors(s, "[[[1]], [[1]]]"), "[1]: repeats item 0");
  std::string deep = "1";
  for (int i = 0; i < 120; ++i) deep = "[" + deep + "]";
  EXPECT_EQ(Errors(s, "[" + deep + "," + deep + "]"), "valid");  // documented: compare unequal
  JsonSchema e = Load(R"({"enum": [[[[1]]]]})");
  EXPECT_EQ(Errors(e, "[[[1]]]"), "valid");
  EXPECT_EQ(Errors(e, deep), "(root): must be one of [[[1]]]");
}

}  // namespace
}  // namespace lanyard::passport
