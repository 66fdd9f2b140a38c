#include "lanyard/service/local_documents.h"

#include <shared_mutex>
#include <unordered_map>

#include "lanyard/did/did_document.h"
#include "lanyard/did/did_key.h"

namespace lanyard::service {
namespace {

// Resolves the deployment's own organisations from the store. Building a document (the key
// store, a JSON round trip) costs more than the verification it serves, so each organisation's
// is kept, and used again while the organisation's record still names the same keys: one
// indexed read per resolution, and a rotation (by any process on the database) shows at once.
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
        {
          std::shared_lock lock(mu_);
          auto it = documents_.find(org->ods);
          if (it != documents_.end() && it->second.signing_key_id == org->signing_key_id &&
              it->second.retired_keys == org->retired_keys) {
            return it->second.document;
          }
        }
        LANYARD_ASSIGN_OR_RETURN(json::Value json, issuer_.DidDocumentFor(org->ods));
        LANYARD_ASSIGN_OR_RETURN(did::DidDocument doc, did::ParseDidDocument(json, did));
        std::unique_lock lock(mu_);
        documents_[org->ods] = Built{org->signing_key_id, org->retired_keys, doc};
        return doc;
      }
    }
    return MakeError(Code::kNotFound, "did.not_found",
                     "this service resolves only its own organisations and did:key");
  }

 private:
  struct Built {
    std::string signing_key_id;
    std::string retired_keys;
    did::DidDocument document;
  };
  const IssuerService& issuer_;
  const store::Store& store_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, Built> documents_;  // by ODS code
};

class StoreStatusLists final : public verify::LocalStatusLists {
 public:
  StoreStatusLists(const store::Store& store, std::string base_url)
      : store_(store), prefix_(std::move(base_url) + "/status/") {}

  std::optional<Result<Entry>> Read(std::string_view url, uint64_t index) const override {
    if (!url.starts_with(prefix_)) return std::nullopt;
    std::string_view id = url.substr(prefix_.size());
    std::shared_ptr<const store::StatusListRecord> list;
    {
      std::shared_lock lock(mu_);
      auto it = lists_.find(id);
      if (it != lists_.end()) list = it->second;
    }
    if (list == nullptr) {
      auto record = store_.GetList(id);
      if (!record.ok()) {
        // Not one of ours after all: the checker treats it as any other list it cannot fetch.
        if (record.error().reason == "status_store.list_not_found") return std::nullopt;
        return Result<Entry>(std::move(record).error());
      }
      if (record->url != url) return std::nullopt;
      list = std::make_shared<const store::StatusListRecord>(std::move(record).value());
      std::unique_lock lock(mu_);
      lists_.try_emplace(std::string(id), list);
    }
    Entry out;
    out.token = list->format == store::ListFormat::kToken;
    out.issuer = list->issuer;
    out.purpose = list->purpose;
    out.size = list->size;
    if (index < list->size) {
      auto entry = store_.GetEntry(id, index);
      if (entry.ok()) {
        // As StatusService::Publish writes it: a Bitstring entry is one bit.
        out.value = out.token ? entry->value : (entry->value != 0 ? 1 : 0);
      } else if (entry.error().reason != "status_store.entry_not_found") {
        return Result<Entry>(std::move(entry).error());
      }
      // An index never reserved is 0 in the published list too.
    }
    return Result<Entry>(std::move(out));
  }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const store::Store& store_;
  const std::string prefix_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const store::StatusListRecord>,
                             StringHash, std::equal_to<>>
      lists_;
};

}  // namespace

std::unique_ptr<verify::LocalStatusLists> NewLocalStatusLists(const store::Store& store,
                                                             std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return std::make_unique<StoreStatusLists>(store, std::move(base_url));
}

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
