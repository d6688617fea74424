#include "engine/testing/fake_state_store.hpp"

#include "common/assert.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::engine::testing {

Result<void> FakeStateStore::commit_page(const store::PageCommit& page) {
    if (!page.bindings.empty() || page.cursor || !page.inbox_done.empty()) return unsupported();
    for (const auto& event : page.audit) {
        if (auto id = append_audit(event); !id) return id.error();
    }
    for (const auto& letter : page.dead_letters) {
        if (auto id = put_dead_letter(letter); !id) return id.error();
    }
    for (const auto id : page.dead_letters_resolved) {
        if (auto set = set_dead_letter_status(id, store::DeadLetterStatus::kResolved); !set) {
            return set.error();
        }
    }
    return ok();
}

Result<std::int64_t> FakeStateStore::put_dead_letter(const store::DeadLetter& letter) {
    std::lock_guard lock(mutex_);
    for (auto& [id, existing] : letters_) {
        if (existing.status == store::DeadLetterStatus::kOpen && existing.flow == letter.flow &&
            existing.source_system == letter.source_system &&
            existing.source_key == letter.source_key) {
            existing.attempts += 1;
            existing.last_seen = letter.last_seen;
            existing.error_code = letter.error_code;
            existing.error_message = letter.error_message;
            return id;
        }
    }
    store::DeadLetter stored = letter;
    stored.id = next_id_++;
    stored.status = store::DeadLetterStatus::kOpen;
    letters_[stored.id] = stored;
    return stored.id;
}

Result<std::optional<store::DeadLetter>> FakeStateStore::get_dead_letter(std::int64_t id) {
    std::lock_guard lock(mutex_);
    const auto it = letters_.find(id);
    if (it == letters_.end()) return std::optional<store::DeadLetter>{};
    return std::optional<store::DeadLetter>{it->second};
}

Result<std::vector<store::DeadLetter>> FakeStateStore::list_dead_letters(
    std::optional<std::string> flow, std::optional<store::DeadLetterStatus> status,
    std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::vector<store::DeadLetter> out;
    for (const auto& [id, letter] : letters_) {
        if (out.size() >= limit) break;
        if (flow && letter.flow != *flow) continue;
        if (status && letter.status != *status) continue;
        out.push_back(letter);
    }
    return out;
}

Result<void> FakeStateStore::set_dead_letter_status(std::int64_t id,
                                                    store::DeadLetterStatus status) {
    std::lock_guard lock(mutex_);
    const auto it = letters_.find(id);
    if (it == letters_.end()) return make_error(ErrorCode::kNotFound, "store", "no dead letter");
    it->second.status = status;
    return ok();
}

Result<std::int64_t> FakeStateStore::append_audit(const store::AuditEvent& event) {
    std::lock_guard lock(mutex_);
    store::AuditEvent stored = event;
    stored.id = next_id_++;
    audit_.push_back(stored);
    return stored.id;
}

Result<std::vector<store::AuditEvent>> FakeStateStore::query_audit(const store::AuditQuery& query) {
    std::lock_guard lock(mutex_);
    std::vector<store::AuditEvent> out;
    for (const auto& event : audit_) {
        if (out.size() >= query.limit) break;
        if (query.flow && event.flow != *query.flow) continue;
        if (query.from && event.at < *query.from) continue;
        if (query.to && event.at > *query.to) continue;
        out.push_back(event);
    }
    return out;
}

Result<bool> FakeStateStore::acquire_lease(const std::string& name, const std::string& owner,
                                           UtcTime now, UtcTime until) {
    std::lock_guard lock(mutex_);
    auto it = leases_.find(name);
    if (it != leases_.end() && it->second.owner != owner && it->second.until > now) return false;
    leases_[name] = Lease{owner, until};
    return true;
}

Result<void> FakeStateStore::release_lease(const std::string& name, const std::string& owner) {
    std::lock_guard lock(mutex_);
    auto it = leases_.find(name);
    if (it != leases_.end() && it->second.owner == owner) leases_.erase(it);
    return ok();
}

Result<std::optional<store::LeaseHolder>> FakeStateStore::lease_holder(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = leases_.find(name);
    if (it == leases_.end()) return std::optional<store::LeaseHolder>{};
    return std::optional<store::LeaseHolder>{
        store::LeaseHolder{.owner = it->second.owner, .until = it->second.until}};
}

Result<void> FakeStateStore::put_setting(const std::string& key, const std::string& value) {
    std::lock_guard lock(mutex_);
    settings_[key] = value;
    return ok();
}

Result<std::optional<std::string>> FakeStateStore::get_setting(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = settings_.find(key);
    if (it == settings_.end()) return std::optional<std::string>{};
    return std::optional<std::string>{it->second};
}

std::unique_ptr<store::StateStore> make_test_store() {
    auto opened = store::SqliteStateStore::open(":memory:");
    MLC_ASSERT(opened.has_value(), "the engine tests' SQLite store (\":memory:\") did not open");
    return std::move(*opened);
}

}  // namespace mlc::engine::testing
