#include "lanyard/service/sharing_service.h"

#include <algorithm>

#include "lanyard/crypto/secret_box.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/cohort.h"
#include "lanyard/passport/passport_credential.h"
#include "lanyard/passport/profile.h"
#include "lanyard/service/local_documents.h"
#include "lanyard/service/org_keys.h"
#include "lanyard/service/role_profiles.h"
#include "lanyard/verify/status_check.h"

namespace lanyard::service {
namespace {

constexpr auto kShareLifetime = std::chrono::hours(24 * 14);

Error NotFound() {
  return MakeError(Code::kNotFound, "share.not_found",
                   "no such share request: the link may be wrong, used or expired");
}

Error WrongState(const store::ShareRequestRecord& r, std::string_view wanted) {
  return MakeError(Code::kFailedPrecondition, "share.wrong_state",
                   "this share request is " + r.state + "; it must be " + std::string(wanted));
}

Bytes ShareAd(std::string_view id) {
  std::string ad = "lanyard.share.presentation.v1";
  ad.push_back('\0');
  ad += id;
  return Bytes(ad.begin(), ad.end());
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
  }
  return out;
}

std::string JoinCommas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// The recorded state of a report: overrides asked for, marks made by revocations, the last
// evaluation.
json::Value ReportState(const store::ShareRequestRecord& r) {
  if (!r.report_json.empty()) {
    auto parsed = json::Parse(r.report_json);
    if (parsed.ok() && parsed->is_object()) return *std::move(parsed);
  }
  return json::Value(json::Object{{"overrides", json::Value(json::Array{})},
                                  {"marks", json::Value(json::Array{})}});
}

json::Array* ArrayMember(json::Value& v, const std::string& name) {
  if (v.Find(name) == nullptr || !v.Find(name)->is_array()) v.Set(name, json::Value(json::Array{}));
  return &const_cast<json::Value*>(v.Find(name))->as_array();
}

}  // namespace

Result<trust::TrustRegistry> RegistryFromStore(const store::Store& store) {
  LANYARD_ASSIGN_OR_RETURN(auto orgs, store.ListOrganisations());
  json::Array organisations;
  json::Array authorisations;
  for (const auto& org : orgs) {
    json::Value o = json::Object{};
    o.Set("ods", org.ods);
    o.Set("name", org.name);
    json::Array kinds;
    std::vector<trust::OrgKind> parsed_kinds;
    for (const auto& k : SplitCommas(org.kinds)) {
      auto kind = trust::ParseOrgKind(k);
      if (!kind.ok()) continue;
      parsed_kinds.push_back(*kind);
      kinds.emplace_back(k);
    }
    o.Set("kinds", json::Value(std::move(kinds)));
    if (!org.region.empty()) o.Set("region", org.region);
    if (!org.ics.empty()) o.Set("ics", org.ics);
    o.Set("identifiers", json::Value(json::Array{json::Value(org.did)}));
    if (!org.signing_key_id.empty()) {
      json::Array keys;
      json::Value key = json::Object{};
      key.Set("id", org.did + "#" + org.signing_key_id);
      key.Set("status", "active");
      keys.push_back(std::move(key));
      LANYARD_ASSIGN_OR_RETURN(std::vector<RetiredKey> retired, ParseRetiredKeys(org.retired_keys));
      for (const RetiredKey& r : retired) {
        json::Value old = json::Object{};
        old.Set("id", org.did + "#" + r.key_id);
        old.Set("status", r.compromised ? "compromised" : "retired");
        old.Set("since", FormatRfc3339(r.since));
        keys.push_back(std::move(old));
      }
      o.Set("keys", json::Value(std::move(keys)));
    }
    organisations.push_back(std::move(o));
    json::Array types;
    for (const auto& info : passport::AllCredentialTypes()) {
      bool allowed = std::any_of(parsed_kinds.begin(), parsed_kinds.end(), [&](auto k) {
        return std::find(info.issuer_kinds.begin(), info.issuer_kinds.end(), k) !=
               info.issuer_kinds.end();
      });
      if (!allowed) continue;
      types.emplace_back(std::string(info.di_type));
      types.emplace_back(std::string(info.vct));
    }
    if (!types.empty()) {
      json::Value a = json::Object{};
      a.Set("organisation", org.ods);
      a.Set("credentialTypes", json::Value(std::move(types)));
      a.Set("from", FormatRfc3339(org.created));
      authorisations.push_back(std::move(a));
    }
  }
  json::Value doc = json::Object{};
  doc.Set("format", std::string(trust::kRegistryFormat));
  doc.Set("serial", 1);
  doc.Set("organisations", json::Value(std::move(organisations)));
  doc.Set("authorisations", json::Value(std::move(authorisations)));
  doc.Set("agreements", json::Value(json::Array{}));
  return trust::TrustRegistry::FromJson(doc);
}

