#pragma once
// The inbox drain (the push path of ARCHITECTURE.md), once for every flow: the verified webhook
// deliveries the intake stored are leased in batches; each is decoded (connectors::EventDecoder)
// into a record of the stream, a skip, or a broken payload; the deliveries of one record are
// coalesced to its newest version (deliveries come late, twice and out of order), each record
// goes through the same writer as the poll, and the batch's bindings, audit, dead letters and the
// deliveries' done marks are committed together. A delivery whose record could not be written
// (a vendor error, not the record's) stays leased and comes back once its lease expires; the
// poll, the safety net, sees the record meanwhile. Nothing is leased in a dry run.
//
// Vendors whose events only point at data (connectors::EventReader, ShipStation) drain in two
// moves: lease_hints() sorts a run's deliveries by their plan (a wake or a skip is settled with
// the poll's last page, settle_hints(), so it is answered once the poll has caught up; a broken one
// at once, audited kFail), and follow() reads each kFollow event's records through the connector
// and writes them exactly like the poll (write_all), the event's done mark in the same commit. An
// event whose records cannot be read for a reason that may pass is left leased and retried by later
// runs, up to InboxOptions::attempts_max leases; then, or at once for any other error, it is
// settled with an audit kFail: the poll still writes those records.
//
// Lifecycle: called by a recipe's inbox step. Thread safety: none (runs of a flow are
// serialised). Ownership: borrows everything.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "connectors/connector.hpp"
#include "connectors/event_reader.hpp"
#include "pipeline/stream.hpp"

