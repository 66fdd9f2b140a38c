// Status lists: how an issuer revokes or suspends a credential after issuing it.
//
// Two encodings of the same idea, a long array of small status values indexed by a number the
// credential carries:
//   - W3C Bitstring Status List v1.0 (for Data Integrity credentials): one bit per entry,
//     entry 0 the MOST significant bit of byte 0, GZIP-compressed, multibase base64url ("u...").
//     At least 131,072 entries (16 KiB), so an index says little about who holds it.
//   - IETF Token Status List (for SD-JWT VC, `status.status_list {idx, uri}`): 1, 2, 4 or 8 bits
//     per entry, entry 0 in the LEAST significant bits of byte 0, ZLIB-compressed, base64url.
//     Values: 0 valid, 1 invalid, 2 suspended, 3 application-specific.
//
// Decoding is bounded: a list that inflates past ListLimits::max_bytes (a compression bomb) is
// refused before it is held in memory.
//
// Errors (kInvalidArgument unless stated):
//   status.list_invalid       not the encoding it claims to be (bad multibase/base64url, not
//                             GZIP/ZLIB, trailing data), or inflating past the limit
//                             (kResourceExhausted)
//   status.list_too_short     a Bitstring Status List under 131,072 entries
//   status.index_out_of_range an index beyond the list
//
// Thread-safety: values; const methods are safe from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lanyard/core/bytes.h"
#include "lanyard/core/result.h"

namespace lanyard::formats::status {

inline constexpr size_t kMinBitstringEntries = 131072;

struct ListLimits {
  // The largest decompressed list accepted: 16 MiB is 134 million one-bit entries, far beyond
  // any issuer's need, and small enough that a bomb costs little.
  size_t max_bytes = 16 * 1024 * 1024;
};

// A W3C Bitstring Status List (one bit per entry).
class BitstringStatusList {
 public:
  // An all-zero list. REQUIRES: entries >= kMinBitstringEntries and a multiple of 8.
  explicit BitstringStatusList(size_t entries);

  // Decodes an encodedList ("u" + base64url(GZIP(bits))).
  // Errors: status.list_invalid, status.list_too_short.
  static Result<BitstringStatusList> Decode(std::string_view encoded_list,
                                            const ListLimits& limits = {});

  size_t size() const { return bits_.size() * 8; }
  // Errors: status.index_out_of_range.
  Result<bool> Get(size_t index) const;
  Status Set(size_t index, bool value);

  // The encodedList text for a status list credential.
  std::string Encode() const;

 private:
  explicit BitstringStatusList(Bytes bits) : bits_(std::move(bits)) {}
  Bytes bits_;
};

// An IETF Token Status List.
class TokenStatusList {
 public:
  // An all-valid list. REQUIRES: bits is 1, 2, 4 or 8; entries > 0.
  TokenStatusList(int bits, size_t entries);

  // Decodes "lst" (base64url(ZLIB(bytes))) for `bits` bits per entry.
  // Errors: status.list_invalid (also for a bits value other than 1, 2, 4, 8).
  static Result<TokenStatusList> Decode(int bits, std::string_view lst,
                                        const ListLimits& limits = {});

  int bits() const { return bits_; }
  size_t size() const { return bytes_.size() * 8 / static_cast<size_t>(bits_); }
  // Errors: status.index_out_of_range; Set also kInvalidArgument "status.value_out_of_range".
  Result<uint8_t> Get(size_t index) const;
  Status Set(size_t index, uint8_t value);

  // The "lst" text of a status list token.
  std::string Encode() const;

 private:
  TokenStatusList(int bits, Bytes bytes) : bits_(bits), bytes_(std::move(bytes)) {}
  int bits_;
  Bytes bytes_;
};

}  // namespace lanyard::formats::status
