// The orders source against the Amazon emulator: Orders 2026-01-01 searchOrders by page token,
// the v0 fallback giving the same records, its retirement on 2027-03-27, the two-year backfill
// refused, the cursor, replay by id.
#include <set>

#include "connectors/amazon/amazon_orders.hpp"
#include "connectors/amazon/amazon_test_fixture.hpp"

namespace mlc::connectors::amazon::testing {
namespace {

using namespace std::chrono_literals;

class AmazonOrdersTest : public AmazonFixture {
  protected:
    AmazonOrdersTest() {
        lwa_ = credentials();
        client_ = client(*lwa_);
    }
    OrdersSource source(OrdersApi api, UtcTime start, std::uint32_t page_size = 10) {
        return OrdersSource(
            *client_,
            {.api = api, .window = {.start = start, .overlap = 10min}, .page_size = page_size});
    }
    std::vector<std::string> created(int count, std::string status = "Unshipped") {
        auto answer = control(
            "POST", "orders",
            R"({"count": )" + std::to_string(count) + R"(, "status": ")" + status + R"("})");
        EXPECT_EQ(answer.status, 200) << answer.body;
        std::vector<std::string> ids;
        const boost::json::value body = boost::json::parse(answer.body);
        for (const auto& id : body.at("orderIds").as_array()) {
            ids.emplace_back(id.as_string());
        }
        return ids;
    }
    // Every record of one pass; the last batch's position in `position`.
    std::vector<Record<model::Order>> drain(OrdersSource& source, std::string& position) {
        auto scan = source.scan(position);
        EXPECT_TRUE(scan) << scan.error().describe();
        std::vector<Record<model::Order>> out;
        if (!scan) return out;
        for (int guard = 0; guard < 100; ++guard) {
            auto batch = (*scan)->next();
            EXPECT_TRUE(batch) << batch.error().describe();
            if (!batch) break;
            EXPECT_TRUE(batch->rejected.empty());
            for (auto& record : batch->items) out.push_back(std::move(record));
            if (!batch->position.empty()) position = batch->position;
            if (!batch->more) break;
        }
        return out;
    }

    std::unique_ptr<auth::TokenManager> lwa_;
    std::unique_ptr<AmazonClient> client_;
};

TEST_F(AmazonOrdersTest, SearchOrdersPagesByTokenIntoModelOrders) {
    const UtcTime start = clock_.now() - 1h;
    const auto ids = created(25);
    clock_.advance(3min);  // searchOrders answers up to two minutes before now.
    auto orders = source(OrdersApi::k2026, start);
    std::string position;
    const auto records = drain(orders, position);
    ASSERT_EQ(records.size(), 25u);
    std::set<std::string> keys;
    for (const auto& record : records) keys.insert(record.value.source.key);
    EXPECT_EQ(keys, std::set<std::string>(ids.begin(), ids.end()));
    const model::Order& order = records.front().value;
    EXPECT_EQ(order.source.system, "amazon");
    EXPECT_EQ(order.number, order.source.key);
    EXPECT_EQ(order.customer_code, "ATVPDKIKX0DER");  // The marketplace: mapped to a customer.
    EXPECT_EQ(order.status, model::OrderStatus::kOpen);
    EXPECT_EQ(order.source_status, "UNSHIPPED");
    EXPECT_FALSE(order.lines.empty());
    EXPECT_TRUE(order.lines.front().sku.starts_with("MLC-SKU-"));
    EXPECT_FALSE(order.ship_to.postal_code.empty());
    EXPECT_FALSE(order.total.is_zero());
    EXPECT_EQ(records.front().raw.find("\"payload\""), std::string::npos);  // 2026: no wrapper.
    // 25 orders, 10 a page: three searchOrders calls, the later ones by paginationToken.
    EXPECT_EQ(recording_.count("/orders/2026-01-01/orders?"), 3);
    EXPECT_EQ(recording_.count("paginationToken="), 2);
    EXPECT_EQ(position, format_iso8601(clock_.now() - 3min));
}

TEST_F(AmazonOrdersTest, TheCursorRereadsOnlyTheOverlapAndSeesACancel) {
    const UtcTime start = clock_.now() - 1h;
    const auto old = created(1);
    clock_.advance(1h);
    const auto ids = created(3);
    clock_.advance(3min);
    auto orders = source(OrdersApi::k2026, start);
    std::string position;
    ASSERT_EQ(drain(orders, position).size(), 4u);
    ASSERT_EQ(control("POST", "orders/" + ids[1] + "/status", R"({"status": "Canceled"})").status,
              200);
    clock_.advance(3min);
    const auto again = drain(orders, position);
    std::set<std::string> keys;
    for (const auto& record : again) {
        keys.insert(record.value.source.key);
        if (record.value.source.key == ids[1]) {
            EXPECT_EQ(record.value.status, model::OrderStatus::kCancelled);
        }
    }
    // The orders of the last read (inside the 10-minute overlap) and the cancelled one; not the
    // order an hour older than the position.
    EXPECT_EQ(keys, std::set<std::string>(ids.begin(), ids.end()));
    EXPECT_FALSE(keys.contains(old[0]));
}

TEST_F(AmazonOrdersTest, TheV0FallbackGivesTheSameRecords) {
    const UtcTime start = clock_.now() - 1h;
    created(12);
    clock_.advance(3min);
    auto current = source(OrdersApi::k2026, start);
    auto fallback = source(OrdersApi::kV0, start, 5);
    std::string p1, p2;
    const auto a = drain(current, p1);
    const auto b = drain(fallback, p2);
    ASSERT_EQ(a.size(), 12u);
    ASSERT_EQ(b.size(), 12u);
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].value.source.key, b[i].value.source.key);
        EXPECT_EQ(a[i].value.status, b[i].value.status);
        EXPECT_EQ(a[i].value.customer_code, b[i].value.customer_code);
        EXPECT_EQ(a[i].value.modified_at, b[i].value.modified_at);
        ASSERT_EQ(a[i].value.lines.size(), b[i].value.lines.size());
        for (std::size_t l = 0; l < a[i].value.lines.size(); ++l) {
            EXPECT_EQ(a[i].value.lines[l].sku, b[i].value.lines[l].sku);
            EXPECT_EQ(a[i].value.lines[l].quantity, b[i].value.lines[l].quantity);
            EXPECT_EQ(a[i].value.lines[l].unit_price, b[i].value.lines[l].unit_price);
        }
    }
    // v0: getOrders by NextToken (URL-encoded), then getOrderItems once per order.
    EXPECT_EQ(recording_.count("/orders/v0/orders?"), 3);
    EXPECT_EQ(recording_.count("NextToken="), 2);
    EXPECT_EQ(recording_.count("/orderItems"), 12);
}

