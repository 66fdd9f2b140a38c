#include "lanyard/formats/sdjwt/sd_jwt.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/key_encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/formats/jose/jwt.h"
#include "lanyard/formats/jose/token_text.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::formats::sdjwt {
namespace {

constexpr std::string_view kSd = "_sd";
constexpr std::string_view kSdAlg = "_sd_alg";
constexpr std::string_view kEllipsis = "...";
// The deepest a processed claim tree may be: JSON's own limit twice over.
constexpr int kMaxClaimDepth = 256;

Error InvalidPath(std::string_view text, const std::string& why) {
  return MakeError(Code::kInvalidArgument, "sdjwt.invalid_path",
                   "\"" + std::string(text.substr(0, 80)) + "\" is not a claim path: " + why);
}

Error PathNotFound(const ClaimPath& path) {
  return MakeError(Code::kInvalidArgument, "sdjwt.path_not_found",
                   "the claim " + FormatClaimPath(path) + " is not in the credential");
}

// 128 bits, as RFC 9901 §9.3 recommends.
std::string RandomSalt() {
  uint8_t salt[16];
  crypto::SaltRandom(salt);
  return Base64UrlEncode(ByteView(salt, sizeof salt));
}

// {"...": digest}: an array element standing for a disclosure.
const std::string* ArrayDigest(const json::Value& element) {
  if (!element.is_object() || element.as_object().size() != 1) return nullptr;
  const json::Member& m = element.as_object().front();
  return m.first == kEllipsis && m.second.is_string() ? &m.second.as_string() : nullptr;
}

// Adds decoys to, and sorts, every _sd array in `value` (recursively). Sorting hides the order
// in which claims were written; decoys hide how many there are.
void FinalizeSdArrays(json::Value* value, int decoys) {
  if (value->is_array()) {
    for (auto& item : value->as_array()) FinalizeSdArrays(&item, decoys);
    return;
  }
  if (!value->is_object()) return;
  for (auto& [name, member] : value->as_object()) {
    if (name == kSd && member.is_array()) {
      for (int i = 0; i < decoys; ++i) {
        member.as_array().emplace_back(DisclosureDigest(RandomSalt()));
      }
      std::sort(
          member.as_array().begin(), member.as_array().end(),
          [](const json::Value& a, const json::Value& b) { return a.as_string() < b.as_string(); });
    } else {
      FinalizeSdArrays(&member, decoys);
    }
  }
}

// The first reserved name ("_sd", "_sd_alg", "...") used anywhere in `value`, or nullptr.
const std::string* FindReservedClaim(const json::Value& value, int depth) {
  if (depth > json::kMaxSupportedDepth) return nullptr;  // the parser never builds deeper
  if (value.is_array()) {
    for (const auto& item : value.as_array()) {
      if (const std::string* r = FindReservedClaim(item, depth + 1)) return r;
    }
    return nullptr;
  }
  if (!value.is_object()) return nullptr;
  for (const auto& [name, member] : value.as_object()) {
    if (name == kSd || name == kSdAlg || name == kEllipsis) return &name;
    if (const std::string* r = FindReservedClaim(member, depth + 1)) return r;
  }
  return nullptr;
}

Result<std::string> EncodeSdJwt(const std::string& jwt, const std::vector<std::string>& parts) {
  std::string out = jwt;
  out += '~';
  for (const auto& p : parts) {
    out += p;
    out += '~';
  }
  return out;
}

}  // namespace

// ----- Claim paths

