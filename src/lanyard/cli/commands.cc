#include "lanyard/cli/commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/sdjwt/sd_jwt_vc.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"
#include "lanyard/verify/verifier.h"

namespace lanyard::cli {
namespace {

// Largest file any command reads: credentials and keys are kilobytes; a bigger file is refused
// before it is read whole.
constexpr size_t kMaxInputBytes = 2 * 1024 * 1024;

// Reads a file (or stdin for "-"), refusing more than kMaxInputBytes.
Result<std::string> ReadInput(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return MakeError(Code::kInvalidArgument, "input.unreadable",
                       "cannot read " + path + ": it is a directory");
    }
    file.open(path, std::ios::binary);
    if (!file) {
      return MakeError(Code::kNotFound, "input.unreadable",
                       "cannot read " + path + ": " + std::strerror(errno));
    }
    in = &file;
  }
  std::string data;
  char buf[65536];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    data.append(buf, static_cast<size_t>(in->gcount()));
    if (data.size() > kMaxInputBytes) {
      return MakeError(Code::kResourceExhausted, "input.too_large",
                       (path == "-" ? std::string("standard input") : path) + " is larger than " +
                           std::to_string(kMaxInputBytes) + " bytes");
    }
  }
  return data;
}

// Writes `text` to a new file readable only by its owner (private keys).
Status WritePrivateFile(const std::string& path, const std::string& text) {
  // O_NOFOLLOW: a symbolic link planted at the path must not redirect a private key elsewhere.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return MakeError(Code::kUnavailable, "output.unwritable",
                     "cannot write " + path + ": " + std::strerror(errno));
  }
  // An existing file keeps its old mode through O_TRUNC: tighten it before writing secrets.
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return MakeError(Code::kUnavailable, "output.unwritable",
                     "cannot write " + path + ": " + std::strerror(errno));
  }
  return OkStatus();
}

Result<json::Value> ReadJsonObject(const std::string& path, const char* what) {
  LANYARD_ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  auto value = json::Parse(text);
  if (!value.ok()) {
    return MakeError(Code::kInvalidArgument, value.error().reason,
                     std::string(what) + " is not usable JSON: " + value.error().message);
  }
  if (!value->is_object()) {
    return MakeError(Code::kInvalidArgument, "input.not_object",
                     std::string(what) + " must be a JSON object");
  }
  return value;
}

Result<crypto::PrivateKey> ReadPrivateKey(const std::string& path) {
  LANYARD_ASSIGN_OR_RETURN(json::Value jwk, ReadJsonObject(path, path.c_str()));
  auto key = crypto::PrivateKeyFromJwk(jwk);
  if (!key.ok()) {
    return MakeError(Code::kInvalidArgument, key.error().reason, path + ": " + key.error().message);
  }
  return key;
}

Result<std::unique_ptr<crypto::KeyStore>> OpenStore(const Environment& env,
                                                    const std::string& directory) {
  if (!env.keystore_secret) {
    return MakeError(Code::kFailedPrecondition, "keystore.no_secret", "no key store secret");
  }
  LANYARD_ASSIGN_OR_RETURN(crypto::KeyStoreSecret secret, env.keystore_secret());
  return crypto::OpenFileKeyStore(directory, secret);
}

int Usage(const Environment& env, const Error& e) {
  *env.err << "lanyard: " << e.message << "\n";
  return kExitUsage;
}

// Failures that make a document unfit to sign. Only the validity window itself is not among
// them: a credential may be issued before it starts being valid, but not with dates that no
// verifier can read.
bool IsStructural(const std::string& code) {
  return code != "validity.not_yet_valid" && code != "validity.expired";
}

Result<std::vector<formats::sdjwt::ClaimPath>> ParsePaths(const std::vector<std::string>& texts) {
  std::vector<formats::sdjwt::ClaimPath> paths;
  for (const auto& t : texts) {
    LANYARD_ASSIGN_OR_RETURN(formats::sdjwt::ClaimPath p, formats::sdjwt::ParseClaimPath(t));
    paths.push_back(std::move(p));
  }
  return paths;
}

