#include "lanyard/service/issuer_service.h"

#include <algorithm>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/secret_box.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/passport_credential.h"
#include "lanyard/service/org_keys.h"
#include "lanyard/trust/trust_registry.h"
#include "lanyard/verify/report.h"

namespace lanyard::service {
namespace {

constexpr uint64_t kListSize = 131'072;
constexpr int kIndexAttempts = 64;

Error Denied(std::string message) {
  return MakeError(Code::kPermissionDenied, "permission.denied", std::move(message));
}

Error CredentialNotFound() {
  return MakeError(Code::kNotFound, "credential.not_found",
                   "no credential with that id was issued by this organisation");
}

bool HasCurrentMembership(const std::vector<store::MembershipRecord>& memberships,
                          std::string_view ods, TimePoint now) {
  return std::any_of(memberships.begin(), memberships.end(), [&](const auto& m) {
    return m.org_ods == ods && (!m.until || *m.until > now);
  });
}

}  // namespace

Bytes WalletCredentialAd(std::string_view user_id, std::string_view credential_id) {
  std::string ad = "lanyard.wallet.credential.v1";
  ad.push_back('\0');
  ad += user_id;
  ad.push_back('\0');
  ad += credential_id;
  return Bytes(ad.begin(), ad.end());
}

Result<std::string> DidWebBaseFor(std::string_view base_url) {
  std::string_view rest;
  if (base_url.starts_with("https://")) {
    rest = base_url.substr(8);
  } else if (base_url.starts_with("http://")) {
    rest = base_url.substr(7);
  } else {
    return MakeError(Code::kInvalidArgument, "config.base_url",
                     "the service's base URL must be an http(s) origin, like https://host:8443");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return MakeError(Code::kInvalidArgument, "config.base_url",
                     "the service's base URL must be an origin without a path");
  }
  std::string host(rest);
  // did:web percent-encodes the port's colon.
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) {
    host = host.substr(0, colon) + "%3A" + host.substr(colon + 1);
  }
  return "did:web:" + host;
}

IssuerService::IssuerService(store::Store& store, const Clock& clock, crypto::KeyStore& keys,
                             ServiceSecrets secrets, std::string base_url)
    : store_(store),
      clock_(clock),
      keys_(keys),
      secrets_(secrets),
      base_url_(std::move(base_url)),
      status_(store, clock) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  auto base = DidWebBaseFor(base_url_);
  did_web_base_ = base.ok() ? *base : "did:web:invalid";
}

Result<IssuerService::OrgSigner> IssuerService::SignerFor(
    const store::OrganisationRecord& org) const {
  if (org.signing_key_id.empty()) {
    return MakeError(Code::kFailedPrecondition, "org.no_key",
                     "organisation " + org.ods + " has no signing key yet");
  }
  OrgSigner out;
  LANYARD_ASSIGN_OR_RETURN(out.signer, keys_.GetSigner(org.signing_key_id));
  out.did = org.did;
  out.verification_method = org.did + "#" + org.signing_key_id;
  return out;
}

Result<json::Value> IssuerService::DidDocumentFor(std::string_view ods) const {
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org, store_.GetOrganisation(ods));
  LANYARD_ASSIGN_OR_RETURN(OrgSigner signer, SignerFor(org));
  did::DidDocument doc;
  doc.id = org.did;
  doc.verification_methods.push_back(
      did::VerificationMethod{signer.verification_method, org.did, signer.signer->public_key()});
  doc.assertion_method.push_back(signer.verification_method);
  // Retired keys stay, so what they signed still resolves; compromised ones are disowned.
  LANYARD_ASSIGN_OR_RETURN(std::vector<RetiredKey> retired, ParseRetiredKeys(org.retired_keys));
  for (auto it = retired.rbegin(); it != retired.rend(); ++it) {
    if (it->compromised) continue;
    LANYARD_ASSIGN_OR_RETURN(crypto::KeyInfo key, keys_.Get(it->key_id));
    std::string method = org.did + "#" + it->key_id;
    doc.verification_methods.push_back(did::VerificationMethod{method, org.did, key.public_key});
    doc.assertion_method.push_back(std::move(method));
  }
  return did::DidDocumentToJson(doc);
}

