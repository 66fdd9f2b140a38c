// A seam for the HTTP client's tests; production code calls NewHttpClient.
//
// Every test server runs on loopback, which allow_private_addresses=false refuses, so a test of
// "a public origin redirects into the private network" needs an origin the client treats as
// public. This factory lets a test supply the classification used for that check. The
// loopback-only rule for plain http:// always uses ClassifyAddress.
//
// Thread-safety: as NewHttpClient; `classify` must be safe to call from several threads.
#pragma once

#include <functional>
#include <memory>

#include "lanyard/core/http_client.h"
#include "lanyard/http/address.h"
#include "lanyard/http/http_client.h"

namespace lanyard::http::internal {

using AddressClassifier = std::function<AddressClass(const IpAddress&)>;

// As NewHttpClient(options), but with allow_private_addresses false an address is refused when
// classify(address) is not kPublic.
std::unique_ptr<HttpClient> NewHttpClientWithClassifier(HttpClientOptions options,
                                                        AddressClassifier classify);

}  // namespace lanyard::http::internal
