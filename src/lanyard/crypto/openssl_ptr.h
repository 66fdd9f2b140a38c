// Owning pointers for OpenSSL objects: OpenSslPtr<X509, X509_free> frees with X509_free.
//
// For crypto/ (the only folder that includes OpenSSL) and the benchmarks' raw measurements.
#pragma once

#include <memory>

namespace lanyard::crypto {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<Free>>;

}  // namespace lanyard::crypto