Status IssuerService::CheckMayIssue(const Principal& actor, const store::OrganisationRecord& org,
                                    const passport::CredentialTypeInfo& info) const {
  if (actor.org_ods != org.ods || !actor.roles.HasAny(IssuerRolesFor(info.type))) {
    return Denied("your role does not issue " + std::string(info.name) + " credentials for " +
                  org.ods);
  }
  std::string_view kinds = org.kinds;
  while (!kinds.empty()) {
    size_t comma = kinds.find(',');
    auto kind = trust::ParseOrgKind(kinds.substr(0, comma));
    if (kind.ok() && std::find(info.issuer_kinds.begin(), info.issuer_kinds.end(), *kind) !=
                         info.issuer_kinds.end()) {
      return OkStatus();
    }
    kinds = comma == std::string_view::npos ? "" : kinds.substr(comma + 1);
  }
  return MakeError(Code::kPermissionDenied, "issuer.not_authorised_for_type",
                   org.ods + " is not a kind of organisation that issues " +
                       std::string(info.name) + " credentials");
}

Result<IssuerService::IndexDraw> IssuerService::DrawIndex(const store::OrganisationRecord& org,
                                                          std::string_view purpose,
                                                          store::ListFormat format) {
  std::lock_guard lock(lists_mu_);
  for (int n = 1;; ++n) {
    std::string id = org.ods + "-" + std::string(purpose) + "-" + std::to_string(n);
    auto it = rooms_.find(id);
    if (it == rooms_.end()) {
      // Whether the list is full follows from its reserved indexes, read below.
      auto list = store_.GetList(id);
      if (!list.ok()) {
        if (list.error().reason != "status_store.list_not_found") return std::move(list).error();
        store::StatusListRecord record;
        record.id = id;
        record.format = format;
        record.purpose = std::string(purpose);
        record.size = kListSize;
        record.url = base_url_ + "/status/" + id;
        record.issuer = org.did;
        record.created = clock_.Now();
        LANYARD_ASSIGN_OR_RETURN(bool created, CreateListOnce(record));
        // Created by another process first: its record is the one to use.
        list = created ? Result<store::StatusListRecord>(record) : store_.GetList(id);
        if (!list.ok()) return std::move(list).error();
      }
      LANYARD_ASSIGN_OR_RETURN(std::vector<uint64_t> reserved, store_.ReservedIndexes(id));
      ListRoom room{*list, std::vector<bool>(list->size), 0, false};
      for (uint64_t index : reserved) {
        if (index < room.taken.size() && !room.taken[index]) {
          room.taken[index] = true;
          ++room.used;
        }
      }
      it = rooms_.emplace(id, std::move(room)).first;
    }
    ListRoom& room = it->second;
    if (room.full) continue;
    if (room.used >= StatusService::Capacity(room.record)) {
      room = ListRoom{std::move(room.record), {}, room.used, true};
      continue;
    }
    uint64_t index = status_.DrawIndex(room.record);
    // Below capacity, nine draws in ten at worst find a free index; after many misses in a row
    // (or with a test's fixed index source) the next free one after the last draw is taken.
    for (int attempt = 1; room.taken[index] && attempt < kIndexAttempts; ++attempt) {
      index = status_.DrawIndex(room.record);
    }
    while (room.taken[index]) index = (index + 1) % room.taken.size();
    room.taken[index] = true;
    ++room.used;
    return IndexDraw{room.record, index};
  }
}

void IssuerService::ReleaseIndex(const IndexDraw& draw) {
  std::lock_guard lock(lists_mu_);
  auto it = rooms_.find(draw.list.id);
  // A list that filled meanwhile stays full: its draws are over either way.
  if (it == rooms_.end() || it->second.full || !it->second.taken[draw.index]) return;
  it->second.taken[draw.index] = false;
  --it->second.used;
}

Result<bool> IssuerService::CreateListOnce(const store::StatusListRecord& record) {
  Status created = status_.CreateList(record);
  if (created.ok()) return true;
  // Another process created it first: the same list, by its name.
  if (created.error().reason == "status_store.list_exists") return false;
  return std::move(created).error();
}

std::string SuspensionListFor(std::string_view revocation_list) {
  std::string id(revocation_list);
  size_t at = id.find("-revocation-");
  if (at != std::string::npos) id.replace(at, 12, "-suspension-");
  return id;
}

Result<store::StatusListRecord> IssuerService::TwinSuspensionList(
    const store::OrganisationRecord& org, const store::StatusListRecord& revocation) {
  std::lock_guard lock(lists_mu_);
  if (auto it = twins_.find(revocation.id); it != twins_.end()) return it->second;
  std::string id = SuspensionListFor(revocation.id);
  auto list = store_.GetList(id);
  if (list.ok()) twins_[revocation.id] = *list;
  if (list.ok() || list.error().reason != "status_store.list_not_found") return list;
  store::StatusListRecord record = revocation;
  record.id = id;
  record.purpose = "suspension";
  record.url = base_url_ + "/status/" + id;
  record.issuer = org.did;
  record.created = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(bool created, CreateListOnce(record));
  if (created) twins_[revocation.id] = record;
  return record;
}

