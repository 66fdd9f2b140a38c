// The passport service at the command line: `serve`, the administration commands that work on
// a deployment's database directly (bootstrap, organisations, users, API tokens), and
// `audit verify`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "lanyard/analytics/published_report.h"
#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/core/encoding.h"
#include "lanyard/http/api.h"
#include "lanyard/http/server.h"
#include "lanyard/service/deployment.h"
#include "lanyard/service/publications.h"
#include "lanyard/store/audit_chain.h"
#include "lanyard/trust/trust_registry.h"

namespace lanyard::cli {
namespace {

struct DeploymentArgs {
  std::string db;
  std::string base_url;
};

struct ServeArgs {
  DeploymentArgs deployment;
  std::string listen = "127.0.0.1:8443";
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  int handler_threads = 8;
  int read_timeout_seconds = 10;
  std::string web_root;
  std::string research_report;
};

struct AdminArgs {
  DeploymentArgs deployment;
  std::string email;
  std::string name;
  std::string org;
  std::string roles;
  std::string role;
  std::string label;
  std::string ods;
  std::string kinds;
  std::string region;
  std::string ics;
  int expires_days = 0;
  std::string registry;
  std::string reason;
  bool compromised = false;
};

int Fail(const Environment& env, const Error& error) {
  *env.err << "lanyard: " << error.message << " (" << error.reason << ")\n";
  return kExitUsage;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return MakeError(Code::kInvalidArgument, "usage", "--listen is HOST:PORT, e.g. 127.0.0.1:8443");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return MakeError(Code::kInvalidArgument, "usage", "--listen's port is 0 to 65535");
    }
    port = port * 10 + (c - '0');
  }
  if (port > 65535 || colon + 1 == listen.size()) {
    return MakeError(Code::kInvalidArgument, "usage", "--listen's port is 0 to 65535");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

Result<std::unique_ptr<service::Deployment>> Open(const Environment& env,
                                                  const DeploymentArgs& args) {
  service::DeploymentOptions options;
  options.db_path = args.db;
  if (!args.base_url.empty()) options.base_url = args.base_url;
  LANYARD_ASSIGN_OR_RETURN(auto deployment, service::OpenDeployment(options, *env.clock));
  if (deployment->master->created) {
    *env.err << "lanyard: created a new master key in " << deployment->master->origin
             << " (mode 0600). Keep a copy somewhere safe: without it the hosted wallets and "
                "signing keys cannot be opened. Set LANYARD_MASTER_KEY to supply it instead.\n";
  }
  return deployment;
}

// The first line of `in` (without its line end), refusing one longer than `max_bytes` rather
// than reading an endless stream into memory.
Result<std::string> ReadShortLine(std::istream& in, size_t max_bytes, const std::string& what) {
  std::string line;
  char c;
  while (in.get(c) && c != '\n') {
    if (line.size() == max_bytes) {
      return MakeError(Code::kInvalidArgument, "usage", what + " is longer than it can be");
    }
    line.push_back(c);
  }
  if (line.empty() && !in) return MakeError(Code::kInvalidArgument, "usage", "no " + what);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// A password from the first line of standard input, so it never appears in a process list.
Result<std::string> ReadPassword(const Environment& env) {
  *env.err << "Password (read from standard input): ";
  LANYARD_ASSIGN_OR_RETURN(std::string line,
                           ReadShortLine(std::cin, 1024, "password on standard input"));
  *env.err << "\n";
  return line;
}

int Serve(const Environment& env, ServeArgs args) {
  auto listen = ParseListen(args.listen);
  if (!listen.ok()) return Fail(env, listen.error());
  if (args.tls_cert.has_value() != args.tls_key.has_value()) {
    return Fail(env,
                MakeError(Code::kInvalidArgument, "usage", "--tls-cert and --tls-key go together"));
  }
  if (args.deployment.base_url.empty()) {
    args.deployment.base_url = std::string(args.tls_cert ? "https://" : "http://") + args.listen;
  }
  auto deployment = Open(env, args.deployment);
  if (!deployment.ok()) return Fail(env, deployment.error());
  service::Deployment& d = **deployment;
  // A previous process that stopped mid-job cannot finish it: say so on the job.
  if (auto interrupted = d.bulk->FailInterruptedJobs(); !interrupted.ok()) {
    return Fail(env, interrupted.error());
  } else if (*interrupted > 0) {
    *env.err << "lanyard: marked " << *interrupted
             << " unfinished background job(s) as failed (job.interrupted)\n";
  }

  // The API needs the server's statistics and the server needs the API's handler: the handler
  // reads the API through a pointer set once both exist.
  std::atomic<http::Server*> server_ptr{nullptr};
  http::ApiServices services = http::ApiServices::ForDeployment(d, *env.clock);
  services.web_root = args.web_root;
#ifdef LANYARD_DEFAULT_WEB_ROOT
  // Unless told otherwise, the assets built in the source tree this program was configured from
  // (scripts/build-web), when they are there; a packaged install passes --web-root.
  if (services.web_root.empty() && std::filesystem::is_directory(LANYARD_DEFAULT_WEB_ROOT)) {
    services.web_root = LANYARD_DEFAULT_WEB_ROOT;
  }
#endif
  std::optional<analytics::ReportFolder> research_report;
  if (!args.research_report.empty()) {
    research_report.emplace(args.research_report);
    services.research_report = &*research_report;
    // Said now rather than found by the first analyst; the pages show it once it is mended.
    if (auto report = research_report->Current(); !report.ok()) {
      *env.err << "lanyard: the research report cannot be shown yet: " << report.error().message
               << " (" << report.error().reason << ")\n";
    }
  }
  services.server_metrics = [&server_ptr](std::string* out) {
    if (http::Server* s = server_ptr.load()) http::AppendPrometheus(s->Stats(), out);
  };
  http::Api api(services);

  http::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.tls_cert_file = args.tls_cert;
  options.tls_key_file = args.tls_key;
  options.handler_threads = args.handler_threads;
  // Bulk issuance uploads a CSV file of up to 8 MiB (a 5,000-row DBS extract is about 2.5 MiB).
  // JSON bodies stay limited to 1 MiB by their parser (kMaxJsonBodyBytes) whatever the server
  // accepts, and the read timeout still bounds how long a large body may take to arrive.
  options.max_body_bytes = std::max(options.max_body_bytes, d.bulk->options().max_csv_bytes);
  options.read_timeout = std::chrono::seconds(args.read_timeout_seconds);
  options.clock = env.clock.get();
  options.stop_signals = {SIGTERM, SIGINT};
  auto log_mu = std::make_shared<std::mutex>();
  options.log = [log_mu, out = env.out](std::string_view line) {
    std::lock_guard lock(*log_mu);
    *out << line << "\n" << std::flush;
  };
  auto server =
      http::Server::Start(options, [&api](http::ServerRequest request, http::Respond respond) {
        api.Handle(std::move(request), std::move(respond));
      });
  if (!server.ok()) return Fail(env, server.error());
  server_ptr.store(server->get());
  auto bundle_signer = service::BundleSignerDid(*d.keys);
  if (!bundle_signer.ok()) return Fail(env, bundle_signer.error());
  *env.err << "lanyard: trust bundle at " << d.base_url << "/trust-bundle, signed by "
           << *bundle_signer << " (pin this with --trust-signer)\n";
  *env.err << "lanyard: serving " << d.base_url << " (listening on " << options.host << ":"
           << (*server)->port() << "); stop with Ctrl-C or SIGTERM\n";
  (*server)->Wait();
  server_ptr.store(nullptr);
  *env.err << "lanyard: stopped\n";
  return kExitOk;
}

int Bootstrap(const Environment& env, const AdminArgs& args) {
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  auto password = ReadPassword(env);
  if (!password.ok()) return Fail(env, password.error());
  service::NewUser user{args.email, args.name, "", service::RoleSet{service::Role::kNationalAdmin},
                        *password};
  auto created = (*d)->accounts->Bootstrap(user);
  if (!created.ok()) return Fail(env, created.error());
  *env.out << "national administrator " << created->email << " (" << created->id << ")\n";
  return kExitOk;
}

int OrgAdd(const Environment& env, const AdminArgs& args) {
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  store::OrganisationRecord org;
  org.ods = args.ods;
  org.name = args.name;
  org.kinds = args.kinds;
  org.region = args.region;
  org.ics = args.ics;
  auto added = (*d)->accounts->AddOrganisation(
      service::Principal::System(service::RoleSet{service::Role::kNationalAdmin}), org,
      (*d)->did_web_base);
  if (!added.ok()) return Fail(env, added.error());
  *env.out << added->ods << " " << added->did << "\n";
  return kExitOk;
}

// A new signing key for an organisation, as the deployment itself (the operator holds the
// database and the master key): the way to act on a compromise at any hour, with no one of the
// organisation signed in.
int OrgRotateKey(const Environment& env, const AdminArgs& args) {
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  auto rotated = (*d)->accounts->RotateSigningKey(
      service::Principal::System(service::RoleSet{service::Role::kNationalAdmin}), args.ods,
      args.reason, args.compromised);
  if (!rotated.ok()) return Fail(env, rotated.error());
  *env.out << rotated->ods << " now signs with " << rotated->did << "#" << rotated->signing_key_id
           << "; the previous key is " << (args.compromised ? "disowned (compromised)" : "retired")
           << "\n";
  return kExitOk;
}

// Adds every organisation of a trust registry file that the deployment does not have yet, each
// with a fresh signing key here (its DID becomes this deployment's did:web for it). Existing
// organisations are left as they are.
int OrgImport(const Environment& env, const AdminArgs& args) {
  std::ifstream in(args.registry, std::ios::binary);
  if (!in) {
    return Fail(env, MakeError(Code::kInvalidArgument, "usage", "cannot read " + args.registry));
  }
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto registry = trust::TrustRegistry::FromText(text);
  if (!registry.ok()) return Fail(env, registry.error());
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  service::Principal actor =
      service::Principal::System(service::RoleSet{service::Role::kNationalAdmin});
  int added = 0, kept = 0;
  for (const auto& o : registry->organisations()) {
    if ((*d)->store->GetOrganisation(o.ods).ok()) {
      ++kept;
      continue;
    }
    store::OrganisationRecord org;
    org.ods = o.ods;
    org.name = o.name;
    for (auto kind : o.kinds) {
      org.kinds += (org.kinds.empty() ? "" : ",") + std::string(trust::OrgKindName(kind));
    }
    org.region = o.region;
    org.ics = o.ics;
    auto result = (*d)->accounts->AddOrganisation(actor, org, (*d)->did_web_base);
    if (!result.ok()) return Fail(env, result.error());
    *env.out << result->ods << " " << result->did << "\n";
    ++added;
  }
  *env.err << "lanyard: " << added << " organisation(s) added, " << kept
           << " already in this deployment\n";
  return kExitOk;
}

int UserAdd(const Environment& env, const AdminArgs& args) {
  auto roles = service::RoleSet::Parse(args.roles);
  if (!roles.ok()) return Fail(env, roles.error());
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  auto password = ReadPassword(env);
  if (!password.ok()) return Fail(env, password.error());
  // The command line acts with the authority of whoever holds the database and master key:
  // as the organisation's own administrator for organisation roles.
  service::Principal actor =
      roles->Has(service::Role::kNationalAdmin)
          ? service::Principal::System(service::RoleSet{service::Role::kNationalAdmin})
          : service::Principal::System(service::RoleSet{service::Role::kOrgAdmin}, args.org);
  service::NewUser user{args.email, args.name, args.org, *roles, *password};
  auto created = (*d)->accounts->CreateUser(actor, user);
  if (!created.ok()) return Fail(env, created.error());
  *env.out << created->email << " " << created->id << " " << created->roles << "\n";
  return kExitOk;
}

int TokenCreate(const Environment& env, const AdminArgs& args) {
  auto role = service::ParseRole(args.role);
  if (!role.ok()) return Fail(env, role.error());
  auto d = Open(env, args.deployment);
  if (!d.ok()) return Fail(env, d.error());
  std::optional<std::chrono::seconds> lifetime;
  if (args.expires_days > 0) lifetime = std::chrono::seconds(int64_t{args.expires_days} * 86400);
  auto token = (*d)->accounts->CreateApiToken(
      service::Principal::System(service::RoleSet{service::Role::kOrgAdmin}, args.org), args.org,
      *role, args.label.empty() ? "command line" : args.label, lifetime);
  if (!token.ok()) return Fail(env, token.error());
  *env.out << token->secret << "\n";
  return kExitOk;
}

struct ExportArgs {
  DeploymentArgs deployment;
  std::string key_file;
  std::string out;
};

// The pseudonymised event export for the movement research tools (docs/event-export.md).
int EventsExport(const Environment& env, const ExportArgs& args) {
  auto key = ReadPseudonymKeyFile(args.key_file);
  if (!key.ok()) return Fail(env, key.error());
  auto store = store::OpenSqliteStore(args.deployment.db);
  if (!store.ok()) return Fail(env, store.error());
  auto csv = service::ExportEventsCsv(**store, *key);
  if (!csv.ok()) return Fail(env, csv.error());
  if (args.out.empty() || args.out == "-") {
    *env.out << *csv;
    return kExitOk;
  }
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out << *csv;
  if (!out.flush()) {
    return Fail(env, MakeError(Code::kInternal, "io_error", "cannot write " + args.out));
  }
  return kExitOk;
}

int AuditVerify(const Environment& env, const std::string& db) {
  auto store = store::OpenSqliteStore(db);
  if (!store.ok()) return Fail(env, store.error());
  auto result = store::VerifyAuditChain(**store);
  if (!result.ok()) return Fail(env, result.error());
  *env.out << "entries: " << result->entries << "\n"
           << "details present: " << result->details_present
           << ", erased: " << result->details_erased << "\n"
           << "head: " << result->head_hash << "\n";
  if (!result->problem.empty()) {
    *env.out << "BROKEN at entry " << result->problem_seq << ": " << result->problem << ": "
             << result->message << "\n";
    return kExitInvalid;
  }
  *env.out << "intact\n";
  return kExitOk;
}

}  // namespace

std::function<std::optional<int>()> AddServiceCommands(CLI::App& app, const Environment& env) {
  auto serve_args = std::make_shared<ServeArgs>();
  auto admin_args = std::make_shared<AdminArgs>();
  auto audit_db = std::make_shared<std::string>();
  auto export_args = std::make_shared<ExportArgs>();

  auto add_deployment = [](CLI::App* c, DeploymentArgs& d) {
    c->add_option("--db", d.db, "The deployment's database (SQLite; created when new)")->required();
    c->add_option("--base-url", d.base_url,
                  "The origin the service is reached at (part of every organisation's DID)");
  };

  auto* serve = app.add_subcommand("serve", "Run the passport service");
  add_deployment(serve, serve_args->deployment);
  serve->add_option("--listen", serve_args->listen, "HOST:PORT to listen on (port 0: any free)")
      ->capture_default_str();
  serve->add_option("--tls-cert", serve_args->tls_cert, "TLS certificate chain (PEM)");
  serve->add_option("--tls-key", serve_args->tls_key, "TLS private key (PEM)");
  serve->add_option("--handler-threads", serve_args->handler_threads, "Request handler threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option("--read-timeout", serve_args->read_timeout_seconds,
                   "Seconds a client has to send a whole request")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  serve->add_option("--web-root", serve_args->web_root,
                    "Folder of the web pages' built assets (/assets/...); by default the web/dist "
                    "built beside the sources, when there. The pages work without");
  serve->add_option("--research-report", serve_args->research_report,
                    "Folder of a published movement report (`lanyard analytics report --out`), "
                    "shown to analysts at /research/report; re-read whenever it changes");

  auto* admin = app.add_subcommand("admin", "Administer a deployment's database directly");
  admin->require_subcommand(1);
  auto* bootstrap = admin->add_subcommand(
      "bootstrap", "Create the first national administrator (password on standard input)");
  add_deployment(bootstrap, admin_args->deployment);
  bootstrap->add_option("--email", admin_args->email, "Their email address")->required();
  bootstrap->add_option("--name", admin_args->name, "Their name")->required();

  auto* org = admin->add_subcommand("org", "Organisations");
  org->require_subcommand(1);
  auto* org_add = org->add_subcommand("add", "Add an organisation with a fresh signing key");
  add_deployment(org_add, admin_args->deployment);
  org_add->add_option("--ods", admin_args->ods, "Its ODS code")->required();
  org_add->add_option("--name", admin_args->name, "Its name")->required();
  org_add
      ->add_option("--kinds", admin_args->kinds,
                   "Comma-separated kinds: trust, lead_employer, regulator, "
                   "occupational_health, learning_provider, primary_care, agency")
      ->required();
  org_add->add_option("--region", admin_args->region, "NHS England region");
  org_add->add_option("--ics", admin_args->ics, "Integrated care system");

  auto* org_import = org->add_subcommand(
      "import", "Add every organisation of a trust registry file not yet in the deployment");
  add_deployment(org_import, admin_args->deployment);
  org_import->add_option("--registry", admin_args->registry, "A trust registry file (JSON)")
      ->required();

  auto* org_rotate = org->add_subcommand(
      "rotate-key", "Give an organisation a new signing key, retiring (or disowning) the old one");
  add_deployment(org_rotate, admin_args->deployment);
  org_rotate->add_option("--ods", admin_args->ods, "Its ODS code")->required();
  org_rotate->add_option("--reason", admin_args->reason, "Why (recorded in the audit log)")
      ->required();
  org_rotate->add_flag("--compromised", admin_args->compromised,
                       "The old key may be in other hands: everything it signed stops verifying");

  auto* user = admin->add_subcommand("user", "Users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user (password on standard input)");
  add_deployment(user_add, admin_args->deployment);
  user_add->add_option("--org", admin_args->org, "Their organisation's ODS code");
  user_add->add_option("--email", admin_args->email, "Their email address")->required();
  user_add->add_option("--name", admin_args->name, "Their name")->required();
  user_add
      ->add_option("--roles", admin_args->roles, "Comma-separated roles, e.g. hr_issuer,verifier")
      ->required();

  auto* token = admin->add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create an API token (printed once)");
  add_deployment(token_create, admin_args->deployment);
  token_create->add_option("--org", admin_args->org, "The organisation's ODS code")->required();
  token_create->add_option("--role", admin_args->role, "The role the token acts with")->required();
  token_create->add_option("--label", admin_args->label, "What the token is for");
  token_create->add_option("--expires-days", admin_args->expires_days, "Lifetime in days")
      ->check(CLI::Range(1, 3660));

  auto* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* audit_verify =
      audit->add_subcommand("verify", "Check the hash chain: any edited or deleted entry shows");
  audit_verify->add_option("--db", *audit_db, "The deployment's database")->required();

  auto* events = app.add_subcommand("events", "Pseudonymised events for movement research");
  events->require_subcommand(1);
  auto* events_export =
      events->add_subcommand("export", "Write the event export (CSV; people as keyed pseudonyms)");
  events_export->add_option("--db", export_args->deployment.db, "The deployment's database")
      ->required();
  events_export
      ->add_option("--pseudonym-key", export_args->key_file,
                   "File holding the 32-byte pseudonymisation key as 64 hex digits")
      ->required();
  events_export->add_option("--out", export_args->out, "CSV file to write; stdout if absent");

  return [=, &env]() -> std::optional<int> {
    if (events_export->parsed()) return EventsExport(env, *export_args);
    if (serve->parsed()) return Serve(env, *serve_args);
    if (bootstrap->parsed()) return Bootstrap(env, *admin_args);
    if (org_add->parsed()) return OrgAdd(env, *admin_args);
    if (org_import->parsed()) return OrgImport(env, *admin_args);
    if (org_rotate->parsed()) return OrgRotateKey(env, *admin_args);
    if (user_add->parsed()) return UserAdd(env, *admin_args);
    if (token_create->parsed()) return TokenCreate(env, *admin_args);
    if (audit_verify->parsed()) return AuditVerify(env, *audit_db);
    return std::nullopt;
  };
}

}  // namespace lanyard::cli
