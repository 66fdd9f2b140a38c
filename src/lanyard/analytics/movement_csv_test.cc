#include "lanyard/analytics/movement_csv.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lanyard/testing/matchers.h"

namespace lanyard::analytics {
namespace {

using ::lanyard::testing::ErrorIs;
using ::lanyard::testing::IsOk;

TEST(MovementDates, RoundTripAndRefuseImpossibleDays) {
  EXPECT_EQ(DayFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(FormatDay(*ParseDay("2026-08-05")), "2026-08-05");
  EXPECT_EQ(*ParseDay("2024-02-29") + 1, *ParseDay("2024-03-01"));
  for (Day d = DayFromCivil(2015, 1, 1); d < DayFromCivil(2026, 1, 1); d += 17) {
    EXPECT_EQ(*ParseDay(FormatDay(d)), d);
  }
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-8-05", "2026-08-5", "20260805",
                          "2026-08-00", "1899-12-31", "2026-08-05T00"}) {
    EXPECT_FALSE(ParseDay(bad).has_value()) << bad;
  }
}

TEST(MovementNames, EveryNameParsesBackAndMechanismsHaveOneClass) {
  for (int i = 0; i < kMechanisms; ++i) {
    auto m = static_cast<Mechanism>(i);
    EXPECT_EQ(ParseMechanism(MechanismName(m)), m);
  }
  for (int i = 0; i < kStaffGroups; ++i) {
    auto g = static_cast<StaffGroup>(i);
    EXPECT_EQ(ParseStaffGroup(StaffGroupName(g)), g);
  }
  for (int i = 0; i < kReasons; ++i) {
    auto r = static_cast<Reason>(i);
    EXPECT_EQ(ParseReason(ReasonName(r)), r);
  }
  EXPECT_EQ(ClassOf(Mechanism::kCollaborativeBank), EventClass::kShift);
  EXPECT_EQ(ClassOf(Mechanism::kLicenceToAttend), EventClass::kTemporaryMove);
  EXPECT_EQ(ClassOf(Mechanism::kLeadEmployerRotation), EventClass::kOrganisationChange);
  EXPECT_FALSE(ParseMechanism("Bank").has_value());
}

class MovementCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(orgs_.Add({"RGT", "Cambridge University Hospitals", "trust", "QUE", "Y61"}),
                IsOk());
    ASSERT_THAT(orgs_.Add({"R1H", "Barts Health", "trust", "QMF", "Y56"}), IsOk());
  }

  MovementEvent Sample() {
    MovementEvent e;
    e.event_class = EventClass::kOrganisationChange;
    e.person = 0x0123456789abcdefULL;
    e.date = *ParseDay("2026-08-05");
    e.from_org = 0;
    e.to_org = 1;
    e.staff_group = StaffGroup::kResidentDoctor;
    e.role = *roles_.Intern("FY2");
    e.mechanism = Mechanism::kLeadEmployerRotation;
    e.reason = Reason::kTrainingRotation;
    e.outcomes.fill(Outcome::kReused);
    e.outcomes[4] = Outcome::kReverified;
    e.outcomes[kInductionItem] = Outcome::kRepeated;
    e.days_to_clear = 12;
    e.induction_days = 2;
    return e;
  }

  OrganisationTable orgs_;
  RoleTable roles_;
  RoleCache cache_{roles_};
};

TEST_F(MovementCsvTest, WritesAndReadsBackALine) {
  std::string line;
  AppendMovementLine(Sample(), orgs_, roles_, line);
  EXPECT_EQ(line,
            "organisation_change,0123456789abcdef,2026-08-05,RGT,R1H,resident_doctor,FY2,"
            "lead_employer_rotation,training_rotation,uuuuvuruuuuuuuuuuu,12,2\n");
  line.pop_back();
  auto back = ParseMovementLine(line, orgs_, cache_);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->person, Sample().person);
  EXPECT_EQ(back->outcomes, Sample().outcomes);
  EXPECT_EQ(back->days_to_clear, 12);
  EXPECT_EQ(back->from_org, 0);
}

TEST_F(MovementCsvTest, RefusesEachKindOfBadRow) {
  const std::string good =
      "shift,0123456789abcdef,2026-08-05,,R1H,nurse_and_midwife,band5,bank,extra_hours,,,";
  ASSERT_THAT(ParseMovementLine(good, orgs_, cache_), IsOk());
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {"shift,0123456789abcdef,2026-08-05,,R1H", "5 fields, not 12"},
      {good + ",", "more than 12 fields"},
      {"\"shift\"" + good.substr(5), "a quote"},
      {"move" + good.substr(5), "unknown class"},
      {"shift,0123456789ABCDEF" + good.substr(22), "16 lower-case hex"},
      {"shift,0123456789abcdef,2026-02-30" + good.substr(33), "the date is YYYY-MM-DD"},
      {"shift,0123456789abcdef,2026-08-05,XXX,R1H" + good.substr(38), "unknown organisation"},
      {"shift,0123456789abcdef,2026-08-05,RGT," + good.substr(38), "to_ods is required"},
      {"shift,0123456789abcdef,2026-08-05,,R1H,nurse,band5,bank,extra_hours,,,",
       "unknown staff group"},
      {"shift,0123456789abcdef,2026-08-05,,R1H,nurse_and_midwife,band 5,bank,extra_hours,,,",
       "a role is"},
      {"shift,0123456789abcdef,2026-08-05,,R1H,nurse_and_midwife,band5,secondment,other,,,",
       "secondment is not a mechanism of shift"},
      {"shift,0123456789abcdef,2026-08-05,,R1H,nurse_and_midwife,band5,bank,boredom,,,",
       "unknown reason"},
      {good.substr(0, good.size() - 2) + "uuu,,", "outcomes are 18 letters"},
      {good.substr(0, good.size() - 2) + "uuuuuuuuuuuuuuuuux,,", "an outcome is one of"},
      {good.substr(0, good.size() - 1) + "-3,", "days_to_clear"},
      {good + "61", "induction_days"},
      {good + std::string(1100, '1'), "over 1,024 bytes"},
  };
  for (const Case& c : cases) {
    auto r = ParseMovementLine(c.line, orgs_, cache_);
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_EQ(r.error().reason, "movement.invalid_row");
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << c.line << " -> " << r.error().message;
  }
}

TEST_F(MovementCsvTest, ReadsAFileInPiecesWithBadRowsReportedByLine) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("lanyard-movements-" + std::to_string(getpid())))
          .string();
  std::string text = std::string(kMovementsHeader) + "\n";
  std::vector<uint64_t> bad_lines;
  for (int i = 0; i < 5000; ++i) {
    MovementEvent e = Sample();
    e.person = static_cast<uint64_t>(i) + 1;
    std::string line;
    AppendMovementLine(e, orgs_, roles_, line);
    if (i % 997 == 3) {
      line = "garbage,row\n";
      bad_lines.push_back(static_cast<uint64_t>(i) + 2);
    }
    text += line;
  }
  { std::ofstream(path, std::ios::binary) << text; }
  for (int threads : {1, 2, 7}) {
    std::vector<uint64_t> person_sums(threads, 0);
    RowErrors errors;
    auto summary = ReadMovementsFile(
        path, orgs_, roles_, threads,
        [&](int t) -> EventSink {
          return [&person_sums, t](const MovementEvent& e) { person_sums[t] += e.person; };
        },
        errors);
    ASSERT_THAT(summary, IsOk());
    EXPECT_EQ(summary->rows, 5000u);
    EXPECT_EQ(summary->accepted, 5000u - bad_lines.size());
    uint64_t sum = 0;
    for (uint64_t s : person_sums) sum += s;
    uint64_t expected = 5000ull * 5001 / 2;
    for (uint64_t line : bad_lines) expected -= line - 1;
    EXPECT_EQ(sum, expected) << threads << " threads";
    ASSERT_EQ(errors.count(), bad_lines.size());
    auto kept = errors.kept();
    for (size_t i = 0; i < kept.size(); ++i) {
      EXPECT_EQ(kept[i].line, bad_lines[i]);
      EXPECT_EQ(kept[i].file, path);
    }
  }
  { std::ofstream(path, std::ios::binary) << "class,person\n"; }
  RowErrors errors;
  EXPECT_THAT(ReadMovementsFile(
                  path, orgs_, roles_, 2,
                  [](int) -> EventSink { return [](const MovementEvent&) {}; }, errors),
              ErrorIs("movement.invalid_file"));
  std::filesystem::remove(path);
}

