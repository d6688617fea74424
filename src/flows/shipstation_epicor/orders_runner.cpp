#include "flows/shipstation_epicor/orders_runner.hpp"

#include <charconv>
#include <map>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/order_hash.hpp"
#include "flows/shipstation_epicor/webhook_registrar.hpp"

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

    // `target`: an Epicor OrderNum, or a whole reference ("epicor:UD01:<key>") when it holds ':'.
    void audit(engine::RunContext& ctx, const model::Order& order, const std::string& target,
               store::AuditAction action, std::string outcome, std::string detail) {
        std::string ref;
        if (!target.empty()) {
            ref = target.find(':') == std::string::npos ? target_ref(target) : target;
        }
        commit.audit.push_back(store::AuditEvent{
            .flow = ctx.flow,
            .direction = kDirection,
            .source_ref = source_ref(order),
            .target_ref = std::move(ref),
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
                           std::shared_ptr<void> keep_alive, OrdersWebhooks webhooks)
    : options_(std::move(options)),
      shipstation_(shipstation),
      epicor_(epicor),
      shipments_(options_, shipstation, epicor),
      inbox_(options_, shipstation, shipments_),
      keep_alive_(std::move(keep_alive)),
      webhooks_(std::move(webhooks)) {}

const char* OrdersRunner::binding_system() const {
    return options_.target == OrderTarget::kStagingRow ? kStagedSourceSystem : kSourceSystem;
}

Result<UtcTime> OrdersRunner::start_time(engine::RunContext& ctx) {
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, kOrdersStream));
    if (!cursor) return options_.start;
    MLC_TRY_CTX(UtcTime at, parse_iso8601(cursor->value),
                "while reading the orders cursor of flow " + ctx.flow);
    return at - options_.overlap;
}

Result<engine::RunSummary> OrdersRunner::run_once(engine::RunContext& ctx) {
    engine::RunSummary summary;
    ensure_webhooks(ctx);
    if (inbox_owner_.empty() && !ctx.dry_run) {
        MLC_TRY(const std::string id, random_hex(8));
        inbox_owner_ = std::string(kOrdersRecipe) + ":" + id;
    }
    MLC_TRY(const LeasedEvents events, inbox_.lease(ctx, inbox_owner_));
    MLC_CHECK(run_orders(ctx, summary, events));
    // Orders first, so a shipment of an order created in this run finds its binding. Events left
    // unsettled by an early stop stay leased until kInboxLease passes; a later run takes them.
    if (summary.more_pending || !ctx.checkpoint()) return summary;
    if (!events.ship_notify.empty()) {
        MLC_CHECK(inbox_.follow_shipments(events.ship_notify, ctx, summary));
    }
    if (options_.shipments && ctx.checkpoint()) MLC_CHECK(shipments_.run(ctx, summary));
    return summary;
}

std::vector<std::string> OrdersRunner::webhook_events() const {
    std::vector<std::string> events{kOrderNotify};
    if (options_.shipments) events.emplace_back(kShipNotify);
    return events;
}

void OrdersRunner::ensure_webhooks(engine::RunContext& ctx) {
    if (ctx.dry_run || !options_.webhooks || webhooks_.public_base_url.empty() ||
        webhooks_.vault == nullptr) {
        return;
    }
    const UtcTime now = ctx.clock.now();
    if (webhooks_checked_at_ && now - *webhooks_checked_at_ < kWebhookRecheck) return;
    ShipStationWebhookRegistrar registrar(shipstation_, *webhooks_.vault, ctx.store, ctx.clock);
    const auto done = registrar.ensure(ctx.flow, webhooks_.public_base_url, webhook_events());
    const std::string key = webhook_alert_key(ctx.flow);
    if (!done) {
        // The poll still moves every order and label, only not at once: warn, never fail the run.
        ctx.log.warn("flow {}: ShipStation webhooks not ensured: {}", ctx.flow,
                     done.error().describe());
        (void)ctx.store.raise_alert(store::Alert{
            .id = 0,
            .key = key,
            .flow = ctx.flow,
            .severity = "warning",
            .message = "flow " + ctx.flow + ": ShipStation webhooks could not be subscribed (" +
                       done.error().describe() +
                       "); orders and tracking still arrive by polling. Fix the ShipStation "
                       "connection or set options.webhooks: false",
            .status = store::AlertStatus::kOpen,
            .raised_at = now,
            .acknowledged_at = std::nullopt});
        return;
    }
    webhooks_checked_at_ = now;
    if (auto open = ctx.store.list_alerts(store::AlertStatus::kOpen)) {
        for (const store::Alert& alert : *open) {
            if (alert.key == key) (void)ctx.store.acknowledge_alert(alert.id, now);
        }
    }
}

