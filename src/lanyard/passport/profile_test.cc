#include "lanyard/passport/profile.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "lanyard/testing/matchers.h"

namespace lanyard::passport {
namespace {

using testing::ErrorIs;
using testing::IsOk;

// The six required keys, on lines 1 to 6; a test's own lines start at line 7.
constexpr std::string_view kHead =
    "format = lanyard-profile/1\n"
    "id = test-role\n"
    "version = 1\n"
    "staff_group = nursing_midwifery\n"
    "role = Test Role\n"
    "employment_type = permanent\n";

std::string Head(std::string_view rest = "") { return std::string(kHead) + std::string(rest); }

// kHead with the line of `key` replaced by `line` (or dropped when `line` is empty).
std::string HeadWith(std::string_view key, std::string_view line) {
  std::string out;
  std::string_view head = kHead;
  while (!head.empty()) {
    std::string_view l = head.substr(0, head.find('\n') + 1);
    head.remove_prefix(l.size());
    if (l.substr(0, key.size() + 1) == std::string(key) + " ") {
      if (!line.empty()) out += std::string(line) + "\n";
    } else {
      out += l;
    }
  }
  return out;
}

// The example of profile.h, as written there.
constexpr std::string_view kHeaderExample = R"(# comments and blank lines are ignored
format = lanyard-profile/1
id = registered-nurse            # [a-z0-9-]+
version = 3                      # a positive whole number, raised with every edit
organisation = *                 # an ODS code, or * for any
staff_group = nursing_midwifery
role = Registered Nurse
employment_type = permanent      # permanent | fixed_term | bank | agency | honorary

[identity]
required = true
[right_to_work]
required = true
[registration]
required = true
regulators = NMC                 # comma-separated: GMC GDC GPhC HCPC NMC
conditions_allowed = false
[employment_history]
required = true
reference_required = true
[dbs]
required = true
level = enhanced_barred          # basic | standard | enhanced | enhanced_barred
workforce = adult                # child | adult | child_and_adult | other
adults_barred_list = true
childrens_barred_list = false
recheck_years = 3                # optional local policy; absent = no age limit
[work_health]
required = true
patient_contact = true
epp = false
[induction]
required = true
recognise_previous = true
[training]
resuscitation = 2                # subject = level; a subject not listed is not required
fire_safety = 1
[refresher_months]               # optional: local refresher periods, subject or subject.level
fire_safety = 12
)";

TEST(Profile, ReadsTheHeaderExample) {
  auto p = ParseProfile(kHeaderExample, "example.profile");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->id, "registered-nurse");
  EXPECT_EQ(p->version, 3);
  EXPECT_EQ(p->organisation, "*");
  EXPECT_EQ(p->role, "Registered Nurse");
  EXPECT_EQ(p->registration.regulators, std::vector<std::string>{"NMC"});
  EXPECT_EQ(p->dbs.level, DbsLevel::kEnhancedBarred);
  EXPECT_EQ(p->dbs.workforce, DbsWorkforce::kAdult);
  EXPECT_EQ(p->dbs.recheck_years, 3);
  EXPECT_EQ(p->training, (std::map<std::string, int>{{"fire_safety", 1}, {"resuscitation", 2}}));
  EXPECT_EQ(p->refresher_months, (std::map<std::string, int>{{"fire_safety", 12}}));
  EXPECT_EQ(RequirementCount(*p), 9);
}

TEST(Profile, KeepsDefaultsForWhatIsNotGiven) {
  auto p = ParseProfile(Head(), "t");
  ASSERT_THAT(p, IsOk());
  Profile defaults;
  defaults.id = "test-role";
  defaults.version = 1;
  defaults.staff_group = "nursing_midwifery";
  defaults.role = "Test Role";
  defaults.employment_type = "permanent";
  EXPECT_EQ(*p, defaults);
  EXPECT_EQ(RequirementCount(*p), 3);  // identity, right to work, induction
}

