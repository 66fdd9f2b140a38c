// Workforce extracts an organisation already has, and the passport service's own event export,
// turned into movement events (docs/movement-data.md documents each format). Every file is
// recognised by its header, read as a stream of CSV records (a few megabytes at a time, so its
// size is bounded by the disk, not memory), and checked row by row: a bad row is reported with
// its file and line and skipped, and never changes the others.
//
//   ESR-style assignment history  person,org_ods,staff_group,role,start_date,end_date,contract
//     One row per assignment, each person's rows together in start order. A person's next
//     assignment at another organisation is an organisation change (a secondment or honorary
//     contract is a temporary move); a first assignment is a join from outside the extract.
//   Rotation / placement schedule  person,lead_employer_ods,host_ods,staff_group,grade,start_date
//     One row per placement, each person's rows together in start order; a placement at another
//     host is a lead-employer rotation.
//   Bank-shift log  person,home_ods,worked_ods,staff_group,role,shift_date,bank
//     One row per shift; a shift at another organisation is a shift event (bank: own or
//     collaborative).
//   Lanyard's event export  event,date,person,from_ods,to_ods,profile,movement,overall,
//     reuse_count,reverify_count,repeat_count,override_count,days_to_report,credential_type
//     The passport service's readiness reports: the measured effect, beside the modelled one.
//
// A person is a 16-hex-digit keyed pseudonym already, or an identifier (an ESR assignment or
// employee number) keyed here with HMAC-SHA256 under the pseudonym key, so the same person has
// the same pseudonym across extracts only for whoever holds that key.
//
// Thread-safety: reentrant.
#pragma once

#include <array>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/analytics/movement_csv.h"
#include "lanyard/analytics/table.h"
#include "lanyard/core/bytes.h"

namespace lanyard::analytics {

enum class InputFormat {
  kOrganisations,
  kMovements,
  kEsrAssignments,
  kRotations,
  kBankShifts,
  kLanyardEvents,
  kUnknown
};
InputFormat DetectFormat(std::string_view header_line);

// What Lanyard's own readiness reports measured, by movement type.
struct MeasuredEffect {
  static constexpr int kMovements = 6;  // permanent_transfer ... agency, as the export names them
  struct ByMovement {
    int64_t reports = 0;
    int64_t reused = 0, reverified = 0, repeated = 0;  // items decided each way, summed
    int64_t overrides = 0;
    int64_t cleared = 0;                               // overall cleared or subject to reverify
    std::vector<int64_t> days_to_report = std::vector<int64_t>(366, 0);  // histogram, capped
  };
  std::array<ByMovement, kMovements> by_movement;
};

struct IngestContext {
  const OrganisationTable* orgs = nullptr;
  RoleTable* roles = nullptr;
  std::optional<Bytes> pseudonym_key;  // for raw identifiers
  RowErrors* errors = nullptr;
};

// Reads one extract of a workforce format (not kOrganisations, kMovements or kLanyardEvents),
// passing each derived event to `sink`. Errors: movement.invalid_file (unreadable, or the
// header is not the format's).
Result<ReadSummary> IngestWorkforceFile(const std::string& path, InputFormat format,
                                        const IngestContext& context, const EventSink& sink);

// The same from a stream (`path` names it in errors).
Result<ReadSummary> IngestWorkforceStream(std::istream& in, const std::string& path,
                                          InputFormat format, const IngestContext& context,
                                          const EventSink& sink);

// Reads Lanyard's event export into `measured`. Errors: movement.invalid_file.
Result<ReadSummary> IngestLanyardEvents(const std::string& path, const IngestContext& context,
                                        MeasuredEffect& measured);
Result<ReadSummary> IngestLanyardEventsStream(std::istream& in, const std::string& path,
                                              const IngestContext& context,
                                              MeasuredEffect& measured);

// The measured effect as a published table (reports per movement type, with items reused,
// re-verified and repeated per report, the share cleared and the median days to a report).
Table MeasuredTable(const MeasuredEffect& measured);

}  // namespace lanyard::analytics