namespace mlc::pipeline {

struct InboxOptions {
    std::size_t batch = 100;              // Deliveries leased and committed together.
    std::uint32_t batches_per_run = 100;  // Then the run goes on to the poll.
    std::chrono::seconds lease{300};      // A delivery not settled by then is leased again.
    int attempts_max = 5;  // Leases of an event to follow before it is left to the poll.
};

// A run's leased events of an EventReader vendor, sorted by their plan.
struct Hints {
    // Settled in the poll's last page (settle_hints): wakes and skips, each with its audit.
    std::vector<std::pair<std::int64_t, store::AuditEvent>> with_poll;
    std::vector<store::InboxEvent> follow;  // For follow().
};

// Leases up to options.batch events (none in a dry run) and sorts them; broken ones are settled.
template <typename S>
Result<Hints> lease_hints(const connectors::EventReader<S>& reader, const std::string& direction,
                          const InboxOptions& options, engine::RunContext& ctx);

// The poll's `caught_up`: settles the wakes and skips of `hints` in its last page.
inline void settle_hints(const Hints& hints, Page& page) {
    for (const auto& [id, audit] : hints.with_poll) page.settle(id, audit);
}

// Follows each event of `events` and writes its records through `stream`; one commit per event.
template <typename S, typename T>
Result<void> follow(Stream<S, T>& stream, connectors::EventReader<S>& reader,
                    const std::vector<store::InboxEvent>& events, const InboxOptions& options,
                    engine::RunContext& ctx, OpenLetters& letters, engine::RunSummary& summary);

// Drains the flow's inbox through `stream`; counts into `summary` (more_pending when batches
// remain after batches_per_run).
template <typename S, typename T>
Result<void> drain(Stream<S, T>& stream, const connectors::EventDecoder<S>& decoder,
                   const InboxOptions& options, engine::RunContext& ctx, OpenLetters& letters,
                   engine::RunSummary& summary);

namespace detail {

// The deliveries of one batch, sorted: the newest copy of each record with every delivery that
// carried one, settled at once (skips and broken payloads go into `page` directly).
template <typename S>
struct Sorted {
    std::map<std::string, connectors::Record<S>> newest;
    std::map<std::string, std::vector<std::int64_t>> events_of;
};

inline store::AuditEvent delivery_audit(const store::InboxEvent& event, const std::string& system,
                                        std::string detail) {
    return store::AuditEvent{
        .id = 0,
        .flow = {},
        .direction = {},
        .source_ref = system + ":webhook:" +
                      (event.delivery_id.empty() ? std::to_string(event.id) : event.delivery_id),
        .target_ref = {},
        .action = store::AuditAction::kSkip,
        .outcome = "ok",
        .attempt = event.attempts,
        .at = {},
        .detail = std::move(detail)};
}

template <typename S, typename T>
Sorted<S> sort(Stream<S, T>& stream, const connectors::EventDecoder<S>& decoder,
               const std::vector<store::InboxEvent>& events, Page& page,
               engine::RunSummary& summary) {
    Sorted<S> out;
    for (const store::InboxEvent& event : events) {
        connectors::Decoded<S> decoded = decoder.decode(event.topic, event.body);
        if (decoded.broken) {
            const std::string key =
                "delivery:" + (event.delivery_id.empty() ? event.body_hash : event.delivery_id);
            Error error = *decoded.broken;
            error.record_key = "inbox event " + std::to_string(event.id);
            const bool parked = page.park(Parking{.system = stream.system,
                                                  .key = key,
                                                  .ref = stream.system + ":webhook:" + key,
                                                  .label = "an unreadable delivery",
                                                  .record_json = event.body,
                                                  .replay_json = {},
                                                  .error = error});
            tally(summary, stream.name, parked ? Outcome::kParked : Outcome::kStillParked);
            page.settle(event.id);
        } else if (!decoded.record) {
            page.settle(event.id, delivery_audit(event, stream.system, decoded.skip));
        } else {
            const connectors::SourceIdentity id = stream.source->identify(decoded.record->value);
            out.events_of[id.key].push_back(event.id);
            auto it = out.newest.find(id.key);
            if (it == out.newest.end() ||
                !(id.version < stream.source->identify(it->second.value).version)) {
                out.newest.insert_or_assign(id.key, std::move(*decoded.record));
            }
        }
    }
    return out;
}

// One batch; true when the inbox may hold more.
template <typename S, typename T>
Result<bool> drain_batch(Stream<S, T>& stream, const connectors::EventDecoder<S>& decoder,
                         const InboxOptions& options, engine::RunContext& ctx, OpenLetters& letters,
                         engine::RunSummary& summary) {
    MLC_TRY(auto events, ctx.store.lease_inbox(ctx.flow, "flow:" + ctx.flow, ctx.clock.now(),
                                               options.lease, options.batch));
    if (events.empty()) return false;
    Page page(ctx, stream.direction, &letters);
    Sorted<S> sorted = sort(stream, decoder, events, page, summary);
    StreamWriter<S, T> writer(stream);
    auto resolver = stream.resolver();
    for (const auto& [key, record] : sorted.newest) {
        auto outcome = writer.handle(record, page, *resolver, summary);
        if (!outcome) {
            (void)page.commit();  // Keep what this batch finished; its deliveries stay leased.
            return with_context(std::move(outcome).error(),
                                "while moving " + stream.source->identify(record.value).label +
                                    " to " + stream.target->system() + " (flow " + ctx.flow + ")");
        }
        tally(summary, stream.name, *outcome);
        for (std::int64_t id : sorted.events_of[key]) page.settle(id);
    }
    ++summary.pages;
    MLC_CHECK_CTX(page.commit(), "while committing an inbox batch of flow " + ctx.flow);
    if (ctx.on_page) ctx.on_page(summary);
    return events.size() >= options.batch;
}

}  // namespace detail

template <typename S, typename T>
Result<void> drain(Stream<S, T>& stream, const connectors::EventDecoder<S>& decoder,
                   const InboxOptions& options, engine::RunContext& ctx, OpenLetters& letters,
                   engine::RunSummary& summary) {
    if (ctx.dry_run) return ok();  // Leasing would hide the deliveries from the real run.
    for (std::uint32_t batch = 0; batch < options.batches_per_run; ++batch) {
        MLC_TRY(bool more, detail::drain_batch(stream, decoder, options, ctx, letters, summary));
        if (!more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

namespace detail {

inline store::AuditEvent hint_audit(const store::InboxEvent& event, const std::string& system,
                                    store::AuditAction action, std::string outcome,
                                    std::string detail) {
    store::AuditEvent audit = delivery_audit(event, system, std::move(detail));
    audit.action = action;
    audit.outcome = std::move(outcome);
    return audit;
}

// Settles `event` in a commit of its own, audited.
inline Result<void> settle_now(const store::InboxEvent& event, store::AuditEvent audit,
                               const std::string& direction, engine::RunContext& ctx) {
    ctx.log.warn("flow {}: webhook event {}: {}", ctx.flow, event.id, audit.detail);
    Page page(ctx, direction, nullptr);
    page.settle(event.id, std::move(audit));
    return page.commit();
}

// A read that failed: left leased while it may pass and leases remain, else settled.
template <typename S, typename T>
Result<void> unread(Stream<S, T>& stream, const connectors::EventReader<S>& reader,
                    const store::InboxEvent& event, const std::string& topic, const Error& error,
                    const InboxOptions& options, engine::RunContext& ctx) {
    const NextAction next = next_action(error.code);
    const bool later = next == NextAction::kRetryCall || next == NextAction::kRetryLater ||
                       next == NextAction::kRefreshToken;
    if (later && event.attempts < options.attempts_max) {
        ctx.log.warn("flow {}: {} event {} not followed yet (attempt {} of {}): {}", ctx.flow,
                     topic, event.id, event.attempts, options.attempts_max, error.describe());
        return ok();  // Still leased: a run after the lease tries again.
    }
    return settle_now(event,
                      hint_audit(event, reader.system(), store::AuditAction::kFail,
                                 std::string(to_string(error.code)),
                                 topic + " not followed: " + error.describe() + "; the " +
                                     stream.name + " poll writes its records instead"),
                      stream.direction, ctx);
}

template <typename S, typename T>
Result<void> follow_one(Stream<S, T>& stream, connectors::EventReader<S>& reader,
                        const store::InboxEvent& event, const InboxOptions& options,
                        engine::RunContext& ctx, OpenLetters& letters,
                        engine::RunSummary& summary) {
    const std::string topic = event.topic.empty() ? reader.system() + " event" : event.topic;
    auto read = reader.read(event.topic, event.body);
    if (!read) return unread(stream, reader, event, topic, read.error(), options, ctx);
    for (const connectors::RejectedRecord& rejected : read->rejected) {
        ctx.log.warn("flow {}: a {} of {} event {} could not be read: {}", ctx.flow, reader.noun(),
                     topic, event.id, rejected.error.describe());
    }
    const engine::RunSummary before = summary;
    Page page(ctx, stream.direction, &letters);
    if (auto written = write_all(stream, read->items, page, summary); !written) {
        (void)page.commit();  // Keep what was written; the event stays leased.
        return with_context(std::move(written).error(),
                            "while following " + topic + " event " + std::to_string(event.id));
    }
    page.settle(event.id,
                hint_audit(event, reader.system(), store::AuditAction::kReceive, "ok",
                           topic + ": " + std::to_string(read->items.size()) + " " + reader.noun() +
                               "(s) listed, " + std::to_string(summary.created - before.created) +
                               " written, " + std::to_string(summary.skipped - before.skipped) +
                               " already written or skipped, " +
                               std::to_string(summary.parked - before.parked) + " parked"));
    MLC_CHECK_CTX(page.commit(),
                  "while committing " + topic + " event " + std::to_string(event.id));
    return ok();
}

}  // namespace detail

template <typename S>
Result<Hints> lease_hints(const connectors::EventReader<S>& reader, const std::string& direction,
                          const InboxOptions& options, engine::RunContext& ctx) {
    Hints out;
    if (ctx.dry_run) return out;  // Leasing would hide the events from the real run.
    MLC_TRY_CTX(auto events,
                ctx.store.lease_inbox(ctx.flow, "flow:" + ctx.flow, ctx.clock.now(), options.lease,
                                      options.batch),
                "while leasing the webhook events of flow " + ctx.flow);
    for (store::InboxEvent& event : events) {
        connectors::EventPlan plan = reader.plan(event.topic, event.body);
        const std::string system = reader.system();
        switch (plan.kind) {
            case connectors::EventPlan::kFollow:
                out.follow.push_back(std::move(event));
                break;
            case connectors::EventPlan::kWake:
            case connectors::EventPlan::kSkip: {
                const bool wake = plan.kind == connectors::EventPlan::kWake;
                out.with_poll.emplace_back(
                    event.id, detail::hint_audit(
                                  event, system,
                                  wake ? store::AuditAction::kReceive : store::AuditAction::kSkip,
                                  "ok", std::move(plan.detail)));
                break;
            }
            case connectors::EventPlan::kBroken:
                MLC_CHECK(detail::settle_now(
                    event,
                    detail::hint_audit(event, system, store::AuditAction::kFail,
                                       std::string(to_string(ErrorCode::kInvalidInput)),
                                       std::move(plan.detail)),
                    direction, ctx));
                break;
        }
    }
    return out;
}

template <typename S, typename T>
Result<void> follow(Stream<S, T>& stream, connectors::EventReader<S>& reader,
                    const std::vector<store::InboxEvent>& events, const InboxOptions& options,
                    engine::RunContext& ctx, OpenLetters& letters, engine::RunSummary& summary) {
    for (const store::InboxEvent& event : events) {
        MLC_CHECK(detail::follow_one(stream, reader, event, options, ctx, letters, summary));
        if (!ctx.checkpoint()) break;  // The rest stays leased; a later run takes it.
    }
    return ok();
}

}  // namespace mlc::pipeline
