#include "lanyard/analytics/ingest.h"

#include <algorithm>
#include <fstream>
#include <functional>

#include "lanyard/core/csv.h"
#include "lanyard/crypto/hmac.h"

namespace lanyard::analytics {
namespace {

constexpr std::string_view kEsrHeader =
    "person,org_ods,staff_group,role,start_date,end_date,contract";
constexpr std::string_view kRotationsHeader =
    "person,lead_employer_ods,host_ods,staff_group,grade,start_date";
constexpr std::string_view kBankShiftsHeader =
    "person,home_ods,worked_ods,staff_group,role,shift_date,bank";
constexpr std::string_view kEventsHeader =
    "event,date,person,from_ods,to_ods,profile,movement,overall,reuse_count,reverify_count,"
    "repeat_count,override_count,days_to_report,credential_type";
constexpr std::string_view kExportMovements[MeasuredEffect::kMovements] = {
    "permanent_transfer", "rotation_lead_employer",
    "temporary_move",     "bank",
    "collaborative_bank", "agency"};

// Where records end, by RFC 4180's rules as far as they decide it: a quote opens a quoted field
// only at a field's start, and inside one a doubled quote is a quote. A stray quote in an
// unquoted field (an error the CSV reader reports) then changes nothing here, so one bad
// record cannot make the rest of the file look like one long quoted field.
class RecordScanner {
 public:
  // Feeds one byte; true when it ends a record (a line end outside quotes).
  bool Feed(char c) {
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          state_ = State::kQuoted;
          return false;
        }
        [[fallthrough]];
      case State::kUnquoted:
        if (c == '\n') {
          state_ = State::kFieldStart;
          return true;
        }
        state_ = c == ',' ? State::kFieldStart : State::kUnquoted;
        return false;
      case State::kQuoted:
        if (c == '"') state_ = State::kQuoteInQuoted;
        return false;
      case State::kQuoteInQuoted:
        if (c == '"') {
          state_ = State::kQuoted;  // an escaped quote
          return false;
        }
        state_ = State::kUnquoted;  // the field closed (anything but , or a line end is an error)
        return Feed(c);
    }
    return false;
  }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  State state_ = State::kFieldStart;
};

// The offset just after the record that contains physical line `line`, scanning `text` from
// `offset`, which starts a record on line `offset_line`; `*next_line` is the line it ends on + 1.
size_t EndOfRecordContaining(std::string_view text, size_t offset, uint64_t offset_line,
                             uint64_t line, uint64_t* next_line) {
  RecordScanner scanner;
  uint64_t at_line = offset_line;
  for (size_t i = offset; i < text.size(); ++i) {
    const bool newline = text[i] == '\n';
    const bool ends = scanner.Feed(text[i]);
    if (newline) ++at_line;
    if (ends && at_line > line) {
      *next_line = at_line;
      return i + 1;
    }
  }
  *next_line = at_line;
  return text.size();
}