TEST(Profile, WritesEveryKeyInTheDocumentedOrder) {
  auto p = ParseProfile(Head("[dbs]\nrequired = true\nlevel = standard\nrecheck_years = 3\n"
                             "[refresher_months]\nmoving_handling.2 = 12\nfire_safety = 12\n"
                             "[training]\nresuscitation = 2\nfire_safety = 1\n"
                             "[registration]\nrequired = true\nregulators = NMC, GMC\n"),
                        "t");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(WriteProfile(*p),
            "format = lanyard-profile/1\n"
            "id = test-role\n"
            "version = 1\n"
            "organisation = *\n"
            "staff_group = nursing_midwifery\n"
            "role = Test Role\n"
            "employment_type = permanent\n"
            "\n[identity]\nrequired = true\n"
            "\n[right_to_work]\nrequired = true\n"
            "\n[registration]\nrequired = true\nregulators = NMC, GMC\n"
            "conditions_allowed = false\n"
            "\n[employment_history]\nrequired = false\nreference_required = false\n"
            "\n[dbs]\nrequired = true\nlevel = standard\nworkforce = other\n"
            "adults_barred_list = false\nchildrens_barred_list = false\nrecheck_years = 3\n"
            "\n[work_health]\nrequired = false\npatient_contact = false\nepp = false\n"
            "\n[induction]\nrequired = true\nrecognise_previous = true\n"
            "\n[training]\nfire_safety = 1\nresuscitation = 2\n"
            "\n[refresher_months]\nfire_safety = 12\nmoving_handling.2 = 12\n");
}

TEST(Profile, RoundTripsAProfileWithEverySetting) {
  auto p = ParseProfile(kHeaderExample, "example.profile");
  ASSERT_THAT(p, IsOk());
  p->organisation = "RJ1";
  p->registration.regulators = {"HCPC", "GPhC", "GDC"};
  p->registration.conditions_allowed = true;
  p->dbs.workforce = DbsWorkforce::kChildAndAdult;
  p->dbs.childrens_barred_list = true;
  p->role = "Physiotherapist – Band 6 (Ward 7)";  // UTF-8 and punctuation survive
  p->refresher_months["infection_prevention_control.2"] = 6;
  for (std::string_view s : kTrainingSubjects) p->training[std::string(s)] = 4;
  std::string written = WriteProfile(*p);
  auto again = ParseProfile(written, "written");
  ASSERT_THAT(again, IsOk()) << written;
  EXPECT_EQ(*again, *p);
  EXPECT_EQ(WriteProfile(*again), written);
}

TEST(Profile, EqualityComparesEveryMember) {
  auto base = ParseProfile(kHeaderExample, "x");
  ASSERT_THAT(base, IsOk());
  std::vector<void (*)(Profile&)> edits = {
      [](Profile& p) { p.id = "other"; },
      [](Profile& p) { p.version = 4; },
      [](Profile& p) { p.organisation = "RGT"; },
      [](Profile& p) { p.staff_group = "students"; },
      [](Profile& p) { p.role = "Nurse"; },
      [](Profile& p) { p.employment_type = "bank"; },
      [](Profile& p) { p.identity.required = false; },
      [](Profile& p) { p.right_to_work.required = false; },
      [](Profile& p) { p.registration.required = false; },
      [](Profile& p) { p.registration.regulators.push_back("GMC"); },
      [](Profile& p) { p.registration.conditions_allowed = true; },
      [](Profile& p) { p.employment_history.required = false; },
      [](Profile& p) { p.employment_history.reference_required = false; },
      [](Profile& p) { p.dbs.required = false; },
      [](Profile& p) { p.dbs.level = DbsLevel::kEnhanced; },
      [](Profile& p) { p.dbs.workforce = DbsWorkforce::kChild; },
      [](Profile& p) { p.dbs.adults_barred_list = false; },
      [](Profile& p) { p.dbs.childrens_barred_list = true; },
      [](Profile& p) { p.dbs.recheck_years.reset(); },
      [](Profile& p) { p.work_health.required = false; },
      [](Profile& p) { p.work_health.patient_contact = false; },
      [](Profile& p) { p.work_health.epp = true; },
      [](Profile& p) { p.induction.required = false; },
      [](Profile& p) { p.induction.recognise_previous = false; },
      [](Profile& p) { p.training["fire_safety"] = 2; },
      [](Profile& p) { p.refresher_months.clear(); },
  };
  EXPECT_TRUE(*base == *base);
  for (size_t i = 0; i < edits.size(); ++i) {
    Profile changed = *base;
    edits[i](changed);
    EXPECT_FALSE(changed == *base) << "edit " << i;
  }
}

