// A strict, streaming RFC 4180 CSV reader, and the quoting a CSV writer needs.
//
// The reader walks text already in memory one record at a time, so a caller can check a file in
// one pass and act on it in a second without holding every row. It accepts what spreadsheet
// programs and HR reporting tools write ("CSV UTF-8"): comma-separated fields; fields quoted with
// '"' may hold commas, line breaks and doubled quotes (""); records end with CRLF or LF (the
// last one may end at the end of the text); one UTF-8 byte order mark at the very start is
// skipped. Everything else is refused rather than guessed at: a quote inside an unquoted field,
// text after a closing quote, a bare CR, bytes that are not strict UTF-8 (RFC 3629).
//
// A blank line is a record of one empty field (RFC 4180 has no comments or blank-line rule);
// callers decide what an empty record means. Fields keep their spaces, and quoted line breaks
// are kept as written. Records may have different numbers of fields: that is the caller's
// rule, not the syntax's.
//
// Line numbers count physical lines from 1 (a quoted line break moves to the next line), so an
// error and a record's `line` point at what a person sees in a text editor.
//
// Errors (reason, Code), each message naming the line:
//   csv.unterminated_quote  (kInvalidArgument) the text ends inside a quoted field (the line is
//                           where the quote opened)
//   csv.stray_quote         (kInvalidArgument) a '"' inside an unquoted field
//   csv.text_after_quote    (kInvalidArgument) a closing '"' followed by anything but a comma or
//                           the end of the record
//   csv.bare_cr             (kInvalidArgument) a CR outside quotes not followed by LF
//   csv.not_utf8            (kInvalidArgument) bytes that are not strict UTF-8 (also UTF-16
//                           text, which is named as such)
//   csv.field_too_long      (kInvalidArgument) a field above CsvLimits::max_field_bytes
//   csv.record_too_long     (kInvalidArgument) a record above CsvLimits::max_record_bytes
//   csv.too_many_columns    (kInvalidArgument) a record with more than CsvLimits::max_columns
// Once Next has failed, every later call returns the same error.
//
// Thread-safety: a CsvReader is used from one thread at a time; CsvField is pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"

namespace lanyard {

struct CsvLimits {
  size_t max_field_bytes = 64 * 1024;
  size_t max_record_bytes = 1024 * 1024;  // the fields' bytes together
  size_t max_columns = 512;
};

struct CsvRecord {
  size_t line = 0;  // the physical line the record starts on, from 1
  std::vector<std::string> fields;  // at least one
};

class CsvReader {
 public:
  // `text` must outlive the reader.
  explicit CsvReader(std::string_view text, CsvLimits limits = {});

  // Reads the next record into `*record` (reusing its storage) and returns true, or returns
  // false at the end of the text. Errors: the reasons above.
  Result<bool> Next(CsvRecord* record);

  // The line the reader has reached (the next record's first line); after an error, the
  // error's line.
  size_t line() const { return line_; }

 private:
  Error Fail(std::string reason, size_t line, std::string message);
  // Appends the character at pos_ (one UTF-8 sequence) to `field`, or fails.
  Status TakeChar(std::string* field);

  std::string_view text_;
  CsvLimits limits_;
  size_t pos_ = 0;
  size_t line_ = 1;
  std::optional<Error> failed_;
};

// `value` as one CSV field: as is when it needs no quoting, else quoted with '"' doubled.
// Fields holding a comma, quote, CR or LF, or starting or ending with a space, or starting with a
// byte order mark, are quoted, so the reader reads back exactly `value`.
std::string CsvField(std::string_view value);

}  // namespace lanyard
