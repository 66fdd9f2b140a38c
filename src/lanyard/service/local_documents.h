// This deployment's own public documents, read in-process for the verifications the service
// makes itself (VC-API verify, readiness reports): its organisations' DID documents and status
// lists. The server never fetches a URL a request names — that would let any caller make it
// reach into the network behind it — so anything else resolves to "not found"/"unavailable"
// and the verifier fails closed.
//
// Thread-safety: safe from many threads.
#pragma once

#include <memory>

#include "lanyard/core/http_client.h"
#include "lanyard/did/resolver.h"
#include "lanyard/service/issuer_service.h"
#include "lanyard/store/store.h"
#include "lanyard/verify/status_check.h"

namespace lanyard::service {

// Resolves did:key, and the did:web of this deployment's organisations from the store.
// Errors: did.not_found for any other DID.
std::unique_ptr<did::Resolver> NewServiceResolver(const IssuerService& issuer,
                                                  const store::Store& store);

// This deployment's own status lists (<base URL>/status/<list>), read entry by entry from the
// store: what a freshly published list would say at that index, without publishing it (no
// signature, no compression) and without verifying it again. The service is the issuer of these
// lists, so its own records are the authority; a list record never changes once created and is
// kept in memory, the entry is read from the store at every call.
std::unique_ptr<verify::LocalStatusLists> NewLocalStatusLists(const store::Store& store,
                                                             std::string base_url);

// Serves GETs of <base URL>/status/<list> by publishing the list afresh; anything else is
// http.unavailable.
class LocalStatusHttpClient final : public HttpClient {
 public:
  explicit LocalStatusHttpClient(IssuerService& issuer) : issuer_(issuer) {}
  Result<HttpResponse> Get(const HttpRequest& request) const override;

 private:
  IssuerService& issuer_;
};

}  // namespace lanyard::service
