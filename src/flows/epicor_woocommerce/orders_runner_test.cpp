// "woocommerce-to-epicor-orders" end to end: Woo checkouts delivered by the emulator's signed
// webhooks through net::WebhookIntake into the SQLite inbox, processed into the Epicor emulator;
// the poll as the safety net; refunds as UD01 credit rows; dead letters healed by replay. Each
// test runs on SQLite and on PostgreSQL (the latter skipped without MLC_TEST_POSTGRES_URL).
#include <gtest/gtest.h>

#include <set>

#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/epicor_woocommerce/orders_test_fixture.hpp"
#include "pipeline/webhooks.hpp"
#include "sandbox/woocommerce/webhook_crypto.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
using testing::kFlow;
using testing::kPublicBase;

class WooOrdersFlowTest : public ::testing::TestWithParam<flows::testing::StoreKind>,
                          public testing::WooOrdersFixture {
  protected:
    WooOrdersFlowTest() : WooOrdersFixture(40, GetParam()) {}
    void SetUp() override { MLC_SKIP_WITHOUT_STORE(GetParam()); }
    // A delivery signed with the flow's secret, as Woo would send it, with `body` as given.
    net::HttpResponse post_signed(const std::string& body, const std::string& delivery_id,
                                  const std::string& topic = "order.updated") {
        net::HttpRequest request;
        request.method = "POST";
        request.url = "/hooks/" + std::string(kFlow) + "/woocommerce";
        const std::string secret =
            vault_.get(engine::webhook_secret_name(kFlow, "woocommerce")).value();
        request.headers = {
            {"Content-Type", "application/json"},
            {"X-WC-Webhook-Source", "http://woocommerce.sandbox.test/"},
            {"X-WC-Webhook-Topic", topic},
            {"X-WC-Webhook-Resource", "order"},
            {"X-WC-Webhook-Event", topic.substr(topic.find('.') + 1)},
            {"X-WC-Webhook-ID", "1"},
            {"X-WC-Webhook-Delivery-ID", delivery_id},
            {"X-WC-Webhook-Signature", sandbox::woocommerce::webhook_signature(body, secret)}};
        request.body = body;
        request.remote_address = "127.0.0.1";
        return router_.handle(request);
    }
    std::string order_body(std::int64_t id) {
        auto got = woo_->get_order(id);
        EXPECT_TRUE(got) << got.error().describe();
        return got ? got->record.raw : std::string();
    }
    std::int64_t epicor_quantity(std::int64_t order_num, std::size_t line) {
        auto got = epicor_->get_order(order_num);
        EXPECT_TRUE(got) << got.error().describe();
        if (!got || got->order.lines.size() <= line) return -1;
        return std::stoll(got->order.lines[line].quantity.to_string());
    }
};

TEST_P(WooOrdersFlowTest, FirstRunRegistersBothWebhooksWithAVaultSecretAndAnswersThePings) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    auto secret = vault_.get(engine::webhook_secret_name(kFlow, "woocommerce"));
    ASSERT_TRUE(secret);
    EXPECT_EQ(secret->size(), 2 * pipeline::kWebhookSecretBytes);
    const json::object state = woo_state();
    std::set<std::string> topics;
    for (const auto& hook : state.at("webhooks").as_array()) {
        const auto& object = hook.as_object();
        EXPECT_EQ(object.at("delivery_url").as_string(),
                  engine::webhook_url(kPublicBase, kFlow, "woocommerce"));
        EXPECT_EQ(object.at("status").as_string(), "active");
        EXPECT_EQ(object.at("secret").as_string(), *secret);
        EXPECT_FALSE(object.at("pending_delivery").as_bool()) << "ping not answered 200";
        topics.insert(std::string(object.at("topic").as_string()));
    }
    EXPECT_EQ(topics, (std::set<std::string>{"order.created", "order.updated"}));

    // Idempotent: a second run lists them and creates nothing.
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(woo_state().at("webhooks").as_array().size(), 2u);
    EXPECT_EQ(vault_.get(engine::webhook_secret_name(kFlow, "woocommerce")).value(), *secret);
}

