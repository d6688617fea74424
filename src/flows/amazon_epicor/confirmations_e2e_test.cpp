// "amazon-to-epicor-orders" with confirm_shipments on, end to end against the Amazon and Epicor
// emulators in process: packs shipped in Epicor for the flow's Amazon orders are confirmed to
// Amazon once each, with their tracking number and carrier; a pack without tracking waits; a pack
// of an order that did not come from Amazon is never sent; a confirmation whose answer was lost
// is found in Amazon, not sent twice; off by default.
#include <gtest/gtest.h>

#include "flows/amazon_epicor/confirmations.hpp"
#include "flows/amazon_epicor/e2e_world.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class Confirmations : public ::testing::Test {
  protected:
    void SetUp() override {
        w_.flow_.options["confirm_shipments"] = "true";
        w_.flow_.mappings["carriers"] = {{"UPSG", "UPS"}};
        for (const auto& id : w_.new_orders(8)) {
            if (!w_.has_missing_sku(id)) ids_.push_back(id);
        }
        ASSERT_GE(ids_.size(), 4u);
        w_.clock_.advance(3min);
    }
    // Ships Epicor order `num` in one pack (every open release); its PackNum.
    std::int64_t ship(std::int64_t num, const std::string& tracking, const std::string& via) {
        json::object body{{"OrderNum", num}, {"TrackingNumber", tracking}, {"ShipViaCode", via}};
        const auto answer = w_.control("epicor", "POST", "orders/ship", json::serialize(body));
        EXPECT_LT(answer.status, 300) << answer.body;
        return answer.status < 300
                   ? json::parse(answer.body).at("PackNum").to_number<std::int64_t>()
                   : 0;
    }
    std::int64_t epicor_num(const std::string& id) {
        const auto orders = w_.epicor_orders();
        EXPECT_TRUE(orders.contains(id)) << id;
        return orders.contains(id) ? orders.at(id).front() : 0;
    }
    void run(engine::FlowRunner& flow) {
        w_.clock_.advance(5min);
        auto summary = w_.run(flow);
        ASSERT_TRUE(summary) << summary.error().describe();
    }

    AmazonWorld w_;
    std::vector<std::string> ids_;
};

TEST_F(Confirmations, ShippedPacksAreConfirmedOnceWithTheirTrackingAndCarrier) {
    auto flow = w_.runner();
    ASSERT_TRUE(flow);
    run(*flow);
    const std::int64_t ups = ship(epicor_num(ids_[0]), "1ZCONFIRM0001", "UPSG");
    const std::int64_t ltl = ship(epicor_num(ids_[1]), "PRO-778812", "LTL");
    ship(epicor_num(ids_[2]), "", "UPSG");                     // No tracking yet: waits.
    const std::int64_t foreign = w_.baseline_.begin()->first;  // Not an Amazon order.
    ship(foreign, "1ZFOREIGN0001", "UPSG");
    const std::size_t before = w_.counting_.requests.size();
    run(*flow);
    int amazon_calls = 0;  // Of this run, besides searchOrders (the orders stream's one page).
    int epicor_calls = 0;  // ... and besides the orders stream's reads.
    for (std::size_t i = before; i < w_.counting_.requests.size(); ++i) {
        const std::string& path = w_.counting_.requests[i].first;
        amazon_calls += path.find("/orders/2026-01-01/orders/") != std::string::npos ||
                        path.find("shipmentConfirmation") != std::string::npos;
        epicor_calls += path.find("CustShips") != std::string::npos;
    }
    EXPECT_EQ(amazon_calls, 4) << "getOrder and confirmShipment for each of the two packs";
    EXPECT_EQ(epicor_calls, 1) << "one page of packs";
    RecordProperty("amazon_calls_per_confirmed_pack", amazon_calls / 2);

    const auto& first = w_.amazon_order(ids_[0]);
    ASSERT_EQ(first.packages.size(), 1u);
    EXPECT_EQ(first.packages[0].reference_id, std::to_string(ups));
    EXPECT_EQ(first.packages[0].tracking_number, "1ZCONFIRM0001");
    EXPECT_EQ(first.packages[0].carrier_code, "UPS");
    EXPECT_EQ(first.status, "Shipped") << "every unit of the order was in the pack";
    for (const auto& item : first.items) EXPECT_EQ(item.quantity_shipped, item.quantity);
    const auto& second = w_.amazon_order(ids_[1]);
    ASSERT_EQ(second.packages.size(), 1u);
    EXPECT_EQ(second.packages[0].reference_id, std::to_string(ltl));
    EXPECT_EQ(second.packages[0].carrier_code, "Other") << "an unmapped Ship Via";
    EXPECT_EQ(second.packages[0].carrier_name, "LTL");
    EXPECT_TRUE(w_.amazon_order(ids_[2]).packages.empty()) << "no tracking number yet";
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation", 204), 2);
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation"), 2) << "nothing refused, nothing foreign";
    EXPECT_TRUE(w_.open_letters().empty());

    run(*flow);  // Again: everything is confirmed already.
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation"), 2);
    EXPECT_EQ(w_.amazon_order(ids_[0]).packages.size(), 1u);
    EXPECT_TRUE(w_.open_letters().empty());
}

