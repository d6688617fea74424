#include "flows/epicor_woocommerce/orders_recipe.hpp"

#include <spdlog/spdlog.h>

#include "connectors/epicor/epicor_resolver.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "connectors/woocommerce/woocommerce_streams.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/stream.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace ep = connectors::epicor;
namespace woo = connectors::woocommerce;
using OrderStream = pipeline::Stream<model::Order, ep::SalesOrderDraft>;
using RefundStream = pipeline::Stream<model::Refund, ep::RefundDraft>;

// Everything the flow's steps borrow; the pipeline::Flow owns it.
struct Parts {
    WooOrdersOptions options;
    std::shared_ptr<void> keep_alive;
    woo::WooCommerceClient* woo = nullptr;
    std::unique_ptr<woo::OrdersSource> order_source;
    std::unique_ptr<woo::RefundsSource> refund_source;
    woo::OrderEvents events;
    std::unique_ptr<ep::SalesOrders> sales_orders;
    std::unique_ptr<ep::RefundCredits> credits;
    ep::OrderResolverConfig resolving;
    OrderStream orders;
    RefundStream refunds;
    std::unique_ptr<pipeline::WebhookUpkeep> upkeep;
};

pipeline::Intent order_intent(const WooOrdersOptions& options, const model::Order& order) {
    const std::string& status = order.source_status;
    if (is_closing_status(status)) {
        return {.kind = pipeline::Intent::kClose, .reason = status + " in WooCommerce"};
    }
    if (!options.statuses.contains(status)) {
        return {.kind = pipeline::Intent::kNotYet,
                .reason = "status " + status + " is not imported (options.statuses)"};
    }
    return {};
}

void wire_refunds(Parts& p, ep::EpicorClient& epicor) {
    p.refund_source = std::make_unique<woo::RefundsSource>(*p.woo);
    p.credits = std::make_unique<ep::RefundCredits>(epicor, kRefundRowKey);
    p.refunds = RefundStream{
        .name = kWooRefundsStream,
        .system = kWooRefundSystem,
        .direction = kWooDirection,
        .source = p.refund_source.get(),
        .target = p.credits.get(),
        // A refund -> its UD01 credit row on the bound order (the parent link's OrderNum).
        .resolver = pipeline::resolve_with<model::Refund, ep::RefundDraft>(
            [&p](const model::Refund& refund,
                 const std::string& order_num) -> Result<ep::RefundDraft> {
                return ep::RefundDraft{
                    .refund = refund,
                    .order_num = order_num,
                    .order_source_key = p.options.source_key_prefix + refund.order.key};
            }),
        .hash = [](const ep::RefundDraft& draft) { return draft.refund.amount.to_string(); },
        .parent_system = kWooOrderSystem,
        .parent_key = [](const model::Refund& refund) { return refund.order.key; },
        .parent_missing =
            [](const model::Refund& refund) {
                return make_error(
                    ErrorCode::kUnresolved, "epicor",
                    "Woo order " + refund.order.key +
                        " is not in Epicor yet: fix its dead letter, then replay this "
                        "refund");
            }};
}