TEST_F(AmazonOrdersTest, V0IsRefusedFromItsRetirementDate) {
    clock_.set(parse_iso8601("2027-03-26T23:00:00Z").value());
    auto fallback = source(OrdersApi::kV0, clock_.now() - 24h);
    ASSERT_TRUE(fallback.scan(""));
    clock_.set(parse_iso8601("2027-03-27T00:00:00Z").value());
    auto refused = fallback.scan("");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConfig);
    EXPECT_NE(refused.error().message.find("2027-03-27"), std::string::npos);
    EXPECT_NE(refused.error().message.find("remove `orders_api: v0`"), std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(fallback.get("111-0000000-0000000"));
}

TEST_F(AmazonOrdersTest, ABackfillOlderThanTwoYearsIsRefusedSayingWhy) {
    auto orders = source(OrdersApi::k2026, clock_.now() - 731 * 24h);
    auto refused = orders.scan("");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConfig);
    EXPECT_NE(refused.error().message.find("never returns orders older than two years"),
              std::string::npos)
        << refused.error().message;
    EXPECT_EQ(recording_.count("/orders/"), 0);  // Nothing asked of Amazon.
    auto within = source(OrdersApi::k2026, clock_.now() - 729 * 24h, 100);
    std::string position;
    EXPECT_FALSE(drain(within, position).empty());  // The seeded history inside two years.
}

TEST_F(AmazonOrdersTest, ReplayReadsOneOrderByIdInBothApis) {
    const auto ids = created(1, "Shipped");
    clock_.advance(3min);
    for (auto api : {OrdersApi::k2026, OrdersApi::kV0}) {
        auto orders = source(api, clock_.now() - 1h);
        auto record = orders.get(ids[0]);
        ASSERT_TRUE(record) << record.error().describe();
        ASSERT_TRUE(*record);
        EXPECT_EQ((*record)->value.source.key, ids[0]);
        EXPECT_EQ((*record)->value.status, model::OrderStatus::kShipped);
        EXPECT_FALSE((*record)->value.lines.empty());
        auto missing = orders.get("111-0000000-0000000");
        ASSERT_TRUE(missing);
        EXPECT_FALSE(*missing);
    }
}

}  // namespace
}  // namespace mlc::connectors::amazon::testing
