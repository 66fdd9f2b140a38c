#include "lanyard/verify/status_check.h"

#include <algorithm>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <variant>

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/formats/di/data_integrity.h"
#include "lanyard/formats/jose/jws.h"
#include "lanyard/formats/jose/token_text.h"
#include "lanyard/formats/sdjwt/issuer_metadata.h"
#include "lanyard/formats/vc/data_model.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/parser.h"

namespace lanyard::verify {

struct StatusChecker::CachedList {
  bool token = false;
  std::string issuer;
  std::vector<std::string> purposes;  // Bitstring: what the list records
  std::variant<std::monostate, formats::status::BitstringStatusList, formats::status::TokenStatusList>
      list;
  TimePoint expires;      // when it must be fetched again
  TimePoint valid_until;  // after this it is unusable even offline
  TimePoint fetched;
  size_t bytes = 0;  // decoded size, what the memory cache is bounded by

  Result<uint8_t> Get(uint64_t index) const {
    if (const auto* bits = std::get_if<formats::status::BitstringStatusList>(&list)) {
      LANYARD_ASSIGN_OR_RETURN(bool v, bits->Get(index));
      return static_cast<uint8_t>(v ? 1 : 0);
    }
    return std::get<formats::status::TokenStatusList>(list).Get(index);
  }
};

namespace {

Error StatusError(Code code, const char* reason, const std::string& message) {
  return MakeError(code, reason, message);
}
Error ListInvalid(std::string_view url, const std::string& why) {
  return StatusError(Code::kInvalidArgument, "status.list_invalid",
                     "the status list at " + std::string(url.substr(0, 200)) +
                         " cannot be trusted: " + why);
}
Error Unavailable(std::string_view url, const std::string& why) {
  return StatusError(Code::kUnavailable, "status.unavailable",
                     "the status list at " + std::string(url.substr(0, 200)) +
                         " could not be checked: " + why);
}


std::string IssuerOf(const json::Value& doc) {
  const json::Value* issuer = doc.Find("issuer");
  if (issuer == nullptr) return {};
  if (issuer->is_string()) return issuer->as_string();
  if (const std::string* id = issuer->FindString("id")) return *id;
  return {};
}

// A decimal index as the Bitstring spec writes it ("statusListIndex": "94567").
std::optional<uint64_t> ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string_view::npos ||
      (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  return std::stoull(std::string(text));
}

std::string CachePath(const std::string& dir, std::string_view url) {
  auto digest = crypto::Sha256(ByteView(reinterpret_cast<const uint8_t*>(url.data()), url.size()));
  return dir + "/" + HexEncode(ByteView(digest.data(), digest.size())) + ".json";
}

void Record(const Status& outcome, std::string_view subject, VerificationReport* report) {
  report->Fail(outcome.error().reason, outcome.error().message + ".", std::string(subject));
}

// A list signed with a key its organisation reported compromised proves nothing.
Status KeyNotCompromised(const trust::TrustRegistry* registry, std::string_view key_id,
                         std::string_view url) {
  if (registry == nullptr) return {};
  const trust::KeyState* key = registry->FindKey(key_id);
  if (key != nullptr && key->status == trust::KeyStatus::kCompromised) {
    return ListInvalid(url, "it is signed with " + std::string(key_id.substr(0, 200)) +
                                ", a key reported compromised");
  }
  return {};
}

}  // namespace

StatusChecker::StatusChecker(const did::Resolver& resolver, const Clock& clock,
                             StatusCheckOptions options)
    : resolver_(resolver), clock_(clock), options_(std::move(options)) {}

StatusChecker::~StatusChecker() = default;

Result<uint8_t> StatusChecker::Lookup(std::string_view url, uint64_t index) const {
  TimePoint now = clock_.Now();
  std::shared_lock lock(mu_);
  auto it = cache_.find(url);
  if (it == cache_.end()) return Unavailable(url, "it is not in the cache");
  const CachedList& list = *it->second;
  if (!(now < list.valid_until) || (options_.http != nullptr && !(now < list.expires))) {
    return Unavailable(url, "the cached copy has expired");
  }
  return list.Get(index);
}

Status StatusChecker::Load(std::string_view url, bool kind_token, std::string_view issuer) const {
  LANYARD_TRY(Get(url, kind_token, issuer));
  return {};
}

Result<std::shared_ptr<const StatusChecker::CachedList>> StatusChecker::VerifyText(
    std::string_view url, bool kind_token, std::string_view issuer, std::string_view text,
    TimePoint fetched) const {
  TimePoint now = clock_.Now();
  auto entry = std::make_shared<CachedList>();
  entry->token = kind_token;
  entry->issuer = std::string(issuer);
  entry->fetched = fetched;
  std::chrono::seconds ttl = options_.default_ttl;
  if (!kind_token) {
    json::ParseOptions parse;
    parse.max_bytes = options_.max_document_bytes;
    parse.max_depth = 32;
    auto doc = json::Parse(text, parse);
    if (!doc.ok()) return ListInvalid(url, "it is not JSON (" + doc.error().reason + ")");
    if (!doc->is_object() || !json::IsOrContainsString(doc->Find("type"), "BitstringStatusListCredential")) {
      return ListInvalid(url, "it is not a BitstringStatusListCredential");
    }
    // The list names itself by the URL it is served at, so another list of the same issuer
    // (an older one, one of another purpose) cannot be served in its place.
    if (const std::string* id = doc->FindString("id"); id == nullptr || *id != url) {
      return ListInvalid(url, id == nullptr ? std::string("it does not name itself (id)")
                                            : "it names itself " + id->substr(0, 200));
    }
    if (IssuerOf(*doc) != issuer) {
      return ListInvalid(url, "it was issued by " + IssuerOf(*doc).substr(0, 200) +
                                  ", not by the credential's issuer " +
                                  std::string(issuer.substr(0, 200)));
    }
    VerificationReport checks;
    formats::vc::CheckCredential(*doc, now, "list", &checks);
    formats::di::ProofExpectations expect;
    expect.now = now;
    auto proofs = formats::di::VerifyProofs(*doc, resolver_, expect, &checks);
    // Made by a key inside the issuer's own DID document, not merely one that names the issuer
    // as its controller (anyone can write that into their own document).
    bool by_issuer = false;
    for (const auto& p : proofs) {
      if (p.verification_method.substr(0, p.verification_method.find('#')) != issuer ||
          p.controller != issuer) {
        continue;
      }
      if (Status key = KeyNotCompromised(options_.trust, p.verification_method, url); !key.ok()) return key.error();
      by_issuer = true;
    }
    if (!checks.verified()) return ListInvalid(url, checks.Failures().front().message);
    if (!by_issuer) return ListInvalid(url, "no valid proof was made by a key of its issuer");
    const json::Value* subject = doc->Find("credentialSubject");
    if (subject == nullptr || !subject->is_object() ||
        !json::IsOrContainsString(subject->Find("type"), "BitstringStatusList")) {
      return ListInvalid(url, "its credentialSubject is not a BitstringStatusList");
    }
    const json::Value* purpose = subject->Find("statusPurpose");
    if (purpose != nullptr && purpose->is_string()) {
      entry->purposes.push_back(purpose->as_string());
    } else if (purpose != nullptr && purpose->is_array()) {
      for (const auto& p : purpose->as_array()) {
        if (p.is_string()) entry->purposes.push_back(p.as_string());
      }
    }
    const std::string* encoded = subject->FindString("encodedList");
    if (encoded == nullptr) return ListInvalid(url, "it has no encodedList");
    auto list = formats::status::BitstringStatusList::Decode(*encoded, options_.limits);
    if (!list.ok()) {
      if (list.error().reason == "status.list_too_short") {
        return StatusError(Code::kInvalidArgument, "status.list_too_short",
                           "the status list at " + std::string(url.substr(0, 200)) + " is too " +
                               "short: " + list.error().message);
      }
      return ListInvalid(url, list.error().message);
    }
    entry->bytes = list->size() / 8;
    entry->list = *std::move(list);
    if (const json::Value* t = subject->Find("ttl"); t != nullptr && t->is_number() &&
                                                      t->as_number() >= 0 &&
                                                      t->as_number() < 1e12) {
      ttl = std::chrono::seconds(static_cast<int64_t>(t->as_number() / 1000));
    }
    entry->valid_until = TimePoint::max();
    if (const std::string* until = doc->FindString("validUntil")) {
      if (auto t = ParseRfc3339(*until); t.ok()) entry->valid_until = *t;
    }
  } else {
    auto jws = formats::jose::ParseCompactJws(formats::jose::TrimToken(text),
                                              options_.max_document_bytes);
    if (!jws.ok()) return ListInvalid(url, "it is not a signed JWT (" + jws.error().reason + ")");
    const std::string* typ = jws->header.FindString("typ");
    if (typ == nullptr || *typ != "statuslist+jwt") {
      return ListInvalid(url, "its typ is not statuslist+jwt");
    }
    auto payload = formats::jose::ParseJsonPayload(*jws);
    if (!payload.ok()) return ListInvalid(url, "its payload is not a JSON object");
    const std::string* sub = payload->FindString("sub");
    if (sub == nullptr || *sub != url) return ListInvalid(url, "its sub is not this list's URI");
    if (const std::string* iss = payload->FindString("iss"); iss != nullptr && *iss != issuer) {
      return ListInvalid(url, "it was issued by " + iss->substr(0, 200) +
                                  ", not by the credential's issuer");
    }
    // The key: a DID issuer's assertion key named by kid; an https issuer's published key.
    const std::string* kid = jws->header.FindString("kid");
    Result<crypto::PublicKey> key = ListInvalid(url, "its signing key cannot be found");
    if (issuer.substr(0, 4) == "did:") {
      if (kid == nullptr || kid->substr(0, kid->find('#')) != issuer) {
        return ListInvalid(url, "its kid is not a key of the issuer " +
                                    std::string(issuer.substr(0, 200)));
      }
      auto method = did::DereferenceMethod(resolver_, *kid, "assertionMethod");
      if (!method.ok()) return ListInvalid(url, method.error().message);
      if (method->controller != issuer) {
        return ListInvalid(url, "its key is controlled by " + method->controller.substr(0, 200));
      }
      if (Status usable = KeyNotCompromised(options_.trust, *kid, url); !usable.ok()) return usable.error();
      key = method->key;
    } else if (options_.http != nullptr) {
      std::optional<std::string_view> wanted;
      if (kid != nullptr) wanted = *kid;
      key = formats::sdjwt::ResolveIssuerKeyFromMetadata(*options_.http, issuer, wanted);
      if (!key.ok()) return ListInvalid(url, key.error().message);
    } else {
      return Unavailable(url, "the issuer's key needs its metadata, and this verifier is offline");
    }
    if (Status s = formats::jose::VerifyJwsSignature(*jws, *key); !s.ok()) {
      return ListInvalid(url, "its signature does not verify");
    }
    const json::Value* exp = payload->Find("exp");
    const json::Value* iat = payload->Find("iat");
    if (iat == nullptr || !iat->is_number() || iat->as_number() < 0 || iat->as_number() > 1e11) {
      return ListInvalid(url, "it has no usable iat");
    }
    entry->valid_until = TimePoint::max();
    if (exp != nullptr) {
      if (!exp->is_number() || exp->as_number() > 1e11 || exp->as_number() < 0) {
        return ListInvalid(url, "its exp is not a time");
      }
      entry->valid_until = FromUnixSeconds(static_cast<int64_t>(exp->as_number()));
    }
    if (FromUnixSeconds(static_cast<int64_t>(iat->as_number())) > now + options_.skew) {
      return ListInvalid(url, "it was issued in the future");
    }
    const json::Value* sl = payload->Find("status_list");
    const json::Value* bits = sl != nullptr ? sl->Find("bits") : nullptr;
    const std::string* lst = sl != nullptr ? sl->FindString("lst") : nullptr;
    if (bits == nullptr || !bits->is_number() || lst == nullptr ||
        bits->as_number() != static_cast<double>(static_cast<int>(bits->as_number()))) {
      return ListInvalid(url, "it has no status_list {bits, lst} with whole-number bits");
    }
    auto list = formats::status::TokenStatusList::Decode(static_cast<int>(bits->as_number()),
                                                         *lst, options_.limits);
    if (!list.ok()) return ListInvalid(url, list.error().message);
    entry->bytes = list->size() * static_cast<size_t>(list->bits()) / 8;
    entry->list = *std::move(list);
    if (const json::Value* t = payload->Find("ttl");
        t != nullptr && t->is_number() && t->as_number() >= 0 && t->as_number() < 1e9) {
      ttl = std::chrono::seconds(static_cast<int64_t>(t->as_number()));
    }
  }
  // Written as now - skew: valid_until may be TimePoint::max() (no expiry), which must not overflow.
  if (!(now - options_.skew < entry->valid_until)) {
    return ListInvalid(url, "it expired at " + FormatRfc3339(entry->valid_until));
  }
  entry->expires = std::min(fetched + ttl, entry->valid_until);
  return std::shared_ptr<const CachedList>(std::move(entry));
}

Result<std::shared_ptr<const StatusChecker::CachedList>> StatusChecker::Get(
    std::string_view url, bool kind_token, std::string_view issuer) const {
  TimePoint now = clock_.Now();
  bool offline = options_.http == nullptr;
  auto usable = [&](const CachedList& l) {
    return l.token == kind_token && l.issuer == issuer && now < l.valid_until &&
           (offline ? now - l.fetched <= options_.max_offline_age : now < l.expires);
  };
  {
    std::shared_lock lock(mu_);
    auto it = cache_.find(url);
    if (it != cache_.end() && usable(*it->second)) return it->second;
  }
  auto remember = [&](std::shared_ptr<const CachedList> list) {
    std::unique_lock lock(mu_);
    // Bounded by decoded size; lists are fetched again on demand.
    if (cache_bytes_ + list->bytes > options_.max_cache_bytes || cache_.size() >= 4096) {
      cache_.clear();
      cache_bytes_ = 0;
    }
    std::shared_ptr<const CachedList>& slot = cache_[std::string(url)];
    if (slot) cache_bytes_ -= slot->bytes;  // a refreshed list replaces the old one
    slot = list;
    cache_bytes_ += list->bytes;
    return list;
  };
  // The disk cache: text as fetched, verified again now.
  std::string path = options_.cache_dir.empty() ? "" : CachePath(options_.cache_dir, url);
  if (!path.empty()) {
    std::error_code ec;
    auto status = std::filesystem::symlink_status(path, ec);
    auto size = ec ? 0 : std::filesystem::file_size(path, ec);
    auto modified = ec ? std::filesystem::file_time_type() : std::filesystem::last_write_time(path, ec);
    // A regular file of a plausible size only: never a link, a device or a giant.
    if (!ec && std::filesystem::is_regular_file(status) &&
        size <= options_.max_document_bytes * 2 + 4096) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      auto stored = json::Parse(buf.str(), {options_.max_document_bytes * 2 + 4096, 8});
      const std::string* body = stored.ok() ? stored->FindString("body") : nullptr;
      const std::string* when = stored.ok() ? stored->FindString("fetched") : nullptr;
      const std::string* stored_url = stored.ok() ? stored->FindString("url") : nullptr;
      auto fetched = when != nullptr ? ParseRfc3339(*when) : Result<TimePoint>(Unavailable(url, ""));
      if (body != nullptr && fetched.ok() && stored_url != nullptr && *stored_url == url) {
        // The recorded time is the writer's word: never later than the file was written.
        auto file_time = std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::file_clock::to_sys(modified));
        TimePoint at = std::min(*fetched, TimePoint(file_time.time_since_epoch()));
        auto list = VerifyText(url, kind_token, issuer, *body, at);
        if (list.ok() && usable(**list)) return remember(*std::move(list));
      }
    }
  }
  if (offline) {
    return Unavailable(url, "this verifier is offline and has no usable cached copy");
  }
  // Which schemes and hosts may be fetched (https, http to loopback only) is the HttpClient's
  // rule, the same for every fetch; a refusal comes back as an error and fails closed below.
  HttpRequest request;
  request.url = std::string(url);
  request.headers["accept"] =
      kind_token ? "application/statuslist+jwt" : "application/vc+ld+json, application/json";
  request.max_body_bytes = options_.max_document_bytes;
  request.timeout = options_.timeout;
  auto response = options_.http->Get(request);
  if (!response.ok()) {
    if (response.error().reason == "http.too_large") {
      return ListInvalid(url, "it is larger than " + std::to_string(options_.max_document_bytes) +
                                  " bytes");
    }
    return Unavailable(url, response.error().message);
  }
  if (response->status != 200) {
    return Unavailable(url, "the server answered HTTP " + std::to_string(response->status));
  }
  LANYARD_ASSIGN_OR_RETURN(auto list, VerifyText(url, kind_token, issuer, response->body, now));
  if (!options_.cache_dir.empty()) {
    // Best effort: a cache that cannot be written costs a fetch next time, nothing more.
    (void)WriteStatusCacheEntry(options_.cache_dir, url, response->body, now);
  }
  return remember(std::move(list));
}

