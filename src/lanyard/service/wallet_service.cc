#include "lanyard/service/wallet_service.h"

#include <algorithm>

#include "lanyard/crypto/secret_box.h"
#include "lanyard/service/issuer_service.h"

namespace lanyard::service {
namespace {

Status RequireStaff(const Principal& who) {
  if (who.kind != Principal::Kind::kUser || !who.roles.Has(Role::kStaff)) {
    return MakeError(Code::kPermissionDenied, "permission.denied",
                     "the hosted wallet is for the staff member whose passport it is");
  }
  return OkStatus();
}

}  // namespace

Result<WalletCredential> WalletService::Open(const store::WalletCredentialRecord& record) const {
  WalletCredential out;
  out.record = record;
  LANYARD_ASSIGN_OR_RETURN(Bytes text, crypto::Open(*secrets_.wallet, record.sealed,
                                                    WalletCredentialAd(record.user_id, record.id)));
  out.text.assign(text.begin(), text.end());
  out.standing = "valid";
  auto issued = store_.GetIssuedCredential(record.id);
  if (issued.ok() && issued->state != "active") out.standing = issued->state;
  TimePoint now = clock_.Now();
  if (record.valid_until) {
    auto left = std::chrono::floor<std::chrono::days>(*record.valid_until - now).count();
    out.days_left = left;
    if (out.standing == "valid") {
      if (*record.valid_until <= now) {
        out.standing = "expired";
      } else if (left < kExpiringDays) {
        out.standing = "expiring";
      }
    }
  }
  return out;
}

Result<std::vector<WalletCredential>> WalletService::List(const Principal& staff) const {
  LANYARD_TRY(RequireStaff(staff));
  LANYARD_ASSIGN_OR_RETURN(auto records, store_.ListWalletCredentials(staff.id));
  std::vector<WalletCredential> out;
  for (const auto& r : records) {
    LANYARD_ASSIGN_OR_RETURN(WalletCredential c, Open(r));
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.record.received > b.record.received;
  });
  return out;
}

Result<WalletCredential> WalletService::Get(const Principal& staff,
                                            std::string_view credential_id) const {
  LANYARD_TRY(RequireStaff(staff));
  auto record = store_.GetWalletCredential(credential_id);
  if (!record.ok() || record->user_id != staff.id) {
    return MakeError(Code::kNotFound, "wallet.not_found", "no such credential in your passport");
  }
  return Open(*record);
}

Result<json::Value> WalletService::Export(const Principal& staff) {
  LANYARD_TRY(RequireStaff(staff));
  if (!accounts_.HasFreshStepUp(staff)) {
    return MakeError(Code::kUnauthenticated, "auth.step_up_required",
                     "confirm it is you (password or authenticator code) before exporting");
  }
  LANYARD_ASSIGN_OR_RETURN(store::WalletRecord wallet, store_.GetWallet(staff.id));
  LANYARD_ASSIGN_OR_RETURN(auto credentials, List(staff));
  TimePoint now = clock_.Now();
  json::Array items;
  for (const auto& c : credentials) {
    json::Value item = json::Object{};
    item.Set("id", c.record.id);
    item.Set("type", c.record.type);
    item.Set("format", c.record.format);
    item.Set("issuer", c.record.issuer_ods);
    item.Set("standing", c.standing);
    item.Set("credential", c.text);
    items.push_back(std::move(item));
  }
  json::Value out = json::Object{};
  out.Set("holder", wallet.holder_did);
  out.Set("exported", FormatRfc3339(now));
  out.Set("credentials", json::Value(std::move(items)));
  store::WriteBatch batch;
  batch.Add(AuditOp(now, staff, "wallet.export", staff.id,
                    DetailsJson({{"credentials", std::to_string(credentials.size())}})));
  LANYARD_TRY(store_.Apply(batch));
  return out;
}

Result<std::vector<store::AuditEntry>> WalletService::History(const Principal& staff,
                                                              store::Page page) const {
  LANYARD_TRY(RequireStaff(staff));
  // The log is indexed by actor and subject; a passport's history is what was done by or to the
  // person, and to each of their credentials.
  store::Page all{page.offset + page.limit, 0};
  LANYARD_ASSIGN_OR_RETURN(auto entries, store_.AuditAbout(staff.id, all));
  LANYARD_ASSIGN_OR_RETURN(auto credentials, store_.ListWalletCredentials(staff.id));
  for (const auto& c : credentials) {
    LANYARD_ASSIGN_OR_RETURN(auto more, store_.AuditAbout(c.id, all));
    entries.insert(entries.end(), more.begin(), more.end());
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.seq > b.seq; });
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const auto& a, const auto& b) { return a.seq == b.seq; }),
                entries.end());
  if (page.offset >= entries.size()) return std::vector<store::AuditEntry>{};
  entries.erase(entries.begin(), entries.begin() + static_cast<ptrdiff_t>(page.offset));
  if (entries.size() > page.limit) entries.resize(page.limit);
  return entries;
}

}  // namespace lanyard::service