void wire(Parts& p, ep::EpicorClient& epicor) {
    const WooOrdersOptions& o = p.options;
    p.order_source = std::make_unique<woo::OrdersSource>(
        *p.woo, connectors::TimeWindow{.start = o.start, .overlap = o.overlap}, o.per_page);
    p.sales_orders = std::make_unique<ep::SalesOrders>(epicor);
    p.resolving = ep::OrderResolverConfig{
        .customer_by = ep::OrderResolverConfig::CustomerBy::kEmail,
        .customer_value_name = "Woo billing email",
        .customer_field = o.customer_field,
        .fixed_customer = o.fixed_customer,
        .customers = &o.customers,
        .parts = &o.parts,
        .key_prefix = o.source_key_prefix,
        .label = [](const model::Order& order) {
            return "Woo order " + order.number + " (id " + order.source.id + ")";
        }};
    wire_refunds(p, epicor);
    p.orders = OrderStream{
        .name = kWooOrdersStream,
        .system = kWooOrderSystem,
        .direction = kWooDirection,
        .source = p.order_source.get(),
        .target = p.sales_orders.get(),
        .resolver = [&p,
                     &epicor] { return std::make_unique<ep::OrderResolver>(epicor, p.resolving); },
        .hash = [](const ep::SalesOrderDraft& draft) { return ep::content_hash(draft); },
        .intent = [&p](const model::Order& order) { return order_intent(p.options, order); },
        .target_key =
            [&p](const model::Order& order) {
                return p.options.source_key_prefix + order.source.key;
            },
        .children = [&p](const connectors::Record<model::Order>& order, const std::string&,
                         pipeline::Page& page, engine::RunSummary& summary) -> Result<void> {
            if (!p.options.refunds) return ok();
            return pipeline::write_children(p.refunds, *p.refund_source, order.value, page, summary,
                                            kRefundsPerOrderMax);
        },
        .pages_per_run = o.pages_per_run};
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_webhooks(*flow, *p.upkeep);
    pipeline::add_inbox(*flow, p.orders, p.events,
                        {.batch = p.options.inbox_batch,
                         .batches_per_run = p.options.inbox_batches_per_run,
                         .lease = p.options.inbox_lease});
    pipeline::add_poll(*flow, p.orders);
    // Refunds arrive as their orders' children; a parked one replays through its own stream.
    flow->replay_route(kWooRefundsStream, [&p](const std::string& ref, engine::RunContext& ctx) {
        return pipeline::replay(p.refunds, ref, ctx);
    });
    return flow;
}

}  // namespace

WooEpicorOrdersConnections::~WooEpicorOrdersConnections() = default;

std::unique_ptr<engine::FlowRunner> make_woo_orders_flow(WooOrdersOptions options,
                                                         WooOrdersWiring wiring) {
    auto parts = std::make_shared<Parts>();
    parts->options = std::move(options);
    parts->keep_alive = std::move(wiring.keep_alive);
    parts->woo = &wiring.woo;
    parts->upkeep = std::make_unique<pipeline::WebhookUpkeep>(
        std::make_unique<woo::WooSubscriptions>(wiring.woo), parts->options.webhooks,
        pipeline::WebhookPlan{.subscriptions = nullptr,
                              .topics = {woo::kOrderCreated, woo::kOrderUpdated},
                              .public_base_url = std::move(wiring.public_base_url),
                              .vault = wiring.vault});
    wire(*parts, wiring.epicor);
    return compose(std::move(parts));
}

Result<std::shared_ptr<WooEpicorOrdersConnections>> open_woo_orders_connections(
    const engine::FlowConfig& flow, const WooOrdersOptions& options,
    const engine::Dependencies& deps) {
    MLC_TRY(const auto ends,
            connections::flow_ends(flow, deps, kWooOrdersRecipe, "woocommerce", "epicor"));
    auto out = std::make_shared<WooEpicorOrdersConnections>();
    MLC_TRY_CTX(out->woo, connections::open_woocommerce(*ends.source, deps),
                "while opening the WooCommerce connection of flow " + flow.name);
    connections::EpicorOpenOptions epicor_options{.source_key_field = options.source_key_field,
                                                  .customer_lookup_field = options.customer_field,
                                                  .create_route = options.create_route,
                                                  .retry = std::nullopt};
    MLC_TRY_CTX(out->epicor, connections::open_epicor(*ends.target, deps, epicor_options),
                "while opening the Epicor connection of flow " + flow.name);
    return out;
}

Result<std::unique_ptr<engine::FlowRunner>> make_woo_orders_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps) {
    MLC_TRY(WooOrdersOptions options, parse_woo_orders_options(flow));
    MLC_TRY(auto opened, open_woo_orders_connections(flow, options, deps));
    auto& woo = *opened->woo->client;
    auto& epicor = *opened->epicor->client;
    return make_woo_orders_flow(std::move(options),
                                WooOrdersWiring{.woo = woo,
                                                .epicor = epicor,
                                                .vault = deps.vault,
                                                .public_base_url = deps.public_base_url,
                                                .keep_alive = std::move(opened)});
}

void add_woocommerce_epicor_orders_recipes(engine::RecipeRegistry& registry) {
    registry.add(kWooOrdersRecipe, make_woo_orders_runner);
}

}  // namespace mlc::flows::epicor_woocommerce
