// The readiness decision at the command line.
#include <filesystem>
#include <iostream>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/readiness.h"

namespace lanyard::cli {
namespace {

Result<passport::Profile> LoadProfile(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(name, ec)) {
    LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(name, 64 * 1024));
    return passport::ParseProfile(text, name);
  }
  return passport::BuiltInProfile(name);
}

Result<std::vector<passport::Override>> ParseOverrides(const ReadinessArgs& args) {
  if (args.reasons.size() != args.overrides.size() || args.by.size() != args.overrides.size()) {
    return MakeError(Code::kInvalidArgument, "usage",
                     "every --override needs its own --reason and --by (a named person)");
  }
  std::vector<passport::Override> out;
  for (size_t i = 0; i < args.overrides.size(); ++i) {
    const std::string& o = args.overrides[i];
    size_t eq = o.find('=');
    if (eq == std::string::npos) {
      return MakeError(Code::kInvalidArgument, "usage", "--override takes CHECK=DECISION");
    }
    LANYARD_ASSIGN_OR_RETURN(passport::Decision decision, passport::ParseDecision(o.substr(eq + 1)));
    out.push_back({o.substr(0, eq), decision, args.reasons[i], args.by[i]});
  }
  return out;
}

// Reads one file as evidence: a credential in any format, or a Data Integrity presentation
// (whose holder then anchors the person, and whose credentials each become evidence).
void ReadEvidence(const std::string& file, const Verifier& verifier,
                  std::vector<passport::Evidence>* out, std::optional<std::string>* holder,
                  std::vector<std::string>* problems) {
  auto text = ReadInput(file);
  if (!text.ok()) {
    problems->push_back(text.error().message);
    return;
  }
  auto report = verify::VerifyDocumentText(*text, *verifier.resolver, verifier.options);
  json::Value document;
  if (verify::DetectFormat(*text) == verify::Format::kDataIntegrity) {
    auto parsed = json::Parse(*text);
    if (parsed.ok()) document = *std::move(parsed);
  }
  if (json::IsOrContainsString(document.Find("type"), "VerifiablePresentation")) {
    const std::string* presenter = document.FindString("holder");
    if (presenter != nullptr && report.checks().size() > 0) {
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
      out->push_back(passport::EvidenceFromReport(
          file + "#verifiableCredential[" + std::to_string(i) + "]",
          verify::VerifyCredential(*items[i], *verifier.resolver, verifier.options), *items[i]));
    }
    return;
  }
  out->push_back(passport::EvidenceFromReport(file, std::move(report), document));
}

}  // namespace

int ReadinessCheck(const Environment& env, const ReadinessArgs& args) {
  auto profile = LoadProfile(args.profile);
  if (!profile.ok()) return Usage(env, profile.error());
  auto movement = passport::ParseMovement(args.movement);
  if (!movement.ok()) return Usage(env, movement.error());
  auto start = ParseRfc3339(args.start + "T00:00:00Z");
  if (!start.ok() || args.start.size() != 10) {
    return Usage(env, MakeError(Code::kInvalidArgument, "usage", "--start takes YYYY-MM-DD"));
  }
  auto overrides = ParseOverrides(args);
  if (!overrides.ok()) return Usage(env, overrides.error());
  auto verifier = Verifier::Make(env, args.verify);
  if (!verifier.ok()) return Usage(env, verifier.error());

  passport::ReadinessRequest request;
  request.profile = &*profile;
  request.movement = *movement;
  for (const auto& a : args.agreements) {
    auto type = trust::ParseAgreementType(a);
    if (!type.ok()) return Usage(env, type.error());
    request.agreements.push_back(*type);
  }
  request.from_ods = args.from;
  request.receiving_ods = args.receiving;
  request.start = *start;
  request.now = (*verifier)->options.now;
  request.window_days = args.window_days;
  request.registry = (*verifier)->options.trust;
  request.overrides = *std::move(overrides);
  std::unique_ptr<passport::LiveSimulator> simulator;
  if (args.live) {
    auto text = ReadInput(*args.live);
    if (!text.ok()) return Usage(env, text.error());
    auto loaded = passport::LiveSimulator::FromText(*text);
    if (!loaded.ok()) return Usage(env, loaded.error());
    simulator = std::move(loaded).value();
    request.live = simulator->Services();
  }
  std::vector<passport::Evidence> evidence;
  std::vector<std::string> problems;
  for (const auto& file : args.credentials) {
    ReadEvidence(file, **verifier, &evidence, &request.holder, &problems);
  }
  if (!problems.empty()) {
    for (const auto& p : problems) *env.err << "lanyard: " << p << "\n";
    return kExitUsage;
  }
  passport::Readiness readiness = passport::EvaluateReadiness(request, evidence);
  if (args.json) {
    *env.out << json::Serialize(readiness.ToJson(), 2) << "\n";
  } else {
    *env.out << "Role: " << profile->role << " (" << profile->id << " v" << profile->version
             << "), " << args.movement << " from " << args.from << " to " << args.receiving
             << ", starting " << args.start << "\n";
    *env.out << readiness.ToText();
  }
  return readiness.overall == "not_cleared" ? kExitInvalid : kExitOk;
}

}  // namespace lanyard::cli