Result<ClaimPath> ParseClaimPath(std::string_view text) {
  ClaimPath path;
  size_t i = 0;
  if (text.empty()) return InvalidPath(text, "empty");
  if (text.size() > 1024) return InvalidPath(text, "too long");
  while (i < text.size()) {
    if (text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return InvalidPath(text, "bad index");
      std::string_view digits = text.substr(i + 1, close - i - 1);
      if (digits.size() > 9 ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return InvalidPath(text, "an index is a small number");
      }
      path.push_back({"", static_cast<size_t>(std::stoul(std::string(digits)))});
      i = close + 1;
      if (i < text.size() && text[i] != '.' && text[i] != '[') {
        return InvalidPath(text, "expected '.' or '[' after ']'");
      }
      if (i < text.size() && text[i] == '.') {
        ++i;
        if (i == text.size()) return InvalidPath(text, "ends with '.'");
      }
      continue;
    }
    size_t end = text.find_first_of(".[]", i);
    if (end == std::string_view::npos) end = text.size();
    if (end == i) return InvalidPath(text, "empty claim name");
    if (end < text.size() && text[end] == ']') return InvalidPath(text, "unmatched ']'");
    path.push_back({std::string(text.substr(i, end - i)), std::nullopt});
    i = end;
    if (i < text.size() && text[i] == '.') {
      ++i;
      if (i == text.size()) return InvalidPath(text, "ends with '.'");
    }
  }
  if (path.front().index) return InvalidPath(text, "a path starts with a claim name");
  return path;
}

std::string FormatClaimPath(const ClaimPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.index) {
      out += "[" + std::to_string(*step.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += step.name;
    }
  }
  return out;
}

// ----- Disclosures

std::string DisclosureDigest(std::string_view encoded) {
  return Base64UrlEncode(crypto::Sha256(AsBytes(encoded)));
}

namespace {

// The disclosure text, written directly: issuing makes one per disclosable claim, and building a
// JSON array to print it would copy every value.
std::string EncodeDisclosure(const std::string& salt, const std::optional<std::string>& name,
                             const json::Value& value) {
  std::string text = "[";
  json::AppendQuoted(salt, &text);
  if (name) {
    text += ',';
    json::AppendQuoted(*name, &text);
  }
  text += ',';
  json::SerializeTo(value, &text);
  text += ']';
  return Base64UrlEncode(AsBytes(text));
}

}  // namespace

Disclosure MakeDisclosure(std::string salt, std::optional<std::string> name, json::Value value) {
  Disclosure d;
  d.encoded = EncodeDisclosure(salt, name, value);
  d.digest = DisclosureDigest(d.encoded);
  d.salt = std::move(salt);
  d.name = std::move(name);
  d.value = std::move(value);
  return d;
}

Result<Disclosure> ParseDisclosure(std::string_view encoded) {
  auto bad = [&](const std::string& why) {
    return MakeError(Code::kInvalidArgument, "sdjwt.disclosure_malformed",
                     "a disclosure is malformed: " + why);
  };
  auto bytes = Base64UrlDecode(encoded);
  if (!bytes.ok()) return bad("not base64url");
  auto parsed = json::Parse(AsChars(*bytes));
  if (!parsed.ok()) return bad(parsed.error().message);
  if (!parsed->is_array()) return bad("not a JSON array");
  json::Array& a = parsed->as_array();
  if (a.size() != 2 && a.size() != 3) return bad("not two or three elements");
  if (!a[0].is_string()) return bad("the salt is not a string");
  if (a.size() == 3 && !a[1].is_string()) return bad("the claim name is not a string");
  Disclosure d;
  d.encoded = std::string(encoded);
  d.digest = DisclosureDigest(encoded);
  d.salt = a[0].as_string();
  if (a.size() == 3) d.name = a[1].as_string();
  d.value = std::move(a.back());
  return d;
}

// ----- Issue

