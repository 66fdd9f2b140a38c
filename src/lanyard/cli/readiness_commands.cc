// The readiness decision at the command line.
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <iostream>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/passport/cohort.h"
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

// Reads one file as evidence (passport::ReadEvidenceDocument).
void ReadEvidence(const std::string& file, const Verifier& verifier,
                  std::vector<passport::Evidence>* out, std::optional<std::string>* holder,
                  std::vector<std::string>* problems) {
  auto text = ReadInput(file);
  if (!text.ok()) {
    problems->push_back(text.error().message);
    return;
  }
  passport::ReadEvidenceDocument(file, *text, *verifier.resolver, verifier.options, out, holder);
}

Result<std::unique_ptr<passport::LiveSimulator>> LoadLive(const std::optional<std::string>& file) {
  if (!file) return std::unique_ptr<passport::LiveSimulator>();
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(*file));
  return passport::LiveSimulator::FromText(text);
}

// A person holds tens of credentials; a changeover cohort of 60,000 doctors is about 1 GiB.
constexpr size_t kMaxCredentialsPerMember = 256;
constexpr size_t kMaxCohortBytes = size_t{8} << 30;

Error CohortInvalid(size_t i, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "cohort.invalid",
                   "members[" + std::to_string(i) + "]: " + why);
}

}  // namespace

