// One deployment of the passport service, opened from its database path: the store, the master
// key and the keys derived from it, the organisations' key store, and the services over them.
// `lanyard serve`, the administration commands, the in-process tests and the benchmarks all
// open a deployment the same way, so they cannot disagree about where anything lives:
//
//   <db>              the SQLite store (WAL: also <db>-wal and <db>-shm)
//   <db>.master-key   the master key (mode 0600), unless LANYARD_MASTER_KEY is set
//   <db>.keys/        the organisations' signing keys, encrypted under a key derived from it
//
// The master key never encrypts anything itself; separate keys are derived from it for TOTP
// secrets, hosted wallets and the key store, so one use cannot be turned against another.
//
// Thread-safety: the services are safe from many threads; Deployment itself is not copied.
#pragma once

#include <memory>
#include <string>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/key_store.h"
#include "lanyard/crypto/master_key.h"
#include "lanyard/crypto/secret_box.h"
#include "lanyard/service/accounts.h"
#include "lanyard/service/bulk_issue.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/service/login_throttle.h"
#include "lanyard/service/sharing_service.h"
#include "lanyard/service/wallet_service.h"
#include "lanyard/store/store.h"

namespace lanyard::service {

struct DeploymentOptions {
  std::string db_path;
  // The origin the service is reached at; fixed for the life of a deployment, because it is
  // part of every organisation's DID (did:web:<host>:orgs:<ODS>).
  std::string base_url = "http://127.0.0.1:8443";
  AccountOptions accounts;
  store::SqliteStoreOptions store;
  crypto::FileKeyStoreOptions key_store;
  crypto::EnvironmentLookup environment;  // null: the process environment
  BulkIssueOptions bulk;
};

struct Deployment {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::MasterKeySource> master;
  std::unique_ptr<crypto::SecretKey> totp_key;
  std::unique_ptr<crypto::SecretKey> wallet_key;
  std::unique_ptr<crypto::KeyStore> keys;
  std::unique_ptr<LoginThrottle> throttle;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<IssuerService> issuer;
  std::unique_ptr<WalletService> wallet;
  std::unique_ptr<SharingService> sharing;
  std::string base_url;
  std::string did_web_base;
  // Last, so it is destroyed first: its workers stop before the services they use go.
  std::unique_ptr<BulkIssueService> bulk;
};

// Opens (creating and migrating when new) the deployment at options.db_path.
// Errors: the store's, the master key's (masterkey.*) and the key store's (keystore.*) errors;
// config.base_url for a base URL that is not an http(s) origin.
Result<std::unique_ptr<Deployment>> OpenDeployment(const DeploymentOptions& options,
                                                   const Clock& clock);

}  // namespace lanyard::service