Result<std::string> IssueSdJwt(json::Value payload, const IssueOptions& options,
                               const crypto::Signer& signer) {
  if (!payload.is_object()) {
    return MakeError(Code::kInvalidArgument, "sdjwt.payload_not_object",
                     "an SD-JWT payload must be a JSON object");
  }
  // Anywhere in the payload, not only at the top: an "_sd" or {"...": d} smuggled into claims an
  // employee supplied would let the holder "disclose" claims the issuer never made.
  if (const std::string* reserved = FindReservedClaim(payload, 0)) {
    return MakeError(Code::kInvalidArgument, "sdjwt.reserved_claim",
                     "the payload already uses the reserved name \"" + *reserved + "\"");
  }
  auto salt = options.salt ? options.salt : RandomSalt;
  // Deepest first, so that a claim made disclosable inside an object that is itself disclosable
  // is already a digest when the outer object is packed (recursive disclosure).
  std::vector<const ClaimPath*> order;
  order.reserve(options.disclosable.size());
  auto same = [](const ClaimPath& a, const ClaimPath& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].name != b[i].name || a[i].index != b[i].index) return false;
    }
    return true;
  };
  for (const auto& p : options.disclosable) {
    if (p.empty()) return InvalidPath("", "empty");
    for (const ClaimPath* earlier : order) {
      if (same(*earlier, p)) return InvalidPath(FormatClaimPath(p), "named twice");
    }
    if (p.size() == 1 &&
        std::find(options.never_disclosable.begin(), options.never_disclosable.end(), p[0].name) !=
            options.never_disclosable.end()) {
      return MakeError(Code::kInvalidArgument, "sdjwt.claim_not_disclosable",
                       "the claim \"" + p[0].name + "\" may not be selectively disclosable");
    }
    order.push_back(&p);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const ClaimPath* a, const ClaimPath* b) { return a->size() > b->size(); });

  std::vector<std::string> disclosures;
  for (const ClaimPath* path : order) {
    json::Value* container = &payload;
    for (size_t i = 0; i + 1 < path->size(); ++i) {
      const PathStep& step = (*path)[i];
      json::Value* next = nullptr;
      if (step.index) {
        if (container->is_array() && *step.index < container->as_array().size()) {
          next = &container->as_array()[*step.index];
        }
      } else {
        next = container->Find(step.name);
      }
      if (next == nullptr) return PathNotFound(*path);
      container = next;
    }
    const PathStep& last = path->back();
    json::Value value;
    if (last.index) {
      if (!container->is_array() || *last.index >= container->as_array().size() ||
          ArrayDigest(container->as_array()[*last.index]) != nullptr) {
        return PathNotFound(*path);
      }
      value = std::move(container->as_array()[*last.index]);
    } else {
      json::Value* member = container->is_object() ? container->Find(last.name) : nullptr;
      if (member == nullptr || last.name == kSd || last.name == kEllipsis)
        return PathNotFound(*path);
      value = std::move(*member);
      container->Erase(last.name);
    }
    FinalizeSdArrays(&value, options.decoys_per_object);
    std::string encoded = EncodeDisclosure(
        salt(), last.index ? std::nullopt : std::optional<std::string>(last.name), value);
    std::string digest = DisclosureDigest(encoded);
    if (last.index) {
      container->as_array()[*last.index] =
          json::Value(json::Object{{std::string(kEllipsis), std::move(digest)}});
    } else {
      json::Value* sd = container->Find(kSd);
      if (sd == nullptr) {
        container->Set(kSd, json::Array{});
        sd = container->Find(kSd);
      }
      sd->as_array().emplace_back(std::move(digest));
    }
    disclosures.push_back(std::move(encoded));
  }
  FinalizeSdArrays(&payload, options.decoys_per_object);
  payload.Set(kSdAlg, "sha-256");
  if (options.holder_key) {
    payload.Set("cnf", json::Object{{"jwk", crypto::PublicKeyToJwk(*options.holder_key)}});
  }
  json::Object header;
  header.emplace_back("typ", options.typ);
  if (options.kid) header.emplace_back("kid", *options.kid);
  LANYARD_ASSIGN_OR_RETURN(std::string jwt, jose::SignCompactJws(json::Value(std::move(header)),
                                                                 json::Serialize(payload), signer));
  return EncodeSdJwt(jwt, disclosures);
}

// ----- Split

