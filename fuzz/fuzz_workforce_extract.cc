// Fuzzes the readers of workforce extracts and Lanyard's event export (analytics/ingest.h):
// the first byte picks the format, the rest is the file. Every input ends in
// movement.invalid_file or in rows read and rows reported, and every event passed on names
// organisations that exist.
#include <cstdlib>
#include <sstream>
#include <string>

#include "lanyard/analytics/ingest.h"

using namespace lanyard::analytics;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static OrganisationTable orgs = [] {
    OrganisationTable t;
    for (const char* ods : {"RGT", "R1H", "LE1"}) (void)t.Add({ods, ods, "trust", "Q", "Y"});
    return t;
  }();
  RoleTable roles;
  RowErrors errors;
  IngestContext context{&orgs, &roles, lanyard::Bytes(32, 1), &errors};
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  const InputFormat formats[] = {InputFormat::kEsrAssignments, InputFormat::kRotations,
                                 InputFormat::kBankShifts, InputFormat::kLanyardEvents};
  const InputFormat format = formats[data[0] % 4];
  lanyard::Result<ReadSummary> read = ReadSummary{};
  if (format == InputFormat::kLanyardEvents) {
    MeasuredEffect measured;
    read = IngestLanyardEventsStream(in, "fuzz.csv", context, measured);
    (void)MeasuredTable(measured);
  } else {
    read = IngestWorkforceStream(in, "fuzz.csv", format, context, [](const MovementEvent& e) {
      if (e.to_org >= orgs.size()) std::abort();
      if (e.from_org != kNoOrganisation && e.from_org >= orgs.size()) std::abort();
    });
  }
  if (!read.ok()) {
    if (read.error().reason != "movement.invalid_file") std::abort();
    return 0;
  }
  if (read->accepted > read->rows) std::abort();
  return 0;
}
