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
// Lifecycle: called by a recipe's inbox step. Thread safety: none (runs of a flow are
// serialised). Ownership: borrows everything.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "connectors/connector.hpp"
#include "pipeline/stream.hpp"

namespace mlc::pipeline {

struct InboxOptions {
    std::size_t batch = 100;              // Deliveries leased and committed together.
    std::uint32_t batches_per_run = 100;  // Then the run goes on to the poll.
    std::chrono::seconds lease{300};      // A delivery not settled by then is leased again.
};

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

}  // namespace mlc::pipeline
