// The trust registry: which NHS organisations exist, which identifiers (DIDs, issuer URLs) and
// keys are theirs, what each may issue and when, and the agreements between them.
//
// A signature proves only that some key signed. The registry answers the questions a receiving
// organisation actually has: is the signer an NHS organisation; may it issue this type of
// credential (only an occupational-health service issues OH clearance); was the key still
// its key (retired keys keep their old credentials valid until they expire; a compromised key
// invalidates everything, because whoever stole it can backdate); and, later, which agreements
// let a host rely on another organisation's checks.
//
// The file format (JSON, `"format": "lanyard-trust-registry/1"`; `serial` increases with every
// edit so a verifier can tell an older copy):
//   organisations[]: {ods, name, kinds[], region, ics, identifiers[], keys[{id, status, since}]}
//   authorisations[]: {organisation (ODS code), credentialTypes[], from, until?}
//   agreements[]: {id, type, parties[] (ODS codes), from, until?, description?}
// Kinds: trust, lead_employer, regulator, occupational_health, learning_provider, primary_care,
// agency. Agreement types: memorandum_of_understanding, workforce_sharing, licence_to_attend,
// lead_employer_hosting, collaborative_bank, secondment, honorary_contract. Key status: active,
// retired, compromised.
//
// Errors (kInvalidArgument): registry.invalid (the message names the member, e.g.
// "organisations[3].kinds[0]"), registry.unsupported_format.
//
// Thread-safety: immutable after loading; every const method is safe from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"
#include "lanyard/json/value.h"

namespace lanyard::trust {

inline constexpr std::string_view kRegistryFormat = "lanyard-trust-registry/1";

enum class OrgKind {
  kTrust,
  kLeadEmployer,
  kRegulator,
  kOccupationalHealth,
  kLearningProvider,
  kPrimaryCare,
  kAgency,
};
std::string_view OrgKindName(OrgKind kind);
Result<OrgKind> ParseOrgKind(std::string_view name);

enum class AgreementType {
  kMemorandumOfUnderstanding,
  kWorkforceSharing,
  kLicenceToAttend,
  kLeadEmployerHosting,
  kCollaborativeBank,
  kSecondment,
  kHonoraryContract,
};
std::string_view AgreementTypeName(AgreementType type);
Result<AgreementType> ParseAgreementType(std::string_view name);

enum class KeyStatus { kActive, kRetired, kCompromised };
std::string_view KeyStatusName(KeyStatus status);

struct KeyState {
  std::string id;  // the verification method (DID URL) or JWK thumbprint URI the issuer signs with
  KeyStatus status = KeyStatus::kActive;
  std::optional<TimePoint> since;  // when it was retired or found compromised
};

struct Organisation {
  std::string ods;  // ODS code, e.g. "RGT"
  std::string name;
  std::vector<OrgKind> kinds;
  std::string region;  // NHS England region code, e.g. "Y61"
  std::string ics;     // integrated care system code, e.g. "QUE"
  std::vector<std::string> identifiers;  // DIDs and issuer URLs it signs as
  std::vector<KeyState> keys;

  bool HasKind(OrgKind kind) const;
};

struct Authorisation {
  std::string ods;
  std::vector<std::string> credential_types;
  TimePoint from;
  std::optional<TimePoint> until;  // exclusive
};

struct Agreement {
  std::string id;
  AgreementType type;
  std::vector<std::string> parties;  // ODS codes
  TimePoint from;
  std::optional<TimePoint> until;  // exclusive
  std::string description;

  bool InForce(TimePoint at) const { return from <= at && (!until || at < *until); }
};

enum class Authority { kAuthorised, kUnknownIssuer, kNotAuthorised };

class TrustRegistry {
 public:
  TrustRegistry() = default;

  static Result<TrustRegistry> FromJson(const json::Value& document);
  static Result<TrustRegistry> FromText(std::string_view text);
  json::Value ToJson() const;

  uint64_t serial() const { return serial_; }
  const std::vector<Organisation>& organisations() const { return organisations_; }
  const std::vector<Authorisation>& authorisations() const { return authorisations_; }
  const std::vector<Agreement>& agreements() const { return agreements_; }

  // The organisation that signs as `identifier` (a DID or issuer URL), or nullptr.
  const Organisation* FindByIdentifier(std::string_view identifier) const;
  const Organisation* FindByOds(std::string_view ods) const;

  // May the organisation signing as `identifier` issue `credential_type` at `at`? Constant
  // work per query: two hash lookups and a scan of that organisation's grants for the type.
  Authority MayIssue(std::string_view identifier, std::string_view credential_type,
                     TimePoint at) const;

  // What the registry says about a signing key (nullptr: the key is not listed, which means
  // nothing beyond the DID document's own word).
  const KeyState* FindKey(std::string_view key_id) const;

  // Agreements in force at `at` whose parties include both organisations.
  std::vector<const Agreement*> AgreementsBetween(std::string_view ods_a, std::string_view ods_b,
                                                  TimePoint at) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  struct Grant {
    uint32_t type;
    int64_t from;   // unix seconds
    int64_t until;  // unix seconds, exclusive; INT64_MAX for open-ended
  };

  Status Index();

  uint64_t serial_ = 0;
  std::string issued_;
  std::vector<Organisation> organisations_;
  std::vector<Authorisation> authorisations_;
  std::vector<Agreement> agreements_;

  StringMap<uint32_t> by_identifier_;
  StringMap<uint32_t> by_ods_;
  StringMap<uint32_t> type_ids_;
  StringMap<std::pair<uint32_t, uint32_t>> keys_;  // key id -> (organisation, key index)
  std::vector<std::vector<Grant>> grants_;         // per organisation, sorted by type
};

}  // namespace lanyard::trust