int IssueSdJwtVc(const Environment& env, const IssueArgs& args, const crypto::Signer& signer) {
  if (signer.type() == crypto::KeyType::kSecp256k1) {
    return Usage(env, MakeError(Code::kInvalidArgument, "jws.alg_unsupported",
                                "SD-JWT VCs are signed with Ed25519 or P-256 keys"));
  }
  auto payload = ReadJsonObject(args.in_file, "the SD-JWT VC payload");
  if (!payload.ok()) return Usage(env, payload.error());
  formats::sdjwt::VcIssueOptions options;
  options.now = env.clock->Now();
  auto paths = ParsePaths(args.disclose);
  if (!paths.ok()) return Usage(env, paths.error());
  options.disclosable = std::move(paths).value();
  options.kid = args.kid;
  if (args.holder) {
    auto jwk = ReadJsonObject(*args.holder, "the holder key");
    if (!jwk.ok()) return Usage(env, jwk.error());
    // Only the public members go into cnf.jwk, even when the file holds a private key.
    auto holder = crypto::PublicKeyFromJwk(*jwk);
    if (!holder.ok()) return Usage(env, holder.error());
    options.holder_key = *holder;
  }
  auto token = formats::sdjwt::IssueSdJwtVc(std::move(payload).value(), options, signer);
  if (!token.ok()) return Usage(env, token.error());
  *env.out << *token << "\n";
  return kExitOk;
}

}  // namespace

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
  std::shared_ptr<const crypto::Signer> signer;
  std::string key_name;
  if (args.store) {
    if (!args.key_id) {
      return Usage(env, MakeError(Code::kInvalidArgument, "usage", "--store needs --key-id"));
    }
    auto store = OpenStore(env, *args.store);
    if (!store.ok()) return Usage(env, store.error());
    auto from_store = (*store)->GetSigner(*args.key_id);
    if (!from_store.ok()) return Usage(env, from_store.error());
    signer = *from_store;
    key_name = "key " + *args.key_id;
  } else {
    if (args.key_file.empty()) {
      return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                  "give --key FILE, or --store DIR with --key-id ID"));
    }
    auto key = ReadPrivateKey(args.key_file);
    if (!key.ok()) return Usage(env, key.error());
    signer = std::make_shared<crypto::PrivateKey>(std::move(key).value());
    key_name = args.key_file;
  }
  if (args.format == "sd-jwt") return IssueSdJwtVc(env, args, *signer);
  if (signer->type() != formats::di::SuiteKeyType(*suite)) {
    return Usage(env,
                 MakeError(Code::kInvalidArgument, "proof.key_type_mismatch",
                           std::string(formats::di::CryptosuiteName(*suite)) + " needs a " +
                               std::string(crypto::KeyTypeName(formats::di::SuiteKeyType(*suite))) +
                               " key, and " + key_name + " is a " +
                               std::string(crypto::KeyTypeName(signer->type())) + " key"));
  }
  TimePoint created = env.clock->Now();
  if (args.created) {
    auto t = ParseRfc3339(*args.created);
    if (!t.ok()) return Usage(env, t.error());
    created = *t;
  }
  auto credential = ReadJsonObject(args.in_file, "the credential");
  if (!credential.ok()) return Usage(env, credential.error());
  std::string did = did::DidKeyFromPublicKey(signer->public_key());
  if (credential->Find("issuer") == nullptr) {
    credential->Set("issuer", did);
  } else if (formats::vc::IssuerId(*credential) != did) {
    *env.err << "lanyard: warning: the credential's issuer is not " << did
             << ", the DID of this key, so verifiers will refuse it (issuer.not_signer)\n";
  }
  verify::VerificationReport structure;
  formats::vc::CheckCredential(*credential, created, "credential", &structure);
  for (const auto& failure : structure.Failures()) {
    if (IsStructural(failure.code)) {
      *env.err << "lanyard: refusing to sign: " << failure.message << " (" << failure.code << ")\n";
      return kExitUsage;
    }
  }
  formats::di::ProofOptions options;
  options.suite = *suite;
  options.verification_method = did::DidKeyMethodId(signer->public_key());
  options.created = created;
  auto signed_credential = formats::di::AddProof(std::move(credential).value(), options, *signer);
  if (!signed_credential.ok()) return Usage(env, signed_credential.error());
  *env.out << json::Serialize(*signed_credential, 2) << "\n";
  return kExitOk;
}

