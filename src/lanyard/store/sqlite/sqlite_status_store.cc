// The status-list store on SQLite (WAL, synchronous=FULL: a change is on disk before the call
// returns). One connection behind a mutex: the CLI and the tests are its users, and the
// passport store (sqlite_store.cc), which shares its tables and migrations, is what the server
// uses. The database file is the same either way, so each can open the other's.
#include <mutex>

#include "lanyard/store/sqlite/sqlite_util.h"
#include "lanyard/store/status_store.h"

namespace lanyard::store {
namespace {

using sqlite::Connection;
namespace tables = sqlite::status_tables;

class SqliteStatusStore final : public StatusStore {
 public:
  explicit SqliteStatusStore(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  Status CreateList(const StatusListRecord& list) override {
    std::lock_guard lock(mu_);
    return InTransaction([&] { return tables::CreateList(*conn_, list); });
  }

  Result<StatusListRecord> GetList(std::string_view id) const override {
    std::lock_guard lock(mu_);
    return tables::GetList(*conn_, id);
  }

  Result<std::vector<StatusListRecord>> Lists() const override {
    std::lock_guard lock(mu_);
    return tables::Lists(*conn_);
  }

  Status Reserve(std::string_view list, uint64_t index, std::string_view credential_id,
                 TimePoint at) override {
    std::lock_guard lock(mu_);
    return InTransaction([&] { return tables::Reserve(*conn_, list, index, credential_id, at); });
  }

  Result<uint64_t> CountReserved(std::string_view list) const override {
    std::lock_guard lock(mu_);
    return tables::CountReserved(*conn_, list);
  }

  Result<std::vector<uint64_t>> ReservedIndexes(std::string_view list) const override {
    std::lock_guard lock(mu_);
    return tables::ReservedIndexes(*conn_, list);
  }

  Result<StatusEntry> GetEntry(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    return tables::GetEntry(*conn_, list, index);
  }

  Status SetValue(std::string_view list, uint64_t index, uint8_t expected, uint8_t value,
                  std::string_view reason, TimePoint at) override {
    std::lock_guard lock(mu_);
    return InTransaction(
        [&] { return tables::SetValue(*conn_, list, index, expected, value, reason, at); });
  }

  Result<std::vector<std::pair<uint64_t, uint8_t>>> NonZero(std::string_view list) const override {
    std::lock_guard lock(mu_);
    return tables::NonZero(*conn_, list);
  }

  Result<std::vector<StatusChange>> History(std::string_view list, uint64_t index) const override {
    std::lock_guard lock(mu_);
    return tables::History(*conn_, list, index);
  }

 private:
  // REQUIRES: mu_ held.
  template <typename F>
  Status InTransaction(F&& body) {
    LANYARD_TRY(conn_->Exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (s.ok()) s = conn_->Exec("COMMIT");
    // Never leave a transaction open: it would hold the write lock against other processes.
    if (!s.ok()) conn_->Rollback();
    return s;
  }

  // Mutable: reads use the connection's statement cache.
  std::unique_ptr<Connection> conn_;
  mutable std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<StatusStore>> NewSqliteStatusStore(const std::string& path) {
  LANYARD_ASSIGN_OR_RETURN(auto conn, Connection::Open(path, sqlite::kStatusStoreErrors));
  LANYARD_TRY(sqlite::Migrate(*conn, Code::kUnavailable, "status_store.unavailable"));
  return std::unique_ptr<StatusStore>(std::make_unique<SqliteStatusStore>(std::move(conn)));
}

}  // namespace lanyard::store
