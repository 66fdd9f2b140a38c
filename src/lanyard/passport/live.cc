#include "lanyard/passport/live.h"

#include <algorithm>

#include "lanyard/json/parser.h"

namespace lanyard::passport {
namespace {

Error Invalid(const std::string& where, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "live.invalid",
                   "the live-service simulator file is invalid at " + where + ": " + why);
}

template <typename V>
const V* Find(const std::vector<std::pair<std::string, V>>& table, const std::string& key) {
  for (const auto& [k, v] : table) {
    if (k == key) return &v;
  }
  return nullptr;
}

LiveAnswer Unavailable(std::string detail) {
  LiveAnswer a;
  a.outcome = LiveOutcome::kUnavailable;
  a.code = "unavailable";
  a.detail = std::move(detail);
  return a;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

Result<std::unique_ptr<LiveSimulator>> LiveSimulator::FromText(std::string_view text) {
  json::ParseOptions options;
  options.max_bytes = 16 * 1024 * 1024;
  options.max_depth = 16;
  auto doc = json::Parse(text, options);
  if (!doc.ok()) return Invalid("the top level", "not JSON (" + doc.error().reason + ")");
  if (!doc->is_object()) return Invalid("the top level", "expected an object");
  std::unique_ptr<LiveSimulator> sim(new LiveSimulator());
  for (const auto& [key, value] : doc->as_object()) {
    if (key == "register") {
      if (!value.is_object()) return Invalid("register", "expected an object");
      for (const auto& [k, v] : value.as_object()) {
        const std::string* status = v.FindString("status");
        if (status == nullptr) return Invalid("register." + k, "no status");
        static constexpr std::string_view kStatuses[] = {
            "registered", "registered_with_conditions", "suspended", "lapsed", "removed"};
        if (std::find(std::begin(kStatuses), std::end(kStatuses), *status) == std::end(kStatuses)) {
          return Invalid("register." + k + ".status", "unknown status \"" + *status + "\"");
        }
        Register r{*status, {}};
        if (const json::Value* c = v.Find("conditions"); c != nullptr) {
          if (!c->is_array()) return Invalid("register." + k + ".conditions", "expected a list");
          for (const auto& item : c->as_array()) {
            if (!item.is_string()) return Invalid("register." + k + ".conditions", "not text");
            r.conditions.push_back(item.as_string());
          }
        }
        sim->register_.emplace_back(k, std::move(r));
      }
    } else if (key == "dbs_update_service") {
      if (!value.is_object()) return Invalid("dbs_update_service", "expected an object");
      for (const auto& [k, v] : value.as_object()) {
        static constexpr std::string_view kCodes[] = {"NO_MATCH_FOUND", "BLANK_NO_NEW_INFO",
                                                      "NON_BLANK_NO_NEW_INFO", "NEW_INFO"};
        if (!v.is_string() ||
            std::find(std::begin(kCodes), std::end(kCodes), v.as_string()) == std::end(kCodes)) {
          return Invalid("dbs_update_service." + k, "not a DBS Update Service result code");
        }
        sim->dbs_.emplace_back(k, v.as_string());
      }
    } else if (key == "home_office") {
      if (!value.is_object()) return Invalid("home_office", "expected an object");
      for (const auto& [k, v] : value.as_object()) {
        const std::string* result = v.FindString("result");
        if (result == nullptr || (*result != "confirmed" && *result != "not_confirmed")) {
          return Invalid("home_office." + k + ".result", "confirmed or not_confirmed");
        }
        HomeOffice h{*result, std::nullopt};
        if (const std::string* e = v.FindString("permission_expiry")) h.expiry = *e;
        sim->home_office_.emplace_back(k, std::move(h));
      }
    } else if (key == "unavailable") {
      if (!value.is_array()) return Invalid("unavailable", "expected a list");
      for (const auto& s : value.as_array()) {
        std::string name = s.is_string() ? s.as_string() : "";
        if (name == "register") {
          sim->register_down_ = true;
        } else if (name == "dbs_update_service") {
          sim->dbs_down_ = true;
        } else if (name == "home_office") {
          sim->home_office_down_ = true;
        } else {
          return Invalid("unavailable", "unknown service \"" + name + "\"");
        }
      }
    } else {
      return Invalid(key, "unknown member");
    }
  }
  return sim;
}

LiveAnswer LiveSimulator::Lookup(std::string_view regulator, std::string_view number) const {
  if (register_down_) return Unavailable("The register did not answer (simulated outage).");
  const Register* r = Find(register_, std::string(regulator) + ":" + std::string(number));
  if (r == nullptr) {
    return Unavailable("The register simulator has no entry for " + std::string(regulator) + " " +
                       std::string(number) + ".");
  }
  LiveAnswer a;
  a.code = r->status;
  a.conditions = r->conditions;
  bool practising = r->status == "registered" || r->status == "registered_with_conditions";
  a.outcome = practising ? LiveOutcome::kConfirmed : LiveOutcome::kNegative;
  a.detail = "The " + std::string(regulator) + " register (simulator) shows " +
             std::string(number) + " as " + r->status + ".";
  return a;
}

LiveAnswer LiveSimulator::StatusCheck(std::string_view certificate_number, std::string_view,
                                      std::string_view) const {
  if (dbs_down_) return Unavailable("The DBS Update Service did not answer (simulated outage).");
  const std::string* code = Find(dbs_, std::string(certificate_number));
  if (code == nullptr) {
    return Unavailable("The DBS Update Service simulator has no entry for certificate " +
                       std::string(certificate_number) + ".");
  }
  LiveAnswer a;
  a.code = *code;
  // NO_MATCH_FOUND: the details do not match a subscribed certificate; not a confirmation.
  a.outcome = *code == "BLANK_NO_NEW_INFO" || *code == "NON_BLANK_NO_NEW_INFO"
                  ? LiveOutcome::kConfirmed
                  : LiveOutcome::kNegative;
  a.detail = "The DBS Update Service (simulator) answered " + *code + ".";
  return a;
}

std::string LiveSimulator::HomeOfficeKey(std::string_view surname, std::string_view birth_date) {
  return Upper(surname) + "|" + std::string(birth_date);
}

LiveAnswer LiveSimulator::Check(std::string_view surname, std::string_view birth_date) const {
  if (home_office_down_) return Unavailable("The Home Office check did not answer (simulated outage).");
  const HomeOffice* h = Find(home_office_, HomeOfficeKey(surname, birth_date));
  if (h == nullptr) {
    return Unavailable("The Home Office simulator has no entry for this person.");
  }
  LiveAnswer a;
  a.code = h->result;
  a.expiry_date = h->expiry;
  a.outcome = h->result == "confirmed" ? LiveOutcome::kConfirmed : LiveOutcome::kNegative;
  a.detail = "The Home Office online check (simulator) answered " + h->result + ".";
  return a;
}

std::string_view RegulatorShortName(std::string_view body) {
  if (body == "General Medical Council") return "GMC";
  if (body == "Nursing and Midwifery Council") return "NMC";
  if (body == "Health and Care Professions Council") return "HCPC";
  if (body == "General Dental Council") return "GDC";
  if (body == "General Pharmaceutical Council") return "GPhC";
  return {};
}

}  // namespace lanyard::passport
