// "amazon-to-epicor-orders" end to end against the Amazon and Epicor emulators (in process, no
// sockets), on SQLite and on PostgreSQL (the latter skipped without MLC_TEST_POSTGRES_URL) and a
// ManualClock: orders land once each with the marketplace's
// customer and their parts; an update and a cancel reach Epicor; Pending waits; an unknown SKU
// parks naming it and the fix, and replays once mapped; the v0 fallback lands the same orders;
// a two-year backfill and v0 after its retirement are refused; Amazon's 429 on every operation
// the flow uses is waited out; the Amazon calls one order costs.
#include <gtest/gtest.h>

#include "engine/dead_letter_replayer.hpp"
#include "flows/amazon_epicor/e2e_world.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class AmazonToEpicorOrders : public ::testing::TestWithParam<testing::StoreKind> {
  protected:
    void SetUp() override { MLC_SKIP_WITHOUT_STORE(GetParam()); }
};

// The ids of `ids` whose items avoid kMissingSku (they land) and the others (they park).
std::pair<std::set<std::string>, std::set<std::string>> split(AmazonWorld& w,
                                                              const std::vector<std::string>& ids) {
    std::set<std::string> land, park;
    for (const auto& id : ids) (w.has_missing_sku(id) ? park : land).insert(id);
    return {land, park};
}

TEST_P(AmazonToEpicorOrders, OrdersLandOnceEachWithTheMarketplaceCustomerAndTheirParts) {
    AmazonWorld w(GetParam());
    const auto ids = w.new_orders(40);
    const auto [land, park] = split(w, ids);
    ASSERT_FALSE(land.empty());
    ASSERT_FALSE(park.empty());  // Seed 11 puts MLC-SKU-007 on some of them.
    w.clock_.advance(3min);      // Amazon answers up to two minutes before now.
    auto flow = w.runner();
    ASSERT_TRUE(flow);
    auto summary = w.run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, static_cast<std::int64_t>(land.size()));
    EXPECT_EQ(summary->parked, static_cast<std::int64_t>(park.size()));

    const auto orders = w.epicor_orders();
    EXPECT_EQ(orders.size(), land.size());
    for (const auto& id : land) {
        ASSERT_TRUE(orders.contains(id)) << id << " lost";
        ASSERT_EQ(orders.at(id).size(), 1u) << id << " duplicated";
        const auto epicor = w.epicor_order(orders.at(id).front());
        EXPECT_EQ(epicor.order.customer_code, kAmazonCustomer);
        const auto& amazon = w.amazon_order(id);
        ASSERT_EQ(epicor.order.lines.size(), amazon.items.size()) << id;
        for (std::size_t i = 0; i < amazon.items.size(); ++i) {
            EXPECT_EQ(epicor.order.lines[i].sku, amazon.items[i].sku);
            EXPECT_EQ(epicor.order.lines[i].quantity, Decimal::from_int(amazon.items[i].quantity));
            EXPECT_EQ(epicor.order.lines[i].unit_price, amazon.items[i].unit_price);
        }
    }
    // Amazon calls per order: one searchOrders page holds 100 orders with their items.
    const int amazon_calls = w.counting_.count("/na/orders/");
    EXPECT_EQ(amazon_calls, 1);
    EXPECT_EQ(w.counting_.count("/auth/o2/token"), 1);
    RecordProperty("amazon_calls_per_order_x1000",
                   static_cast<int>(1000 * amazon_calls / static_cast<int>(ids.size())));

    // An unknown SKU parks the order, naming the SKU and the fix.
    const auto letters = w.open_letters();
    ASSERT_EQ(letters.size(), park.size());
    for (const auto& letter : letters) {
        EXPECT_TRUE(park.contains(letter.source_key)) << letter.source_key;
        EXPECT_NE(letter.error_message.find(std::string(kMissingSku)), std::string::npos);
        EXPECT_NE(letter.error_message.find("mappings.parts"), std::string::npos)
            << letter.error_message;
        EXPECT_NE(letter.error_message.find("Amazon order " + letter.source_key),
                  std::string::npos);
    }

    // Run again: the overlap re-reads them; nothing is written twice.
    w.clock_.advance(5min);
    auto again = w.run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(w.epicor_orders(), orders);

    // The fix: a mapping to a part Epicor has; the replay reads each order again (getOrder).
    ASSERT_LT(testing::add_epicor_part(w.host_, "P-007").status, 300);
    w.flow_.mappings["parts"] = {{std::string(kMissingSku), "P-007"}};
    flow = w.runner();
    std::atomic<bool> stop{false};
    engine::DeadLetterReplayer replayer(w.clock_, *w.store_, *w.log_,
                                        [&](const std::string&) { return flow.get(); });
    auto healed = replayer.replay_all(w.flow_.name, stop);
    ASSERT_TRUE(healed) << healed.error().describe();
    EXPECT_EQ(healed->replayed, static_cast<std::int64_t>(park.size()));
    EXPECT_EQ(w.epicor_orders().size(), ids.size());
    EXPECT_TRUE(w.open_letters().empty());
}