Result<void> OrdersRunner::run_orders(engine::RunContext& ctx, engine::RunSummary& summary,
                                      const LeasedEvents& events) {
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
        if (!listed.more) {
            // The poll has caught up: the ORDER_NOTIFY events that woke it are answered.
            state.commit.inbox_done.insert(state.commit.inbox_done.end(),
                                           events.settle_with_poll.begin(),
                                           events.settle_with_poll.end());
            state.commit.audit.insert(state.commit.audit.end(), events.settle_audit.begin(),
                                      events.settle_audit.end());
        }
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
    MLC_TRY(auto binding, ctx.store.get_binding(ctx.flow, binding_system(), order.source.key));
    if (binding && !binding->source_version.empty()) {
        // An older copy listed after a newer one was written (overlap, paging): never go back.
        // V1 times are Pacific wall time without offset (shipstation.md), so in the fall-back
        // hour an edit at 01:30 PST reads as 01:30 PDT, earlier than a 01:50 PDT write: only a
        // copy older by more than that hour is stale; closer ones go on to the content hash.
        auto written = parse_iso8601(binding->source_version);
        if (written && *written - order.modified_at > kPacificWallTimeAmbiguity) {
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
    if (binding && options_.target == OrderTarget::kStagingRow) {
        // Staged once for review; what a person does with the row is theirs, edits included.
        page.audit(ctx, order, binding->target_id, store::AuditAction::kSkip, "ok",
                   "already staged for review: changes are not staged again");
        page.healed(order.source.key);
        return Outcome::kSkipped;
    }
    MLC_TRY(ResolvedOrder resolved, resolver.resolve(order));
    const std::string hash = content_hash(resolved);
    if (options_.target == OrderTarget::kStagingRow) {
        MLC_TRY(Outcome outcome, stage(resolved, hash, ctx, page));
        page.healed(order.source.key);
        return outcome;
    }
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

Result<OrdersRunner::Outcome> OrdersRunner::stage(const ResolvedOrder& resolved,
                                                  const std::string& hash, engine::RunContext& ctx,
                                                  PageState& page) {
    const model::Order& order = resolved.order;
    if (ctx.dry_run) return Outcome::kCreated;
    connectors::epicor::StagingRow row;
    row.keys[0] = order.source.key;  // "keyed by orderKey": a second create finds it (kConflict).
    std::string lines;
    for (const model::OrderLine& line : order.lines) {  // Bounded by kStagedLinesTextMax.
        std::string part =
            line.sku + " x " + line.quantity.to_string() + " @ " + line.unit_price.to_string();
        if (lines.size() + part.size() + 2 > kStagedLinesTextMax) {
            lines += lines.empty() ? "" : "; ";
            lines += "... (" + std::to_string(order.lines.size()) + " lines)";
            break;
        }
        lines += (lines.empty() ? "" : "; ") + part;
    }
    row.texts = {{"Character01", order.number},
                 {"Character02", resolved.customer_id},
                 {"Character03", order.source.id},
                 {"Character04", lines},
                 {"Character05", order.ship_to.name}};
    row.numbers = {{"Number01", order.total},
                   {"Number02", Decimal::from_int(static_cast<std::int64_t>(order.lines.size()))}};
    row.dates = {{"Date01", order.ordered_at}};
    MLC_CHECK_CTX(epicor_.create_staging_row(row),
                  "while staging ShipStation order " + order.number + " as a UD01 row");
    const UtcTime now = ctx.clock.now();
    const std::string target = "epicor:UD01:" + order.source.key;
    page.commit.bindings.push_back(
        store::Binding{.flow = ctx.flow,
                       .source_system = kStagedSourceSystem,
                       .source_key = order.source.key,
                       .target_id = target,
                       .content_hash = hash,
                       .state = store::BindingState::kConfirmed,
                       .source_version = format_iso8601(order.modified_at),
                       .created_at = now,
                       .updated_at = now});
    page.audit(ctx, order, target, store::AuditAction::kCreate, "ok",
               "orderId " + order.source.id + ", orderKey " + order.source.key + ", order #" +
                   order.number + " staged for review as UD01 Key1 " + order.source.key +
                   " (customer " + resolved.customer_id + ", " +
                   std::to_string(order.lines.size()) + " lines)");
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