TEST_P(WooOrdersFlowTest, WithoutAServerNothingIsRegisteredAndThePollBringsOrdersIn) {
    auto flow = runner("");
    const std::int64_t id = checkout({{sku(1), 2}});
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_TRUE(woo_state().at("webhooks").as_array().empty());
    EXPECT_FALSE(vault_.get(engine::webhook_secret_name(kFlow, "woocommerce")));
    EXPECT_EQ(summary->created, 1);
    EXPECT_EQ(epicor_orders().at("WOO-" + std::to_string(id)).size(), 1u);
}

TEST_P(WooOrdersFlowTest, SignedDeliveriesLandOnceEachDespiteDuplicatesAndCreatedPlusUpdated) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));  // Registers the webhooks.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(checkout({{sku(i), 1 + i}, {sku(11), 1}}));
    }
    // Updates while the deliveries are still queued coalesce into one delivery per order.
    ASSERT_EQ(woo_control("orders/" + std::to_string(ids[0]) + "/status", {{"status", "completed"}})
                  .status,
              200);
    deliver_all();
    const auto delivered = seen();
    // created + updated for each checkout, one webhook each: 10 deliveries (plus 2 pings).
    std::size_t order_deliveries = 0;
    for (const auto& d : delivered) order_deliveries += d.request.body.starts_with("{");
    EXPECT_EQ(order_deliveries, 10u);
    // A duplicated delivery (same delivery id) is answered 200 and stored once.
    const auto& again = delivered.back();
    EXPECT_EQ(router_.handle(again.request).status, 200);

    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 5);
    const auto orders = epicor_orders();
    for (std::int64_t id : ids) {
        const std::string key = "WOO-" + std::to_string(id);
        ASSERT_TRUE(orders.contains(key)) << key;
        EXPECT_EQ(orders.at(key).size(), 1u) << key;
    }
    EXPECT_EQ(orders.size(), 5u);
    EXPECT_EQ(store_->count_inbox(std::string(kFlow), false).value(), 0);

    // The poll's overlap re-reads them all: nothing new.
    auto rerun = run(*flow);
    ASSERT_TRUE(rerun) << rerun.error().describe();
    EXPECT_EQ(rerun->created, 0);
    EXPECT_EQ(rerun->updated, 0);
    EXPECT_EQ(epicor_orders(), orders);
}

TEST_P(WooOrdersFlowTest, OutOfOrderDeliveriesNeverOverwriteNewerData) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const std::int64_t id = checkout({{sku(2), 1}});
    deliver_all();
    ASSERT_TRUE(run(*flow));
    const std::string key = "WOO-" + std::to_string(id);
    const std::int64_t order_num = epicor_orders().at(key).front();
    const std::string old_body = order_body(id);  // quantity 1, older date_modified_gmt

    // Newer version: quantity 4 (built from the current body with a later date).
    json::object newer = json::parse(old_body).as_object();
    newer["line_items"].as_array()[0].as_object()["quantity"] = 4;
    newer["date_modified_gmt"] = "2025-06-02T17:00:00";
    ASSERT_EQ(post_signed(json::serialize(newer), "d-newer").status, 200);
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(epicor_quantity(order_num, 0), 4);

    // The older copy arrives late (a queued delivery, a retried proxy): skipped.
    json::object older = json::parse(old_body).as_object();
    older["line_items"].as_array()[0].as_object()["quantity"] = 2;
    ASSERT_EQ(post_signed(json::serialize(older), "d-older").status, 200);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(epicor_quantity(order_num, 0), 4);
    EXPECT_EQ(epicor_orders().at(key).size(), 1u);

    // Both in one batch, older last: the newest wins the coalescing.
    json::object newest = newer;
    newest["line_items"].as_array()[0].as_object()["quantity"] = 5;
    newest["date_modified_gmt"] = "2025-06-02T18:00:00";
    ASSERT_EQ(post_signed(json::serialize(newest), "d-newest").status, 200);
    older["line_items"].as_array()[0].as_object()["quantity"] = 3;
    ASSERT_EQ(post_signed(json::serialize(older), "d-older-2").status, 200);
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(epicor_quantity(order_num, 0), 5);

    // Woo's times are whole seconds: an edit in the very second of the one written (a payment
    // plugin changing the order right after checkout) has the same date_modified_gmt and lands.
    newest["line_items"].as_array()[0].as_object()["quantity"] = 6;
    ASSERT_EQ(post_signed(json::serialize(newest), "d-same-second").status, 200);
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(epicor_quantity(order_num, 0), 6);
    EXPECT_EQ(epicor_orders().at(key).size(), 1u);
}

