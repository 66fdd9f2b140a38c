// Fuzzes the byte decoders (multibase, base58btc, base64url, hex): a clean error or bytes that
// encode back to exactly the input, since every decoder is strict.
#include <cstdlib>
#include <string_view>

#include "lanyard/core/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto b = lanyard::MultibaseDecode(text); b.ok()) {
    auto base = text[0] == 'z' ? lanyard::Multibase::kBase58btc : lanyard::Multibase::kBase64url;
    if (lanyard::MultibaseEncode(base, *b) != text) std::abort();
  }
  if (auto b = lanyard::Base64UrlDecode(text); b.ok()) {
    if (lanyard::Base64UrlEncode(*b) != text) std::abort();
  }
  if (auto b = lanyard::HexDecode(text); b.ok()) {
    if (lanyard::HexDecode(lanyard::HexEncode(*b)).value() != *b) std::abort();
  }
  return 0;
}
