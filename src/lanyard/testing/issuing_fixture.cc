#include "lanyard/testing/issuing_fixture.h"

#include "lanyard/testing/matchers.h"
#include "lanyard/testing/test_data.h"
#include "lanyard/testing/test_deployment.h"

namespace lanyard::testing {

void IssuingDeploymentTest::SetUp() {
  dir_ = FreshTestDirectory("lanyard-issuing");
  Reopen();
  ASSERT_NE(d_, nullptr);
  staff_id_ = AddTrustWithStaffMember(*d_, "RGT", hr_, "nurse@example.org");
  ASSERT_FALSE(staff_id_.empty());
}

void IssuingDeploymentTest::TearDown() {
  d_.reset();
  std::filesystem::remove_all(dir_);
}

void IssuingDeploymentTest::Reopen() {
  d_.reset();
  auto d = service::OpenDeployment(TestDeploymentOptions((dir_ / "lanyard.db").string()), clock_);
  ASSERT_THAT(d, IsOk());
  d_ = std::move(d).value();
}

Result<service::IssuedCredential> IssuingDeploymentTest::IssueDbs() {
  service::IssueRequest request;
  request.subject_user_id = staff_id_;
  request.type = "dbs";
  request.format = "di";
  request.claims = ReadJsonExample("claims/dbs.json");
  return d_->issuer->Issue(hr_, "RGT", std::move(request));
}

}  // namespace lanyard::testing
