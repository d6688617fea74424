#include "flows/epicor_woocommerce/orders_runner.hpp"

#include <charconv>
#include <set>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "connectors/woocommerce/woocommerce_json.hpp"
#include "flows/epicor_woocommerce/webhook_registrar.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
namespace woo = connectors::woocommerce;

// What the binding holds for an order the flow closed in Epicor: nothing else to write.
constexpr std::string_view kClosedHash = "closed";

std::optional<std::int64_t> parse_int64(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string replay_json(const std::string& order_id) {
    return json::serialize(json::object{{"stream", kWooOrdersStream}, {"order_id", order_id}});
}

// One inbox event read: an order to process, or a reason to finish it without one.
struct ReadEvent {
    std::optional<WooOrderInput> order;
    std::string skip_reason;      // Finished without processing (not an order, deleted, gone).
    std::optional<Error> broken;  // Verified but unreadable: parked.
};

ReadEvent read_event(const store::InboxEvent& event) {
    ReadEvent out;
    if (!event.topic.empty() && !event.topic.starts_with("order.")) {
        out.skip_reason = "topic " + event.topic + " is not an order topic";
        return out;
    }
    auto parsed = woo::parse_exact(event.body, "the WooCommerce webhook body");
    if (!parsed) {
        out.broken = parsed.error();
        return out;
    }
    if (!parsed->is_object()) {
        out.broken = make_error(ErrorCode::kInvalidInput, "woocommerce",
                                "webhook body is not a JSON object");
        return out;
    }
    json::object& object = parsed->as_object();
    if (object.contains("code") && !object.contains("line_items")) {
        // Woo renders GET's error when the order is gone by delivery time (woocommerce.md).
        out.skip_reason =
            "the order no longer exists in WooCommerce (" + woo::text_of(object, "code") + ")";
        return out;
    }
    if (event.topic == "order.deleted" || !object.contains("line_items")) {
        out.skip_reason = "order " + std::to_string(woo::int_of(object, "id")) +
                          " deleted in WooCommerce: the Epicor order is left as it is";
        return out;
    }
    auto order = woo::order_from_json(object);
    if (!order) {
        out.broken = order.error();
        return out;
    }
    out.order =
        WooOrderInput{.order = std::move(*order), .raw = std::move(object), .raw_text = event.body};
    return out;
}

}  // namespace

WooOrdersRunner::WooOrdersRunner(WooOrdersOptions options, WooOrdersWiring wiring)
    : options_(std::move(options)),
      woo_(wiring.woo),
      epicor_(wiring.epicor),
      vault_(wiring.vault),
      public_base_url_(std::move(wiring.public_base_url)),
      refunds_(options_, wiring.woo, wiring.epicor),
      keep_alive_(std::move(wiring.keep_alive)) {}

