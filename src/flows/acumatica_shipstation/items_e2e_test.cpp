// "acumatica-to-shipstation-orders" keeps ShipStation's products aligned with Acumatica's stock
// items as far as V1 allows (issue 13): a product ShipStation holds (made from an order's item)
// takes the item's name, price, weight and status; a SKU ShipStation does not have yet is noted in
// the audit trail as "will be created by ShipStation on the first order", never parked; once an
// order made the product, the item's next change moves; `items: false` leaves products alone.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "flows/acumatica_shipstation/e2e_world.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

class ItemsTest : public AcumaticaToShipStationTest {
  protected:
    // ShipStation's product of `sku` as V1 answers GET /products?sku= (null when none).
    json::value product(const std::string& sku) {
        const json::object ports = host_.ports();
        const json::object& info = ports.at("shipstation").as_object();
        net::HttpRequest request;
        request.method = "GET";
        request.url = std::string(info.at("base_url").as_string()) + "/products?sku=" + sku;
        request.headers.emplace_back(
            "Authorization",
            "Basic " + base64_encode(std::string(info.at("api_key").as_string()) + ":" +
                                     std::string(info.at("api_secret").as_string())));
        const auto answer = host_.handle("shipstation", request);
        EXPECT_EQ(answer.status, 200) << answer.body;
        const json::value listed = json::parse(answer.body);
        for (const auto& found : listed.at("products").as_array()) {
            if (found.at("sku").as_string() == sku) return found;
        }
        return nullptr;
    }
    void stock_item(const std::string& sku, const std::string& description,
                    const std::string& price) {
        ASSERT_EQ(control("acumatica", "POST", "records/StockItem",
                          json::serialize(json::object{{"InventoryID", {{"value", sku}}},
                                                       {"Description", {{"value", description}}},
                                                       {"DefaultPrice", {{"value", price}}},
                                                       {"DimensionWeight", {{"value", "1.5"}}}}))
                      .status,
                  200);
    }
    std::string order_of(const std::string& sku) {
        const auto answer = control(
            "acumatica", "POST", "orders",
            json::serialize(json::object{
                {"CustomerID", "C000001"},
                {"lines", json::array{json::object{{"InventoryID", sku}, {"OrderQty", 1}}}}}));
        EXPECT_EQ(answer.status, 200) << answer.body;
        return answer.status == 200
                   ? std::string(json::parse(answer.body).at("OrderNbr").at("value").as_string())
                   : std::string();
    }
    int notes_for(const std::string& sku) {
        store::AuditQuery query;
        query.flow = flow_.name;
        auto events = store_->query_audit(query);
        EXPECT_TRUE(events) << events.error().describe();
        int notes = 0;
        for (const auto& event : events ? *events : std::vector<store::AuditEvent>{}) {
            notes += event.source_ref == "acumatica:StockItem:" + sku &&
                     event.detail.find("will be created by ShipStation on the first order") !=
                         std::string::npos;
        }
        return notes;
    }
};

TEST_F(ItemsTest, ANewSkuIsNotedThenMovesOnceAnOrderMadeTheProduct) {
    stock_item("MUG-BLUE", "Blue mug", "12.5");
    auto flow = runner();
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_TRUE(product("MUG-BLUE").is_null());  // V1 cannot create it.
    EXPECT_EQ(notes_for("MUG-BLUE"), 1);
    EXPECT_TRUE(open_letters().empty());
    auto quiet = run(*flow);  // The overlap reads it again: noted once.
    ASSERT_TRUE(quiet) << quiet.error().describe();
    EXPECT_EQ(notes_for("MUG-BLUE"), 1);

    ASSERT_FALSE(order_of("MUG-BLUE").empty());  // ShipStation makes the product from the order.
    stock_item("MUG-BLUE", "Blue mug, large", "14.25");
    auto moved = run(*flow);
    ASSERT_TRUE(moved) << moved.error().describe();
    const json::value made = product("MUG-BLUE");
    ASSERT_TRUE(made.is_object());
    EXPECT_EQ(made.at("name").as_string(), "Blue mug, large");
    EXPECT_DOUBLE_EQ(made.at("price").to_number<double>(), 14.25);
    EXPECT_DOUBLE_EQ(made.at("weightOz").to_number<double>(), 24.0);  // 1.5 lb.
    EXPECT_TRUE(made.at("active").as_bool());
    EXPECT_TRUE(open_letters().empty());
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->streams.count("items") ? again->streams.at("items").updated : 0, 0);
    expect_every_session_closed();
}

TEST_F(ItemsTest, AnItemOnAnOrderSentInTheSameRunMovesAtOnce) {
    stock_item("CAP-RED", "Red cap", "9.99");
    ASSERT_FALSE(order_of("CAP-RED").empty());
    auto flow = runner();
    auto summary = run(*flow);  // Orders first: ShipStation makes CAP-RED, then items update it.
    ASSERT_TRUE(summary) << summary.error().describe();
    const json::value made = product("CAP-RED");
    ASSERT_TRUE(made.is_object());
    EXPECT_EQ(made.at("name").as_string(), "Red cap");
    EXPECT_DOUBLE_EQ(made.at("price").to_number<double>(), 9.99);
    EXPECT_EQ(notes_for("CAP-RED"), 0);
}

TEST_F(ItemsTest, ItemsOffLeavesProductsAlone) {
    flow_.options["items"] = "false";
    stock_item("HAT-GREEN", "Green hat", "5");
    ASSERT_FALSE(order_of("HAT-GREEN").empty());
    auto flow = runner();
    auto summary = run(*flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(counting_.calls["GET /products"], 0);
    EXPECT_EQ(counting_.calls["PUT /products/" +
                              std::to_string(product("HAT-GREEN").at("productId").as_int64())],
              0);
    EXPECT_EQ(notes_for("HAT-GREEN"), 0);
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation
