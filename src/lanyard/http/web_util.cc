#include "lanyard/http/web_util.h"

#include <qrencode.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <memory>
#include <vector>

#include "lanyard/core/time.h"
#include "lanyard/http/api.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/passport/json_schema.h"

namespace lanyard::http {
namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

std::string DayMonthYear(std::chrono::year_month_day ymd) {
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

}  // namespace

std::string SessionCookie(const std::string& token, std::chrono::seconds max_age) {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
}

ServerResponse SeeOther(std::string location) {
  ServerResponse r;
  r.status = 303;
  r.content_type = "";
  r.headers.push_back({"Location", std::move(location)});
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

std::string SafeNext(std::string_view next) {
  if (next.size() < 2 || next.size() > 512 || next.front() != '/' || next[1] == '/' ||
      next[1] == '\\') {
    return "/home";
  }
  for (char c : next) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f || c == '\\') return "/home";
  }
  return std::string(next);
}

namespace {
constexpr std::pair<std::string_view, std::string_view> kCheckNames[] = {
    {"identity", "Identity"},
    {"right_to_work", "Right to work"},
    {"registration", "Professional registration"},
    {"employment_history", "Employment history and references"},
    {"dbs", "Criminal record (DBS)"},
    {"work_health", "Work health assessment"},
    {"induction", "Corporate induction"},
};
}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> CheckNames() { return kCheckNames; }

std::string CheckWords(std::string_view item) {
  if (item.starts_with("training.")) return "Training: " + Humanise(item.substr(9));
  for (const auto& [id, name] : kCheckNames) {
    if (id == item) return std::string(name);
  }
  return Humanise(item);
}

std::string OverallWords(std::string_view overall) {
  if (overall == "cleared") return "Cleared";
  if (overall == "cleared_subject_to_reverification") return "Cleared once live checks confirm";
  if (overall == "not_cleared") return "Not cleared";
  return Humanise(overall);
}

std::string OverallTag(std::string_view overall) {
  if (overall == "cleared") return "nhsuk-tag--green";
  if (overall == "cleared_subject_to_reverification") return "nhsuk-tag--yellow";
  return "nhsuk-tag--red";
}

json::Value DecisionTag(std::string_view decision) {
  std::string text = "Reuse";
  std::string tag = "nhsuk-tag--green";
  if (decision == "reverify") {
    text = "Re-verify live";
    tag = "nhsuk-tag--yellow";
  } else if (decision == "repeat") {
    text = "Repeat";
    tag = "nhsuk-tag--red";
  } else if (decision == "not_required") {
    text = "Not required";
    tag = "nhsuk-tag--grey";
  }
  return json::Value(json::Object{{"text", json::Value(text)}, {"tag", json::Value(tag)}});
}

std::string ProfileTitle(std::string_view ref) {
  const size_t at = ref.find('@');
  std::string title = Humanise(ref.substr(0, at));
  if (at != std::string_view::npos) {
    title += " (local version " + std::string(ref.substr(at + 1)) + ")";
  }
  return title;
}

std::string SchemaHint(std::string_view description) {
  auto names_a_dsp_record = [](std::string_view sentence) {
    for (size_t at = sentence.find("DSP "); at != std::string_view::npos;
         at = sentence.find("DSP ", at + 4)) {
      if (at + 4 < sentence.size() && std::isupper(static_cast<unsigned char>(sentence[at + 4]))) {
        return true;
      }
    }
    return false;
  };
  std::string out;
  std::string_view rest = description;
  while (!rest.empty()) {
    size_t end = rest.find(". ");
    while (end != std::string_view::npos && end >= 3 &&
           (rest.substr(end - 3, 3) == "e.g" || rest.substr(end - 3, 3) == "i.e")) {
      end = rest.find(". ", end + 2);
    }
    std::string_view sentence =
        rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
    if (size_t list = sentence.find(": DSP "); list != std::string_view::npos) {
      sentence = sentence.substr(0, list);
    } else if (names_a_dsp_record(sentence)) {
      continue;
    }
    out += (out.empty() ? "" : " ") + std::string(sentence);
  }
  return out;
}

std::string FormatCount(uint64_t n) {
  std::string digits = std::to_string(n);
  for (size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

std::string FormatDate(TimePoint t) {
  return DayMonthYear(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)));
}

std::string FormatDateTime(TimePoint t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::minutes>(t - day));
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return DayMonthYear(std::chrono::year_month_day(day)) + ", " + clock;
}

std::string FormatIsoDate(std::string_view date) {
  if (!passport::IsCalendarDate(date)) return std::string(date);
  auto t = ParseRfc3339(std::string(date) + "T00:00:00Z");
  return t.ok() ? FormatDate(*t) : std::string(date);
}

