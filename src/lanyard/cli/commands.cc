#include "lanyard/cli/commands.h"
#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/credential_steps.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/did/did_web.h"
#include "lanyard/trust/trust_bundle.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::cli {

int KeyGenerate(const Environment& env, const KeyGenerateArgs& args) {
  auto type = crypto::ParseKeyType(args.type);
  if (!type.ok()) return Usage(env, type.error());
  if (args.store) {
    auto store = OpenStore(env, *args.store);
    if (!store.ok()) return Usage(env, store.error());
    auto info = (*store)->Generate(*type, args.label);
    if (!info.ok()) return Usage(env, info.error());
    *env.out << info->id << " " << did::DidKeyFromPublicKey(info->public_key) << "\n";
    return kExitOk;
  }
  auto key = crypto::PrivateKey::Generate(*type);
  if (!key.ok()) return Usage(env, key.error());
  std::string text = json::Serialize(crypto::PrivateKeyToJwk(*key), 2) + "\n";
  if (!args.out_file) {
    *env.out << text;
    return kExitOk;
  }
  Status written = WritePrivateFile(*args.out_file, text);
  if (!written.ok()) return Usage(env, written.error());
  *env.err << "Wrote a private " << crypto::KeyTypeName(*type) << " key to " << *args.out_file
           << " (readable only by you). Its DID is " << did::DidKeyFromPublicKey(key->public_key())
           << "\n";
  return kExitOk;
}

int KeyList(const Environment& env, const std::string& directory) {
  auto store = OpenStore(env, directory);
  if (!store.ok()) return Usage(env, store.error());
  auto keys = (*store)->List();
  if (!keys.ok()) return Usage(env, keys.error());
  for (const auto& k : *keys) {
    *env.out << k.id << " " << crypto::KeyTypeName(k.type) << " "
             << did::DidKeyFromPublicKey(k.public_key) << " " << k.label << "\n";
  }
  return kExitOk;
}

int KeyDid(const Environment& env, const std::string& key_file) {
  auto jwk = ReadJsonObject(key_file, key_file.c_str());
  if (!jwk.ok()) return Usage(env, jwk.error());
  auto key = crypto::PublicKeyFromJwk(*jwk);
  if (!key.ok()) return Usage(env, key.error());
  *env.out << did::DidKeyFromPublicKey(*key) << "\n";
  return kExitOk;
}

int CredentialIssue(const Environment& env, const IssueArgs& args) {
  auto suite = formats::di::ParseCryptosuite(args.suite);
  if (!suite.ok()) return Usage(env, suite.error());
  auto key = LoadSigningKey(env, args);
  if (!key.ok()) return Usage(env, key.error());
  if (args.format == "sd-jwt") {
    return SignSdJwtVc(env, args, *key->signer, [&]() -> Result<SdJwtDraft> {
      LANYARD_ASSIGN_OR_RETURN(json::Value payload,
                               ReadJsonObject(args.in_file, "the SD-JWT VC payload"));
      LANYARD_ASSIGN_OR_RETURN(auto paths, ParsePaths(args.disclose));
      return SdJwtDraft{std::move(payload), std::move(paths)};
    });
  }
  return SignDataIntegrity(env, args, *key, *suite,
                           [&] { return ReadJsonObject(args.in_file, "the credential"); });
}

int CredentialPresent(const Environment& env, const PresentArgs& args) {
  auto text = ReadInput(args.file);
  if (!text.ok()) return Usage(env, text.error());
  return PresentSdJwtText(env, args, *text, args.disclose);
}

