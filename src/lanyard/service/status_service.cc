#include "lanyard/service/status_service.h"

#include "lanyard/crypto/sha256.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/status/status_list.h"
#include "lanyard/json/canonical.h"

namespace lanyard::service {
namespace {

using store::ListFormat;

constexpr uint8_t kTokenValid = 0;
constexpr uint8_t kTokenInvalid = 1;
constexpr uint8_t kTokenSuspended = 2;

// How many random draws before giving up. Below nine tenths allocated a draw misses at most 90%
// of the time: ten draws are expected, and a thousand misses in a row (0.9^1000 ~ 1e-46) does
// not happen, so "list full" means full.
constexpr int kAllocationAttempts = 1000;

uint64_t RandomBelow(uint64_t bound) {
  // Rejection sampling: no modulo bias, so every free index is equally likely.
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    uint64_t v;
    crypto::SecureRandom(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v));
    if (v < limit) return v % bound;
  }
}

struct Transition {
  uint8_t from;
  uint8_t to;
};

Result<Transition> Plan(const store::StatusListRecord& list, uint8_t current,
                        StatusAction action) {
  auto refuse = [](Code code, const char* reason, const std::string& why) -> Result<Transition> {
    return MakeError(code, reason, why);
  };
  if (list.format == ListFormat::kBitstring) {
    bool revocation = list.purpose == "revocation";
    if (revocation && current == 1) {
      return refuse(Code::kFailedPrecondition, "status.revocation_permanent",
                    "the credential is already revoked, and revocation is final");
    }
    switch (action) {
      case StatusAction::kRevoke:
        if (!revocation) {
          return refuse(Code::kInvalidArgument, "status.wrong_purpose",
                        "list " + list.id + " records suspension; revoke on its revocation list");
        }
        return Transition{0, 1};
      case StatusAction::kSuspend:
      case StatusAction::kReinstate:
        if (revocation) {
          return refuse(action == StatusAction::kReinstate ? Code::kFailedPrecondition
                                                           : Code::kInvalidArgument,
                        action == StatusAction::kReinstate ? "status.revocation_permanent"
                                                           : "status.wrong_purpose",
                        "list " + list.id + " records revocation, which cannot be lifted or "
                                            "suspended; use its suspension list");
        }
        if (action == StatusAction::kSuspend) {
          if (current == 1) {
            return refuse(Code::kFailedPrecondition, "status.no_change", "already suspended");
          }
          return Transition{0, 1};
        }
        if (current == 0) return refuse(Code::kFailedPrecondition, "status.no_change", "not suspended");
        return Transition{1, 0};
    }
  }
  if (current == kTokenInvalid) {
    return refuse(Code::kFailedPrecondition, "status.revocation_permanent",
                  "the credential is already revoked, and revocation is final");
  }
  switch (action) {
    case StatusAction::kRevoke:
      return Transition{current, kTokenInvalid};
    case StatusAction::kSuspend:
      if (current == kTokenSuspended) {
        return refuse(Code::kFailedPrecondition, "status.no_change", "already suspended");
      }
      return Transition{current, kTokenSuspended};
    case StatusAction::kReinstate:
      if (current != kTokenSuspended) {
        return refuse(Code::kFailedPrecondition, "status.no_change", "not suspended");
      }
      return Transition{current, kTokenValid};
  }
  return refuse(Code::kInternal, "status.internal", "unknown action");
}

