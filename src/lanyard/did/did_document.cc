#include "lanyard/did/did_document.h"

#include <set>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/json/parser.h"

namespace lanyard::did {
namespace {

Error Invalid(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "did.document_invalid",
                   "the DID document is not usable: " + why);
}

// "#key-1" is relative to the document; anything else must already be a DID URL.
std::string Absolute(const std::string& doc_id, const std::string& id) {
  return !id.empty() && id[0] == '#' ? doc_id + id : id;
}

bool IsKnownMethodType(std::string_view type) {
  return type == "Multikey" || type == "JsonWebKey" || type == "JsonWebKey2020";
}

// Reads one verification method; nullopt for a type Lanyard does not use.
Result<std::optional<VerificationMethod>> ReadMethod(const json::Value& m,
                                                     const std::string& doc_id) {
  if (!m.is_object()) return Invalid("a verification method is not an object");
  const std::string* id = m.FindString("id");
  const std::string* type = m.FindString("type");
  if (id == nullptr || id->empty() || type == nullptr) {
    return Invalid("a verification method lacks its id or type");
  }
  if (!IsKnownMethodType(*type)) return std::optional<VerificationMethod>();
  std::string method_id = Absolute(doc_id, *id);
  auto url = ParseDidUrl(method_id);
  if (!url.ok() || url->fragment.empty() || url->did != doc_id) {
    return Invalid("the verification method id \"" + method_id.substr(0, 120) +
                   "\" is not a DID URL of " + doc_id.substr(0, 120));
  }
  const std::string* controller = m.FindString("controller");
  std::string name = method_id.substr(0, 120);
  Result<crypto::PublicKey> key = Invalid(name + " has no public key");
  if (*type == "Multikey") {
    const std::string* mb = m.FindString("publicKeyMultibase");
    if (mb == nullptr) return Invalid(name + " has no publicKeyMultibase");
    key = crypto::PublicKeyFromMultikey(*mb);
  } else {
    const json::Value* jwk = m.Find("publicKeyJwk");
    if (jwk == nullptr) return Invalid(name + " has no publicKeyJwk");
    if (jwk->Find("d") != nullptr) return Invalid(name + " publishes a private key");
    key = crypto::PublicKeyFromJwk(*jwk);
  }
  if (!key.ok()) return Invalid(name + ": " + key.error().message);
  VerificationMethod out{std::move(method_id), controller != nullptr ? *controller : doc_id,
                         *std::move(key)};
  return std::optional<VerificationMethod>(std::move(out));
}

Status AddMethod(DidDocument* doc, std::set<std::string>* ids, VerificationMethod method) {
  if (!ids->insert(method.id).second) {
    return Invalid("two verification methods share the id " + method.id.substr(0, 120));
  }
  doc->verification_methods.push_back(std::move(method));
  return {};
}

Status ReadRelationship(const json::Value& document, std::string_view name, DidDocument* doc,
                        std::set<std::string>* ids, std::vector<std::string>* out) {
  const json::Value* rel = document.Find(name);
  if (rel == nullptr) return {};
  if (!rel->is_array()) return Invalid(std::string(name) + " is not a list");
  for (const auto& entry : rel->as_array()) {
    if (entry.is_string()) {
      out->push_back(Absolute(doc->id, entry.as_string()));
      continue;
    }
    LANYARD_ASSIGN_OR_RETURN(auto method, ReadMethod(entry, doc->id));
    if (!method) continue;
    out->push_back(method->id);
    LANYARD_TRY(AddMethod(doc, ids, *std::move(method)));
  }
  return {};
}

}  // namespace

