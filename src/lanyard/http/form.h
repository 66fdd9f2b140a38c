// What a web page's form sends: application/x-www-form-urlencoded fields, or multipart/form-data
// fields and files (the bulk upload). Both are parsed in full before a handler runs, within
// fixed bounds, so a handler only ever sees well-formed UTF-8 text.
//
// Bounds: at most kMaxFormFields fields; a field name of at most 200 bytes; a text value of at
// most kMaxFormValueBytes; a file as large as the server's body limit. Anything else is refused:
//   form.malformed        (kInvalidArgument) a bad percent escape, a multipart body that does not
//                         follow its boundary, a part without a name
//   form.not_utf8         (kInvalidArgument) a name or text value that is not UTF-8
//   form.too_large        (kResourceExhausted) too many fields, or a name or value too long
//   form.unsupported_media_type (kInvalidArgument) neither of the two media types
//
// Thread-safety: values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"

namespace lanyard::http {

inline constexpr size_t kMaxFormFields = 500;
// Room for the largest text a page sends back: a checked role profile (at most 64 KiB) returns
// with the form that stores it, base64url-encoded (a third larger).
inline constexpr size_t kMaxFormValueBytes = 96 * 1024;

struct FormField {
  std::string name;
  std::string value;     // the text, or a file's bytes
  std::string filename;  // set for a file part (may be "" when the browser sent none)
  bool is_file = false;
};

class FormData {
 public:
  // Parses a request body by its Content-Type header value.
  static Result<FormData> Parse(std::string_view content_type, std::string_view body);
  static Result<FormData> ParseUrlEncoded(std::string_view body);
  static Result<FormData> ParseMultipart(std::string_view boundary, std::string_view body);

  // The first text field named `name` ("" when absent).
  std::string Get(std::string_view name) const;
  // Every text value of `name`, in order (checkboxes, repeated fields).
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const;
  // The first file part named `name`.
  const FormField* File(std::string_view name) const;

  const std::vector<FormField>& fields() const { return fields_; }

 private:
  Status Add(FormField field);
  std::vector<FormField> fields_;
};

// Decodes application/x-www-form-urlencoded text ('+' is a space). Errors: form.malformed.
Result<std::string> FormDecode(std::string_view text);
// Encodes a value for a URL's query (RFC 3986 unreserved characters kept).
std::string FormEncode(std::string_view text);

}  // namespace lanyard::http
