#include "lanyard/core/csv.h"

#include <gtest/gtest.h>

#include "lanyard/testing/matchers.h"

namespace lanyard {
namespace {

using testing::ErrorIs;

// Every record as "line:field|field|..." on its own line, or the error's reason and message.
std::string Render(std::string_view text, CsvLimits limits = {}) {
  CsvReader reader(text, limits);
  CsvRecord record;
  std::string out;
  while (true) {
    auto more = reader.Next(&record);
    if (!more.ok()) return out + more.error().reason + " (" + more.error().message + ")\n";
    if (!*more) return out;
    out += std::to_string(record.line) + ":";
    for (size_t i = 0; i < record.fields.size(); ++i) {
      out += (i ? "|" : "") + record.fields[i];
    }
    out += "\n";
  }
}

Status FirstError(std::string_view text, CsvLimits limits = {}) {
  CsvReader reader(text, limits);
  CsvRecord record;
  while (true) {
    auto more = reader.Next(&record);
    if (!more.ok()) return std::move(more).error();
    if (!*more) return OkStatus();
  }
}

TEST(Csv, ReadsPlainRecordsWithLfOrCrlfAndNoFinalNewline) {
  EXPECT_EQ(Render("a,b,c\n1,2,3\n"), "1:a|b|c\n2:1|2|3\n");
  EXPECT_EQ(Render("a,b\r\n1,2\r\n"), "1:a|b\n2:1|2\n");
  EXPECT_EQ(Render("a,b\r\n1,2"), "1:a|b\n2:1|2\n");
  EXPECT_EQ(Render("a,b\n1,2\r\n3,4"), "1:a|b\n2:1|2\n3:3|4\n");
}

TEST(Csv, EmptyTextHasNoRecordsAndEmptyFieldsAreKept) {
  EXPECT_EQ(Render(""), "");
  EXPECT_EQ(Render("a,,c\n,\n"), "1:a||c\n2:|\n");
  EXPECT_EQ(Render("a,"), "1:a|\n");
  // A blank line is a record of one empty field; what it means is the caller's rule.
  EXPECT_EQ(Render("a\n\nb\n"), "1:a\n2:\n3:b\n");
  EXPECT_EQ(Render("\n"), "1:\n");
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(Render("\"a,b\",\"say \"\"hi\"\"\"\n"), "1:a,b|say \"hi\"\n");
  EXPECT_EQ(Render("\"\",x\n"), "1:|x\n");
  EXPECT_EQ(Render("\"\"\"\"\n"), "1:\"\n");
  // A quoted line break is kept as written, and the next record's line moves on past it.
  EXPECT_EQ(Render("\"one\ntwo\",x\r\nnext\n"), "1:one\ntwo|x\n3:next\n");
  EXPECT_EQ(Render("\"a\r\nb\"\n"), "1:a\r\nb\n");
  EXPECT_EQ(Render("\"last\""), "1:last\n");
}

TEST(Csv, KeepsSpacesAndUtf8AndSkipsOneByteOrderMark) {
  EXPECT_EQ(Render(" a , b \n"), "1: a | b \n");
  EXPECT_EQ(Render("\xEF\xBB\xBFstaff_number,name\n1,Zo\xC3\xAB\n"),
            "1:staff_number|name\n2:1|Zo\xC3\xAB\n");
  EXPECT_EQ(Render("\"\xE2\x82\xAC 5\"\n"), "1:\xE2\x82\xAC 5\n");
  // Only the first mark is a mark: a second is text.
  EXPECT_EQ(Render("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n"), "1:\xEF\xBB\xBF" "a\n");
}

TEST(Csv, RefusesAnUnterminatedQuoteNamingTheLineItOpened) {
  Status s = FirstError("a,b\n1,\"open\nstill open\n");
  EXPECT_THAT(s, ErrorIs("csv.unterminated_quote"));
  EXPECT_EQ(s.error().message.rfind("line 2:", 0), 0u) << s.error().message;
}

TEST(Csv, RefusesAStrayQuoteInAnUnquotedField) {
  Status s = FirstError("a,b\nab\"c,d\n");
  EXPECT_THAT(s, ErrorIs("csv.stray_quote"));
  EXPECT_EQ(s.error().message.rfind("line 2:", 0), 0u);
}

TEST(Csv, RefusesTextAfterAClosingQuote) {
  EXPECT_THAT(FirstError("\"ab\"c,d\n"), ErrorIs("csv.text_after_quote"));
  EXPECT_THAT(FirstError("\"ab\" ,d\n"), ErrorIs("csv.text_after_quote"));
}

TEST(Csv, RefusesABareCarriageReturn) {
  Status s = FirstError("a,b\rc,d\n");
  EXPECT_THAT(s, ErrorIs("csv.bare_cr"));
  EXPECT_THAT(FirstError("a,b\r"), ErrorIs("csv.bare_cr"));
  // Inside quotes a CR is text.
  EXPECT_EQ(Render("\"a\rb\"\n"), "1:a\rb\n");
}

TEST(Csv, RefusesTextThatIsNotUtf8) {
  Status latin1 = FirstError("name\nZo\xEB\n");  // ISO 8859-1, as older exports write
  EXPECT_THAT(latin1, ErrorIs("csv.not_utf8"));
  EXPECT_EQ(latin1.error().message.rfind("line 2:", 0), 0u);
  EXPECT_THAT(FirstError("\"\xED\xA0\x80\"\n"), ErrorIs("csv.not_utf8"));  // a surrogate
  EXPECT_THAT(FirstError("a\xC0\xAF\n"), ErrorIs("csv.not_utf8"));         // overlong '/'
  EXPECT_THAT(FirstError("a\xE2\x82"), ErrorIs("csv.not_utf8"));           // truncated
  Status utf16 = FirstError(std::string_view("\xFF\xFEn\0a\0", 6));
  EXPECT_THAT(utf16, ErrorIs("csv.not_utf8"));
  EXPECT_NE(utf16.error().message.find("UTF-16"), std::string::npos);
}

TEST(Csv, EnforcesFieldRecordAndColumnLimits) {
  CsvLimits limits;
  limits.max_field_bytes = 4;
  limits.max_record_bytes = 6;
  limits.max_columns = 3;
  EXPECT_EQ(Render("abcd,ef\n", limits), "1:abcd|ef\n");
  EXPECT_THAT(FirstError("abcde\n", limits), ErrorIs("csv.field_too_long"));
  EXPECT_THAT(FirstError("\"abcde\"\n", limits), ErrorIs("csv.field_too_long"));
  EXPECT_EQ(Render("\"abc\"\"\"\n", limits), "1:abc\"\n");  // four bytes once unquoted
  EXPECT_THAT(FirstError("\"abcd\"\"\"\n", limits), ErrorIs("csv.field_too_long"));
  EXPECT_THAT(FirstError("abcd,efg\n", limits), ErrorIs("csv.record_too_long"));
  EXPECT_EQ(Render("a,b,c\n", limits), "1:a|b|c\n");
  Status wide = FirstError("a,b\n1,2,3,4\n", limits);
  EXPECT_THAT(wide, ErrorIs("csv.too_many_columns"));
  EXPECT_EQ(wide.error().message.rfind("line 2:", 0), 0u);
}

TEST(Csv, AnErrorIsFinal) {
  CsvReader reader("a\"\nb\n");
  CsvRecord record;
  EXPECT_THAT(reader.Next(&record), ErrorIs("csv.stray_quote"));
  EXPECT_THAT(reader.Next(&record), ErrorIs("csv.stray_quote"));
}

TEST(Csv, FieldsQuoteOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
  EXPECT_EQ(CsvField("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
  std::string line = CsvField("x,\"y\"") + "," + CsvField("z\r\n");
  EXPECT_EQ(Render(line), "1:x,\"y\"|z\r\n\n");
}

}  // namespace
}  // namespace lanyard
