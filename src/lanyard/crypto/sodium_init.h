// Initialises libsodium before its first use, for the crypto/ files that call it directly.
//
// sodium_init() picks the fastest implementations and opens the entropy source; it is
// idempotent and thread-safe, and the function-local static keeps it off every later path.
// Failure means there is no entropy source, and nothing secret can be made safely: abort.
//
// Internal to crypto/. Thread-safety: safe from any thread.
#pragma once

#include <sodium.h>

#include <cstdlib>

namespace lanyard::crypto::internal {

inline void EnsureSodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) std::abort();
}

}  // namespace lanyard::crypto::internal