TEST(Profile, AcceptsCommentsSpacingCrlfAndAByteOrderMark) {
  std::string text =
      "\xEF\xBB\xBF# a profile\r\n"
      "format=lanyard-profile/1#no space before the comment\r\n"
      "\tid   =\ttest-role   \r\n"
      "version = 007\r\n"
      "staff_group = nursing_midwifery\r\n"
      "role = Test Role\r\n"
      "employment_type = permanent\r\n"
      "  [ dbs ]   # the DBS check\r\n"
      "required = true\r\n";
  auto p = ParseProfile(text, "t");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->id, "test-role");
  EXPECT_EQ(p->version, 7);
  EXPECT_TRUE(p->dbs.required);
}

// Every refusal is profile.invalid with "<source>:<line>: <field>: <why>".
void ExpectRefused(const std::string& text, const std::string& prefix) {
  auto p = ParseProfile(text, "t.profile");
  ASSERT_THAT(p, ErrorIs("profile.invalid")) << text;
  EXPECT_EQ(p.error().code, Code::kInvalidArgument);
  EXPECT_EQ(p.error().message.substr(0, prefix.size()), prefix) << p.error().message;
}

TEST(Profile, RefusesWhatIsMissingWithLineZero) {
  for (std::string_view key :
       {"format", "id", "version", "staff_group", "role", "employment_type"}) {
    ExpectRefused(HeadWith(key, ""), "t.profile:0: " + std::string(key) + ": missing");
  }
  ExpectRefused("", "t.profile:0: format: missing");
}

TEST(Profile, RefusesBadTopLevelValuesOnTheirLine) {
  ExpectRefused(HeadWith("format", "format = lanyard-profile/2"),
                "t.profile:1: format: expected lanyard-profile/1, got \"lanyard-profile/2\"");
  ExpectRefused(HeadWith("id", "id = Registered_Nurse"), "t.profile:2: id: expected at most 64");
  ExpectRefused(HeadWith("id", "id = " + std::string(65, 'a')), "t.profile:2: id: ");
  for (std::string_view v : {"0", "-1", "1.5", "+2", "three", "1000000000"}) {
    ExpectRefused(HeadWith("version", "version = " + std::string(v)),
                  "t.profile:3: version: expected a whole number from 1 to 999999999, got");
  }
  ExpectRefused(Head("organisation = rj1\n"), "t.profile:7: organisation: expected an ODS code");
  ExpectRefused(Head("organisation = R1\n"), "t.profile:7: organisation: expected an ODS code");
  ExpectRefused(HeadWith("staff_group", "staff_group = nurses"),
                "t.profile:4: staff_group: expected one of additional_clinical_services");
  ExpectRefused(HeadWith("role", "role = " + std::string(201, 'x')),
                "t.profile:5: role: longer than 200 bytes");
  ExpectRefused(HeadWith("employment_type", "employment_type = contractor"),
                "t.profile:6: employment_type: expected one of permanent, fixed_term");
}