TEST_P(AmazonToEpicorOrders, AnUpdateAndACancelAreApplied) {
    AmazonWorld w(GetParam());
    std::vector<std::string> ids;
    for (const auto& id : w.new_orders(12)) {
        if (!w.has_missing_sku(id)) ids.push_back(id);
    }
    ASSERT_GE(ids.size(), 2u);
    w.clock_.advance(3min);
    auto flow = w.runner();
    ASSERT_TRUE(w.run(*flow));
    const auto before = w.epicor_orders();
    ASSERT_EQ(before.size(), ids.size());

    // The seller changes a line of the first order; the buyer cancels the second.
    const auto& item = w.amazon_order(ids[0]).items.front();
    const std::int64_t quantity = item.quantity + 4;
    ASSERT_EQ(w.control("amazon", "POST", "orders/" + ids[0] + "/items/" + item.order_item_id,
                        R"({"quantity": )" + std::to_string(quantity) + "}")
                  .status,
              200);
    ASSERT_EQ(
        w.control("amazon", "POST", "orders/" + ids[1] + "/status", R"({"status": "Canceled"})")
            .status,
        200);
    w.clock_.advance(3min);
    auto summary = w.run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 2);  // The change and the close.
    EXPECT_EQ(summary->created, 0);
    EXPECT_EQ(w.epicor_orders(), before);  // Still one Epicor order each.
    const auto changed = w.epicor_order(before.at(ids[0]).front());
    EXPECT_EQ(changed.order.lines.front().quantity, Decimal::from_int(quantity));
    EXPECT_FALSE(w.open(before.at(ids[1]).front()));  // Canceled in Amazon: closed.
    for (std::size_t i = 2; i < ids.size(); ++i) EXPECT_TRUE(w.open(before.at(ids[i]).front()));
}

TEST_P(AmazonToEpicorOrders, APendingOrderWaitsUntilAmazonMovesItOn) {
    AmazonWorld w(GetParam());
    std::string id;
    for (int tries = 0; tries < 10 && id.empty(); ++tries) {
        const auto made = w.new_orders(1, "Pending");
        if (!w.has_missing_sku(made[0])) id = made[0];
    }
    ASSERT_FALSE(id.empty());
    w.clock_.advance(3min);
    auto flow = w.runner();
    ASSERT_TRUE(w.run(*flow));
    EXPECT_FALSE(w.epicor_orders().contains(id));
    ASSERT_EQ(w.control("amazon", "POST", "orders/" + id + "/status", R"({"status": "Unshipped"})")
                  .status,
              200);
    w.clock_.advance(3min);
    auto summary = w.run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(w.epicor_orders().count(id), 1u);
}

TEST_P(AmazonToEpicorOrders, TheV0FallbackLandsTheSameOrders) {
    AmazonWorld current(GetParam()), fallback(GetParam());
    fallback.config_.connections.at("amz").options["orders_api"] = "v0";
    const auto a = current.new_orders(15);
    const auto b = fallback.new_orders(15);
    ASSERT_EQ(a, b);  // One seed: the same world.
    for (AmazonWorld* w : {&current, &fallback}) {
        w->clock_.advance(3min);
        auto flow = w->runner();
        ASSERT_TRUE(flow);
        ASSERT_TRUE(w->run(*flow));
    }
    EXPECT_EQ(current.epicor_orders().size(), fallback.epicor_orders().size());
    for (const auto& [id, nums] : current.epicor_orders()) {
        ASSERT_TRUE(fallback.epicor_orders().contains(id));
        const auto x = current.epicor_order(nums.front()).order;
        const auto y = fallback.epicor_order(fallback.epicor_orders().at(id).front()).order;
        ASSERT_EQ(x.lines.size(), y.lines.size());
        for (std::size_t i = 0; i < x.lines.size(); ++i) {
            EXPECT_EQ(x.lines[i].sku, y.lines[i].sku);
            EXPECT_EQ(x.lines[i].quantity, y.lines[i].quantity);
            EXPECT_EQ(x.lines[i].unit_price, y.lines[i].unit_price);
        }
    }
    // v0: getOrders, then getOrderItems once per order.
    EXPECT_EQ(fallback.counting_.count("/na/orders/v0/orders", 200) -
                  fallback.counting_.count("/orderItems", 200),
              1);
    EXPECT_EQ(fallback.counting_.count("/orderItems", 200), 15);
    EXPECT_EQ(current.counting_.count("/na/orders/v0/"), 0);
}

TEST_P(AmazonToEpicorOrders, ABackfillOlderThanTwoYearsIsRefusedSayingWhy) {
    AmazonWorld w(GetParam());
    w.flow_.options["start"] = format_iso8601(w.clock_.now() - 3 * 365 * 24h);
    auto built = make_orders_runner(w.flow_, w.deps());
    ASSERT_FALSE(built);
    EXPECT_EQ(built.error().code, ErrorCode::kConfig);
    EXPECT_NE(built.error().message.find("never returns orders older than two years"),
              std::string::npos)
        << built.error().describe();
    EXPECT_NE(built.error().describe().find("options.start"), std::string::npos);
    EXPECT_EQ(w.counting_.count("/na/orders/"), 0);
}

