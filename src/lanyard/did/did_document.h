// DID documents as published by organisations (did:web) and carried in trust bundles: parsing
// JSON into the DidDocument that verification uses, and writing one back.
//
// What is read: `id`; `verificationMethod` entries of type Multikey (publicKeyMultibase) or
// JsonWebKey / JsonWebKey2020 (publicKeyJwk), with absolute or document-relative ids ("#key-1");
// `assertionMethod` and `authentication` as references or embedded methods. Methods of other
// types are skipped (a document may carry keys Lanyard does not use), but a method Lanyard would
// use whose key does not decode makes the whole document invalid: a half-read document could
// silently drop the key a credential names.
//
// Errors (kInvalidArgument unless stated):
//   did.document_invalid   not a DID document: wrong shape, bad key, duplicate method ids,
//                          a relationship naming a method that is not in the document
//   did.id_mismatch        the document's id is not the DID that was resolved
//   did.document_too_large (kResourceExhausted) text beyond the limit
//   plus the json parser's input.* codes, reported as did.document_invalid
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "lanyard/core/result.h"
#include "lanyard/did/resolver.h"
#include "lanyard/json/value.h"

namespace lanyard::did {

// 256 KiB holds thousands of keys; organisations publish a handful.
inline constexpr size_t kMaxDidDocumentBytes = 256 * 1024;

// Reads a parsed DID document. `expected_did` empty means any id is accepted.
Result<DidDocument> ParseDidDocument(const json::Value& document, std::string_view expected_did);
// Parses text first (strict JSON, at most `max_bytes`).
Result<DidDocument> ParseDidDocumentText(std::string_view text, std::string_view expected_did,
                                         size_t max_bytes = kMaxDidDocumentBytes);

// The JSON form: keys as Multikey, relationships as references.
json::Value DidDocumentToJson(const DidDocument& document);

}  // namespace lanyard::did