void WooOrdersRunner::tally(engine::RunSummary& summary, Outcome outcome) {
    switch (outcome) {
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

std::string WooOrdersRunner::source_key(const model::Order& order) const {
    return options_.source_key_prefix + order.source.key;
}

Result<engine::RunSummary> WooOrdersRunner::run_once(engine::RunContext& ctx) {
    engine::RunSummary summary;
    ensure_webhooks(ctx);
    MLC_CHECK(drain_inbox(ctx, summary));
    if (summary.more_pending || !ctx.checkpoint()) return summary;
    MLC_CHECK(poll(ctx, summary));
    return summary;
}

void WooOrdersRunner::ensure_webhooks(engine::RunContext& ctx) {
    if (!options_.webhooks || ctx.dry_run) return;
    if (public_base_url_.empty()) {
        ctx.log.info(
            "flow {}: no server runs (no public URL), so no WooCommerce webhooks are registered; "
            "the modified_after poll alone brings orders in",
            ctx.flow);
        return;
    }
    if (vault_ == nullptr) {
        ctx.log.warn(
            "flow {}: no vault, so no webhook secret: WooCommerce webhooks not "
            "registered (run `mlc init`); the poll alone brings orders in",
            ctx.flow);
        return;
    }
    WooWebhookRegistrar registrar(woo_, *vault_, ctx.store, ctx.clock);
    auto report = registrar.ensure(ctx.flow, public_base_url_);
    if (!report) {
        // Not fatal: the poll below still brings every order in.
        ctx.log.warn("flow {}: could not check the WooCommerce webhooks: {}", ctx.flow,
                     report.error().describe());
        return;
    }
    for (const WebhookState& hook : report->webhooks) {
        if (hook.created_now) {
            ctx.log.info("flow {}: registered WooCommerce webhook {} ({} -> {})", ctx.flow, hook.id,
                         hook.topic, hook.delivery_url);
        } else if (hook.status != "active") {
            ctx.log.warn(
                "flow {}: WooCommerce webhook {} ({}) is {}: alert raised; re-enable it "
                "with `mlc webhooks enable {}`",
                ctx.flow, hook.id, hook.topic, hook.status, ctx.flow);
        }
    }
}

Result<std::map<std::string, std::int64_t>> WooOrdersRunner::open_letters(engine::RunContext& ctx) {
    std::map<std::string, std::int64_t> out;
    MLC_TRY(auto letters, ctx.store.list_dead_letters(ctx.flow, store::DeadLetterStatus::kOpen,
                                                      kWooOpenLettersScanMax));
    for (const store::DeadLetter& letter : letters) {
        if (letter.source_system == kWooOrderSystem) out[letter.source_key] = letter.id;
    }
    return out;
}

Result<void> WooOrdersRunner::drain_inbox(engine::RunContext& ctx, engine::RunSummary& summary) {
    if (ctx.dry_run) return ok();  // Leasing would hide the events from the real run.
    MLC_TRY(auto letters, open_letters(ctx));
    for (std::uint32_t batch = 0; batch < options_.inbox_batches_per_run; ++batch) {
        MLC_TRY(bool more, drain_batch(ctx, summary, letters));
        if (!more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

Result<bool> WooOrdersRunner::drain_batch(engine::RunContext& ctx, engine::RunSummary& summary,
                                          const std::map<std::string, std::int64_t>& letters) {
    MLC_TRY(auto events, ctx.store.lease_inbox(ctx.flow, "flow:" + ctx.flow, ctx.clock.now(),
                                               kInboxLease, options_.inbox_batch));
    if (events.empty()) return false;
    OrdersPage page{.commit = {}, .open_letters = &letters};
    // Coalesce: the newest copy of each order (date_modified_gmt, then the later delivery).
    std::map<std::string, WooOrderInput> newest;
    std::map<std::string, std::vector<std::int64_t>> events_of;
    for (const store::InboxEvent& event : events) {
        ReadEvent read = read_event(event);
        if (read.broken) {
            Error error = *read.broken;
            error.record_key = "inbox event " + std::to_string(event.id);
            ctx.log.warn("flow {}: parked an unreadable WooCommerce delivery: {}", ctx.flow,
                         error.describe());
            page.commit.dead_letters.push_back(store::DeadLetter{
                .id = 0,
                .flow = ctx.flow,
                .source_system = kWooOrderSystem,
                .source_key =
                    "delivery:" + (event.delivery_id.empty() ? event.body_hash : event.delivery_id),
                .record_json = event.body,
                .replay_json = {},
                .error_code = std::string(to_string(error.code)),
                .error_message = error.describe(),
                .first_seen = ctx.clock.now(),
                .last_seen = ctx.clock.now()});
            page.commit.inbox_done.push_back(event.id);
            ++summary.parked;
            continue;
        }
        if (!read.order) {
            page.audit(ctx, std::string(kWooOrderSystem) + ":webhook:" + event.delivery_id, {},
                       store::AuditAction::kSkip, "ok", read.skip_reason);
            page.commit.inbox_done.push_back(event.id);
            continue;
        }
        const std::string id = read.order->order.source.key;
        events_of[id].push_back(event.id);
        auto it = newest.find(id);
        if (it == newest.end() || read.order->order.modified_at >= it->second.order.modified_at) {
            newest.insert_or_assign(id, std::move(*read.order));
        }
    }
    WooOrderResolver resolver(epicor_, options_);
    for (const auto& [id, input] : newest) {
        auto outcome = process_or_park(input, resolver, ctx, page);
        if (!outcome) {
            // Keep what this batch finished; the failed order's events stay leased and come back
            // once the lease expires (and the poll sees the order meanwhile).
            (void)ctx.store.commit_page(page.commit);
            return with_context(
                std::move(outcome).error(),
                "while moving Woo order " + id + " to Epicor (flow " + ctx.flow + ")");
        }
        tally(summary, *outcome);
        const auto& ids = events_of[id];
        page.commit.inbox_done.insert(page.commit.inbox_done.end(), ids.begin(), ids.end());
    }
    ++summary.pages;
    MLC_CHECK_CTX(ctx.store.commit_page(page.commit),
                  "while committing an inbox batch of flow " + ctx.flow);
    return events.size() >= options_.inbox_batch;
}

Result<UtcTime> WooOrdersRunner::poll_start(engine::RunContext& ctx) {
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, kWooOrdersStream));
    if (!cursor) return options_.start;
    MLC_TRY_CTX(UtcTime at, parse_iso8601(cursor->value),
                "while reading the orders cursor of flow " + ctx.flow);
    return at - options_.overlap;
}

Result<void> WooOrdersRunner::poll(engine::RunContext& ctx, engine::RunSummary& summary) {
    MLC_TRY(const UtcTime since, poll_start(ctx));
    MLC_TRY(auto letters, open_letters(ctx));
    std::optional<UtcTime> cursor_at;
    for (std::uint32_t page_number = 1; page_number <= options_.pages_per_run; ++page_number) {
        connectors::Page<model::Order> info;
        MLC_TRY_CTX(auto listed,
                    woo_.list_orders_raw({.modified_after = since,
                                          .page = page_number,
                                          .per_page = options_.per_page,
                                          .statuses = {}},
                                         &info),
                    "while listing WooCommerce orders for flow " + ctx.flow);
        WooOrderResolver resolver(epicor_, options_);
        OrdersPage page{.commit = {}, .open_letters = &letters};
        for (auto& record : listed) {
            if (!cursor_at || record.record.value.modified_at > *cursor_at) {
                cursor_at = record.record.value.modified_at;
            }
            const WooOrderInput input{
                .order = record.record.value, .raw = record.raw, .raw_text = record.record.raw};
            auto outcome = process_or_park(input, resolver, ctx, page);
            if (!outcome) {
                if (!ctx.dry_run) (void)ctx.store.commit_page(page.commit);
                return with_context(std::move(outcome).error(),
                                    "while moving Woo order " + input.order.source.key +
                                        " to Epicor (flow " + ctx.flow + ")");
            }
            tally(summary, *outcome);
        }
        for (const auto& rejected : info.rejected) {
            ctx.log.warn("flow {}: parked a Woo order that could not be read: {}", ctx.flow,
                         rejected.error.describe());
            page.commit.dead_letters.push_back(
                store::DeadLetter{.id = 0,
                                  .flow = ctx.flow,
                                  .source_system = kWooOrderSystem,
                                  .source_key = rejected.key,
                                  .record_json = rejected.raw,
                                  .replay_json = {},
                                  .error_code = std::string(to_string(rejected.error.code)),
                                  .error_message = rejected.error.describe(),
                                  .first_seen = ctx.clock.now(),
                                  .last_seen = ctx.clock.now()});
            ++summary.parked;
        }
        if (cursor_at) {
            page.commit.cursor = store::Cursor{.flow = ctx.flow,
                                               .stream = kWooOrdersStream,
                                               .value = format_iso8601(*cursor_at),
                                               .updated_at = ctx.clock.now()};
        }
        ++summary.pages;
        if (!ctx.dry_run) {
            MLC_CHECK_CTX(ctx.store.commit_page(page.commit), "while committing poll page " +
                                                                  std::to_string(page_number) +
                                                                  " of flow " + ctx.flow);
        }
        if (!info.more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

Result<WooOrdersRunner::Outcome> WooOrdersRunner::process_or_park(const WooOrderInput& input,
                                                                  WooOrderResolver& resolver,
                                                                  engine::RunContext& ctx,
                                                                  OrdersPage& page) {
    auto outcome = process(input, resolver, ctx, page);
    if (!outcome && next_action(outcome.error().code) == NextAction::kPark) {
        park(input, outcome.error(), ctx, page);
        return Outcome::kParked;
    }
    return outcome;
}

Result<WooOrdersRunner::Outcome> WooOrdersRunner::process(const WooOrderInput& input,
                                                          WooOrderResolver& resolver,
                                                          engine::RunContext& ctx,
                                                          OrdersPage& page) {
    const model::Order& order = input.order;
    const std::string& id = order.source.key;
    const std::string status = woo::text_of(input.raw, "status");
    std::optional<store::Binding> binding;
    if (const auto* held = page.pending_binding(kWooOrderSystem, id)) {
        binding = *held;
    } else {
        MLC_TRY(binding, ctx.store.get_binding(ctx.flow, kWooOrderSystem, id));
    }
    const bool confirmed = binding && binding->state == store::BindingState::kConfirmed;
    if (confirmed && !binding->source_version.empty()) {
        // Deliveries come late and out of order (woocommerce.md): never go back to older data.
        auto written = parse_iso8601(binding->source_version);
        if (written && *written > order.modified_at) {
            page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding->target_id),
                       store::AuditAction::kSkip, "ok",
                       "older than the version already written (date_modified_gmt " +
                           format_iso8601(order.modified_at) + " < " + binding->source_version +
                           ")");
            return Outcome::kSkipped;
        }
        if (written && *written == order.modified_at) {
            // created + updated of one checkout, a duplicated delivery, the poll's overlap.
            page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding->target_id),
                       store::AuditAction::kSkip, "ok", "this version is already in Epicor");
            page.healed(id);
            MLC_CHECK(refunds(input, binding->target_id, ctx, page));
            return Outcome::kSkipped;
        }
    }
    if (!binding && !options_.statuses.contains(status)) {
        // Not (yet) an order for Epicor: a later change re-delivers it or the poll sees it.
        page.audit(ctx, woo_order_ref(id), {}, store::AuditAction::kSkip, "ok",
                   "status " + status + " is not imported (options.statuses)");
        page.healed(id);
        return Outcome::kSkipped;
    }
    if (binding && is_closing_status(status)) return close(input, *binding, ctx, page);
    MLC_TRY(WooResolvedOrder resolved, resolver.resolve(order));
    resolved.order.source.key = source_key(order);
    const std::string hash = connectors::epicor::content_hash(connectors::epicor::SalesOrderDraft{
        .order = resolved.order, .customer_id = resolved.customer_id});
    if (confirmed && binding->content_hash == hash) {
        binding->source_version = format_iso8601(order.modified_at);
        binding->updated_at = ctx.clock.now();
        page.commit.bindings.push_back(*binding);
        page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding->target_id),
                   store::AuditAction::kSkip, "ok", "unchanged");
        page.healed(id);
        MLC_CHECK(refunds(input, binding->target_id, ctx, page));
        return Outcome::kSkipped;
    }
    MLC_TRY(Outcome outcome, write(input, resolved, hash, std::move(binding), ctx, page));
    page.healed(id);
    return outcome;
}

