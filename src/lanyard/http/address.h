// IP addresses and their classification, for the HTTP client's address checks.
//
// The client refuses to talk to some addresses: plain http:// is allowed only to loopback, and a
// server fetching on behalf of remote users must not be steered into its own network (SSRF).
// ClassifyAddress says which kind of address a resolved endpoint is; the client decides with it.
//
// Thread-safety: pure functions on values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lanyard::http {

// An IPv4 or IPv6 address. IPv4 addresses are stored in the first four bytes.
struct IpAddress {
  bool is_v6 = false;
  std::array<uint8_t, 16> bytes{};

  static IpAddress V4(std::array<uint8_t, 4> b);
  static IpAddress V6(const std::array<uint8_t, 16>& b);
  // Dotted quad for IPv4; RFC 5952 text for IPv6.
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Parses the textual forms only: IPv4 as exactly four decimal numbers 0..255 without leading
// zeros ("127.0.0.1", never "127.1", "0x7f.0.0.1" or "0127.0.0.1"); IPv6 as RFC 4291 text
// without brackets and without a zone ("::1", "::ffff:10.0.0.1", never "fe80::1%eth0").
// Returns nullopt for anything else.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// What kind of address something is. Every kind but kPublic is refused when the client is told
// not to reach private addresses. Never renumber: the names appear in error messages and logs.
enum class AddressClass {
  kPublic,       // global unicast, none of the below
  kLoopback,     // 127.0.0.0/8, ::1
  kPrivate,      // RFC 1918 10/8, 172.16/12, 192.168/16; IPv6 site-local fec0::/10
  kSharedCgnat,  // 100.64.0.0/10 (RFC 6598 carrier-grade NAT)
  kLinkLocal,    // 169.254.0.0/16, fe80::/10 (cloud metadata services live here)
  kUnspecified,  // 0.0.0.0/8 ("this network"), ::
  kUniqueLocal,  // fc00::/7
  kMulticast,    // 224.0.0.0/4, ff00::/8
  kReserved,     // documentation, benchmarking, IETF protocol and future-use ranges,
                 // broadcast, Teredo, discard-only, and IPv6 outside 2000::/3
};

// Classifies `address`. An IPv6 address that embeds an IPv4 one is classified by the IPv4 address
// it reaches: IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96 and 6to4 2002::/16 (so
// ::ffff:127.0.0.1 is kLoopback and 2002:0a00:0001:: is kPrivate). The deprecated
// IPv4-compatible ::/96 form is kReserved.
AddressClass ClassifyAddress(const IpAddress& address);

// "public", "loopback", "private", ... for messages.
std::string_view AddressClassName(AddressClass c);

}  // namespace lanyard::http
