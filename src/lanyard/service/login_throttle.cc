#include "lanyard/service/login_throttle.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace lanyard::service {

template <typename State>
State* LoginThrottle::Table<State>::Find(const Key& key) {
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

template <typename State>
State& LoginThrottle::Table<State>::FindOrAdd(const Key& key, size_t cap) {
  if (State* state = Find(key)) return *state;
  if (entries.size() >= cap && !by_forget.empty()) Erase(by_forget.begin()->second);
  return entries[key];
}

template <typename State>
void LoginThrottle::Table<State>::SetForget(const Key& key, State& state, TimePoint forget_at) {
  by_forget.erase({state.forget_at, key});
  state.forget_at = forget_at;
  by_forget.emplace(forget_at, key);
}

template <typename State>
void LoginThrottle::Table<State>::Erase(const Key& key) {
  auto it = entries.find(key);
  if (it == entries.end()) return;
  by_forget.erase({it->second.forget_at, key});
  entries.erase(it);
}

template <typename State>
void LoginThrottle::Table<State>::DropExpired(TimePoint now) {
  // Amortised constant: each entry is dropped once, and each call stops at the first live one.
  while (!by_forget.empty() && by_forget.begin()->first <= now) {
    const Key key = by_forget.begin()->second;
    by_forget.erase(by_forget.begin());
    entries.erase(key);
  }
}

LoginThrottle::LoginThrottle(const Clock& clock, LoginThrottleOptions options)
    : clock_(clock), options_(options) {}

LoginThrottle::Key LoginThrottle::AccountKey(std::string_view account) {
  return crypto::Sha256(AsBytes(account));
}

LoginThrottle::Key LoginThrottle::RemoteKey(std::string_view remote) {
  // Each kind gets its own prefix, so an address and a name can never share a key.
  std::string text(remote);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  unsigned char v6[16];
  unsigned char v4[4];
  std::string normalised;
  if (text.find('\0') != std::string::npos) {
    normalised = "s:" + std::string(remote);  // inet_pton would stop at the NUL
  } else if (::inet_pton(AF_INET, text.c_str(), v4) == 1) {
    normalised = "4:" + std::string(reinterpret_cast<const char*>(v4), 4);
  } else if (::inet_pton(AF_INET6, text.c_str(), v6) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
      normalised = "4:" + std::string(reinterpret_cast<const char*>(v6 + 12), 4);
    } else {
      normalised = "6:" + std::string(reinterpret_cast<const char*>(v6), 8);  // the /64
    }
  } else {
    normalised = "s:" + std::string(remote);
  }
  return crypto::Sha256(AsBytes(normalised));
}

std::chrono::seconds LoginThrottle::LockLength(int lock_number) const {
  std::chrono::seconds length = options_.first_lock;
  for (int i = 1; i < lock_number && length < options_.max_lock; ++i) length *= 2;
  return std::min(length, options_.max_lock);
}

std::optional<TimePoint> LoginThrottle::RemoteBlockedUntil(const Key& key, TimePoint now) {
  remotes_.DropExpired(now);
  Remote* remote = remotes_.Find(key);
  if (remote == nullptr) return std::nullopt;
  const auto in_window =
      std::find_if(remote->failures.begin(), remote->failures.end(),
                   [&](TimePoint t) { return t + options_.remote_window > now; });
  const auto count = static_cast<size_t>(remote->failures.end() - in_window);
  const auto limit = static_cast<size_t>(options_.max_failures_per_remote);
  if (count < limit) return std::nullopt;
  // Allowed again once the count falls below the limit: when the failure that is limit-th from
  // the newest leaves the window.
  return *(remote->failures.end() - static_cast<std::ptrdiff_t>(limit)) + options_.remote_window;
}

std::optional<TimePoint> LoginThrottle::AccountLockedUntil(const Key& key, TimePoint now) {
  accounts_.DropExpired(now);
  Account* account = accounts_.Find(key);
  if (account == nullptr || account->locked_until <= now) return std::nullopt;
  return account->locked_until;
}

Status LoginThrottle::CheckAllowed(std::string_view account, std::string_view remote) {
  const TimePoint now = clock_.Now();
  const Key remote_key = RemoteKey(remote);
  const Key account_key = AccountKey(account);
  std::lock_guard lock(mu_);
  if (auto until = RemoteBlockedUntil(remote_key, now)) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(*until - now).count();
    return MakeError(Code::kResourceExhausted, "auth.rate_limited",
                     "too many failed sign-ins from this address; try again in " +
                         std::to_string(wait) + " seconds");
  }
  if (auto until = AccountLockedUntil(account_key, now)) {
    return MakeError(
        Code::kPermissionDenied, "auth.locked",
        "this account is locked after repeated failed sign-ins until " + FormatRfc3339(*until));
  }
  return OkStatus();
}

void LoginThrottle::RecordFailure(std::string_view account, std::string_view remote) {
  const TimePoint now = clock_.Now();
  const Key remote_key = RemoteKey(remote);
  const Key account_key = AccountKey(account);
  std::lock_guard lock(mu_);
  remotes_.DropExpired(now);
  accounts_.DropExpired(now);

  Remote& r = remotes_.FindOrAdd(remote_key, options_.max_tracked);
  auto& times = r.failures;
  times.erase(times.begin(), std::find_if(times.begin(), times.end(), [&](TimePoint t) {
                return t + options_.remote_window > now;
              }));
  times.push_back(now);
  // Only the newest max_failures_per_remote matter for the limit; older ones would only
  // delay nothing and cost memory.
  if (times.size() > static_cast<size_t>(options_.max_failures_per_remote)) {
    times.erase(times.begin());
  }
  remotes_.SetForget(remote_key, r, now + options_.remote_window);

  Account& a = accounts_.FindOrAdd(account_key, options_.max_tracked);
  if (a.locked_until > now) return;  // attempts while locked were refused; they do not count
  ++a.failures;
  a.last_failure = now;
  if (a.failures >= options_.failures_before_lock) {
    ++a.locks;
    a.failures = 0;
    a.locked_until = now + LockLength(a.locks);
  }
  accounts_.SetForget(account_key, a,
                      std::max(a.last_failure, a.locked_until) + options_.forget_after);
}

void LoginThrottle::RecordSuccess(std::string_view account) {
  const Key account_key = AccountKey(account);
  std::lock_guard lock(mu_);
  accounts_.Erase(account_key);
}

std::optional<TimePoint> LoginThrottle::LockedUntil(std::string_view account) {
  const TimePoint now = clock_.Now();
  const Key key = AccountKey(account);
  std::lock_guard lock(mu_);
  return AccountLockedUntil(key, now);
}

std::optional<TimePoint> LoginThrottle::RateLimitedUntil(std::string_view remote) {
  const TimePoint now = clock_.Now();
  const Key key = RemoteKey(remote);
  std::lock_guard lock(mu_);
  return RemoteBlockedUntil(key, now);
}

size_t LoginThrottle::TrackedAccounts() {
  std::lock_guard lock(mu_);
  return accounts_.entries.size();
}

size_t LoginThrottle::TrackedRemotes() {
  std::lock_guard lock(mu_);
  return remotes_.entries.size();
}

}  // namespace lanyard::service