std::string Humanise(std::string_view id) {
  // Initialisms people know in capitals.
  static constexpr std::string_view kInitialisms[] = {
      "dbs", "id", "epp", "tb", "ods", "gmc", "nmc", "hcpc", "nhs", "esr", "oh", "hr", "cstf"};
  std::vector<std::string> words(1);
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool starts_word = std::isupper(static_cast<unsigned char>(c)) && i > 0 &&
                             std::islower(static_cast<unsigned char>(id[i - 1]));
    if (c == '_' || c == '-' || c == ' ' || starts_word) words.emplace_back();
    if (c != '_' && c != '-' && c != ' ') words.back() += c;
  }
  std::string out;
  for (std::string& word : words) {
    if (word.empty()) continue;
    std::string lower = word;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool initialism = std::find(std::begin(kInitialisms), std::end(kInitialisms), lower) !=
                            std::end(kInitialisms);
    // A word in capitals stays so ("GPG45profile"); others are lower case after the first.
    const bool acronym = word.size() > 1 && std::isupper(static_cast<unsigned char>(word[1]));
    if (initialism) {
      for (char& ch : word) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    } else if (!acronym) {
      word = lower;
    }
    out += (out.empty() ? "" : " ") + word;
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string CredentialTitle(std::string_view type) {
  const passport::CredentialTypeInfo* info = passport::FindCredentialType(type);
  if (info == nullptr) return std::string(type);
  auto schema = passport::CredentialSchema(info->type);
  return schema.ok() && !schema->title().empty() ? schema->title() : std::string(type);
}

json::Value StandingTag(std::string_view standing, std::optional<int64_t> days_left) {
  std::string text = "Valid";
  std::string tag = "nhsuk-tag--green";
  if (standing == "expiring") {
    int64_t days = days_left.value_or(0);
    text = days <= 0   ? "Expires today"
           : days == 1 ? "Expires tomorrow"
                       : "Expires in " + std::to_string(days) + " days";
    tag = "nhsuk-tag--yellow";
  } else if (standing == "expired") {
    text = "Expired";
    tag = "nhsuk-tag--grey";
  } else if (standing == "suspended") {
    text = "Suspended";
    tag = "nhsuk-tag--orange";
  } else if (standing == "revoked") {
    text = "Revoked";
    tag = "nhsuk-tag--red";
  } else if (standing == "replaced") {
    text = "Replaced by a newer credential";
    tag = "nhsuk-tag--grey";
  } else if (standing != "valid") {
    text = std::string(standing);
    tag = "nhsuk-tag--grey";
  }
  return json::Value(json::Object{{"text", json::Value(text)}, {"tag", json::Value(tag)}});
}

void FormErrors::Add(std::string field, std::string message) {
  items_.emplace_back(std::move(field), std::move(message));
}

std::string FormErrors::For(std::string_view field) const {
  for (const auto& [f, m] : items_) {
    if (f == field) return m;
  }
  return "";
}

json::Value FormErrors::Summary() const {
  json::Array list;
  for (const auto& [field, message] : items_) {
    list.push_back(json::Value(
        json::Object{{"href", json::Value("#" + field)}, {"text", json::Value(message)}}));
  }
  return json::Value(std::move(list));
}

json::Value WithErrors(json::Value context, const FormErrors& errors) {
  context.Set("has_errors", !errors.empty());
  context.Set("errors", errors.Summary());
  return context;
}

FieldView Input(std::string name, std::string label, std::string type) {
  FieldView f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = std::move(type);
  return f;
}

json::Value FieldView::ToJson() const {
  json::Value v = json::Object{};
  v.Set("id", name);
  v.Set("name", name);
  v.Set("label", label);
  v.Set("type", type);
  v.Set("value", value);
  if (!hint.empty()) v.Set("hint", hint);
  if (!error.empty()) v.Set("error", error);
  if (!autocomplete.empty()) v.Set("autocomplete", autocomplete);
  if (!width.empty()) v.Set("width", width);
  std::string describedby;
  if (!hint.empty()) describedby = name + "-hint";
  if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + name + "-error";
  if (!describedby.empty()) v.Set("describedby", describedby);
  v.Set("is_input", kind == Kind::kInput);
  v.Set("is_textarea", kind == Kind::kTextarea);
  v.Set("is_select", kind == Kind::kSelect);
  v.Set("is_radios", kind == Kind::kRadios);
  json::Array opts;
  for (size_t i = 0; i < options.size(); ++i) {
    opts.push_back(json::Value(
        json::Object{{"option_id", json::Value(i == 0 ? name : name + "-" + std::to_string(i + 1))},
                     {"value", json::Value(options[i].value)},
                     {"text", json::Value(options[i].text)},
                     {"selected", json::Value(options[i].value == value)}}));
  }
  v.Set("options", json::Value(std::move(opts)));
  return v;
}

Result<json::Value> QrCode(std::string_view text) {
  // A share link or an authenticator's otpauth URI: well under version 10's capacity.
  if (text.empty() || text.size() > 1024) {
    return MakeError(Code::kInvalidArgument, "qr.too_long", "the text is too long for a QR code");
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(std::string(text).c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (code == nullptr) {
    return MakeError(Code::kInvalidArgument, "qr.too_long", "the text does not fit a QR code");
  }
  constexpr int kQuiet = 4;
  const int width = code->width;
  std::string path;
  path.reserve(static_cast<size_t>(width) * static_cast<size_t>(width) * 4);
  for (int y = 0; y < width; ++y) {
    int x = 0;
    while (x < width) {
      // Bit 0 of each byte is the module's colour (1: dark); a run of dark modules is one rect.
      if ((code->data[y * width + x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1) != 0) ++run;
      path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return json::Value(json::Object{{"size", json::Value(static_cast<double>(width + 2 * kQuiet))},
                                  {"path", json::Value(std::move(path))}});
}

}  // namespace lanyard::http