Status WriteStatusCacheEntry(const std::string& dir, std::string_view url, std::string_view body,
                             TimePoint fetched) {
  std::string path = CachePath(dir, url);
  json::Value stored = json::Object{};
  stored.Set("url", std::string(url));
  stored.Set("fetched", FormatRfc3339(fetched));
  stored.Set("body", std::string(body));
  // Written whole then renamed, so a reader never sees half a file; its modification time is the
  // fetch time, which a reader never lets the recorded time exceed.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Unique per process and thread: cohort workers may store the same list at once.
  std::string tmp = path + ".tmp" + std::to_string(::getpid()) + "-" +
                    std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out << json::Serialize(stored);
  out.close();
  if (out) {
    auto since_epoch = std::chrono::duration_cast<std::filesystem::file_time_type::duration>(
        fetched.time_since_epoch());
    std::filesystem::last_write_time(
        tmp, std::chrono::file_clock::from_sys(std::chrono::sys_time<decltype(since_epoch)>(since_epoch)),
        ec);
    if (!ec) std::filesystem::rename(tmp, path, ec);
  }
  if (!out || ec) {
    std::filesystem::remove(tmp, ec);
    return MakeError(Code::kUnavailable, "status.cache_unwritable",
                     "cannot write the status cache in " + dir);
  }
  return {};
}