Result<std::string> PublishBitstring(const store::StatusListRecord& list,
                                     const std::vector<std::pair<uint64_t, uint8_t>>& set,
                                     const ListSigner& signer, const PublishOptions& options,
                                     TimePoint now) {
  formats::status::BitstringStatusList bits(list.size);
  for (const auto& [index, value] : set) LANYARD_TRY(bits.Set(index, value != 0));
  json::Value subject = json::Object{};
  subject.Set("id", list.url + "#list");
  subject.Set("type", "BitstringStatusList");
  subject.Set("statusPurpose", list.purpose);
  subject.Set("encodedList", bits.Encode());
  subject.Set("ttl", static_cast<double>(
                         std::chrono::duration_cast<std::chrono::milliseconds>(options.ttl).count()));
  json::Value vc = json::Object{};
  vc.Set("@context", json::Array{"https://www.w3.org/ns/credentials/v2"});
  vc.Set("id", list.url);
  vc.Set("type", json::Array{"VerifiableCredential", "BitstringStatusListCredential"});
  vc.Set("issuer", list.issuer);
  vc.Set("validFrom", FormatRfc3339(now));
  vc.Set("validUntil", FormatRfc3339(now + options.validity));
  vc.Set("credentialSubject", std::move(subject));
  formats::di::ProofOptions proof;
  proof.suite = signer.signer->type() == crypto::KeyType::kEd25519
                    ? formats::di::Cryptosuite::kEddsaJcs2022
                    : formats::di::Cryptosuite::kEcdsaJcs2019;
  proof.verification_method = signer.verification_method;
  proof.created = now;
  LANYARD_ASSIGN_OR_RETURN(json::Value signed_vc,
                           formats::di::AddProof(std::move(vc), proof, *signer.signer));
  return json::Serialize(signed_vc);
}

Result<std::string> PublishToken(const store::StatusListRecord& list,
                                 const std::vector<std::pair<uint64_t, uint8_t>>& set,
                                 const ListSigner& signer, const PublishOptions& options,
                                 TimePoint now) {
  formats::status::TokenStatusList values(2, list.size);
  for (const auto& [index, value] : set) LANYARD_TRY(values.Set(index, value));
  json::Value header = json::Object{};
  header.Set("typ", "statuslist+jwt");
  header.Set("kid", signer.verification_method);
  json::Value status_list = json::Object{};
  status_list.Set("bits", 2);
  status_list.Set("lst", values.Encode());
  json::Value payload = json::Object{};
  payload.Set("sub", list.url);
  payload.Set("iss", list.issuer);
  payload.Set("iat", static_cast<double>(ToUnixSeconds(now)));
  payload.Set("exp", static_cast<double>(ToUnixSeconds(now + options.validity)));
  payload.Set("ttl", static_cast<double>(options.ttl.count()));
  payload.Set("status_list", std::move(status_list));
  return formats::jose::SignCompactJws(header, json::Serialize(payload), *signer.signer);
}

}  // namespace

std::string_view StatusActionName(StatusAction action) {
  switch (action) {
    case StatusAction::kRevoke:
      return "revoke";
    case StatusAction::kSuspend:
      return "suspend";
    case StatusAction::kReinstate:
      return "reinstate";
  }
  return "?";
}

Status StatusService::CreateList(const store::StatusListRecord& list) {
  if (list.format == ListFormat::kBitstring) {
    if (list.size < formats::status::kMinBitstringEntries || list.size % 8 != 0) {
      return MakeError(Code::kInvalidArgument, "status.list_too_small",
                       "a Bitstring Status List has at least 131,072 entries (a multiple of 8), "
                       "so that an index says little about who holds it");
    }
    if (list.size > formats::status::ListLimits{}.max_bytes * 8) {
      return MakeError(Code::kInvalidArgument, "status.list_too_large",
                       "verifiers read lists of at most 134,217,728 entries");
    }
    if (list.purpose != "revocation" && list.purpose != "suspension") {
      return MakeError(Code::kInvalidArgument, "status.wrong_purpose",
                       "a Bitstring Status List's purpose is revocation or suspension");
    }
  } else {
    if (list.size < 1024 || list.size % 4 != 0 || list.size > (size_t{1} << 26)) {
      return MakeError(Code::kInvalidArgument, "status.list_too_small",
                       "a Token Status List here has 1,024 to 67,108,864 entries, a multiple of 4");
    }
    if (list.purpose != "status") {
      return MakeError(Code::kInvalidArgument, "status.wrong_purpose",
                       "a Token Status List records every status; its purpose is \"status\"");
    }
  }
  if (list.url.empty() || list.issuer.empty()) {
    return MakeError(Code::kInvalidArgument, "status.list_invalid",
                     "a status list needs the URL it is published at and its issuer");
  }
  return store_.CreateList(list);
}