Result<IssuedCredential> IssuerService::Issue(const Principal& actor, std::string_view org_ods,
                                              IssueRequest request) {
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org, store_.GetOrganisation(org_ods));
  return IssueInBatch(actor, org, std::move(request), "", store::WriteBatch{});
}

Result<IssuedCredential> IssuerService::IssueInBatch(const Principal& actor,
                                                     const store::OrganisationRecord& org,
                                                     IssueRequest request, std::string replaces,
                                                     store::WriteBatch extra) {
  const passport::CredentialTypeInfo* info = passport::FindCredentialType(request.type);
  if (info == nullptr) {
    return MakeError(Code::kInvalidArgument, "issue.unknown_type",
                     "unknown credential type \"" + request.type.substr(0, 64) + "\"");
  }
  if (request.format.empty()) request.format = "di";
  if (request.format != "di" && request.format != "sd-jwt") {
    return MakeError(Code::kInvalidArgument, "issue.invalid_format",
                     "the format is \"di\" (Data Integrity) or \"sd-jwt\" (SD-JWT VC)");
  }
  LANYARD_TRY(CheckMayIssue(actor, org, *info));
  TimePoint now = clock_.Now();
  if (request.valid_until && *request.valid_until <= now) {
    return MakeError(Code::kInvalidArgument, "issue.invalid_validity",
                     "validUntil has already passed");
  }
  LANYARD_ASSIGN_OR_RETURN(auto memberships, store_.MembershipsOfUser(request.subject_user_id));
  if (!HasCurrentMembership(memberships, org.ods, now)) {
    return MakeError(Code::kFailedPrecondition, "issue.not_staff",
                     "that person does not work for " + org.ods +
                         "; invite them first, so they hold their own passport");
  }
  LANYARD_ASSIGN_OR_RETURN(store::WalletRecord wallet, store_.GetWallet(request.subject_user_id));
  bool sd_jwt = request.format == "sd-jwt";
  // Only an SD-JWT VC binds the holder's key (cnf); a Data Integrity credential names the
  // holder's DID, so the sealed secret stays sealed.
  std::optional<crypto::PublicKey> holder_key;
  if (sd_jwt) {
    LANYARD_ASSIGN_OR_RETURN(
        Bytes holder_secret,
        crypto::Open(*secrets_.wallet, wallet.holder_key_sealed, HolderKeyAd(wallet.user_id)));
    auto holder = crypto::PrivateKey::FromSecret(crypto::KeyType::kEd25519, holder_secret);
    std::fill(holder_secret.begin(), holder_secret.end(), 0);
    if (!holder.ok()) return std::move(holder).error();
    holder_key = holder->public_key();
  }

  json::Value claims = std::move(request.claims);
  if (!claims.is_object()) {
    return MakeError(Code::kInvalidArgument, "issue.invalid_claims",
                     "the claims are a JSON object");
  }
  if (request.format == "di") claims.Set("id", wallet.holder_did);
  LANYARD_ASSIGN_OR_RETURN(json::Value prepared, passport::PrepareClaims(info->type, claims));
  std::string claims_json = json::Serialize(prepared);
  LANYARD_ASSIGN_OR_RETURN(OrgSigner signer, SignerFor(org));

  // A Data Integrity credential holds the same index in the revocation list and its twin
  // suspension list, so the issuer's record keeps one (list, index) for both.
  const std::string_view purpose = sd_jwt ? "status" : "revocation";
  const store::ListFormat list_format =
      sd_jwt ? store::ListFormat::kToken : store::ListFormat::kBitstring;
  for (int attempt = 0; attempt < kIndexAttempts; ++attempt) {
    LANYARD_ASSIGN_OR_RETURN(IndexDraw draw, DrawIndex(org, purpose, list_format));
    // Until the batch commits, the drawn index goes back to the pool on every way out but one:
    // the store saying another process reserved it, when it stays marked.
    struct Hold {
      IssuerService& issuer;
      const IndexDraw& draw;
      bool keep = false;
      ~Hold() {
        if (!keep) issuer.ReleaseIndex(draw);
      }
    } hold{*this, draw};
    std::vector<store::StatusListRecord> lists{draw.list};
    if (!sd_jwt) {
      LANYARD_ASSIGN_OR_RETURN(auto suspension, TwinSuspensionList(org, draw.list));
      lists.push_back(std::move(suspension));
    }
    const uint64_t index = draw.index;
    std::string id = formats::vc::NewCredentialId(now);
    std::vector<json::Value> entries;
    for (const auto& list : lists) entries.push_back(StatusService::EntryFor(list, index));
    std::string text;
    json::Value document;
    if (sd_jwt) {
      json::Value payload =
          passport::MakeSdJwtVcPayload(*info, prepared, signer.did, request.valid_until);
      payload.Set("jti", id);
      payload.Set("status", entries.front());
      formats::sdjwt::VcIssueOptions options;
      options.now = now;
      options.holder_key = *holder_key;
      options.kid = signer.verification_method;
      for (const auto& path : passport::DisclosablePaths(*info, prepared)) {
        LANYARD_ASSIGN_OR_RETURN(auto parsed, formats::sdjwt::ParseClaimPath(path));
        options.disclosable.push_back(std::move(parsed));
      }
      LANYARD_ASSIGN_OR_RETURN(
          text, formats::sdjwt::IssueSdJwtVc(std::move(payload), options, *signer.signer));
    } else {
      json::Value credential = passport::MakeDataIntegrityCredential(*info, prepared, signer.did,
                                                                     now, request.valid_until);
      credential.Set("id", id);
      credential.Set("credentialStatus", json::Array(entries.begin(), entries.end()));
      verify::VerificationReport structure;
      formats::vc::CheckCredential(credential, now, "credential", &structure);
      for (const auto& failure : structure.Failures()) {
        if (failure.code != "validity.not_yet_valid") {
          return MakeError(Code::kInvalidArgument, failure.code, failure.message);
        }
      }
      formats::di::ProofOptions options;
      options.suite = formats::di::Cryptosuite::kEddsaJcs2022;
      options.verification_method = signer.verification_method;
      options.created = now;
      LANYARD_ASSIGN_OR_RETURN(
          json::Value signed_credential,
          formats::di::AddProof(std::move(credential), options, *signer.signer));
      text = json::Serialize(signed_credential);
      document = std::move(signed_credential);
    }

    store::IssuedCredentialRecord record;
    record.id = id;
    record.issuer_ods = org.ods;
    record.subject_user_id = request.subject_user_id;
    record.type = std::string(info->name);
    record.format = request.format;
    record.status_list = draw.list.id;
    record.status_index = index;
    record.state = "active";
    record.issued_by = actor.Actor();
    record.replaces = replaces;
    record.issued = now;
    record.valid_until = request.valid_until;
    record.claims_json = claims_json;

    store::WalletCredentialRecord copy;
    copy.id = id;
    copy.user_id = request.subject_user_id;
    copy.type = record.type;
    copy.format = record.format;
    copy.issuer_ods = org.ods;
    copy.sealed = crypto::Seal(*secrets_.wallet,
                               ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                               WalletCredentialAd(copy.user_id, id));
    copy.received = now;
    copy.valid_until = request.valid_until;

    store::WriteBatch batch = extra;
    for (const auto& list : lists) {
      batch.Add(store::ReserveStatusIndex{list.id, index, id, now});
    }
    batch.Add(store::InsertIssuedCredential{record});
    batch.Add(store::PutWalletCredential{copy});
    batch.Add(AuditOp(now, actor, "credential.issue", id,
                      DetailsJson({{"type", record.type},
                                   {"format", record.format},
                                   {"subject", record.subject_user_id},
                                   {"replaces", replaces}})));
    auto applied = store_.Apply(batch);
    if (!applied.ok()) {
      if (applied.error().reason != "status_store.index_taken") return std::move(applied).error();
      hold.keep = true;
      continue;
    }
    hold.keep = true;
    return IssuedCredential{std::move(record), std::move(text), std::move(document)};
  }
  return MakeError(Code::kResourceExhausted, "status.list_full",
                   "no free status index was found; try again");
}

