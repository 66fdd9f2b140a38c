// Staff-movement research at the command line: `analytics generate` (analytics/generator.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "lanyard/analytics/generator.h"
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
  return [=, &env]() -> std::optional<int> {
    if (generate->parsed()) return Generate(env, *args);
    return std::nullopt;
  };
}

}  // namespace lanyard::cli
