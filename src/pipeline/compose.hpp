#pragma once
// How a recipe puts its streams into its Flow, in one line each:
//   pipeline::add_webhooks(flow, p.upkeep);                   // keep the subscriptions first
//   pipeline::add_inbox(flow, p.orders, p.events, options);  // drain the deliveries
//   pipeline::add_poll(flow, p.orders);                        // the poll, and its replay route
// Steps run in the order added (flow.hpp).

#include "pipeline/batch.hpp"
#include "pipeline/flow.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/stream.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::pipeline {

// A step keeping the flow's webhook subscriptions (webhooks.hpp). `upkeep` must outlive `flow`.
inline void add_webhooks(Flow& flow, WebhookUpkeep& upkeep) {
    flow.step([&upkeep](engine::RunContext& ctx, engine::RunSummary&, OpenLetters&) {
        upkeep.run(ctx);
        return ok();
    });
}

// A step polling `stream`, and the replay route of its letters. `stream` must outlive `flow`.
template <typename S, typename T>
void add_poll(Flow& flow, Stream<S, T>& stream) {
    flow.step([&stream](engine::RunContext& ctx, engine::RunSummary& summary,
                        OpenLetters& letters) { return poll(stream, ctx, letters, summary); });
    flow.replay_route(stream.name, [&stream](const std::string& ref, engine::RunContext& ctx) {
        return replay(stream, ref, ctx);
    });
}

// A step polling `stream` into a BatchTarget (batch.hpp), and its replay route. With `polled`
// false only the replay route is added: letters parked while the stream was on still replay.
template <typename S, typename T>
void add_poll_batched(Flow& flow, Stream<S, T>& stream, connectors::BatchTarget<T>& target,
                      bool polled = true) {
    if (polled) {
        flow.step([&stream, &target](engine::RunContext& ctx, engine::RunSummary& summary,
                                     OpenLetters& letters) {
            return poll_batched(stream, target, ctx, letters, summary);
        });
    }
    flow.replay_route(stream.name,
                      [&stream, &target](const std::string& ref, engine::RunContext& ctx) {
                          return replay_batched(stream, target, ref, ctx);
                      });
}

// A step draining the flow's inbox through `stream` with `decoder`.
template <typename S, typename T>
void add_inbox(Flow& flow, Stream<S, T>& stream, const connectors::EventDecoder<S>& decoder,
               InboxOptions options = {}) {
    flow.step([&stream, &decoder, options](engine::RunContext& ctx, engine::RunSummary& summary,
                                           OpenLetters& letters) {
        return drain(stream, decoder, options, ctx, letters, summary);
    });
}

}  // namespace mlc::pipeline
