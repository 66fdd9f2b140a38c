#include "lanyard/http/form.h"

#include <algorithm>

#include "lanyard/core/text.h"
#include "lanyard/core/utf8.h"

namespace lanyard::http {
namespace {

constexpr size_t kMaxNameBytes = 200;

Error Malformed(std::string message) {
  return MakeError(Code::kInvalidArgument, "form.malformed", std::move(message));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A parameter of a header value ("form-data; name=\"x\"; filename=\"y\""), unquoted. Browsers
// escape a quote inside a name as %22, so a quoted value simply runs to the next quote.
std::optional<std::string> HeaderParameter(std::string_view value, std::string_view name) {
  size_t at = 0;
  while ((at = value.find(';', at)) != std::string_view::npos) {
    ++at;
    std::string_view rest = TrimBlanks(value.substr(at));
    size_t eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(TrimBlanks(rest.substr(0, eq)), name)) continue;
    std::string_view v = TrimBlanks(rest.substr(eq + 1));
    if (!v.empty() && v.front() == '"') {
      size_t close = v.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      return std::string(v.substr(1, close - 1));
    }
    return std::string(v.substr(0, v.find(';')));
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Malformed("a percent escape is not two hex digits");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Status FormData::Add(FormField field) {
  if (fields_.size() >= kMaxFormFields) {
    return MakeError(Code::kResourceExhausted, "form.too_large", "the form has too many fields");
  }
  if (field.name.empty()) return Malformed("a form field has no name");
  if (field.name.size() > kMaxNameBytes ||
      (!field.is_file && field.value.size() > kMaxFormValueBytes)) {
    return MakeError(Code::kResourceExhausted, "form.too_large",
                     "a form field's name or value is too long");
  }
  if (!IsValidUtf8(field.name) || !IsValidUtf8(field.filename) ||
      (!field.is_file && !IsValidUtf8(field.value))) {
    return MakeError(Code::kInvalidArgument, "form.not_utf8", "a form field is not UTF-8 text");
  }
  fields_.push_back(std::move(field));
  return OkStatus();
}

Result<FormData> FormData::ParseUrlEncoded(std::string_view body) {
  FormData form;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    FormField f;
    LANYARD_ASSIGN_OR_RETURN(f.name, FormDecode(pair.substr(0, eq)));
    if (eq != std::string_view::npos) {
      LANYARD_ASSIGN_OR_RETURN(f.value, FormDecode(pair.substr(eq + 1)));
    }
    LANYARD_TRY(form.Add(std::move(f)));
  }
  return form;
}

Result<FormData> FormData::ParseMultipart(std::string_view boundary, std::string_view body) {
  // RFC 7578: a boundary is 1..70 characters; each part starts with CRLF--boundary.
  if (boundary.empty() || boundary.size() > 70) return Malformed("a bad multipart boundary");
  const std::string delimiter = "--" + std::string(boundary);
  if (!body.starts_with(delimiter)) return Malformed("the body does not start with its boundary");
  const std::string next = "\r\n" + delimiter;
  FormData form;
  size_t at = delimiter.size();
  while (true) {
    if (body.substr(at, 2) == "--") return form;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return Malformed("a boundary line is not ended");
    at += 2;
    size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return Malformed("a part's headers are not ended");
    std::string_view headers = body.substr(at, headers_end - at);
    size_t content_start = headers_end + 4;
    size_t content_end = body.find(next, content_start);
    if (content_end == std::string_view::npos) return Malformed("a part is not closed");
    FormField f;
    bool named = false;
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed("a part header has no colon");
      if (!EqualsIgnoreCase(TrimBlanks(line.substr(0, colon)), "content-disposition")) continue;
      std::string_view value = line.substr(colon + 1);
      auto name = HeaderParameter(value, "name");
      if (!name) return Malformed("a part has no name");
      f.name = *name;
      named = true;
      if (auto filename = HeaderParameter(value, "filename")) {
        f.is_file = true;
        f.filename = *filename;
      }
    }
    if (!named) return Malformed("a part has no Content-Disposition name");
    f.value = std::string(body.substr(content_start, content_end - content_start));
    LANYARD_TRY(form.Add(std::move(f)));
    at = content_end + next.size();
  }
}

Result<FormData> FormData::Parse(std::string_view content_type, std::string_view body) {
  std::string_view media = TrimBlanks(content_type.substr(0, content_type.find(';')));
  if (EqualsIgnoreCase(media, "application/x-www-form-urlencoded")) {
    return ParseUrlEncoded(body);
  }
  if (EqualsIgnoreCase(media, "multipart/form-data")) {
    auto boundary = HeaderParameter(content_type, "boundary");
    if (!boundary) return Malformed("a multipart body without a boundary");
    return ParseMultipart(*boundary, body);
  }
  return MakeError(Code::kInvalidArgument, "form.unsupported_media_type",
                   "send the form as application/x-www-form-urlencoded or multipart/form-data");
}

std::string FormData::Get(std::string_view name) const {
  for (const auto& f : fields_) {
    if (!f.is_file && f.name == name) return f.value;
  }
  return "";
}

std::vector<std::string> FormData::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& f : fields_) {
    if (!f.is_file && f.name == name) out.push_back(f.value);
  }
  return out;
}

bool FormData::Has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const FormField& f) { return f.name == name; });
}

const FormField* FormData::File(std::string_view name) const {
  for (const auto& f : fields_) {
    if (f.is_file && f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace lanyard::http