TEST_P(WooOrdersFlowTest, ForgedOrReencodedBodiesAreRejected401WithAnAuditEvent) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    checkout({{sku(3), 1}});
    deliver_all();
    const auto delivered = seen();
    ASSERT_FALSE(delivered.empty());
    const net::HttpRequest genuine = delivered.back().request;
    const std::int64_t stored = store_->count_inbox(std::string(kFlow), false).value();
    ASSERT_GE(stored, 1);
    ASSERT_NE(genuine.body.find("\\/"), std::string::npos) << "Woo escapes '/' in its JSON";

    net::HttpRequest forged = genuine;
    forged.body.replace(forged.body.find("\"quantity\":1"), 12, "\"quantity\":9");
    EXPECT_EQ(router_.handle(forged).status, 401);

    // Parsed and written again (as a proxy or a careless receiver would): the bytes differ.
    net::HttpRequest reencoded = genuine;
    reencoded.body = json::serialize(json::parse(genuine.body));
    ASSERT_NE(reencoded.body, genuine.body);
    EXPECT_EQ(router_.handle(reencoded).status, 401);

    store::AuditQuery query;
    query.flow = std::string(kFlow);
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    std::size_t rejects = 0;
    for (const auto& event : *audit) rejects += event.action == store::AuditAction::kReject;
    EXPECT_EQ(rejects, 2u);
    // Nothing rejected reached the inbox.
    EXPECT_EQ(store_->count_inbox(std::string(kFlow), false).value(), stored);
}

TEST_P(WooOrdersFlowTest, RefundsBecomeOneCreditRowEachReferencingTheOrderNeverTwice) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const std::int64_t id = checkout({{sku(4), 3}});
    deliver_all();
    ASSERT_TRUE(run(*flow));
    const std::int64_t order_num = epicor_orders().at("WOO-" + std::to_string(id)).front();

    auto refund = woo_control("orders/" + std::to_string(id) + "/refund",
                              {{"amount", "5.00"}, {"reason", "Damaged in transit"}});
    ASSERT_EQ(refund.status, 201) << refund.body;
    const std::string refund_id =
        std::to_string(json::parse(refund.body).as_object().at("id").to_number<std::int64_t>());
    deliver_all();
    ASSERT_TRUE(run(*flow));
    // The same order.updated again, and the poll's overlap: still one row.
    ASSERT_EQ(post_signed(order_body(id), "again").status, 200);
    ASSERT_TRUE(run(*flow));
    ASSERT_TRUE(run(*flow));

    auto rows = ud01_rows();
    ASSERT_EQ(rows.size(), 1u);
    const json::object& row = rows.front();
    EXPECT_EQ(row.at("Key1").as_string(), kRefundRowKey);
    EXPECT_EQ(row.at("Key2").as_string(), refund_id);
    EXPECT_EQ(row.at("Key3").as_string(), std::to_string(order_num));
    EXPECT_EQ(row.at("Character01").as_string(), "WOO-" + std::to_string(id));
    const json::value& amount = row.at("Number01");
    EXPECT_EQ(Decimal::parse(amount.is_string() ? std::string(amount.as_string())
                                                : json::serialize(amount))
                  .value(),
              Decimal::from_int(5));

    // A second refund: a second row; the first is not written again.
    ASSERT_EQ(woo_control("orders/" + std::to_string(id) + "/refund", {{"amount", "2.50"}}).status,
              201);
    deliver_all();
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(ud01_rows().size(), 2u);
}

