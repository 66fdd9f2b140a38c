// Pieces the web pages' routes share (internal to http/): redirects, dates in the NHS style,
// credential types and standings in plain English, form errors, and QR codes.
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/http/server.h"
#include "lanyard/json/value.h"
#include "lanyard/service/roles.h"

namespace lanyard::http {

// Where a signed-in principal starts: the first page their roles give.
std::string HomeFor(const service::Principal& principal);

// The session cookie's Set-Cookie value. __Host-: Secure, Path=/ and no Domain, so no other
// host or path can plant or read it. Browsers treat loopback as a secure context, so this works
// on http://127.0.0.1 too.
std::string SessionCookie(const std::string& token, std::chrono::seconds max_age);

// 303 See Other to a path of this service.
ServerResponse SeeOther(std::string location);

// A path to return to after signing in: only this service's own paths ("/..." but not "//..."
// or "/\..."), else "/home".
std::string SafeNext(std::string_view next);

// Readiness in words: an overall decision ("Cleared", "Cleared once live checks confirm", "Not
// cleared") and its tag's colour class; one item's decision as a tag {text, tag}.
std::string OverallWords(std::string_view overall);
std::string OverallTag(std::string_view overall);
json::Value DecisionTag(std::string_view decision);
// The employment checks and induction in report order, {id, name}; and any item by its name in
// a report ("dbs": "Criminal record (DBS)", "training.fire_safety": "Training: Fire safety").
std::span<const std::pair<std::string_view, std::string_view>> CheckNames();
std::string CheckWords(std::string_view item);

// A share request's role profile for people, from its reference (service/role_profiles.h):
// "Registered nurse", or "Registered nurse (local version 4)" for an organisation's own.
std::string ProfileTitle(std::string_view ref);

// A JSON Schema description as a form's hint: the sentences that note which DSP record or
// field a claim maps to ("DSP DBSCheckOutcome.certificateNumber.", "Named as in DSP
// RightToWork.legalSurname.") left out, and a list of DSP records after a colon cut off. Other
// mentions stay ("the code from DSP's ... model", "as the DSP allows").
std::string SchemaHint(std::string_view description);

// "1,234,567": counts as the NHS style guide writes them.
std::string FormatCount(uint64_t n);

// "28 November 2026" (UTC), as the NHS style guide writes dates.
std::string FormatDate(TimePoint t);
// "28 November 2026, 13:05" (UTC).
std::string FormatDateTime(TimePoint t);
// "2026-11-28" -> "28 November 2026"; the text itself when it is not a calendar date.
std::string FormatIsoDate(std::string_view date);

// An identifier as words in sentence case: "applicantFirstName", "permanent_transfer" and
// "foundation-doctor" become "Applicant first name", "Permanent transfer", "Foundation doctor".
std::string Humanise(std::string_view id);

// A credential type's name for people ("DBS check outcome"), from its schema's title; the
// type's identifier when it has none.
std::string CredentialTitle(std::string_view type);

// A wallet standing ("valid", "expiring", ...) as words and the design system's tag colour:
// {"text": "Expires in 12 days", "tag": "nhsuk-tag--yellow"}.
json::Value StandingTag(std::string_view standing, std::optional<int64_t> days_left);

// Form errors for the design system's error summary and each field's message.
class FormErrors {
 public:
  void Add(std::string field, std::string message);
  bool empty() const { return items_.empty(); }
  // The message for `field` ("" when none).
  std::string For(std::string_view field) const;
  // [{"href":"#field","text":message}] for the error summary.
  json::Value Summary() const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// `context` with the error summary's members (has_errors, errors) set from `errors`.
json::Value WithErrors(json::Value context, const FormErrors& errors);

// One form control for the `field` partial (web/templates/field.html).
struct FieldView {
  enum class Kind { kInput, kTextarea, kSelect, kRadios };
  struct Option {
    std::string value;
    std::string text;
  };
  std::string name;  // also the element id (options get name-N)
  std::string label;
  Kind kind = Kind::kInput;
  std::string type = "text";  // for inputs: text, email, password, date, number
  std::string value;          // the current value (the option selected)
  std::string hint;
  std::string error;
  std::string autocomplete;
  std::string width;  // the design system's input width class suffix ("10", "20"); "" for full
  std::vector<Option> options;

  json::Value ToJson() const;
};

// A text-like input (text, email, password, date, number).
FieldView Input(std::string name, std::string label, std::string type = "text");

// A QR code of `text` as one SVG path in a square of `size` modules (a 4-module quiet zone
// included): {"size": N, "path": "M4 4h1v1h-1z..."}. Errors: qr.too_long (kInvalidArgument).
Result<json::Value> QrCode(std::string_view text);

}  // namespace lanyard::http
