// Fuzzes the readers of Lanyard's movement files (analytics/movement_csv.h): a movements.csv
// line either fails with movement.invalid_row or parses to an event that writes back to the
// same line; an organisations.csv either fails with movement.invalid_file or lists codes that
// are each found again.
#include <cstdlib>
#include <string>
#include <string_view>

#include "lanyard/analytics/movement_csv.h"

using namespace lanyard::analytics;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto table = ReadOrganisationsCsv(text, "fuzz.csv");
  if (!table.ok()) {
    if (table.error().reason != "movement.invalid_file") std::abort();
  } else {
    for (size_t i = 0; i < table->size(); ++i) {
      if (table->Find(table->at(static_cast<uint16_t>(i)).ods) != i) std::abort();
    }
  }

  static OrganisationTable orgs = [] {
    OrganisationTable t;
    (void)t.Add({"RGT", "A", "trust", "QUE", "Y61"});
    (void)t.Add({"R1H", "B", "trust", "QMF", "Y56"});
    return t;
  }();
  RoleTable roles;
  RoleCache cache(roles);
  std::string_view line = text.substr(0, text.find('\n'));
  auto event = ParseMovementLine(line, orgs, cache);
  if (!event.ok()) {
    if (event.error().reason != "movement.invalid_row") std::abort();
    return 0;
  }
  std::string written;
  AppendMovementLine(*event, orgs, roles, written);
  written.pop_back();
  auto again = ParseMovementLine(written, orgs, cache);
  if (!again.ok()) std::abort();
  std::string rewritten;
  AppendMovementLine(*again, orgs, roles, rewritten);
  rewritten.pop_back();
  if (rewritten != written) std::abort();
  return 0;
}