SharingService::SharingService(store::Store& store, const Clock& clock, ServiceSecrets secrets,
                               AccountService& accounts, IssuerService& issuer,
                               WalletService& wallet)
    : store_(store),
      clock_(clock),
      secrets_(secrets),
      accounts_(accounts),
      issuer_(issuer),
      wallet_(wallet) {}

Result<CreatedShareRequest> SharingService::Create(const Principal& verifier,
                                                   std::string_view org_ods,
                                                   const ShareRequestInput& input) {
  if (verifier.org_ods != org_ods) {
    return MakeError(Code::kPermissionDenied, "permission.denied",
                     "share requests are made for your own organisation");
  }
  auto profile = RoleProfiles(store_, clock_).Current(org_ods, input.profile);
  if (!profile.ok()) {
    if (profile.error().code != Code::kNotFound) return std::move(profile).error();
    return MakeError(Code::kInvalidArgument, "share.invalid",
                     "unknown role profile \"" + input.profile.substr(0, 64) + "\"");
  }
  if (!passport::ParseMovement(input.movement).ok()) {
    return MakeError(Code::kInvalidArgument, "share.invalid",
                     "unknown movement \"" + input.movement.substr(0, 64) + "\"");
  }
  if (input.start_date.size() != 10 || !ParseRfc3339(input.start_date + "T00:00:00Z").ok()) {
    return MakeError(Code::kInvalidArgument, "share.invalid", "the start date is YYYY-MM-DD");
  }
  if (input.from_ods.size() > 10) {
    return MakeError(Code::kInvalidArgument, "share.invalid", "an ODS code is 1 to 10 characters");
  }
  CreatedShareRequest out;
  out.link_secret = NewSecret("lyl_");
  store::ShareRequestRecord& r = out.record;
  r.id = NewId();
  r.requesting_org = std::string(org_ods);
  r.created_by = verifier.Actor();
  // The version the request is made under, so that its report never changes with the profile.
  r.profile = FormatProfileRef(profile->ref);
  r.movement = input.movement;
  r.start_date = input.start_date;
  r.link_hash = HashSecret(out.link_secret);
  r.created = clock_.Now();
  r.expires = r.created + kShareLifetime;
  r.state = "open";
  json::Value state = ReportState(r);
  state.Set("from", input.from_ods);
  r.report_json = json::Serialize(state);
  store::WriteBatch batch;
  batch.Add(store::InsertShareRequest{r});
  batch.Add(AuditOp(r.created, verifier, "share.create", r.id,
                    DetailsJson({{"profile", r.profile}, {"movement", r.movement}})));
  LANYARD_TRY(store_.Apply(batch));
  return out;
}