Result<Parts> SplitSdJwt(std::string_view text, const VerifyOptions& options) {
  if (text.size() > options.max_bytes) {
    return MakeError(Code::kResourceExhausted, "input.too_large",
                     "the SD-JWT is " + std::to_string(text.size()) +
                         " bytes, more than the limit of " + std::to_string(options.max_bytes));
  }
  text = jose::TrimToken(text);
  size_t first = text.find('~');
  if (first == std::string_view::npos) {
    return MakeError(Code::kInvalidArgument, "sdjwt.malformed",
                     "an SD-JWT has at least one '~' after the issuer-signed JWT");
  }
  size_t last = text.rfind('~');
  Parts parts;
  parts.issuer_jwt = text.substr(0, first);
  parts.kb_jwt = text.substr(last + 1);
  parts.presented_part = text.substr(0, last + 1);
  size_t count = static_cast<size_t>(std::count(text.begin(), text.end(), '~')) - 1;
  if (count > options.max_disclosures) {
    return MakeError(Code::kResourceExhausted, "sdjwt.too_many_disclosures",
                     "the SD-JWT carries " + std::to_string(count) +
                         " disclosures, more than the limit of " +
                         std::to_string(options.max_disclosures));
  }
  for (size_t pos = first + 1; pos <= last;) {
    size_t next = text.find('~', pos);
    std::string_view d = text.substr(pos, next - pos);
    if (d.empty()) {
      return MakeError(Code::kInvalidArgument, "sdjwt.malformed",
                       "an SD-JWT has an empty disclosure between two '~'");
    }
    parts.disclosures.push_back(d);
    pos = next + 1;
  }
  return parts;
}

// ----- Present

namespace {

// The disclosures of one SD-JWT, by digest, and the walk that picks what a path needs.
class DisclosureIndex {
 public:
  Status Load(const Parts& parts) {
    for (size_t i = 0; i < parts.disclosures.size(); ++i) {
      LANYARD_ASSIGN_OR_RETURN(Disclosure d, ParseDisclosure(parts.disclosures[i]));
      by_digest_.emplace(d.digest, i);
      all_.push_back(std::move(d));
    }
    return OkStatus();
  }

  // Marks every disclosure nested anywhere inside `value`.
  void SelectWithin(const json::Value& value, int depth = 0) {
    if (depth > kMaxClaimDepth) {
      too_deep_ = true;
      return;
    }
    if (value.is_array()) {
      for (const auto& item : value.as_array()) {
        if (const std::string* digest = ArrayDigest(item)) {
          SelectDigest(*digest, depth + 1);
        } else {
          SelectWithin(item, depth + 1);
        }
      }
      return;
    }
    if (!value.is_object()) return;
    for (const auto& [name, member] : value.as_object()) {
      if (name == kSd && member.is_array()) {
        for (const auto& digest : member.as_array()) {
          if (digest.is_string()) SelectDigest(digest.as_string(), depth + 1);
        }
      } else {
        SelectWithin(member, depth + 1);
      }
    }
  }

  // Marks what `path` needs from `root`. Errors: sdjwt.path_not_found.
  Status SelectPath(const json::Value& root, const ClaimPath& path) {
    const json::Value* current = &root;
    for (const PathStep& step : path) {
      const json::Value* next = nullptr;
      if (step.index) {
        if (current->is_array() && *step.index < current->as_array().size()) {
          const json::Value& element = current->as_array()[*step.index];
          if (const std::string* digest = ArrayDigest(element)) {
            auto it = by_digest_.find(*digest);
            if (it != by_digest_.end() && !all_[it->second].name) {
              selected_.insert(it->second);
              next = &all_[it->second].value;
            }
          } else {
            next = &element;
          }
        }
      } else if (current->is_object()) {
        next = current->Find(step.name);
        if (next == nullptr) next = FindDisclosedMember(*current, step.name);
      }
      if (next == nullptr) return PathNotFound(path);
      current = next;
    }
    SelectWithin(*current);
    if (too_deep_) {
      return MakeError(Code::kInvalidArgument, "sdjwt.too_deep",
                       "the disclosed claims nest deeper than " + std::to_string(kMaxClaimDepth) +
                           " levels");
    }
    return OkStatus();
  }

