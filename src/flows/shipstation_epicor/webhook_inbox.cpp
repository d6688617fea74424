#include "flows/shipstation_epicor/webhook_inbox.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "flows/shipstation_epicor/orders_recipe.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace json = boost::json;

std::string body_field(const store::InboxEvent& event, std::string_view name) {
    json::error_code ec;
    const json::value body = json::parse(event.body, ec);
    if (ec || !body.is_object()) return {};
    const json::value* field = body.as_object().if_contains(name);
    return field != nullptr && field->is_string() ? std::string(field->as_string()) : std::string();
}

std::string event_ref(const store::InboxEvent& event) {
    return "shipstation:webhook:" + std::to_string(event.id);
}

store::AuditEvent event_audit(const store::InboxEvent& event, engine::RunContext& ctx,
                              store::AuditAction action, std::string outcome, std::string detail) {
    return store::AuditEvent{.flow = ctx.flow,
                             .direction = kDirection,
                             .source_ref = event_ref(event),
                             .target_ref = {},
                             .action = action,
                             .outcome = std::move(outcome),
                             .attempt = event.attempts,
                             .at = ctx.clock.now(),
                             .detail = std::move(detail)};
}

}  // namespace

std::string inbox_topic(const store::InboxEvent& event) {
    if (!event.topic.empty()) return event.topic;
    return body_field(event, "resource_type");
}

std::string inbox_resource_url(const store::InboxEvent& event) {
    return body_field(event, "resource_url");
}

Result<LeasedEvents> WebhookInbox::lease(engine::RunContext& ctx, const std::string& owner) {
    LeasedEvents out;
    if (ctx.dry_run) return out;
    MLC_TRY_CTX(
        auto events,
        ctx.store.lease_inbox(ctx.flow, owner, ctx.clock.now(), kInboxLease, kInboxEventsPerRunMax),
        "while leasing the webhook events of flow " + ctx.flow);
    for (store::InboxEvent& event : events) {
        const std::string topic = inbox_topic(event);
        if (topic == kShipNotify && options_.shipments) {
            out.ship_notify.push_back(std::move(event));
            continue;
        }
        out.settle_with_poll.push_back(event.id);
        if (topic == kOrderNotify) {
            // Details always come from the poll this run makes (shipstation.md: payloads carry
            // no data, and edits never notify): the event only woke the flow.
            out.settle_audit.push_back(event_audit(event, ctx, store::AuditAction::kReceive, "ok",
                                                   "ORDER_NOTIFY: orders read by this run's poll"));
        } else {
            out.settle_audit.push_back(event_audit(
                event, ctx, store::AuditAction::kSkip, "ok",
                topic == kShipNotify ? "SHIP_NOTIFY ignored: the flow has shipments: false"
                                     : "webhook topic '" + topic + "' is not used by this flow"));
        }
    }
    return out;
}

Result<void> WebhookInbox::follow_shipments(const std::vector<store::InboxEvent>& events,
                                            engine::RunContext& ctx, engine::RunSummary& summary) {
    for (const store::InboxEvent& event : events) {
        MLC_CHECK(follow(event, ctx, summary));
        if (!ctx.checkpoint()) break;  // The rest stays leased; a later run takes it.
    }
    return ok();
}

Result<void> WebhookInbox::follow(const store::InboxEvent& event, engine::RunContext& ctx,
                                  engine::RunSummary& summary) {
    const std::string url = inbox_resource_url(event);
    if (url.empty()) {
        return settle(event, ctx, store::AuditAction::kFail, "invalid_input",
                      "SHIP_NOTIFY without a resource_url: nothing to follow (the shipments poll "
                      "reads every label anyway)");
    }
    auto batch = shipstation_.fetch_resource_url(url);
    if (!batch) {
        const Error& error = batch.error();
        const NextAction next = next_action(error.code);
        const bool later = next == NextAction::kRetryCall || next == NextAction::kRetryLater ||
                           next == NextAction::kRefreshToken;
        if (later && event.attempts < kInboxAttemptsMax) {
            // Left leased: a run after kInboxLease tries again.
            ctx.log.warn("flow {}: SHIP_NOTIFY event {} not followed yet (attempt {} of {}): {}",
                         ctx.flow, event.id, event.attempts, kInboxAttemptsMax, error.describe());
            return ok();
        }
        return settle(event, ctx, store::AuditAction::kFail, std::string(to_string(error.code)),
                      "SHIP_NOTIFY resource_url not followed: " + error.describe() +
                          "; the shipments poll writes its tracking instead");
    }
    pipeline::Page page(ctx, kDirection, nullptr);
    engine::RunSummary counted;
    for (const auto& rejected : batch->rejected) {
        ctx.log.warn("flow {}: a shipment of SHIP_NOTIFY event {} could not be read: {}", ctx.flow,
                     event.id, rejected.error.describe());
    }
    if (auto written = write_(batch->shipments, page, counted); !written) {
        (void)page.commit();  // Keep what was written; the event stays leased.
        return with_context(std::move(written).error(),
                            "while following SHIP_NOTIFY event " + std::to_string(event.id));
    }
    summary.created += counted.created;
    summary.skipped += counted.skipped;
    summary.parked += counted.parked;
    summary.still_parked += counted.still_parked;
    for (const auto& [stream, counts] : counted.streams) {
        engine::StreamCounts& into = summary.streams[stream];
        into.created += counts.created;
        into.skipped += counts.skipped;
        into.parked += counts.parked;
        into.still_parked += counts.still_parked;
    }
    page.settle(
        event.id,
        event_audit(event, ctx, store::AuditAction::kReceive, "ok",
                    "SHIP_NOTIFY: " + std::to_string(batch->shipments.size()) +
                        " shipment(s) listed, " + std::to_string(counted.created) + " written, " +
                        std::to_string(counted.skipped) + " already written or voided, " +
                        std::to_string(counted.parked) + " parked"));
    MLC_CHECK_CTX(page.commit(), "while committing SHIP_NOTIFY event " + std::to_string(event.id));
    return ok();
}

Result<void> WebhookInbox::settle(const store::InboxEvent& event, engine::RunContext& ctx,
                                  store::AuditAction action, std::string outcome,
                                  std::string detail) {
    ctx.log.warn("flow {}: webhook event {}: {}", ctx.flow, event.id, detail);
    pipeline::Page page(ctx, kDirection, nullptr);
    page.settle(event.id, event_audit(event, ctx, action, std::move(outcome), std::move(detail)));
    return page.commit();
}

}  // namespace mlc::flows::shipstation_epicor
