#include "lanyard/http/address.h"

#include <gtest/gtest.h>

#include <string>

namespace lanyard::http {
namespace {

std::string Classify(std::string_view text) {
  auto address = ParseIpAddress(text);
  if (!address.has_value()) return "unparsable";
  return std::string(AddressClassName(ClassifyAddress(*address)));
}

TEST(HttpAddress, ParsesOnlyStrictText) {
  EXPECT_EQ(ParseIpAddress("127.0.0.1"), IpAddress::V4({127, 0, 0, 1}));
  EXPECT_EQ(ParseIpAddress("::1").value().ToString(), "::1");
  EXPECT_TRUE(ParseIpAddress("::1").value().is_v6);
  EXPECT_EQ(ParseIpAddress("0:0:0:0:0:FFFF:0A00:0001").value().ToString(), "::ffff:10.0.0.1");
  EXPECT_EQ(ParseIpAddress("2001:db8:0:0:0:0:0:1").value().ToString(), "2001:db8::1");
  for (const char* text :
       {"", "127.1", "127.0.1", "0x7f.0.0.1", "0127.0.0.1", "1.2.3.256", "1.2.3.4.5", " 1.2.3.4",
        "1.2.3.4 ", "2130706433", "::1%lo", "[::1]", "::g", "1:2:3:4:5:6:7:8:9", "localhost"}) {
    EXPECT_FALSE(ParseIpAddress(text).has_value()) << text;
  }
  EXPECT_FALSE(ParseIpAddress(std::string_view("1.2.3.4\0", 8)).has_value());
}

TEST(HttpAddress, ClassifiesIpv4) {
  const std::pair<const char*, const char*> kCases[] = {
      {"8.8.8.8", "public"},
      {"1.1.1.1", "public"},
      {"0.0.0.0", "unspecified"},
      {"0.255.255.255", "unspecified"},
      {"10.0.0.1", "private"},
      {"10.255.255.255", "private"},
      {"100.63.255.255", "public"},
      {"100.64.0.0", "shared (carrier-grade NAT)"},
      {"100.127.255.255", "shared (carrier-grade NAT)"},
      {"100.128.0.0", "public"},
      {"127.0.0.1", "loopback"},
      {"127.255.255.254", "loopback"},
      {"169.254.169.254", "link-local"},
      {"172.15.255.255", "public"},
      {"172.16.0.1", "private"},
      {"172.31.255.255", "private"},
      {"172.32.0.0", "public"},
      {"192.0.0.8", "reserved"},
      {"192.0.2.1", "reserved"},
      {"192.88.99.1", "reserved"},
      {"192.168.1.1", "private"},
      {"192.169.0.1", "public"},
      {"198.18.0.1", "reserved"},
      {"198.19.255.255", "reserved"},
      {"198.20.0.0", "public"},
      {"198.51.100.7", "reserved"},
      {"203.0.113.9", "reserved"},
      {"224.0.0.1", "multicast"},
      {"239.255.255.255", "multicast"},
      {"240.0.0.1", "reserved"},
      {"255.255.255.255", "reserved"},
      {"223.255.255.255", "public"},
  };
  for (const auto& [text, want] : kCases) EXPECT_EQ(Classify(text), want) << text;
}

TEST(HttpAddress, ClassifiesIpv6) {
  const std::pair<const char*, const char*> kCases[] = {
      {"2606:4700:4700::1111", "public"},
      {"2a00:1450:4009:81f::200e", "public"},
      {"::", "unspecified"},
      {"::1", "loopback"},
      {"::2", "reserved"},
      {"fc00::1", "unique local"},
      {"fd12:3456:789a::1", "unique local"},
      {"fe80::1", "link-local"},
      {"febf:ffff::1", "link-local"},
      {"fec0::1", "private"},
      {"ff02::1", "multicast"},
      {"2001:db8::1", "reserved"},
      {"3fff::1", "reserved"},
      {"2001::1", "reserved"},    // Teredo
      {"2001:2::1", "reserved"},  // benchmarking
      {"100::1", "reserved"},     // discard-only
      {"4000::1", "reserved"},    // outside 2000::/3
      {"64:ff9b:1::1", "private"},
  };
  for (const auto& [text, want] : kCases) EXPECT_EQ(Classify(text), want) << text;
}

TEST(HttpAddress, ClassifiesIpv6ThatEmbedsIpv4ByTheIpv4Address) {
  const std::pair<const char*, const char*> kCases[] = {
      {"::ffff:127.0.0.1", "loopback"},
      {"::ffff:10.0.0.1", "private"},
      {"::ffff:169.254.169.254", "link-local"},
      {"::ffff:100.64.1.1", "shared (carrier-grade NAT)"},
      {"::ffff:0.0.0.0", "unspecified"},
      {"::ffff:8.8.8.8", "public"},
      {"64:ff9b::10.0.0.1", "private"},
      {"64:ff9b::127.0.0.1", "loopback"},
      {"64:ff9b::8.8.8.8", "public"},
      {"2002:7f00:0001::", "loopback"},  // 6to4 of 127.0.0.1
      {"2002:c0a8:0101::1", "private"},  // 6to4 of 192.168.1.1
      {"2002:0808:0808::1", "public"},
      {"::127.0.0.1", "reserved"},  // IPv4-compatible, deprecated
      {"::10.0.0.1", "reserved"},
  };
  for (const auto& [text, want] : kCases) EXPECT_EQ(Classify(text), want) << text;
}

}  // namespace
}  // namespace lanyard::http
