#include "lanyard/analytics/ingest.h"

#include <gtest/gtest.h>

#include <sstream>

#include "lanyard/testing/matchers.h"

namespace lanyard::analytics {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* ods : {"RGT", "R1H", "RYJ", "LE1"}) {
      ASSERT_THAT(orgs_.Add({ods, ods, ods[0] == 'L' ? "lead_employer" : "trust", "Q", "Y"}),
                  IsOk());
    }
    context_ = IngestContext{&orgs_, &roles_, std::nullopt, &errors_};
  }

  std::vector<MovementEvent> Workforce(const std::string& text, InputFormat format) {
    std::istringstream in(text);
    std::vector<MovementEvent> events;
    auto r = IngestWorkforceStream(in, "extract.csv", format, context_,
                                   [&](const MovementEvent& e) { events.push_back(e); });
    EXPECT_THAT(r, IsOk());
    return events;
  }

  std::string Errors() {
    std::string out;
    for (const auto& e : errors_.kept()) out += std::to_string(e.line) + ": " + e.message + "\n";
    return out;
  }

  OrganisationTable orgs_;
  RoleTable roles_;
  RowErrors errors_;
  IngestContext context_;
};

TEST_F(IngestTest, EsrAssignmentsBecomeMovesBetweenConsecutiveAssignments) {
  auto events = Workforce(
      "person,org_ods,staff_group,role,start_date,end_date,contract\n"
      "00000000000000a1,RGT,nurse_and_midwife,band5_nurse,2020-01-06,2022-03-31,permanent\n"
      "00000000000000a1,RGT,nurse_and_midwife,band6_nurse,2022-04-01,2023-08-31,permanent\n"
      "00000000000000a1,R1H,nurse_and_midwife,band6_nurse,2023-09-04,,permanent\n"
      "00000000000000a1,RYJ,nurse_and_midwife,band6_nurse,2024-01-08,2024-06-30,secondment\n"
      "00000000000000b2,R1H,allied_health,physiotherapist,2021-05-01,,\"fixed_term\"\n",
      InputFormat::kEsrAssignments);
  EXPECT_EQ(Errors(), "");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].from_org, kNoOrganisation);  // joined
  EXPECT_EQ(events[1].from_org, orgs_.Find("RGT"));
  EXPECT_EQ(events[1].to_org, orgs_.Find("R1H"));
  EXPECT_EQ(FormatDay(events[1].date), "2023-09-04");
  EXPECT_EQ(events[2].event_class, EventClass::kTemporaryMove);
  EXPECT_EQ(events[2].mechanism, Mechanism::kSecondment);
  EXPECT_EQ(events[3].person, 0xb2u);
}

TEST_F(IngestTest, RotationsAndBankShifts) {
  auto rotations = Workforce(
      "person,lead_employer_ods,host_ods,staff_group,grade,start_date\n"
      "00000000000000c3,LE1,RGT,resident_doctor,FY1,2025-08-06\n"
      "00000000000000c3,LE1,RGT,resident_doctor,FY1,2025-12-03\n"
      "00000000000000c3,LE1,R1H,resident_doctor,FY1,2026-04-01\n",
      InputFormat::kRotations);
  ASSERT_EQ(rotations.size(), 2u);
  EXPECT_EQ(rotations[1].mechanism, Mechanism::kLeadEmployerRotation);
  EXPECT_EQ(rotations[1].from_org, orgs_.Find("RGT"));
  auto shifts = Workforce(
      "person,home_ods,worked_ods,staff_group,role,shift_date,bank\n"
      "00000000000000d4,RGT,RGT,support_to_clinical,hca,2025-05-01,own\n"
      "00000000000000d4,RGT,R1H,support_to_clinical,hca,2025-05-02,collaborative\n",
      InputFormat::kBankShifts);
  ASSERT_EQ(shifts.size(), 1u);  // a shift at home is not a move
  EXPECT_EQ(shifts[0].mechanism, Mechanism::kCollaborativeBank);
  EXPECT_EQ(Errors(), "");
}