Result<uint8_t> StatusChecker::EntryValue(std::string_view url, bool kind_token,
                                          std::string_view issuer, uint64_t index,
                                          std::string_view purpose) const {
  auto does_not_record = [&] {
    return StatusError(Code::kInvalidArgument, "status.list_invalid",
                       "The status list at " + std::string(url.substr(0, 200)) +
                           " does not record " + std::string(purpose));
  };
  if (options_.local != nullptr) {
    if (auto local = options_.local->Read(url, index)) {
      if (!local->ok()) return Unavailable(url, local->error().message);
      const LocalStatusLists::Entry& e = **local;
      // The same conditions a fetched list must meet, minus the signature: the lists are this
      // process's own records. Whose list it is still matters: a credential from elsewhere
      // naming one of these lists must not borrow its entries.
      if (e.token != kind_token) {
        return ListInvalid(url, kind_token ? "it is not a Token Status List"
                                           : "it is not a Bitstring Status List");
      }
      if (e.issuer != issuer) {
        return ListInvalid(url, "it is not issued by the credential's issuer");
      }
      if (!kind_token && e.purpose != purpose) return does_not_record();
      if (!kind_token && e.size < formats::status::kMinBitstringEntries) {
        return StatusError(Code::kInvalidArgument, "status.list_too_short",
                           "the status list at " + std::string(url.substr(0, 200)) +
                               " has fewer entries than the minimum");
      }
      if (index >= e.size) {
        return StatusError(Code::kInvalidArgument, "status.index_out_of_range",
                           "the index " + std::to_string(index) + " is beyond the list's " +
                               std::to_string(e.size) + " entries");
      }
      return e.value;
    }
  }
  LANYARD_ASSIGN_OR_RETURN(auto list, Get(url, kind_token, issuer));
  if (!kind_token) {
    const auto& purposes = list->purposes;
    if (std::find(purposes.begin(), purposes.end(), purpose) == purposes.end()) {
      return does_not_record();
    }
  }
  return list->Get(index);
}

