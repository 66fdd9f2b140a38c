// Live re-verification: the quick checks a receiving organisation makes against the authoritative
// services instead of repeating a check: the professional register (GMC, NMC, HCPC ...), the DBS
// Update Service status check, and the Home Office online right-to-work check.
//
// Real connectors need agreements with those services; what Lanyard ships is a **simulator**
// answering from a file, used by tests and the demo, behind the same interfaces. A service that
// fails, times out or does not know is an `unavailable` answer: never guessed either way.
//
// Simulator file (JSON), each part optional:
//   {"register":    {"NMC:12A3456E": {"status": "registered", "conditions": []}, ...},
//    "dbs_update_service": {"001234567890": "BLANK_NO_NEW_INFO", ...},
//    "home_office": {"OKAFOR|1990-04-12": {"result": "confirmed", "permission_expiry": "2027-01-31"}},
//    "unavailable": ["register", "dbs_update_service", "home_office"]}
// Register keys are "<regulator short name>:<registration number>"; statuses registered,
// registered_with_conditions, suspended, lapsed, removed. DBS results are the bulk service's
// codes NO_MATCH_FOUND, BLANK_NO_NEW_INFO, NON_BLANK_NO_NEW_INFO, NEW_INFO. Home Office keys are
// "<SURNAME upper case>|<birth date>"; results confirmed, not_confirmed.
//
// Errors (loading): kInvalidArgument "live.invalid" naming the member.
//
// Thread-safety: implementations are safe to call from several threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lanyard/core/result.h"
#include "lanyard/core/time.h"

namespace lanyard::passport {

enum class LiveOutcome {
  kConfirmed,    // the service confirms what the credential says
  kNegative,     // the service says otherwise (suspended, new information, not confirmed)
  kUnavailable,  // no answer: failure, timeout, unknown to the service, or not configured
};

struct LiveAnswer {
  LiveOutcome outcome = LiveOutcome::kUnavailable;
  std::string code;    // the service's own word: "registered", "NEW_INFO", "confirmed" ...
  std::string detail;  // a sentence for the report
  std::vector<std::string> conditions;     // register: conditions on practice
  std::optional<std::string> expiry_date;  // Home Office: end of time-limited permission
};

class RegisterLookup {
 public:
  virtual ~RegisterLookup() = default;
  // `regulator`: GMC, GDC, GPhC, HCPC, NMC.
  virtual LiveAnswer Lookup(std::string_view regulator, std::string_view number) const = 0;
};

class DbsUpdateService {
 public:
  virtual ~DbsUpdateService() = default;
  virtual LiveAnswer StatusCheck(std::string_view certificate_number, std::string_view surname,
                                 std::string_view birth_date) const = 0;
};

class HomeOfficeRightToWork {
 public:
  virtual ~HomeOfficeRightToWork() = default;
  virtual LiveAnswer Check(std::string_view surname, std::string_view birth_date) const = 0;
};

// What an evaluation may call; any may be null (then its answers are unavailable).
struct LiveServices {
  const RegisterLookup* register_lookup = nullptr;
  const DbsUpdateService* dbs_update_service = nullptr;
  const HomeOfficeRightToWork* home_office = nullptr;
};

// The simulator: all three services answering from one file.
class LiveSimulator final : public RegisterLookup,
                            public DbsUpdateService,
                            public HomeOfficeRightToWork {
 public:
  static Result<std::unique_ptr<LiveSimulator>> FromText(std::string_view text);

  LiveAnswer Lookup(std::string_view regulator, std::string_view number) const override;
  LiveAnswer StatusCheck(std::string_view certificate_number, std::string_view surname,
                         std::string_view birth_date) const override;
  LiveAnswer Check(std::string_view surname, std::string_view birth_date) const override;

  LiveServices Services() const { return {this, this, this}; }
  // How the simulator file keys a Home Office answer: "<SURNAME upper case>|<birth date>".
  static std::string HomeOfficeKey(std::string_view surname, std::string_view birth_date);

 private:
  LiveSimulator() = default;
  struct Register {
    std::string status;
    std::vector<std::string> conditions;
  };
  struct HomeOffice {
    std::string result;
    std::optional<std::string> expiry;
  };
  std::vector<std::pair<std::string, Register>> register_;
  std::vector<std::pair<std::string, std::string>> dbs_;
  std::vector<std::pair<std::string, HomeOffice>> home_office_;
  bool register_down_ = false, dbs_down_ = false, home_office_down_ = false;
};

// Short names of regulators as the register lookup takes them, from the credential's
// professionalBody ("Nursing and Midwifery Council" -> "NMC"); empty when unknown.
std::string_view RegulatorShortName(std::string_view professional_body);

}  // namespace lanyard::passport