  const std::vector<Disclosure>& all() const { return all_; }
  const std::set<size_t>& selected() const { return selected_; }

 private:
  void SelectDigest(const std::string& digest, int depth) {
    auto it = by_digest_.find(digest);
    if (it == by_digest_.end() || !selected_.insert(it->second).second) return;
    SelectWithin(all_[it->second].value, depth + 1);
  }

  const json::Value* FindDisclosedMember(const json::Value& object, const std::string& name) {
    const json::Value* sd = object.Find(kSd);
    if (sd == nullptr || !sd->is_array()) return nullptr;
    for (const auto& digest : sd->as_array()) {
      if (!digest.is_string()) continue;
      auto it = by_digest_.find(digest.as_string());
      if (it != by_digest_.end() && all_[it->second].name == name) {
        selected_.insert(it->second);
        return &all_[it->second].value;
      }
    }
    return nullptr;
  }

  std::vector<Disclosure> all_;
  std::unordered_map<std::string, size_t> by_digest_;
  std::set<size_t> selected_;
  bool too_deep_ = false;
};

std::string SdHash(std::string_view presented_part) {
  return Base64UrlEncode(crypto::Sha256(AsBytes(presented_part)));
}

}  // namespace

Result<std::string> PresentSdJwt(std::string_view sd_jwt, const std::vector<ClaimPath>& reveal,
                                 const KeyBindingRequest* kb) {
  VerifyOptions limits;
  LANYARD_ASSIGN_OR_RETURN(Parts parts, SplitSdJwt(sd_jwt, limits));
  LANYARD_ASSIGN_OR_RETURN(jose::CompactJws jws, jose::ParseCompactJws(parts.issuer_jwt));
  LANYARD_ASSIGN_OR_RETURN(json::Value payload, jose::ParseJsonPayload(jws));
  DisclosureIndex index;
  LANYARD_TRY(index.Load(parts));
  for (const auto& path : reveal) LANYARD_TRY(index.SelectPath(payload, path));
  std::vector<std::string> kept;
  for (size_t i : index.selected()) kept.push_back(index.all()[i].encoded);
  LANYARD_ASSIGN_OR_RETURN(std::string presentation,
                           EncodeSdJwt(std::string(parts.issuer_jwt), kept));
  if (kb == nullptr) return presentation;
  json::Object claims;
  claims.emplace_back("iat", static_cast<double>(ToUnixSeconds(kb->issued_at)));
  claims.emplace_back("aud", kb->audience);
  claims.emplace_back("nonce", kb->nonce);
  claims.emplace_back("sd_hash", SdHash(presentation));
  LANYARD_ASSIGN_OR_RETURN(
      std::string kb_jwt,
      jose::SignCompactJws(json::Value(json::Object{{"typ", "kb+jwt"}}),
                           json::Serialize(json::Value(std::move(claims))), *kb->holder));
  return presentation + kb_jwt;
}

// ----- Verify

namespace {

class Verifier {
 public:
  Verifier(const VerifyOptions& options, verify::VerificationReport* report)
      : options_(options), report_(report) {}

  bool Fail(std::string code, std::string message, std::string subject = "sd-jwt") {
    report_->Fail(std::move(code), std::move(message), std::move(subject));
    return false;
  }
  void Pass(std::string code, std::string message, std::string subject = "sd-jwt") {
    report_->Pass(std::move(code), std::move(message), std::move(subject));
  }
  bool FailWith(const Error& e, std::string subject = "sd-jwt") {
    return Fail(e.reason, e.message + ".", std::move(subject));
  }

