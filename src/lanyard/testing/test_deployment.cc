#include "lanyard/testing/test_deployment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "lanyard/crypto/password.h"
#include "lanyard/json/parser.h"

namespace lanyard::testing {

std::filesystem::path FreshTestDirectory(std::string_view prefix) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

service::DeploymentOptions TestDeploymentOptions(const std::string& db_path) {
  service::DeploymentOptions options;
  options.db_path = db_path;
  options.base_url = "https://passport.example";
  options.accounts.password_params = crypto::TestPasswordParams();
  options.key_store.opslimit = crypto::FileKeyStoreOptions::kMinOpsLimit;
  options.key_store.memlimit = crypto::FileKeyStoreOptions::kMinMemLimit;
  options.environment = [](const char*) -> const char* { return nullptr; };
  return options;
}

std::string AddTrustWithStaffMember(service::Deployment& d, const std::string& ods,
                                    const service::Principal& hr, const std::string& email) {
  store::OrganisationRecord org;
  org.ods = ods;
  org.name = ods + " NHS Trust";
  org.kinds = "trust";
  auto admin = service::Principal::System(service::RoleSet{service::Role::kNationalAdmin});
  auto added = d.accounts->AddOrganisation(admin, org, d.did_web_base);
  EXPECT_TRUE(added.ok()) << added.error().ToString();
  auto code = d.accounts->Invite(hr, ods, email, "Amara Okafor", "E123");
  if (!code.ok()) {
    ADD_FAILURE() << code.error().ToString();
    return "";
  }
  auto staff =
      d.accounts->SignUp(code->secret, email, "Amara Okafor", "correct horse battery staple");
  if (!staff.ok()) {
    ADD_FAILURE() << staff.error().ToString();
    return "";
  }
  return staff->id;
}

json::Value ParseJsonOrFail(const std::string& text) {
  auto v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : json::Value();
}

std::string StringMember(const json::Value& v, const std::string& name) {
  const std::string* s = v.FindString(name);
  return s ? *s : "";
}

}  // namespace lanyard::testing
