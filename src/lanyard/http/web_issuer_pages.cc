// An issuing officer's pages (HR, occupational health, training): issue a credential through a
// form generated from its type's JSON Schema, upload a CSV file for bulk issuance and follow its
// progress, see what the organisation issued, and revoke, suspend or reinstate with a reason.
// Inviting staff is here too: HR invites the people it will issue to.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "lanyard/core/text.h"
#include "lanyard/http/api.h"
#include "lanyard/http/web_util.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/json_schema.h"

namespace lanyard::http {
namespace {

using service::Role;
using service::RoleSet;
using Kind = FieldView::Kind;

const RoleSet kIssuers{Role::kHrIssuer, Role::kOhIssuer, Role::kTrainingIssuer};
const RoleSet kInviters{Role::kHrIssuer, Role::kOrgAdmin};

// The fixed fields of the issue form, around the schema's own.
constexpr std::string_view kStaffField = "staff_email";
constexpr std::string_view kFormatField = "format";
constexpr std::string_view kValidUntilField = "valid_until";

std::string HintFrom(const json::Value& property) {
  const std::string* d = property.FindString("description");
  return d == nullptr ? "" : SchemaHint(*d);
}

// One property of a credential type's schema as a form control, or nothing for what a form
// cannot sensibly ask (the holder's id, the record type, lists of records).
std::optional<FieldView> ControlFor(const std::string& name, const json::Value& property,
                                    bool required) {
  if (name == "id" || name == "recordType") return std::nullopt;
  FieldView f = Input(name, Humanise(name) + (required ? "" : " (optional)"));
  f.hint = HintFrom(property);
  const std::string* type = property.FindString("type");
  const json::Value* options = property.Find("enum");
  if (options != nullptr && options->is_array()) {
    f.kind = options->as_array().size() <= 4 ? Kind::kRadios : Kind::kSelect;
    if (f.kind == Kind::kSelect) f.options.push_back({"", "Choose one"});
    for (const auto& o : options->as_array()) {
      if (o.is_string()) f.options.push_back({o.as_string(), o.as_string()});
    }
  } else if (type != nullptr && *type == "boolean") {
    f.kind = Kind::kRadios;
    f.options = {{"true", "Yes"}, {"false", "No"}};
  } else if (type != nullptr && *type == "array") {
    const json::Value* items = property.Find("items");
    const std::string* item_type = items != nullptr ? items->FindString("type") : nullptr;
    if (item_type == nullptr || *item_type != "string") return std::nullopt;
    f.kind = Kind::kTextarea;
    f.hint = (f.hint.empty() ? "" : f.hint + ". ") + "One on each line";
  } else if (type != nullptr && *type == "integer") {
    f.type = "number";
    f.width = "5";
  } else if (const std::string* format = property.FindString("format");
             format != nullptr && *format == "date") {
    f.type = "date";
  } else if (type == nullptr || *type != "string") {
    return std::nullopt;
  }
  return f;
}

// A list of records (occupational health's immunisations: each a vaccination, a clinical test
// or an observation, by the `oneOf` of its items) asked as a repeating group: each row chooses
// its kind of record and fills that kind's fields. Rows are added and removed by the form's own
// buttons, so it works without JavaScript. Field names are NAME-ROW-PROPERTY.
struct RecordGroup {
  std::string name;
  std::string legend;
  std::string hint;
  size_t max_rows = 0;
  struct Variant {
    std::string kind;  // the items' recordType const, e.g. "ClinicalTest"
    std::shared_ptr<const passport::JsonSchema> schema;
    std::vector<std::string> properties;  // in the schema's order, recordType left out
  };
  std::vector<Variant> variants;
  std::vector<FieldView> row_fields;  // every variant's properties once, kind first

