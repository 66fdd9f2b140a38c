#include "lanyard/formats/status/status_list.h"

#include <zlib.h>

#include <cassert>

#include "lanyard/core/encoding.h"

namespace lanyard::formats::status {
namespace {

// zlib window bits: 15 is a ZLIB stream (RFC 1950), 15 + 16 a GZIP stream (RFC 1952).
constexpr int kZlibWindow = 15;
constexpr int kGzipWindow = 15 + 16;

Error ListInvalid(const std::string& why) {
  return MakeError(Code::kInvalidArgument, "status.list_invalid",
                   "the status list cannot be read: " + why);
}

Error OutOfRange(size_t index, size_t size) {
  return MakeError(Code::kInvalidArgument, "status.index_out_of_range",
                   "status index " + std::to_string(index) + " is beyond the list's " +
                       std::to_string(size) + " entries");
}

// Inflates one complete stream, refusing more than `max_bytes` of output and any input left
// over after the stream ends.
Result<Bytes> Inflate(ByteView compressed, int window_bits, size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return ListInvalid("the decompressor failed");
  Bytes out;
  unsigned char chunk[16384];
  z.next_in = const_cast<Bytef*>(compressed.data());
  z.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return ListInvalid(rc == Z_BUF_ERROR ? "the compressed data is truncated"
                                           : "the data is not compressed as the format says");
    }
    size_t produced = sizeof chunk - z.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&z);
      return MakeError(Code::kResourceExhausted, "status.list_invalid",
                       "the status list inflates past " + std::to_string(max_bytes) +
                           " bytes (a compression bomb?)");
    }
    out.insert(out.end(), chunk, chunk + produced);
  }
  bool trailing = z.avail_in != 0;
  inflateEnd(&z);
  if (trailing) return ListInvalid("data follows the compressed stream");
  return out;
}

// Bitstring lists use zlib's default level. Level 9 spent over 5 ms on a 131,072-entry list
// (the budget for rebuilding and signing one is 2 ms) to save about 300 bytes: with 1,000 entries
// set the list compresses to ~1.5 KB at level 9, ~1.8 KB at level 6 (0.36 ms for the whole
// publish), ~2.5 KB at level 1. Token lists are smaller and keep level 9, which is what the
// Token Status List draft's examples use, byte for byte.
constexpr int kBitstringLevel = 6;
constexpr int kTokenLevel = Z_BEST_COMPRESSION;

Bytes Deflate(ByteView data, int window_bits, int level) {
  z_stream z{};
  int rc = deflateInit2(&z, level, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY);
  assert(rc == Z_OK);
  (void)rc;
  Bytes out(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  rc = deflate(&z, Z_FINISH);
  assert(rc == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

// ----- Bitstring Status List

BitstringStatusList::BitstringStatusList(size_t entries) : bits_(entries / 8, 0) {
  assert(entries >= kMinBitstringEntries && entries % 8 == 0);
}

Result<BitstringStatusList> BitstringStatusList::Decode(std::string_view encoded_list,
                                                        const ListLimits& limits) {
  if (encoded_list.empty() || encoded_list[0] != 'u') {
    return ListInvalid("encodedList must be multibase base64url (starting with 'u')");
  }
  auto compressed = Base64UrlDecode(encoded_list.substr(1));
  if (!compressed.ok()) return ListInvalid("encodedList is not base64url");
  LANYARD_ASSIGN_OR_RETURN(Bytes bits, Inflate(*compressed, kGzipWindow, limits.max_bytes));
  if (bits.size() * 8 < kMinBitstringEntries) {
    return MakeError(Code::kInvalidArgument, "status.list_too_short",
                     "the status list has " + std::to_string(bits.size() * 8) +
                         " entries; at least 131,072 are required, so that an index does not "
                         "identify its holder");
  }
  return BitstringStatusList(std::move(bits));
}

Result<bool> BitstringStatusList::Get(size_t index) const {
  if (index >= size()) return OutOfRange(index, size());
  return ((bits_[index / 8] >> (7 - index % 8)) & 1) != 0;
}

Status BitstringStatusList::Set(size_t index, bool value) {
  if (index >= size()) return OutOfRange(index, size());
  uint8_t mask = static_cast<uint8_t>(1u << (7 - index % 8));
  bits_[index / 8] = value ? (bits_[index / 8] | mask) : (bits_[index / 8] & ~mask);
  return OkStatus();
}

std::string BitstringStatusList::Encode() const {
  return MultibaseEncode(Multibase::kBase64url, Deflate(bits_, kGzipWindow, kBitstringLevel));
}

// ----- Token Status List

namespace {

bool ValidBits(int bits) { return bits == 1 || bits == 2 || bits == 4 || bits == 8; }

}  // namespace

TokenStatusList::TokenStatusList(int bits, size_t entries)
    : bits_(bits), bytes_((entries * static_cast<size_t>(bits) + 7) / 8, 0) {
  assert(ValidBits(bits) && entries > 0);
}

Result<TokenStatusList> TokenStatusList::Decode(int bits, std::string_view lst,
                                                const ListLimits& limits) {
  if (!ValidBits(bits)) return ListInvalid("bits must be 1, 2, 4 or 8");
  auto compressed = Base64UrlDecode(lst);
  if (!compressed.ok()) return ListInvalid("lst is not base64url");
  LANYARD_ASSIGN_OR_RETURN(Bytes bytes, Inflate(*compressed, kZlibWindow, limits.max_bytes));
  if (bytes.empty()) return ListInvalid("the list is empty");
  return TokenStatusList(bits, std::move(bytes));
}

Result<uint8_t> TokenStatusList::Get(size_t index) const {
  if (index >= size()) return OutOfRange(index, size());
  size_t bit = index * static_cast<size_t>(bits_);
  unsigned mask = (1u << bits_) - 1;
  return static_cast<uint8_t>((bytes_[bit / 8] >> (bit % 8)) & mask);
}

Status TokenStatusList::Set(size_t index, uint8_t value) {
  if (index >= size()) return OutOfRange(index, size());
  unsigned mask = (1u << bits_) - 1;
  if (value > mask) {
    return MakeError(Code::kInvalidArgument, "status.value_out_of_range",
                     "status value " + std::to_string(value) + " does not fit in " +
                         std::to_string(bits_) + " bits");
  }
  size_t bit = index * static_cast<size_t>(bits_);
  uint8_t& byte = bytes_[bit / 8];
  byte = static_cast<uint8_t>((byte & ~(mask << (bit % 8))) | (value << (bit % 8)));
  return OkStatus();
}

std::string TokenStatusList::Encode() const {
  return Base64UrlEncode(Deflate(bytes_, kZlibWindow, kTokenLevel));
}

}  // namespace lanyard::formats::status