Result<store::IssuedCredentialRecord> IssuerService::Get(const Principal& actor,
                                                         std::string_view org_ods,
                                                         std::string_view credential_id) const {
  if (actor.org_ods != org_ods) return CredentialNotFound();
  auto record = store_.GetIssuedCredential(credential_id);
  if (!record.ok() || record->issuer_ods != org_ods) return CredentialNotFound();
  return record;
}

Result<store::IssuedCredentialRecord> IssuerService::ChangeStatus(const Principal& actor,
                                                                  std::string_view org_ods,
                                                                  std::string_view credential_id,
                                                                  StatusAction action,
                                                                  std::string_view reason) {
  LANYARD_ASSIGN_OR_RETURN(store::IssuedCredentialRecord record,
                           Get(actor, org_ods, credential_id));
  const passport::CredentialTypeInfo* info = passport::FindCredentialType(record.type);
  if (info == nullptr || !actor.roles.HasAny(IssuerRolesFor(info->type))) {
    return Denied("your role does not manage " + record.type + " credentials");
  }
  if (record.status_list.empty()) {
    return MakeError(Code::kFailedPrecondition, "status.no_entry",
                     "this credential was issued without a status entry");
  }
  if (record.state == "revoked" || record.state == "replaced") {
    return MakeError(Code::kFailedPrecondition, "status.revocation_permanent",
                     "this credential is revoked; revocation is final");
  }
  std::string list = record.status_list;
  if (record.format == "di" && action != StatusAction::kRevoke) list = SuspensionListFor(list);
  LANYARD_ASSIGN_OR_RETURN(StatusService::Change change,
                           status_.PlanChange(list, record.status_index, action, reason));
  std::string state = action == StatusAction::kRevoke    ? "revoked"
                      : action == StatusAction::kSuspend ? "suspended"
                                                         : "active";
  TimePoint now = clock_.Now();
  store::WriteBatch batch;
  batch.Add(store::SetStatusValue{list, record.status_index, change.from, change.to,
                                  std::string(reason), now});
  batch.Add(store::SetIssuedCredentialState{record.id, record.state, state});
  batch.Add(AuditOp(now, actor, "credential." + std::string(StatusActionName(action)), record.id,
                    DetailsJson({{"reason", std::string(reason)}})));
  LANYARD_TRY(store_.Apply(batch));
  record.state = state;
  if (status_observer_ && action != StatusAction::kReinstate) status_observer_(record, actor);
  return record;
}

