#include "lanyard/service/deployment.h"

#include <cstdlib>

#include "lanyard/core/encoding.h"

namespace lanyard::service {

Result<std::unique_ptr<Deployment>> OpenDeployment(const DeploymentOptions& options,
                                                   const Clock& clock) {
  auto d = std::make_unique<Deployment>();
  d->base_url = options.base_url;
  while (!d->base_url.empty() && d->base_url.back() == '/') d->base_url.pop_back();
  LANYARD_ASSIGN_OR_RETURN(d->did_web_base, DidWebBaseFor(d->base_url));
  crypto::EnvironmentLookup env = options.environment;
  if (!env) env = [](const char* name) -> const char* { return std::getenv(name); };
  LANYARD_ASSIGN_OR_RETURN(
      crypto::MasterKeySource master,
      crypto::LoadOrCreateMasterKey(crypto::MasterKeyFileFor(options.db_path), env));
  d->master = std::make_unique<crypto::MasterKeySource>(std::move(master));
  LANYARD_ASSIGN_OR_RETURN(crypto::SecretKey totp,
                           crypto::DeriveSecretKey(d->master->key, "LanyTOTP", 1));
  d->totp_key = std::make_unique<crypto::SecretKey>(std::move(totp));
  LANYARD_ASSIGN_OR_RETURN(crypto::SecretKey wallet,
                           crypto::DeriveSecretKey(d->master->key, "LanyWalt", 1));
  d->wallet_key = std::make_unique<crypto::SecretKey>(std::move(wallet));
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyStoreSecret key_store_secret,
                           crypto::KeyStoreSecretFromMasterKey(d->master->key));
  LANYARD_ASSIGN_OR_RETURN(d->keys, crypto::OpenFileKeyStore(options.db_path + ".keys",
                                                             key_store_secret, options.key_store));
  LANYARD_ASSIGN_OR_RETURN(d->store, store::OpenSqliteStore(options.db_path, options.store));
  d->throttle = std::make_unique<LoginThrottle>(clock);
  ServiceSecrets secrets{d->totp_key.get(), d->wallet_key.get()};
  d->accounts = std::make_unique<AccountService>(*d->store, clock, *d->keys, secrets, *d->throttle,
                                                 options.accounts);
  d->issuer = std::make_unique<IssuerService>(*d->store, clock, *d->keys, secrets, d->base_url);
  d->wallet = std::make_unique<WalletService>(*d->store, clock, secrets, *d->accounts);
  d->sharing = std::make_unique<SharingService>(*d->store, clock, secrets, *d->accounts, *d->issuer,
                                                *d->wallet);
  // However a credential is revoked, suspended or replaced (its own route, the VC-API, a
  // re-issue), the reports that relied on it are marked. A report is evaluated afresh whenever
  // it is read, so a mark that fails to be written loses nothing but the note.
  d->issuer->SetStatusObserver(
      [sharing = d->sharing.get()](const store::IssuedCredentialRecord& record,
                                   const Principal& actor) {
        (void)sharing->MarkRelyingShares(record.id, record.state, actor);
      });
  d->bulk = std::make_unique<BulkIssueService>(*d->store, clock, *d->issuer, options.bulk);
  return d;
}

}  // namespace lanyard::service
