#include "flows/shipstation_epicor/shipment_sync.hpp"

#include <charconv>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/orders_runner.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace json = boost::json;

std::string source_ref(const model::Shipment& shipment) {
    return "shipstation:shipment:" + shipment.source.key + ":order:" + shipment.order.id + ":" +
           shipment.order.key;
}

// What a replay needs: shipments never change once labelled (only void), so the letter keeps it.
std::string replay_json(const model::Shipment& s) {
    return json::serialize(
        json::object{{"stream", kShipmentsStream},
                     {"shipment_id", s.source.key},
                     {"order_id", s.order.id},
                     {"order_key", s.order.key},
                     {"carrier", s.carrier},
                     {"tracking_number", s.tracking_number},
                     {"ship_date", s.ship_date ? format_iso8601(*s.ship_date) : std::string()},
                     {"created_at", format_iso8601(s.created_at)}});
}

Result<model::Shipment> shipment_from_replay(const store::DeadLetter& letter) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(letter.replay_json, ec);
    const auto text = [&](std::string_view key) -> std::string {
        if (ec || !parsed.is_object()) return {};
        const json::value* v = parsed.as_object().if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    model::Shipment s;
    s.source = {kSourceSystem, text("shipment_id"), text("shipment_id")};
    s.order = {kSourceSystem, text("order_key"), text("order_id")};
    s.carrier = text("carrier");
    s.tracking_number = text("tracking_number");
    if (auto at = parse_iso8601(text("ship_date"))) s.ship_date = *at;
    if (auto at = parse_iso8601(text("created_at"))) s.created_at = *at;
    if (s.source.key.empty() || s.order.key.empty()) {
        return make_error(
            ErrorCode::kInvalidInput, kSourceSystem,
            "dead letter " + std::to_string(letter.id) + " holds no shipment to replay");
    }
    return s;
}

Result<UtcTime> since(const OrdersOptions& options, engine::RunContext& ctx) {
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, kShipmentsStream));
    if (!cursor) return options.start;
    MLC_TRY(UtcTime at, parse_iso8601(cursor->value));
    return at - options.overlap;
}

}  // namespace

