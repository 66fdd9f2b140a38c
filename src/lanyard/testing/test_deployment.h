// A passport-service deployment for tests: a fresh temporary directory per test, the cheapest
// key derivation and password hashing (so a suite of sign-ins stays fast), no environment
// variables, and the API's services wired to it the way `lanyard serve` wires them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "lanyard/json/value.h"
#include "lanyard/service/deployment.h"

namespace lanyard::testing {

// <temp>/<prefix>-<pid>-<current test's name>, emptied and created.
std::filesystem::path FreshTestDirectory(std::string_view prefix);

// Options for a deployment at `db_path`, base URL https://passport.example.
service::DeploymentOptions TestDeploymentOptions(const std::string& db_path);

// Adds organisation `ods` (a trust) to `d` as the national administrator, and one staff member
// invited by `hr` and signed up: their user id. Fails the current test on any error.
std::string AddTrustWithStaffMember(service::Deployment& d, const std::string& ods,
                                    const service::Principal& hr, const std::string& email);

// `text` parsed as JSON; fails the current test (and returns null) when it does not parse.
json::Value ParseJsonOrFail(const std::string& text);

// A string member of an object, or "" when absent.
std::string StringMember(const json::Value& v, const std::string& name);

}  // namespace lanyard::testing
