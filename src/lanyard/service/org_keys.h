// An organisation's signing keys: the current one and those it has rotated away from.
//
// A rotation keeps the old key, because credentials it signed are still in staff passports:
// a key retired in the ordinary way stays in the organisation's DID document (so those
// signatures still resolve) and is listed as "retired" since the rotation in the trust
// registry, so a credential claiming to be issued after that date fails. A key rotated away
// because it was compromised leaves the DID document and is listed as "compromised": everything
// it signed fails, whatever dates it claims, since whoever holds the key can write any date.
//
// The list is kept with the organisation's record (OrganisationRecord::retired_keys) as a JSON
// array of {"id", "since", "compromised", "reason"}, oldest first.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct RetiredKey {
  std::string key_id;  // key store id
  TimePoint since;     // when it stopped signing
  bool compromised = false;
  std::string reason;
};

// Errors: kInternal "org.keys_corrupt" when the text is not such a list (it is only ever
// written by RetiredKeysJson, so anything else is damage, not input).
Result<std::vector<RetiredKey>> ParseRetiredKeys(std::string_view text);
std::string RetiredKeysJson(const std::vector<RetiredKey>& keys);

// An organisation's signing keys, the one in use first, then the earlier ones newest first: what
// the keys API and the keys page both list. `since` and `reason` are empty for the key in use.
struct OrgKeyView {
  std::string key_id;
  std::string status;  // "active", "retired" or "compromised"
  std::optional<TimePoint> since;
  std::string reason;
};
// Errors: ParseRetiredKeys's.
Result<std::vector<OrgKeyView>> OrganisationKeys(const store::OrganisationRecord& org);

// Limits: an organisation rotating every day for a decade stays under this; more is refused
// rather than letting the record (read at every issuance) grow without bound.
inline constexpr size_t kMaxRetiredKeys = 4096;
inline constexpr size_t kMaxRotationReason = 500;

}  // namespace lanyard::service