TEST(Profile, RefusesUnknownSectionsAndKeys) {
  ExpectRefused(Head("[dbss]\n"), "t.profile:7: dbss: unknown section (known: identity,");
  ExpectRefused(Head("[]\n"), "t.profile:7: profile: unknown section");
  ExpectRefused(Head("colour = blue\n"), "t.profile:7: colour: unknown key (known: format,");
  ExpectRefused(Head("[dbs]\nlevle = basic\n"),
                "t.profile:8: dbs.levle: unknown key (known: required, level, workforce,");
  ExpectRefused(Head("[dbs]\nrole = Nurse\n"),
                "t.profile:8: dbs.role: unknown key in [dbs] (top-level keys come before");
  ExpectRefused(Head("[identity]\nrequired = true\nreference_required = true\n"),
                "t.profile:9: identity.reference_required: unknown key");
}

TEST(Profile, RefusesAKeyOrSectionGivenTwice) {
  ExpectRefused(Head("id = again\n"), "t.profile:7: id: given twice (first on line 2)");
  ExpectRefused(Head("[dbs]\nrequired = true\n\nrequired = false\n"),
                "t.profile:10: dbs.required: given twice (first on line 8)");
  ExpectRefused(Head("[training]\nfire_safety = 1\nfire_safety = 1\n"),
                "t.profile:9: training.fire_safety: given twice (first on line 8)");
  ExpectRefused(Head("[dbs]\n[training]\n[dbs]\n"),
                "t.profile:9: dbs: section given twice (first on line 7)");
}

TEST(Profile, RefusesBadValues) {
  for (std::string_view v : {"yes", "True", "1", "false false"}) {
    ExpectRefused(Head("[identity]\nrequired = " + std::string(v) + "\n"),
                  "t.profile:8: identity.required: expected true or false, got");
  }
  ExpectRefused(Head("[dbs]\nlevel =\n"), "t.profile:8: dbs.level: no value");
  ExpectRefused(Head("[dbs]\nlevel = # none\n"), "t.profile:8: dbs.level: no value");
  ExpectRefused(Head("[dbs]\nlevel = enhanced_plus\n"),
                "t.profile:8: dbs.level: expected one of basic, standard, enhanced, "
                "enhanced_barred, got \"enhanced_plus\"");
  ExpectRefused(Head("[dbs]\nworkforce = adults\n"), "t.profile:8: dbs.workforce: expected one of");
  ExpectRefused(Head("[registration]\nregulators = GMC, XYZ\n"),
                "t.profile:8: registration.regulators: expected regulators from GMC, GDC, GPhC, "
                "HCPC, NMC, got \"XYZ\"");
  ExpectRefused(Head("[registration]\nregulators = gmc\n"),
                "t.profile:8: registration.regulators: expected regulators");
  ExpectRefused(Head("[registration]\nregulators = GMC,,NMC\n"),
                "t.profile:8: registration.regulators: an empty item in the list");
  ExpectRefused(Head("[registration]\nregulators = NMC,\n"),
                "t.profile:8: registration.regulators: an empty item in the list");
  ExpectRefused(Head("[registration]\nregulators = NMC, NMC\n"),
                "t.profile:8: registration.regulators: NMC is listed twice");
}

TEST(Profile, RefusesNumbersOutOfRange) {
  for (std::string_view v : {"0", "5", "-1", "2.0", "two"}) {
    ExpectRefused(Head("[training]\nresuscitation = " + std::string(v) + "\n"),
                  "t.profile:8: training.resuscitation: expected a level from 1 to 4, got");
  }
  for (std::string_view v : {"0", "11", "3.5"}) {
    ExpectRefused(Head("[dbs]\nrecheck_years = " + std::string(v) + "\n"),
                  "t.profile:8: dbs.recheck_years: expected a number of years from 1 to 10");
  }
  for (std::string_view v : {"0", "121", "99999999999"}) {
    ExpectRefused(Head("[refresher_months]\nfire_safety = " + std::string(v) + "\n"),
                  "t.profile:8: refresher_months.fire_safety: expected a number of months from "
                  "1 to 120");
  }
}