TEST_F(IngestTest, BadRowsAreReportedByLineAndTheRestRead) {
  auto events = Workforce(
      "person,org_ods,staff_group,role,start_date,end_date,contract\n"
      "00000000000000a1,RGT,nurse_and_midwife,band5,2020-01-06,,permanent\n"
      "00000000000000a1,XXX,nurse_and_midwife,band5,2021-01-06,,permanent\n"
      "00000000000000a1,R1H,nurse_and_midwife,band5,2019-01-06,,permanent\n"
      "E12345,R1H,nurse_and_midwife,band5,2019-01-06,,permanent\n"
      "00000000000000b2,R1H,nurse_and_midwife,\"band5\nnurse\",2019-01-06,,permanent\n"
      "00000000000000b2,R1H,nurse_and_midwife,band5,2019-01-06,,\"unterminated\n"
      "00000000000000c3,R1H,nurse_and_midwife,band5,2019-01-06,,permanent\n",
      InputFormat::kEsrAssignments);
  EXPECT_EQ(events.size(), 2u) << Errors();
  const std::string errors = Errors();
  EXPECT_NE(errors.find("3: unknown organisation \"XXX\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("4: this person's rows are not in start order"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("5: the person is not a 16-hex-digit pseudonym"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("6: a role is"), std::string::npos) << errors;
  EXPECT_NE(errors.find("8: "), std::string::npos) << errors;  // the unterminated quote
}

TEST_F(IngestTest, AStrayQuoteCostsOnlyItsOwnRow) {
  // A quote inside an unquoted field, then far more rows than the first block holds.
  std::string text =
      "person,home_ods,worked_ods,staff_group,role,shift_date,bank\n"
      "00000000000000d4,RGT,R1H,support_to_clinical,h\"ca,2025-05-02,own\n";
  for (int i = 0; i < 3000; ++i) {
    text += "00000000000000d4,RGT,R1H,support_to_clinical,hca,2025-05-02,collaborative\n";
  }
  auto events = Workforce(text, InputFormat::kBankShifts);
  EXPECT_EQ(events.size(), 3000u);
  ASSERT_EQ(errors_.count(), 1u) << Errors();
  EXPECT_EQ(errors_.kept()[0].line, 2u);
}

TEST_F(IngestTest, ABadQuotedRecordHidesNoRowInsideIt) {
  // The bad record spans lines 2-3 (too many fields); its second line looks like a row.
  auto events = Workforce(
      "person,home_ods,worked_ods,staff_group,role,shift_date,bank\n"
      "00000000000000d4,RGT,R1H,support_to_clinical,\"two\n"
      "00000000000000d5,RGT,R1H,support_to_clinical,hca,2025-05-02,own\",x,"
      "y,z,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,1,2,3,4\n"
      "00000000000000d6,RGT,R1H,support_to_clinical,hca,2025-05-03,own\n",
      InputFormat::kBankShifts);
  ASSERT_EQ(events.size(), 1u) << Errors();
  EXPECT_EQ(events[0].person, 0xd6u);
  EXPECT_EQ(errors_.count(), 1u) << Errors();
}

TEST_F(IngestTest, RawIdentifiersAreKeyedWithThePseudonymKey) {
  context_.pseudonym_key = Bytes(32, 7);
  const std::string text =
      "person,home_ods,worked_ods,staff_group,role,shift_date,bank\n"
      "E12345,RGT,R1H,support_to_clinical,hca,2025-05-02,own\n"
      "E12345,RGT,RYJ,support_to_clinical,hca,2025-05-03,own\n";
  auto a = Workforce(text, InputFormat::kBankShifts);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].person, a[1].person);
  context_.pseudonym_key = Bytes(32, 8);
  auto b = Workforce(text, InputFormat::kBankShifts);
  EXPECT_NE(a[0].person, b[0].person);  // another key, another pseudonym
}

TEST_F(IngestTest, LanyardEventExportGivesTheMeasuredEffect) {
  std::istringstream in(
      "event,date,person,from_ods,to_ods,profile,movement,overall,reuse_count,reverify_count,"
      "repeat_count,override_count,days_to_report,credential_type\n"
      "share.report,2026-08-05,abc,RGT,R1H,fy1,rotation_lead_employer,cleared,15,3,0,0,2,\n"
      "share.report,2026-08-05,abd,RGT,R1H,fy1,rotation_lead_employer,not_cleared,10,3,5,2,4,\n"
      "credential.issue,2026-08-01,abc,RGT,,,,,,,,,,dbs\n"
      "share.report,2026-08-05,abe,RGT,R1H,fy1,teleport,cleared,1,1,1,0,1,\n");
  MeasuredEffect measured;
  auto r = IngestLanyardEventsStream(in, "events.csv", context_, measured);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->accepted, 3u);
  EXPECT_NE(Errors().find("5: unknown movement \"teleport\""), std::string::npos) << Errors();
  Table t = MeasuredTable(measured);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].labels[0], "rotation_lead_employer");
  EXPECT_EQ(t.rows[0].counts[0], 2);
  EXPECT_DOUBLE_EQ(*t.rows[0].values[0], 12.5);  // reused per report
  EXPECT_DOUBLE_EQ(*t.rows[0].values[3], 1.0);   // overrides per report
  EXPECT_DOUBLE_EQ(*t.rows[0].values[4], 0.5);   // cleared share
}

TEST_F(IngestTest, RefusesTheWrongHeader) {
  std::istringstream in("person,org\n");
  EXPECT_THAT(IngestWorkforceStream(in, "x.csv", InputFormat::kBankShifts, context_,
                                    [](const MovementEvent&) {}),
              ErrorIs("movement.invalid_file"));
  EXPECT_EQ(DetectFormat("person,home_ods,worked_ods,staff_group,role,shift_date,bank\r"),
            InputFormat::kBankShifts);
  EXPECT_EQ(DetectFormat("a,b"), InputFormat::kUnknown);
}

}  // namespace
}  // namespace lanyard::analytics