Result<DisclosurePlan> SharingService::Open(const Principal& staff, std::string_view link_secret) {
  if (!staff.roles.Has(Role::kStaff)) {
    return MakeError(Code::kPermissionDenied, "permission.denied",
                     "share links are opened by the staff member whose passport is asked for");
  }
  if (link_secret.empty() || link_secret.size() > 128) return NotFound();
  auto found = store_.FindShareRequestByLink(HashSecret(link_secret));
  if (!found.ok()) return NotFound();
  store::ShareRequestRecord r = *std::move(found);
  TimePoint now = clock_.Now();
  // Single use: the first staff member to open the link is the only one it works for.
  if (now >= r.expires || (!r.staff_user_id.empty() && r.staff_user_id != staff.id) ||
      (r.state != "open")) {
    return NotFound();
  }
  LANYARD_ASSIGN_OR_RETURN(auto credentials, wallet_.List(staff));
  json::Array items;
  for (const auto& c : credentials) {
    if (c.standing != "valid" && c.standing != "expiring") continue;
    const passport::CredentialTypeInfo* info = passport::FindCredentialType(c.record.type);
    json::Value item = json::Object{};
    item.Set("id", c.record.id);
    item.Set("type", c.record.type);
    item.Set("issuer", c.record.issuer_ods);
    item.Set("format", c.record.format);
    json::Array shown, withheld;
    if (c.record.format == "sd-jwt" && info != nullptr) {
      auto defaults = passport::DefaultDisclosurePaths(c.text);
      std::vector<std::string> reveal = defaults.ok() ? *defaults : std::vector<std::string>{};
      for (const auto& p : reveal) shown.emplace_back(p);
      for (auto p : info->selectively_disclosable) {
        if (std::find(reveal.begin(), reveal.end(), p) == reveal.end()) {
          withheld.emplace_back(std::string(p));
        }
      }
      item.Set("alwaysShown", "the claims that are not selectively disclosable");
    } else {
      auto doc = json::Parse(c.text);
      const json::Value* subject = doc.ok() ? doc->Find("credentialSubject") : nullptr;
      if (subject != nullptr && subject->is_object()) {
        for (const auto& [name, value] : subject->as_object()) shown.emplace_back(name);
      }
    }
    item.Set("disclosed", json::Value(std::move(shown)));
    item.Set("withheld", json::Value(std::move(withheld)));
    items.push_back(std::move(item));
  }
  json::Value plan = json::Object{};
  plan.Set("requestedBy", r.requesting_org);
  plan.Set("profile", r.profile);
  plan.Set("movement", r.movement);
  plan.Set("startDate", r.start_date);
  plan.Set("credentials", json::Value(std::move(items)));
  std::string expected = r.state;
  r.staff_user_id = staff.id;
  r.disclosure_json = json::Serialize(plan);
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, expected});
  batch.Add(AuditOp(now, staff, "share.open", r.id, DetailsJson({{"org", r.requesting_org}})));
  LANYARD_TRY(store_.Apply(batch));
  return DisclosurePlan{std::move(r), std::move(plan)};
}

Result<store::ShareRequestRecord> SharingService::GetForStaff(const Principal& staff,
                                                              std::string_view request_id) const {
  auto found = store_.GetShareRequest(request_id);
  if (!found.ok() || staff.id.empty() || found->staff_user_id != staff.id) return NotFound();
  return found;
}