Result<WooOrdersRunner::Outcome> WooOrdersRunner::write(const WooOrderInput& input,
                                                        const WooResolvedOrder& resolved,
                                                        const std::string& hash,
                                                        std::optional<store::Binding> binding,
                                                        engine::RunContext& ctx, OrdersPage& page) {
    const model::Order& order = resolved.order;
    const std::string& id = input.order.source.key;
    bool recovered = false;
    if (binding && binding->state == store::BindingState::kPending) {
        // The create's answer was lost (or we were killed after sending it): ask Epicor first.
        MLC_TRY(auto found, epicor_.find_order_by_source_key(order.source.key));
        if (!found) return create(input, resolved, hash, ctx, page);
        // The UI sequence writes the header before the lines: an update completes a partial one.
        binding->target_id = std::to_string(found->order_num);
        recovered = true;
    }
    if (!binding) return create(input, resolved, hash, ctx, page);
    if (ctx.dry_run) return recovered ? Outcome::kCreated : Outcome::kUpdated;
    const auto order_num = parse_int64(binding->target_id);
    if (!order_num) {
        return make_error(ErrorCode::kInternal, "store",
                          "binding of Woo order " + id + " holds no Epicor OrderNum");
    }
    MLC_TRY(auto updated, epicor_.update_order(*order_num, order));
    (void)updated;
    binding->content_hash = hash;
    binding->state = store::BindingState::kConfirmed;
    binding->source_version = format_iso8601(input.order.modified_at);
    binding->updated_at = ctx.clock.now();
    page.commit.bindings.push_back(*binding);
    page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding->target_id),
               recovered ? store::AuditAction::kCreate : store::AuditAction::kUpdate, "ok",
               "Woo order " + id + " -> Epicor OrderNum " + binding->target_id +
                   (recovered ? ": found in Epicor by " + order.source.key +
                                    " after an uncertain create (not created again), completed"
                              : ": updated"));
    MLC_CHECK(refunds(input, binding->target_id, ctx, page));
    return recovered ? Outcome::kCreated : Outcome::kUpdated;
}