// Calls `each` with every record after the header and its physical line number, reading the
// file a block at a time: a block ends at the last line end outside quotes, so a quoted field
// with a line break is never cut.
Status ForEachRecord(std::istream& in, const std::string& path, std::string_view header,
                     RowErrors& errors, uint64_t* rows,
                     const std::function<void(const CsvRecord&, uint64_t line)>& each) {
  constexpr size_t kBlock = 8 << 20;
  CsvLimits limits;
  limits.max_field_bytes = 1024;
  limits.max_record_bytes = 4096;
  limits.max_columns = 32;
  // Blocks start small and grow to kBlock: a small file costs little, a big one few reads.
  std::string carry, block(std::min<size_t>(kBlock, 64 << 10), '\0');
  uint64_t base_line = 1;  // the physical line the next chunk starts on
  bool header_seen = false;
  for (;;) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    size_t got = static_cast<size_t>(in.gcount());
    if (in.bad()) return InvalidMovementFile("reading " + path + " failed");
    const bool last = got < block.size();
    if (!last && block.size() < kBlock) block.resize(std::min(kBlock, block.size() * 2));
    std::string text = std::move(carry);
    text.append(block.data(), got);
    carry.clear();
    size_t cut = text.size();
    if (!last) {
      // The last record end. (text starts at a record's start: the chunk before ended at one.)
      RecordScanner scanner;
      size_t end = std::string::npos;
      for (size_t i = 0; i < text.size(); ++i) {
        if (scanner.Feed(text[i])) end = i;
      }
      if (end == std::string::npos) {
        if (text.size() > 4 * kBlock)
          return InvalidMovementFile(path + ": a record without an end");
        // (block has grown: the next read brings more of the record)
        carry = std::move(text);
        continue;
      }
      cut = end + 1;
      carry = text.substr(cut);
      text.resize(cut);
    }
    // A malformed record stops a CsvReader: it is reported at its line, and reading starts
    // again on the line after it, so one bad record costs only itself.
    uint64_t lines_in_chunk = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
    size_t offset = 0;
    uint64_t offset_line = base_line;  // the physical line `offset` starts on
    while (offset < text.size()) {
      CsvReader reader(std::string_view(text).substr(offset), limits);
      CsvRecord record;
      bool resumed = false;
      for (;;) {
        auto more = reader.Next(&record);
        if (!more.ok()) {
          const uint64_t bad = offset_line + reader.line() - 1;
          errors.Add(RowError{path, bad, more.error().message});
          ++*rows;
          // Resume after the end of the bad record (not merely its line: inside a quoted
          // field that spans lines, the next line is not a record of its own). A quote that
          // never closes has no end: the lines after it are read as rows again, each checked,
          // rather than taken as one field to the end of the file.
          uint64_t next_line = bad + 1;
          if (more.error().reason == "csv.unterminated_quote") {
            size_t at = offset;  // skip whole lines, up to and including the bad one
            for (uint64_t l = offset_line; l <= bad && at < text.size(); ++l) {
              size_t nl = text.find('\n', at);
              at = nl == std::string::npos ? text.size() : nl + 1;
            }
            offset = at;
          } else {
            offset = EndOfRecordContaining(text, offset, offset_line, bad, &next_line);
          }
          offset_line = next_line;
          resumed = true;
          break;
        }
        if (!*more) break;
        const uint64_t line = offset_line + record.line - 1;
        if (!header_seen) {
          header_seen = true;
          std::string joined;
          for (size_t i = 0; i < record.fields.size(); ++i) {
            joined += (i ? "," : "") + record.fields[i];
          }
          if (joined != header) {
            return InvalidMovementFile(path + ":1: the header is " + std::string(header));
          }
          continue;
        }
        ++*rows;
        each(record, line);
      }
      if (!resumed) break;
    }
    base_line += lines_in_chunk;
    if (last) break;
  }
  if (!header_seen) return InvalidMovementFile(path + " is empty");
  return {};
}

class RowParser {
 public:
  RowParser(const IngestContext& c, const std::string& path)
      : c_(c), path_(path), roles_(*c.roles) {}

  void Fail(uint64_t line, std::string message) {
    c_.errors->Add(RowError{path_, line, std::move(message)});
  }

  // A 16-hex pseudonym as it is, or an identifier keyed under the pseudonym key.
  std::optional<uint64_t> Person(std::string_view s, uint64_t line) {
    if (s.size() == 16 && std::all_of(s.begin(), s.end(), [](char ch) {
          return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        })) {
      return std::stoull(std::string(s), nullptr, 16);
    }
    if (s.empty() || s.size() > 64) {
      Fail(line, "the person is a pseudonym or an identifier of 1 to 64 characters");
      return std::nullopt;
    }
    if (!c_.pseudonym_key) {
      Fail(line,
           "the person is not a 16-hex-digit pseudonym; raw identifiers need the "
           "pseudonym key (--pseudonym-key)");
      return std::nullopt;
    }
    auto mac = crypto::HmacSha256(*c_.pseudonym_key,
                                  ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | mac[i];
    return v;
  }

  std::optional<uint16_t> Org(std::string_view ods, uint64_t line, bool required) {
    if (ods.empty() && !required) return kNoOrganisation;
    uint16_t org = c_.orgs->Find(ods);
    if (org == kNoOrganisation) {
      Fail(line, "unknown organisation \"" + std::string(ods.substr(0, 20)) + "\"");
      return std::nullopt;
    }
    return org;
  }

  std::optional<StaffGroup> Group(std::string_view s, uint64_t line) {
    auto g = ParseStaffGroup(s);
    if (!g) Fail(line, "unknown staff group \"" + std::string(s.substr(0, 40)) + "\"");
    return g;
  }

  std::optional<uint16_t> Role(std::string_view s, uint64_t line) {
    auto r = roles_.Intern(s);
    if (!r.ok()) {
      Fail(line, r.error().message);
      return std::nullopt;
    }
    return *r;
  }

  std::optional<Day> Date(std::string_view s, uint64_t line, std::string_view what) {
    auto d = ParseDay(s);
    if (!d) Fail(line, std::string(what) + " is YYYY-MM-DD");
    return d;
  }

 private:
  const IngestContext& c_;
  const std::string& path_;
  RoleCache roles_;
};

// A person's rows must come together and in date order; what was last seen of them.
struct Previous {
  uint64_t person = 0;
  Day start = 0;
  uint16_t org = kNoOrganisation;
  bool any = false;
};

}  // namespace

