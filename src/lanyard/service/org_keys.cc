#include "lanyard/service/org_keys.h"

#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/json/value.h"

namespace lanyard::service {
namespace {

Error Corrupt(std::string what) {
  return MakeError(Code::kInternal, "org.keys_corrupt",
                   "an organisation's list of earlier keys is damaged: " + std::move(what));
}

}  // namespace

Result<std::vector<RetiredKey>> ParseRetiredKeys(std::string_view text) {
  std::vector<RetiredKey> out;
  if (text.empty()) return out;
  auto parsed = json::Parse(text);
  if (!parsed.ok()) return Corrupt("not JSON");
  if (!parsed->is_array()) return Corrupt("not a list");
  if (parsed->as_array().size() > kMaxRetiredKeys) return Corrupt("too many keys");
  for (const json::Value& item : parsed->as_array()) {
    const std::string* id = item.FindString("id");
    const std::string* since = item.FindString("since");
    if (id == nullptr || id->empty() || since == nullptr)
      return Corrupt("a key without id or date");
    auto at = ParseRfc3339(*since);
    if (!at.ok()) return Corrupt("a key with a bad date");
    RetiredKey key;
    key.key_id = *id;
    key.since = *at;
    if (const json::Value* c = item.Find("compromised"); c != nullptr) {
      if (!c->is_bool()) return Corrupt("\"compromised\" is not true or false");
      key.compromised = c->as_bool();
    }
    if (const std::string* reason = item.FindString("reason")) key.reason = *reason;
    out.push_back(std::move(key));
  }
  return out;
}

std::string RetiredKeysJson(const std::vector<RetiredKey>& keys) {
  json::Array items;
  for (const RetiredKey& k : keys) {
    json::Value v = json::Object{};
    v.Set("id", k.key_id);
    v.Set("since", FormatRfc3339(k.since));
    v.Set("compromised", k.compromised);
    if (!k.reason.empty()) v.Set("reason", k.reason);
    items.push_back(std::move(v));
  }
  return json::Serialize(json::Value(std::move(items)));
}

Result<std::vector<OrgKeyView>> OrganisationKeys(const store::OrganisationRecord& org) {
  std::vector<OrgKeyView> keys;
  if (!org.signing_key_id.empty()) keys.push_back({org.signing_key_id, "active", std::nullopt, ""});
  LANYARD_ASSIGN_OR_RETURN(auto retired, ParseRetiredKeys(org.retired_keys));
  for (auto it = retired.rbegin(); it != retired.rend(); ++it) {
    keys.push_back(
        {it->key_id, it->compromised ? "compromised" : "retired", it->since, it->reason});
  }
  return keys;
}

}  // namespace lanyard::service