Result<DidDocument> ParseDidDocument(const json::Value& document, std::string_view expected_did) {
  if (!document.is_object()) return Invalid("it is not a JSON object");
  const std::string* id = document.FindString("id");
  if (id == nullptr) return Invalid("it has no id");
  if (!DidMethod(*id).ok() || id->find('#') != std::string::npos) {
    return Invalid("its id \"" + id->substr(0, 120) + "\" is not a DID");
  }
  if (!expected_did.empty() && *id != expected_did) {
    return MakeError(Code::kInvalidArgument, "did.id_mismatch",
                     "the document served for " + std::string(expected_did.substr(0, 120)) +
                         " describes " + id->substr(0, 120));
  }
  DidDocument doc;
  doc.id = *id;
  std::set<std::string> ids;
  if (const json::Value* vms = document.Find("verificationMethod")) {
    if (!vms->is_array()) return Invalid("verificationMethod is not a list");
    for (const auto& m : vms->as_array()) {
      LANYARD_ASSIGN_OR_RETURN(auto method, ReadMethod(m, doc.id));
      if (method) LANYARD_TRY(AddMethod(&doc, &ids, *std::move(method)));
    }
  }
  // References to methods of unknown types stay unresolvable rather than invalid: such a method
  // simply cannot sign anything Lanyard accepts.
  std::set<std::string> skipped;
  if (const json::Value* vms = document.Find("verificationMethod"); vms != nullptr) {
    for (const auto& m : vms->as_array()) {
      const std::string* type = m.FindString("type");
      const std::string* mid = m.FindString("id");
      if (type != nullptr && mid != nullptr && !IsKnownMethodType(*type)) {
        skipped.insert(Absolute(doc.id, *mid));
      }
    }
  }
  LANYARD_TRY(ReadRelationship(document, "assertionMethod", &doc, &ids, &doc.assertion_method));
  LANYARD_TRY(ReadRelationship(document, "authentication", &doc, &ids, &doc.authentication));
  for (auto* rel : {&doc.assertion_method, &doc.authentication}) {
    for (const auto& ref : *rel) {
      if (ids.count(ref) == 0 && skipped.count(ref) == 0) {
        return Invalid("a verification relationship names " + ref.substr(0, 120) +
                       ", which the document does not contain");
      }
    }
    // A reference to a method of a type Lanyard does not read can authorise nothing here.
    std::erase_if(*rel, [&](const std::string& ref) { return ids.count(ref) == 0; });
  }
  return doc;
}

Result<DidDocument> ParseDidDocumentText(std::string_view text, std::string_view expected_did,
                                         size_t max_bytes) {
  if (text.size() > max_bytes) {
    return MakeError(Code::kResourceExhausted, "did.document_too_large",
                     "the DID document is " + std::to_string(text.size()) +
                         " bytes; the limit is " + std::to_string(max_bytes));
  }
  json::ParseOptions options;
  options.max_bytes = max_bytes;
  options.max_depth = 32;
  auto parsed = json::Parse(text, options);
  if (!parsed.ok()) return Invalid("it is not valid JSON (" + parsed.error().reason + ")");
  return ParseDidDocument(*parsed, expected_did);
}

json::Value DidDocumentToJson(const DidDocument& document) {
  json::Array methods;
  for (const auto& m : document.verification_methods) {
    json::Value v = json::Object{};
    v.Set("id", m.id);
    v.Set("type", "Multikey");
    v.Set("controller", m.controller);
    v.Set("publicKeyMultibase", crypto::PublicKeyToMultikey(m.key));
    methods.push_back(std::move(v));
  }
  auto refs = [](const std::vector<std::string>& ids) {
    json::Array out;
    for (const auto& id : ids) out.emplace_back(id);
    return out;
  };
  json::Value out = json::Object{};
  out.Set("@context", json::Array{"https://www.w3.org/ns/did/v1",
                                  "https://w3id.org/security/multikey/v1"});
  out.Set("id", document.id);
  out.Set("verificationMethod", std::move(methods));
  out.Set("assertionMethod", refs(document.assertion_method));
  out.Set("authentication", refs(document.authentication));
  return out;
}

}  // namespace lanyard::did
