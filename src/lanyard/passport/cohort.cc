#include "lanyard/passport/cohort.h"

#include <atomic>
#include <thread>

#include "lanyard/json/parser.h"

namespace lanyard::passport {

Evidence VerifyEvidence(std::string source, std::string_view text, const did::Resolver& resolver,
                        const verify::VerifyOptions& options) {
  if (verify::DetectFormat(text) == verify::Format::kDataIntegrity) {
    auto doc = json::Parse(text, options.parse);
    if (doc.ok() && doc->is_object() &&
        !json::IsOrContainsString(doc->Find("type"), "VerifiablePresentation")) {
      auto report = verify::VerifyCredential(*doc, resolver, options);
      return EvidenceFromReport(std::move(source), std::move(report), *doc);
    }
  }
  return EvidenceFromReport(std::move(source), verify::VerifyDocumentText(text, resolver, options),
                            json::Value());
}

std::vector<Readiness> EvaluateCohort(std::span<const CohortMember> members,
                                      const did::Resolver& resolver,
                                      const verify::VerifyOptions& verify_options,
                                      const CohortOptions& options) {
  std::vector<Readiness> out(members.size());
  std::atomic<size_t> next{0}, done{0};
  auto work = [&] {
    // People are taken in small blocks: cheap to hand out, and even at the end.
    constexpr size_t kBlock = 16;
    for (;;) {
      size_t begin = next.fetch_add(kBlock);
      if (begin >= members.size()) return;
      size_t end = std::min(begin + kBlock, members.size());
      for (size_t i = begin; i < end; ++i) {
        const CohortMember& m = members[i];
        std::vector<Evidence> evidence;
        evidence.reserve(m.documents.size());
        for (size_t d = 0; d < m.documents.size(); ++d) {
          evidence.push_back(VerifyEvidence(d < m.sources.size() ? m.sources[d] : std::to_string(d),
                                            m.documents[d], resolver, verify_options));
        }
        ReadinessRequest request;
        request.profile = m.profile;
        request.movement = m.movement;
        request.from_ods = m.from_ods;
        request.receiving_ods = m.receiving_ods;
        request.start = m.start;
        request.now = verify_options.now;
        request.window_days = options.window_days;
        request.registry = verify_options.trust;
        request.live = options.live;
        out[i] = EvaluateReadiness(request, evidence);
      }
      size_t finished = done.fetch_add(end - begin) + (end - begin);
      if (options.progress) options.progress(finished);
    }
  };
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return out;
}

void ReadEvidenceDocument(const std::string& source, std::string_view text,
                          const did::Resolver& resolver, const verify::VerifyOptions& options,
                          std::vector<Evidence>* out, std::optional<std::string>* holder) {
  auto report = verify::VerifyDocumentText(text, resolver, options);
  json::Value document;
  if (verify::DetectFormat(text) == verify::Format::kDataIntegrity) {
    auto parsed = json::Parse(text);
    if (parsed.ok()) document = *std::move(parsed);
  }
  if (!json::IsOrContainsString(document.Find("type"), "VerifiablePresentation")) {
    out->push_back(EvidenceFromReport(source, std::move(report), document));
    return;
  }
  const std::string* presenter = document.FindString("holder");
  if (presenter != nullptr) {
    bool holder_signed = false;
    for (const auto& c : report.checks()) holder_signed |= c.code == "holder.is_signer" && c.passed;
    if (holder_signed) *holder = *presenter;
  }
  const json::Value* vcs = document.Find("verifiableCredential");
  std::vector<const json::Value*> items;
  if (vcs != nullptr && vcs->is_array()) {
    for (const auto& v : vcs->as_array()) items.push_back(&v);
  } else if (vcs != nullptr) {
    items.push_back(vcs);
  }
  for (size_t i = 0; i < items.size(); ++i) {
    out->push_back(EvidenceFromReport(source + "#verifiableCredential[" + std::to_string(i) + "]",
                                      verify::VerifyCredential(*items[i], resolver, options),
                                      *items[i]));
  }
}

}  // namespace lanyard::passport
