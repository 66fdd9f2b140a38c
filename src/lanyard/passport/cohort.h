// Readiness for a whole cohort at once: a changeover day's 60,000 resident doctors, each with a
// handful of credentials, verified and decided on every core.
//
// Each person is independent, so the work is split across threads by person; the resolver,
// the status checker and the registry are shared (all thread-safe), so a trust's DID document
// and each status list are fetched and verified once, not once per doctor.
//
// Thread-safety: EvaluateCohort is safe to call; `progress` is called from worker threads.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "lanyard/did/resolver.h"
#include "lanyard/passport/readiness.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::passport {

struct CohortMember {
  std::string person;  // the cohort's own label for the person
  const Profile* profile = nullptr;
  Movement movement = Movement::kPermanentTransfer;
  std::string from_ods;
  std::string receiving_ods;
  TimePoint start;
  std::vector<std::string> sources;    // names for the report (file names)
  std::vector<std::string> documents;  // the credentials, as text (any format)
};

struct CohortOptions {
  int threads = 0;  // 0: one per core
  int window_days = 28;
  LiveServices live;
  // Called now and then with the number of people decided so far.
  std::function<void(size_t done)> progress;
};

// One Readiness per member, in the members' order.
std::vector<Readiness> EvaluateCohort(std::span<const CohortMember> members,
                                      const did::Resolver& resolver,
                                      const verify::VerifyOptions& verify_options,
                                      const CohortOptions& options);

// Reads one document as evidence: a credential in any format, or a Data Integrity presentation,
// each of whose credentials becomes evidence; when the presentation's holder signed it, the
// holder anchors the person (`*holder` is set).
void ReadEvidenceDocument(const std::string& source, std::string_view text,
                          const did::Resolver& resolver, const verify::VerifyOptions& options,
                          std::vector<Evidence>* out, std::optional<std::string>* holder);

// Verifies one credential text and reads it as evidence (one parse for JSON credentials).
Evidence VerifyEvidence(std::string source, std::string_view text, const did::Resolver& resolver,
                        const verify::VerifyOptions& options);

}  // namespace lanyard::passport
