// The issuer's side of revocation and suspension: status lists, entries, their lifecycle and
// the signed lists a verifier fetches.
//
// Lifecycle, for each entry:
//   - Bitstring revocation list:  issued(0) -> revoked(1). Revocation is final.
//   - Bitstring suspension list:  issued(0) <-> suspended(1). A regulator's suspension can be lifted.
//   - Token Status List (2 bits): valid(0) <-> suspended(2); valid or suspended -> revoked(1),
//     final. Values follow the IETF registry: 0 VALID, 1 INVALID, 2 SUSPENDED.
// Every change records a reason and time (history kept in the store).
//
// Indexes are drawn at random (a CSPRNG) over the whole list and reserved atomically in the store,
// so an index says nothing about issue order and two issuers (or processes) never share one.
//
// Errors (kInvalidArgument unless stated):
//   status.list_too_small          a Bitstring list under 131,072 entries, or a size not a
//                                  multiple of 8
//   status.list_too_large          a Bitstring list over 134,217,728 entries (verifiers refuse it)
//   status.wrong_purpose           revoke on a suspension list, suspend on a revocation list
//   status.revocation_permanent    (kFailedPrecondition) reinstating or suspending a revoked entry
//   status.no_change               (kFailedPrecondition) the entry already has that status
//   status.list_full               (kResourceExhausted) nine tenths of the list are allocated
//   plus the store's status_store.* errors and the signer's errors
//
// Thread-safety: safe from several threads when the store is.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/keys.h"
#include "lanyard/json/value.h"
#include "lanyard/store/status_store.h"

namespace lanyard::service {

enum class StatusAction { kRevoke, kSuspend, kReinstate };
std::string_view StatusActionName(StatusAction action);

// How a list is signed when published: the issuer's key and the id a verifier resolves it by
// (a DID URL of the issuer for Data Integrity proofs and for the token's kid).
struct ListSigner {
  const crypto::Signer* signer = nullptr;
  std::string verification_method;
};

struct PublishOptions {
  std::chrono::seconds validity = std::chrono::hours(24 * 7);
  std::chrono::seconds ttl = std::chrono::minutes(5);  // how long verifiers may cache it
};

class StatusService {
 public:
  StatusService(store::StatusStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Where indexes are drawn from: a uniform number below `bound`. The OS CSPRNG unless replaced;
  // only reproducible synthetic data (demo-data with a seed) replaces it.
  using IndexSource = std::function<uint64_t(uint64_t bound)>;
  void SetIndexSource(IndexSource source) { index_source_ = std::move(source); }

  Status CreateList(const store::StatusListRecord& list);

  // Allocates a random free index for `credential_id` and returns what the credential carries:
  // a BitstringStatusListEntry object, or for a token list {"status_list":{"idx","uri"}}.
  Result<json::Value> Allocate(std::string_view list_id, std::string_view credential_id);

  // The steps of Allocate, for a caller that reserves the index in a larger store batch (the
  // passport service reserves it with the credential's record and audit entry, atomically):
  // the list if it has room (status.list_full otherwise), a random index to try (the caller
  // draws again on status_store.index_taken), and the entry a credential carries for it.
  Result<store::StatusListRecord> CheckRoom(std::string_view list_id) const;
  // How many entries of `list` may be allocated before it counts as full (nine tenths of it,
  // so random draws keep finding free indexes quickly).
  static uint64_t Capacity(const store::StatusListRecord& list) { return list.size / 10 * 9; }
  uint64_t DrawIndex(const store::StatusListRecord& list) const;
  static json::Value EntryFor(const store::StatusListRecord& list, uint64_t index);

  // The compare-and-set Apply would make (entry value from -> to), for a caller that applies it
  // in a larger batch. Errors: as Apply.
  struct Change {
    uint8_t from = 0;
    uint8_t to = 0;
  };
  Result<Change> PlanChange(std::string_view list_id, uint64_t index, StatusAction action,
                            std::string_view reason) const;

  // Changes an entry as the lifecycle above allows; returns the entry after the change.
  Result<store::StatusEntry> Apply(std::string_view list_id, uint64_t index, StatusAction action,
                                   std::string_view reason);

  // The signed list: a BitstringStatusListCredential (JSON) or a Token Status List JWT (text).
  Result<std::string> Publish(std::string_view list_id, const ListSigner& signer,
                              const PublishOptions& options = {});

 private:
  store::StatusStore& store_;
  const Clock& clock_;
  IndexSource index_source_;
};

}  // namespace lanyard::service