Result<WooOrdersRunner::Outcome> WooOrdersRunner::create(const WooOrderInput& input,
                                                         const WooResolvedOrder& resolved,
                                                         const std::string& hash,
                                                         engine::RunContext& ctx,
                                                         OrdersPage& page) {
    const model::Order& order = resolved.order;
    const std::string& id = input.order.source.key;
    if (ctx.dry_run) return Outcome::kCreated;
    const UtcTime now = ctx.clock.now();
    store::Binding binding{.flow = ctx.flow,
                           .source_system = kWooOrderSystem,
                           .source_key = id,
                           .target_id = {},
                           .content_hash = hash,
                           .state = store::BindingState::kPending,
                           .source_version = {},
                           .created_at = now,
                           .updated_at = now};
    // Pending first: if the create's answer is lost, the next attempt looks the order up by key.
    MLC_CHECK_CTX(ctx.store.put_binding(binding),
                  "while noting the pending create of Woo order " + id);
    MLC_TRY(auto created,
            epicor_.create_order({.order = order, .customer_id = resolved.customer_id}));
    binding.target_id = std::to_string(created.order_num);
    binding.state = store::BindingState::kConfirmed;
    binding.source_version = format_iso8601(input.order.modified_at);
    page.commit.bindings.push_back(binding);
    page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding.target_id),
               store::AuditAction::kCreate, "ok",
               "Woo order " + id + " (" + order.source.key + ") -> Epicor OrderNum " +
                   binding.target_id + " (customer " + resolved.customer_id + ", " +
                   std::to_string(order.lines.size()) + " lines)");
    MLC_CHECK(refunds(input, binding.target_id, ctx, page));
    return Outcome::kCreated;
}

