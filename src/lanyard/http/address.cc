#include "lanyard/http/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace lanyard::http {
namespace {

using V4 = std::array<uint8_t, 4>;

// True if the top `bits` bits of `a` equal those of `prefix`.
template <size_t N>
bool InPrefix(const uint8_t* a, const std::array<uint8_t, N>& prefix, int bits) {
  int whole = bits / 8;
  if (std::memcmp(a, prefix.data(), static_cast<size_t>(whole)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (prefix[static_cast<size_t>(whole)] & mask);
}

AddressClass ClassifyV4(const uint8_t* a) {
  struct Range {
    V4 prefix;
    int bits;
    AddressClass c;
  };
  // IANA IPv4 Special-Purpose Address Registry, plus multicast and the future-use block. The
  // few special ranges IANA marks globally reachable (192.0.0.9/32, 192.0.0.10/32) are refused
  // with the rest of 192.0.0.0/24: no credential service lives there.
  static constexpr Range kRanges[] = {
      {{0, 0, 0, 0}, 8, AddressClass::kUnspecified},
      {{10, 0, 0, 0}, 8, AddressClass::kPrivate},
      {{100, 64, 0, 0}, 10, AddressClass::kSharedCgnat},
      {{127, 0, 0, 0}, 8, AddressClass::kLoopback},
      {{169, 254, 0, 0}, 16, AddressClass::kLinkLocal},
      {{172, 16, 0, 0}, 12, AddressClass::kPrivate},
      {{192, 0, 0, 0}, 24, AddressClass::kReserved},    // IETF protocol assignments
      {{192, 0, 2, 0}, 24, AddressClass::kReserved},    // TEST-NET-1
      {{192, 88, 99, 0}, 24, AddressClass::kReserved},  // 6to4 relay anycast (deprecated)
      {{192, 168, 0, 0}, 16, AddressClass::kPrivate},
      {{198, 18, 0, 0}, 15, AddressClass::kReserved},    // benchmarking
      {{198, 51, 100, 0}, 24, AddressClass::kReserved},  // TEST-NET-2
      {{203, 0, 113, 0}, 24, AddressClass::kReserved},   // TEST-NET-3
      {{224, 0, 0, 0}, 4, AddressClass::kMulticast},
      {{240, 0, 0, 0}, 4, AddressClass::kReserved},  // future use and 255.255.255.255
  };
  for (const Range& r : kRanges) {
    if (InPrefix(a, r.prefix, r.bits)) return r.c;
  }
  return AddressClass::kPublic;
}

}  // namespace

IpAddress IpAddress::V4(std::array<uint8_t, 4> b) {
  IpAddress a;
  std::copy(b.begin(), b.end(), a.bytes.begin());
  return a;
}

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& b) {
  IpAddress a;
  a.is_v6 = true;
  a.bytes = b;
  return a;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text);
  return text;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  // inet_pton wants a NUL-terminated string; the longest valid IPv6 text is 45 characters.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN] = {};
  std::memcpy(buffer, text.data(), text.size());
  if (std::memchr(buffer, '\0', text.size()) != nullptr) return std::nullopt;
  IpAddress address;
  // glibc's inet_pton(AF_INET) takes only the strict dotted quad (unlike inet_aton, which also
  // reads "127.1" and octal), which is the form URLs are parsed with here.
  if (inet_pton(AF_INET, buffer, address.bytes.data()) == 1) return address;
  if (inet_pton(AF_INET6, buffer, address.bytes.data()) == 1) {
    address.is_v6 = true;
    return address;
  }
  return std::nullopt;
}

AddressClass ClassifyAddress(const IpAddress& address) {
  const uint8_t* a = address.bytes.data();
  if (!address.is_v6) return ClassifyV4(a);

  using V6 = std::array<uint8_t, 16>;
  static constexpr V6 kZero{};
  static constexpr V6 kLoopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr V6 kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr V6 kNat64{0x00, 0x64, 0xff, 0x9b};
  static constexpr V6 kNat64Local{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01};
  static constexpr V6 k6to4{0x20, 0x02};
  static constexpr V6 kTeredo{0x20, 0x01, 0x00, 0x00};
  static constexpr V6 kBenchmarking{0x20, 0x01, 0x00, 0x02, 0x00, 0x00};
  static constexpr V6 kDocumentation{0x20, 0x01, 0x0d, 0xb8};
  static constexpr V6 kDocumentation2{0x3f, 0xff};
  static constexpr V6 kDiscard{0x01, 0x00};
  static constexpr V6 kUniqueLocal{0xfc};
  static constexpr V6 kLinkLocal{0xfe, 0x80};
  static constexpr V6 kSiteLocal{0xfe, 0xc0};
  static constexpr V6 kMulticast{0xff};
  static constexpr V6 kGlobalUnicast{0x20};

  if (address.bytes == kZero) return AddressClass::kUnspecified;
  if (address.bytes == kLoopback) return AddressClass::kLoopback;
  // Forms that carry an IPv4 address and reach it: judge them by that address, or
  // ::ffff:10.0.0.1 would be a way into the private network.
  if (InPrefix(a, kMapped, 96) || InPrefix(a, kNat64, 96)) return ClassifyV4(a + 12);
  if (InPrefix(a, k6to4, 16)) return ClassifyV4(a + 2);
  if (InPrefix(a, kNat64Local, 48)) return AddressClass::kPrivate;
  // The deprecated IPv4-compatible form and the rest of ::/8.
  if (InPrefix(a, kZero, 8)) return AddressClass::kReserved;
  if (InPrefix(a, kDiscard, 64)) return AddressClass::kReserved;
  // Teredo hides an obfuscated IPv4 address; refusing the whole prefix is simpler than decoding.
  if (InPrefix(a, kTeredo, 32)) return AddressClass::kReserved;
  if (InPrefix(a, kBenchmarking, 48)) return AddressClass::kReserved;
  if (InPrefix(a, kDocumentation, 32)) return AddressClass::kReserved;
  if (InPrefix(a, kDocumentation2, 20)) return AddressClass::kReserved;
  if (InPrefix(a, kUniqueLocal, 7)) return AddressClass::kUniqueLocal;
  if (InPrefix(a, kLinkLocal, 10)) return AddressClass::kLinkLocal;
  if (InPrefix(a, kSiteLocal, 10)) return AddressClass::kPrivate;
  if (InPrefix(a, kMulticast, 8)) return AddressClass::kMulticast;
  // Every global unicast allocation is inside 2000::/3; anything else is unassigned.
  if (!InPrefix(a, kGlobalUnicast, 3)) return AddressClass::kReserved;
  return AddressClass::kPublic;
}

std::string_view AddressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kSharedCgnat:
      return "shared (carrier-grade NAT)";
    case AddressClass::kLinkLocal:
      return "link-local";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kUniqueLocal:
      return "unique local";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kReserved:
      return "reserved";
  }
  return "unknown";
}

}  // namespace lanyard::http