Result<store::ShareRequestRecord> SharingService::Consent(const Principal& staff,
                                                          std::string_view request_id) {
  auto found = store_.GetShareRequest(request_id);
  if (!found.ok() || found->staff_user_id != staff.id) return NotFound();
  store::ShareRequestRecord r = *std::move(found);
  if (r.state != "open") return WrongState(r, "open");
  TimePoint now = clock_.Now();
  if (now >= r.expires) return NotFound();
  if (!accounts_.HasFreshStepUp(staff)) {
    return MakeError(Code::kUnauthenticated, "auth.step_up_required",
                     "confirm it is you (password or authenticator code) before sharing");
  }
  // Exactly what the plan showed: the credentials listed there, and nothing issued since.
  LANYARD_ASSIGN_OR_RETURN(json::Value plan, json::Parse(r.disclosure_json));
  std::vector<std::string> ids;
  if (const json::Value* list = plan.Find("credentials"); list != nullptr && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (const std::string* id = item.FindString("id")) ids.push_back(*id);
    }
  }
  if (ids.empty()) {
    return MakeError(Code::kFailedPrecondition, "share.nothing_to_share",
                     "your passport holds no valid credential to share");
  }
  LANYARD_ASSIGN_OR_RETURN(store::WalletRecord wallet, store_.GetWallet(staff.id));
  LANYARD_ASSIGN_OR_RETURN(Bytes secret, crypto::Open(*secrets_.wallet, wallet.holder_key_sealed,
                                                      HolderKeyAd(staff.id)));
  auto holder = crypto::PrivateKey::FromSecret(crypto::KeyType::kEd25519, secret);
  std::fill(secret.begin(), secret.end(), 0);
  if (!holder.ok()) return std::move(holder).error();
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord requester,
                           store_.GetOrganisation(r.requesting_org));

  json::Array presentations;
  json::Array di_credentials;
  for (const auto& id : ids) {
    LANYARD_ASSIGN_OR_RETURN(WalletCredential c, wallet_.Get(staff, id));
    if (c.record.format == "sd-jwt") {
      LANYARD_ASSIGN_OR_RETURN(auto paths, passport::DefaultDisclosurePaths(c.text));
      std::vector<formats::sdjwt::ClaimPath> reveal;
      for (const auto& p : paths) {
        LANYARD_ASSIGN_OR_RETURN(auto parsed, formats::sdjwt::ParseClaimPath(p));
        reveal.push_back(std::move(parsed));
      }
      formats::sdjwt::KeyBindingRequest kb{&*holder, r.id, requester.did, now};
      LANYARD_ASSIGN_OR_RETURN(std::string presented,
                               formats::sdjwt::PresentSdJwt(c.text, reveal, &kb));
      presentations.emplace_back(std::move(presented));
    } else {
      LANYARD_ASSIGN_OR_RETURN(json::Value vc, json::Parse(c.text));
      di_credentials.push_back(std::move(vc));
    }
  }
  if (!di_credentials.empty()) {
    json::Value vp = json::Object{};
    vp.Set("@context",
           json::Value(json::Array{json::Value("https://www.w3.org/ns/credentials/v2")}));
    vp.Set("type", json::Value(json::Array{json::Value("VerifiablePresentation")}));
    vp.Set("holder", wallet.holder_did);
    vp.Set("verifiableCredential", json::Value(std::move(di_credentials)));
    formats::di::ProofOptions options;
    options.verification_method = did::DidKeyMethodId(holder->public_key());
    options.proof_purpose = "authentication";
    options.created = now;
    options.challenge = r.id;
    options.domain = requester.did;
    LANYARD_ASSIGN_OR_RETURN(json::Value signed_vp,
                             formats::di::AddProof(std::move(vp), options, *holder));
    presentations.emplace_back(json::Serialize(signed_vp));
  }
  std::string packed = json::Serialize(json::Value(std::move(presentations)));
  r.presentation_sealed =
      crypto::Seal(*secrets_.wallet,
                   ByteView(reinterpret_cast<const uint8_t*>(packed.data()), packed.size()),
                   ShareAd(r.id));
  r.credential_ids = JoinCommas(ids);
  r.state = "consented";
  r.consented_at = now;
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, "open"});
  batch.Add(AuditOp(now, staff, "share.consent", r.id,
                    DetailsJson({{"org", r.requesting_org}, {"credentials", r.credential_ids}})));
  LANYARD_TRY(store_.Apply(batch));
  return r;
}

Result<store::ShareRequestRecord> SharingService::Withdraw(const Principal& staff,
                                                           std::string_view request_id) {
  auto found = store_.GetShareRequest(request_id);
  if (!found.ok() || found->staff_user_id != staff.id) return NotFound();
  store::ShareRequestRecord r = *std::move(found);
  if (r.state != "open" && r.state != "consented" && r.state != "received") {
    return WrongState(r, "open, consented or received");
  }
  std::string expected = r.state;
  r.state = "withdrawn";
  r.presentation_sealed.clear();
  r.closed_at = clock_.Now();
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, expected});
  batch.Add(AuditOp(*r.closed_at, staff, "share.withdraw", r.id,
                    DetailsJson({{"org", r.requesting_org}})));
  LANYARD_TRY(store_.Apply(batch));
  return r;
}

Result<std::vector<store::ShareRequestRecord>> SharingService::ForStaff(const Principal& staff,
                                                                        store::Page page) const {
  if (!staff.roles.Has(Role::kStaff)) {
    return MakeError(Code::kPermissionDenied, "permission.denied", "for staff members");
  }
  return store_.ListShareRequests("", staff.id, page);
}

Result<store::ShareRequestRecord> SharingService::OwnRequest(const Principal& verifier,
                                                             std::string_view org_ods,
                                                             std::string_view id) const {
  if (verifier.org_ods != org_ods) return NotFound();
  auto found = store_.GetShareRequest(id);
  if (!found.ok() || found->requesting_org != org_ods) return NotFound();
  return found;
}

Result<store::ShareRequestRecord> SharingService::Get(const Principal& verifier,
                                                      std::string_view org_ods,
                                                      std::string_view request_id) const {
  return OwnRequest(verifier, org_ods, request_id);
}

