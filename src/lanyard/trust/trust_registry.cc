#include "lanyard/trust/trust_registry.h"

#include <algorithm>
#include <array>
#include <limits>

#include "lanyard/json/parser.h"

namespace lanyard::trust {
namespace {

constexpr std::array<std::string_view, 7> kKindNames = {
    "trust",   "lead_employer", "regulator", "occupational_health", "learning_provider",
    "primary_care", "agency"};
constexpr std::array<std::string_view, 7> kAgreementNames = {
    "memorandum_of_understanding", "workforce_sharing", "licence_to_attend",
    "lead_employer_hosting",       "collaborative_bank", "secondment",
    "honorary_contract"};
constexpr std::array<std::string_view, 3> kKeyStatusNames = {"active", "retired", "compromised"};

Error Invalid(const std::string& where, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "registry.invalid",
                   "the trust registry is invalid at " + where + ": " + why);
}

template <typename Enum, size_t N>
Result<Enum> ParseName(const std::array<std::string_view, N>& names, std::string_view name,
                       const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return MakeError(Code::kInvalidArgument, "registry.invalid",
                   "\"" + std::string(name.substr(0, 60)) + "\" is not a known " + what);
}

// A tiny reader that names the member it is looking at in every error.
class Reader {
 public:
  Reader(const json::Value& v, std::string path) : v_(v), path_(std::move(path)) {}

  Status RequireObject() const {
    return v_.is_object() ? Status{} : Status(Invalid(path_, "expected an object"));
  }
  Result<std::string> String(std::string_view key, bool required = true) const {
    const json::Value* m = v_.Find(key);
    if (m == nullptr) {
      if (!required) return std::string();
      return Invalid(path_ + "." + std::string(key), "missing");
    }
    if (!m->is_string() || (required && m->as_string().empty())) {
      return Invalid(path_ + "." + std::string(key), "expected a non-empty string");
    }
    return m->as_string();
  }
  Result<std::vector<std::string>> Strings(std::string_view key, bool required = true) const {
    std::vector<std::string> out;
    const json::Value* m = v_.Find(key);
    if (m == nullptr) {
      if (!required) return out;
      return Invalid(path_ + "." + std::string(key), "missing");
    }
    if (!m->is_array()) return Invalid(path_ + "." + std::string(key), "expected a list");
    for (size_t i = 0; i < m->as_array().size(); ++i) {
      const json::Value& s = m->as_array()[i];
      if (!s.is_string() || s.as_string().empty()) {
        return Invalid(path_ + "." + std::string(key) + "[" + std::to_string(i) + "]",
                       "expected a non-empty string");
      }
      out.push_back(s.as_string());
    }
    return out;
  }
  Result<std::optional<TimePoint>> Time(std::string_view key, bool required) const {
    const json::Value* m = v_.Find(key);
    if (m == nullptr || m->is_null()) {
      if (required) return Invalid(path_ + "." + std::string(key), "missing");
      return std::optional<TimePoint>();
    }
    if (!m->is_string()) return Invalid(path_ + "." + std::string(key), "expected a date-time");
    auto t = ParseRfc3339(m->as_string());
    if (!t.ok()) {
      return Invalid(path_ + "." + std::string(key),
                     "\"" + m->as_string().substr(0, 40) + "\" is not an RFC 3339 date-time");
    }
    return std::optional<TimePoint>(*t);
  }
  // "from" (required) and "until" (optional, after from).
  Status Period(TimePoint* from, std::optional<TimePoint>* until) const {
    LANYARD_ASSIGN_OR_RETURN(auto start, Time("from", true));
    *from = *start;
    LANYARD_ASSIGN_OR_RETURN(*until, Time("until", false));
    if (*until && **until <= *from) return Invalid(path_ + ".until", "not after from");
    return {};
  }
  const json::Array* List(std::string_view key) const {
    const json::Value* m = v_.Find(key);
    return m != nullptr && m->is_array() ? &m->as_array() : nullptr;
  }
  const std::string& path() const { return path_; }

