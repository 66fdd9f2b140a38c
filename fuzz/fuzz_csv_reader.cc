// Fuzzes the strict CSV reader (core/csv.h) that reads bulk-issuance uploads: every input ends
// in a clean error or in records that keep the limits, hold only UTF-8, and write back (through
// CsvField) to text that reads as the same records.
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/csv.h"
#include "lanyard/core/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lanyard::CsvLimits limits;
  limits.max_field_bytes = 256;
  limits.max_record_bytes = 1024;
  limits.max_columns = 16;
  lanyard::CsvReader reader(text, limits);
  lanyard::CsvRecord record;
  std::vector<std::vector<std::string>> records;
  size_t last_line = 0;
  while (true) {
    auto more = reader.Next(&record);
    if (!more.ok()) {
      // An error repeats, and never reads on.
      auto again = reader.Next(&record);
      if (again.ok() || again.error().reason != more.error().reason) std::abort();
      return 0;
    }
    if (!*more) break;
    if (record.fields.empty() || record.fields.size() > limits.max_columns) std::abort();
    if (record.line <= last_line || record.line > size + 1) std::abort();
    last_line = record.line;
    size_t bytes = 0;
    for (const auto& f : record.fields) {
      if (f.size() > limits.max_field_bytes || !lanyard::IsValidUtf8(f)) std::abort();
      bytes += f.size();
    }
    if (bytes > limits.max_record_bytes) std::abort();
    records.push_back(record.fields);
  }
  // Writing the records back and reading them again gives the same records.
  std::string written;
  for (const auto& fields : records) {
    for (size_t i = 0; i < fields.size(); ++i) {
      written += (i ? "," : "") + lanyard::CsvField(fields[i]);
    }
    written += "\r\n";
  }
  lanyard::CsvLimits loose;
  loose.max_field_bytes = 4 * limits.max_field_bytes;
  loose.max_record_bytes = 4 * limits.max_record_bytes;
  lanyard::CsvReader again(written, loose);
  for (const auto& fields : records) {
    auto more = again.Next(&record);
    if (!more.ok() || !*more || record.fields != fields) std::abort();
  }
  auto end = again.Next(&record);
  if (!end.ok() || *end) std::abort();
  return 0;
}