void StatusChecker::CheckCredentialStatus(const json::Value& credential_status,
                                          std::string_view issuer, std::string_view subject,
                                          VerificationReport* report) const {
  std::vector<const json::Value*> entries;
  if (credential_status.is_array()) {
    for (const auto& e : credential_status.as_array()) entries.push_back(&e);
  } else {
    entries.push_back(&credential_status);
  }
  if (entries.empty() || entries.size() > options_.max_entries) {
    report->Fail("status.malformed",
                 entries.empty() ? std::string("credentialStatus is an empty list.")
                                 : "credentialStatus names " + std::to_string(entries.size()) +
                                       " entries; at most " + std::to_string(options_.max_entries) +
                                       " are read.",
                 std::string(subject));
    return;
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string where = entries.size() > 1 || credential_status.is_array()
                            ? std::string(subject) + "[" + std::to_string(i) + "]"
                            : std::string(subject);
    const json::Value& e = *entries[i];
    const std::string* type = e.FindString("type");
    const std::string* purpose = e.FindString("statusPurpose");
    const std::string* index_text = e.FindString("statusListIndex");
    const std::string* url = e.FindString("statusListCredential");
    std::optional<uint64_t> index = index_text ? ParseIndex(*index_text) : std::nullopt;
    if (type != nullptr && *type == "StatusList2021Entry") {
      // The draft that Bitstring Status List replaced; its lists are not read here, and an
      // unread list must not pass as "not revoked".
      report->Fail("status.unavailable",
                   "The credential uses a StatusList2021 list, which Lanyard does not read; its "
                   "revocation and suspension are unknown.",
                   where);
      continue;
    }
    if (!e.is_object() || type == nullptr || *type != "BitstringStatusListEntry" ||
        purpose == nullptr || !index || url == nullptr) {
      report->Fail("status.malformed",
                   "A credentialStatus entry is not a well-formed BitstringStatusListEntry "
                   "(type, statusPurpose, statusListIndex as a decimal string, "
                   "statusListCredential).",
                   where);
      continue;
    }
    if (*purpose != "revocation" && *purpose != "suspension") {
      report->Warn("status.purpose_unsupported",
                   "A status entry of purpose \"" + purpose->substr(0, 40) +
                       "\" was not consulted; it does not decide validity.",
                   where);
      continue;
    }
    auto value = EntryValue(*url, false, issuer, *index, *purpose);
    if (!value.ok()) {
      Record(std::move(value).error(), where, report);
      continue;
    }
    if (*value == 0) {
      report->Pass("status.current",
                   std::string("The issuer's ") + *purpose + " list shows the credential as not " +
                       (*purpose == "revocation" ? "revoked" : "suspended") + ".",
                   where);
    } else if (*purpose == "revocation") {
      report->Fail("status.revoked", "The issuer has revoked this credential.", where);
    } else {
      report->Fail("status.suspended", "The issuer has suspended this credential.", where);
    }
  }
}