Result<std::unique_ptr<Verifier>> Verifier::Make(const Environment& env, const VerifyArgs& args) {
  auto v = std::make_unique<Verifier>();
  v->options.now = env.clock->Now();
  if (args.now) {
    auto t = ParseRfc3339(*args.now);
    if (!t.ok()) return t.error();
    v->options.now = *t;
  }
  v->options.challenge = args.challenge;
  v->options.domain = args.domain;
  if (args.trust_anchors) {
    auto pem = ReadInput(*args.trust_anchors);
    if (!pem.ok()) return pem.error();
    auto loaded = crypto::LoadTrustAnchorsPem(*pem);
    if (!loaded.ok()) return loaded.error();
    v->anchors.emplace(std::move(loaded).value());
    v->options.anchors = &*v->anchors;
  }
  v->options.http = args.offline ? nullptr : env.http.get();
  // Time checks of status lists follow --now too.
  v->clock = std::make_unique<SimulatedClock>(v->options.now);
  v->resolver = env.resolver.get();
  if (args.offline) {
    v->offline_resolver = did::NewStandardResolver(nullptr, *v->clock);
    v->resolver = v->offline_resolver.get();
  }
  if (args.trust) {
    auto bundle_text = ReadInput(*args.trust, 64 * 1024 * 1024);
    if (!bundle_text.ok()) return bundle_text.error();
    auto loaded = trust::LoadTrustBundle(*bundle_text, v->options.now, args.trust_signer);
    if (!loaded.ok()) return loaded.error();
    v->bundle.emplace(std::move(loaded).value());
    if (!v->bundle->signer_pinned && args.require_trust) {
      // Anyone can sign a bundle; trust that is required must come from a pinned signer.
      return MakeError(Code::kInvalidArgument, "usage",
                       "--require-trust needs --trust-signer: the bundle is signed by " +
                           v->bundle->signer + ", which nothing here pins");
    }
    if (!v->bundle->signer_pinned) {
      *env.err << "lanyard: warning: the trust bundle (serial " << v->bundle->registry.serial()
               << ") is signed by " << v->bundle->signer
               << ", which was not pinned with --trust-signer\n";
    }
    v->options.trust = &v->bundle->registry;
    v->bundle_resolver = did::NewStaticResolver(v->bundle->documents, v->resolver);
    v->resolver = v->bundle_resolver.get();
  }
  v->options.require_trust = args.require_trust;
  verify::StatusCheckOptions status_options;
  status_options.http = v->options.http;
  status_options.trust = v->options.trust;
  if (args.status_cache) status_options.cache_dir = *args.status_cache;
  v->status = std::make_unique<verify::StatusChecker>(*v->resolver, *v->clock, status_options);
  v->options.status = v->status.get();
  if (args.kb_max_age) v->options.kb_max_age = std::chrono::seconds(*args.kb_max_age);
  if (args.kb_max_future) v->options.kb_max_future = std::chrono::seconds(*args.kb_max_future);
  return v;
}

int CredentialVerify(const Environment& env, const VerifyArgs& args) {
  auto verifier = Verifier::Make(env, args);
  if (!verifier.ok()) return Usage(env, verifier.error());
  const did::Resolver* base_resolver = (*verifier)->resolver;
  const verify::VerifyOptions& options = (*verifier)->options;
  verify::VerificationReport report;
  auto text = ReadInput(args.file);
  if (!text.ok()) {
    if (text.error().reason == "input.unreadable") return Usage(env, text.error());
    report.FailUnusable(text.error().reason, text.error().message + ".");
  } else {
    report = verify::VerifyDocumentText(*text, *base_resolver, options);
  }
  if (args.json) {
    *env.out << json::Serialize(report.ToJson(), 2) << "\n";
  } else {
    *env.out << report.ToText();
    if (!report.claims().is_null()) {
      *env.out << "Claims read:\n" << json::Serialize(report.claims(), 2) << "\n";
    }
    *env.out << (report.verified()   ? "VALID"
                 : report.unusable() ? "UNUSABLE INPUT"
                                     : "NOT VALID")
             << "\n";
  }
  if (report.unusable()) {
    *env.err << "lanyard: " << args.file
             << " is not a readable credential: " << report.Failures().front().message << "\n";
    return kExitUsage;
  }
  return report.verified() ? kExitOk : kExitInvalid;
}