int ReadinessBatch(const Environment& env, const ReadinessBatchArgs& args) {
  auto text = ReadInput(args.cohort, 64 * 1024 * 1024);
  if (!text.ok()) return Usage(env, text.error());
  json::ParseOptions parse;
  parse.max_bytes = 64 * 1024 * 1024;
  auto doc = json::Parse(*text, parse);
  const json::Value* members_json = doc.ok() ? doc->Find("members") : nullptr;
  if (members_json == nullptr || !members_json->is_array()) {
    return Usage(env, MakeError(Code::kInvalidArgument, "cohort.invalid",
                                args.cohort + " is not a cohort file ({\"members\": [...]})"));
  }
  auto live = LoadLive(args.live);
  if (!live.ok()) return Usage(env, live.error());
  VerifyArgs verify_args = args.verify;
  verify_args.require_trust = true;
  auto verifier = Verifier::Make(env, verify_args);
  if (!verifier.ok()) return Usage(env, verifier.error());
  std::filesystem::path base = std::filesystem::path(args.cohort).parent_path();
  std::map<std::string, passport::Profile> profiles;
  std::vector<passport::CohortMember> members;
  std::map<std::string, std::string> read_files;
  size_t bytes_read = 0;
  for (size_t i = 0; i < members_json->as_array().size(); ++i) {
    const json::Value& m = members_json->as_array()[i];
    const std::string* person = m.FindString("person");
    const std::string* profile = m.FindString("profile");
    const std::string* movement = m.FindString("movement");
    const std::string* from = m.FindString("from");
    const std::string* receiving = m.FindString("receiving");
    const std::string* start = m.FindString("start");
    const json::Value* files = m.Find("credentials");
    if (!person || !profile || !movement || !from || !receiving || !start || !files ||
        !files->is_array()) {
      return Usage(env, CohortInvalid(i, "needs person, profile, movement, from, receiving, "
                                         "start and credentials"));
    }
    if (!profiles.count(*profile)) {
      std::string where = (base / *profile).string();
      auto loaded = std::filesystem::is_regular_file(where) ? LoadProfile(where) : LoadProfile(*profile);
      if (!loaded.ok()) return Usage(env, loaded.error());
      profiles.emplace(*profile, *std::move(loaded));
    }
    auto mv = passport::ParseMovement(*movement);
    if (!mv.ok()) return Usage(env, CohortInvalid(i, mv.error().message));
    auto day = ParseRfc3339(*start + "T00:00:00Z");
    if (!day.ok() || start->size() != 10) return Usage(env, CohortInvalid(i, "start is not YYYY-MM-DD"));
    passport::CohortMember member{*person, &profiles.at(*profile), *mv, *from, *receiving, *day, {}, {}};
    if (files->as_array().size() > kMaxCredentialsPerMember) {
      return Usage(env, CohortInvalid(i, "more than " + std::to_string(kMaxCredentialsPerMember) +
                                             " credentials"));
    }
    for (const auto& f : files->as_array()) {
      if (!f.is_string()) return Usage(env, CohortInvalid(i, "credentials are file names"));
      // Each file is read once however often it is named, and the whole cohort is bounded.
      std::string path = (base / f.as_string()).string();
      auto known = read_files.find(path);
      if (known == read_files.end()) {
        auto content = ReadInput(path);
        if (!content.ok()) return Usage(env, content.error());
        bytes_read += content->size();
        if (bytes_read > kMaxCohortBytes) {
          return Usage(env, MakeError(Code::kResourceExhausted, "cohort.too_large",
                                      "the cohort's credentials exceed " +
                                          std::to_string(kMaxCohortBytes >> 20) + " MiB"));
        }
        known = read_files.emplace(path, *std::move(content)).first;
      }
      member.sources.push_back(f.as_string());
      member.documents.push_back(known->second);
    }
    members.push_back(std::move(member));
  }
  passport::CohortOptions options;
  options.threads = args.threads;
  if (*live) options.live = (*live)->Services();
  // A progress bar for a person at a terminal; nothing when the output is piped or logged.
  std::mutex progress_mu;
  size_t total = members.size();
  if (::isatty(STDERR_FILENO) && total > 0) {
    options.progress = [&](size_t done) {
      std::lock_guard lock(progress_mu);
      int filled = static_cast<int>(40 * done / total);
      *env.err << "\r[" << std::string(static_cast<size_t>(filled), '#')
               << std::string(static_cast<size_t>(40 - filled), ' ') << "] " << done << "/"
               << total << std::flush;
    };
  }
  auto results = passport::EvaluateCohort(members, *(*verifier)->resolver, (*verifier)->options,
                                          options);
  if (options.progress) *env.err << "\n";
  std::map<std::string, size_t> verdicts, blocked_on;
  json::Array people;
  for (size_t i = 0; i < results.size(); ++i) {
    const passport::Readiness& r = results[i];
    ++verdicts[r.overall];
    json::Array repeat, reverify;
    auto note = [&](const std::string& name, const passport::CheckResult& c) {
      if (c.decision == passport::Decision::kRepeat) {
        repeat.emplace_back(name);
        ++blocked_on[name];
      } else if (c.decision == passport::Decision::kReverify) {
        reverify.emplace_back(name);
      }
    };
    for (const auto& [name, c] : r.checks) note(name, c);
    for (const auto& [name, c] : r.training) note("training." + name, c);
    json::Value p = json::Object{};
    p.Set("person", members[i].person);
    p.Set("overall", r.overall);
    p.Set("repeat", std::move(repeat));
    p.Set("reverify", std::move(reverify));
    people.push_back(std::move(p));
  }
  json::Value summary = json::Object{};
  summary.Set("people", static_cast<double>(results.size()));
  for (const char* v : {"cleared", "cleared_subject_to_reverification", "not_cleared"}) {
    summary.Set(v, static_cast<double>(verdicts[v]));
  }
  json::Value blocked = json::Object{};
  for (const auto& [name, n] : blocked_on) blocked.Set(name, static_cast<double>(n));
  summary.Set("blocked_on", std::move(blocked));
  if (args.json) {
    json::Value out = json::Object{};
    out.Set("summary", std::move(summary));
    out.Set("people", std::move(people));
    *env.out << json::Serialize(out, 2) << "\n";
  } else {
    *env.out << "Changeover: " << results.size() << " people; " << verdicts["cleared"]
             << " cleared, " << verdicts["cleared_subject_to_reverification"]
             << " cleared subject to re-verification, " << verdicts["not_cleared"]
             << " not cleared\n";
    if (!blocked_on.empty()) {
      *env.out << "Blocked on:\n";
      for (const auto& [name, n] : blocked_on) *env.out << "  " << name << ": " << n << "\n";
    }
    for (const auto& p : people) {
      *env.out << *p.FindString("person") << "  " << *p.FindString("overall");
      if (!p.Find("repeat")->as_array().empty()) {
        *env.out << "  repeat:";
        for (const auto& c : p.Find("repeat")->as_array()) *env.out << " " << c.as_string();
      }
      *env.out << "\n";
    }
  }
  return verdicts["not_cleared"] > 0 ? kExitInvalid : kExitOk;
}

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
  // Readiness relies on trust: a bundle must come from a pinned signer, and without one every
  // issuer is untrusted (the evaluator counts nothing whose trust was not checked).
  VerifyArgs verify_args = args.verify;
  verify_args.require_trust = true;
  auto verifier = Verifier::Make(env, verify_args);
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
  auto simulator = LoadLive(args.live);
  if (!simulator.ok()) return Usage(env, simulator.error());
  if (*simulator) request.live = (*simulator)->Services();
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