  std::optional<VerifiedSdJwt> Run(std::string_view text, const IssuerKeyLookup& issuer_key) {
    auto parts = SplitSdJwt(text, options_);
    if (!parts.ok()) {
      FailWith(parts.error());
      return std::nullopt;
    }
    auto jws = jose::ParseCompactJws(parts->issuer_jwt);
    if (!jws.ok()) {
      FailWith(jws.error());
      return std::nullopt;
    }
    auto payload = jose::ParseJsonPayload(*jws);
    if (!payload.ok()) {
      FailWith(payload.error());
      return std::nullopt;
    }
    VerifiedSdJwt out;
    out.header = jws->header;
    // The issuer's signature first: nothing else means anything without it.
    auto key = issuer_key(jws->header, *payload);
    if (!key.ok()) {
      FailWith(key.error());
      return std::nullopt;
    }
    Status signature = jose::VerifyJwsSignature(*jws, *key);
    if (!signature.ok()) {
      Fail(signature.error().reason,
           signature.error().reason == "signature.invalid"
               ? "The issuer's signature does not match: the SD-JWT was altered or signed by "
                 "another key."
               : signature.error().message + ".");
      return std::nullopt;
    }
    Pass("signature.valid",
         "The issuer's " + std::string(jose::AlgorithmName(jws->alg)) + " signature is valid.");
    const std::string* sd_alg = payload->FindString(kSdAlg);
    if (payload->Find(kSdAlg) != nullptr && (sd_alg == nullptr || *sd_alg != "sha-256")) {
      Fail("sdjwt.unsupported_hash", "The SD-JWT uses a digest algorithm other than sha-256.");
      return std::nullopt;
    }
    jose::TimeClaimOptions times{options_.now, options_.skew, options_.require_exp};
    jose::CheckTimeClaims(*payload, times, "sd-jwt", report_);

    if (!LoadDisclosures(*parts)) return std::nullopt;
    json::Value claims = std::move(payload).value();
    bool sound = Process(&claims, "", 0);
    for (size_t i = 0; i < disclosures_.size(); ++i) {
      if (!used_[i]) {
        sound = Fail("sdjwt.disclosure_unreferenced",
                     "A disclosure matches no digest in the credential: it was not issued with "
                     "it.",
                     "disclosure[" + std::to_string(i) + "]");
      }
    }
    if (sound) {
      std::string names;
      for (const auto& p : disclosed_paths_) names += (names.empty() ? "" : ", ") + p;
      Pass("sdjwt.disclosures_valid",
           disclosures_.empty()
               ? std::string("No selectively disclosable claim was revealed.")
               : std::to_string(disclosures_.size()) +
                     " disclosure(s) match the issuer's digests; revealed: " + names + ".");
    }
    claims.Erase(kSdAlg);
    out.disclosed = std::move(disclosed_paths_);
    out.key_bound = CheckKeyBinding(*parts, claims);
    out.claims = std::move(claims);
    return out;
  }

 private:
  bool LoadDisclosures(const Parts& parts) {
    std::set<std::string> seen;
    for (size_t i = 0; i < parts.disclosures.size(); ++i) {
      std::string subject = "disclosure[" + std::to_string(i) + "]";
      auto d = ParseDisclosure(parts.disclosures[i]);
      if (!d.ok()) return FailWith(d.error(), subject);
      if (!seen.insert(d->digest).second) {
        return Fail("sdjwt.disclosure_repeated", "The same disclosure is sent twice.", subject);
      }
      if (d->name && (*d->name == kSd || *d->name == kEllipsis)) {
        return Fail("sdjwt.disclosure_reserved_name",
                    "A disclosure uses the reserved claim name \"" + *d->name + "\".", subject);
      }
      by_digest_.emplace(d->digest, disclosures_.size());
      disclosures_.push_back(std::move(d).value());
    }
    used_.assign(disclosures_.size(), false);
    return true;
  }

  // Each digest may be referenced once, anywhere in the payload or inside disclosures.
  bool NoteDigest(const std::string& digest) {
    if (!digests_seen_.insert(digest).second) {
      return Fail("sdjwt.digest_duplicate", "A digest appears twice in the credential.");
    }
    return true;
  }

