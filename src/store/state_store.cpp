#include "store/state_store.hpp"

namespace mlc::store {

std::string_view to_string(BindingState state) {
    switch (state) {
        case BindingState::kPending:
            return "pending";
        case BindingState::kConfirmed:
            return "confirmed";
    }
    return "unknown";
}

std::string_view to_string(DeadLetterStatus status) {
    switch (status) {
        case DeadLetterStatus::kOpen:
            return "open";
        case DeadLetterStatus::kReplayed:
            return "replayed";
        case DeadLetterStatus::kResolved:
            return "resolved";
    }
    return "unknown";
}

std::string_view to_string(AuditAction action) {
    switch (action) {
        case AuditAction::kCreate:
            return "create";
        case AuditAction::kUpdate:
            return "update";
        case AuditAction::kSkip:
            return "skip";
        case AuditAction::kFail:
            return "fail";
        case AuditAction::kPark:
            return "park";
        case AuditAction::kReplay:
            return "replay";
        case AuditAction::kReceive:
            return "receive";
        case AuditAction::kReject:
            return "reject";
        case AuditAction::kDelete:
            return "delete";
        case AuditAction::kLogin:
            return "login";
        case AuditAction::kLogout:
            return "logout";
    }
    return "unknown";
}

std::string_view to_string(AlertStatus status) {
    switch (status) {
        case AlertStatus::kOpen:
            return "open";
        case AlertStatus::kAcknowledged:
            return "acknowledged";
        case AlertStatus::kResolved:
            return "resolved";
    }
    return "unknown";
}

std::string_view to_string(DifferenceStatus status) {
    switch (status) {
        case DifferenceStatus::kOpen:
            return "open";
        case DifferenceStatus::kCleared:
            return "cleared";
        case DifferenceStatus::kDismissed:
            return "dismissed";
    }
    return "unknown";
}

std::optional<BindingState> binding_state_from_string(std::string_view text) {
    for (auto state : {BindingState::kPending, BindingState::kConfirmed}) {
        if (to_string(state) == text) return state;
    }
    return std::nullopt;
}

std::optional<DeadLetterStatus> dead_letter_status_from_string(std::string_view text) {
    for (auto status :
         {DeadLetterStatus::kOpen, DeadLetterStatus::kReplayed, DeadLetterStatus::kResolved}) {
        if (to_string(status) == text) return status;
    }
    return std::nullopt;
}

std::optional<AuditAction> audit_action_from_string(std::string_view text) {
    for (auto action :
         {AuditAction::kCreate, AuditAction::kUpdate, AuditAction::kSkip, AuditAction::kFail,
          AuditAction::kPark, AuditAction::kReplay, AuditAction::kReceive, AuditAction::kReject,
          AuditAction::kDelete, AuditAction::kLogin, AuditAction::kLogout}) {
        if (to_string(action) == text) return action;
    }
    return std::nullopt;
}

std::optional<AlertStatus> alert_status_from_string(std::string_view text) {
    for (auto status : {AlertStatus::kOpen, AlertStatus::kAcknowledged, AlertStatus::kResolved}) {
        if (to_string(status) == text) return status;
    }
    return std::nullopt;
}

std::optional<DifferenceStatus> difference_status_from_string(std::string_view text) {
    for (auto status :
         {DifferenceStatus::kOpen, DifferenceStatus::kCleared, DifferenceStatus::kDismissed}) {
        if (to_string(status) == text) return status;
    }
    return std::nullopt;
}

namespace {

Error no_console_users() {
    return make_error(ErrorCode::kInternal, "store",
                      "this state store keeps no console users or sessions");
}

}  // namespace

Result<void> StateStore::put_console_user(const ConsoleUser&) { return no_console_users(); }
Result<std::optional<ConsoleUser>> StateStore::get_console_user(const std::string&) {
    return no_console_users();
}
Result<std::vector<ConsoleUser>> StateStore::list_console_users() { return no_console_users(); }
Result<void> StateStore::remove_console_user(const std::string&) { return no_console_users(); }
Result<void> StateStore::put_console_session(const ConsoleSession&) { return no_console_users(); }
Result<std::optional<ConsoleSession>> StateStore::get_console_session(const std::string&) {
    return no_console_users();
}
Result<void> StateStore::remove_console_session(const std::string&) { return no_console_users(); }
Result<std::int64_t> StateStore::prune_console_sessions(UtcTime, UtcTime) {
    return no_console_users();
}
Result<std::int64_t> StateStore::retire_audit(const AuditRetirement&) {
    return make_error(ErrorCode::kInternal, "store", "this state store cannot retire audit events");
}

Result<std::vector<AuditSummaryRow>> StateStore::audit_summary(const std::optional<std::string>&,
                                                               std::size_t) {
    return make_error(ErrorCode::kInternal, "store", "this state store keeps no audit summary");
}

Result<std::int64_t> StateStore::reclaim_space(std::int64_t) { return std::int64_t{0}; }

Result<int> StateStore::resolve_alert(const std::string&, UtcTime) {
    return make_error(ErrorCode::kInternal, "store", "this state store cannot resolve alerts");
}

bool ref_has_segment(std::string_view ref, std::string_view key) {
    if (key.empty()) return false;
    // Exact match of whole ':'-separated segments: "SS-1" must not match "...:SS-10".
    std::size_t pos = ref.find(key);
    while (pos != std::string_view::npos) {
        const bool starts = pos == 0 || ref[pos - 1] == ':';
        const std::size_t end = pos + key.size();
        const bool ends = end == ref.size() || ref[end] == ':';
        if (starts && ends) return true;
        pos = ref.find(key, pos + 1);
    }
    return false;
}

}  // namespace mlc::store
