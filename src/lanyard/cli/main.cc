// The lanyard command-line program: builds the real clock, resolver and key-store secret
// source, and runs one command.
#include <exception>
#include <iostream>

#include "lanyard/cli/commands.h"

int main(int argc, char** argv) {
  lanyard::cli::Environment env;
  env.clock = lanyard::NewSystemClock();
  env.resolver = lanyard::did::NewOfflineResolver();
  env.out = &std::cout;
  env.err = &std::cerr;
  env.keystore_secret = [] { return lanyard::crypto::KeyStoreSecretFromEnvironment(); };
  try {
    return lanyard::cli::Run(argc, argv, env);
  } catch (const std::exception& e) {
    // Errors are values inside Lanyard; only the standard library throws (out of memory).
    // The exit-code contract still holds: nothing above 2.
    std::cerr << "lanyard: " << e.what() << "\n";
    return lanyard::cli::kExitUsage;
  }
}
