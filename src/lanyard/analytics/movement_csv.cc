#include "lanyard/analytics/movement_csv.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "lanyard/core/csv.h"
#include "lanyard/core/utf8.h"

namespace lanyard::analytics {
namespace {

constexpr int kMovementColumns = 12;
constexpr size_t kKeptErrorsPerPiece = 1000;
constexpr size_t kMaxLineBytes = 1024;

bool IsCode(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

template <typename T>
bool ParseUnsigned(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool ParseHex64(std::string_view s, uint64_t* out) {
  if (s.size() != 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

// An ODS code field: empty (outside the NHS, or not known) or an organisation in the table.
bool OrgField(std::string_view s, const OrganisationTable& orgs, uint16_t* out) {
  if (s.empty()) {
    *out = kNoOrganisation;
    return true;
  }
  *out = orgs.Find(s);
  return *out != kNoOrganisation;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s.substr(0, 40)) + "\""; }

// A file read with pread from several threads at once (each at its own offsets).
class SharedFile {
 public:
  static Result<SharedFile> Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return InvalidMovementFile("cannot open " + path);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return InvalidMovementFile(path + " is not a regular file");
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return SharedFile(fd, static_cast<uint64_t>(st.st_size));
  }
  SharedFile(SharedFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)), size_(o.size_) {}
  SharedFile& operator=(SharedFile&&) = delete;
  ~SharedFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  uint64_t size() const { return size_; }
  // Reads up to `n` bytes at `offset`; fewer only at the end of the file. -1 on an error.
  ssize_t Read(char* buf, size_t n, uint64_t offset) const {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return -1;
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return static_cast<ssize_t>(done);
  }
  // The offset just after the first '\n' at or after `from`, or size() when there is none.
  uint64_t NextLineStart(uint64_t from) const {
    char buf[64 * 1024];
    while (from < size_) {
      ssize_t n = Read(buf, sizeof buf, from);
      if (n <= 0) return size_;
      const void* nl = std::memchr(buf, '\n', static_cast<size_t>(n));
      if (nl != nullptr)
        return from + static_cast<uint64_t>(static_cast<const char*>(nl) - buf) + 1;
      from += static_cast<uint64_t>(n);
    }
    return size_;
  }

 private:
  SharedFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  uint64_t size_;
};

}  // namespace

Error InvalidMovementFile(std::string message) {
  return MakeError(Code::kInvalidArgument, "movement.invalid_file", std::move(message));
}

Result<uint16_t> OrganisationTable::Add(Organisation org) {
  if (!IsCode(org.ods, 10)) {
    return MakeError(Code::kInvalidArgument, "movement.invalid_org",
                     "an ODS code is 1 to 10 letters and digits, not " + Quoted(org.ods));
  }
  if (orgs_.size() >= kNoOrganisation) {
    return MakeError(Code::kResourceExhausted, "movement.too_many_orgs",
                     "more than 65,534 organisations");
  }
  if (by_ods_.count(org.ods) != 0) {
    return MakeError(Code::kAlreadyExists, "movement.duplicate_org",
                     "organisation " + org.ods + " is listed twice");
  }
  auto index = static_cast<uint16_t>(orgs_.size());
  by_ods_.emplace(org.ods, index);
  orgs_.push_back(std::move(org));
  return index;
}

uint16_t OrganisationTable::Find(std::string_view ods) const {
  auto it = by_ods_.find(ods);
  return it == by_ods_.end() ? kNoOrganisation : it->second;
}

Result<uint16_t> RoleTable::Intern(std::string_view code) {
  if (!IsCode(code, 32)) {
    return MakeError(Code::kInvalidArgument, "movement.invalid_role",
                     "a role is 1 to 32 letters, digits and _-., not " + Quoted(code));
  }
  std::lock_guard lock(mu_);
  auto it = by_name_.find(code);
  if (it != by_name_.end()) return it->second;
  if (names_.size() > 0xffff) {
    return MakeError(Code::kResourceExhausted, "movement.too_many_roles",
                     "more than 65,536 different roles");
  }
  auto index = static_cast<uint16_t>(names_.size());
  names_.emplace_back(code);
  by_name_.emplace(std::string(code), index);
  return index;
}

Result<uint16_t> RoleCache::Intern(std::string_view code) {
  auto it = seen_.find(code);
  if (it != seen_.end()) return it->second;
  LANYARD_ASSIGN_OR_RETURN(uint16_t index, table_.Intern(code));
  seen_.emplace(std::string(code), index);
  return index;
}

std::string RoleTable::Name(uint16_t index) const {
  std::lock_guard lock(mu_);
  return index < names_.size() ? names_[index] : std::string();
}

size_t RoleTable::size() const {
  std::lock_guard lock(mu_);
  return names_.size();
}

Result<OrganisationTable> ReadOrganisationsCsv(std::string_view text, std::string_view file_name) {
  CsvLimits limits;
  limits.max_field_bytes = 256;
  limits.max_columns = 5;
  CsvReader reader(text, limits);
  CsvRecord record;
  auto where = [&](size_t line) { return std::string(file_name) + ":" + std::to_string(line); };
  auto first = reader.Next(&record);
  if (!first.ok()) return InvalidMovementFile(where(reader.line()) + ": " + first.error().message);
  if (!*first ||
      record.fields != std::vector<std::string>{"ods", "name", "kind", "ics", "region"}) {
    return InvalidMovementFile(where(1) + ": the header is ods,name,kind,ics,region");
  }
  OrganisationTable table;
  for (;;) {
    auto more = reader.Next(&record);
    if (!more.ok()) return InvalidMovementFile(where(reader.line()) + ": " + more.error().message);
    if (!*more) break;
    if (record.fields.size() != 5) {
      return InvalidMovementFile(where(record.line) + ": 5 fields expected");
    }
    auto added = table.Add(Organisation{record.fields[0], record.fields[1], record.fields[2],
                                        record.fields[3], record.fields[4]});
    if (!added.ok()) return InvalidMovementFile(where(record.line) + ": " + added.error().message);
  }
  return table;
}

void WriteOrganisationsCsv(const OrganisationTable& orgs, std::ostream& out) {
  out << "ods,name,kind,ics,region\n";
  for (const Organisation& o : orgs.all()) {
    out << CsvField(o.ods) << ',' << CsvField(o.name) << ',' << CsvField(o.kind) << ','
        << CsvField(o.ics) << ',' << CsvField(o.region) << '\n';
  }
}

void AppendMovementLine(const MovementEvent& e, const OrganisationTable& orgs,
                        const RoleTable& roles, std::string& out) {
  out += EventClassName(e.event_class);
  out += ',';
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(e.person >> shift) & 0xf];
  out += ',';
  out += FormatDay(e.date);
  out += ',';
  if (e.from_org != kNoOrganisation) out += orgs.at(e.from_org).ods;
  out += ',';
  if (e.to_org != kNoOrganisation) out += orgs.at(e.to_org).ods;
  out += ',';
  out += StaffGroupName(e.staff_group);
  out += ',';
  out += roles.Name(e.role);
  out += ',';
  out += MechanismName(e.mechanism);
  out += ',';
  out += ReasonName(e.reason);
  out += ',';
  bool any = false;
  for (Outcome o : e.outcomes) any = any || o != Outcome::kUnknown;
  if (any) {
    for (Outcome o : e.outcomes) out += OutcomeLetter(o);
  }
  out += ',';
  if (e.days_to_clear) out += std::to_string(*e.days_to_clear);
  out += ',';
  if (e.induction_days) out += std::to_string(*e.induction_days);
  out += '\n';
}

Result<MovementEvent> ParseMovementLine(std::string_view line, const OrganisationTable& orgs,
                                        RoleCache& roles) {
  auto bad = [](std::string message) {
    return MakeError(Code::kInvalidArgument, "movement.invalid_row", std::move(message));
  };
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes) return bad("the line is over 1,024 bytes");
  std::string_view f[kMovementColumns];
  int n = 0;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      if (n == kMovementColumns) return bad("more than 12 fields");
      f[n++] = line.substr(start, i - start);
      start = i + 1;
    } else if (line[i] == '"') {
      return bad("a quote: fields of this file are codes and are never quoted");
    }
  }
  if (n != kMovementColumns) return bad(std::to_string(n) + " fields, not 12");
  MovementEvent e;
  auto c = ParseEventClass(f[0]);
  if (!c) return bad("unknown class " + Quoted(f[0]));
  e.event_class = *c;
  if (!ParseHex64(f[1], &e.person)) return bad("the person is 16 lower-case hex digits");
  auto day = ParseDay(f[2]);
  if (!day) return bad("the date is YYYY-MM-DD, not " + Quoted(f[2]));
  e.date = *day;
  if (!OrgField(f[3], orgs, &e.from_org)) return bad("unknown organisation " + Quoted(f[3]));
  if (!OrgField(f[4], orgs, &e.to_org)) return bad("unknown organisation " + Quoted(f[4]));
  if (e.to_org == kNoOrganisation) return bad("to_ods is required");
  auto group = ParseStaffGroup(f[5]);
  if (!group) return bad("unknown staff group " + Quoted(f[5]));
  e.staff_group = *group;
  auto role = roles.Intern(f[6]);
  if (!role.ok()) return bad(role.error().message);
  e.role = *role;
  auto mechanism = ParseMechanism(f[7]);
  if (!mechanism) return bad("unknown mechanism " + Quoted(f[7]));
  e.mechanism = *mechanism;
  if (ClassOf(e.mechanism) != e.event_class) {
    return bad(std::string(MechanismName(e.mechanism)) + " is not a mechanism of " +
               std::string(EventClassName(e.event_class)));
  }
  auto reason = ParseReason(f[8]);
  if (!reason) return bad("unknown reason " + Quoted(f[8]));
  e.reason = *reason;
  if (!f[9].empty()) {
    if (f[9].size() != kItems) return bad("outcomes are 18 letters (or empty)");
    for (int i = 0; i < kItems; ++i) {
      auto o = ParseOutcomeLetter(f[9][i]);
      if (!o) return bad("an outcome is one of u v r n -");
      e.outcomes[i] = *o;
    }
  }
  if (!f[10].empty()) {
    uint16_t days = 0;
    if (!ParseUnsigned(f[10], &days) || days > 3650) return bad("days_to_clear is 0 to 3650");
    e.days_to_clear = days;
  }
  if (!f[11].empty()) {
    uint8_t days = 0;
    if (!ParseUnsigned(f[11], &days) || days > 60) return bad("induction_days is 0 to 60");
    e.induction_days = days;
  }
  return e;
}