TEST_P(AmazonToEpicorOrders, V0IsRefusedFromItsRetirementDate) {
    AmazonWorld w(GetParam());
    w.config_.connections.at("amz").options["orders_api"] = "v0";
    auto flow = w.runner();  // 2026-06-01: allowed.
    ASSERT_TRUE(flow);
    w.clock_.set(parse_iso8601("2027-03-27T00:00:00Z").value());
    auto refused = w.run(*flow);  // The built flow refuses from that day on...
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().describe().find("remove `orders_api: v0`"), std::string::npos)
        << refused.error().describe();
    w.flow_.options["start"] = format_iso8601(w.clock_.now() - 24h);
    auto built = make_orders_runner(w.flow_, w.deps());  // ...and so does a new one.
    ASSERT_FALSE(built);
    EXPECT_EQ(built.error().code, ErrorCode::kConfig);
}

// Spends Amazon's bucket of the operation at `path` as another app of the seller would: calls it
// until Amazon answers 429 QuotaExceeded.
void spend(AmazonWorld& w, const std::string& path) {
    const json::object info = w.host_.ports().at("amazon").as_object();
    net::HttpRequest lwa{.method = "POST", .url = "/auth/o2/token"};
    lwa.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    lwa.body = "grant_type=refresh_token&refresh_token=" +
               net::url_encode(info.at("refresh_token").as_string()) +
               "&client_id=" + net::url_encode(info.at("client_id").as_string()) +
               "&client_secret=" + net::url_encode(info.at("client_secret").as_string());
    const json::value token = json::parse(w.host_.handle("amazon", lwa).body);
    for (int i = 0; i < 100; ++i) {
        net::HttpRequest call{.method = "GET", .url = "/na" + path};
        call.headers = {{"x-amz-access-token", std::string(token.at("access_token").as_string())}};
        const auto answer = w.host_.handle("amazon", call);
        if (answer.status == 429) {
            EXPECT_NE(answer.body.find("QuotaExceeded"), std::string::npos);
            return;
        }
        ASSERT_EQ(answer.status, 200) << answer.body;
    }
    ADD_FAILURE() << "Amazon never answered 429 on " << path;
}

TEST_P(AmazonToEpicorOrders, QuotaExceededIsWaitedOutOnEveryOperationTheFlowUses) {
    // Each case empties one bucket the flow draws on before it starts (an empty bucket refills
    // while the flow waits on another, so one at a time).
    struct Case {
        const char* api;
        const char* spent;  // "list", "items" or "get"
    };
    for (const Case c : {Case{"2026-01-01", "list"}, Case{"v0", "list"}, Case{"v0", "items"},
                         Case{"2026-01-01", "get"}, Case{"v0", "get"}}) {
        SCOPED_TRACE(std::string(c.api) + " " + c.spent);
        AmazonWorld w(GetParam());
        const bool v0 = std::string(c.api) == "v0";
        const std::string spent = c.spent;
        w.config_.connections.at("amz").options["orders_api"] = c.api;
        const auto ids = w.new_orders(30);
        const auto [land, park] = split(w, ids);
        ASSERT_FALSE(park.empty());
        w.clock_.advance(3min);
        const std::string list = v0 ? "/orders/v0/orders" : "/orders/2026-01-01/orders";
        if (spent == "list") {
            spend(
                w,
                v0 ? list + "?MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter=2026-05-01T00:00:00Z"
                   : list + "?marketplaceIds=ATVPDKIKX0DER&lastUpdatedAfter=2026-05-01T00:00:00Z");
        } else if (spent == "items") {
            spend(w, "/orders/v0/orders/" + ids[0] + "/orderItems");
        }
        auto flow = w.runner();
        auto summary = w.run(*flow);
        ASSERT_TRUE(summary) << summary.error().describe();
        EXPECT_EQ(w.epicor_orders().size(), land.size());
        if (spent == "list") {
            EXPECT_GE(w.counting_.count("/na" + list, 429), 1);  // Paths carry no query.
        }
        if (spent == "items") {
            EXPECT_GE(w.counting_.count("/orderItems", 429), 1);
            EXPECT_EQ(w.counting_.count("/orderItems", 200), 30);
        }
        if (spent != "get") continue;
        // getOrder: the replay of a parked order reads it again.
        const std::string key = *park.begin();
        spend(w, list + "/" + key);
        std::atomic<bool> stop{false};
        engine::DeadLetterReplayer replayer(w.clock_, *w.store_, *w.log_,
                                            [&](const std::string&) { return flow.get(); });
        for (const auto& letter : w.open_letters()) {
            if (letter.source_key == key) (void)replayer.replay(letter.id, stop);  // Parks again.
        }
        EXPECT_GE(w.counting_.count("/na" + list + "/" + key, 429), 1);
        EXPECT_GE(w.counting_.count("/na" + list + "/" + key, 200), 1);
    }
}

INSTANTIATE_TEST_SUITE_P(Stores, AmazonToEpicorOrders, ::testing::ValuesIn(testing::kStoreKinds),
                         testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::amazon_epicor
