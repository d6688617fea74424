#include "flows/shipstation_epicor/orders_runner.hpp"

#include <charconv>
#include <map>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/order_hash.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace json = boost::json;
using connectors::Record;

std::string source_ref(const model::Order& order) {
    // Both ids as segments: `mlc audit --key` finds the event by orderId or by orderKey.
    return "shipstation:order:" + order.source.id + ":" + order.source.key;
}

std::string target_ref(const std::string& order_num) { return "epicor:SalesOrder:" + order_num; }

std::optional<std::int64_t> parse_int64(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string replay_json(const model::Order& order) {
    return json::serialize(json::object{
        {"stream", kOrdersStream}, {"order_id", order.source.id}, {"order_key", order.source.key}});
}

}  // namespace

struct OrdersRunner::PageState {
    store::PageCommit commit;
    const std::map<std::string, std::int64_t>* open_letters = nullptr;  // orderKey -> letter id

    void audit(engine::RunContext& ctx, const model::Order& order, const std::string& target,
               store::AuditAction action, std::string outcome, std::string detail) {
        commit.audit.push_back(store::AuditEvent{
            .flow = ctx.flow,
            .direction = kDirection,
            .source_ref = source_ref(order),
            .target_ref = target.empty() ? std::string() : target_ref(target),
            .action = action,
            .outcome = std::move(outcome),
            .attempt = ctx.attempt,
            .at = ctx.clock.now(),
            .detail = std::move(detail),
        });
    }
    void healed(const std::string& key) {
        if (open_letters == nullptr) return;
        if (auto it = open_letters->find(key); it != open_letters->end()) {
            commit.dead_letters_resolved.push_back(it->second);
        }
    }
};

OrdersRunner::OrdersRunner(OrdersOptions options,
                           connectors::shipstation::ShipStationClient& shipstation,
                           connectors::epicor::EpicorClient& epicor,
                           std::shared_ptr<void> keep_alive)
    : options_(std::move(options)),
      shipstation_(shipstation),
      epicor_(epicor),
      shipments_(options_, shipstation, epicor),
      keep_alive_(std::move(keep_alive)) {}

Result<UtcTime> OrdersRunner::start_time(engine::RunContext& ctx) {
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, kOrdersStream));
    if (!cursor) return options_.start;
    MLC_TRY_CTX(UtcTime at, parse_iso8601(cursor->value),
                "while reading the orders cursor of flow " + ctx.flow);
    return at - options_.overlap;
}

Result<engine::RunSummary> OrdersRunner::run_once(engine::RunContext& ctx) {
    engine::RunSummary summary;
    MLC_CHECK(run_orders(ctx, summary));
    // Orders first, so a shipment of an order created in this run finds its binding.
    if (options_.shipments && !summary.more_pending && ctx.checkpoint()) {
        MLC_CHECK(shipments_.run(ctx, summary));
    }
    return summary;
}

