#include "pipeline/page.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/log.hpp"
#include "engine/dead_letter_cause.hpp"

namespace mlc::pipeline {
namespace json = boost::json;

namespace {

// The fields of a log line about one record of a run (JSON logs: common/log.hpp).
LogFields record_fields(const engine::RunContext& ctx, std::string_view system,
                        std::string_view key, std::string_view event) {
    LogFields fields;
    fields.add("flow", ctx.flow);
    if (!ctx.run_id.empty()) fields.add("run", ctx.run_id);
    fields.add("system", system).add("record", key).add("event", event);
    return fields;
}

}  // namespace

Page::Page(engine::RunContext& ctx, std::string direction, OpenLetters* letters)
    : ctx_(ctx), direction_(std::move(direction)), letters_(letters) {}

void Page::audit(std::string source_ref, std::string target_ref, store::AuditAction action,
                 std::string outcome, std::string detail) {
    // Every record's step at debug level (a parked one has its own warning line).
    if (action != store::AuditAction::kPark && ctx_.log.should_log(spdlog::level::debug)) {
        const auto colon = source_ref.find(':');
        log_with_fields(
            ctx_.log, spdlog::level::debug,
            fmt::format("flow {}: {} {} -> {}: {}", ctx_.flow, store::to_string(action), source_ref,
                        target_ref.empty() ? "-" : target_ref, outcome),
            record_fields(ctx_, source_ref.substr(0, colon),
                          colon == std::string::npos ? source_ref : source_ref.substr(colon + 1),
                          store::to_string(action))
                .add("target", target_ref)
                .add("outcome", outcome));
    }
    commit_.audit.push_back(store::AuditEvent{.id = 0,
                                              .flow = ctx_.flow,
                                              .direction = direction_,
                                              .source_ref = std::move(source_ref),
                                              .target_ref = std::move(target_ref),
                                              .action = action,
                                              .outcome = std::move(outcome),
                                              .attempt = ctx_.attempt,
                                              .at = ctx_.clock.now(),
                                              .detail = std::move(detail)});
}

void Page::bind(store::Binding binding) {
    binding.flow = ctx_.flow;
    binding.updated_at = ctx_.clock.now();
    if (binding.created_at == UtcTime{}) binding.created_at = binding.updated_at;
    commit_.bindings.push_back(std::move(binding));
}

Result<std::optional<store::Binding>> Page::binding(const std::string& system,
                                                    const std::string& key) {
    for (auto it = commit_.bindings.rbegin(); it != commit_.bindings.rend(); ++it) {
        if (it->source_system == system && it->source_key == key) return *it;
    }
    return ctx_.store.get_binding(ctx_.flow, system, key);
}

bool Page::park(const Parking& parking) {
    const std::string message = parking.error.describe();
    if (letters_ != nullptr &&
        letters_->same(parking.system, parking.key, parking.record_json, message)) {
        return false;
    }
    log_with_fields(ctx_.log, spdlog::level::warn,
                    fmt::format("flow {}: parked {}: {}", ctx_.flow, parking.label, message),
                    record_fields(ctx_, parking.system, parking.key, "parked")
                        .add("error", to_string(parking.error.code)));
    const UtcTime now = ctx_.clock.now();
    commit_.dead_letters.push_back(store::DeadLetter{
        .id = 0,
        .flow = ctx_.flow,
        .source_system = parking.system,
        .source_key = parking.key,
        .record_json = parking.record_json,
        .replay_json = engine::with_cause(parking.replay_json, parking.error),
        .error_code = std::string(to_string(parking.error.code)),
        .error_message = message,
        .first_seen = now,
        .last_seen = now,
    });
    audit(parking.ref, parking.target_ref, store::AuditAction::kPark,
          std::string(to_string(parking.error.code)), message);
    if (letters_ != nullptr) {
        letters_->note(parking.system, parking.key, parking.record_json, message);
    }
    return true;
}

void Page::healed(const std::string& system, const std::string& key) {
    if (letters_ == nullptr) return;
    if (auto id = letters_->find(system, key); id && *id > 0) {
        commit_.dead_letters_resolved.push_back(*id);
    }
    letters_->forget(system, key);
}

bool Page::differ(const Differing& d) {
    if (differs_as(d.system, d.key, d.hash)) return false;
    healed(d.system, d.key);  // The difference replaces any letter of the record.
    const std::string message = d.label + " differs from " + d.target_ref + ": " + d.error.message;
    log_with_fields(ctx_.log, spdlog::level::warn, fmt::format("flow {}: {}", ctx_.flow, message),
                    record_fields(ctx_, d.system, d.key, "differs"));
    const UtcTime now = ctx_.clock.now();
    commit_.differences.push_back(store::Difference{.id = 0,
                                                    .flow = ctx_.flow,
                                                    .source_system = d.system,
                                                    .source_key = d.key,
                                                    .source_ref = d.ref,
                                                    .target_ref = d.target_ref,
                                                    .content_hash = d.hash,
                                                    .detail = d.error.message,
                                                    .edits = 1,
                                                    .first_seen = now,
                                                    .last_seen = now});
    audit(d.ref, d.target_ref, store::AuditAction::kReject, std::string(to_string(d.error.code)),
          message);
    if (letters_ != nullptr) letters_->note_difference(d.system, d.key, d.hash);
    return true;
}

bool Page::differs_as(const std::string& system, const std::string& key,
                      const std::string& hash) const {
    if (letters_ == nullptr) return false;
    const auto open = letters_->difference(system, key);
    return open && open->content_hash == hash;
}

void Page::agreed(const std::string& system, const std::string& key, const std::string& ref,
                  const std::string& target_ref) {
    if (letters_ == nullptr) return;
    const auto open = letters_->difference(system, key);
    if (!open) return;
    letters_->forget_difference(system, key);
    if (open->id <= 0) {  // Recorded by this page: not recorded after all.
        std::erase_if(commit_.differences, [&](const store::Difference& d) {
            return d.source_system == system && d.source_key == key;
        });
        return;
    }
    commit_.differences_cleared.push_back({.id = open->id, .at = ctx_.clock.now()});
    audit(ref, target_ref, store::AuditAction::kSkip, "ok",
          key + " agrees with " + target_ref + " again: difference " + std::to_string(open->id) +
              " cleared");
}

void Page::settle(std::int64_t inbox_event, store::AuditEvent audit) {
    commit_.inbox_done.push_back(inbox_event);
    audit.flow = ctx_.flow;
    audit.direction = direction_;
    audit.at = ctx_.clock.now();
    commit_.audit.push_back(std::move(audit));
}

void Page::position(const std::string& stream, const std::string& value) {
    commit_.cursor = store::Cursor{
        .flow = ctx_.flow, .stream = stream, .value = value, .updated_at = ctx_.clock.now()};
}

bool Page::empty() const {
    return commit_.bindings.empty() && !commit_.cursor && commit_.audit.empty() &&
           commit_.dead_letters.empty() && commit_.inbox_done.empty() &&
           commit_.dead_letters_resolved.empty() && commit_.differences.empty() &&
           commit_.differences_cleared.empty();
}

Result<void> Page::commit() {
    const bool nothing = empty();
    store::PageCommit page = std::move(commit_);
    commit_ = {};
    if (ctx_.dry_run || nothing) return ok();
    return ctx_.store.commit_page(page);
}

std::string replay_key(const std::string& stream, const std::string& replay) {
    return json::serialize(json::object{{"stream", stream}, {"ref", replay}});
}

std::optional<ReplayKey> parse_replay_key(const std::string& replay_json) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(replay_json, ec);
    if (ec || !parsed.is_object()) return std::nullopt;
    const json::object& object = parsed.as_object();
    const json::value* stream = object.if_contains("stream");
    const json::value* ref = object.if_contains("ref");
    // Letters parked before the pipeline named the record "order_id" or "key".
    if (ref == nullptr) ref = object.if_contains("order_id");
    if (ref == nullptr) ref = object.if_contains("key");
    if (stream == nullptr || ref == nullptr || !stream->is_string() || !ref->is_string()) {
        return std::nullopt;
    }
    return ReplayKey{.stream = std::string(stream->as_string()),
                     .ref = std::string(ref->as_string())};
}

}  // namespace mlc::pipeline
