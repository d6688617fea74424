// "woocommerce-to-shipstation-orders" end to end against the WooCommerce and ShipStation
// emulators in process: checkouts become ShipStation orders once (orderKey WOO-<id>), edits
// update them, a cancellation cancels them unless already shipped (then parked for a person),
// and a label in ShipStation completes the Woo order with its tracking number in a note. Each test
// runs on SQLite and on PostgreSQL (the latter skipped without MLC_TEST_POSTGRES_URL).
#include "flows/woo_shipstation/orders_recipe.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::woo_shipstation {
namespace {

namespace json = boost::json;

class WooToShipStationTest : public ::testing::TestWithParam<testing::StoreKind> {
  protected:
    WooToShipStationTest()
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 5, .volume = 40}) {
        if (!testing::store_unavailable(GetParam()).empty()) return;  // SetUp skips.
        testing::serve_sandboxes(host_, transport_, {"woocommerce", "shipstation"});
        const json::object ports = host_.ports();
        site_url_ = std::string(ports.at("woocommerce").at("site_url").as_string());
        store_ = testing::TestStore::open(GetParam()).value();
        testing::connect_sandbox(config_, vault_, ports, "woocommerce", "shop");
        testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
        flow_.name = "shop-to-ss";
        flow_.recipe = kRecipe;
        flow_.connections = {{"source", "shop"}, {"target", "ss"}};
        // The seeded Woo history ends now: the flow starts here.
        flow_.options = {{"start", format_iso8601(clock_.now())}};
        clock_.advance(std::chrono::seconds(5));
    }
    void SetUp() override { MLC_SKIP_WITHOUT_STORE(GetParam()); }

    std::unique_ptr<engine::FlowRunner> runner() {
        engine::RecipeRegistry registry;
        add_woo_shipstation_recipes(registry);
        auto built = registry.create(flow_, engine::Dependencies{.clock = clock_,
                                                                 .store = *store_,
                                                                 .config = &config_,
                                                                 .vault = &vault_,
                                                                 .transport = &transport_,
                                                                 .public_base_url = public_base_});
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        clock_.advance(std::chrono::minutes(2));  // ShipStation's 40 a minute, and later times.
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }
    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return testing::control(host_, system, std::move(method), std::move(route),
                                std::move(body));
    }
    std::int64_t checkout(int quantity) {
        const auto answer = control(
            "woocommerce", "POST", "checkout",
            json::serialize(json::object{
                {"customer_id", 1},
                {"lines", json::array{json::object{{"sku", "P10001"}, {"quantity", quantity}}}}}));
        EXPECT_EQ(answer.status, 201) << answer.body;
        return json::parse(answer.body).as_object().at("id").to_number<std::int64_t>();
    }
    void woo_status(std::int64_t id, const std::string& status) {
        clock_.advance(std::chrono::seconds(1));
        ASSERT_EQ(control("woocommerce", "POST", "orders/" + std::to_string(id) + "/status",
                          json::serialize(json::object{{"status", status}}))
                      .status,
                  200);
    }
    // ShipStation orders made by the flow: orderKey -> the order as ShipStation lists it.
    std::map<std::string, json::object> shipstation_orders() {
        const json::object state =
            json::parse(control("shipstation", "GET", "state").body).as_object();
        std::map<std::string, json::object> out;
        for (const auto& order : state.at("orders").as_array()) {
            const std::string key(order.as_object().at("orderKey").as_string());
            if (key.starts_with("WOO-")) out[key] = order.as_object();
        }
        return out;
    }
    // The order's notes as the store's REST API lists them (query-string auth).
    json::array woo_notes(std::int64_t id) {
        net::HttpRequest request;
        request.method = "GET";
        request.url = site_url_ + "/wp-json/wc/v3/orders/" + std::to_string(id) +
                      "/notes?consumer_key=" + vault_.get("shop.consumer_key").value() +
                      "&consumer_secret=" + vault_.get("shop.consumer_secret").value();
        auto answer = transport_.send(request, {});
        EXPECT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "no answer");
        if (!answer || answer->status != 200) return {};
        return json::parse(answer->body).as_array();
    }
    json::object woo_order(std::int64_t id) {
        const json::object state =
            json::parse(control("woocommerce", "GET", "state").body).as_object();
        for (const auto& order : state.at("orders").as_array()) {
            if (order.as_object().at("id").to_number<std::int64_t>() == id)
                return order.as_object();
        }
        ADD_FAILURE() << "no Woo order " << id;
        return {};
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::string site_url_;
    std::string public_base_;  // Empty: `mlc sync`, no server, no webhooks.
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

TEST_P(WooToShipStationTest, CheckoutsBecomeOneShipStationOrderEachAndEditsUpdateThem) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    const std::int64_t a = checkout(1);
    const std::int64_t b = checkout(2);
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->streams.at("orders").created, 2);
    auto orders = shipstation_orders();
    ASSERT_EQ(orders.size(), 2u);
    const std::string key = "WOO-" + std::to_string(a);
    ASSERT_TRUE(orders.contains(key));
    EXPECT_EQ(orders.at(key).at("orderStatus").as_string(), "awaiting_shipment");

    auto again = run(*flow);  // Re-read: nothing new, nothing sent twice.
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(shipstation_orders().size(), 2u);

    woo_status(b, "on-hold");  // An edit at the source reaches ShipStation.
    auto edited = run(*flow);
    ASSERT_TRUE(edited) << edited.error().describe();
    EXPECT_EQ(edited->streams.at("orders").updated, 1);
    EXPECT_EQ(shipstation_orders().at("WOO-" + std::to_string(b)).at("orderStatus").as_string(),
              "on_hold");
}

