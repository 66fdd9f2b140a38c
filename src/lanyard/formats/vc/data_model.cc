#include "lanyard/formats/vc/data_model.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"

namespace lanyard::formats::vc {
namespace {

struct Checker {
  verify::VerificationReport* report;
  std::string subject;

  bool Fail(std::string code, std::string message) {
    report->Fail(std::move(code), std::move(message), subject);
    return false;
  }
  void Pass(std::string code, std::string message) {
    report->Pass(std::move(code), std::move(message), subject);
  }

  void Context(const json::Value& doc) {
    const json::Value* context = doc.Find("@context");
    if (context == nullptr) {
      Fail("context.missing", "There is no @context, so this is not a W3C credential.");
      return;
    }
    const json::Value* first = context->is_array() && !context->as_array().empty()
                                   ? &context->as_array().front()
                                   : context;
    if (!first->is_string() || first->as_string() != kCredentialsV2Context) {
      Fail("context.invalid", "The first @context entry must be " +
                                  std::string(kCredentialsV2Context) +
                                  " (Verifiable Credentials 2.0).");
      return;
    }
    if (context->is_array()) {
      for (const auto& entry : context->as_array()) {
        if (!entry.is_object() && !(entry.is_string() && IsAbsoluteUrl(entry.as_string()))) {
          Fail("context.invalid", "Every @context entry must be a URL or an object.");
          return;
        }
      }
    }
    Pass("context.valid", "The @context is that of Verifiable Credentials 2.0.");
  }

  void Type(const json::Value& doc, std::string_view required) {
    const json::Value* type = doc.Find("type");
    bool found = false, well_formed = type != nullptr;
    if (type != nullptr && type->is_string()) {
      found = type->as_string() == required;
    } else if (type != nullptr && type->is_array()) {
      for (const auto& t : type->as_array()) {
        if (!t.is_string())
          well_formed = false;
        else if (t.as_string() == required)
          found = true;
      }
    } else {
      well_formed = false;
    }
    if (!well_formed || !found) {
      Fail("type.invalid",
           "The type must be a list of names including " + std::string(required) + ".");
      return;
    }
    Pass("type.valid", "The type includes " + std::string(required) + ".");
  }

  void Id(const json::Value& doc) {
    const json::Value* id = doc.Find("id");
    if (id != nullptr && !(id->is_string() && IsAbsoluteUrl(id->as_string()))) {
      Fail("id.invalid", "The id must be a URL.");
    }
  }
};

}  // namespace

bool IsAbsoluteUrl(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  auto scheme = text.substr(0, colon);
  if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return false;
  if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
      })) {
    return false;
  }
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

Result<TimePoint> DateTimeValue(const json::Value& value) {
  if (!value.is_string()) {
    return MakeError(
        Code::kInvalidArgument, "input.invalid_datetime",
        "a date-time must be a string, not a " + std::string(json::KindName(value.kind())));
  }
  return ParseRfc3339(value.as_string());
}

std::string IssuerId(const json::Value& credential) {
  const json::Value* issuer = credential.Find("issuer");
  if (issuer == nullptr) return {};
  if (issuer->is_string()) return issuer->as_string();
  if (const std::string* id = issuer->FindString("id")) return *id;
  return {};
}

std::string CheckCredential(const json::Value& credential, TimePoint now, std::string_view subject,
                            verify::VerificationReport* report) {
  Checker c{report, std::string(subject)};
  if (!credential.is_object()) {
    c.Fail("credential.not_object", "The credential is not a JSON object.");
    return {};
  }
  c.Context(credential);
  c.Type(credential, "VerifiableCredential");
  c.Id(credential);

  std::string issuer = IssuerId(credential);
  const json::Value* issuer_value = credential.Find("issuer");
  if (issuer_value == nullptr) {
    c.Fail("issuer.missing", "The credential does not say who issued it.");
  } else if (!IsAbsoluteUrl(issuer)) {
    c.Fail("issuer.invalid", "The issuer must be a URL, or an object whose id is a URL.");
    issuer.clear();
  } else {
    c.Pass("issuer.valid", "The credential names its issuer, " + issuer + ".");
  }

  const json::Value* cs = credential.Find("credentialSubject");
  bool subject_ok = cs != nullptr && ((cs->is_object() && !cs->as_object().empty()) ||
                                      (cs->is_array() && !cs->as_array().empty()));
  if (subject_ok && cs->is_array()) {
    for (const auto& s : cs->as_array())
      subject_ok = subject_ok && s.is_object() && !s.as_object().empty();
  }
  if (!subject_ok) {
    c.Fail("subject.missing", "The credential says nothing about anyone (no credentialSubject).");
  } else {
    c.Pass("subject.present", "The credential has a subject.");
  }

  std::optional<TimePoint> from, until;
  bool times_ok = true;
  for (const char* field : {"validFrom", "validUntil"}) {
    const json::Value* v = credential.Find(field);
    if (v == nullptr) continue;
    auto t = DateTimeValue(*v);
    if (!t.ok()) {
      times_ok = c.Fail("validity.malformed",
                        std::string("The ") + field + " is not a date-time with a time zone.");
      continue;
    }
    (std::string_view(field) == "validFrom" ? from : until) = *t;
  }
  if (times_ok) {
    if (from && until && *until < *from) {
      c.Fail("validity.malformed", "The credential stops being valid before it starts.");
    } else if (from && now < *from) {
      c.Fail("validity.not_yet_valid", "The credential is not valid until " + FormatRfc3339(*from) +
                                           " (checked at " + FormatRfc3339(now) + ").");
    } else if (until && now > *until) {
      c.Fail("validity.expired", "The credential expired at " + FormatRfc3339(*until) +
                                     " (checked at " + FormatRfc3339(now) + ").");
    } else {
      c.Pass("validity.current",
             "The credential is within its validity period at " + FormatRfc3339(now) + ".");
    }
  }
  return issuer;
}

std::string CheckPresentation(const json::Value& presentation, std::string_view subject,
                              verify::VerificationReport* report) {
  Checker c{report, std::string(subject)};
  if (!presentation.is_object()) {
    c.Fail("presentation.not_object", "The presentation is not a JSON object.");
    return {};
  }
  c.Context(presentation);
  c.Type(presentation, "VerifiablePresentation");
  c.Id(presentation);
  const json::Value* holder = presentation.Find("holder");
  if (holder == nullptr) return {};
  std::string id = holder->is_string()        ? holder->as_string()
                   : holder->FindString("id") ? *holder->FindString("id")
                                              : std::string();
  if (!IsAbsoluteUrl(id)) {
    c.Fail("holder.invalid", "The holder must be a URL, or an object whose id is a URL.");
    return {};
  }
  return id;
}

std::string NewCredentialId(TimePoint now) {
  Bytes r = crypto::SecureRandomBytes(16);
  // Before 1970 or after the year 10889 there is no 48-bit millisecond count; clamp rather than
  // wrap, so the order still holds at the ends.
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  uint64_t unix_ms = static_cast<uint64_t>(std::clamp<int64_t>(ms, 0, (int64_t{1} << 48) - 1));
  for (int i = 0; i < 6; ++i) r[i] = static_cast<uint8_t>(unix_ms >> (8 * (5 - i)));
  r[6] = static_cast<uint8_t>((r[6] & 0x0f) | 0x70);  // UUID version 7
  r[8] = static_cast<uint8_t>((r[8] & 0x3f) | 0x80);  // RFC 9562 variant
  std::string hex = HexEncode(r);
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace lanyard::formats::vc
