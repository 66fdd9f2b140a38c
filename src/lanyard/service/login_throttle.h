// Sign-in rate limiting and account lockout, kept in process memory.
//
// Two independent limits, both asked before a password (or code) is checked:
//   - Per remote address: at most `max_failures_per_remote` failed attempts within any
//     `remote_window` (default 30 in 5 minutes, a sliding window); beyond that the address is
//     refused until its oldest failure in the window ages out (auth.rate_limited). Successful
//     sign-ins do not count, so hundreds of staff behind one hospital NAT can all sign in. IPv6
//     addresses are counted per /64 prefix (one host usually controls a whole /64, so counting
//     single addresses would let it rotate freely); IPv4 and IPv4-mapped IPv6 addresses
//     singly; anything else (a name, a test label) as given.
//   - Per account: after `failures_before_lock` consecutive failures (default 5) the account is
//     locked for `first_lock` (15 minutes); each further lock doubles, up to `max_lock` (24 h).
//     RecordSuccess clears both the failure count and the lock history. While locked,
//     CheckAllowed refuses (auth.locked) and failures are not counted.
//
// An account's failures and lock history are forgotten `forget_after` (default 24 h) after its
// last failure or the end of its last lock, whichever is later; a remote address's failures
// leave as they age out of the window.
//
// Memory is bounded: at most `max_tracked` accounts and as many remote addresses, each a fixed
// size (keys are kept as SHA-256 digests, so a long user name costs no more than a short one,
// and no user names sit in memory), plus the failure times of each address (8 bytes each, at
// most max_failures_per_remote); about 35 MB at the defaults if every slot is in use. When full,
// the entry that would be forgotten soonest is dropped: unlocked accounts before locked ones, so
// a flood of new names cannot free an account from its lock.
//
// The caller is expected to: call CheckAllowed before verifying; on a wrong password (or an
// unknown account: call RecordFailure with the name as typed, so unknown and known accounts
// behave alike) RecordFailure; on success RecordSuccess. Checks and records are separate calls,
// so concurrent attempts that all pass CheckAllowed before any failure is recorded each get a
// try; the server bounds concurrent sign-ins (they cost 64 MiB of Argon2id each anyway).
// Account names should be normalised (case, whitespace) by the caller the same way the store
// looks them up.
//
// A lockout policy lets anyone who knows a user name lock that user out for a while: the price
// of stopping online guessing. The lock lengths are NCSC-style; keep them modest.
//
// Errors (reasons, with their codes):
//   auth.rate_limited  too many failures from this address; the message says in how many
//                      seconds to try again                               (kResourceExhausted)
//   auth.locked        the account is locked; the message says until when  (kPermissionDenied)
//
// Thread-safety: every method is safe to call from many threads at once (one mutex).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lanyard/core/clock.h"
#include "lanyard/core/result.h"
#include "lanyard/crypto/sha256.h"

namespace lanyard::service {

struct LoginThrottleOptions {
  int max_failures_per_remote = 30;
  std::chrono::seconds remote_window = std::chrono::minutes(5);
  int failures_before_lock = 5;
  std::chrono::seconds first_lock = std::chrono::minutes(15);
  std::chrono::seconds max_lock = std::chrono::hours(24);
  std::chrono::seconds forget_after = std::chrono::hours(24);
  size_t max_tracked = 100'000;  // accounts, and separately remote addresses
};

class LoginThrottle {
 public:
  // REQUIRES: every count and duration in `options` positive; `clock` outlives the throttle.
  explicit LoginThrottle(const Clock& clock, LoginThrottleOptions options = {});

  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // OK when an attempt for `account` from `remote` may go ahead.
  // Errors: auth.rate_limited (checked first), auth.locked.
  Status CheckAllowed(std::string_view account, std::string_view remote);

  // A failed attempt: counts against the remote address and, unless it is locked, the account
  // (locking it on the failures_before_lock-th consecutive failure).
  void RecordFailure(std::string_view account, std::string_view remote);

  // A successful sign-in: the account's failures and lock history are cleared.
  void RecordSuccess(std::string_view account);

  // When the account's current lock ends; nullopt when it is not locked.
  std::optional<TimePoint> LockedUntil(std::string_view account);

  // When `remote` may try again; nullopt when it is not rate limited. For a Retry-After header.
  std::optional<TimePoint> RateLimitedUntil(std::string_view remote);

  // How many accounts and remote addresses are tracked now (for tests and metrics).
  size_t TrackedAccounts();
  size_t TrackedRemotes();

 private:
  using Key = crypto::Sha256Digest;

  struct Account {
    int failures = 0;  // consecutive, since the last lock or success
    int locks = 0;     // locks since the last success
    TimePoint last_failure{};
    TimePoint locked_until{};
    TimePoint forget_at{};
  };
  struct Remote {
    // Failure times in the window, oldest first; at most max_failures_per_remote.
    std::vector<TimePoint> failures;
    TimePoint forget_at{};
  };

  // A map plus an index by forget_at, so expired entries leave in order and the entry to evict
  // when full is the first of the index.
  template <typename State>
  struct Table {
    std::map<Key, State> entries;
    std::set<std::pair<TimePoint, Key>> by_forget;

    State* Find(const Key& key);
    // The entry for `key`, created (evicting the first of by_forget when at `cap`) if absent.
    State& FindOrAdd(const Key& key, size_t cap);
    void SetForget(const Key& key, State& state, TimePoint forget_at);
    void Erase(const Key& key);
    void DropExpired(TimePoint now);
  };

  static Key AccountKey(std::string_view account);
  static Key RemoteKey(std::string_view remote);

  // The time until which `remote` is refused, or nullopt. REQUIRES: mu_ held.
  std::optional<TimePoint> RemoteBlockedUntil(const Key& key, TimePoint now);
  std::optional<TimePoint> AccountLockedUntil(const Key& key, TimePoint now);
  std::chrono::seconds LockLength(int lock_number) const;

  const Clock& clock_;
  const LoginThrottleOptions options_;
  std::mutex mu_;
  Table<Account> accounts_;
  Table<Remote> remotes_;
};

}  // namespace lanyard::service