void StatusChecker::CheckTokenStatus(const json::Value& status, std::string_view issuer,
                                     std::string_view subject, VerificationReport* report) const {
  const json::Value* ref = status.Find("status_list");
  const json::Value* idx = ref != nullptr ? ref->Find("idx") : nullptr;
  const std::string* uri = ref != nullptr ? ref->FindString("uri") : nullptr;
  std::string where(subject);
  if (idx == nullptr || !idx->is_number() || idx->as_number() < 0 ||
      idx->as_number() > 9007199254740991.0 ||
      idx->as_number() != static_cast<double>(static_cast<uint64_t>(idx->as_number())) ||
      uri == nullptr) {
    report->Fail("status.malformed",
                 "The credential's status claim is not a Token Status List reference "
                 "({status_list: {idx, uri}}).",
                 where);
    return;
  }
  auto value = EntryValue(*uri, true, issuer, static_cast<uint64_t>(idx->as_number()), "");
  if (!value.ok()) {
    Record(std::move(value).error(), where, report);
    return;
  }
  switch (*value) {
    case 0:
      report->Pass("status.current", "The issuer's status list shows the credential as valid.",
                   where);
      break;
    case 1:
      report->Fail("status.revoked", "The issuer has revoked this credential.", where);
      break;
    case 2:
      report->Fail("status.suspended", "The issuer has suspended this credential.", where);
      break;
    default:
      report->Fail("status.unrecognised_value",
                   "The status list gives the value " + std::to_string(*value) +
                       ", which Lanyard does not know; the credential is not accepted.",
                   where);
  }
}

}  // namespace lanyard::verify
