#pragma once
// FakeStateStore: an in-memory StateStore for the engine's tests, covering what the engine uses
// (commit_page, audit, dead letters, leases, settings). Other calls answer kInternal. Most tests
// run on the SQLite store on ":memory:" instead (make_test_store()).
//
// Thread safety: every call takes one mutex. Ownership: owns its data.

#include <map>
#include <memory>
#include <mutex>

#include "store/state_store.hpp"
#include "store/testing/partial_state_store.hpp"

namespace mlc::engine::testing {

class FakeStateStore final : public store::testing::PartialStateStore {
  public:
    FakeStateStore() : PartialStateStore("pages, audit, dead letters, leases and settings") {}

    Result<void> commit_page(const store::PageCommit& page) override;

    Result<std::int64_t> put_dead_letter(const store::DeadLetter& letter) override;
    Result<std::optional<store::DeadLetter>> get_dead_letter(std::int64_t id) override;
    Result<std::vector<store::DeadLetter>> list_dead_letters(
        std::optional<std::string> flow, std::optional<store::DeadLetterStatus> status,
        std::size_t limit) override;
    Result<void> set_dead_letter_status(std::int64_t id, store::DeadLetterStatus status) override;

    Result<std::int64_t> append_audit(const store::AuditEvent& event) override;
    Result<std::vector<store::AuditEvent>> query_audit(const store::AuditQuery& query) override;

    Result<bool> acquire_lease(const std::string& name, const std::string& owner, UtcTime now,
                               UtcTime until) override;
    Result<void> release_lease(const std::string& name, const std::string& owner) override;
    Result<std::optional<store::LeaseHolder>> lease_holder(const std::string& name) override;
    Result<void> put_setting(const std::string& key, const std::string& value) override;
    Result<std::optional<std::string>> get_setting(const std::string& key) override;

  private:
    struct Lease {
        std::string owner;
        UtcTime until;
    };
    std::mutex mutex_;
    std::int64_t next_id_ = 1;
    std::map<std::int64_t, store::DeadLetter> letters_;
    std::vector<store::AuditEvent> audit_;
    std::map<std::string, Lease> leases_;
    std::map<std::string, std::string> settings_;
};

// The store engine tests run on: SQLite ":memory:".
std::unique_ptr<store::StateStore> make_test_store();

}  // namespace mlc::engine::testing