TEST_P(WooOrdersFlowTest, ReceiverDownUntilWooDisablesTheWebhookRaisesAnAlertAndThePollFillsIn) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    receiver_down_ = true;
    std::vector<std::int64_t> ids;
    // Each checkout fails one delivery per webhook; Woo disables on the 7th consecutive failure.
    for (int i = 0; i < 8; ++i) {
        ids.push_back(checkout({{sku(i % 9), 1}}));
        deliver_all();
    }
    const json::object state = woo_state();
    for (const auto& hook : state.at("webhooks").as_array()) {
        EXPECT_EQ(hook.as_object().at("status").as_string(), "disabled");
    }
    // The flow looks at its webhooks again once pipeline::kWebhookRecheck has passed.
    clock_.advance(pipeline::kWebhookRecheck);
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 8);
    const auto orders = epicor_orders();
    for (std::int64_t id : ids) EXPECT_EQ(orders.at("WOO-" + std::to_string(id)).size(), 1u);

    // One alert for the flow's WooCommerce webhooks, naming both and the fix.
    auto alerts = store_->list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    const store::Alert& alert = alerts->front();
    EXPECT_EQ(alert.flow, kFlow);
    EXPECT_EQ(alert.key, pipeline::webhook_alert_key(std::string(kFlow), "woocommerce"));
    for (const char* topic : {"order.created", "order.updated"}) {
        EXPECT_NE(alert.message.find(std::string(topic) + " -> "), std::string::npos)
            << alert.message;
    }
    EXPECT_NE(alert.message.find("is disabled: WooCommerce disabled it"), std::string::npos)
        << alert.message;
    EXPECT_NE(alert.message.find("mlc webhooks enable woo-orders"), std::string::npos)
        << alert.message;

    // Receiver back, webhooks re-enabled (what `mlc webhooks enable` does): alert acknowledged.
    receiver_down_ = false;
    connectors::woocommerce::WooSubscriptions subscriptions(*woo_);
    auto enabled = pipeline::enable_webhooks(subscriptions, std::string(kFlow), *store_, clock_);
    ASSERT_TRUE(enabled) << enabled.error().describe();
    EXPECT_EQ(enabled->size(), 2u);
    clock_.advance(pipeline::kWebhookRecheck);
    ASSERT_TRUE(run(*flow));
    EXPECT_TRUE(store_->list_alerts(store::AlertStatus::kOpen).value().empty());
    const std::int64_t later = checkout({{sku(5), 1}});
    deliver_all();
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(epicor_orders().at("WOO-" + std::to_string(later)).size(), 1u);
}

TEST_P(WooOrdersFlowTest, UnknownSkuAndCustomerAreParkedNamingTheFixThenHealedByReplay) {
    options_.fixed_customer.clear();  // Resolve by billing email.
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    // The first shopper is Epicor's C00001 (the shared catalog's e-mail): only the SKU is
    // missing from that order. The second shopper has no Epicor account.
    const std::int64_t sku_order = checkout({{std::string(testing::kMissingSku), 1}});
    const std::int64_t email_order =
        checkout({{sku(1), 1}}, add_woo_customer("new.shopper@example.org"));
    deliver_all();
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_GE(summary->parked, 2);  // Parked from the inbox, and again by the poll's re-read.
    EXPECT_TRUE(epicor_orders().empty());

    auto letters =
        store_->list_dead_letters(std::string(kFlow), store::DeadLetterStatus::kOpen, 10);
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 2u);
    std::map<std::string, store::DeadLetter> by_key;
    for (const auto& letter : *letters) by_key[letter.source_key] = letter;
    const auto& sku_letter = by_key.at(std::to_string(sku_order));
    EXPECT_NE(sku_letter.error_message.find(std::string(testing::kMissingSku)), std::string::npos);
    EXPECT_NE(sku_letter.error_message.find("mappings.parts"), std::string::npos);
    EXPECT_NE(sku_letter.error_message.find(std::to_string(sku_order)), std::string::npos);
    const auto& email_letter = by_key.at(std::to_string(email_order));
    const std::string email =
        json::parse(order_body(email_order)).at("billing").at("email").as_string().c_str();
    EXPECT_EQ(email, "new.shopper@example.org");
    EXPECT_NE(email_letter.error_message.find(email), std::string::npos);
    EXPECT_NE(email_letter.error_message.find("mappings.customers"), std::string::npos);

    // The fixes: the part is created, the customer gets an Epicor account with that email.
    add_part(std::string(testing::kMissingSku));
    add_customer("C-WEB3", email);
    engine::RunContext ctx = context();
    for (const auto& letter : *letters) {
        auto replayed = flow->replay(letter, ctx);
        ASSERT_TRUE(replayed) << replayed.error().describe();
    }
    const auto orders = epicor_orders();
    EXPECT_EQ(orders.at("WOO-" + std::to_string(sku_order)).size(), 1u);
    EXPECT_EQ(orders.at("WOO-" + std::to_string(email_order)).size(), 1u);
    auto order = epicor_->get_order(orders.at("WOO-" + std::to_string(email_order)).front());
    ASSERT_TRUE(order);
    EXPECT_EQ(order->order.customer_code, "C-WEB3");
}