Result<WooOrdersRunner::Outcome> WooOrdersRunner::close(const WooOrderInput& input,
                                                        store::Binding binding,
                                                        engine::RunContext& ctx, OrdersPage& page) {
    const std::string& id = input.order.source.key;
    const std::string status = woo::text_of(input.raw, "status");
    if (binding.state == store::BindingState::kPending) {
        MLC_TRY(auto found, epicor_.find_order_by_source_key(source_key(input.order)));
        if (!found) {
            // It never reached Epicor: nothing to close. Keep the pending binding, harmless.
            page.audit(ctx, woo_order_ref(id), {}, store::AuditAction::kSkip, "ok",
                       status + " in WooCommerce before it reached Epicor");
            page.healed(id);
            return Outcome::kSkipped;
        }
        binding.target_id = std::to_string(found->order_num);
        binding.state = store::BindingState::kConfirmed;
    }
    const auto order_num = parse_int64(binding.target_id);
    if (!order_num) {
        return make_error(ErrorCode::kInternal, "store",
                          "binding of Woo order " + id + " holds no Epicor OrderNum");
    }
    const bool already = binding.content_hash == kClosedHash;
    if (!already && !ctx.dry_run) MLC_CHECK(epicor_.cancel_order(*order_num));
    binding.content_hash = std::string(kClosedHash);
    binding.source_version = format_iso8601(input.order.modified_at);
    binding.updated_at = ctx.clock.now();
    page.commit.bindings.push_back(binding);
    page.audit(ctx, woo_order_ref(id), epicor_order_ref(binding.target_id),
               already ? store::AuditAction::kSkip : store::AuditAction::kUpdate, "ok",
               already ? "already closed in Epicor"
                       : status + " in WooCommerce: Epicor order " + binding.target_id +
                             " closed/voided (open lines)");
    page.healed(id);
    MLC_CHECK(refunds(input, binding.target_id, ctx, page));
    return already ? Outcome::kSkipped : Outcome::kUpdated;
}

