#include "lanyard/did/resolver.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "lanyard/did/did_key.h"

namespace lanyard::did {
namespace {

Error InvalidDid(std::string_view text, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "did.invalid",
                   "\"" + std::string(text.substr(0, 80)) + "\" is not a valid DID: " + why);
}

bool IsMethodChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':' || c == '%';
}

// Longest DID Lanyard accepts: did:jwk of a P-256 key is about 150 characters.
constexpr size_t kMaxDidLength = 2048;

class OfflineResolver final : public Resolver {
 public:
  Result<DidDocument> Resolve(std::string_view did) const override {
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(std::string(did));
      if (it != cache_.end()) return it->second;
    }
    LANYARD_ASSIGN_OR_RETURN(std::string_view method, DidMethod(did));
    Result<DidDocument> doc =
        method == "key" ? ResolveDidKey(did)
        : method == "jwk"
            ? ResolveDidJwk(did)
            : Result<DidDocument>(MakeError(
                  Code::kNotFound, "did.unsupported_method",
                  "DIDs of method \"" + std::string(method) + "\" cannot be resolved here"));
    if (doc.ok()) {
      std::lock_guard lock(mu_);
      if (cache_.size() >= kMaxEntries) cache_.clear();  // bounded; did:key resolution is cheap
      cache_.emplace(std::string(did), *doc);
    }
    return doc;
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, DidDocument> cache_;
};

}  // namespace

const VerificationMethod* DidDocument::FindMethod(std::string_view id) const {
  for (const auto& m : verification_methods) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

bool DidDocument::Authorises(std::string_view relationship, std::string_view method_id) const {
  const std::vector<std::string>* list = relationship == "assertionMethod"  ? &assertion_method
                                         : relationship == "authentication" ? &authentication
                                                                            : nullptr;
  return list != nullptr && std::find(list->begin(), list->end(), method_id) != list->end();
}

Result<std::string_view> DidMethod(std::string_view did) {
  if (did.size() > kMaxDidLength) return InvalidDid(did, "too long");
  if (did.substr(0, 4) != "did:") return InvalidDid(did, "it does not start with \"did:\"");
  size_t colon = did.find(':', 4);
  if (colon == std::string_view::npos || colon == 4) return InvalidDid(did, "no method name");
  std::string_view method = did.substr(4, colon - 4);
  if (!std::all_of(method.begin(), method.end(), IsMethodChar)) {
    return InvalidDid(did, "the method name must be lowercase letters and digits");
  }
  std::string_view id = did.substr(colon + 1);
  if (id.empty() || !std::all_of(id.begin(), id.end(), IsIdChar) || id.back() == ':') {
    return InvalidDid(did, "the method-specific identifier is malformed");
  }
  return method;
}

Result<DidUrl> ParseDidUrl(std::string_view url) {
  size_t hash = url.find('#');
  std::string_view did = url.substr(0, hash);
  // Paths and queries are not used by any method Lanyard resolves.
  if (did.find_first_of("/?") != std::string_view::npos) {
    return InvalidDid(url, "DID URL paths and queries are not supported");
  }
  LANYARD_TRY(DidMethod(did));
  DidUrl out{std::string(did), ""};
  if (hash != std::string_view::npos) {
    out.fragment = std::string(url.substr(hash + 1));
    if (out.fragment.empty()) return InvalidDid(url, "empty fragment");
  }
  return out;
}

std::unique_ptr<Resolver> NewOfflineResolver() { return std::make_unique<OfflineResolver>(); }

Result<VerificationMethod> DereferenceMethod(const Resolver& resolver, std::string_view url,
                                             std::string_view relationship) {
  LANYARD_ASSIGN_OR_RETURN(DidUrl parsed, ParseDidUrl(url));
  if (parsed.fragment.empty()) {
    return MakeError(Code::kInvalidArgument, "did.invalid",
                     "\"" + std::string(url.substr(0, 80)) +
                         "\" names a DID, not one of its verification methods");
  }
  LANYARD_ASSIGN_OR_RETURN(DidDocument doc, resolver.Resolve(parsed.did));
  const VerificationMethod* method = doc.FindMethod(url);
  if (method == nullptr) {
    return MakeError(Code::kNotFound, "did.method_not_found",
                     "the DID document of " + parsed.did + " has no verification method \"" +
                         std::string(url.substr(0, 160)) + "\"");
  }
  if (!doc.Authorises(relationship, url)) {
    return MakeError(Code::kPermissionDenied, "did.relationship_not_authorised",
                     "the verification method " + std::string(url.substr(0, 160)) +
                         " is not authorised for " + std::string(relationship));
  }
  return *method;
}

}  // namespace lanyard::did
