// Trust bundles and status lists at the command line.
#include <iostream>
#include <map>

#include "lanyard/cli/cli_io.h"
#include "lanyard/cli/commands.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/did_web.h"
#include "lanyard/json/canonical.h"
#include "lanyard/service/status_service.h"
#include "lanyard/store/status_store.h"
#include "lanyard/trust/trust_bundle.h"

namespace lanyard::cli {
namespace {

// A registry with its DID documents can be large; 64 MiB holds every NHS organisation.
constexpr size_t kMaxRegistryBytes = 64 * 1024 * 1024;

Result<service::StatusAction> ParseAction(const std::string& action) {
  if (action == "revoke") return service::StatusAction::kRevoke;
  if (action == "suspend") return service::StatusAction::kSuspend;
  if (action == "reinstate") return service::StatusAction::kReinstate;
  return MakeError(Code::kInvalidArgument, "usage", "unknown action " + action);
}

std::string ValueName(const store::StatusListRecord& list, uint8_t value) {
  if (list.format == store::ListFormat::kToken) {
    return value == 0 ? "valid" : value == 1 ? "revoked" : value == 2 ? "suspended" : "other";
  }
  if (value == 0) return "valid";
  return list.purpose == "revocation" ? "revoked" : "suspended";
}

}  // namespace

int KeyDidDocument(const Environment& env, const DidDocumentArgs& args) {
  if (!did::DidMethod(args.did).ok() || args.did.find('#') != std::string::npos) {
    return Usage(env, MakeError(Code::kInvalidArgument, "did.invalid",
                                "--did must be a DID (did:web:...), without a fragment"));
  }
  if (!args.fragments.empty() && args.fragments.size() != args.key_files.size()) {
    return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                "give one --fragment per --key, or none"));
  }
  did::DidDocument doc;
  doc.id = args.did;
  for (size_t i = 0; i < args.key_files.size(); ++i) {
    auto jwk = ReadJsonObject(args.key_files[i], args.key_files[i].c_str());
    if (!jwk.ok()) return Usage(env, jwk.error());
    auto key = crypto::PublicKeyFromJwk(*jwk);  // only the public part is published
    if (!key.ok()) return Usage(env, key.error());
    std::string fragment =
        args.fragments.empty() ? "key-" + std::to_string(i + 1) : args.fragments[i];
    std::string id = args.did + "#" + fragment;
    doc.verification_methods.push_back({id, args.did, *key});
    doc.assertion_method.push_back(id);
  }
  // Written, then read back by the same parser a verifier uses, so what is printed resolves.
  json::Value out = did::DidDocumentToJson(doc);
  auto check = did::ParseDidDocument(out, args.did);
  if (!check.ok()) return Usage(env, check.error());
  *env.out << json::Serialize(out, 2) << "\n";
  return kExitOk;
}

int TrustBundleBuild(const Environment& env, const TrustBundleArgs& args) {
  auto text = ReadInput(args.registry, kMaxRegistryBytes);
  if (!text.ok()) return Usage(env, text.error());
  auto registry = trust::TrustRegistry::FromText(*text);
  if (!registry.ok()) return Usage(env, registry.error());
  auto key = ReadPrivateKey(args.key_file);
  if (!key.ok()) return Usage(env, key.error());
  std::map<std::string, did::DidDocument> documents;
  for (const auto& file : args.did_documents) {
    auto doc_text = ReadInput(file);
    if (!doc_text.ok()) return Usage(env, doc_text.error());
    auto doc = did::ParseDidDocumentText(*doc_text, "");
    if (!doc.ok()) {
      return Usage(env, MakeError(Code::kInvalidArgument, doc.error().reason,
                                  file + ": " + doc.error().message));
    }
    documents.emplace(doc->id, *std::move(doc));
  }
  // Every did:web the registry names travels in the bundle, so verifiers need no network.
  for (const auto& org : registry->organisations()) {
    for (const auto& id : org.identifiers) {
      if (id.rfind("did:web:", 0) != 0 || documents.count(id) != 0) continue;
      auto doc = env.resolver->Resolve(id);
      if (!doc.ok()) {
        return Usage(env, MakeError(Code::kUnavailable, doc.error().reason,
                                    "the DID document of " + org.name + " (" + id +
                                        ") is needed for the bundle: " + doc.error().message +
                                        "; give it with --did-document"));
      }
      documents.emplace(id, *std::move(doc));
    }
  }
  trust::BundleBuildOptions options;
  options.now = env.clock->Now();
  options.lifetime = std::chrono::hours(24) * args.validity_days;
  auto bundle = trust::BuildTrustBundle(*registry, documents, *key, options);
  if (!bundle.ok()) return Usage(env, bundle.error());
  Status written = WriteOutput(env, args.out, json::Serialize(*bundle, 2) + "\n");
  if (!written.ok()) return Usage(env, written.error());
  *env.err << "Trust bundle: registry serial " << registry->serial() << ", "
           << registry->organisations().size() << " organisations, "
           << registry->authorisations().size() << " authorisations, "
           << registry->agreements().size() << " agreements, " << documents.size()
           << " DID documents; signed by " << did::DidKeyFromPublicKey(key->public_key())
           << "\n";
  return kExitOk;
}

