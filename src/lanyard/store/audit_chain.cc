#include "lanyard/store/audit_chain.h"

#include "lanyard/core/encoding.h"
#include "lanyard/crypto/sha256.h"
#include "lanyard/json/canonical.h"
#include "lanyard/json/value.h"

namespace lanyard::store {
namespace {

std::string HexSha256(std::string_view text) {
  crypto::Sha256Digest digest = crypto::Sha256(AsBytes(text));
  return HexEncode(ByteView(digest.data(), digest.size()));
}

// Entries per read: bounds memory whatever the log's length.
constexpr size_t kPage = 10'000;

}  // namespace

std::string AuditDetailsHash(std::string_view details_json) {
  if (details_json.empty()) return "";
  return HexSha256(details_json);
}

std::string AuditChainPayload(const AuditEntry& entry) {
  json::Value payload(json::Object{
      {"seq", json::Value(static_cast<double>(entry.seq))},
      {"at", json::Value(FormatRfc3339(entry.at))},
      {"actor", json::Value(entry.actor)},
      {"org", json::Value(entry.org_ods)},
      {"action", json::Value(entry.action)},
      {"subject", json::Value(entry.subject)},
      {"details_hash", json::Value(entry.details_hash)},
  });
  auto canonical = json::Canonicalize(payload);
  // Only text that is not UTF-8 fails, which the store refuses to append; an entry altered to
  // hold such text gets a payload no genuine entry has, so its hash cannot match.
  if (!canonical.ok()) return "";
  return std::move(canonical).value();
}

std::string AuditEntryHash(const AuditEntry& entry) {
  std::string input = entry.prev_hash;
  input += '\n';
  input += AuditChainPayload(entry);
  return HexSha256(input);
}

Result<AuditVerification> VerifyAuditChain(const Store& store) {
  AuditVerification v;
  v.head_hash = std::string(kAuditGenesisHash);
  uint64_t last_seq = 0;
  auto fail = [&](std::string problem, uint64_t seq, std::string message) {
    v.problem = std::move(problem);
    v.problem_seq = seq;
    v.message = std::move(message);
    return v;
  };
  // Reads pages until they run out, then the recorded head. Entries appended meanwhile make the
  // head run ahead of what was read: read on until caught up. A head that is ahead with nothing
  // left to read means entries were cut from the end.
  for (;;) {
    for (;;) {
      LANYARD_ASSIGN_OR_RETURN(std::vector<AuditEntry> page,
                               store.AuditEntries(last_seq + 1, kPage));
      for (const AuditEntry& e : page) {
        uint64_t expected = last_seq + 1;
        if (e.seq != expected) {
          return fail("audit.gap", expected,
                      "entry " + std::to_string(expected) + " is missing (the next is " +
                          std::to_string(e.seq) + ")");
        }
        if (e.prev_hash != v.head_hash) {
          return fail(
              "audit.broken_link", e.seq,
              "entry " + std::to_string(e.seq) + " does not name the previous entry's hash");
        }
        if (AuditEntryHash(e) != e.entry_hash) {
          return fail("audit.altered", e.seq,
                      "entry " + std::to_string(e.seq) + " does not match its hash");
        }
        LANYARD_ASSIGN_OR_RETURN(std::optional<std::string> details, store.AuditDetails(e.seq));
        if (details.has_value()) {
          if (AuditDetailsHash(*details) != e.details_hash) {
            return fail(
                "audit.details_altered", e.seq,
                "the details of entry " + std::to_string(e.seq) + " do not match their hash");
          }
          ++v.details_present;
        } else if (!e.details_hash.empty()) {
          ++v.details_erased;
        }
        ++v.entries;
        last_seq = e.seq;
        v.head_hash = e.entry_hash;
      }
      if (page.size() < kPage) break;
    }
    LANYARD_ASSIGN_OR_RETURN(auto head, store.AuditHead());
    const auto& [head_seq, head_hash] = head;
    if (head_seq > last_seq) {
      LANYARD_ASSIGN_OR_RETURN(std::vector<AuditEntry> more, store.AuditEntries(last_seq + 1, 1));
      if (!more.empty()) continue;  // appended while we read
      return fail("audit.head_mismatch", head_seq,
                  "the recorded head is entry " + std::to_string(head_seq) +
                      " but the log ends at " + std::to_string(last_seq));
    }
    // The head is read after the entries, so in an untouched log it is never behind them.
    if (head_seq < last_seq || head_hash != v.head_hash) {
      return fail("audit.head_mismatch", head_seq,
                  "the recorded head (entry " + std::to_string(head_seq) +
                      ") is not the log's last entry (" + std::to_string(last_seq) + ")");
    }
    return v;
  }
}

}  // namespace lanyard::store