// What every evaluation at one moment shares: the trust registry as it stands, the resolver and
// the status checker (which keeps the status lists it has read), so that evaluating many
// requests at once (a profile's preview) reads each of them once.
struct SharingService::EvaluationContext {
  EvaluationContext(IssuerService& issuer, const store::Store& store, const Clock& clock,
                    TimePoint at, trust::TrustRegistry trust)
      : now(at),
        registry(std::move(trust)),
        resolver(NewServiceResolver(issuer, store)),
        // The deployment's own lists are read entry by entry from the store (as current as a
        // freshly published list); only a list the store does not know falls back to publishing.
        local_lists(NewLocalStatusLists(store, issuer.base_url())),
        status_http(issuer),
        checker(*resolver, clock, StatusOptions()) {}

  verify::StatusCheckOptions StatusOptions() {
    verify::StatusCheckOptions options;
    options.local = local_lists.get();
    options.http = &status_http;
    options.trust = &registry;
    return options;
  }

  const TimePoint now;
  const trust::TrustRegistry registry;
  const std::unique_ptr<did::Resolver> resolver;
  const std::unique_ptr<verify::LocalStatusLists> local_lists;
  LocalStatusHttpClient status_http;
  verify::StatusChecker checker;
};

Result<std::unique_ptr<SharingService::EvaluationContext>> SharingService::NewEvaluationContext(
    TimePoint now) const {
  LANYARD_ASSIGN_OR_RETURN(trust::TrustRegistry registry, RegistryFromStore(store_));
  return std::make_unique<EvaluationContext>(issuer_, store_, clock_, now, std::move(registry));
}

Result<SharingService::Gathered> SharingService::Gather(const store::ShareRequestRecord& r,
                                                        EvaluationContext& context) const {
  LANYARD_ASSIGN_OR_RETURN(Bytes packed,
                           crypto::Open(*secrets_.wallet, r.presentation_sealed, ShareAd(r.id)));
  LANYARD_ASSIGN_OR_RETURN(json::Value presentations,
                           json::Parse(std::string_view(reinterpret_cast<const char*>(packed.data()),
                                                        packed.size())));
  LANYARD_ASSIGN_OR_RETURN(store::OrganisationRecord requester,
                           store_.GetOrganisation(r.requesting_org));
  LANYARD_ASSIGN_OR_RETURN(passport::Movement movement, passport::ParseMovement(r.movement));
  LANYARD_ASSIGN_OR_RETURN(TimePoint start, ParseRfc3339(r.start_date + "T00:00:00Z"));

  verify::VerifyOptions options;
  options.now = context.now;
  options.trust = &context.registry;
  options.require_trust = true;
  options.status = &context.checker;
  options.challenge = r.id;
  options.domain = requester.did;

  Gathered g;
  if (presentations.is_array()) {
    size_t n = 0;
    for (const auto& p : presentations.as_array()) {
      if (!p.is_string()) continue;
      passport::ReadEvidenceDocument("presentation[" + std::to_string(n++) + "]", p.as_string(),
                                     *context.resolver, options, &g.evidence, &g.request.holder);
    }
  }
  g.state = ReportState(r);
  passport::ReadinessRequest& request = g.request;
  request.movement = movement;
  if (const std::string* from = g.state.FindString("from")) request.from_ods = *from;
  request.receiving_ods = r.requesting_org;
  request.start = start;
  request.now = context.now;
  request.registry = &context.registry;
  if (const json::Value* overrides = g.state.Find("overrides");
      overrides && overrides->is_array()) {
    for (const auto& o : overrides->as_array()) {
      auto decision = passport::ParseDecision(o.FindString("decision") ? *o.FindString("decision")
                                                                        : "");
      if (!decision.ok()) continue;
      request.overrides.push_back(
          {o.FindString("check") ? *o.FindString("check") : "", *decision,
           o.FindString("reason") ? *o.FindString("reason") : "",
           o.FindString("by") ? *o.FindString("by") : ""});
    }
  }
  return g;
}

passport::Readiness SharingService::Decide(const Gathered& gathered,
                                           const passport::Profile& profile) {
  passport::ReadinessRequest request = gathered.request;
  request.profile = &profile;
  return passport::EvaluateReadiness(request, gathered.evidence);
}

