// The audit log's hash chain: how each entry's hashes are computed, and the check that a run of
// entries is unbroken (`lanyard audit verify`).
//
//   details_hash  = lower-case hex SHA-256 of the details JSON text exactly as stored ("" when
//                   an entry has no details)
//   payload       = the RFC 8785 canonical JSON of
//                   {"seq":N,"at":RFC3339,"actor":..,"org":..,"action":..,"subject":..,
//                    "details_hash":..}
//   entry_hash    = lower-case hex SHA-256 of (prev_hash + "\n" + payload)
//   prev_hash     = the previous entry's entry_hash; 64 "0" for seq 1
//
// The chain holds only ids and hashes, so erasing an entry's details (retention, a subject's
// request) leaves it verifiable; details that are present must still match their hash.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/store/store.h"

namespace lanyard::store {

inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string AuditDetailsHash(std::string_view details_json);
std::string AuditChainPayload(const AuditEntry& entry);
// REQUIRES: entry.prev_hash and entry.details_hash set.
std::string AuditEntryHash(const AuditEntry& entry);

struct AuditVerification {
  uint64_t entries = 0;
  uint64_t details_present = 0;
  uint64_t details_erased = 0;
  std::string head_hash;  // entry_hash of the last entry (the genesis hash when empty)
  // Empty when the chain is intact; otherwise the first break: "audit.gap" (a sequence number
  // missing: a deleted entry), "audit.broken_link" (prev_hash differs from the previous
  // entry_hash), "audit.altered" (entry_hash does not match the entry), "audit.details_altered"
  // (details present but not matching details_hash), "audit.head_mismatch" (the recorded head
  // is not the last entry: entries removed from the end).
  std::string problem;
  uint64_t problem_seq = 0;
  std::string message;
};

// Reads the whole log from `store` in pages and checks it, including the recorded head.
Result<AuditVerification> VerifyAuditChain(const Store& store);

}  // namespace lanyard::store