  // Replaces digests by the disclosed claims, in place, recursively. `path` names `value`.
  bool Process(json::Value* value, const std::string& path, int depth) {
    // Each disclosure is depth-limited when parsed, but disclosures can nest inside each other:
    // the whole tree needs its own limit, or a chain of them exhausts the stack.
    if (depth > kMaxClaimDepth) {
      return Fail("sdjwt.too_deep", "The disclosed claims nest deeper than " +
                                        std::to_string(kMaxClaimDepth) + " levels.");
    }
    if (value->is_array()) {
      json::Array kept;
      bool ok = true;
      auto& items = value->as_array();
      for (size_t i = 0; i < items.size(); ++i) {
        std::string item_path = path + "[" + std::to_string(kept.size()) + "]";
        if (const std::string* digest = ArrayDigest(items[i])) {
          if (!NoteDigest(*digest)) return false;
          auto it = by_digest_.find(*digest);
          if (it == by_digest_.end()) continue;  // a decoy or an undisclosed element
          Disclosure& d = disclosures_[it->second];
          used_[it->second] = true;
          if (d.name) {
            return Fail("sdjwt.disclosure_wrong_kind",
                        "A property disclosure was given for an array element.");
          }
          json::Value element = d.value;
          ok = Process(&element, item_path, depth + 1) && ok;
          disclosed_paths_.push_back(item_path);
          kept.push_back(std::move(element));
        } else {
          ok = Process(&items[i], item_path, depth + 1) && ok;
          kept.push_back(std::move(items[i]));
        }
      }
      *value = json::Value(std::move(kept));
      return ok;
    }
    if (!value->is_object()) return true;
    bool ok = true;
    for (auto& [name, member] : value->as_object()) {
      if (name != kSd) ok = Process(&member, path.empty() ? name : path + "." + name, depth + 1) && ok;
    }
    json::Value* sd = value->Find(kSd);
    if (sd == nullptr) return ok;
    if (!sd->is_array()) return Fail("sdjwt.malformed", "An _sd claim is not an array.");
    json::Array digests = std::move(sd->as_array());
    value->Erase(kSd);
    for (const auto& digest : digests) {
      if (!digest.is_string()) return Fail("sdjwt.malformed", "An _sd digest is not a string.");
      if (!NoteDigest(digest.as_string())) return false;
      auto it = by_digest_.find(digest.as_string());
      if (it == by_digest_.end()) continue;
      Disclosure& d = disclosures_[it->second];
      used_[it->second] = true;
      if (!d.name) {
        return Fail("sdjwt.disclosure_wrong_kind",
                    "An array-element disclosure was given for an object property.");
      }
      if (value->Find(*d.name) != nullptr) {
        return Fail("sdjwt.claim_name_clash",
                    "The disclosed claim \"" + *d.name + "\" is also a plain claim.");
      }
      std::string member_path = path.empty() ? *d.name : path + "." + *d.name;
      json::Value disclosed = d.value;
      ok = Process(&disclosed, member_path, depth + 1) && ok;
      disclosed_paths_.push_back(member_path);
      value->Set(*d.name, std::move(disclosed));
    }
    return ok;
  }