int Run(int argc, char** argv, const Environment& env) {
  CLI::App app{"Lanyard: a digital staff passport for health-service workers"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lanyard 0.1.0");

  auto* key = app.add_subcommand("key", "Generate keys and show their DIDs");
  key->require_subcommand(1);
  KeyGenerateArgs gen;
  auto* key_generate = key->add_subcommand("generate", "Generate a private key as a JWK");
  key_generate->add_option("--type", gen.type, "ed25519 or p256")
      ->check(CLI::IsMember({"ed25519", "p256"}))
      ->capture_default_str();
  auto* gen_out = key_generate->add_option("--out", gen.out_file,
                                           "File to write (mode 0600); stdout if absent");
  key_generate
      ->add_option("--store", gen.store,
                   "Generate inside this encrypted key store instead (secret from "
                   "LANYARD_KEYSTORE_MASTER_KEY or LANYARD_KEYSTORE_PASSPHRASE)")
      ->excludes(gen_out);
  key_generate->add_option("--label", gen.label, "With --store: a label for people");
  std::string list_store;
  auto* key_list = key->add_subcommand("list", "List the keys of an encrypted key store");
  key_list->add_option("--store", list_store, "Key store directory")->required();
  std::string did_file;
  auto* key_did = key->add_subcommand("did", "Print the did:key of a JWK file");
  key_did->add_option("FILE", did_file, "A JWK file")->required();
  DidDocumentArgs did_doc;
  auto* key_did_document = key->add_subcommand(
      "did-document", "Print the DID document an organisation publishes at its did:web address");
  key_did_document->add_option("--did", did_doc.did, "The organisation's DID (did:web:...)")
      ->required();
  key_did_document->add_option("--key", did_doc.key_files, "A key file (repeatable; public part)")
      ->required();
  key_did_document->add_option("--fragment", did_doc.fragments,
                               "The key's fragment, one per --key (default key-1, key-2 ...)");

  auto* credential = app.add_subcommand("credential", "Issue and verify credentials");
  credential->require_subcommand(1);
  IssueArgs issue;
  auto* cred_issue = credential->add_subcommand("issue", "Sign a credential (printed to stdout)");
  auto* issue_key = cred_issue->add_option("--key", issue.key_file, "Private JWK file");
  auto* issue_store =
      cred_issue->add_option("--store", issue.store, "Or: an encrypted key store directory");
  auto* issue_key_id = cred_issue->add_option("--key-id", issue.key_id, "With --store: key id");
  issue_key->excludes(issue_store)->excludes(issue_key_id);
  issue_store->needs(issue_key_id);
  issue_key_id->needs(issue_store);
  cred_issue->add_option("--suite", issue.suite, "eddsa-jcs-2022 or ecdsa-jcs-2019")
      ->check(CLI::IsMember({"eddsa-jcs-2022", "ecdsa-jcs-2019"}))
      ->capture_default_str();
  cred_issue->add_option("--format", issue.format, "di (Data Integrity) or sd-jwt (SD-JWT VC)")
      ->check(CLI::IsMember({"di", "sd-jwt"}))
      ->capture_default_str();
  cred_issue->add_option("--created", issue.created, "Proof creation time (RFC 3339)");
  cred_issue->add_option("--holder", issue.holder,
                         "SD-JWT: the holder's JWK (private or public); its public part is bound");
  cred_issue->add_option("--kid", issue.kid,
                         "SD-JWT: the signing key's id (a DID URL when the issuer is a DID)");
  cred_issue->add_option("--disclose", issue.disclose,
                         "SD-JWT: a claim path to make selectively disclosable (repeatable)");
  cred_issue->add_option("--in", issue.in_file, "Unsigned credential; stdin if absent");
  VerifyArgs verify;
  auto* cred_verify = credential->add_subcommand("verify", "Verify a credential or presentation");
  cred_verify->add_option("FILE", verify.file, "The credential ('-' for stdin)")->required();
  cred_verify->add_option("--now", verify.now, "Check every time against this RFC 3339 time");
  cred_verify->add_flag("--json", verify.json, "Print the verification report as JSON");
  cred_verify->add_option("--challenge,--nonce", verify.challenge,
                          "Presentations: the expected challenge / key-binding nonce");
  cred_verify->add_option("--domain,--audience", verify.domain,
                          "Presentations: the expected domain / key-binding audience");
  cred_verify
      ->add_option("--kb-max-age", verify.kb_max_age,
                   "SD-JWT: seconds a key-binding JWT may be old (default 600)")
      ->check(CLI::Range(0, 86400));
  cred_verify
      ->add_option("--kb-max-future", verify.kb_max_future,
                   "SD-JWT: seconds a key-binding JWT may be ahead of the clock (default 60)")
      ->check(CLI::Range(0, 3600));
  cred_verify->add_option("--trust-anchors", verify.trust_anchors,
                          "PEM file of root certificates for x5c issuer chains");
  cred_verify->add_option("--trust", verify.trust,
                          "A signed trust bundle: who may issue what (works offline)");
  cred_verify->add_option("--trust-signer", verify.trust_signer,
                          "The did:key whose trust bundles are accepted");
  cred_verify->add_flag("--require-trust", verify.require_trust,
                        "An issuer that is not checked or not trusted makes the credential invalid");
  cred_verify->add_option("--status-cache", verify.status_cache,
                          "Directory to keep fetched status lists in (used by --offline)");
  cred_verify->add_flag("--offline", verify.offline,
                        "No network: DID documents from the trust bundle, lists from the cache");
  cred_issue->add_option("--status-db", issue.status_db,
                         "SQLite file of the issuer's status lists");
  cred_issue->add_option("--status-list", issue.status_lists,
                         "Enter the credential in this status list (repeatable)");

  auto* passport_cmd =
      app.add_subcommand("passport", "Staff passport credentials: typed and checked against "
                                     "their schemas");
  passport_cmd->require_subcommand(1);
  PassportIssueArgs pi;
  auto* pp_issue = passport_cmd->add_subcommand(
      "issue", "Check claims against a credential type's schema and sign them (stdout)");
  pp_issue->add_option("--type", pi.type, "identity, right_to_work, professional_registration, "
                                          "dbs, occupational_health, core_skills_training, "
                                          "corporate_induction, employment_history, "
                                          "factual_reference or qualification")
      ->required();
  auto* pp_key = pp_issue->add_option("--key", pi.issue.key_file, "Private JWK file");
  auto* pp_store =
      pp_issue->add_option("--store", pi.issue.store, "Or: an encrypted key store directory");
  auto* pp_key_id = pp_issue->add_option("--key-id", pi.issue.key_id, "With --store: key id");
  pp_key->excludes(pp_store)->excludes(pp_key_id);
  pp_store->needs(pp_key_id);
  pp_key_id->needs(pp_store);
  pp_issue->add_option("--format", pi.issue.format, "di (Data Integrity) or sd-jwt (SD-JWT VC)")
      ->check(CLI::IsMember({"di", "sd-jwt"}))
      ->capture_default_str();
  pp_issue->add_option("--kid", pi.issue.kid,
                       "The signing key's DID URL; the issuer is its DID (did:key of the key if "
                       "absent)");
  pp_issue->add_option("--holder", pi.issue.holder,
                       "The holder's JWK: SD-JWT cnf; Data Integrity subject id (its did:key)");
  pp_issue->add_option("--valid-until", pi.valid_until,
                       "Last moment of validity: YYYY-MM-DD (the end of that day) or RFC 3339");
  pp_issue->add_option("--status-db", pi.issue.status_db,
                       "SQLite file of the issuer's status lists");
  pp_issue->add_option("--status-list", pi.issue.status_lists,
                       "Enter the credential in this status list (repeatable)");
  pp_issue->add_option("--in", pi.issue.in_file,
                       "The claims (credentialSubject) as JSON; stdin if absent");
  PresentArgs pp_present_args;
  auto* pp_present = passport_cmd->add_subcommand(
      "present", "Present a passport SD-JWT; without --disclose, the type's default disclosures");
  pp_present->add_option("FILE", pp_present_args.file, "The SD-JWT ('-' for stdin)")->required();
  pp_present->add_option("--disclose", pp_present_args.disclose,
                         "A claim path to reveal instead of the defaults (repeatable)");
  pp_present->add_option("--holder-key", pp_present_args.holder_key, "The holder's private JWK");
  pp_present->add_option("--nonce", pp_present_args.nonce, "The verifier's nonce");
  pp_present->add_option("--audience", pp_present_args.audience, "The verifier (aud)");
  std::string schema_type;
  auto* pp_schema =
      passport_cmd->add_subcommand("schema", "Print a credential type's JSON Schema");
  pp_schema->add_option("TYPE", schema_type, "The credential type, e.g. dbs")->required();

  auto* trust_cmd = app.add_subcommand("trust", "Trust registry and signed trust bundles");
  trust_cmd->require_subcommand(1);
  auto* bundle_cmd = trust_cmd->add_subcommand("bundle", "Signed trust bundles");
  bundle_cmd->require_subcommand(1);
  TrustBundleArgs tb;
  auto* bundle_build =
      bundle_cmd->add_subcommand("build", "Sign a registry and its DID documents as a bundle");
  bundle_build->add_option("--registry", tb.registry, "Trust registry file (JSON)")->required();
  bundle_build->add_option("--key", tb.key_file, "The bundle signer's private JWK")->required();
  bundle_build->add_option("--out", tb.out, "Bundle file to write; stdout if absent");
  bundle_build->add_option("--did-document", tb.did_documents,
                           "A DID document to include as is (repeatable); others are fetched");
  bundle_build->add_option("--validity-days", tb.validity_days, "How long the bundle is valid")
      ->check(CLI::Range(1, 366))
      ->capture_default_str();

  auto* status_cmd = app.add_subcommand("status", "Revocation and suspension lists");
  status_cmd->require_subcommand(1);
  auto* list_cmd = status_cmd->add_subcommand("list", "Create, change and publish status lists");
  list_cmd->require_subcommand(1);
  StatusListArgs sl;
  auto add_common = [&](CLI::App* c) {
    c->add_option("--db", sl.db, "The issuer's status database (SQLite)")->required();
    c->add_option("--id", sl.id, "The list's name")->required();
  };
  auto* sl_create = list_cmd->add_subcommand("create", "Create a status list");
  add_common(sl_create);
  sl_create->add_option("--url", sl.url, "Where the list will be published")->required();
  sl_create->add_option("--format", sl.format, "bitstring (Data Integrity) or token (SD-JWT VC)")
      ->check(CLI::IsMember({"bitstring", "token"}))
      ->capture_default_str();
  sl_create->add_option("--purpose", sl.purpose, "bitstring: revocation or suspension");
  sl_create->add_option("--size", sl.size, "Entries (at least 131072 for bitstring)")
      ->capture_default_str();
  sl_create->add_option("--issuer", sl.issuer, "The issuer (DID) the list is published as");
  sl_create->add_option("--key", sl.key_file, "Or: the issuer's key (its did:key is the issuer)");
  std::map<CLI::App*, std::string> changes;
  for (const char* action : {"revoke", "suspend", "reinstate"}) {
    auto* c = list_cmd->add_subcommand(action, std::string("Mark an entry: ") + action);
    add_common(c);
    c->add_option("--index", sl.index, "The entry's index")->required();
    c->add_option("--reason", sl.reason, "Why (recorded)")->required();
    changes[c] = action;
  }
  auto* sl_publish = list_cmd->add_subcommand("publish", "Print the signed list");
  add_common(sl_publish);
  sl_publish->add_option("--key", sl.key_file, "The issuer's private JWK")->required();
  sl_publish->add_option("--kid", sl.kid, "The signing key's DID URL (did:key of --key if absent)");
  sl_publish->add_option("--out", sl.out, "File to write; stdout if absent");
  sl_publish->add_option("--validity-hours", sl.validity_hours, "How long the list is valid")
      ->check(CLI::Range(1, 24 * 366))
      ->capture_default_str();
  sl_publish->add_option("--ttl", sl.ttl_seconds, "Seconds verifiers may cache it")
      ->check(CLI::Range(0, 7 * 86400))
      ->capture_default_str();
  auto* sl_show = list_cmd->add_subcommand("show", "Show a list, or one entry and its history");
  add_common(sl_show);
  sl_show->add_option("--index", sl.index, "The entry");
  PresentArgs present;
  auto* cred_present =
      credential->add_subcommand("present", "Make an SD-JWT presentation revealing chosen claims");
  cred_present->add_option("FILE", present.file, "The SD-JWT ('-' for stdin)")->required();
  cred_present->add_option("--disclose", present.disclose, "A claim path to reveal (repeatable)");
  cred_present->add_option("--holder-key", present.holder_key, "The holder's private JWK");
  cred_present->add_option("--nonce", present.nonce, "The verifier's nonce");
  cred_present->add_option("--audience", present.audience, "The verifier (aud)");

  auto* readiness_cmd =
      app.add_subcommand("readiness", "Decide what a receiving organisation may rely on");
  readiness_cmd->require_subcommand(1);
  ReadinessArgs rd;
  auto* rd_check = readiness_cmd->add_subcommand(
      "check", "One person starting in one role: a decision per check, with reasons");
  rd_check->add_option("--profile", rd.profile, "A built-in profile id, or a profile file")
      ->required();
  rd_check->add_option("--movement", rd.movement,
                       "permanent_transfer, rotation_lead_employer, temporary_move, bank, "
                       "collaborative_bank or agency")
      ->required();
  rd_check->add_option("--agreement", rd.agreements,
                       "An agreement in force beside the registry's (repeatable)")
      ->allow_extra_args(false);
  rd_check->add_option("--start", rd.start, "The start date, YYYY-MM-DD")->required();
  rd_check->add_option("--from", rd.from, "The sending organisation's ODS code")->required();
  rd_check->add_option("--receiving", rd.receiving, "The receiving organisation's ODS code")
      ->required();
  rd_check->add_option("--window-days", rd.window_days,
                       "Flag what lapses within this many days of the start")
      ->check(CLI::Range(0, 366))
      ->capture_default_str();
  rd_check->add_option("--live", rd.live, "The live-service simulator file");
  rd_check->add_option("--override", rd.overrides, "CHECK=DECISION (repeatable)")
      ->allow_extra_args(false);
  rd_check->add_option("--reason", rd.reasons, "Why, one per --override")
      ->allow_extra_args(false);
  rd_check->add_option("--by", rd.by, "Who, one per --override")
      ->allow_extra_args(false);
  rd_check->add_flag("--json", rd.json, "Print the decision as JSON");
  rd_check->add_option("--now", rd.verify.now, "Check every time against this RFC 3339 time");
  rd_check->add_option("--trust", rd.verify.trust, "A signed trust bundle");
  rd_check->add_option("--trust-signer", rd.verify.trust_signer, "The bundle signer to accept");
  rd_check->add_option("--status-cache", rd.verify.status_cache, "Status-list cache directory");
  rd_check->add_flag("--offline", rd.verify.offline, "No network: caches and the bundle only");
  rd_check->add_option("--nonce,--challenge", rd.verify.challenge, "Presentations: the nonce");
  rd_check->add_option("--audience,--domain", rd.verify.domain, "Presentations: the audience");
  rd_check->add_option("CREDENTIAL", rd.credentials, "Credential or presentation files")
      ->required();
  auto* profile_cmd = app.add_subcommand("profile", "Role requirement profiles");
  profile_cmd->require_subcommand(1);
  std::string profile_arg;
  auto* profile_validate =
      profile_cmd->add_subcommand("validate", "Check a profile file and summarise it");
  profile_validate->add_option("FILE", profile_arg, "A profile file ('-' for stdin)")->required();
  auto* profile_show = profile_cmd->add_subcommand("show", "Print a profile in the file format");
  profile_show->add_option("NAME", profile_arg, "A built-in profile's id, or a profile file")
      ->required();

  DemoDataArgs dd;
  auto* demo_data = app.add_subcommand(
      "demo-data", "Write a seeded synthetic workforce with real credentials (demos, load tests)");
  demo_data->add_option("--staff", dd.staff, "How many staff")->check(CLI::Range(1, 1000000));
  demo_data->add_option("--seed", dd.seed, "The seed (the same seed writes the same files)");
  demo_data->add_option("--out", dd.out, "The directory to write")->required();
  ReadinessBatchArgs rb;
  auto* rd_batch = readiness_cmd->add_subcommand(
      "batch", "A whole cohort (a changeover day): who is cleared, who is blocked and on what");
  rd_batch->add_option("--cohort", rb.cohort, "The cohort file (JSON)")->required();
  rd_batch->add_option("--live", rb.live, "The live-service simulator file");
  rd_batch->add_option("--threads", rb.threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(0, 256));
  rd_batch->add_flag("--json", rb.json, "Print the result as JSON");
  rd_batch->add_option("--now", rb.verify.now, "Check every time against this RFC 3339 time");
  rd_batch->add_option("--trust", rb.verify.trust, "A signed trust bundle");
  rd_batch->add_option("--trust-signer", rb.verify.trust_signer, "The bundle signer to accept");
  rd_batch->add_option("--status-cache", rb.verify.status_cache, "Status-list cache directory");
  rd_batch->add_flag("--offline", rb.verify.offline, "No network: caches and the bundle only");
  auto run_service_command = AddServiceCommands(app, env);
  auto run_backup_command = AddBackupCommands(app, env);
  auto run_analytics_command = AddAnalyticsCommands(app, env);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11's own exit codes run above 100; the contract is 0 for --help/--version, else 2.
    return app.exit(e, *env.out, *env.err) == 0 ? kExitOk : kExitUsage;
  }
  if (key_generate->parsed()) return KeyGenerate(env, gen);
  if (key_did->parsed()) return KeyDid(env, did_file);
  if (key_did_document->parsed()) return KeyDidDocument(env, did_doc);
  if (key_list->parsed()) return KeyList(env, list_store);
  if (cred_issue->parsed()) return CredentialIssue(env, issue);
  if (cred_verify->parsed()) return CredentialVerify(env, verify);
  if (cred_present->parsed()) return CredentialPresent(env, present);
  if (pp_issue->parsed()) return PassportIssue(env, pi);
  if (pp_present->parsed()) return PassportPresent(env, pp_present_args);
  if (pp_schema->parsed()) return PassportSchema(env, schema_type);
  if (bundle_build->parsed()) return TrustBundleBuild(env, tb);
  if (rd_check->parsed()) return ReadinessCheck(env, rd);
  if (rd_batch->parsed()) return ReadinessBatch(env, rb);
  if (demo_data->parsed()) return DemoData(env, dd);
  if (sl_create->parsed()) return StatusListCreate(env, sl);
  if (sl_publish->parsed()) return StatusListPublish(env, sl);
  if (sl_show->parsed()) return StatusListShow(env, sl);
  if (profile_validate->parsed()) return ProfileValidate(env, profile_arg);
  if (profile_show->parsed()) return ProfileShow(env, profile_arg);
  for (const auto& [command, action] : changes) {
    if (command->parsed()) return StatusListChange(env, sl, action);
  }
  if (auto code = run_service_command()) return *code;
  if (auto code = run_backup_command()) return *code;
  if (auto code = run_analytics_command()) return *code;
  *env.err << app.help();
  return kExitUsage;
}

}  // namespace lanyard::cli
