#include "lanyard/service/local_documents.h"

#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"

namespace lanyard::service {
namespace {

class ServiceResolver final : public did::Resolver {
 public:
  ServiceResolver(const IssuerService& issuer, const store::Store& store)
      : issuer_(issuer), store_(store) {}

  Result<did::DidDocument> Resolve(std::string_view did) const override {
    if (did.starts_with("did:key:")) return did::ResolveDidKey(did);
    // did:web:<host>:orgs:<ODS>: the ODS code is the last segment.
    size_t colon = did.rfind(':');
    if (did.starts_with("did:web:") && colon != std::string_view::npos) {
      auto org = store_.GetOrganisation(did.substr(colon + 1));
      if (org.ok() && org->did == did) {
        LANYARD_ASSIGN_OR_RETURN(json::Value doc, issuer_.DidDocumentFor(org->ods));
        return did::ParseDidDocument(doc, did);
      }
    }
    return MakeError(Code::kNotFound, "did.not_found",
                     "this service resolves only its own organisations and did:key");
  }

 private:
  const IssuerService& issuer_;
  const store::Store& store_;
};

}  // namespace

std::unique_ptr<did::Resolver> NewServiceResolver(const IssuerService& issuer,
                                                  const store::Store& store) {
  return std::make_unique<ServiceResolver>(issuer, store);
}

Result<HttpResponse> LocalStatusHttpClient::Get(const HttpRequest& request) const {
  std::string prefix = issuer_.base_url() + "/status/";
  if (!request.url.starts_with(prefix)) {
    return MakeError(Code::kUnavailable, "http.unavailable",
                     "this service checks only its own organisations' status lists");
  }
  HttpResponse response;
  auto list = issuer_.PublishList(request.url.substr(prefix.size()));
  if (!list.ok()) {
    response.status = 404;
    return response;
  }
  response.status = 200;
  response.headers["content-type"] = list->media_type;
  response.body = std::move(list->body);
  return response;
}

}  // namespace lanyard::service