int StatusListCreate(const Environment& env, const StatusListArgs& args) {
  auto format = store::ParseListFormat(args.format);
  if (!format.ok()) return Usage(env, format.error());
  store::StatusListRecord list;
  list.id = args.id;
  list.format = *format;
  list.purpose = !args.purpose.empty() ? args.purpose
                 : *format == store::ListFormat::kToken ? "status"
                                                        : "revocation";
  list.size = args.size;
  list.url = args.url;
  list.created = env.clock->Now();
  if (args.issuer) {
    list.issuer = *args.issuer;
  } else if (args.key_file) {
    auto key = ReadPrivateKey(*args.key_file);
    if (!key.ok()) return Usage(env, key.error());
    list.issuer = did::DidKeyFromPublicKey(key->public_key());
  } else {
    return Usage(env, MakeError(Code::kInvalidArgument, "usage",
                                "give the list's issuer: --issuer DID, or --key FILE for its did:key"));
  }
  auto store = store::NewSqliteStatusStore(args.db);
  if (!store.ok()) return Usage(env, store.error());
  service::StatusService service(**store, *env.clock);
  Status created = service.CreateList(list);
  if (!created.ok()) return Usage(env, created.error());
  *env.out << "Created " << store::ListFormatName(list.format) << " status list " << list.id
           << " (" << list.purpose << ", " << list.size << " entries), published at " << list.url
           << ", issuer " << list.issuer << "\n";
  return kExitOk;
}

int StatusListChange(const Environment& env, const StatusListArgs& args,
                     const std::string& action_name) {
  auto action = ParseAction(action_name);
  if (!action.ok()) return Usage(env, action.error());
  if (!args.index) {
    return Usage(env, MakeError(Code::kInvalidArgument, "usage", "give the entry's --index"));
  }
  auto store = store::NewSqliteStatusStore(args.db);
  if (!store.ok()) return Usage(env, store.error());
  service::StatusService service(**store, *env.clock);
  auto entry = service.Apply(args.id, *args.index, *action, args.reason);
  if (!entry.ok()) return Usage(env, entry.error());
  auto list = (*store)->GetList(args.id);
  if (!list.ok()) return Usage(env, list.error());
  *env.out << "Entry " << entry->index << " of " << args.id << " (" << entry->credential_id
           << ") is now " << ValueName(*list, entry->value) << ": " << entry->reason
           << ". Publish the list for verifiers to see it.\n";
  return kExitOk;
}

int StatusListPublish(const Environment& env, const StatusListArgs& args) {
  if (!args.key_file) {
    return Usage(env, MakeError(Code::kInvalidArgument, "usage", "give the issuer's --key"));
  }
  auto key = ReadPrivateKey(*args.key_file);
  if (!key.ok()) return Usage(env, key.error());
  auto store = store::NewSqliteStatusStore(args.db);
  if (!store.ok()) return Usage(env, store.error());
  service::StatusService service(**store, *env.clock);
  service::ListSigner signer{&*key, args.kid ? *args.kid : did::DidKeyMethodId(key->public_key())};
  service::PublishOptions options;
  options.validity = std::chrono::hours(args.validity_hours);
  options.ttl = std::chrono::seconds(args.ttl_seconds);
  auto published = service.Publish(args.id, signer, options);
  if (!published.ok()) return Usage(env, published.error());
  Status written = WriteOutput(env, args.out, *published + "\n");
  if (!written.ok()) return Usage(env, written.error());
  return kExitOk;
}

int StatusListShow(const Environment& env, const StatusListArgs& args) {
  auto store = store::NewSqliteStatusStore(args.db);
  if (!store.ok()) return Usage(env, store.error());
  auto list = (*store)->GetList(args.id);
  if (!list.ok()) return Usage(env, list.error());
  if (!args.index) {
    auto used = (*store)->CountReserved(args.id);
    auto set = (*store)->NonZero(args.id);
    if (!used.ok()) return Usage(env, used.error());
    if (!set.ok()) return Usage(env, set.error());
    *env.out << list->id << ": " << store::ListFormatName(list->format) << " " << list->purpose
             << " list of " << list->size << " entries at " << list->url << ", issuer "
             << list->issuer << "; " << *used << " allocated, " << set->size()
             << " not valid\n";
    return kExitOk;
  }
  auto history = (*store)->History(args.id, *args.index);
  if (!history.ok()) return Usage(env, history.error());
  auto entry = (*store)->GetEntry(args.id, *args.index);
  if (!entry.ok()) return Usage(env, entry.error());
  *env.out << "Entry " << entry->index << " of " << list->id << " (" << entry->credential_id
           << "): " << ValueName(*list, entry->value) << "\n";
  for (const auto& change : *history) {
    *env.out << "  " << FormatRfc3339(change.at) << "  " << ValueName(*list, change.value) << "  "
             << change.reason << "\n";
  }
  return kExitOk;
}

}  // namespace lanyard::cli
