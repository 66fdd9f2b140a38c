// Fuzzes DID parsing and offline resolution (did:key, did:jwk) and JWK/Multikey decoding.
#include <cstdlib>
#include <string_view>

#include "lanyard/crypto/key_encoding.h"
#include "lanyard/did/did_key.h"
#include "lanyard/did/resolver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static auto resolver = lanyard::did::NewOfflineResolver();
  (void)lanyard::did::ParseDidUrl(text);
  if (auto doc = resolver->Resolve(text); doc.ok()) {
    // A DID that resolves is one of ours again: its key must give back the same DID.
    const auto& key = doc->verification_methods.at(0).key;
    std::string_view did = doc->id;
    if (did.rfind("did:key:", 0) == 0 && lanyard::did::DidKeyFromPublicKey(key) != did) {
      std::abort();
    }
  }
  (void)lanyard::did::DereferenceMethod(*resolver, text, "assertionMethod");
  (void)lanyard::crypto::PublicKeyFromMultikey(text);
  return 0;
}