Result<void> ShipmentSync::run(engine::RunContext& ctx, engine::RunSummary& summary) {
    MLC_TRY(const UtcTime from, since(options_, ctx));
    std::optional<UtcTime> cursor_at;
    for (std::uint32_t page = 1; page <= options_.pages_per_run; ++page) {
        MLC_TRY_CTX(auto listed,
                    shipstation_.list_shipments({.created_since = from,
                                                 .page = page,
                                                 .page_size = options_.page_size,
                                                 .include_items = false}),
                    "while listing ShipStation shipments for flow " + ctx.flow);
        store::PageCommit commit;
        for (const auto& record : listed.items) {
            if (!cursor_at || record.value.created_at > *cursor_at) {
                cursor_at = record.value.created_at;
            }
            if (auto handled = handle(record, ctx, commit, summary); !handled) {
                if (!ctx.dry_run) (void)ctx.store.commit_page(commit);
                return handled;
            }
        }
        if (cursor_at) {
            commit.cursor = store::Cursor{.flow = ctx.flow,
                                          .stream = kShipmentsStream,
                                          .value = format_iso8601(*cursor_at),
                                          .updated_at = ctx.clock.now()};
        }
        ++summary.pages;
        if (!ctx.dry_run) MLC_CHECK(ctx.store.commit_page(commit));
        if (!listed.more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

Result<void> ShipmentSync::handle(const connectors::Record<model::Shipment>& record,
                                  engine::RunContext& ctx, store::PageCommit& commit,
                                  engine::RunSummary& summary) {
    auto outcome = process(record, ctx, commit);
    if (!outcome && next_action(outcome.error().code) == NextAction::kPark) {
        commit.dead_letters.push_back(
            store::DeadLetter{.flow = ctx.flow,
                              .source_system = kShipmentSourceSystem,
                              .source_key = record.value.source.key,
                              .record_json = record.raw,
                              .replay_json = replay_json(record.value),
                              .error_code = std::string(to_string(outcome.error().code)),
                              .error_message = outcome.error().describe(),
                              .first_seen = ctx.clock.now(),
                              .last_seen = ctx.clock.now()});
        commit.audit.push_back({.flow = ctx.flow,
                                .direction = kDirection,
                                .source_ref = source_ref(record.value),
                                .target_ref = {},
                                .action = store::AuditAction::kPark,
                                .outcome = std::string(to_string(outcome.error().code)),
                                .attempt = ctx.attempt,
                                .at = ctx.clock.now(),
                                .detail = outcome.error().describe()});
        ++summary.parked;
        return ok();
    }
    if (!outcome) {
        return with_context(std::move(outcome).error(), "while writing ShipStation shipment " +
                                                            record.value.source.key + " to Epicor");
    }
    ++(*outcome == Outcome::kCreated ? summary.created : summary.skipped);
    return ok();
}

Result<void> ShipmentSync::write_batch(
    const std::vector<connectors::Record<model::Shipment>>& batch, engine::RunContext& ctx,
    store::PageCommit& commit, engine::RunSummary& summary) {
    for (const auto& record : batch) MLC_CHECK(handle(record, ctx, commit, summary));
    return ok();
}

Result<ShipmentSync::Outcome> ShipmentSync::process(
    const connectors::Record<model::Shipment>& record, engine::RunContext& ctx,
    store::PageCommit& commit) {
    const model::Shipment& shipment = record.value;
    const auto audit = [&](store::AuditAction action, std::string target, std::string detail) {
        commit.audit.push_back({.flow = ctx.flow,
                                .direction = kDirection,
                                .source_ref = source_ref(shipment),
                                .target_ref = std::move(target),
                                .action = action,
                                .outcome = "ok",
                                .attempt = ctx.attempt,
                                .at = ctx.clock.now(),
                                .detail = std::move(detail)});
    };
    MLC_TRY(auto done, ctx.store.get_binding(ctx.flow, kShipmentSourceSystem, shipment.source.key));
    if (done && done->state == store::BindingState::kConfirmed) return Outcome::kSkipped;
    if (shipment.voided) {
        audit(store::AuditAction::kSkip, {}, "voided label: nothing written");
        return Outcome::kSkipped;
    }
    MLC_TRY(auto order, ctx.store.get_binding(ctx.flow, kSourceSystem, shipment.order.key));
    std::int64_t order_num = 0;
    if (order && order->state == store::BindingState::kConfirmed) {
        const auto parsed = std::from_chars(
            order->target_id.data(), order->target_id.data() + order->target_id.size(), order_num);
        if (parsed.ec != std::errc()) order_num = 0;
    }
    if (order_num <= 0) {
        Error error = make_error(ErrorCode::kUnresolved, "epicor",
                                 "ShipStation order " + shipment.order.key + " (orderId " +
                                     shipment.order.id +
                                     ") is not in Epicor yet: fix its dead letter (or let the "
                                     "next run move it), then replay this shipment");
        error.record_key = "shipment " + shipment.source.key;
        return error;
    }
    if (ctx.dry_run) return Outcome::kCreated;
    connectors::epicor::TrackingWrite write{.order_num = order_num,
                                            .tracking_number = shipment.tracking_number,
                                            .ship_via_code = {},
                                            .weight = std::nullopt,
                                            .ship_date = shipment.ship_date};
    if (auto via = options_.carriers.find(shipment.carrier); via != options_.carriers.end()) {
        write.ship_via_code = via->second;
    }
    MLC_TRY(std::int64_t pack_num, epicor_.write_tracking(write));
    const UtcTime now = ctx.clock.now();
    commit.bindings.push_back(store::Binding{.flow = ctx.flow,
                                             .source_system = kShipmentSourceSystem,
                                             .source_key = shipment.source.key,
                                             .target_id = std::to_string(pack_num),
                                             .content_hash = shipment.tracking_number,
                                             .state = store::BindingState::kConfirmed,
                                             .source_version = format_iso8601(shipment.created_at),
                                             .created_at = now,
                                             .updated_at = now});
    audit(store::AuditAction::kCreate, "epicor:SalesOrder:" + order->target_id,
          "shipment " + shipment.source.key + ", tracking " + shipment.tracking_number + " (" +
              shipment.carrier + ") -> Epicor OrderNum " + order->target_id + ", PackNum " +
              std::to_string(pack_num));
    return Outcome::kCreated;
}

Result<void> ShipmentSync::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
    MLC_TRY(model::Shipment shipment, shipment_from_replay(letter));
    store::PageCommit commit;
    MLC_TRY(Outcome outcome, process({.value = shipment, .raw = letter.record_json}, ctx, commit));
    (void)outcome;
    if (ctx.dry_run) return ok();
    return ctx.store.commit_page(commit);
}

}  // namespace mlc::flows::shipstation_epicor