TEST(Profile, RefusesSubjectsOutsideTheFramework) {
  ExpectRefused(Head("[training]\nfire = 1\n"),
                "t.profile:8: training.fire: not one of the eleven Core Skills Training "
                "Framework subjects (conflict_resolution,");
  ExpectRefused(Head("[training]\nfire_safety.1 = 1\n"), "t.profile:8: training.fire_safety.1: ");
  ExpectRefused(Head("[refresher_months]\nfire = 12\n"),
                "t.profile:8: refresher_months.fire: not one of the eleven");
  for (std::string_view key :
       {"fire_safety.0", "fire_safety.5", "fire_safety.02", "fire_safety.", "fire_safety.1.2"}) {
    ExpectRefused(Head("[refresher_months]\n" + std::string(key) + " = 12\n"),
                  "t.profile:8: refresher_months." + std::string(key) +
                      ": expected subject.level with a level from 1 to 4");
  }
}

TEST(Profile, RefusesLinesItCannotRead) {
  ExpectRefused(Head("just words\n"),
                "t.profile:7: profile: expected key = value or [section], got \"just words\"");
  ExpectRefused(Head("[dbs]\nrequired true\n"), "t.profile:8: dbs: expected key = value");
  ExpectRefused(Head("[dbs]\n= true\n"), "t.profile:8: dbs: expected key = value");
  ExpectRefused(Head("[dbs\n"), "t.profile:7: profile: expected [section]");
  ExpectRefused(Head("# " + std::string(1100, 'x') + "\n"),
                "t.profile:7: profile: line longer than 1024 bytes");
  ExpectRefused(Head("[dbs]\n# \x01\n"), "t.profile:8: dbs: contains a control character");
  ExpectRefused(Head("role2 = a\x7f\n"), "t.profile:7: profile: contains a control character");
  ExpectRefused(Head("# \xC2\x85\n"), "t.profile:7: profile: contains a control character");
  ExpectRefused(Head("# \xFF\n"), "t.profile:7: profile: not UTF-8");
  ExpectRefused(Head("# \xC0\xAF\n"), "t.profile:7: profile: not UTF-8");
  ExpectRefused(Head(std::string("# nul \0 here\n", 13)),
                "t.profile:7: profile: contains a control character");
}

TEST(Profile, RefusesAFileOver64KiB) {
  std::string text = Head();
  while (text.size() <= 64 * 1024) text += "# padding padding padding padding\n";
  ExpectRefused(text, "t.profile:0: profile: larger than 65536 bytes");
  text.resize(64 * 1024);
  text.back() = '\n';
  EXPECT_THAT(ParseProfile(text, "t"), IsOk());
}

TEST(Profile, RefusesCombinationsNoCheckCanMeet) {
  ExpectRefused(Head("[registration]\nrequired = true\n"),
                "t.profile:7: registration.regulators: a required registration names its "
                "regulators");
  ExpectRefused(Head("[dbs]\nlevel = basic\nworkforce = adult\n"),
                "t.profile:9: dbs.workforce: basic and standard checks name no workforce");
  ExpectRefused(Head("[dbs]\nlevel = standard\nworkforce = child\n"),
                "t.profile:9: dbs.workforce: basic and standard checks name no workforce");
  ExpectRefused(Head("[dbs]\nlevel = enhanced\nworkforce = adult\nadults_barred_list = true\n"),
                "t.profile:10: dbs.adults_barred_list: a barred list is checked only at "
                "enhanced_barred");
  ExpectRefused(
      Head("[dbs]\nlevel = enhanced_barred\nworkforce = adult\nchildrens_barred_list = true\n"),
      "t.profile:10: dbs.childrens_barred_list: this list is checked only for the child or "
      "child_and_adult workforce");
  ExpectRefused(
      Head("[dbs]\nadults_barred_list = true\nlevel = enhanced_barred\nworkforce = child\n"),
      "t.profile:8: dbs.adults_barred_list: this list is checked only for the adult or "
      "child_and_adult workforce");
  ExpectRefused(Head("[dbs]\nlevel = enhanced_barred\nworkforce = adult\n"),
                "t.profile:8: dbs.level: enhanced_barred checks adults_barred_list, "
                "childrens_barred_list or both");
  ExpectRefused(Head("[work_health]\nepp = true\n"),
                "t.profile:8: work_health.epp: exposure-prone procedures are patient contact");
  // An enhanced check may be for the "other" workforce.
  EXPECT_THAT(ParseProfile(Head("[dbs]\nlevel = enhanced\nworkforce = other\n"), "t"), IsOk());
}