 private:
  const json::Value& v_;
  std::string path_;
};

template <typename Enum, size_t N>
Result<Enum> ParseAt(const std::array<std::string_view, N>& names, const std::string& value,
                     const std::string& where, const char* what) {
  auto parsed = ParseName<Enum>(names, value, what);
  if (!parsed.ok()) return Invalid(where, parsed.error().message);
  return parsed;
}

Result<Organisation> ReadOrganisation(const json::Value& v, const std::string& path) {
  Reader r(v, path);
  LANYARD_TRY(r.RequireObject());
  Organisation org;
  LANYARD_ASSIGN_OR_RETURN(org.ods, r.String("ods"));
  LANYARD_ASSIGN_OR_RETURN(org.name, r.String("name"));
  LANYARD_ASSIGN_OR_RETURN(org.region, r.String("region", false));
  LANYARD_ASSIGN_OR_RETURN(org.ics, r.String("ics", false));
  LANYARD_ASSIGN_OR_RETURN(auto kinds, r.Strings("kinds"));
  if (kinds.empty()) return Invalid(path + ".kinds", "an organisation has at least one kind");
  for (size_t i = 0; i < kinds.size(); ++i) {
    LANYARD_ASSIGN_OR_RETURN(OrgKind kind,
                             ParseAt<OrgKind>(kKindNames, kinds[i],
                                              path + ".kinds[" + std::to_string(i) + "]",
                                              "organisation kind"));
    org.kinds.push_back(kind);
  }
  LANYARD_ASSIGN_OR_RETURN(org.identifiers, r.Strings("identifiers"));
  if (const json::Array* keys = r.List("keys")) {
    for (size_t i = 0; i < keys->size(); ++i) {
      std::string kpath = path + ".keys[" + std::to_string(i) + "]";
      Reader k((*keys)[i], kpath);
      LANYARD_TRY(k.RequireObject());
      KeyState key;
      LANYARD_ASSIGN_OR_RETURN(key.id, k.String("id"));
      LANYARD_ASSIGN_OR_RETURN(std::string status, k.String("status"));
      LANYARD_ASSIGN_OR_RETURN(key.status, ParseAt<KeyStatus>(kKeyStatusNames, status,
                                                              kpath + ".status", "key status"));
      LANYARD_ASSIGN_OR_RETURN(key.since, k.Time("since", key.status != KeyStatus::kActive));
      org.keys.push_back(std::move(key));
    }
  } else if (v.Find("keys") != nullptr) {
    return Invalid(path + ".keys", "expected a list");
  }
  return org;
}

Result<Authorisation> ReadAuthorisation(const json::Value& v, const std::string& path) {
  Reader r(v, path);
  LANYARD_TRY(r.RequireObject());
  Authorisation a;
  LANYARD_ASSIGN_OR_RETURN(a.ods, r.String("organisation"));
  LANYARD_ASSIGN_OR_RETURN(a.credential_types, r.Strings("credentialTypes"));
  if (a.credential_types.empty()) return Invalid(path + ".credentialTypes", "empty");
  LANYARD_TRY(r.Period(&a.from, &a.until));
  return a;
}

Result<Agreement> ReadAgreement(const json::Value& v, const std::string& path) {
  Reader r(v, path);
  LANYARD_TRY(r.RequireObject());
  Agreement a;
  LANYARD_ASSIGN_OR_RETURN(a.id, r.String("id"));
  LANYARD_ASSIGN_OR_RETURN(std::string type, r.String("type"));
  LANYARD_ASSIGN_OR_RETURN(a.type, ParseAt<AgreementType>(kAgreementNames, type, path + ".type",
                                                          "agreement type"));
  LANYARD_ASSIGN_OR_RETURN(a.parties, r.Strings("parties"));
  if (a.parties.size() < 2) return Invalid(path + ".parties", "an agreement has two parties or more");
  LANYARD_TRY(r.Period(&a.from, &a.until));
  LANYARD_ASSIGN_OR_RETURN(a.description, r.String("description", false));
  return a;
}

json::Array StringArray(const std::vector<std::string>& items) {
  json::Array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

std::string_view OrgKindName(OrgKind kind) { return kKindNames[static_cast<size_t>(kind)]; }
Result<OrgKind> ParseOrgKind(std::string_view name) {
  return ParseName<OrgKind>(kKindNames, name, "organisation kind");
}
std::string_view AgreementTypeName(AgreementType type) {
  return kAgreementNames[static_cast<size_t>(type)];
}
Result<AgreementType> ParseAgreementType(std::string_view name) {
  return ParseName<AgreementType>(kAgreementNames, name, "agreement type");
}
std::string_view KeyStatusName(KeyStatus status) {
  return kKeyStatusNames[static_cast<size_t>(status)];
}

bool Organisation::HasKind(OrgKind kind) const {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

Result<TrustRegistry> TrustRegistry::FromJson(const json::Value& document) {
  if (!document.is_object()) return Invalid("the top level", "expected an object");
  const std::string* format = document.FindString("format");
  if (format == nullptr || *format != kRegistryFormat) {
    return MakeError(Code::kInvalidArgument, "registry.unsupported_format",
                     "the trust registry's format must be \"" + std::string(kRegistryFormat) +
                         "\"");
  }
  TrustRegistry reg;
  const json::Value* serial = document.Find("serial");
  if (serial == nullptr || !serial->is_number() || serial->as_number() < 0 ||
      serial->as_number() > 9007199254740991.0 ||
      serial->as_number() != static_cast<double>(static_cast<uint64_t>(serial->as_number()))) {
    return Invalid("serial", "expected a whole number");
  }
  reg.serial_ = static_cast<uint64_t>(serial->as_number());
  if (const std::string* issued = document.FindString("issued")) reg.issued_ = *issued;
  auto read_list = [&](std::string_view key, auto read, auto* out) -> Status {
    const json::Value* list = document.Find(key);
    if (list == nullptr) return {};
    if (!list->is_array()) return Invalid(std::string(key), "expected a list");
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      LANYARD_ASSIGN_OR_RETURN(auto item, read(list->as_array()[i], std::string(key) + "[" +
                                                                        std::to_string(i) + "]"));
      out->push_back(std::move(item));
    }
    return {};
  };
  LANYARD_TRY(read_list("organisations", ReadOrganisation, &reg.organisations_));
  LANYARD_TRY(read_list("authorisations", ReadAuthorisation, &reg.authorisations_));
  LANYARD_TRY(read_list("agreements", ReadAgreement, &reg.agreements_));
  LANYARD_TRY(reg.Index());
  return reg;
}

Result<TrustRegistry> TrustRegistry::FromText(std::string_view text) {
  json::ParseOptions options;
  options.max_bytes = 256 * 1024 * 1024;  // a national registry with its DID documents
  options.max_depth = 32;
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) {
    return MakeError(Code::kInvalidArgument, "registry.invalid",
                     "the trust registry is not valid JSON: " + parsed.error().message);
  }
  return FromJson(*parsed);
}

Status TrustRegistry::Index() {
  grants_.assign(organisations_.size(), {});
  for (uint32_t i = 0; i < organisations_.size(); ++i) {
    const Organisation& org = organisations_[i];
    std::string path = "organisations[" + std::to_string(i) + "]";
    if (!by_ods_.emplace(org.ods, i).second) {
      return Invalid(path + ".ods", "the ODS code " + org.ods + " appears twice");
    }
    for (const auto& id : org.identifiers) {
      if (!by_identifier_.emplace(id, i).second) {
        return Invalid(path + ".identifiers", id.substr(0, 120) + " belongs to two organisations");
      }
    }
    for (uint32_t k = 0; k < org.keys.size(); ++k) {
      if (!keys_.emplace(org.keys[k].id, std::make_pair(i, k)).second) {
        return Invalid(path + ".keys", org.keys[k].id.substr(0, 120) + " is listed twice");
      }
    }
  }
  for (size_t a = 0; a < authorisations_.size(); ++a) {
    const Authorisation& auth = authorisations_[a];
    auto org = by_ods_.find(auth.ods);
    if (org == by_ods_.end()) {
      return Invalid("authorisations[" + std::to_string(a) + "].organisation",
                     "no organisation has the ODS code " + auth.ods.substr(0, 40));
    }
    for (const auto& type : auth.credential_types) {
      auto [it, added] = type_ids_.emplace(type, static_cast<uint32_t>(type_ids_.size()));
      (void)added;
      grants_[org->second].push_back(
          Grant{it->second, ToUnixSeconds(auth.from),
                auth.until ? ToUnixSeconds(*auth.until) : std::numeric_limits<int64_t>::max()});
    }
  }
  for (auto& g : grants_) {
    std::sort(g.begin(), g.end(), [](const Grant& a, const Grant& b) { return a.type < b.type; });
  }
  for (size_t a = 0; a < agreements_.size(); ++a) {
    for (const auto& party : agreements_[a].parties) {
      if (by_ods_.find(party) == by_ods_.end()) {
        return Invalid("agreements[" + std::to_string(a) + "].parties",
                       "no organisation has the ODS code " + party.substr(0, 40));
      }
    }
  }
  return {};
}

const Organisation* TrustRegistry::FindByIdentifier(std::string_view identifier) const {
  auto it = by_identifier_.find(identifier);
  return it == by_identifier_.end() ? nullptr : &organisations_[it->second];
}

const Organisation* TrustRegistry::FindByOds(std::string_view ods) const {
  auto it = by_ods_.find(ods);
  return it == by_ods_.end() ? nullptr : &organisations_[it->second];
}

Authority TrustRegistry::MayIssue(std::string_view identifier, std::string_view credential_type,
                                  TimePoint at) const {
  auto org = by_identifier_.find(identifier);
  if (org == by_identifier_.end()) return Authority::kUnknownIssuer;
  auto type = type_ids_.find(credential_type);
  if (type == type_ids_.end()) return Authority::kNotAuthorised;
  const std::vector<Grant>& grants = grants_[org->second];
  int64_t t = ToUnixSeconds(at);
  auto it = std::lower_bound(grants.begin(), grants.end(), type->second,
                             [](const Grant& g, uint32_t id) { return g.type < id; });
  for (; it != grants.end() && it->type == type->second; ++it) {
    if (it->from <= t && t < it->until) return Authority::kAuthorised;
  }
  return Authority::kNotAuthorised;
}

const KeyState* TrustRegistry::FindKey(std::string_view key_id) const {
  auto it = keys_.find(key_id);
  if (it == keys_.end()) return nullptr;
  return &organisations_[it->second.first].keys[it->second.second];
}

std::vector<const Agreement*> TrustRegistry::AgreementsBetween(std::string_view ods_a,
                                                               std::string_view ods_b,
                                                               TimePoint at) const {
  std::vector<const Agreement*> out;
  for (const auto& a : agreements_) {
    bool has_a = std::find(a.parties.begin(), a.parties.end(), ods_a) != a.parties.end();
    bool has_b = std::find(a.parties.begin(), a.parties.end(), ods_b) != a.parties.end();
    if (has_a && has_b && a.InForce(at)) out.push_back(&a);
  }
  return out;
}

json::Value TrustRegistry::ToJson() const {
  json::Array orgs;
  for (const auto& o : organisations_) {
    json::Value v = json::Object{};
    v.Set("ods", o.ods);
    v.Set("name", o.name);
    json::Array kinds;
    for (OrgKind k : o.kinds) kinds.emplace_back(OrgKindName(k));
    v.Set("kinds", std::move(kinds));
    if (!o.region.empty()) v.Set("region", o.region);
    if (!o.ics.empty()) v.Set("ics", o.ics);
    v.Set("identifiers", StringArray(o.identifiers));
    if (!o.keys.empty()) {
      json::Array keys;
      for (const auto& k : o.keys) {
        json::Value kv = json::Object{};
        kv.Set("id", k.id);
        kv.Set("status", KeyStatusName(k.status));
        if (k.since) kv.Set("since", FormatRfc3339(*k.since));
        keys.push_back(std::move(kv));
      }
      v.Set("keys", std::move(keys));
    }
    orgs.push_back(std::move(v));
  }
  json::Array auths;
  for (const auto& a : authorisations_) {
    json::Value v = json::Object{};
    v.Set("organisation", a.ods);
    v.Set("credentialTypes", StringArray(a.credential_types));
    v.Set("from", FormatRfc3339(a.from));
    if (a.until) v.Set("until", FormatRfc3339(*a.until));
    auths.push_back(std::move(v));
  }
  json::Array agreements;
  for (const auto& a : agreements_) {
    json::Value v = json::Object{};
    v.Set("id", a.id);
    v.Set("type", AgreementTypeName(a.type));
    v.Set("parties", StringArray(a.parties));
    v.Set("from", FormatRfc3339(a.from));
    if (a.until) v.Set("until", FormatRfc3339(*a.until));
    if (!a.description.empty()) v.Set("description", a.description);
    agreements.push_back(std::move(v));
  }
  json::Value out = json::Object{};
  out.Set("format", kRegistryFormat);
  out.Set("serial", static_cast<double>(serial_));
  if (!issued_.empty()) out.Set("issued", issued_);
  out.Set("organisations", std::move(orgs));
  out.Set("authorisations", std::move(auths));
  out.Set("agreements", std::move(agreements));
  return out;
}

}  // namespace lanyard::trust
