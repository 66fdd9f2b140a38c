// A fixture for in-process tests of issuing: a fresh deployment (SQLite store, file key store)
// in its own temporary directory, a simulated clock, organisation RGT, an HR issuer acting for
// it and one staff member who has signed up.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "lanyard/core/clock.h"
#include "lanyard/service/deployment.h"

namespace lanyard::testing {

class IssuingDeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Closes the deployment and opens it again on the same files, as a restarted process would.
  void Reopen();
  // A DBS credential (Data Integrity) for the staff member, issued by hr_.
  Result<service::IssuedCredential> IssueDbs();

  std::filesystem::path dir_;
  SimulatedClock clock_{*ParseRfc3339("2026-09-01T09:00:00Z")};
  std::unique_ptr<service::Deployment> d_;
  service::Principal hr_ = service::Principal::System(
      service::RoleSet{service::Role::kOrgAdmin, service::Role::kHrIssuer}, "RGT");
  std::string staff_id_;
};

}  // namespace lanyard::testing
