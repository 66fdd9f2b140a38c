// Lanyard's own movement files, documented in docs/movement-data.md:
//
//   organisations.csv  ods,name,kind,ics,region      (RFC 4180; names may be quoted)
//   movements.csv      class,person,date,from_ods,to_ods,staff_group,role,mechanism,reason,
//                      outcomes,days_to_clear,induction_days
//
// A movements file holds codes only (no field is quoted, none holds a comma), so it is read by
// splitting bytes, not by a general CSV reader: at England scale it is tens of millions of rows,
// and the time to read them is the time of the whole report. The file is mapped and cut into
// one piece per thread at line ends; each thread parses its piece into its own sink. A bad row
// is reported with its file and line and skipped; it never stops or changes the other rows.
//
// Thread-safety: ReadMovementsFile calls each sink from one thread only (sink i from thread i);
// the tables passed in are read-only while it runs, except RoleTable, which is internally
// locked.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lanyard/analytics/movement.h"
#include "lanyard/core/result.h"

namespace lanyard::analytics {

struct Organisation {
  std::string ods;
  std::string name;
  std::string kind;    // trust, primary_care, lead_employer, ...
  std::string ics;     // integrated care system code, e.g. QMJ
  std::string region;  // NHS England region code, e.g. Y56
};

// Hash for string keys looked up by string_view without building a string.
struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using StringIndex =
    std::unordered_map<std::string, uint16_t, TransparentStringHash, std::equal_to<>>;

class OrganisationTable {
 public:
  // Errors: movement.duplicate_org, movement.too_many_orgs (over 65,534), movement.invalid_org.
  Result<uint16_t> Add(Organisation org);
  // kNoOrganisation when absent.
  uint16_t Find(std::string_view ods) const;
  const Organisation& at(uint16_t index) const { return orgs_[index]; }
  size_t size() const { return orgs_.size(); }
  const std::vector<Organisation>& all() const { return orgs_; }

 private:
  std::vector<Organisation> orgs_;
  StringIndex by_ods_;
};

// Role codes ("FY1", "band5_nurse"), interned: events hold an index.
class RoleTable {
 public:
  // Errors: movement.too_many_roles (over 65,535), movement.invalid_role (empty, over 32 bytes,
  // or not letters, digits and _-.).
  Result<uint16_t> Intern(std::string_view code);
  std::string Name(uint16_t index) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> names_;
  StringIndex by_name_;
};

// One thread's view of a RoleTable: codes it has seen are found without the table's lock
// (a reader thread meets a handful of roles, tens of millions of times).
class RoleCache {
 public:
  explicit RoleCache(RoleTable& table) : table_(table) {}
  Result<uint16_t> Intern(std::string_view code);

 private:
  RoleTable& table_;
  StringIndex seen_;
};

// Reads organisations.csv. Errors: movement.invalid_file (header, a bad row: with its line).
Result<OrganisationTable> ReadOrganisationsCsv(std::string_view text, std::string_view file_name);
void WriteOrganisationsCsv(const OrganisationTable& orgs, std::ostream& out);

inline constexpr std::string_view kMovementsHeader =
    "class,person,date,from_ods,to_ods,staff_group,role,mechanism,reason,outcomes,days_to_clear,"
    "induction_days";

// One event as a movements.csv line (with its newline), appended to `out`.
void AppendMovementLine(const MovementEvent& e, const OrganisationTable& orgs,
                        const RoleTable& roles, std::string& out);

// The error every movement-file reader gives for a file it cannot read at all.
Error InvalidMovementFile(std::string message);

struct RowError {
  std::string file;
  uint64_t line = 0;
  std::string message;
};

// Where a reader's bad rows go: all are counted; the first `keep` are kept with their text.
class RowErrors {
 public:
  explicit RowErrors(size_t keep = 1000) : keep_(keep) {}
  void Add(RowError e);
  void AddUnkept(uint64_t n);  // errors counted but not kept (a reader's own limit)
  uint64_t count() const;
  std::vector<RowError> kept() const;  // in the order they were added

 private:
  size_t keep_;
  mutable std::mutex mu_;
  uint64_t count_ = 0;
  std::vector<RowError> kept_;
};

// Parses one movements.csv data line (without its newline). Errors: a message for RowError.
Result<MovementEvent> ParseMovementLine(std::string_view line, const OrganisationTable& orgs,
                                        RoleCache& roles);

struct ReadSummary {
  uint64_t rows = 0;      // data rows read, good or bad
  uint64_t accepted = 0;  // rows passed to the sinks
  uint64_t bytes = 0;
};

// Reads a movements file with `threads` threads; thread i passes its events to sink(i). Errors:
// movement.invalid_file when the file cannot be opened or its header is not kMovementsHeader.
using EventSink = std::function<void(const MovementEvent&)>;
Result<ReadSummary> ReadMovementsFile(const std::string& path, const OrganisationTable& orgs,
                                      RoleTable& roles, int threads,
                                      const std::function<EventSink(int thread)>& sink_for,
                                      RowErrors& errors);

}  // namespace lanyard::analytics
