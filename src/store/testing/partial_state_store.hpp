#pragma once
// PartialStateStore: a base for test fakes that hold only part of the StateStore. Every member
// answers kInternal naming what the fake holds (`holds`), so a test that reaches a member its
// fake does not implement fails loudly instead of silently passing; a fake overrides the members
// it models. Tests that need the whole store use the SQLite store on ":memory:".
//
// Lifecycle: a test object. Thread safety: this base holds no state; derived fakes say theirs.

#include <string>
#include <utility>

#include "store/state_store.hpp"

namespace mlc::store::testing {

class PartialStateStore : public StateStore {
  public:
    explicit PartialStateStore(std::string holds) : holds_(std::move(holds)) {}

    Result<void> commit_page(const PageCommit&) override { return unsupported(); }
    Result<void> put_binding(const Binding&) override { return unsupported(); }
    Result<std::optional<Binding>> get_binding(const std::string&, const std::string&,
                                               const std::string&) override {
        return unsupported();
    }
    Result<std::optional<Binding>> find_binding_by_target(const std::string&,
                                                          const std::string&) override {
        return unsupported();
    }
    Result<std::vector<Binding>> list_bindings(const std::string&, std::optional<BindingState>,
                                               std::size_t) override {
        return unsupported();
    }
    Result<std::int64_t> count_bindings(const std::string&) override { return unsupported(); }
    Result<std::optional<Cursor>> get_cursor(const std::string&, const std::string&) override {
        return unsupported();
    }
    Result<void> set_cursor(const Cursor&) override { return unsupported(); }
    Result<AppendResult> append_inbox(const InboxEvent&) override { return unsupported(); }
    Result<std::vector<AppendResult>> append_inbox_batch(const std::vector<InboxAppend>&) override {
        return unsupported();
    }
    Result<RetiredInbox> retire_inbox(const InboxRetirement&) override { return unsupported(); }
    Result<std::vector<InboxEvent>> lease_inbox(const std::string&, const std::string&, UtcTime,
                                                std::chrono::seconds, std::size_t) override {
        return unsupported();
    }
    Result<void> mark_inbox_done(std::int64_t) override { return unsupported(); }
    Result<std::int64_t> count_inbox(const std::string&, bool) override { return unsupported(); }
    Result<std::int64_t> put_dead_letter(const DeadLetter&) override { return unsupported(); }
    Result<std::optional<DeadLetter>> get_dead_letter(std::int64_t) override {
        return unsupported();
    }
    Result<std::vector<DeadLetter>> list_dead_letters(std::optional<std::string>,
                                                      std::optional<DeadLetterStatus>,
                                                      std::size_t) override {
        return unsupported();
    }
    Result<void> set_dead_letter_status(std::int64_t, DeadLetterStatus) override {
        return unsupported();
    }
    Result<std::int64_t> append_audit(const AuditEvent&) override { return unsupported(); }
    Result<std::vector<AuditEvent>> query_audit(const AuditQuery&) override {
        return unsupported();
    }
    Result<std::vector<Difference>> list_differences(std::optional<std::string>,
                                                     std::optional<DifferenceStatus>,
                                                     std::size_t) override {
        return unsupported();
    }
    Result<void> set_difference_status(std::int64_t, DifferenceStatus, UtcTime) override {
        return unsupported();
    }
    Result<std::int64_t> raise_alert(const Alert&) override { return unsupported(); }
    Result<std::vector<Alert>> list_alerts(std::optional<AlertStatus>) override {
        return unsupported();
    }
    Result<void> acknowledge_alert(std::int64_t, UtcTime) override { return unsupported(); }
    Result<void> put_token(const TokenRecord&) override { return unsupported(); }
    Result<std::optional<TokenRecord>> get_token(const std::string&) override {
        return unsupported();
    }
    Result<void> delete_token(const std::string&) override { return unsupported(); }
    Result<int> count_token_request(const std::string&, UtcTime) override { return unsupported(); }
    Result<int> token_requests_on(const std::string&, UtcTime) override { return unsupported(); }
    Result<bool> acquire_lease(const std::string&, const std::string&, UtcTime, UtcTime) override {
        return unsupported();
    }
    Result<void> release_lease(const std::string&, const std::string&) override {
        return unsupported();
    }
    Result<std::optional<LeaseHolder>> lease_holder(const std::string&) override {
        return unsupported();
    }
    Result<void> put_setting(const std::string&, const std::string&) override {
        return unsupported();
    }
    Result<std::optional<std::string>> get_setting(const std::string&) override {
        return unsupported();
    }

  protected:
    Error unsupported() const {
        return make_error(ErrorCode::kInternal, "store", "this test store holds only " + holds_);
    }

  private:
    std::string holds_;
};

}  // namespace mlc::store::testing