TEST_P(WooToShipStationTest, ALabelCompletesTheWooOrderWithItsTrackingInANoteOnce) {
    auto flow = runner();
    const std::int64_t id = checkout(1);
    ASSERT_TRUE(run(*flow));
    const std::string order_id = std::to_string(shipstation_orders()
                                                    .at("WOO-" + std::to_string(id))
                                                    .at("orderId")
                                                    .to_number<std::int64_t>());
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/label",
                      R"({"carrierCode": "ups", "trackingNumber": "1ZTEST777"})")
                  .status,
              200);
    auto shipped = run(*flow);
    ASSERT_TRUE(shipped) << shipped.error().describe();
    EXPECT_EQ(shipped->streams.at("shipments").created, 1);
    const json::object woo = woo_order(id);
    EXPECT_EQ(woo.at("status").as_string(), "completed");
    std::size_t notes = 0;
    for (const auto& note : woo_notes(id)) {
        notes += std::string(note.as_object().at("note").as_string()).find("1ZTEST777") !=
                 std::string::npos;
    }
    EXPECT_EQ(notes, 1u);
    // The completed Woo order and the shipment are read again: nothing is written twice.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(shipstation_orders().at("WOO-" + std::to_string(id)).at("orderStatus").as_string(),
              "shipped");
}

TEST_P(WooToShipStationTest, ACancelCancelsTheShipStationOrderUnlessItShipped) {
    auto flow = runner();
    const std::int64_t open = checkout(1);
    const std::int64_t sent = checkout(3);
    ASSERT_TRUE(run(*flow));
    const std::string sent_id = std::to_string(shipstation_orders()
                                                   .at("WOO-" + std::to_string(sent))
                                                   .at("orderId")
                                                   .to_number<std::int64_t>());
    ASSERT_EQ(control("shipstation", "POST", "orders/" + sent_id + "/label", "{}").status, 200);
    woo_status(open, "cancelled");
    woo_status(sent, "cancelled");
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    const auto orders = shipstation_orders();
    EXPECT_EQ(orders.at("WOO-" + std::to_string(open)).at("orderStatus").as_string(), "cancelled");
    EXPECT_EQ(orders.at("WOO-" + std::to_string(sent)).at("orderStatus").as_string(), "shipped");
    // The shipped one waits for a person, named with the fix.
    auto letters = store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 10);
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), 1u);
    EXPECT_EQ(letters->front().source_key, std::to_string(sent));
    EXPECT_NE(letters->front().error_message.find("already shipped"), std::string::npos);
    auto quiet = run(*flow);  // Read again: still one letter, not parked twice.
    ASSERT_TRUE(quiet);
    EXPECT_EQ(quiet->parked, 0);
    EXPECT_EQ(store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 10)->size(),
              1u);
    // Its label still reaches the Woo order as a note; the cancellation stays.
    EXPECT_EQ(woo_order(sent).at("status").as_string(), "cancelled");
    EXPECT_EQ(woo_notes(sent).size(), 1u);
}

TEST_P(WooToShipStationTest, AnUnpaidOrderWaitsAndAnUnknownOptionIsAConfigError) {
    auto flow = runner();
    const std::int64_t id = checkout(1);
    woo_status(id, "pending");
    auto summary = run(*flow);
    ASSERT_TRUE(summary);
    EXPECT_TRUE(shipstation_orders().empty());
    flow_.options["overlpa"] = "1h";
    engine::RecipeRegistry registry;
    add_woo_shipstation_recipes(registry);
    auto wrong = registry.create(flow_, engine::Dependencies{.clock = clock_,
                                                             .store = *store_,
                                                             .config = &config_,
                                                             .vault = &vault_,
                                                             .transport = &transport_});
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kConfig);
    EXPECT_NE(wrong.error().message.find("options.overlpa"), std::string::npos);
}

TEST_P(WooToShipStationTest, WithAServerTheStoresOrderWebhooksAreSubscribedOnceAndAudited) {
    public_base_ = "http://mlc.test";
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const auto secret = vault_.get("webhook.shop-to-ss.woocommerce");
    ASSERT_TRUE(secret) << "the signing secret is stored before any webhook names it";
    auto hooks = [&] {
        return json::parse(control("woocommerce", "GET", "state").body).at("webhooks").as_array();
    };
    std::set<std::string> topics;
    for (const auto& hook : hooks()) {
        EXPECT_EQ(hook.at("delivery_url").as_string(),
                  "http://mlc.test/hooks/shop-to-ss/woocommerce");
        EXPECT_EQ(hook.at("secret").as_string(), *secret);
        topics.insert(std::string(hook.at("topic").as_string()));
    }
    EXPECT_EQ(topics, (std::set<std::string>{"order.created", "order.updated"}));
    store::AuditQuery query;
    query.flow = "shop-to-ss";
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    std::size_t subscribed = 0;
    for (const auto& event : *audit) {
        if (event.action != store::AuditAction::kCreate) continue;
        if (!event.target_ref.starts_with("woocommerce:webhook:")) continue;
        ++subscribed;
        EXPECT_EQ(event.detail.find(*secret), std::string::npos) << event.detail;
    }
    EXPECT_EQ(subscribed, 2u);

    // A restarted daemon lists them and subscribes nothing; `webhooks: false` never subscribes.
    ASSERT_TRUE(run(*runner()));
    EXPECT_EQ(hooks().size(), 2u);
    flow_.name = "other";
    flow_.options["webhooks"] = "false";
    ASSERT_TRUE(run(*runner()));
    EXPECT_EQ(hooks().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, WooToShipStationTest, ::testing::ValuesIn(testing::kStoreKinds),
                         testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::woo_shipstation