TEST_F(Confirmations, AConfirmationWhoseAnswerWasLostIsFoundNotSentTwice) {
    testing::LosingTransport losing(w_.counting_);
    engine::Dependencies deps = w_.deps();
    deps.transport = &losing;
    auto built = make_orders_runner(w_.flow_, deps);
    ASSERT_TRUE(built) << built.error().describe();
    auto& flow = **built;
    run(flow);
    const std::int64_t pack = ship(epicor_num(ids_[0]), "1ZLOST000001", "UPSG");
    ship(epicor_num(ids_[1]), "1ZLOST000002", "UPSG");
    losing.lose("shipmentConfirmation", 1);
    w_.clock_.advance(5min);
    // The first confirmation reaches Amazon; its answer does not come back.
    const auto cut = w_.run(flow);
    EXPECT_FALSE(cut && cut->created == 2) << "the lost answer went unnoticed";
    run(flow);
    run(flow);
    for (const auto& id : {ids_[0], ids_[1]}) {
        EXPECT_EQ(w_.amazon_order(id).packages.size(), 1u) << id << ": once, never twice";
    }
    EXPECT_EQ(w_.amazon_order(ids_[0]).packages[0].reference_id, std::to_string(pack));
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation", 204), 2);
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation", 400), 0) << "never sent again";
    EXPECT_TRUE(w_.open_letters().empty());
}

TEST_F(Confirmations, TwoSellerSkusOfOnePartAreSplitOverTheirItems) {
    // An order holding kMissingSku and another SKU; kMissingSku mapped onto that SKU's part: the
    // Epicor order (and its pack) has the part twice, Amazon two items.
    std::string id, other;
    for (const auto& candidate : w_.new_orders(40)) {
        if (!w_.has_missing_sku(candidate)) continue;
        for (const auto& item : w_.amazon_order(candidate).items) {
            if (item.sku != kMissingSku) other = item.sku;
        }
        if (!other.empty()) {
            id = candidate;
            break;
        }
    }
    ASSERT_FALSE(id.empty()) << "seed 11 puts MLC-SKU-007 beside another SKU on some order";
    w_.flow_.mappings["parts"] = {{std::string(kMissingSku), other}};
    w_.clock_.advance(3min);
    auto flow = w_.runner();
    ASSERT_TRUE(flow);
    run(*flow);
    ship(epicor_num(id), "1ZSHARED00001", "UPSG");
    run(*flow);
    run(*flow);
    const auto& order = w_.amazon_order(id);
    ASSERT_EQ(order.packages.size(), 1u);
    EXPECT_EQ(order.status, "Shipped");
    for (const auto& item : order.items)
        EXPECT_EQ(item.quantity_shipped, item.quantity) << item.sku;
    EXPECT_TRUE(w_.open_letters().empty());
    EXPECT_TRUE(w_.store_->list_differences(w_.flow_.name, std::nullopt, 10).value().empty())
        << "a confirmed package read again is no difference";
}

TEST_F(Confirmations, OffByDefaultNothingIsConfirmed) {
    w_.flow_.options.erase("confirm_shipments");
    auto flow = w_.runner();
    ASSERT_TRUE(flow);
    run(*flow);
    ship(epicor_num(ids_[0]), "1ZOFF0000001", "UPSG");
    run(*flow);
    EXPECT_TRUE(w_.amazon_order(ids_[0]).packages.empty());
    EXPECT_EQ(w_.counting_.count("shipmentConfirmation"), 0);
}

TEST(AmazonOrderId, ReadsThreeSevenSevenDigits) {
    EXPECT_TRUE(is_amazon_order_id("113-1234567-7654321"));
    EXPECT_FALSE(is_amazon_order_id("PO-4471"));
    EXPECT_FALSE(is_amazon_order_id("113-123456-77654321"));
    EXPECT_FALSE(is_amazon_order_id(""));
}

}  // namespace
}  // namespace mlc::flows::amazon_epicor