  static std::string FieldName(std::string_view group, size_t row, std::string_view property) {
    return std::string(group) + "-" + std::to_string(row) + "-" + std::string(property);
  }
};

struct SchemaForm {
  std::vector<FieldView> fields;
  std::vector<RecordGroup> groups;
  std::map<std::string, std::string, std::less<>> types;  // claim -> schema type
  // Required text claims that may be empty ("" when there are none, as middle names): an empty
  // field sends "" rather than leaving the claim out.
  std::vector<std::string> empty_allowed;
};

// A property whose items are records of one of several kinds, as a repeating group; nothing
// for any other property.
Result<std::optional<RecordGroup>> RecordGroupFor(const std::string& name,
                                                  const json::Value& property) {
  const json::Value* items = property.Find("items");
  const json::Value* kinds = items != nullptr ? items->Find("oneOf") : nullptr;
  if (kinds == nullptr || !kinds->is_array()) return std::optional<RecordGroup>();
  RecordGroup group;
  group.name = name;
  group.legend = Humanise(name) + " (optional)";
  group.hint = HintFrom(property);
  const json::Value* max = property.Find("maxItems");
  group.max_rows = max != nullptr && max->is_number() ? static_cast<size_t>(max->as_number()) : 20;
  FieldView kind = Input("recordType", "Kind of record");
  kind.kind = Kind::kRadios;
  std::map<std::string, std::vector<std::string>> kinds_of;  // property -> kinds that have it
  std::vector<std::pair<std::string, const json::Value*>> union_properties;
  for (const json::Value& variant : kinds->as_array()) {
    const json::Value* props = variant.Find("properties");
    const json::Value* type = props != nullptr ? props->Find("recordType") : nullptr;
    const json::Value* constant = type != nullptr ? type->Find("const") : nullptr;
    if (props == nullptr || !props->is_object() || constant == nullptr || !constant->is_string()) {
      return MakeError(Code::kInternal, "schema.form",
                       name + ": a kind of record without a recordType const");
    }
    RecordGroup::Variant v;
    v.kind = constant->as_string();
    LANYARD_ASSIGN_OR_RETURN(passport::JsonSchema schema, passport::JsonSchema::Load(variant));
    v.schema = std::make_shared<const passport::JsonSchema>(std::move(schema));
    for (const auto& [prop, spec] : props->as_object()) {
      if (prop == "recordType") continue;
      v.properties.push_back(prop);
      if (kinds_of[prop].empty()) union_properties.emplace_back(prop, &spec);
      kinds_of[prop].push_back(Humanise(v.kind));
    }
    kind.options.push_back({v.kind, Humanise(v.kind)});
    group.variants.push_back(std::move(v));
  }
  group.row_fields.push_back(std::move(kind));
  for (const auto& [prop, spec] : union_properties) {
    auto control = ControlFor(prop, *spec, /*required=*/true);
    if (!control) continue;
    const auto& with = kinds_of[prop];
    if (with.size() < group.variants.size()) {
      std::string only;
      for (size_t i = 0; i < with.size(); ++i) {
        only += (i == 0 ? "" : i + 1 == with.size() ? " and " : ", ") + with[i];
      }
      control->label += " (" + AsciiLower(only) + " only)";
    }
    // One kind's enum is another's free text (an observation's result is Yes or No, a test's a
    // measured value): such a property is asked as text, and checked against its kind's schema.
    if (with.size() > 1 && control->kind != Kind::kInput) {
      control->kind = Kind::kInput;
      control->options.clear();
    }
    group.row_fields.push_back(std::move(*control));
  }
  return std::optional<RecordGroup>(std::move(group));
}

Result<SchemaForm> BuildSchemaForm(const passport::CredentialTypeInfo& info) {
  LANYARD_ASSIGN_OR_RETURN(json::Value schema, json::Parse(passport::SchemaText(info.type)));
  std::vector<std::string> required;
  if (const json::Value* r = schema.Find("required"); r != nullptr && r->is_array()) {
    for (const auto& n : r->as_array()) {
      if (n.is_string()) required.push_back(n.as_string());
    }
  }
  SchemaForm form;
  const json::Value* props = schema.Find("properties");
  if (props == nullptr || !props->is_object()) return form;
  for (const auto& [name, property] : props->as_object()) {
    bool is_required = std::find(required.begin(), required.end(), name) != required.end();
    LANYARD_ASSIGN_OR_RETURN(auto group, RecordGroupFor(name, property));
    if (group) {
      form.groups.push_back(std::move(*group));
      continue;
    }
    auto control = ControlFor(name, property, is_required);
    if (!control) continue;
    const std::string* type = property.FindString("type");
    form.types[name] = type != nullptr ? *type : "string";
    if (is_required && type != nullptr && *type == "string" &&
        property.Find("minLength") == nullptr && property.Find("enum") == nullptr &&
        property.Find("format") == nullptr && property.Find("pattern") == nullptr) {
      form.empty_allowed.push_back(name);
    }
    form.fields.push_back(std::move(*control));
  }
  return form;
}

// Each type's form, built once from its compiled-in schema (which never changes while the
// program runs); a copy per request takes the values and errors.
Result<SchemaForm> SchemaFormFor(const passport::CredentialTypeInfo& info) {
  static const auto* forms = [] {
    auto* built = new std::map<std::string_view, Result<SchemaForm>>();
    for (const auto& type : passport::AllCredentialTypes()) {
      built->emplace(type.name, BuildSchemaForm(type));
    }
    return built;
  }();
  return forms->at(info.name);
}

// The buttons of a repeating group: "add" names the group, "remove" the row (NAME-ROW).
constexpr std::string_view kAddRowButton = "add_row";
constexpr std::string_view kRemoveRowButton = "remove_row";

// A group's rows as the form has them (each row's values by property), after its "add another"
// or "remove" button when that is what was pressed. At least one row, at most max_rows.
std::vector<std::map<std::string, std::string>> GroupRows(const RecordGroup& group,
                                                          const FormData& data) {
  const std::string count_text = data.Get(group.name + "-rows");
  size_t count = 1;
  if (!count_text.empty() && count_text.size() <= 3 &&
      count_text.find_first_not_of("0123456789") == std::string::npos) {
    count = std::clamp<size_t>(std::stoul(count_text), 1, group.max_rows);
  }
  const std::string removed = data.Get(kRemoveRowButton);
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t i = 0; i < count; ++i) {
    if (removed == group.name + "-" + std::to_string(i)) continue;
    std::map<std::string, std::string> row;
    for (const FieldView& f : group.row_fields) {
      row[f.name] = data.Get(RecordGroup::FieldName(group.name, i, f.name));
    }
    rows.push_back(std::move(row));
  }
  if (data.Get(kAddRowButton) == group.name && rows.size() < group.max_rows) rows.emplace_back();
  if (rows.empty()) rows.emplace_back();
  return rows;
}

// Whether the form was sent by a group's "add another" or "remove" button (not to issue).
bool ChangesRows(const FormData& data) {
  return !data.Get(kAddRowButton).empty() || !data.Get(kRemoveRowButton).empty();
}

// A group as the issue form shows it.
json::Value GroupView(const RecordGroup& group, const FormData& data, const FormErrors& errors) {
  const auto rows = GroupRows(group, data);
  json::Array row_views;
  for (size_t i = 0; i < rows.size(); ++i) {
    json::Array fields;
    for (FieldView f : group.row_fields) {
      const std::string property = f.name;
      f.name = RecordGroup::FieldName(group.name, i, property);
      f.value = rows[i].contains(property) ? rows[i].at(property) : "";
      f.error = errors.For(f.name);
      fields.push_back(f.ToJson());
    }
    row_views.push_back(json::Value(
        json::Object{{"row_legend", json::Value("Record " + std::to_string(i + 1))},
                     {"fields", json::Value(std::move(fields))},
                     {"remove_value", json::Value(group.name + "-" + std::to_string(i))},
                     {"remove_label", json::Value("Remove record " + std::to_string(i + 1))}}));
  }
  json::Value view = json::Object{};
  // Prefixed names: a row's fields must not find the group's values by Mustache's outward lookup.
  view.Set("is_group", true);
  view.Set("group_name", group.name);
  view.Set("group_legend", group.legend);
  view.Set("group_hint", group.hint);
  view.Set("rows_name", group.name + "-rows");
  view.Set("row_count", std::to_string(rows.size()));
  view.Set("can_add", rows.size() < group.max_rows);
  view.Set("rows", json::Value(std::move(row_views)));
  return view;
}

// A schema error as a field error. A missing property names its field ("Enter applicant first
// name"; in a record of a group, "Enter the code of record 2"); other paths name the field they
// start with. `field` turns a property into its form field, and `record` names the record ("" for
// the form's own properties).
void AddSchemaError(const passport::SchemaError& e, FormErrors& errors,
                    const std::function<std::string(std::string_view)>& field,
                    std::string_view record) {
  const std::string missing = "missing required property \"";
  if (e.path == "(root)" && e.message.starts_with(missing)) {
    std::string property = e.message.substr(missing.size());
    property = property.substr(0, property.find('"'));
    std::string words = Humanise(property);
    if (!words.empty()) words[0] = AsciiLower(words.substr(0, 1))[0];
    errors.Add(field(property), record.empty()
                                    ? "Enter " + words
                                    : "Enter the " + words + " of " + std::string(record));
    return;
  }
  const std::string property = e.path.substr(0, e.path.find_first_of(".["));
  std::string message = e.message;
  if (message.starts_with("must match the pattern") || message.starts_with("must be a date")) {
    message = "is not in the right format";
  }
  errors.Add(field(property), Humanise(property) + " " + message);
}

// A group's records: blank rows left out; each other row of the kind it chose, checked against
// that kind's schema, with every error at its row's field.
json::Value RecordsFrom(const RecordGroup& group, const FormData& data, FormErrors& errors) {
  json::Array items;
  const auto rows = GroupRows(group, data);
  for (size_t i = 0; i < rows.size(); ++i) {
    auto field = [&](std::string_view property) {
      return RecordGroup::FieldName(group.name, i, property);
    };
    std::map<std::string, std::string> values;
    for (const auto& [property, value] : rows[i]) {
      if (auto v = TrimWhitespace(value); !v.empty()) values[property] = std::string(v);
    }
    if (values.empty()) continue;
    const std::string kind = values.contains("recordType") ? values.at("recordType") : "";
    const RecordGroup::Variant* variant = nullptr;
    for (const auto& v : group.variants) {
      if (v.kind == kind) variant = &v;
    }
    if (variant == nullptr) {
      errors.Add(field("recordType"), "Choose the kind of record " + std::to_string(i + 1) + " is");
      continue;
    }
    json::Value item = json::Object{};
    item.Set("recordType", kind);
    for (const auto& [property, value] : values) {
      if (property == "recordType") continue;
      if (std::find(variant->properties.begin(), variant->properties.end(), property) ==
          variant->properties.end()) {
        errors.Add(field(property), Humanise(property) + " is not part of a " +
                                        AsciiLower(Humanise(kind)) + " record: leave it empty");
        continue;
      }
      item.Set(property, value);
    }
    for (const passport::SchemaError& e : variant->schema->Validate(item, 16)) {
      AddSchemaError(e, errors, field, "record " + std::to_string(i + 1));
    }
    items.push_back(std::move(item));
  }
  return json::Value(std::move(items));
}

// The claims a filled form gives: empty fields left out, text trimmed, booleans and integers
// typed, lists one item per line, lists of records from their groups. A value that is not of
// its type is a field error.
json::Value ClaimsFrom(const SchemaForm& form, const FormData& data, FormErrors& errors) {
  json::Value claims = json::Object{};
  for (const RecordGroup& group : form.groups) {
    json::Value records = RecordsFrom(group, data, errors);
    if (!records.as_array().empty()) claims.Set(group.name, std::move(records));
  }
  for (const auto& field : form.fields) {
    std::string value(TrimWhitespace(data.Get(field.name)));
    if (value.empty()) {
      if (std::find(form.empty_allowed.begin(), form.empty_allowed.end(), field.name) !=
          form.empty_allowed.end()) {
        claims.Set(field.name, "");
      }
      continue;
    }
    const std::string& type = form.types.at(field.name);
    if (type == "boolean") {
      claims.Set(field.name, value == "true");
    } else if (type == "integer") {
      if (value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos) {
        errors.Add(field.name, Humanise(field.name) + " must be a whole number");
        continue;
      }
      claims.Set(field.name, static_cast<double>(std::stoll(value)));
    } else if (type == "array") {
      json::Array items;
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t eol = rest.find('\n');
        if (auto line = TrimWhitespace(rest.substr(0, eol)); !line.empty()) {
          items.emplace_back(std::string(line));
        }
        rest = eol == std::string_view::npos ? "" : rest.substr(eol + 1);
      }
      claims.Set(field.name, json::Value(std::move(items)));
    } else {
      claims.Set(field.name, value);
    }
  }
  return claims;
}