Result<IssuedCredential> IssuerService::Reissue(const Principal& actor, std::string_view org_ods,
                                                std::string_view credential_id,
                                                std::optional<json::Value> claims,
                                                std::optional<TimePoint> valid_until,
                                                std::string_view reason) {
  LANYARD_ASSIGN_OR_RETURN(store::IssuedCredentialRecord old, Get(actor, org_ods, credential_id));
  if (reason.empty()) {
    return MakeError(Code::kInvalidArgument, "status.reason_required",
                     "a re-issue records why the old credential is replaced");
  }
  if (old.state == "revoked" || old.state == "replaced") {
    return MakeError(Code::kFailedPrecondition, "status.revocation_permanent",
                     "this credential is already revoked or replaced");
  }
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org, store_.GetOrganisation(org_ods));
  IssueRequest request;
  request.subject_user_id = old.subject_user_id;
  request.type = old.type;
  request.format = old.format;
  request.valid_until = valid_until ? valid_until : old.valid_until;
  if (claims) {
    request.claims = std::move(*claims);
  } else {
    LANYARD_ASSIGN_OR_RETURN(request.claims, json::Parse(old.claims_json));
    if (request.claims.is_object()) {
      json::Object kept;
      for (auto& member : request.claims.as_object()) {
        if (member.first != "id") kept.push_back(std::move(member));
      }
      request.claims = json::Value(std::move(kept));
    }
  }
  store::WriteBatch extra;
  TimePoint now = clock_.Now();
  if (!old.status_list.empty()) {
    LANYARD_ASSIGN_OR_RETURN(
        StatusService::Change change,
        status_.PlanChange(old.status_list, old.status_index, StatusAction::kRevoke, reason));
    extra.Add(store::SetStatusValue{old.status_list, old.status_index, change.from, change.to,
                                    std::string(reason), now});
  }
  extra.Add(store::SetIssuedCredentialState{old.id, old.state, "replaced"});
  extra.Add(AuditOp(now, actor, "credential.replace", old.id,
                    DetailsJson({{"reason", std::string(reason)}})));
  LANYARD_ASSIGN_OR_RETURN(IssuedCredential issued,
                           IssueInBatch(actor, org, std::move(request), old.id, std::move(extra)));
  old.state = "replaced";
  if (status_observer_) status_observer_(old, actor);
  return issued;
}

Result<IssuerService::PublishedList> IssuerService::PublishList(std::string_view list_id) {
  LANYARD_ASSIGN_OR_RETURN(store::StatusListRecord list, store_.GetList(list_id));
  std::string ods = list.id.substr(0, list.id.find('-'));
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord org, store_.GetOrganisation(ods));
  LANYARD_ASSIGN_OR_RETURN(OrgSigner signer, SignerFor(org));
  LANYARD_ASSIGN_OR_RETURN(
      std::string body,
      status_.Publish(list_id, ListSigner{signer.signer.get(), signer.verification_method}));
  return PublishedList{std::move(body), list.format == store::ListFormat::kToken
                                            ? "application/statuslist+jwt"
                                            : "application/vc+ld+json"};
}

}  // namespace lanyard::service
