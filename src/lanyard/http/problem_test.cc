#include "lanyard/http/problem.h"

#include <gtest/gtest.h>

#include <string>

#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::http {
namespace {

TEST(Problem, ResponseCarriesRfc9457MembersAndTheStableCode) {
  ServerResponse response =
      ProblemResponse(413, "http.body_too_large", "", "The request body is too large.");
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.body,
            R"({"type":"urn:lanyard:problem:http.body_too_large","title":"Content Too Large",)"
            R"("status":413,"detail":"The request body is too large.",)"
            R"("code":"http.body_too_large"})");
}

TEST(Problem, CallerTitleInstanceAndExtrasAppearButNeverOverrideStandardMembers) {
  Problem problem;
  problem.status = 409;
  problem.code = "passport.already_issued";
  problem.title = "Already issued";
  problem.instance = "/passports/42";
  problem.extra = {{"status", 200}, {"code", "other"}, {"credential", "urn:uuid:1"}};
  ServerResponse response = ProblemResponse(problem);
  EXPECT_EQ(response.body,
            R"({"type":"urn:lanyard:problem:passport.already_issued","title":"Already issued",)"
            R"("status":409,"instance":"/passports/42","code":"passport.already_issued",)"
            R"("credential":"urn:uuid:1"})");
}

TEST(Problem, EscapesQuotesAndRepairsInvalidUtf8InTheDetail) {
  ServerResponse response =
      ProblemResponse(400, "http.bad_request", "", std::string("bad \"x\" \xff\xfe end"));
  auto parsed = json::Parse(response.body);
  ASSERT_TRUE(parsed.ok()) << response.body;
  EXPECT_EQ(*parsed->FindString("detail"), "bad \"x\" \xEF\xBF\xBD\xEF\xBF\xBD end");
}

TEST(Problem, HttpStatusForMapsEveryCode) {
  std::string table;
  for (Code code :
       {Code::kInvalidArgument, Code::kNotFound, Code::kAlreadyExists, Code::kFailedPrecondition,
        Code::kPermissionDenied, Code::kUnauthenticated, Code::kResourceExhausted,
        Code::kUnavailable, Code::kDataLoss, Code::kInternal}) {
    table += std::string(CodeName(code)) + "=" + std::to_string(HttpStatusFor(code)) + " ";
  }
  EXPECT_EQ(table,
            "invalid_argument=400 not_found=404 already_exists=409 failed_precondition=409 "
            "permission_denied=403 unauthenticated=401 resource_exhausted=429 unavailable=503 "
            "data_loss=500 internal=500 ");
}

TEST(Problem, FromErrorTakesStatusFromTheTableCodeFromReasonAndDetailFromMessage) {
  ServerResponse response = ProblemFromError(
      MakeError(Code::kNotFound, "passport.not_found", "No passport has that id."));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body,
            R"({"type":"urn:lanyard:problem:passport.not_found","title":"Not Found",)"
            R"("status":404,"detail":"No passport has that id.","code":"passport.not_found"})");
}

TEST(Problem, StatusTitleFallsBackToTheStatusClass) {
  EXPECT_EQ(StatusTitle(431), "Request Header Fields Too Large");
  EXPECT_EQ(StatusTitle(499), "Client Error");
  EXPECT_EQ(StatusTitle(599), "Server Error");
}

}  // namespace
}  // namespace lanyard::http
