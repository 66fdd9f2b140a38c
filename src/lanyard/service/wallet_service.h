// The hosted wallet: a staff member's own passport, kept by the service for people who do not
// carry a phone wallet. Credentials are sealed at rest with the deployment's wallet key, bound
// to their holder and id; the holder key is the person's own (did:key), sealed the same way.
//
// What a staff member sees of each credential is its plain-English standing: valid, expiring
// in N days, expired, suspended or revoked (the issuer's record decides the last two).
//
// Errors (reason, Code):
//   permission.denied        (kPermissionDenied) not a staff member, or not their credential
//   wallet.not_found         (kNotFound) no wallet, or no such credential in it
//   auth.step_up_required    (kUnauthenticated) export needs a fresh password or TOTP check
//   secretbox.corrupt        (kDataLoss) a sealed record that does not open
//   plus the store's errors.
//
// Thread-safety: safe from many threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/json/value.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/roles.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct WalletCredential {
  store::WalletCredentialRecord record;
  std::string text;       // the credential as issued
  std::string standing;   // "valid", "expiring", "expired", "suspended", "revoked", "replaced"
  std::optional<int64_t> days_left;  // until validUntil, when it has one
};

class WalletService {
 public:
  WalletService(store::Store& store, const Clock& clock, ServiceSecrets secrets,
                const AccountService& accounts)
      : store_(store), clock_(clock), secrets_(secrets), accounts_(accounts) {}

  // The staff member's credentials, newest first.
  Result<std::vector<WalletCredential>> List(const Principal& staff) const;
  Result<WalletCredential> Get(const Principal& staff, std::string_view credential_id) const;
  // Every credential as one JSON document ({"holder":DID,"exported":..,"credentials":[...]}),
  // recorded in the audit log. Needs a fresh step-up.
  Result<json::Value> Export(const Principal& staff);
  // The staff member's passport history: who did what with it, newest first.
  Result<std::vector<store::AuditEntry>> History(const Principal& staff, store::Page page) const;

  // Days before validUntil from which a credential shows as "expiring".
  static constexpr int kExpiringDays = 30;

 private:
  Result<WalletCredential> Open(const store::WalletCredentialRecord& record) const;

  store::Store& store_;
  const Clock& clock_;
  ServiceSecrets secrets_;
  const AccountService& accounts_;
};

}  // namespace lanyard::service
