// The lanyard command-line program: builds the real clock, resolver and key-store secret
// source, and runs one command.
#include <iostream>

#include "lanyard/cli/commands.h"

int main(int argc, char** argv) {
  lanyard::cli::Environment env;
  env.clock = lanyard::NewSystemClock();
  env.resolver = lanyard::did::NewOfflineResolver();
  env.out = &std::cout;
  env.err = &std::cerr;
  env.keystore_secret = [] { return lanyard::crypto::KeyStoreSecretFromEnvironment(); };
  return lanyard::cli::Run(argc, argv, env);
}
