// Sharing a passport with a receiving organisation, and what that organisation gets back.
//
//   1. A receiving organisation's verifier creates a share request: the role profile, the kind
//      of movement and the start date. It gets a share link's secret (shown once): single-use,
//      expiring, bound to that organisation.
//   2. The staff member opens the link. The first staff member to open it becomes its only one.
//      They see exactly what would be disclosed, credential by credential and claim by claim.
//   3. They consent (after a fresh step-up). Their hosted wallet presents with their holder key:
//      the Data Integrity credentials in one presentation signed by the holder (challenge = the
//      request id, domain = the requesting organisation's DID), and each SD-JWT VC with the
//      type's default disclosures and a key-binding JWT (nonce = request id, audience = that
//      DID). They may withdraw consent until the organisation closes the request.
//   4. The organisation views the readiness report: every credential verified now (signature,
//      trust registry of this deployment, status lists read fresh), one decision per check.
//      Overrides are recorded with a reason and the person. Revoking a credential later shows
//      in the report the next time it is viewed. The revocation also marks every report that
//      relied on it.
//   5. When the purpose is done the organisation closes the request. The presentation is
//      deleted and its access ends.
//
// Every step is in the audit log (share.create, share.open, share.consent, share.withdraw,
// share.view, share.override, share.close).
//
// Protocol state (nonce = the request id, audience = the requester's DID, what was requested)
// lives in the share request record, and the receiving side reads only standard presentations
// (a Data Integrity VP, SD-JWT VCs with key binding), verified like any other. So an OpenID4VP
// response can later stand in for the hosted wallet's presentation without changing the
// receiving side.
//
// Errors (reason, Code):
//   share.not_found     (kNotFound) no such request for this organisation or person, or an
//                       unknown, used or expired link
//   share.wrong_state   (kFailedPrecondition) e.g. consenting to a withdrawn request
//   share.nothing_to_share (kFailedPrecondition) the wallet holds nothing usable
//   share.invalid       (kInvalidArgument) unknown profile or movement, bad start date
//   auth.step_up_required (kUnauthenticated) consent needs a fresh step-up
//   permission.denied   (kPermissionDenied)
//   plus the store's errors.
//
// Thread-safety: safe from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/value.h"
#include "lanyard/passport/readiness.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/service/roles.h"
#include "lanyard/service/wallet_service.h"
#include "lanyard/store/store.h"
#include "lanyard/trust/trust_registry.h"

namespace lanyard::service {

struct ShareRequestInput {
  std::string profile;     // a built-in role profile id
  std::string movement;    // passport::Movement name
  std::string start_date;  // YYYY-MM-DD
  std::string from_ods;    // the sending organisation, when known ("" otherwise)
};

struct CreatedShareRequest {
  store::ShareRequestRecord record;
  std::string link_secret;  // "lyl_...": shown once
};

// What a staff member would disclose: per credential, its type, issuer and the claim names.
struct DisclosurePlan {
  store::ShareRequestRecord request;
  json::Value plan;  // {"credentials":[{id,type,issuer,format,claims:[...],withheld:[...]}]}
};

// The trust registry of this deployment: its organisations, their current keys, and the
// credential types their kinds may issue, from when they joined.
Result<trust::TrustRegistry> RegistryFromStore(const store::Store& store);

// How a candidate role profile would change one shared request's readiness.
struct ProfilePreviewRow {
  store::ShareRequestRecord request;
  std::string before;  // overall: cleared | cleared_subject_to_reverification | not_cleared
  std::string after;
  struct Change {
    std::string item;    // "dbs", "training.fire_safety" ...
    std::string before;  // decisions: reuse | reverify | repeat | not_required
    std::string after;
  };
  std::vector<Change> changes;
};

class SharingService {
 public:
  SharingService(store::Store& store, const Clock& clock, ServiceSecrets secrets,
                 AccountService& accounts, IssuerService& issuer, WalletService& wallet);

  Result<CreatedShareRequest> Create(const Principal& verifier, std::string_view org_ods,
                                     const ShareRequestInput& input);
  // The staff member opens a link: binds the request to them and shows what would be shared.
  Result<DisclosurePlan> Open(const Principal& staff, std::string_view link_secret);
  // Consents to the plan as shown. Needs a fresh step-up.
  Result<store::ShareRequestRecord> Consent(const Principal& staff, std::string_view request_id);
  Result<store::ShareRequestRecord> Withdraw(const Principal& staff, std::string_view request_id);
  // One request the staff member opened (share.not_found for anyone else's).
  Result<store::ShareRequestRecord> GetForStaff(const Principal& staff,
                                                std::string_view request_id) const;
  // The requests the staff member has opened, newest first.
  Result<std::vector<store::ShareRequestRecord>> ForStaff(const Principal& staff,
                                                          store::Page page) const;

  // The readiness report, evaluated now (with the recorded overrides).
  Result<json::Value> Report(const Principal& verifier, std::string_view org_ods,
                             std::string_view request_id);
  // How `candidate` would change the readiness of the organisation's shared requests made under
  // a profile of the same id (its newest `limit` consented or received ones), each evaluated now
  // under the profile it was made with and under the candidate. Nothing is recorded about the
  // requests; the preview itself is audited ("profile.preview").
  Result<std::vector<ProfilePreviewRow>> PreviewProfile(const Principal& admin,
                                                        std::string_view org_ods,
                                                        const passport::Profile& candidate,
                                                        size_t limit);
  Result<json::Value> Override(const Principal& verifier, std::string_view org_ods,
                               std::string_view request_id, const passport::Override& o);
  Result<store::ShareRequestRecord> Close(const Principal& verifier, std::string_view org_ods,
                                          std::string_view request_id);
  Result<store::ShareRequestRecord> Get(const Principal& verifier, std::string_view org_ods,
                                        std::string_view request_id) const;

  // Marks every consented share relying on `credential_id` (called when it is revoked or
  // suspended), so their reports say so even before they are viewed again.
  Status MarkRelyingShares(std::string_view credential_id, std::string_view what,
                           const Principal& actor);

 private:
  // Evaluating a request is two steps: its credentials verified and read as evidence (Gather,
  // the costly part), then decisions under a profile (Decide). A preview decides twice.
  struct EvaluationContext;  // sharing_service.cc
  struct Gathered {
    std::vector<passport::Evidence> evidence;
    passport::ReadinessRequest request;  // all but the profile
    json::Value state;                   // the request's report state (overrides, marks)
  };
  Result<std::unique_ptr<EvaluationContext>> NewEvaluationContext(TimePoint now) const;
  Result<Gathered> Gather(const store::ShareRequestRecord& r, EvaluationContext& context) const;
  static passport::Readiness Decide(const Gathered& gathered, const passport::Profile& profile);
  Result<store::ShareRequestRecord> OwnRequest(const Principal& verifier,
                                               std::string_view org_ods,
                                               std::string_view id) const;

  store::Store& store_;
  const Clock& clock_;
  ServiceSecrets secrets_;
  AccountService& accounts_;
  IssuerService& issuer_;
  WalletService& wallet_;
};

}  // namespace lanyard::service