void RowErrors::Add(RowError e) {
  std::lock_guard lock(mu_);
  ++count_;
  if (kept_.size() < keep_) kept_.push_back(std::move(e));
}

void RowErrors::AddUnkept(uint64_t n) {
  std::lock_guard lock(mu_);
  count_ += n;
}

uint64_t RowErrors::count() const {
  std::lock_guard lock(mu_);
  return count_;
}

std::vector<RowError> RowErrors::kept() const {
  std::lock_guard lock(mu_);
  return kept_;
}

Result<ReadSummary> ReadMovementsFile(const std::string& path, const OrganisationTable& orgs,
                                      RoleTable& roles, int threads,
                                      const std::function<EventSink(int thread)>& sink_for,
                                      RowErrors& errors) {
  LANYARD_ASSIGN_OR_RETURN(SharedFile file, SharedFile::Open(path));
  {
    char head[kMovementsHeader.size() + 2];
    ssize_t n = file.Read(head, sizeof head, 0);
    std::string_view header(head, n > 0 ? static_cast<size_t>(n) : 0);
    header = header.substr(0, header.find('\n'));
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    if (header != kMovementsHeader) {
      return InvalidMovementFile(path + ":1: the header is " + std::string(kMovementsHeader));
    }
  }
  ReadSummary summary;
  summary.bytes = file.size();
  const uint64_t body = file.NextLineStart(0);

  // Pieces end at line ends; each thread counts its own lines, and the line numbers of a piece
  // start where the previous pieces' lines end (counted afterwards, so no thread waits).
  threads = std::max(1, threads);
  std::vector<std::pair<uint64_t, uint64_t>> pieces;
  uint64_t begin = body;
  for (int t = 0; t < threads; ++t) {
    uint64_t end = t + 1 == threads
                       ? file.size()
                       : file.NextLineStart(
                             std::max(begin, body + (file.size() - body) * (t + 1) / threads - 1));
    pieces.emplace_back(begin, end);
    begin = end;
  }
  struct PieceResult {
    uint64_t rows = 0, accepted = 0, lines = 0;
    bool read_failed = false;
    // Line within the piece and message, for the first errors only: a wrong file can make
    // every one of millions of rows bad, and the rest are counted.
    std::vector<std::pair<uint64_t, std::string>> errors;
    uint64_t errors_not_kept = 0;
    void Error(uint64_t line, std::string message) {
      if (errors.size() < kKeptErrorsPerPiece) {
        errors.emplace_back(line, std::move(message));
      } else {
        ++errors_not_kept;
      }
    }
  };
  std::vector<PieceResult> results(pieces.size());
  // Each thread reads its piece a block at a time into its own buffer: memory is threads x
  // block, whatever the file's size.
  constexpr size_t kBlock = 8 << 20;
  auto work = [&](int t) {
    EventSink sink = sink_for(t);
    RoleCache role_cache(roles);
    PieceResult& r = results[t];
    std::string buf(kBlock + kMaxLineBytes + 2, '\0');
    size_t kept = 0;        // bytes of a partial line carried to the front of buf
    bool skipping = false;  // inside a line too long to hold: dropped up to its end
    auto line_done = [&](std::string_view line) {
      ++r.lines;
      if (line.empty() || line == "\r") return;
      ++r.rows;
      auto event = ParseMovementLine(line, orgs, role_cache);
      if (!event.ok()) {
        r.Error(r.lines, std::move(event).error().message);
        return;
      }
      ++r.accepted;
      sink(*event);
    };
    for (uint64_t at = pieces[t].first; at < pieces[t].second;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(kBlock, pieces[t].second - at));
      ssize_t n = file.Read(buf.data() + kept, want, at);
      if (n <= 0) {
        r.read_failed = true;
        return;
      }
      at += static_cast<uint64_t>(n);
      std::string_view data(buf.data(), kept + static_cast<size_t>(n));
      size_t start = 0;
      for (;;) {
        const void* nl = std::memchr(data.data() + start, '\n', data.size() - start);
        if (nl == nullptr) break;
        size_t end = static_cast<size_t>(static_cast<const char*>(nl) - data.data());
        if (skipping) {
          skipping = false;
          ++r.rows;
          r.Error(++r.lines, "the line is over 1,024 bytes");
        } else {
          line_done(data.substr(start, end - start));
        }
        start = end + 1;
      }
      kept = data.size() - start;
      // No line end in sight (a CR may follow the 1,024 bytes): drop what there is of it.
      if (kept > kMaxLineBytes + 1) {
        skipping = true;
        kept = 0;
      } else {
        std::memmove(buf.data(), data.data() + start, kept);
      }
    }
    if (skipping) {
      ++r.rows;
      r.Error(++r.lines, "the line is over 1,024 bytes");
    } else if (kept > 0) {
      line_done(std::string_view(buf.data(), kept));  // the last line, without a newline
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < static_cast<int>(pieces.size()); ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  uint64_t first_line = 2;  // after the header
  for (const PieceResult& r : results) {
    if (r.read_failed) return InvalidMovementFile("reading " + path + " failed");
    summary.rows += r.rows;
    summary.accepted += r.accepted;
    for (const auto& [line, message] : r.errors) {
      errors.Add(RowError{path, first_line + line - 1, message});
    }
    errors.AddUnkept(r.errors_not_kept);
    first_line += r.lines;
  }
  return summary;
}

}  // namespace lanyard::analytics