InputFormat DetectFormat(std::string_view header) {
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (header == "ods,name,kind,ics,region") return InputFormat::kOrganisations;
  if (header == kMovementsHeader) return InputFormat::kMovements;
  if (header == kEsrHeader) return InputFormat::kEsrAssignments;
  if (header == kRotationsHeader) return InputFormat::kRotations;
  if (header == kBankShiftsHeader) return InputFormat::kBankShifts;
  if (header == kEventsHeader) return InputFormat::kLanyardEvents;
  return InputFormat::kUnknown;
}

Result<ReadSummary> IngestWorkforceFile(const std::string& path, InputFormat format,
                                        const IngestContext& context, const EventSink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidMovementFile("cannot open " + path);
  return IngestWorkforceStream(in, path, format, context, sink);
}

Result<ReadSummary> IngestWorkforceStream(std::istream& in, const std::string& path,
                                          InputFormat format, const IngestContext& context,
                                          const EventSink& sink) {
  ReadSummary summary;
  RowParser p(context, path);
  Previous prev;
  std::string_view header = format == InputFormat::kEsrAssignments ? kEsrHeader
                            : format == InputFormat::kRotations    ? kRotationsHeader
                            : format == InputFormat::kBankShifts   ? kBankShiftsHeader
                                                                   : std::string_view();
  if (header.empty()) return InvalidMovementFile(path + ": not a workforce extract");
  auto each = [&](const CsvRecord& r, uint64_t line) {
    const auto& f = r.fields;
    const size_t want = format == InputFormat::kRotations ? 6 : 7;
    if (f.size() != want) {
      p.Fail(line, std::to_string(f.size()) + " fields, not " + std::to_string(want));
      return;
    }
    auto person = p.Person(f[0], line);
    if (!person) return;
    MovementEvent e;
    e.person = *person;
    if (format == InputFormat::kBankShifts) {
      auto home = p.Org(f[1], line, true);
      auto worked = home ? p.Org(f[2], line, true) : std::nullopt;
      auto group = worked ? p.Group(f[3], line) : std::nullopt;
      auto role = group ? p.Role(f[4], line) : std::nullopt;
      auto date = role ? p.Date(f[5], line, "shift_date") : std::nullopt;
      if (!date) return;
      if (f[6] != "own" && f[6] != "collaborative") {
        p.Fail(line, "bank is own or collaborative");
        return;
      }
      if (*worked == *home) {  // a shift at one's own organisation is not a move
        ++summary.accepted;
        return;
      }
      e.event_class = EventClass::kShift;
      e.mechanism = f[6] == "own" ? Mechanism::kBank : Mechanism::kCollaborativeBank;
      e.reason = Reason::kExtraHours;
      e.from_org = *home;
      e.to_org = *worked;
      e.staff_group = *group;
      e.role = *role;
      e.date = *date;
      ++summary.accepted;
      sink(e);
      return;
    }
    const bool esr = format == InputFormat::kEsrAssignments;
    auto org = p.Org(esr ? f[1] : f[2], line, true);
    std::optional<uint16_t> lead = esr ? std::optional<uint16_t>(kNoOrganisation)
                                       : (org ? p.Org(f[1], line, true) : std::nullopt);
    auto group = org && lead ? p.Group(f[esr ? 2 : 3], line) : std::nullopt;
    auto role = group ? p.Role(f[esr ? 3 : 4], line) : std::nullopt;
    auto start = role ? p.Date(f[esr ? 4 : 5], line, "start_date") : std::nullopt;
    if (!start) return;
    Mechanism mechanism = esr ? Mechanism::kPermanentContract : Mechanism::kLeadEmployerRotation;
    if (esr) {
      if (!f[5].empty() && !ParseDay(f[5])) {
        p.Fail(line, "end_date is YYYY-MM-DD or empty");
        return;
      }
      static constexpr std::pair<std::string_view, Mechanism> kContracts[] = {
          {"permanent", Mechanism::kPermanentContract},
          {"fixed_term", Mechanism::kPermanentContract},
          {"secondment", Mechanism::kSecondment},
          {"honorary", Mechanism::kHonoraryContract},
          {"agency", Mechanism::kAgency}};
      auto it = std::find_if(std::begin(kContracts), std::end(kContracts),
                             [&](const auto& c) { return c.first == f[6]; });
      if (it == std::end(kContracts)) {
        p.Fail(line, "contract is permanent, fixed_term, secondment, honorary or agency");
        return;
      }
      mechanism = it->second;
    }
    const bool same_person = prev.any && prev.person == *person;
    if (same_person && *start < prev.start) {
      p.Fail(line, "this person's rows are not in start order");
      return;
    }
    ++summary.accepted;
    if (!same_person || prev.org != *org) {
      e.event_class = ClassOf(mechanism);
      e.mechanism = mechanism;
      e.reason = esr ? Reason::kOther : Reason::kTrainingRotation;
      e.from_org = same_person ? prev.org : kNoOrganisation;
      e.to_org = *org;
      e.staff_group = *group;
      e.role = *role;
      e.date = *start;
      sink(e);
    }
    prev = Previous{*person, *start, *org, true};
  };
  LANYARD_TRY(ForEachRecord(in, path, header, *context.errors, &summary.rows, each));
  return summary;
}