TEST(Profile, ShipsTheDefaultProfiles) {
  std::vector<std::string_view> ids = BuiltInProfileIds();
  EXPECT_EQ(ids, (std::vector<std::string_view>{
                     "allied-health-professional", "bank-worker", "foundation-doctor",
                     "healthcare-support-worker", "midwife", "non-clinical-administrator",
                     "registered-nurse", "specialty-registrar", "specialty-registrar-surgical"}));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(Profile, EveryBuiltInProfileParsesAndRoundTrips) {
  for (std::string_view id : BuiltInProfileIds()) {
    auto p = BuiltInProfile(id);
    ASSERT_THAT(p, IsOk()) << id;
    EXPECT_EQ(p->id, id);
    EXPECT_GE(p->version, 1) << id;
    EXPECT_TRUE(p->identity.required && p->right_to_work.required && p->dbs.required &&
                p->work_health.required && p->employment_history.required && p->induction.required)
        << id;
    std::string written = WriteProfile(*p);
    auto again = ParseProfile(written, id);
    ASSERT_THAT(again, IsOk()) << written;
    EXPECT_EQ(*again, *p) << id;
    EXPECT_EQ(WriteProfile(*again), written) << id;
  }
  EXPECT_THAT(BuiltInProfile("nurse"), ErrorIs("profile.not_found"));
  EXPECT_EQ(BuiltInProfile("nurse").error().code, Code::kNotFound);
}

TEST(Profile, BuiltInProfilesSayWhatEachRoleNeeds) {
  auto get = [](std::string_view id) {
    auto p = BuiltInProfile(id);
    EXPECT_THAT(p, IsOk()) << id;
    return p.ok() ? *p : Profile{};
  };
  Profile fy = get("foundation-doctor");
  EXPECT_EQ(fy.registration.regulators, std::vector<std::string>{"GMC"});
  EXPECT_EQ(fy.dbs.workforce, DbsWorkforce::kChildAndAdult);
  EXPECT_TRUE(fy.dbs.adults_barred_list && fy.dbs.childrens_barred_list);
  EXPECT_FALSE(fy.work_health.epp);
  EXPECT_EQ(fy.training.size(), 11u);
  EXPECT_EQ(fy.training["resuscitation"], 2);
  EXPECT_EQ(fy.training["information_governance"], 1);

  EXPECT_TRUE(get("specialty-registrar-surgical").work_health.epp);
  EXPECT_FALSE(get("specialty-registrar").work_health.epp);

  Profile rn = get("registered-nurse");
  EXPECT_EQ(rn.registration.regulators, std::vector<std::string>{"NMC"});
  EXPECT_EQ(rn.dbs.level, DbsLevel::kEnhancedBarred);
  EXPECT_EQ(rn.dbs.workforce, DbsWorkforce::kAdult);
  EXPECT_TRUE(rn.dbs.adults_barred_list);
  EXPECT_FALSE(rn.dbs.childrens_barred_list);

  Profile mw = get("midwife");
  EXPECT_EQ(mw.dbs.workforce, DbsWorkforce::kChildAndAdult);
  EXPECT_FALSE(mw.work_health.epp);

  Profile hcsw = get("healthcare-support-worker");
  EXPECT_FALSE(hcsw.registration.required);
  EXPECT_EQ(hcsw.dbs.workforce, DbsWorkforce::kAdult);

  Profile ahp = get("allied-health-professional");
  EXPECT_EQ(ahp.registration.regulators, std::vector<std::string>{"HCPC"});
  EXPECT_EQ(ahp.dbs.level, DbsLevel::kEnhanced);

  EXPECT_EQ(get("bank-worker").employment_type, "bank");

  Profile admin = get("non-clinical-administrator");
  EXPECT_FALSE(admin.registration.required);
  EXPECT_EQ(admin.dbs.workforce, DbsWorkforce::kOther);
  EXPECT_LE(admin.dbs.level, DbsLevel::kStandard);
  EXPECT_FALSE(admin.work_health.patient_contact);
  EXPECT_LT(admin.training.size(), 11u);
  for (const auto& [subject, level] : admin.training) EXPECT_EQ(level, 1) << subject;
}

TEST(Profile, RefresherDefaultsFollowTheFramework) {
  Profile p;
  std::string got;
  for (std::string_view s : kTrainingSubjects) {
    got += std::string(s) + " " + std::to_string(RefresherMonths(p, s, 1)) + " " +
           std::to_string(RefresherMonths(p, s, 2)) + " " +
           std::to_string(RefresherMonths(p, s, 3)) + " " +
           std::to_string(RefresherMonths(p, s, 4)) + "\n";
  }
  EXPECT_EQ(got,
            "conflict_resolution 36 36 36 36\n"
            "equality_diversity_human_rights 36 36 36 36\n"
            "fire_safety 24 24 24 24\n"
            "health_safety_welfare 36 36 36 36\n"
            "infection_prevention_control 36 12 12 12\n"
            "information_governance 12 12 12 12\n"
            "moving_handling 36 24 24 24\n"
            "preventing_radicalisation 36 36 36 36\n"
            "resuscitation 12 12 12 12\n"
            "safeguarding_adults 36 36 36 36\n"
            "safeguarding_children 36 36 36 36\n");
  EXPECT_EQ(RefresherMonths(p, "infection_prevention_control", 0), 36);  // counts as level 1
  EXPECT_EQ(RefresherMonths(p, "basket_weaving", 1), 0);
}

TEST(Profile, RefresherOverridesWinTheMoreSpecificFirst) {
  auto p = ParseProfile(Head("[refresher_months]\nfire_safety = 12\nmoving_handling = 30\n"
                             "moving_handling.2 = 18\ninfection_prevention_control.1 = 24\n"),
                        "t");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(RefresherMonths(*p, "fire_safety", 1), 12);
  EXPECT_EQ(RefresherMonths(*p, "fire_safety", 3), 12);
  EXPECT_EQ(RefresherMonths(*p, "moving_handling", 1), 30);
  EXPECT_EQ(RefresherMonths(*p, "moving_handling", 2), 18);
  EXPECT_EQ(RefresherMonths(*p, "moving_handling", 3), 30);
  EXPECT_EQ(RefresherMonths(*p, "infection_prevention_control", 1), 24);
  EXPECT_EQ(RefresherMonths(*p, "infection_prevention_control", 2), 12);  // the default
  EXPECT_EQ(RefresherMonths(*p, "resuscitation", 2), 12);
}

TEST(Profile, NamesDbsLevelsAndWorkforces) {
  EXPECT_EQ(DbsLevelName(DbsLevel::kBasic), "basic");
  EXPECT_EQ(DbsLevelName(DbsLevel::kStandard), "standard");
  EXPECT_EQ(DbsLevelName(DbsLevel::kEnhanced), "enhanced");
  EXPECT_EQ(DbsLevelName(DbsLevel::kEnhancedBarred), "enhanced_barred");
  EXPECT_EQ(DbsWorkforceName(DbsWorkforce::kChild), "child");
  EXPECT_EQ(DbsWorkforceName(DbsWorkforce::kAdult), "adult");
  EXPECT_EQ(DbsWorkforceName(DbsWorkforce::kChildAndAdult), "child_and_adult");
  EXPECT_EQ(DbsWorkforceName(DbsWorkforce::kOther), "other");
}

}  // namespace
}  // namespace lanyard::passport