Result<void> OrdersRunner::run_orders(engine::RunContext& ctx, engine::RunSummary& summary) {
    MLC_TRY(const UtcTime since, start_time(ctx));
    std::map<std::string, std::int64_t> open_letters;
    MLC_TRY(auto letters, ctx.store.list_dead_letters(ctx.flow, store::DeadLetterStatus::kOpen,
                                                      kOpenLettersScanMax));
    for (const store::DeadLetter& letter : letters) {
        if (letter.source_system == kSourceSystem) open_letters[letter.source_key] = letter.id;
    }

    std::optional<UtcTime> cursor_at;
    for (std::uint32_t page = 1; page <= options_.pages_per_run; ++page) {
        MLC_TRY_CTX(auto listed,
                    shipstation_.list_orders_modified_since(
                        {.modified_since = since, .page = page, .page_size = options_.page_size}),
                    "while listing ShipStation orders for flow " + ctx.flow);
        // A fresh resolver per page: lookups are cached within it, and a part added meanwhile is
        // seen by the next page.
        OrderResolver resolver(epicor_, options_);
        PageState state{.commit = {}, .open_letters = &open_letters};
        for (const auto& record : listed.items) {
            if (!cursor_at || record.value.modified_at > *cursor_at) {
                cursor_at = record.value.modified_at;
            }
            auto outcome = process(record, resolver, ctx, state);
            if (!outcome && next_action(outcome.error().code) == NextAction::kPark) {
                park(record, outcome.error(), ctx, state);
                outcome = Outcome::kParked;
            }
            if (!outcome) {
                // Keep what this page already wrote (bindings, audit); the cursor stays put.
                if (!ctx.dry_run) (void)ctx.store.commit_page(state.commit);
                return with_context(std::move(outcome).error(),
                                    "while moving ShipStation order " + record.value.number +
                                        " to Epicor (flow " + ctx.flow + ")");
            }
            switch (*outcome) {
                case Outcome::kCreated:
                    ++summary.created;
                    break;
                case Outcome::kUpdated:
                    ++summary.updated;
                    break;
                case Outcome::kSkipped:
                    ++summary.skipped;
                    break;
                case Outcome::kParked:
                    ++summary.parked;
                    break;
            }
        }
        for (const auto& rejected : listed.rejected) {
            ctx.log.warn("flow {}: parked a ShipStation order that could not be read: {}", ctx.flow,
                         rejected.error.describe());
            store::DeadLetter letter{.flow = ctx.flow,
                                     .source_system = kSourceSystem,
                                     .source_key = rejected.key,
                                     .record_json = rejected.raw,
                                     .replay_json = {},
                                     .error_code = std::string(to_string(rejected.error.code)),
                                     .error_message = rejected.error.describe(),
                                     .first_seen = ctx.clock.now(),
                                     .last_seen = ctx.clock.now()};
            state.commit.dead_letters.push_back(std::move(letter));
            ++summary.parked;
        }
        if (cursor_at) {
            state.commit.cursor = store::Cursor{.flow = ctx.flow,
                                                .stream = kOrdersStream,
                                                .value = format_iso8601(*cursor_at),
                                                .updated_at = ctx.clock.now()};
        }
        ++summary.pages;
        if (!ctx.dry_run) {
            MLC_CHECK_CTX(ctx.store.commit_page(state.commit),
                          "while committing page " + std::to_string(page) + " of flow " + ctx.flow);
        }
        if (!listed.more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

Result<OrdersRunner::Outcome> OrdersRunner::process(const Record<model::Order>& record,
                                                    OrderResolver& resolver,
                                                    engine::RunContext& ctx, PageState& page) {
    const model::Order& order = record.value;
    MLC_TRY(auto binding, ctx.store.get_binding(ctx.flow, kSourceSystem, order.source.key));
    if (binding && !binding->source_version.empty()) {
        // An older copy listed after a newer one was written (overlap, paging): never go back.
        auto written = parse_iso8601(binding->source_version);
        if (written && *written > order.modified_at) {
            page.audit(ctx, order, binding->target_id, store::AuditAction::kSkip, "ok",
                       "older than the version already written");
            return Outcome::kSkipped;
        }
    }
    if (!binding && order.status == model::OrderStatus::kCancelled) {
        // Never in Epicor and already cancelled: creating it only to void it helps nobody.
        page.audit(ctx, order, {}, store::AuditAction::kSkip, "ok",
                   "cancelled in ShipStation before it reached Epicor");
        page.healed(order.source.key);
        return Outcome::kSkipped;
    }
    MLC_TRY(ResolvedOrder resolved, resolver.resolve(order));
    const std::string hash = content_hash(resolved);
    if (binding && binding->state == store::BindingState::kConfirmed &&
        binding->content_hash == hash) {
        page.audit(ctx, order, binding->target_id, store::AuditAction::kSkip, "ok", "unchanged");
        page.healed(order.source.key);
        return Outcome::kSkipped;
    }
    MLC_TRY(Outcome outcome, write(resolved, hash, std::move(binding), ctx, page));
    page.healed(order.source.key);
    return outcome;
}

Result<OrdersRunner::Outcome> OrdersRunner::write(const ResolvedOrder& resolved,
                                                  const std::string& hash,
                                                  std::optional<store::Binding> binding,
                                                  engine::RunContext& ctx, PageState& page) {
    const model::Order& order = resolved.order;
    bool recovered = false;
    if (binding && binding->state == store::BindingState::kPending) {
        // The create's answer was lost (or we crashed after sending it): ask Epicor first.
        MLC_TRY(auto found, epicor_.find_order_by_source_key(order.source.key));
        if (!found) return create(resolved, hash, ctx, page);
        // The UI sequence writes the header before the lines, so a create cut short can leave a
        // partial order: bring it to the full order with an update (idempotent) below.
        binding->target_id = std::to_string(found->order_num);
        recovered = true;
    }
    if (!binding) return create(resolved, hash, ctx, page);
    if (ctx.dry_run) return recovered ? Outcome::kCreated : Outcome::kUpdated;

    const auto order_num = parse_int64(binding->target_id);
    if (!order_num) {
        return make_error(ErrorCode::kInternal, "store",
                          "binding of order " + order.source.key + " holds no Epicor OrderNum");
    }
    std::string detail;
    if (order.status == model::OrderStatus::kCancelled) {
        MLC_CHECK(epicor_.cancel_order(*order_num));
        detail = "cancelled in ShipStation: Epicor order closed/voided";
    } else {
        MLC_TRY(auto updated, epicor_.update_order(*order_num, order));
        (void)updated;
        detail = "updated";
    }
    binding->content_hash = hash;
    binding->state = store::BindingState::kConfirmed;
    binding->source_version = format_iso8601(order.modified_at);
    binding->updated_at = ctx.clock.now();
    page.commit.bindings.push_back(*binding);
    if (recovered)
        detail = "found in Epicor after an uncertain create (not created again), " + detail;
    page.audit(ctx, order, binding->target_id,
               recovered ? store::AuditAction::kCreate : store::AuditAction::kUpdate, "ok",
               "orderId " + order.source.id + ", orderKey " + order.source.key + ", order #" +
                   order.number + " -> Epicor OrderNum " + binding->target_id + ": " + detail);
    return recovered ? Outcome::kCreated : Outcome::kUpdated;
}

Result<OrdersRunner::Outcome> OrdersRunner::create(const ResolvedOrder& resolved,
                                                   const std::string& hash, engine::RunContext& ctx,
                                                   PageState& page) {
    const model::Order& order = resolved.order;
    if (ctx.dry_run) return Outcome::kCreated;
    const UtcTime now = ctx.clock.now();
    store::Binding binding{.flow = ctx.flow,
                           .source_system = kSourceSystem,
                           .source_key = order.source.key,
                           .target_id = {},
                           .content_hash = hash,
                           .state = store::BindingState::kPending,
                           .source_version = {},
                           .created_at = now,
                           .updated_at = now};
    // Pending first: if the create's answer is lost, the next run looks the order up by orderKey.
    MLC_CHECK_CTX(ctx.store.put_binding(binding),
                  "while noting the pending create of order " + order.source.key);
    MLC_TRY(auto created,
            epicor_.create_order({.order = order, .customer_id = resolved.customer_id}));
    binding.target_id = std::to_string(created.order_num);
    binding.state = store::BindingState::kConfirmed;
    binding.source_version = format_iso8601(order.modified_at);
    page.commit.bindings.push_back(binding);
    page.audit(ctx, order, binding.target_id, store::AuditAction::kCreate, "ok",
               "orderId " + order.source.id + ", orderKey " + order.source.key + ", order #" +
                   order.number + " -> Epicor OrderNum " + binding.target_id + " (customer " +
                   resolved.customer_id + ", " + std::to_string(order.lines.size()) + " lines)");
    return Outcome::kCreated;
}

void OrdersRunner::park(const Record<model::Order>& record, const Error& error,
                        engine::RunContext& ctx, PageState& page) {
    const model::Order& order = record.value;
    ctx.log.warn("flow {}: parked ShipStation order {}: {}", ctx.flow, order.number,
                 error.describe());
    page.commit.dead_letters.push_back(store::DeadLetter{
        .flow = ctx.flow,
        .source_system = kSourceSystem,
        .source_key = order.source.key,
        .record_json = record.raw,
        .replay_json = replay_json(order),
        .error_code = std::string(to_string(error.code)),
        .error_message = error.describe(),
        .first_seen = ctx.clock.now(),
        .last_seen = ctx.clock.now(),
    });
    page.audit(ctx, order, {}, store::AuditAction::kPark, std::string(to_string(error.code)),
               error.describe());
}

Result<void> OrdersRunner::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
    if (letter.source_system == kShipmentSourceSystem) return shipments_.replay(letter, ctx);
    boost::system::error_code parse_error;
    const json::value parsed = json::parse(letter.replay_json, parse_error);
    std::optional<std::int64_t> order_id;
    if (!parse_error && parsed.is_object()) {
        if (const auto* id = parsed.as_object().if_contains("order_id"); id && id->is_string()) {
            order_id = parse_int64(id->as_string());
        }
    }
    if (!order_id) {
        return make_error(ErrorCode::kInvalidInput, kSourceSystem,
                          "dead letter " + std::to_string(letter.id) +
                              " names no ShipStation orderId to fetch again: the record itself "
                              "could not be read; fix it in ShipStation, the next run reads it");
    }
    MLC_TRY_CTX(auto record, shipstation_.get_order(*order_id),
                "while fetching ShipStation order " + std::to_string(*order_id) + " for replay");
    OrderResolver resolver(epicor_, options_);
    PageState state;
    MLC_TRY(Outcome outcome, process(record, resolver, ctx, state));
    (void)outcome;
    if (ctx.dry_run) return ok();
    return ctx.store.commit_page(state.commit);
}

}  // namespace mlc::flows::shipstation_epicor
