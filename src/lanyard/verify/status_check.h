// Checking revocation and suspension: fetch the status list a credential names, verify it,
// cache it, and read the credential's entry. Fails closed: "status unknown" never reads as
// "cleared".
//
// What a credential may carry:
//   - Data Integrity / VC-JWT: credentialStatus, one BitstringStatusListEntry or an array of
//     them (revocation and suspension side by side); every entry is checked.
//   - SD-JWT VC: status.status_list {idx, uri}, an IETF Token Status List.
// A list is used only if it verifies: signed by the credential's own issuer (a key authorised
// for assertionMethod, or for an https issuer its published metadata), inside its validity
// period, of the purpose the entry names, at least 131,072 entries for a Bitstring list, and
// (for a token) typ statuslist+jwt with sub equal to the URI. The HTTP Content-Type is ignored.
//
// Report codes (subject as given by the caller):
//   status.current            PASS  the entry is 0 (not revoked / not suspended / valid)
//   status.revoked            FAIL
//   status.suspended          FAIL
//   status.unavailable        FAIL  the list could not be fetched (or, offline, is not cached)
//   status.list_invalid       FAIL  the list does not verify or does not decode
//   status.list_too_short     FAIL  a Bitstring list under 131,072 entries
//   status.index_out_of_range FAIL  the index is beyond the list
//   status.malformed          FAIL  the credential's own status entry is not well formed
//   status.unrecognised_value FAIL  a token status value other than 0, 1, 2
//   status.purpose_unsupported WARN an entry of a purpose that says nothing about validity
//
// Caching: verified lists are kept in memory until their ttl (the list's own, else the
// configured default; never past the list's validUntil / exp). With a cache directory, the
// fetched text is also kept on disk, re-verified when read back, so `--offline` can use it; its
// recorded fetch time is never taken as later than the file's own modification time, so a
// planted file cannot claim to be fresher than it is. A Bitstring list must name itself by its URL (`id`).
//
// Thread-safety: safe from several threads (lookups share a reader lock).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lanyard/core/clock.h"
#include "lanyard/core/http_client.h"
#include "lanyard/core/result.h"
#include "lanyard/did/resolver.h"
#include "lanyard/formats/status/status_list.h"
#include "lanyard/json/value.h"
#include "lanyard/trust/trust_registry.h"
#include "lanyard/verify/report.h"

namespace lanyard::verify {

// Status lists this process keeps itself: a service checking credentials its own organisations
// issued. Their entries are read straight from where the issuer keeps them, current at every
// call: no fetch, no signature to check, no cache to go stale, so a revocation shows at once and
// a check costs a lookup instead of publishing and verifying the list.
// Thread-safety: implementations are called from several threads at once.
class LocalStatusLists {
 public:
  struct Entry {
    bool token = false;   // an IETF Token Status List (else a Bitstring Status List)
    std::string issuer;   // whom the list is issued as; must be the credential's issuer
    std::string purpose;  // Bitstring: "revocation" or "suspension"
    uint64_t size = 0;    // entries in the list
    uint8_t value = 0;    // the entry's value now (0 for an index never reserved)
  };
  virtual ~LocalStatusLists() = default;
  // std::nullopt when `url` is not one of these lists (the checker then fetches as usual);
  // otherwise the entry at `index` (REQUIRES of the caller: index < size is checked by the
  // checker, an implementation may answer any value beyond it), or the source's own error
  // (e.g. the store is unavailable), which the checker reports as status.unavailable.
  virtual std::optional<Result<Entry>> Read(std::string_view url, uint64_t index) const = 0;
};

struct StatusCheckOptions {
  const HttpClient* http = nullptr;  // null: offline, the cache only
  // Read first: lists it knows are never fetched or cached. May be null.
  const LocalStatusLists* local = nullptr;
  std::string cache_dir;             // empty: memory only
  std::chrono::seconds default_ttl{300};
  size_t max_document_bytes = 4 * 1024 * 1024;  // the fetched list credential or token
  std::chrono::milliseconds timeout{5000};
  formats::status::ListLimits limits;  // the decompressed list
  std::chrono::seconds skew{60};
  // Offline, a cached list is used past its ttl (that is what offline means), but not when it
  // was fetched longer ago than this, nor past its own validUntil / exp.
  std::chrono::seconds max_offline_age{std::chrono::hours(24 * 7)};
  // When given, a list signed with a key the registry marks compromised is not used.
  const trust::TrustRegistry* trust = nullptr;
  // Most entries one credential may name; more is status.malformed (each may cost a fetch).
  size_t max_entries = 16;
  // Verified lists kept in memory, by decoded size; the cache starts over beyond it.
  size_t max_cache_bytes = 256 * 1024 * 1024;
};

class StatusChecker {
 public:
  StatusChecker(const did::Resolver& resolver, const Clock& clock, StatusCheckOptions options);
  ~StatusChecker();

  // `credential_status`: the credentialStatus value; `issuer`: the credential's issuer id.
  void CheckCredentialStatus(const json::Value& credential_status, std::string_view issuer,
                             std::string_view subject, VerificationReport* report) const;
  // `status`: an SD-JWT VC's status claim.
  void CheckTokenStatus(const json::Value& status, std::string_view issuer,
                        std::string_view subject, VerificationReport* report) const;

  // The hot path: the entry at `index` of the list at `url`, already fetched and verified by
  // Load or a check (for its issuer and kind), and still usable now.
  // Errors: status.unavailable (not cached, or expired), status.index_out_of_range.
  Result<uint8_t> Lookup(std::string_view url, uint64_t index) const;

  // Fetches (or reads from the cache) and verifies the list at `url` for `issuer`.
  // kind_token: an IETF Token Status List; otherwise a Bitstring Status List credential.
  // Errors: the report codes above as reasons.
  Status Load(std::string_view url, bool kind_token, std::string_view issuer) const;

  struct CachedList;

 private:
  Result<std::shared_ptr<const CachedList>> Get(std::string_view url, bool kind_token,
                                                std::string_view issuer) const;
  // The entry at `index` of the list at `url` (of `purpose`, for a Bitstring list), read from
  // options_.local when it knows the list, else from the fetched and verified list.
  Result<uint8_t> EntryValue(std::string_view url, bool kind_token, std::string_view issuer,
                             uint64_t index, std::string_view purpose) const;
  Result<std::shared_ptr<const CachedList>> VerifyText(std::string_view url, bool kind_token,
                                                       std::string_view issuer,
                                                       std::string_view text,
                                                       TimePoint fetched) const;

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const did::Resolver& resolver_;
  const Clock& clock_;
  StatusCheckOptions options_;
  mutable std::shared_mutex mu_;
  mutable size_t cache_bytes_ = 0;
  mutable std::unordered_map<std::string, std::shared_ptr<const CachedList>, StringHash,
                             std::equal_to<>>
      cache_;
};

// Stores a fetched list's text in a cache directory the way StatusChecker reads it back (used by
// the checker itself, and to prepare an offline verifier). Errors: status.cache_unwritable.
Status WriteStatusCacheEntry(const std::string& dir, std::string_view url, std::string_view body,
                             TimePoint fetched);

}  // namespace lanyard::verify