TEST_F(MovementCsvTest, AnEndlessLineIsOneBadRowAndTheRestIsRead) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("lanyard-long-" + std::to_string(getpid())))
          .string();
  std::string good;
  AppendMovementLine(Sample(), orgs_, roles_, good);
  std::string text = std::string(kMovementsHeader) + "\n" + good +
                     std::string(20 * 1024 * 1024, 'x') + "\n" + good +
                     good.substr(0, good.size() - 1);
  { std::ofstream(path, std::ios::binary) << text; }
  for (int threads : {1, 3}) {
    RowErrors errors;
    std::atomic<int> events{0};
    auto summary = ReadMovementsFile(
        path, orgs_, roles_, threads,
        [&](int) -> EventSink { return [&](const MovementEvent&) { ++events; }; }, errors);
    ASSERT_THAT(summary, IsOk());
    EXPECT_EQ(events.load(), 3) << threads;  // the last line needs no newline
    ASSERT_EQ(errors.count(), 1u);
    EXPECT_EQ(errors.kept()[0].line, 3u);
    EXPECT_EQ(errors.kept()[0].message, "the line is over 1,024 bytes");
  }
  std::filesystem::remove(path);
}

TEST_F(MovementCsvTest, AWrongFileIsCountedNotHeldInMemory) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("lanyard-wrong-" + std::to_string(getpid())))
          .string();
  std::string text = std::string(kMovementsHeader) + "\n";
  for (int i = 0; i < 5000; ++i) text += "not,a,movement\n";
  { std::ofstream(path, std::ios::binary) << text; }
  RowErrors errors(100);
  auto summary = ReadMovementsFile(
      path, orgs_, roles_, 2, [](int) -> EventSink { return [](const MovementEvent&) {}; }, errors);
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->rows, 5000u);
  EXPECT_EQ(errors.count(), 5000u);
  EXPECT_EQ(errors.kept().size(), 100u);
  std::filesystem::remove(path);
}

TEST(OrganisationsCsv, ReadsQuotedNamesAndRefusesDuplicates) {
  auto table = ReadOrganisationsCsv(
      "ods,name,kind,ics,region\nRGT,\"Cambridge, University Hospitals\",trust,QUE,Y61\n",
      "organisations.csv");
  ASSERT_THAT(table, IsOk());
  EXPECT_EQ(table->at(table->Find("RGT")).name, "Cambridge, University Hospitals");
  std::ostringstream out;
  WriteOrganisationsCsv(*table, out);
  EXPECT_EQ(ReadOrganisationsCsv(out.str(), "x")->size(), 1u);
  auto dup = ReadOrganisationsCsv(
      "ods,name,kind,ics,region\nRGT,A,trust,QUE,Y61\nRGT,B,trust,QUE,Y61\n", "orgs.csv");
  ASSERT_THAT(dup, ErrorIs("movement.invalid_file"));
  EXPECT_NE(dup.error().message.find("orgs.csv:3"), std::string::npos) << dup.error().message;
  EXPECT_THAT(ReadOrganisationsCsv("ods,name\n", "x"), ErrorIs("movement.invalid_file"));
}

}  // namespace
}  // namespace lanyard::analytics
