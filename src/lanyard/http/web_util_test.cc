#include "lanyard/http/web_util.h"

#include <gtest/gtest.h>

#include "lanyard/core/time.h"
#include "lanyard/testing/matchers.h"

namespace lanyard::http {
namespace {

using testing::ErrorIs;
using testing::IsOk;

TEST(WebUtilTest, HumaniseWritesIdentifiersAsWords) {
  EXPECT_EQ(Humanise("applicantFirstName"), "Applicant first name");
  EXPECT_EQ(Humanise("typeOfDbsCheck"), "Type of DBS check");
  EXPECT_EQ(Humanise("permanent_transfer"), "Permanent transfer");
  EXPECT_EQ(Humanise("foundation-doctor"), "Foundation doctor");
  EXPECT_EQ(Humanise("GPG45profile"), "GPG45profile");
  EXPECT_EQ(Humanise(""), "");
}

TEST(WebUtilTest, SafeNextKeepsOnlyThisServicesPaths) {
  EXPECT_EQ(SafeNext("/passport/shares/abc"), "/passport/shares/abc");
  EXPECT_EQ(SafeNext("//evil.example/x"), "/home");
  EXPECT_EQ(SafeNext("/\\evil.example"), "/home");
  EXPECT_EQ(SafeNext("https://evil.example"), "/home");
  EXPECT_EQ(SafeNext("/a b"), "/home");
  EXPECT_EQ(SafeNext(""), "/home");
}

TEST(WebUtilTest, DatesInTheNhsStyle) {
  auto t = ParseRfc3339("2026-11-28T13:05:59Z");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(FormatDate(*t), "28 November 2026");
  EXPECT_EQ(FormatDateTime(*t), "28 November 2026, 13:05");
  EXPECT_EQ(FormatIsoDate("2027-01-04"), "4 January 2027");
  EXPECT_EQ(FormatIsoDate("not a date"), "not a date");
}

TEST(WebUtilTest, ProfilesAndReadinessInWords) {
  EXPECT_EQ(ProfileTitle("registered-nurse"), "Registered nurse");
  EXPECT_EQ(ProfileTitle("registered-nurse@4"), "Registered nurse (local version 4)");
  EXPECT_EQ(CheckWords("dbs"), "Criminal record (DBS)");
  EXPECT_EQ(CheckWords("training.fire_safety"), "Training: Fire safety");
  EXPECT_EQ(OverallWords("cleared_subject_to_reverification"), "Cleared once live checks confirm");
}

TEST(WebUtilTest, SchemaHintsLeaveOutTheDspFieldNotes) {
  EXPECT_EQ(SchemaHint("Legal surname. Named as in DSP RightToWork.legalSurname."),
            "Legal surname.");
  EXPECT_EQ(SchemaHint("The certificate number: 12 digits. DSP DBSCheckOutcome.certificateNumber."),
            "The certificate number: 12 digits.");
  EXPECT_EQ(SchemaHint("Screening records: DSP Vaccination and ClinicalTest records."),
            "Screening records");
  EXPECT_EQ(SchemaHint("The code from DSP's model, e.g. HEPB001."),
            "The code from DSP's model, e.g. HEPB001.");
  EXPECT_EQ(SchemaHint("When: YYYY-MM or YYYY, as the DSP allows."),
            "When: YYYY-MM or YYYY, as the DSP allows.");
  EXPECT_EQ(SchemaHint("DSP Observation.result."), "");
}

TEST(WebUtilTest, CountsWithThousandsSeparators) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(30123456), "30,123,456");
}

TEST(WebUtilTest, QrCodeIsOnePathInItsSquare) {
  auto qr = QrCode("http://127.0.0.1:8443/requests/abc");
  ASSERT_THAT(qr, IsOk());
  const double size = qr->Find("size")->as_number();
  EXPECT_GE(size, 21 + 8);  // version 1 at least, with the quiet zone
  EXPECT_EQ(qr->FindString("path")->rfind("M", 0), 0u);
  EXPECT_THAT(QrCode(std::string(1025, 'a')), ErrorIs("qr.too_long"));
  EXPECT_THAT(QrCode(""), ErrorIs("qr.too_long"));
}

}  // namespace
}  // namespace lanyard::http