Result<json::Value> SharingService::Report(const Principal& verifier, std::string_view org_ods,
                                           std::string_view request_id) {
  LANYARD_ASSIGN_OR_RETURN(store::ShareRequestRecord r, OwnRequest(verifier, org_ods, request_id));
  if (r.state != "consented" && r.state != "received") {
    return WrongState(r,
                      "consented (the staff member has not shared, has withdrawn, or the "
                      "request is closed)");
  }
  const TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(auto context, NewEvaluationContext(now));
  LANYARD_ASSIGN_OR_RETURN(Gathered gathered, Gather(r, *context));
  LANYARD_ASSIGN_OR_RETURN(passport::Profile profile,
                           RoleProfiles(store_, clock_).Resolve(r.requesting_org, r.profile));
  const passport::Readiness readiness = Decide(gathered, profile);
  json::Value& state = gathered.state;
  json::Value report = readiness.ToJson();
  json::Value out = json::Object{};
  out.Set("request", r.id);
  out.Set("requestedBy", r.requesting_org);
  out.Set("profile", r.profile);
  out.Set("movement", r.movement);
  out.Set("startDate", r.start_date);
  out.Set("evaluated", FormatRfc3339(now));
  if (const json::Value* marks = state.Find("marks")) out.Set("marks", *marks);
  out.Set("readiness", report);

  std::string expected = r.state;
  if (r.state == "consented") {
    r.state = "received";
    r.received_at = now;
  }
  state.Set("last", report);
  r.report_json = json::Serialize(state);
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, expected});
  batch.Add(AuditOp(now, verifier, "share.view", r.id,
                    DetailsJson({{"overall", readiness.overall},
                                 {"staff", r.staff_user_id}})));
  LANYARD_TRY(store_.Apply(batch));
  return out;
}

Result<std::vector<ProfilePreviewRow>> SharingService::PreviewProfile(
    const Principal& admin, std::string_view org_ods, const passport::Profile& candidate,
    size_t limit) {
  if (admin.org_ods != org_ods) return NotFound();
  std::vector<ProfilePreviewRow> rows;
  const TimePoint now = clock_.Now();
  LANYARD_ASSIGN_OR_RETURN(auto context, NewEvaluationContext(now));
  RoleProfiles profiles(store_, clock_);
  std::map<std::string, passport::Profile, std::less<>> recorded;  // by reference
  constexpr size_t kPage = 500;
  for (size_t offset = 0; rows.size() < limit; offset += kPage) {
    LANYARD_ASSIGN_OR_RETURN(auto page,
                             store_.ListShareRequests(org_ods, "", store::Page{kPage, offset}));
    for (const store::ShareRequestRecord& r : page) {
      if (rows.size() >= limit) break;
      if (r.state != "consented" && r.state != "received") continue;
      auto ref = ParseProfileRef(r.profile);
      if (!ref.ok() || ref->id != candidate.id) continue;
      auto made_under = recorded.find(r.profile);
      if (made_under == recorded.end()) {
        LANYARD_ASSIGN_OR_RETURN(passport::Profile p, profiles.Resolve(org_ods, r.profile));
        made_under = recorded.emplace(r.profile, std::move(p)).first;
      }
      // The credentials are verified once; only the decisions differ between the profiles.
      LANYARD_ASSIGN_OR_RETURN(Gathered gathered, Gather(r, *context));
      const passport::Readiness before = Decide(gathered, made_under->second);
      const passport::Readiness after = Decide(gathered, candidate);
      ProfilePreviewRow row;
      row.request = r;
      row.before = before.overall;
      row.after = after.overall;
      auto compare = [&](const std::map<std::string, passport::CheckResult>& was,
                         const std::map<std::string, passport::CheckResult>& will,
                         std::string_view prefix) {
        for (const auto& [item, result] : will) {
          auto it = was.find(item);
          const std::string old_decision(
              it == was.end() ? "not_required" : passport::DecisionName(it->second.decision));
          const std::string new_decision(passport::DecisionName(result.decision));
          if (old_decision != new_decision) {
            row.changes.push_back({std::string(prefix) + item, old_decision, new_decision});
          }
        }
        for (const auto& [item, result] : was) {
          if (will.contains(item) || result.decision == passport::Decision::kNotRequired) continue;
          row.changes.push_back({std::string(prefix) + item,
                                 std::string(passport::DecisionName(result.decision)),
                                 "not_required"});
        }
      };
      compare(before.checks, after.checks, "");
      compare(before.training, after.training, "training.");
      rows.push_back(std::move(row));
    }
    if (page.size() < kPage) break;
  }
  // The staff members' readiness was read, though nothing about them changed: said in the log.
  store::WriteBatch batch;
  batch.Add(AuditOp(now, admin, "profile.preview",
                    FormatProfileRef({candidate.id, candidate.version}),
                    DetailsJson({{"requests", std::to_string(rows.size())}})));
  LANYARD_TRY(store_.Apply(batch));
  return rows;
}