TEST_P(WooOrdersFlowTest, CancellingABoundOrderClosesItInEpicorOnce) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const std::int64_t id = checkout({{sku(6), 2}});
    deliver_all();
    ASSERT_TRUE(run(*flow));
    ASSERT_EQ(
        woo_control("orders/" + std::to_string(id) + "/status", {{"status", "cancelled"}}).status,
        200);
    deliver_all();
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    store::AuditQuery query;
    query.source_key = std::to_string(id);
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    std::size_t closes = 0;
    for (const auto& event : *audit) {
        closes += event.detail.find("closed/voided") != std::string::npos;
    }
    EXPECT_EQ(closes, 1u);
    // Unpaid orders never reach Epicor: a pending one is skipped until it is paid.
    auto rerun = run(*flow);
    ASSERT_TRUE(rerun);
    EXPECT_EQ(rerun->updated, 0);
}

TEST_P(WooOrdersFlowTest, RecipeOpensBothConnectionsFromTheConfigAndMovesAnOrder) {
    engine::Config config;
    const json::object ports = host_.ports();
    flows::testing::connect_sandbox(config, vault_, ports, "woocommerce", "shop");
    flows::testing::connect_sandbox(config, vault_, ports, "epicor", "erp");
    engine::FlowConfig flow;
    flow.name = std::string(kFlow);
    flow.recipe = kWooOrdersRecipe;
    flow.connections = {{"source", "shop"}, {"target", "erp"}};
    flow.options = {{"customer", std::string(testing::kWebCustomer)},
                    {"start", format_iso8601(options_.start)}};
    engine::Dependencies deps{.clock = clock_,
                              .store = *store_,
                              .config = &config,
                              .vault = &vault_,
                              .transport = &transport_,
                              .limiters = nullptr,
                              .metrics = nullptr,
                              .public_base_url = std::string(kPublicBase)};
    engine::RecipeRegistry registry;
    add_woocommerce_epicor_orders_recipes(registry);
    auto built = registry.create(flow, deps);
    ASSERT_TRUE(built) << built.error().describe();
    engine::RunContext ctx = context();
    ASSERT_TRUE((*built)->run_once(ctx));  // Registers the webhooks.
    const std::int64_t id = checkout({{sku(7), 2}});
    deliver_all();
    auto summary = (*built)->run_once(ctx);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 1);
    EXPECT_EQ(epicor_orders().at("WOO-" + std::to_string(id)).size(), 1u);

    flow.connections["source"] = "erp";
    auto wrong = registry.create(flow, deps);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kConfig);
    EXPECT_NE(wrong.error().message.find("must be a woocommerce connection"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, WooOrdersFlowTest,
                         ::testing::ValuesIn(flows::testing::kStoreKinds),
                         flows::testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce
