// Issuing passport credentials from the service: an organisation's HR, occupational-health and
// training officers issue typed, schema-checked credentials (Data Integrity or SD-JWT VC) to
// the staff members who work there, straight into each person's hosted wallet; and revoke,
// suspend, reinstate or re-issue them, each with a reason.
//
// One issuance is one store batch: the status-list reservations, the issuer's record, the
// wallet's sealed copy and the audit entry are committed together or not at all.
//
// Each organisation signs as did:web:<service host>:orgs:<ODS> with the key the key store
// holds for it, and has its own status lists (created on first use, 131,072 entries):
// "<ODS>-revocation-N" and "<ODS>-suspension-N" (Bitstring, for Data Integrity credentials,
// which carry one entry in each) and "<ODS>-status-N" (Token Status List, for SD-JWT VCs),
// published at <base URL>/status/<list id>. N moves on when a list is nine-tenths full.
//
// Errors (reason, Code):
//   permission.denied        (kPermissionDenied) the actor's roles do not issue this type, or
//                            the actor is not of this organisation
//   issuer.not_authorised_for_type (kPermissionDenied) the organisation's kinds do not issue it
//   issue.unknown_type       (kInvalidArgument)
//   issue.invalid_format     (kInvalidArgument) a format other than "di" or "sd-jwt"
//   issue.not_staff          (kFailedPrecondition) the subject does not work for the organisation
//   issue.invalid_validity   (kInvalidArgument) a validUntil in the past
//   schema.* / claims errors from passport::PrepareClaims (kInvalidArgument)
//   credential.not_found     (kNotFound) no credential of that id issued by the organisation
//   status.* from StatusService (revocation is final; suspension can be lifted)
//   plus the store's and key store's errors.
//
// Thread-safety: safe from many threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/did/did_document.h"
#include "lanyard/json/value.h"
#include "lanyard/passport/credential_types.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/roles.h"
#include "lanyard/service/status_service.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct IssueRequest {
  std::string subject_user_id;
  std::string type;    // credential type name, e.g. "dbs"
  std::string format;  // "di" (default) or "sd-jwt"
  json::Value claims;  // the credentialSubject without id (the holder's DID is added)
  std::optional<TimePoint> valid_until;
};

struct IssuedCredential {
  store::IssuedCredentialRecord record;
  std::string text;      // the signed credential: JSON (Data Integrity) or the SD-JWT
  json::Value document;  // the signed Data Integrity credential as JSON; null for an SD-JWT
};

// did:web identifiers of this deployment: "https://host:port" -> "did:web:host%3Aport".
// Errors: kInvalidArgument "config.base_url" for anything but an http(s) origin.
Result<std::string> DidWebBaseFor(std::string_view base_url);

class IssuerService {
 public:
  // `base_url`: the origin the service is reached at (status list URLs, did:web).
  IssuerService(store::Store& store, const Clock& clock, crypto::KeyStore& keys,
                ServiceSecrets secrets, std::string base_url);

  // Told of every committed revocation, suspension and replacement, with the record after the
  // change, so other services can follow (the sharing service marks the reports that relied on
  // the credential). Runs after the commit, on the caller's thread; its failures cannot undo
  // the change. Set once, before the service is used.
  // Where random status indexes come from (tests fix the draws); by default the system's CSPRNG.
  void SetIndexSource(StatusService::IndexSource source) {
    status_.SetIndexSource(std::move(source));
  }

  using StatusObserver =
      std::function<void(const store::IssuedCredentialRecord& record, const Principal& actor)>;
  void SetStatusObserver(StatusObserver observer) { status_observer_ = std::move(observer); }

  Result<IssuedCredential> Issue(const Principal& actor, std::string_view org_ods,
                                 IssueRequest request);
  // Revoke, suspend or reinstate. Returns the record after the change.
  Result<store::IssuedCredentialRecord> ChangeStatus(const Principal& actor,
                                                     std::string_view org_ods,
                                                     std::string_view credential_id,
                                                     StatusAction action, std::string_view reason);
  // Issues a replacement (new claims, or the old ones when `claims` is absent) and revokes the
  // old credential with the reason, in one batch.
  Result<IssuedCredential> Reissue(const Principal& actor, std::string_view org_ods,
                                   std::string_view credential_id,
                                   std::optional<json::Value> claims,
                                   std::optional<TimePoint> valid_until, std::string_view reason);

  Result<store::IssuedCredentialRecord> Get(const Principal& actor, std::string_view org_ods,
                                            std::string_view credential_id) const;

  // The signed status list (BitstringStatusListCredential JSON or Token Status List JWT), and
  // its media type. Errors: status_store.list_not_found.
  struct PublishedList {
    std::string body;
    std::string media_type;
  };
  Result<PublishedList> PublishList(std::string_view list_id);

  // The organisation's DID document (its current signing key as a Multikey).
  Result<json::Value> DidDocumentFor(std::string_view ods) const;

  // The organisation's signer and the DID URL that names its key.
  struct OrgSigner {
    std::shared_ptr<const crypto::Signer> signer;
    std::string did;
    std::string verification_method;
  };
  Result<OrgSigner> SignerFor(const store::OrganisationRecord& org) const;

  const std::string& base_url() const { return base_url_; }

  // Whether `actor` may issue `info` credentials for `org`: one of the type's issuer roles, in
  // that organisation, and the organisation of a kind that issues the type. Errors:
  // permission.denied, issuer.not_authorised_for_type.
  Status CheckMayIssue(const Principal& actor, const store::OrganisationRecord& org,
                       const passport::CredentialTypeInfo& info) const;

 private:
  // A list of `purpose` with room (created when the organisation has none yet) and a free index
  // in it, drawn at random and held for the caller until ReleaseIndex (see rooms_).
  struct IndexDraw {
    store::StatusListRecord list;
    uint64_t index = 0;
  };
  Result<IndexDraw> DrawIndex(const store::OrganisationRecord& org, std::string_view purpose,
                              store::ListFormat format);
  // The drawn index was not reserved after all (the issuance failed): free to draw again.
  void ReleaseIndex(const IndexDraw& draw);
  // Creates a status list; true when this call created it, false when it already existed.
  Result<bool> CreateListOnce(const store::StatusListRecord& record);
  Result<store::StatusListRecord> TwinSuspensionList(const store::OrganisationRecord& org,
                                                     const store::StatusListRecord& revocation);
  // Builds, signs and commits (with `extra` ops in the same batch).
  Result<IssuedCredential> IssueInBatch(const Principal& actor,
                                        const store::OrganisationRecord& org, IssueRequest request,
                                        std::string replaces, store::WriteBatch extra);

  store::Store& store_;
  const Clock& clock_;
  crypto::KeyStore& keys_;
  ServiceSecrets secrets_;
  std::string base_url_;
  std::string did_web_base_;
  StatusService status_;
  std::mutex lists_mu_;
  StatusObserver
      status_observer_;  // creating an organisation's lists happens once, not once per racer
  // The lists this process issues into, under lists_mu_. Indexes are drawn at random (a list
  // must not reveal the order of issuance). Drawing blind, a taken index shows only when the
  // issuance's batch fails to commit, after the signing and a commit round: at half full, one
  // issuance in two would pay twice, and a stall that long stalls every issuer. So each list's
  // reserved indexes are read from the store once into a bitmap; draws skip taken ones and
  // mark theirs at once (concurrent issuances never draw the same), and a failed issuance
  // frees its index. An index another process reserved meanwhile is still refused by the store
  // (status_store.index_taken), stays marked, and the issuance draws again. The bitmap's count
  // only grows ahead of the store's, so a list found full here is full, and stays full (indexes
  // are never given back): it keeps an entry with no bitmap, so that a process started after
  // its lists filled does not count a full list again at every draw. A list's record never
  // changes once created.
  struct ListRoom {
    store::StatusListRecord record;
    std::vector<bool> taken;  // by index: reserved in the store, or drawn and not released
    uint64_t used = 0;        // how many of `taken` are set
    bool full = false;        // at capacity: nothing more is drawn from it
  };
  std::map<std::string, ListRoom, std::less<>> rooms_;
  std::map<std::string, store::StatusListRecord, std::less<>> twins_;  // by revocation list id
};

// "<ODS>-revocation-N" -> "<ODS>-suspension-N": where a Data Integrity credential's
// suspension entry lives, at the same index as its revocation entry.
std::string SuspensionListFor(std::string_view revocation_list);

// Associated data binding a wallet's sealed credential to its holder and id.
Bytes WalletCredentialAd(std::string_view user_id, std::string_view credential_id);

}  // namespace lanyard::service