Result<json::Value> SharingService::Override(const Principal& verifier, std::string_view org_ods,
                                             std::string_view request_id,
                                             const passport::Override& o) {
  LANYARD_ASSIGN_OR_RETURN(store::ShareRequestRecord r, OwnRequest(verifier, org_ods, request_id));
  if (r.state != "consented" && r.state != "received") return WrongState(r, "received");
  if (o.check.empty() || o.check.size() > 64 || o.reason.empty() || o.reason.size() > 1000) {
    return MakeError(Code::kInvalidArgument, "share.invalid",
                     "an override names a check and gives a reason");
  }
  json::Value state = ReportState(r);
  json::Value entry = json::Object{};
  entry.Set("check", o.check);
  entry.Set("decision", std::string(passport::DecisionName(o.decision)));
  entry.Set("reason", o.reason);
  entry.Set("by", verifier.Actor());
  entry.Set("at", FormatRfc3339(clock_.Now()));
  ArrayMember(state, "overrides")->push_back(std::move(entry));
  std::string expected = r.state;
  r.report_json = json::Serialize(state);
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, expected});
  batch.Add(AuditOp(clock_.Now(), verifier, "share.override", r.id,
                    DetailsJson({{"check", o.check},
                                 {"decision", std::string(passport::DecisionName(o.decision))},
                                 {"reason", o.reason}})));
  LANYARD_TRY(store_.Apply(batch));
  return Report(verifier, org_ods, request_id);
}

Result<store::ShareRequestRecord> SharingService::Close(const Principal& verifier,
                                                        std::string_view org_ods,
                                                        std::string_view request_id) {
  LANYARD_ASSIGN_OR_RETURN(store::ShareRequestRecord r, OwnRequest(verifier, org_ods, request_id));
  if (r.state == "closed" || r.state == "withdrawn") return WrongState(r, "open or received");
  std::string expected = r.state;
  r.state = "closed";
  r.presentation_sealed.clear();  // the organisation's access ends with its purpose
  r.closed_at = clock_.Now();
  store::WriteBatch batch;
  batch.Add(store::UpdateShareRequest{r, expected});
  batch.Add(AuditOp(*r.closed_at, verifier, "share.close", r.id));
  LANYARD_TRY(store_.Apply(batch));
  return r;
}

Status SharingService::MarkRelyingShares(std::string_view credential_id, std::string_view what,
                                         const Principal& actor) {
  LANYARD_ASSIGN_OR_RETURN(auto shares, store_.SharesRelyingOn(credential_id));
  TimePoint now = clock_.Now();
  for (auto& r : shares) {
    if (r.state != "consented" && r.state != "received") continue;
    json::Value state = ReportState(r);
    json::Value mark = json::Object{};
    mark.Set("credential", std::string(credential_id));
    mark.Set("what", std::string(what));
    mark.Set("at", FormatRfc3339(now));
    ArrayMember(state, "marks")->push_back(std::move(mark));
    std::string expected = r.state;
    r.report_json = json::Serialize(state);
    store::WriteBatch batch;
    batch.Add(store::UpdateShareRequest{r, expected});
    batch.Add(AuditOp(now, actor, "share.marked", r.id,
                      DetailsJson({{"credential", std::string(credential_id)},
                                   {"what", std::string(what)}})));
    // A share that moved on meanwhile (closed, withdrawn) needs no mark.
    auto applied = store_.Apply(batch);
    if (!applied.ok() && applied.error().reason != "store.conflict") {
      return std::move(applied).error();
    }
  }
  return OkStatus();
}

}  // namespace lanyard::service