std::string StateWords(std::string_view state) {
  if (state == "active") return "Active";
  if (state == "revoked") return "Revoked";
  if (state == "suspended") return "Suspended";
  if (state == "replaced") return "Replaced";
  return Humanise(state);
}

}  // namespace

void Api::AddIssuerPages() {
  const ApiServices& s = s_;

  AddPage("GET", "/issue", "getIssueChoicePage", "Choose what to issue", kIssuers,
          [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org,
                                     s.store->GetOrganisation(ctx.principal.org_ods));
            json::Array types;
            for (const auto& info : passport::AllCredentialTypes()) {
              // Only what this person, in this kind of organisation, may issue.
              if (!s.issuer->CheckMayIssue(ctx.principal, org, info).ok()) continue;
              types.push_back(
                  json::Value(json::Object{{"name", json::Value(std::string(info.name))},
                                           {"title", json::Value(CredentialTitle(info.name))}}));
            }
            json::Value context = json::Object{};
            context.Set("types", json::Value(std::move(types)));
            return Page(ctx, "issue_choose", "Issue a credential", std::move(context));
          });

  auto issue_form = [this](RequestContext& ctx, const passport::CredentialTypeInfo& info,
                           const FormErrors& errors, int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(SchemaForm form, SchemaFormFor(info));
    json::Array fields;
    FieldView staff = Input(std::string(kStaffField), "Staff member's email address", "email");
    staff.hint = "The email address they signed up to their passport with";
    staff.value = ctx.form.Get(kStaffField);
    staff.error = errors.For(kStaffField);
    fields.push_back(staff.ToJson());
    for (auto& f : form.fields) {
      f.value = ctx.form.Get(f.name);
      f.error = errors.For(f.name);
      fields.push_back(f.ToJson());
    }
    for (const RecordGroup& group : form.groups) {
      fields.push_back(GroupView(group, ctx.form, errors));
    }
    FieldView format = Input(std::string(kFormatField), "Kind of credential");
    format.kind = Kind::kRadios;
    format.options = {{"di", "W3C verifiable credential (Data Integrity)"},
                      {"sd-jwt", "SD-JWT credential (the holder chooses which facts to show)"}};
    format.value = ctx.form.Has(kFormatField) ? ctx.form.Get(kFormatField) : "di";
    format.error = errors.For(kFormatField);
    fields.push_back(format.ToJson());
    FieldView until = Input(std::string(kValidUntilField), "Valid until (optional)", "date");
    until.hint = "Leave empty unless the check itself ends on a date";
    until.value = ctx.form.Get(kValidUntilField);
    until.error = errors.For(kValidUntilField);
    fields.push_back(until.ToJson());
    json::Value context = json::Object{};
    context.Set("type", std::string(info.name));
    context.Set("heading", CredentialTitle(info.name));
    context.Set("fields", json::Value(std::move(fields)));
    context.Set("back_href", "/issue");
    return Page(ctx, "issue_form", "Issue: " + CredentialTitle(info.name),
                WithErrors(std::move(context), errors), status);
  };
  auto type_for = [&s](RequestContext& ctx) -> Result<const passport::CredentialTypeInfo*> {
    const auto* info = passport::FindCredentialType(ctx.params.Get("type"));
    if (info == nullptr || info->name != ctx.params.Get("type")) {
      return MakeError(Code::kNotFound, "issue.unknown_type", "no such credential type");
    }
    LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org,
                             s.store->GetOrganisation(ctx.principal.org_ods));
    LANYARD_TRY(s.issuer->CheckMayIssue(ctx.principal, org, *info));
    return info;
  };
  AddPage("GET", "/issue/{type}", "getIssueFormPage",
          "The form for one credential type, generated from its schema", kIssuers,
          [issue_form, type_for](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(const auto* info, type_for(ctx));
            return issue_form(ctx, *info, FormErrors(), 200);
          });
  AddPage("POST", "/issue/{type}", "issueWithForm", "Issue one credential from the form", kIssuers,
          [&s, issue_form, type_for](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(const auto* info, type_for(ctx));
            LANYARD_ASSIGN_OR_RETURN(SchemaForm form, SchemaFormFor(*info));
            // "Add another record" or "Remove": the same form again, one row more or less.
            if (ChangesRows(ctx.form)) return issue_form(ctx, *info, FormErrors(), 200);
            FormErrors errors;
            std::string email = ctx.form.Get(kStaffField);
            std::string subject;
            if (email.empty()) {
              errors.Add(std::string(kStaffField), "Enter the staff member's email address");
            } else if (auto user = s.store->FindUserByEmail(email); !user.ok()) {
              errors.Add(std::string(kStaffField),
                         "There is no staff passport account with this email address. Invite them "
                         "first");
            } else {
              subject = user->id;
            }
            json::Value claims = ClaimsFrom(form, ctx.form, errors);
            {
              // Every error at once, by field; issuance validates again, as for any caller.
              LANYARD_ASSIGN_OR_RETURN(auto schema, passport::CredentialSchema(info->type));
              json::Value with_type = claims;
              with_type.Set("recordType", std::string(info->record_type));
              for (const auto& e : schema.Validate(with_type, 32)) {
                // Records were checked row by row, against their own kind (RecordsFrom).
                const bool in_group = std::any_of(
                    form.groups.begin(), form.groups.end(),
                    [&](const RecordGroup& g) { return e.path.starts_with(g.name + "["); });
                if (!in_group) {
                  AddSchemaError(
                      e, errors, [](std::string_view p) { return std::string(p); }, "");
                }
              }
            }
            std::string format = ctx.form.Get(kFormatField);
            if (format != "di" && format != "sd-jwt") {
              errors.Add(std::string(kFormatField), "Choose the kind of credential");
            }
            std::optional<TimePoint> valid_until;
            if (std::string until = ctx.form.Get(kValidUntilField); !until.empty()) {
              auto t = passport::IsCalendarDate(until)
                           ? ParseRfc3339(until + "T23:59:59Z")
                           : Result<TimePoint>(MakeError(Code::kInvalidArgument, "date", "date"));
              if (!t.ok()) {
                errors.Add(std::string(kValidUntilField), "Enter a real date, like 31 3 2027");
              } else {
                valid_until = *t;
              }
            }
            if (!errors.empty()) return issue_form(ctx, *info, errors, 400);
            service::IssueRequest request;
            request.subject_user_id = subject;
            request.type = std::string(info->name);
            request.format = format;
            request.claims = std::move(claims);
            request.valid_until = valid_until;
            auto issued = s.issuer->Issue(ctx.principal, ctx.principal.org_ods, std::move(request));
            if (!issued.ok()) {
              const Error& e = issued.error();
              if (e.code != Code::kInvalidArgument && e.code != Code::kFailedPrecondition &&
                  e.code != Code::kNotFound) {
                return e;
              }
              errors.Add(std::string(kStaffField), e.message);
              return issue_form(ctx, *info, errors, 400);
            }
            return SeeOther("/issued/" + issued->record.id + "?done=issued");
          });

  AddPage("GET", "/issued", "getIssuedPage", "What this organisation issued, newest first",
          kIssuers, [this, &s](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(
                auto records, s.store->ListIssuedCredentials(ctx.principal.org_ods, "", {100, 0}));
            json::Array rows;
            for (const auto& r : records) {
              auto user = s.store->GetUser(r.subject_user_id);
              rows.push_back(json::Value(json::Object{
                  {"id", json::Value(r.id)},
                  {"title", json::Value(CredentialTitle(r.type))},
                  {"staff", json::Value(user.ok() ? user->display_name : std::string("Unknown"))},
                  {"issued", json::Value(FormatDate(r.issued))},
                  {"state", json::Value(StateWords(r.state))}}));
            }
            json::Value context = json::Object{};
            context.Set("has_rows", !rows.empty());
            context.Set("rows", json::Value(std::move(rows)));
            return Page(ctx, "issued", "Issued credentials", std::move(context));
          });

  auto issued_page = [this, &s](RequestContext& ctx, const std::string& id,
                                const FormErrors& errors, int status) -> Result<ServerResponse> {
    LANYARD_ASSIGN_OR_RETURN(auto r, s.issuer->Get(ctx.principal, ctx.principal.org_ods, id));
    auto user = s.store->GetUser(r.subject_user_id);
    json::Value context = json::Object{};
    context.Set("id", r.id);
    context.Set("heading", CredentialTitle(r.type));
    context.Set("staff", user.ok() ? user->display_name : std::string("Unknown"));
    context.Set("issued", FormatDateTime(r.issued));
    context.Set("state", StateWords(r.state));
    context.Set("format", r.format == "sd-jwt" ? "SD-JWT" : "Data Integrity");
    if (r.valid_until) context.Set("valid_until", FormatDate(*r.valid_until));
    std::string done = ctx.Query("done");
    if (done == "issued")
      context.Set("notice", "Credential issued. It is in the staff member's passport now.");
    if (done == "revoke") context.Set("notice", "Credential revoked.");
    if (done == "suspend") context.Set("notice", "Credential suspended.");
    if (done == "reinstate") context.Set("notice", "Credential reinstated.");
    context.Set("can_revoke", r.state == "active" || r.state == "suspended");
    context.Set("can_suspend", r.state == "active");
    context.Set("can_reinstate", r.state == "suspended");
    FieldView action = Input("action", "What do you want to do?");
    action.kind = Kind::kRadios;
    if (r.state == "active") action.options.push_back({"suspend", "Suspend it for now"});
    if (r.state == "suspended") action.options.push_back({"reinstate", "Reinstate it"});
    if (r.state == "active" || r.state == "suspended") {
      action.options.push_back({"revoke", "Revoke it for good"});
    }
    action.value = ctx.form.Get("action");
    action.error = errors.For("action");
    FieldView reason = Input("reason", "Reason");
    reason.kind = Kind::kTextarea;
    reason.hint = "Kept in the record of who did what. Do not include clinical details";
    reason.value = ctx.form.Get("reason");
    reason.error = errors.For("reason");
    context.Set("can_change", !action.options.empty());
    context.Set("fields", json::Value(json::Array{action.ToJson(), reason.ToJson()}));
    context.Set("back_href", "/issued");
    return Page(ctx, "issued_one", CredentialTitle(r.type), WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/issued/{id}", "getIssuedCredentialPage",
          "One issued credential, with revoke, suspend and reinstate", kIssuers,
          [issued_page](RequestContext& ctx) -> Result<ServerResponse> {
            return issued_page(ctx, ctx.params.Get("id"), FormErrors(), 200);
          });
  AddPage("POST", "/issued/{id}/status", "changeStatusWithForm",
          "Revoke, suspend or reinstate an issued credential with a reason", kIssuers,
          [&s, issued_page](RequestContext& ctx) -> Result<ServerResponse> {
            const std::string& id = ctx.params.Get("id");
            std::string what = ctx.form.Get("action");
            std::string reason = ctx.form.Get("reason");
            FormErrors errors;
            std::optional<service::StatusAction> action;
            if (what == "revoke") action = service::StatusAction::kRevoke;
            if (what == "suspend") action = service::StatusAction::kSuspend;
            if (what == "reinstate") action = service::StatusAction::kReinstate;
            if (!action) errors.Add("action", "Choose what to do");
            if (reason.empty()) errors.Add("reason", "Enter the reason");
            if (reason.size() > 500) errors.Add("reason", "Reason must be 500 characters or fewer");
            if (!errors.empty()) return issued_page(ctx, id, errors, 400);
            auto changed =
                s.issuer->ChangeStatus(ctx.principal, ctx.principal.org_ods, id, *action, reason);
            if (!changed.ok()) {
              if (changed.error().code != Code::kFailedPrecondition &&
                  changed.error().code != Code::kInvalidArgument) {
                return changed.error();
              }
              errors.Add("action", changed.error().message);
              return issued_page(ctx, id, errors, 409);
            }
            return SeeOther("/issued/" + id + "?done=" + what);
          });

  // --- bulk upload ---
  auto bulk_service = [&s]() -> Result<service::BulkIssueService*> {
    if (s.bulk == nullptr) {
      return MakeError(Code::kUnavailable, "job.unavailable", "bulk upload is off");
    }
    return s.bulk;
  };
  auto bulk_form = [this](RequestContext& ctx, const FormErrors& errors, int status) {
    FieldView file = Input("file", "CSV file", "file");
    file.hint =
        "An ESR-style report saved as CSV (UTF-8): one row per credential, with a "
        "staff_number or email column, credential_type, and the claims' columns";
    file.error = errors.For("file");
    json::Value context = json::Object{};
    context.Set("fields", json::Value(json::Array{file.ToJson()}));
    return Page(ctx, "bulk_upload", "Upload a file of credentials",
                WithErrors(std::move(context), errors), status);
  };
  AddPage("GET", "/bulk-upload", "getBulkUploadPage", "Upload a CSV file to issue in bulk",
          kIssuers, [bulk_form](RequestContext& ctx) -> Result<ServerResponse> {
            return bulk_form(ctx, FormErrors(), 200);
          });
  AddPage("POST", "/bulk-upload", "startBulkIssueWithForm",
          "Start issuing one credential per row of an uploaded CSV file", kIssuers,
          [bulk_service, bulk_form](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, bulk_service());
            const FormField* file = ctx.form.File("file");
            FormErrors errors;
            if (file == nullptr || file->value.empty()) {
              errors.Add("file", "Select a CSV file");
              return bulk_form(ctx, errors, 400);
            }
            auto job = bulk->Start(ctx.principal, ctx.principal.org_ods, file->value);
            if (!job.ok()) {
              if (job.error().code == Code::kPermissionDenied) return job.error();
              errors.Add("file", job.error().message);
              return bulk_form(ctx, errors, 400);
            }
            return SeeOther("/bulk-upload/" + job->id);
          });
  AddPage("GET", "/bulk-upload/{id}", "getBulkJobPage",
          "A bulk upload's progress, and its errors when done", kIssuers,
          [this, bulk_service](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, bulk_service());
            LANYARD_ASSIGN_OR_RETURN(
                store::JobRecord job,
                bulk->Get(ctx.principal, ctx.principal.org_ods, ctx.params.Get("id")));
            const bool finished = job.state == "done" || job.state == "failed";
            json::Value context = json::Object{};
            context.Set("id", job.id);
            context.Set("poll", "/orgs/" + job.org_ods + "/jobs/" + job.id);
            context.Set("finished", finished);
            context.Set("failed_job", job.state == "failed");
            context.Set("total", static_cast<double>(job.total));
            context.Set("done", static_cast<double>(job.done));
            context.Set("issued", static_cast<double>(job.done - job.failed));
            context.Set("failed", static_cast<double>(job.failed));
            context.Set("max", static_cast<double>(std::max<int64_t>(job.total, 1)));
            json::Array rows;
            for (const auto& e : service::JobErrors(job)) {
              if (rows.size() >= 50) break;
              rows.push_back(json::Value(json::Object{
                  {"line",
                   json::Value(e.line == 0 ? std::string("Whole file") : std::to_string(e.line))},
                  {"message", json::Value(e.message)}}));
            }
            context.Set("has_errors_list", !rows.empty());
            context.Set("error_rows", json::Value(std::move(rows)));
            return Page(ctx, "bulk_job", finished ? "Upload finished" : "Upload in progress",
                        std::move(context));
          });
  AddPage("GET", "/bulk-upload/{id}/errors.csv", "getBulkJobErrorReport",
          "A bulk upload's rows that failed, as CSV", kIssuers,
          [bulk_service](RequestContext& ctx) -> Result<ServerResponse> {
            LANYARD_ASSIGN_OR_RETURN(service::BulkIssueService * bulk, bulk_service());
            LANYARD_ASSIGN_OR_RETURN(
                store::JobRecord job,
                bulk->Get(ctx.principal, ctx.principal.org_ods, ctx.params.Get("id")));
            ServerResponse r;
            r.content_type = "text/csv; charset=utf-8";
            r.body = service::JobErrorsCsv(job);
            r.headers.push_back({"Content-Disposition",
                                 "attachment; filename=\"bulk-issue-errors-" + job.id + ".csv\""});
            r.headers.push_back({"Cache-Control", "no-store"});
            return r;
          });

  // --- invitations ---
  auto invite_form = [this](RequestContext& ctx, const FormErrors& errors, int status,
                            json::Value extra) {
    auto field = [&](std::string name, std::string label, std::string type) {
      FieldView f = Input(name, std::move(label), std::move(type));
      f.value = ctx.form.Get(name);
      f.error = errors.For(name);
      f.autocomplete = "off";
      return f.ToJson();
    };
    json::Value context = extra.is_object() ? std::move(extra) : json::Value(json::Object{});
    context.Set("fields",
                json::Value(json::Array{field("display_name", "Full name", "text"),
                                        field("email", "Email address", "email"),
                                        field("staff_number", "Staff number (optional)", "text")}));
    return Page(ctx, "invite", "Invite a staff member", WithErrors(std::move(context), errors),
                status);
  };
  AddPage("GET", "/staff/invite", "getInvitePage", "Invite a staff member to their passport",
          kInviters, [invite_form](RequestContext& ctx) -> Result<ServerResponse> {
            return invite_form(ctx, FormErrors(), 200, json::Value());
          });
  AddPage("POST", "/staff/invite", "inviteWithForm", "Invite a staff member", kInviters,
          [&s, invite_form](RequestContext& ctx) -> Result<ServerResponse> {
            FormErrors errors;
            std::string name = ctx.form.Get("display_name");
            std::string email = ctx.form.Get("email");
            if (name.empty()) errors.Add("display_name", "Enter their full name");
            if (email.empty()) errors.Add("email", "Enter their email address");
            if (!errors.empty()) return invite_form(ctx, errors, 400, json::Value());
            auto invited = s.accounts->Invite(ctx.principal, ctx.principal.org_ods, email, name,
                                              ctx.form.Get("staff_number"));
            if (!invited.ok()) {
              if (invited.error().code != Code::kInvalidArgument) return invited.error();
              errors.Add("email", invited.error().message);
              return invite_form(ctx, errors, 400, json::Value());
            }
            json::Value extra = json::Object{};
            extra.Set("code", invited->secret);
            extra.Set("invited", name);
            return invite_form(ctx, FormErrors(), 200, std::move(extra));
          });
}

}  // namespace lanyard::http
