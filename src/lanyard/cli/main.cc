// The lanyard command-line program: builds the real clock, HTTP client, resolver and key-store
// secret source, and runs one command.
#include <exception>
#include <iostream>

#include "lanyard/cli/commands.h"
#include "lanyard/did/did_web.h"
#include "lanyard/http/http_client.h"

int main(int argc, char** argv) {
  lanyard::cli::Environment env;
  env.clock = lanyard::NewSystemClock();
  // The command line fetches for its own user, so loopback and private addresses are allowed
  // (a trust's intranet, a test server). Redirects are not followed: every URL Lanyard fetches
  // (a DID document, a status list, issuer metadata) is named by its owner, who can name the
  // final one.
  lanyard::http::HttpClientOptions http_options;
  http_options.max_redirects = 0;
  env.http = lanyard::http::NewHttpClient(http_options);
  // did:key and did:jwk offline; did:web over the network when there is a client.
  env.resolver = lanyard::did::NewStandardResolver(env.http.get(), *env.clock);
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