Result<void> WooOrdersRunner::refunds(const WooOrderInput& input, const std::string& order_num,
                                      engine::RunContext& ctx, OrdersPage& page) {
    if (!options_.refunds || order_num.empty()) return ok();
    MLC_TRY(auto written, refunds_.sync(input.raw, order_num, ctx, page));
    (void)written;
    return ok();
}

void WooOrdersRunner::park(const WooOrderInput& input, const Error& error, engine::RunContext& ctx,
                           OrdersPage& page) {
    const std::string& id = input.order.source.key;
    ctx.log.warn("flow {}: parked Woo order {}: {}", ctx.flow, id, error.describe());
    page.commit.dead_letters.push_back(store::DeadLetter{
        .id = 0,
        .flow = ctx.flow,
        .source_system = kWooOrderSystem,
        .source_key = id,
        .record_json = input.raw_text,
        .replay_json = replay_json(id),
        .error_code = std::string(to_string(error.code)),
        .error_message = error.describe(),
        .first_seen = ctx.clock.now(),
        .last_seen = ctx.clock.now(),
    });
    page.audit(ctx, woo_order_ref(id), {}, store::AuditAction::kPark,
               std::string(to_string(error.code)), error.describe());
}

Result<void> WooOrdersRunner::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
    boost::system::error_code parse_error;
    const json::value parsed = json::parse(letter.replay_json, parse_error);
    std::optional<std::int64_t> order_id;
    if (!parse_error && parsed.is_object()) {
        if (const auto* id = parsed.as_object().if_contains("order_id"); id && id->is_string()) {
            order_id = parse_int64(id->as_string());
        }
    }
    if (!order_id) {
        return make_error(ErrorCode::kInvalidInput, kWooOrderSystem,
                          "dead letter " + std::to_string(letter.id) +
                              " names no Woo order id to fetch again: the delivery itself could "
                              "not be read; the poll brings the order in once it reads cleanly");
    }
    MLC_TRY_CTX(auto record, woo_.get_order(*order_id),
                "while fetching Woo order " + std::to_string(*order_id) + " for replay");
    const WooOrderInput input{
        .order = record.record.value, .raw = record.raw, .raw_text = record.record.raw};
    WooOrderResolver resolver(epicor_, options_);
    OrdersPage page;
    MLC_TRY(Outcome outcome, process(input, resolver, ctx, page));
    (void)outcome;
    if (ctx.dry_run) return ok();
    return ctx.store.commit_page(page.commit);
}

}  // namespace mlc::flows::epicor_woocommerce
