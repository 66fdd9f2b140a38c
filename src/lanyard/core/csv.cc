#include "lanyard/core/csv.h"

#include "lanyard/core/utf8.h"

namespace lanyard {

CsvReader::CsvReader(std::string_view text, CsvLimits limits) : text_(text), limits_(limits) {
  // Spreadsheet programs write "CSV UTF-8" with a byte order mark; it is not part of the first
  // field's name.
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

Error CsvReader::Fail(std::string reason, size_t line, std::string message) {
  line_ = line;
  failed_ = MakeError(Code::kInvalidArgument, std::move(reason),
                      "line " + std::to_string(line) + ": " + std::move(message));
  return *failed_;
}

Status CsvReader::TakeChar(std::string* field) {
  unsigned char c = static_cast<unsigned char>(text_[pos_]);
  size_t length = 1;
  if (c >= 0x80) {
    Utf8Char decoded = DecodeUtf8(text_, pos_);
    if (decoded.error != Utf8Error::kNone) {
      // A UTF-16 file is the usual reason (Excel's "Unicode text"): say so.
      bool utf16 = pos_ == 0 && (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF"));
      return Fail("csv.not_utf8", line_,
                  utf16 ? "the file is UTF-16; save it as \"CSV UTF-8\""
                        : std::string("the text is not UTF-8 (") + Utf8ErrorText(decoded.error) +
                              "); save the file as \"CSV UTF-8\"");
    }
    length = decoded.length;
  } else if (c == '\n') {
    ++line_;
  }
  if (field->size() + length > limits_.max_field_bytes) {
    return Fail("csv.field_too_long", line_,
                "a field is longer than " + std::to_string(limits_.max_field_bytes) + " bytes");
  }
  field->append(text_.substr(pos_, length));
  pos_ += length;
  return OkStatus();
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  if (failed_) return *failed_;
  if (pos_ >= text_.size()) return false;
  record->line = line_;
  size_t used = 0;  // fields reused from the previous record
  size_t record_bytes = 0;
  const size_t n = text_.size();
  while (true) {
    if (used == limits_.max_columns) {
      return Fail("csv.too_many_columns", record->line,
                  "a record has more than " + std::to_string(limits_.max_columns) + " columns");
    }
    if (used == record->fields.size()) record->fields.emplace_back();
    std::string& field = record->fields[used++];
    field.clear();
    if (pos_ < n && text_[pos_] == '"') {
      size_t open_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= n) {
          return Fail("csv.unterminated_quote", open_line,
                      "a quoted field is never closed (a '\"' is missing)");
        }
        if (text_[pos_] == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            if (field.size() + 1 > limits_.max_field_bytes) {
              return Fail("csv.field_too_long", line_,
                          "a field is longer than " + std::to_string(limits_.max_field_bytes) +
                              " bytes");
            }
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        LANYARD_TRY(TakeChar(&field));
      }
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        return Fail("csv.text_after_quote", line_,
                    "a quoted field is followed by text before the next comma (quote the "
                    "whole field, doubling any '\"' inside it)");
      }
    } else {
      while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        if (text_[pos_] == '"') {
          return Fail("csv.stray_quote", line_,
                      "a '\"' inside an unquoted field (quote the field and double the '\"')");
        }
        LANYARD_TRY(TakeChar(&field));
      }
    }
    record_bytes += field.size();
    if (record_bytes > limits_.max_record_bytes) {
      return Fail("csv.record_too_long", record->line,
                  "a record is longer than " + std::to_string(limits_.max_record_bytes) +
                      " bytes");
    }
    if (pos_ >= n) break;
    char c = text_[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    if (c == '\r') {
      if (pos_ + 1 >= n || text_[pos_ + 1] != '\n') {
        return Fail("csv.bare_cr", line_,
                    "a carriage return without a line feed (records end with CRLF or LF)");
      }
      ++pos_;
    }
    ++pos_;  // the LF
    ++line_;
    break;
  }
  record->fields.resize(used);
  return true;
}

std::string CsvField(std::string_view value) {
  // A leading byte order mark is quoted so that, first in a file, it is not read as the mark.
  bool quote = !value.empty() && (value.front() == ' ' || value.back() == ' ' ||
                                  value.starts_with("\xEF\xBB\xBF"));
  for (char c : value) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') quote = true;
  }
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace lanyard