  bool CheckKeyBinding(const Parts& parts, const json::Value& claims) {
    bool required = options_.nonce.has_value() || options_.audience.has_value();
    if (parts.kb_jwt.empty()) {
      if (required) {
        return Fail("sdjwt.kb_missing",
                    "This verifier asked for proof that the holder is present (a key-binding "
                    "JWT), and none was sent.",
                    "kb-jwt");
      }
      if (claims.Find("cnf") != nullptr) {
        report_->Warn("sdjwt.kb_not_checked",
                      "The credential is bound to its holder's key, but no proof that the holder "
                      "is present was asked for or sent: a copy would pass too.",
                      "kb-jwt");
      }
      return false;
    }
    const std::string subject = "kb-jwt";
    auto jws = jose::ParseCompactJws(parts.kb_jwt);
    if (!jws.ok()) return FailWith(jws.error(), subject);
    const std::string* typ = jws->header.FindString("typ");
    if (typ == nullptr || *typ != "kb+jwt") {
      return Fail("sdjwt.kb_wrong_typ", "The key-binding JWT's typ is not kb+jwt.", subject);
    }
    const json::Value* cnf = claims.Find("cnf");
    const json::Value* jwk = cnf != nullptr ? cnf->Find("jwk") : nullptr;
    if (jwk == nullptr) {
      return Fail("sdjwt.kb_no_holder_key",
                  "A key-binding JWT was sent, but the credential names no holder key (cnf.jwk).",
                  subject);
    }
    auto holder = crypto::PublicKeyFromJwk(*jwk);
    if (!holder.ok()) return FailWith(holder.error(), subject);
    Status signature = jose::VerifyJwsSignature(*jws, *holder);
    if (!signature.ok()) {
      return Fail(signature.error().reason == "signature.invalid" ? "sdjwt.kb_signature_invalid"
                                                                  : signature.error().reason,
                  "The key-binding JWT was not signed by the holder's key.", subject);
    }
    auto kb = jose::ParseJsonPayload(*jws);
    if (!kb.ok()) return FailWith(kb.error(), subject);
    const std::string* nonce = kb->FindString("nonce");
    const std::string* aud = kb->FindString("aud");
    const std::string* sd_hash = kb->FindString("sd_hash");
    auto iat = jose::NumericDate(*kb, "iat");
    if (nonce == nullptr || aud == nullptr || sd_hash == nullptr || !iat.ok() || !*iat) {
      return Fail("sdjwt.kb_malformed",
                  "The key-binding JWT lacks nonce, aud, sd_hash or a numeric iat.", subject);
    }
    bool ok = true;
    if (options_.nonce && *nonce != *options_.nonce) {
      ok = Fail("sdjwt.kb_nonce_mismatch",
                "The presentation answers another request (its nonce differs): it may be "
                "replayed.",
                subject);
    }
    if (options_.audience && *aud != *options_.audience) {
      ok = Fail("sdjwt.kb_audience_mismatch",
                "The presentation was made for another verifier (" + aud->substr(0, 100) + ").",
                subject);
    }
    if (*sd_hash != SdHash(parts.presented_part)) {
      ok =
          Fail("sdjwt.kb_sd_hash_mismatch",
               "The key-binding JWT covers a different set of disclosures than was sent.", subject);
    }
    TimePoint issued = **iat;
    if (issued < options_.now - options_.kb_max_age) {
      ok = Fail("sdjwt.kb_too_old",
                "The key-binding JWT was made at " + FormatRfc3339(issued) + ", too long before " +
                    FormatRfc3339(options_.now) + ".",
                subject);
    } else if (issued > options_.now + options_.kb_max_future) {
      ok = Fail("sdjwt.kb_from_future",
                "The key-binding JWT claims to be made at " + FormatRfc3339(issued) + ", after " +
                    FormatRfc3339(options_.now) + ".",
                subject);
    }
    if (!ok) return false;
    if (!options_.nonce || !options_.audience) {
      // Signed by the holder, but not shown to be made for this verifier's request: say so
      // rather than call it bound.
      report_->Warn("sdjwt.kb_not_checked",
                    "The holder's key signed this presentation, but no nonce and audience were "
                    "asked for, so it may have been made for someone else.",
                    subject);
      return false;
    }
    Pass("sdjwt.key_bound", "The holder signed this presentation for this verifier's request.",
         subject);
    return true;
  }

  const VerifyOptions& options_;
  verify::VerificationReport* report_;
  std::vector<Disclosure> disclosures_;
  std::unordered_map<std::string, size_t> by_digest_;
  std::vector<bool> used_;
  std::set<std::string> digests_seen_;
  std::vector<std::string> disclosed_paths_;
};

}  // namespace

std::optional<VerifiedSdJwt> VerifySdJwt(std::string_view text, const IssuerKeyLookup& issuer_key,
                                         const VerifyOptions& options,
                                         verify::VerificationReport* report) {
  return Verifier(options, report).Run(text, issuer_key);
}

}  // namespace lanyard::formats::sdjwt
