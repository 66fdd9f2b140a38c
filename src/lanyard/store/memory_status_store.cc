#include <map>
#include <mutex>

#include "lanyard/store/status_store.h"

namespace lanyard::store {
namespace {

Error ListNotFound(std::string_view id) {
  return MakeError(Code::kNotFound, "status_store.list_not_found",
                   "there is no status list \"" + std::string(id.substr(0, 80)) + "\"");
}

Error EntryNotFound(std::string_view list, uint64_t index) {
  return MakeError(Code::kNotFound, "status_store.entry_not_found",
                   "index " + std::to_string(index) + " of status list \"" +
                       std::string(list.substr(0, 80)) + "\" was never allocated");
}

class MemoryStatusStore final : public StatusStore {
 public:
  Status CreateList(const StatusListRecord& list) override {
    std::lock_guard lock(mu_);
    if (lists_.count(list.id) != 0) {
      return MakeError(Code::kAlreadyExists, "status_store.list_exists",
                       "a status list named \"" + list.id + "\" already exists");
    }
    lists_[list.id].record = list;
    return {};
  }

  Result<StatusListRecord> GetList(std::string_view id) const override {
    std::lock_guard lock(mu_);
    auto it = lists_.find(std::string(id));
    if (it == lists_.end()) return ListNotFound(id);
    return it->second.record;
  }

  Result<std::vector<StatusListRecord>> Lists() const override {
    std::lock_guard lock(mu_);
    std::vector<StatusListRecord> out;
    for (const auto& [id, l] : lists_) out.push_back(l.record);
    return out;
  }

  Status Reserve(std::string_view list, uint64_t index, std::string_view credential_id,
                 TimePoint at) override {
    std::lock_guard lock(mu_);
    auto it = lists_.find(std::string(list));
    if (it == lists_.end()) return ListNotFound(list);
    auto [entry, added] = it->second.entries.try_emplace(index);
    if (!added) {
      return MakeError(Code::kAlreadyExists, "status_store.index_taken",
                       "index " + std::to_string(index) + " is already allocated");
    }
    entry->second.entry = StatusEntry{index, std::string(credential_id), 0, "issued", at};
    entry->second.history.push_back(StatusChange{index, 0, "issued", at});
    return {};
  }

  Result<uint64_t> CountReserved(std::string_view list) const override {
    std::lock_guard lock(mu_);
    auto it = lists_.find(std::string(list));
    if (it == lists_.end()) return ListNotFound(list);
    return static_cast<uint64_t>(it->second.entries.size());
  }

  Result<std::vector<uint64_t>> ReservedIndexes(std::string_view list) const override {
    std::lock_guard lock(mu_);
    auto it = lists_.find(std::string(list));
    if (it == lists_.end()) return ListNotFound(list);
    std::vector<uint64_t> out;
    out.reserve(it->second.entries.size());
    for (const auto& [index, slot] : it->second.entries) out.push_back(index);
    return out;
  }

  Result<StatusEntry> GetEntry(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    LANYARD_ASSIGN_OR_RETURN(const Slot* slot, Find(list, index));
    return slot->entry;
  }

  Status SetValue(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                  std::string_view reason, TimePoint at) override {
    std::lock_guard lock(mu_);
    LANYARD_ASSIGN_OR_RETURN(const Slot* found, Find(list, index));
    Slot* slot = const_cast<Slot*>(found);
    if (slot->entry.value != expected) {
      return MakeError(Code::kFailedPrecondition, "status_store.conflict",
                       "the entry changed while this change was being made");
    }
    slot->entry.value = value;
    slot->entry.reason = std::string(reason);
    slot->entry.updated = at;
    slot->history.push_back(StatusChange{index, value, std::string(reason), at});
    return {};
  }

  Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(std::string_view list) const override {
    std::lock_guard lock(mu_);
    auto it = lists_.find(std::string(list));
    if (it == lists_.end()) return ListNotFound(list);
    std::vector<std::pair<uint64_t, uint8_t>> out;
    for (const auto& [index, slot] : it->second.entries) {
      if (slot.entry.value != 0) out.emplace_back(index, slot.entry.value);
    }
    return out;
  }

  Result<std::vector<StatusChange>> History(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    LANYARD_ASSIGN_OR_RETURN(const Slot* slot, Find(list, index));
    return slot->history;
  }

 private:
  struct Slot {
    StatusEntry entry;
    std::vector<StatusChange> history;
  };
  struct List {
    StatusListRecord record;
    std::map<uint64_t, Slot> entries;
  };

  Result<const Slot*> Find(std::string_view list, uint64_t index) const {
    auto it = lists_.find(std::string(list));
    if (it == lists_.end()) return ListNotFound(list);
    auto e = it->second.entries.find(index);
    if (e == it->second.entries.end()) return EntryNotFound(list, index);
    return &e->second;
  }

  mutable std::mutex mu_;
  std::map<std::string, List> lists_;
};

}  // namespace

std::string_view ListFormatName(ListFormat format) {
  return format == ListFormat::kBitstring ? "bitstring" : "token";
}

Result<ListFormat> ParseListFormat(std::string_view name) {
  if (name == "bitstring") return ListFormat::kBitstring;
  if (name == "token") return ListFormat::kToken;
  return MakeError(Code::kInvalidArgument, "status.unknown_format",
                   "a status list format is \"bitstring\" or \"token\", not \"" +
                       std::string(name.substr(0, 40)) + "\"");
}

std::unique_ptr<StatusStore> NewMemoryStatusStore() {
  return std::make_unique<MemoryStatusStore>();
}

}  // namespace lanyard::store
