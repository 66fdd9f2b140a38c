#include "lanyard/service/publications.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/hmac.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/json/parser.h"
#include "lanyard/service/sharing_service.h"
#include "lanyard/trust/trust_bundle.h"

namespace lanyard::service {
namespace {

constexpr size_t kPage = 1000;

// Two requests creating the signer at once would leave two keys with the label; the first
// (lowest id) is the one used, and the lock keeps one process from making two.
std::mutex bundle_key_mu;

Result<std::shared_ptr<const crypto::Signer>> BundleSigner(crypto::KeyStore& keys) {
  std::lock_guard lock(bundle_key_mu);
  LANYARD_ASSIGN_OR_RETURN(auto list, keys.List());
  for (const auto& k : list) {
    if (k.label == kBundleSignerLabel && k.type == crypto::KeyType::kEd25519) {
      return keys.GetSigner(k.id);
    }
  }
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyInfo made,
                           keys.Generate(crypto::KeyType::kEd25519, kBundleSignerLabel));
  return keys.GetSigner(made.id);
}

std::string CsvField(std::string_view v) {
  bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos;
  // A leading =, +, - or @ would be read as a formula by spreadsheet programs.
  bool formula = !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@');
  std::string out;
  if (formula) out += '\'';
  out += v;
  if (!quote) return out;
  std::string q = "\"";
  for (char c : out) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string Date(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

}  // namespace

Result<std::string> BundleSignerDid(crypto::KeyStore& keys) {
  LANYARD_ASSIGN_OR_RETURN(auto signer, BundleSigner(keys));
  return did::DidKeyFromPublicKey(signer->public_key());
}

Result<json::Value> BuildDeploymentTrustBundle(const store::Store& store,
                                               const IssuerService& issuer,
                                               crypto::KeyStore& keys, const Clock& clock) {
  LANYARD_ASSIGN_OR_RETURN(trust::TrustRegistry registry, RegistryFromStore(store));
  LANYARD_ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
  std::map<std::string, did::DidDocument> documents;
  for (const auto& org : orgs) {
    auto doc = issuer.DidDocumentFor(org.ods);
    if (!doc.ok()) continue;  // an organisation without a key yet has no document
    LANYARD_ASSIGN_OR_RETURN(did::DidDocument parsed, did::ParseDidDocument(*doc, org.did));
    documents.emplace(org.did, std::move(parsed));
  }
  LANYARD_ASSIGN_OR_RETURN(auto signer, BundleSigner(keys));
  trust::BundleBuildOptions options;
  options.now = clock.Now();
  return trust::BuildTrustBundle(registry, documents, *signer, options);
}

Result<std::string> ExportEventsCsv(const store::Store& store, ByteView key) {
  if (key.size() != 32) {
    return MakeError(Code::kInvalidArgument, "export.invalid_key",
                     "the pseudonymisation key is 32 bytes (64 hex digits)");
  }
  auto pseudonym = [&](std::string_view id) {
    auto mac = crypto::HmacSha256(
        key, ByteView(reinterpret_cast<const uint8_t*>(id.data()), id.size()));
    return HexEncode(ByteView(mac.data(), 16));
  };
  std::string out =
      "event,date,person,from_ods,to_ods,profile,movement,overall,reuse_count,reverify_count,"
      "repeat_count,override_count,days_to_report,credential_type\n";
  LANYARD_ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
  for (const auto& org : orgs) {
    // Share requests that reached a report: a movement into this organisation.
    for (size_t offset = 0;; offset += kPage) {
      LANYARD_ASSIGN_OR_RETURN(auto shares,
                               store.ListShareRequests(org.ods, "", store::Page{kPage, offset}));
      for (const auto& r : shares) {
        if (!r.received_at || r.staff_user_id.empty()) continue;
        std::string from, overall;
        int64_t counts[3] = {0, 0, 0};
        size_t overrides = 0;
        auto state = json::Parse(r.report_json);
        if (state.ok()) {
          if (const std::string* f = state->FindString("from")) from = *f;
          if (const json::Value* o = state->Find("overrides"); o != nullptr && o->is_array()) {
            overrides = o->as_array().size();
          }
          if (const json::Value* last = state->Find("last")) {
            if (const std::string* o = last->FindString("overall")) overall = *o;
            for (const char* group : {"checks", "training"}) {
              const json::Value* checks = last->Find(group);
              if (checks == nullptr || !checks->is_object()) continue;
              for (const auto& [name, check] : checks->as_object()) {
                const std::string* d = check.FindString("decision");
                if (d == nullptr) continue;
                if (*d == "reuse") ++counts[0];
                if (*d == "reverify") ++counts[1];
                if (*d == "repeat") ++counts[2];
              }
            }
          }
        }
        auto days = std::chrono::floor<std::chrono::days>(*r.received_at - r.created).count();
        out += "share.report," + Date(*r.received_at) + "," + pseudonym(r.staff_user_id) + "," +
               CsvField(from) + "," + CsvField(r.requesting_org) + "," +
               CsvField(r.profile.substr(0, r.profile.find('@'))) + "," + CsvField(r.movement) +
               "," + CsvField(overall) + "," + std::to_string(counts[0]) + "," +
               std::to_string(counts[1]) + "," + std::to_string(counts[2]) + "," +
               std::to_string(overrides) + "," + std::to_string(days) + ",\n";
      }
      if (shares.size() < kPage) break;
    }
    // Issuances: which checks organisations record for whom, and when.
    for (size_t offset = 0;; offset += kPage) {
      LANYARD_ASSIGN_OR_RETURN(auto issued,
                               store.ListIssuedCredentials(org.ods, "", store::Page{kPage, offset}));
      for (const auto& c : issued) {
        out += "credential.issue," + Date(c.issued) + "," + pseudonym(c.subject_user_id) + "," +
               CsvField(org.ods) + ",,,,,,,,,," + CsvField(c.type) + "\n";
        if (c.state == "revoked") {
          out += "credential.revoked,," + pseudonym(c.subject_user_id) + "," + CsvField(org.ods) +
                 ",,,,,,,,,," + CsvField(c.type) + "\n";
        }
      }
      if (issued.size() < kPage) break;
    }
  }
  return out;
}

json::Value DisclosureControlled(const std::map<std::string, int64_t>& counts) {
  std::vector<std::pair<int64_t, std::string>> order;
  int64_t total = 0;
  size_t small = 0;
  for (const auto& [name, n] : counts) {
    total += n;
    order.emplace_back(n, name);
    if (n > 0 && n < 5) ++small;
  }
  std::set<std::string> hidden;
  for (const auto& [name, n] : counts) {
    if (n > 0 && n < 5) hidden.insert(name);
  }
  // One hidden cell beside a published total could be recovered by subtraction: hide the next
  // smallest too.
  if (small == 1) {
    std::sort(order.begin(), order.end());
    for (const auto& [n, name] : order) {
      if (!hidden.count(name) && n > 0) {
        hidden.insert(name);
        break;
      }
    }
  }
  auto round5 = [](int64_t n) { return (n + 2) / 5 * 5; };
  json::Value cells = json::Object{};
  for (const auto& [name, n] : counts) {
    if (hidden.count(name)) {
      cells.Set(name, "<5");
    } else {
      cells.Set(name, static_cast<double>(round5(n)));
    }
  }
  json::Value out = json::Object{};
  out.Set("cells", std::move(cells));
  out.Set("total", total > 0 && total < 5 ? json::Value("<5")
                                          : json::Value(static_cast<double>(round5(total))));
  return out;
}

Result<json::Value> OrganisationSummary(const store::Store& store, std::string_view ods) {
  std::map<std::string, int64_t> by_type, by_state, shares_by_state, by_overall;
  for (size_t offset = 0;; offset += kPage) {
    LANYARD_ASSIGN_OR_RETURN(auto issued,
                             store.ListIssuedCredentials(ods, "", store::Page{kPage, offset}));
    for (const auto& c : issued) {
      ++by_type[c.type];
      ++by_state[c.state];
    }
    if (issued.size() < kPage) break;
  }
  for (size_t offset = 0;; offset += kPage) {
    LANYARD_ASSIGN_OR_RETURN(auto shares,
                             store.ListShareRequests(ods, "", store::Page{kPage, offset}));
    for (const auto& r : shares) {
      ++shares_by_state[r.state];
      auto state = json::Parse(r.report_json);
      if (state.ok() && state->Find("last") != nullptr) {
        if (const std::string* o = state->Find("last")->FindString("overall")) ++by_overall[*o];
      }
    }
    if (shares.size() < kPage) break;
  }
  json::Value out = json::Object{};
  out.Set("organisation", std::string(ods));
  out.Set("credentialsByType", DisclosureControlled(by_type));
  out.Set("credentialsByState", DisclosureControlled(by_state));
  out.Set("shareRequestsByState", DisclosureControlled(shares_by_state));
  out.Set("readinessByOutcome", DisclosureControlled(by_overall));
  return out;
}

}  // namespace lanyard::service