int CredentialPresent(const Environment& env, const PresentArgs& args) {
  auto text = ReadInput(args.file);
  if (!text.ok()) return Usage(env, text.error());
  auto paths = ParsePaths(args.disclose);
  if (!paths.ok()) return Usage(env, paths.error());
  std::optional<crypto::PrivateKey> holder;
  formats::sdjwt::KeyBindingRequest kb;
  if (args.holder_key || args.nonce || args.audience) {
    if (!args.holder_key || !args.nonce || !args.audience) {
      return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                  "key binding needs all of --holder-key, --nonce and --audience"));
    }
    auto key = ReadPrivateKey(*args.holder_key);
    if (!key.ok()) return Usage(env, key.error());
    holder.emplace(std::move(key).value());
    kb = {&*holder, *args.nonce, *args.audience, env.clock->Now()};
  }
  auto presentation = formats::sdjwt::PresentSdJwt(*text, *paths, holder ? &kb : nullptr);
  if (!presentation.ok()) return Usage(env, presentation.error());
  *env.out << *presentation << "\n";
  return kExitOk;
}

int CredentialVerify(const Environment& env, const VerifyArgs& args) {
  verify::VerifyOptions options;
  options.now = env.clock->Now();
  if (args.now) {
    auto t = ParseRfc3339(*args.now);
    if (!t.ok()) return Usage(env, t.error());
    options.now = *t;
  }
  options.challenge = args.challenge;
  options.domain = args.domain;
  std::optional<crypto::TrustAnchors> anchors;
  if (args.trust_anchors) {
    auto pem = ReadInput(*args.trust_anchors);
    if (!pem.ok()) return Usage(env, pem.error());
    auto loaded = crypto::LoadTrustAnchorsPem(*pem);
    if (!loaded.ok()) return Usage(env, loaded.error());
    anchors.emplace(std::move(loaded).value());
    options.anchors = &*anchors;
  }
  options.http = env.http.get();
  if (args.kb_max_age) options.kb_max_age = std::chrono::seconds(*args.kb_max_age);
  if (args.kb_max_future) options.kb_max_future = std::chrono::seconds(*args.kb_max_future);
  verify::VerificationReport report;
  auto text = ReadInput(args.file);
  if (!text.ok()) {
    if (text.error().reason == "input.unreadable") return Usage(env, text.error());
    report.FailUnusable(text.error().reason, text.error().message + ".");
  } else {
    report = verify::VerifyDocumentText(*text, *env.resolver, options);
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
  PresentArgs present;
  auto* cred_present =
      credential->add_subcommand("present", "Make an SD-JWT presentation revealing chosen claims");
  cred_present->add_option("FILE", present.file, "The SD-JWT ('-' for stdin)")->required();
  cred_present->add_option("--disclose", present.disclose, "A claim path to reveal (repeatable)");
  cred_present->add_option("--holder-key", present.holder_key, "The holder's private JWK");
  cred_present->add_option("--nonce", present.nonce, "The verifier's nonce");
  cred_present->add_option("--audience", present.audience, "The verifier (aud)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11's own exit codes run above 100; the contract is 0 for --help/--version, else 2.
    return app.exit(e, *env.out, *env.err) == 0 ? kExitOk : kExitUsage;
  }
  if (key_generate->parsed()) return KeyGenerate(env, gen);
  if (key_did->parsed()) return KeyDid(env, did_file);
  if (key_list->parsed()) return KeyList(env, list_store);
  if (cred_issue->parsed()) return CredentialIssue(env, issue);
  if (cred_verify->parsed()) return CredentialVerify(env, verify);
  if (cred_present->parsed()) return CredentialPresent(env, present);
  *env.err << app.help();
  return kExitUsage;
}

}  // namespace lanyard::cli