Result<store::StatusListRecord> StatusService::CheckRoom(std::string_view list_id) const {
  LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, store_.GetList(list_id));
  LANYARD_ASSIGN_OR_RETURN(uint64_t used, store_.CountReserved(list_id));
  if (used >= Capacity(list)) {
    return MakeError(Code::kResourceExhausted, "status.list_full",
                     "status list " + list.id + " has " + std::to_string(used) +
                         " entries allocated; create a new list");
  }
  return list;
}

uint64_t StatusService::DrawIndex(const store::StatusListRecord& list) const {
  return index_source_ ? index_source_(list.size) % list.size : RandomBelow(list.size);
}

json::Value StatusService::EntryFor(const store::StatusListRecord& list, uint64_t index) {
  json::Value out = json::Object{};
  if (list.format == ListFormat::kBitstring) {
    out.Set("id", list.url + "#" + std::to_string(index));
    out.Set("type", "BitstringStatusListEntry");
    out.Set("statusPurpose", list.purpose);
    out.Set("statusListIndex", std::to_string(index));
    out.Set("statusListCredential", list.url);
  } else {
    json::Value ref = json::Object{};
    ref.Set("idx", static_cast<double>(index));
    ref.Set("uri", list.url);
    out.Set("status_list", std::move(ref));
  }
  return out;
}

Result<json::Value> StatusService::Allocate(std::string_view list_id,
                                            std::string_view credential_id) {
  LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, CheckRoom(list_id));
  for (int attempt = 0; attempt < kAllocationAttempts; ++attempt) {
    uint64_t index = DrawIndex(list);
    Status reserved = store_.Reserve(list_id, index, credential_id, clock_.Now());
    if (!reserved.ok()) {
      if (reserved.error().reason == "status_store.index_taken") continue;
      return std::move(reserved).error();
    }
    return EntryFor(list, index);
  }
  return MakeError(Code::kResourceExhausted, "status.list_full",
                   "no free index was found in status list " + list.id + "; try again");
}

Result<StatusService::Change> StatusService::PlanChange(std::string_view list_id, uint64_t index,
                                                        StatusAction action,
                                                        std::string_view reason) const {
  if (reason.empty()) {
    return MakeError(Code::kInvalidArgument, "status.reason_required",
                     "every change of status records its reason");
  }
  LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, store_.GetList(list_id));
  LANYARD_ASSIGN_OR_RETURN(store::StatusEntry entry, store_.GetEntry(list_id, index));
  LANYARD_ASSIGN_OR_RETURN(Transition t, Plan(list, entry.value, action));
  return Change{t.from, t.to};
}

Result<store::StatusEntry> StatusService::Apply(std::string_view list_id, uint64_t index,
                                                StatusAction action, std::string_view reason) {
  LANYARD_ASSIGN_OR_RETURN(Change change, PlanChange(list_id, index, action, reason));
  LANYARD_ASSIGN_OR_RETURN(store::StatusEntry entry, store_.GetEntry(list_id, index));
  TimePoint now = clock_.Now();
  LANYARD_TRY(store_.SetValue(list_id, index, change.from, change.to, reason, now));
  entry.value = change.to;
  entry.reason = std::string(reason);
  entry.updated = now;
  return entry;
}

Result<std::string> StatusService::Publish(std::string_view list_id, const ListSigner& signer,
                                           const PublishOptions& options) {
  if (signer.signer == nullptr || signer.verification_method.empty()) {
    return MakeError(Code::kInvalidArgument, "status.no_signer",
                     "publishing a status list needs the issuer's key and its identifier");
  }
  LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, store_.GetList(list_id));
  LANYARD_ASSIGN_OR_RETURN(auto set, store_.NonZero(list_id));
  TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  return list.format == ListFormat::kBitstring ? PublishBitstring(list, set, signer, options, now)
                                               : PublishToken(list, set, signer, options, now);
}

}  // namespace lanyard::service
