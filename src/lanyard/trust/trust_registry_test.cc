#include "lanyard/trust/trust_registry.h"

#include <gtest/gtest.h>

#include "lanyard/json/canonical.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::trust {
namespace {

using testing::ErrorIs;
using testing::IsOk;

std::string Registry(const std::string& organisations, const std::string& rest = "") {
  return R"({"format":"lanyard-trust-registry/1","serial":2,"organisations":[)" + organisations +
         "]" + rest + "}";
}

constexpr const char* kOrg =
    R"({"ods":"RGT","name":"Cambridge","kinds":["trust","occupational_health"],"identifiers":["did:web:rgt.example"]})";

TEST(TrustRegistry, LoadsAndWritesBackTheSameRegistry) {
  std::string text = Registry(
      kOrg,
      R"(,"authorisations":[{"organisation":"RGT","credentialTypes":["OccupationalHealthClearance"],"from":"2026-01-01T00:00:00Z"}],
         "agreements":[{"id":"mou-1","type":"memorandum_of_understanding","parties":["RGT","RGT"],"from":"2026-01-01T00:00:00Z","until":"2027-01-01T00:00:00Z","description":"shared OH"}])");
  auto registry = TrustRegistry::FromText(text);
  ASSERT_THAT(registry, IsOk());
  EXPECT_EQ(registry->serial(), 2u);
  EXPECT_TRUE(registry->FindByOds("RGT")->HasKind(OrgKind::kOccupationalHealth));
  EXPECT_EQ(registry->FindByIdentifier("did:web:rgt.example")->ods, "RGT");
  auto again = TrustRegistry::FromJson(registry->ToJson());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(json::Serialize(again->ToJson()), json::Serialize(registry->ToJson()));
}

TEST(TrustRegistry, NamesTheMemberThatIsWrong) {
  auto expect = [](const std::string& text, const std::string& where) {
    auto r = TrustRegistry::FromText(text);
    ASSERT_THAT(r, ErrorIs("registry.invalid")) << text;
    EXPECT_NE(r.error().message.find(where), std::string::npos) << r.error().message;
  };
  expect(Registry(R"({"ods":"RGT","name":"x","kinds":["hospital"],"identifiers":[]})"),
         "organisations[0].kinds[0]");
  expect(Registry(std::string(kOrg) + "," + kOrg), "organisations[1].ods");
  expect(Registry(kOrg, R"(,"authorisations":[{"organisation":"XXX","credentialTypes":["A"],"from":"2026-01-01T00:00:00Z"}])"),
         "authorisations[0].organisation");
  expect(Registry(kOrg, R"(,"authorisations":[{"organisation":"RGT","credentialTypes":["A"],"from":"yesterday"}])"),
         "authorisations[0].from");
  expect(Registry(kOrg, R"(,"agreements":[{"id":"a","type":"handshake","parties":["RGT","RGT"],"from":"2026-01-01T00:00:00Z"}])"),
         "agreements[0].type");
  expect(Registry(R"({"ods":"RGT","name":"x","kinds":["trust"],"identifiers":["d"],"keys":[{"id":"k","status":"retired"}]})"),
         "organisations[0].keys[0].since");
  expect(R"({"format":"lanyard-trust-registry/1","serial":-1})", "serial");
  EXPECT_THAT(TrustRegistry::FromText(R"({"format":"something-else/9","serial":1})"),
              ErrorIs("registry.unsupported_format"));
  EXPECT_THAT(TrustRegistry::FromText("[1,2"), ErrorIs("registry.invalid"));
}

}  // namespace
}  // namespace lanyard::trust
