// What the deployment publishes beyond single credentials: the signed trust bundle of its own
// organisations (for verifiers that work offline), the pseudonymised event export that feeds
// the movement research tools, and disclosure-controlled aggregates for analysts.
//
// Trust bundle: signed by the deployment's bundle key (Ed25519, kept in the key store with the
// label kBundleSignerLabel, made on first use); verifiers pin its did:key, which `lanyard serve`
// prints at start.
//
// Event export (CSV, one row per event; docs/event-export.md documents every column):
//   event,date,person,from_ods,to_ods,profile,movement,overall,reuse_count,reverify_count,
//   repeat_count,override_count,days_to_report,credential_type
// `person` is a keyed pseudonym: hex of HMAC-SHA256(key, user id), first 16 bytes. The same
// person gets the same pseudonym in every export made with the same key, and without the key no
// pseudonym can be linked to anyone. No names, emails or credential contents are exported.
//
// Aggregates: every count below 5 is suppressed ("<5"); when only one cell of a table would be
// suppressed, the next smallest is suppressed too (so the total cannot give it away); the rest
// are rounded to the nearest 5, as NHS workforce statistics are.
//
// Errors: the store's and key store's; export.invalid_key (kInvalidArgument) for a key that is
// not 32 bytes.
//
// Thread-safety: safe from many threads.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/clock.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/json/value.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

inline constexpr std::string_view kBundleSignerLabel = "lanyard trust bundle signer";

// The did:key of the deployment's bundle signer, creating the key on first use.
Result<std::string> BundleSignerDid(crypto::KeyStore& keys);

// The signed trust bundle of this deployment's organisations, valid for 30 days from now.
Result<json::Value> BuildDeploymentTrustBundle(const store::Store& store,
                                               const IssuerService& issuer,
                                               crypto::KeyStore& keys, const Clock& clock);

// The event export as CSV text.
Result<std::string> ExportEventsCsv(const store::Store& store, ByteView pseudonym_key);

// A one-dimensional table of counts under disclosure control: {"cells":{name: n|"<5"},
// "total": n}. Counts are the true ones; what comes out is safe to publish.
json::Value DisclosureControlled(const std::map<std::string, int64_t>& counts);

// An organisation's aggregates for analysts: credentials issued by type and by state, share
// requests by state and by overall readiness. Disclosure-controlled.
Result<json::Value> OrganisationSummary(const store::Store& store, std::string_view ods);

}  // namespace lanyard::service
