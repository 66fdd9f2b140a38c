// The lanyard command-line program: builds the real clock and resolver and runs one command.
#include <iostream>

#include "lanyard/cli/commands.h"

int main(int argc, char** argv) {
  lanyard::cli::Environment env;
  env.clock = lanyard::NewSystemClock();
  env.resolver = lanyard::did::NewOfflineResolver();
  env.out = &std::cout;
  env.err = &std::cerr;
  return lanyard::cli::Run(argc, argv, env);
}
