#include "lanyard/http/url.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

using testing::ErrorIs;
using testing::IsOk;

// The parsed parts on one line, so each case is one comparison.
std::string Parts(std::string_view text) {
  auto url = ParseUrl(text);
  if (!url.ok()) return url.error().reason;
  return url->scheme + " " + url->host +
         (url->host_is_ipv6 ? " v6"
          : url->host_is_ip ? " ip"
                            : "") +
         " " + std::to_string(url->port) + " " + url->target;
}

TEST(HttpUrl, ParsesTheStrictForm) {
  EXPECT_EQ(Parts("https://example.com"), "https example.com 443 /");
  EXPECT_EQ(Parts("HTTPS://Example.COM/A/b?C=D"), "https example.com 443 /A/b?C=D");
  EXPECT_EQ(Parts("http://localhost:8080/x"), "http localhost 8080 /x");
  EXPECT_EQ(Parts("https://127.0.0.1:1/"), "https 127.0.0.1 ip 1 /");
  EXPECT_EQ(Parts("https://[::1]:65535/p"), "https ::1 v6 65535 /p");
  EXPECT_EQ(Parts("https://[0:0::0001]/"), "https ::1 v6 443 /");  // canonical text
  EXPECT_EQ(Parts("https://[::FFFF:10.0.0.1]/"), "https ::ffff:10.0.0.1 v6 443 /");
  EXPECT_EQ(Parts("https://a.example?q=1"), "https a.example 443 /?q=1");
  EXPECT_EQ(Parts("https://a.example/p#frag"), "https a.example 443 /p");
  EXPECT_EQ(Parts("https://a.example/%7Euser/a%20b;x=1,2@:!$&'()*+="),
            "https a.example 443 /%7Euser/a%20b;x=1,2@:!$&'()*+=");
  EXPECT_EQ(Parts("https://under_score.example-1.com/"), "https under_score.example-1.com 443 /");
}

TEST(HttpUrl, RefusesEverythingElse) {
  for (const char* text : {
           "",
           "example.com",
           "//example.com/",
           "ftp://example.com/",
           "javascript://example.com/",
           "https:example.com",
           "https://",
           "https:///path",
           "https://:443/",
           "https://user@example.com/",
           "https://user:pw@example.com/",
           "https://@example.com/",
           "https://example.com:/",
           "https://example.com:0/",
           "https://example.com:65536/",
           "https://example.com:+80/",
           "https://example.com:8o/",
           "https://example.com:123456/",
           "https://exa mple.com/",
           "https://example.com/a b",
           "https://example.com/a\tb",
           "https://example.com/\x7f",
           "https://example.com/caf\xc3\xa9",
           "https://example.com\\@evil.example/",
           "https://example.com/%zz",
           "https://example.com/%4",
           "https://example.com/<script>",
           "https://example.com/a\"b",
           "https://example.com/a{b}",
           "https://example.com/#a#b",
           "https://example..com/",
           "https://.example.com/",
           "https://example.com./",
           "https://exa!mple.com/",
           "https://127.1/",
           "https://0x7f000001/",
           "https://2130706433/",
           "https://0127.0.0.1/",
           "https://1.2.3.256/",
           "https://example.123/",
           "https://::1/",
           "https://[::1/",
           "https://[127.0.0.1]/",
           "https://[fe80::1%25eth0]/",
           "https://[::1]x/",
           "https://[::1]:/",
       }) {
    EXPECT_THAT(ParseUrl(text), ErrorIs("http.url_invalid")) << text;
  }
  EXPECT_THAT(ParseUrl(std::string_view("https://a.example/\0", 19)), ErrorIs("http.url_invalid"));
  EXPECT_THAT(ParseUrl("https://a.example/" + std::string(9000, 'a')), ErrorIs("http.url_invalid"));
  EXPECT_THAT(ParseUrl("https://" + std::string(64, 'a') + ".example/"),
              ErrorIs("http.url_invalid"));
}

TEST(HttpUrl, PrintsWithoutDefaultPort) {
  EXPECT_EQ(ParseUrl("https://a.example:443/x").value().ToString(), "https://a.example/x");
  EXPECT_EQ(ParseUrl("http://a.example:443/x").value().ToString(), "http://a.example:443/x");
  EXPECT_EQ(ParseUrl("https://[::1]:8443").value().ToString(), "https://[::1]:8443/");
  EXPECT_EQ(ParseUrl("https://[::1]:8443").value().HostHeader(), "[::1]:8443");
  EXPECT_EQ(ParseUrl("http://localhost:80/").value().HostHeader(), "localhost");
}

// RFC 3986 section 5.4: the normal and abnormal examples, with base http://a/b/c/d;p?q.
// Fragments are dropped, as the client never sends them.
TEST(HttpUrl, ResolvesReferencesAsRfc3986) {
  Url base = ParseUrl("http://a/b/c/d;p?q").value();
  auto resolve = [&](std::string_view ref) {
    auto url = ResolveReference(base, ref);
    return url.ok() ? url->ToString() : url.error().reason;
  };
  const std::pair<const char*, const char*> kCases[] = {
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g/"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q"},
      {"g#s", "http://a/b/c/g"},
      {"g?y#s", "http://a/b/c/g?y"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"HTTPS://Other.Example:8443/z", "https://other.example:8443/z"},
      // Not references this client follows.
      {"g h", "http.url_invalid"},
      {"//user@evil/", "http.url_invalid"},
      {"ftp://a/", "http.url_invalid"},
      {"g:h", "http.url_invalid"},
  };
  for (const auto& [ref, want] : kCases) EXPECT_EQ(resolve(ref), want) << ref;
}

TEST(HttpUrl, ResolvesAgainstIpv6AndPortBases) {
  Url base = ParseUrl("https://[::1]:8443/a/b").value();
  EXPECT_EQ(ResolveReference(base, "c").value().ToString(), "https://[::1]:8443/a/c");
  EXPECT_EQ(ResolveReference(base, "//localhost/").value().ToString(), "https://localhost/");
}

TEST(HttpUrl, PlainHttpOnlyToLoopbackNames) {
  for (const char* url : {"http://localhost/", "http://127.0.0.1:8080/", "http://127.9.9.9/",
                          "http://[::1]/", "http://[::ffff:127.0.0.1]/", "https://example.com/"}) {
    EXPECT_THAT(CheckSchemeAllowed(ParseUrl(url).value()), IsOk()) << url;
  }
  for (const char* url : {"http://example.com/", "http://localhost.example.com/",
                          "http://10.0.0.1/", "http://[::2]/", "http://128.0.0.1/"}) {
    EXPECT_THAT(CheckSchemeAllowed(ParseUrl(url).value()), ErrorIs("http.insecure_scheme")) << url;
  }
}

TEST(HttpUrl, RedirectFromHttpsToHttpOnlyBetweenLoopbackHosts) {
  auto check = [](const char* from, const char* to) {
    return CheckRedirectAllowed(ParseUrl(from).value(), ParseUrl(to).value());
  };
  EXPECT_THAT(check("https://example.com/", "https://other.example/"), IsOk());
  EXPECT_THAT(check("http://localhost/", "https://example.com/"), IsOk());
  EXPECT_THAT(check("https://localhost/", "http://127.0.0.1/"), IsOk());
  EXPECT_THAT(check("https://example.com/", "http://localhost/"), ErrorIs("http.insecure_scheme"));
  EXPECT_THAT(check("https://localhost/", "http://example.com/"), ErrorIs("http.insecure_scheme"));
}

}  // namespace
}  // namespace lanyard::http
