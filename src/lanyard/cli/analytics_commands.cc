// Staff-movement research at the command line: `analytics generate` (analytics/generator.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "lanyard/analytics/generator.h"
#include "lanyard/analytics/report.h"
#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"

namespace lanyard::cli {
namespace {

struct GenerateArgs {
  std::string scale = "england";
  int years = 10;
  uint64_t seed = 1;
  std::string out;
};

int Generate(const Environment& env, const GenerateArgs& args) {
  auto scale = analytics::ParseScale(args.scale);
  if (!scale.ok()) {
    *env.err << "lanyard: " << scale.error().message << " (" << scale.error().reason << ")\n";
    return kExitUsage;
  }
  analytics::GeneratorOptions options;
  options.scale = *scale;
  options.years = args.years;
  options.seed = args.seed;
  // A long run shows how far it has got, on a terminal only (a log file gets the summary).
  const bool terminal = env.err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
  auto started = std::chrono::steady_clock::now();
  auto progress = [&](double done) {
    if (!terminal) return;
    *env.err << "\rgenerating: " << static_cast<int>(done * 100) << "%" << std::flush;
  };
  auto summary = analytics::GenerateWorkforce(options, args.out, progress);
  if (terminal) *env.err << "\n";
  if (!summary.ok()) {
    *env.err << "lanyard: " << summary.error().message << " (" << summary.error().reason << ")\n";
    return kExitUsage;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  *env.out << "staff " << summary->staff << ", organisations " << summary->organisations << "\n"
           << "organisation changes " << summary->events[0] << ", temporary moves "
           << summary->events[1] << ", shifts elsewhere " << summary->events[2] << "\n"
           << "resident doctor rotations " << summary->doctor_rotations << " ("
           << summary->doctor_rotations_in_august << " in August)\n"
           << "wrote " << args.out << "/organisations.csv and " << args.out << "/movements.csv ("
           << summary->bytes / 1'000'000 << " MB) in " << static_cast<int>(seconds) << " s\n";
  return kExitOk;
}

struct ReportArgs {
  std::string in;
  std::string out;
  std::string scenario;
  std::string pseudonym_key;
  int threads = 2;
};

int Report(const Environment& env, const ReportArgs& args) {
  analytics::ReportOptions options;
  options.in_dir = args.in;
  options.out_dir = args.out;
  options.threads = args.threads;
  if (!args.pseudonym_key.empty()) {
    auto key = ReadPseudonymKeyFile(args.pseudonym_key);
    if (!key.ok()) {
      *env.err << "lanyard: " << key.error().message << " (" << key.error().reason << ")\n";
      return kExitUsage;
    }
    options.pseudonym_key = *std::move(key);
  }
  if (!args.scenario.empty()) {
    // ReadInput refuses a file over the limit before reading it whole.
    auto text = ReadInput(args.scenario, 1 << 20);
    auto set = text.ok() ? analytics::ParseScenarioSet(*text)
                         : Result<analytics::ScenarioSet>(std::move(text).error());
    if (!set.ok()) {
      *env.err << "lanyard: " << set.error().message << " (" << set.error().reason << ")\n";
      return kExitUsage;
    }
    options.scenarios = *std::move(set);
  }
  const bool terminal = env.err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
  auto started = std::chrono::steady_clock::now();
  auto summary = analytics::WriteReport(options, [&](const std::string& step) {
    if (terminal) *env.err << step << "\n";
  });
  if (!summary.ok()) {
    *env.err << "lanyard: " << summary.error().message << " (" << summary.error().reason << ")\n";
    return kExitUsage;
  }
  // Every rejected row is reported (the first thousand by file and line), never dropped quietly.
  for (const auto& e : summary->first_errors) {
    *env.err << e.file << ":" << e.line << ": " << e.message << "\n";
  }
  if (summary->bad_rows > summary->first_errors.size()) {
    *env.err << "... and " << summary->bad_rows - summary->first_errors.size()
             << " more rejected rows\n";
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  *env.out << "read " << summary->rows << " rows (" << summary->bytes / 1'000'000 << " MB), "
           << summary->bad_rows << " rejected; wrote " << summary->tables << " tables and "
           << args.out << "/report.json and report.html in " << seconds << " s\n";
  return summary->bad_rows > 0 ? kExitInvalid : kExitOk;
}

}  // namespace

std::function<std::optional<int>()> AddAnalyticsCommands(CLI::App& app, const Environment& env) {
  auto* analytics = app.add_subcommand("analytics", "Staff-movement research");
  analytics->require_subcommand(1);
  auto args = std::make_shared<GenerateArgs>();
  auto* generate = analytics->add_subcommand(
      "generate", "Write a synthetic NHS workforce and its movements (seeded, deterministic)");
  generate->add_option("--scale", args->scale, "england, system (one ICS) or trust")
      ->check(CLI::IsMember({"england", "system", "trust"}));
  generate->add_option("--years", args->years, "Years of events, ending last year (1 to 30)")
      ->check(CLI::Range(1, 30));
  generate->add_option("--seed", args->seed, "Seed: the same seed writes the same files");
  generate->add_option("--out", args->out, "Directory to write")->required();
  auto report_args = std::make_shared<ReportArgs>();
  auto* report = analytics->add_subcommand(
      "report", "Read every CSV under a folder and write the movement report (tables, JSON)");
  report->add_option("--in", report_args->in, "Folder of organisations.csv and movements files")
      ->required();
  report->add_option("--out", report_args->out, "Folder to write")->required();
  report->add_option(
      "--scenario", report_args->scenario,
      "Passport scenarios (JSON); built-in low, central and high adoption if absent");
  report->add_option("--pseudonym-key", report_args->pseudonym_key,
                     "Key (64 hex digits) for raw identifiers in workforce extracts");
  report->add_option("--threads", report_args->threads, "Reader threads")->check(CLI::Range(1, 64));
  return [=, &env]() -> std::optional<int> {
    if (generate->parsed()) return Generate(env, *args);
    if (report->parsed()) return Report(env, *report_args);
    return std::nullopt;
  };
}

}  // namespace lanyard::cli