Result<ReadSummary> IngestLanyardEvents(const std::string& path, const IngestContext& context,
                                        MeasuredEffect& measured) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidMovementFile("cannot open " + path);
  return IngestLanyardEventsStream(in, path, context, measured);
}

Result<ReadSummary> IngestLanyardEventsStream(std::istream& in, const std::string& path,
                                              const IngestContext& context,
                                              MeasuredEffect& measured) {
  ReadSummary summary;
  RowParser p(context, path);
  auto each = [&](const CsvRecord& r, uint64_t line) {
    const auto& f = r.fields;
    if (f.size() != 14) {
      p.Fail(line, std::to_string(f.size()) + " fields, not 14");
      return;
    }
    if (f[0] != "share.report") {  // credential events are not movements
      if (f[0] != "credential.issue" && f[0] != "credential.revoked") {
        p.Fail(line, "unknown event \"" + f[0].substr(0, 40) + "\"");
        return;
      }
      ++summary.accepted;
      return;
    }
    auto it = std::find(std::begin(kExportMovements), std::end(kExportMovements), f[6]);
    if (it == std::end(kExportMovements)) {
      p.Fail(line, "unknown movement \"" + f[6].substr(0, 40) + "\"");
      return;
    }
    int64_t counts[5];  // reuse, reverify, repeat, overrides, days to report
    for (int i = 0; i < 5; ++i) {
      const std::string& s = f[8 + i];
      if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), [](unsigned char ch) {
            return ch >= '0' && ch <= '9';
          })) {
        p.Fail(line, "the counts and days_to_report are whole numbers");
        return;
      }
      counts[i] = std::stoll(s);
    }
    if (f[7] != "cleared" && f[7] != "cleared_subject_to_reverification" && f[7] != "not_cleared") {
      p.Fail(line, "unknown overall decision \"" + f[7].substr(0, 40) + "\"");
      return;
    }
    auto& m = measured.by_movement[it - std::begin(kExportMovements)];
    ++m.reports;
    m.reused += counts[0];
    m.reverified += counts[1];
    m.repeated += counts[2];
    m.overrides += counts[3];
    m.cleared += f[7] != "not_cleared" ? 1 : 0;
    ++m.days_to_report[std::min<int64_t>(counts[4], 365)];
    ++summary.accepted;
  };
  LANYARD_TRY(ForEachRecord(in, path, kEventsHeader, *context.errors, &summary.rows, each));
  return summary;
}

Table MeasuredTable(const MeasuredEffect& measured) {
  Table t;
  t.name = "passport_measured";
  t.title = "What the passport service measured: readiness reports by movement type";
  t.columns = {"movement",
               "reports_count",
               "reused_per_report",
               "reverified_per_report",
               "repeated_per_report",
               "overrides_per_report",
               "cleared_share",
               "median_days_to_report"};
  t.label_columns = 1;
  t.count_columns = 1;
  for (int m = 0; m < MeasuredEffect::kMovements; ++m) {
    const auto& b = measured.by_movement[m];
    if (b.reports == 0) continue;
    const double n = static_cast<double>(b.reports);
    int64_t seen = 0, median = 0;
    for (size_t d = 0; d < b.days_to_report.size(); ++d) {
      seen += b.days_to_report[d];
      if (seen * 2 >= b.reports) {
        median = static_cast<int64_t>(d);
        break;
      }
    }
    t.rows.push_back({{std::string(kExportMovements[m])},
                      {b.reports},
                      {b.reused / n, b.reverified / n, b.repeated / n, b.overrides / n,
                       b.cleared / n, static_cast<double>(median)}});
  }
  return t;
}

}  // namespace lanyard::analytics
