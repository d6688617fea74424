#include "sandbox/woocommerce/woocommerce_emulator.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/sandbox_host.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kApi = "/wp-json/wc/v3/";
constexpr std::string_view kReceiver = "http://receiver.test/hooks";

std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
    while (out.size() % 4 != 0) out.push_back('=');
    return out;
}

std::string sha256(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size());
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

// HMAC-SHA256 by hand from RFC 2104, independent of the emulator's libsodium HMAC helper.
std::string hmac_sha256(std::string key, std::string_view message) {
    constexpr std::size_t kBlock = 64;
    if (key.size() > kBlock) key = sha256(key);
    key.resize(kBlock, '\0');
    std::string inner(kBlock, '\0');
    std::string outer(kBlock, '\0');
    for (std::size_t i = 0; i < kBlock; ++i) {
        inner[i] = static_cast<char>(key[i] ^ 0x36);
        outer[i] = static_cast<char>(key[i] ^ 0x5c);
    }
    return sha256(outer + sha256(inner + std::string(message)));
}

// The webhook receiver: records every request and answers `status` (or a transport error).
class CapturingTransport final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions&) override {
        requests.push_back(request);
        if (refuse) return make_error(ErrorCode::kTransient, "connection refused");
        net::HttpResponse response;
        response.status = status;
        return response;
    }
    std::vector<net::HttpRequest> requests;
    int status = 200;
    bool refuse = false;
};

std::string header(const net::HttpRequest& request, std::string_view name) {
    return std::string(net::find_header(request.headers, name).value_or(""));
}
std::string header(const net::HttpResponse& response, std::string_view name) {
    return std::string(net::find_header(response.headers, name).value_or(""));
}

UtcTime utc(std::string_view text) { return *parse_iso8601(text); }

class WooTest : public ::testing::Test {
  protected:
    explicit WooTest(std::uint64_t seed = 7, std::size_t volume = 60)
        : clock_(utc("2024-01-15T15:00:00Z")),
          woo_(EmulatorContext{
              .clock = clock_, .outbound = receiver_, .seed = seed, .volume = volume}) {
        woo_.set_base_url("http://shop.test");
    }

    net::HttpResponse raw(std::string method, std::string target, std::string body = {},
                          bool with_auth = true) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = std::string(kApi) + target;
        request.body = std::move(body);
        if (with_auth) {
            request.headers.emplace_back(
                "Authorization",
                "Basic " + base64(woo_.consumer_key() + ":" + woo_.consumer_secret()));
        }
        return woo_.handle(request);
    }
    json::value call(std::string method, std::string target, const json::value& body = nullptr,
                     int expected = 200) {
        const auto response =
            raw(method, target, body.is_null() ? std::string() : json::serialize(body));
        EXPECT_EQ(response.status, expected) << method << " " << target << ": " << response.body;
        return json::parse(response.body);
    }
    json::value control(std::string method, std::string route, const json::value& body = nullptr,
                        int expected = 200) {
        net::HttpRequest request;
        request.method = method;
        request.body = body.is_null() ? std::string() : json::serialize(body);
        const auto response = woo_.control(request, route);
        EXPECT_EQ(response.status, expected) << route << ": " << response.body;
        return json::parse(response.body);
    }
    std::int64_t add_webhook(std::string topic, std::string secret = "s3cret") {
        const auto hook = call(
            "POST", "webhooks",
            json::object{
                {"name", topic}, {"topic", topic}, {"delivery_url", kReceiver}, {"secret", secret}},
            201);
        return hook.at("id").as_int64();
    }
    // Moves past the longest seeded delivery delay and runs the background work.
    void deliver_all() {
        clock_.advance(WooCommerceEmulator::kDeliveryDelayMax + 1s);
        woo_.tick();
    }
    // Deliveries received (pings left out), then forgotten.
    std::vector<net::HttpRequest> take_deliveries() {
        std::vector<net::HttpRequest> out;
        for (auto& request : receiver_.requests) {
            if (!header(request, "X-WC-Webhook-Topic").empty()) out.push_back(std::move(request));
        }
        receiver_.requests.clear();
        return out;
    }
    json::object webhook_state(std::int64_t id) {
        const auto state = control("GET", "state");
        for (const auto& hook : state.at("webhooks").as_array()) {
            if (hook.at("id").as_int64() == id) return hook.as_object();
        }
        ADD_FAILURE() << "no webhook " << id;
        return {};
    }
    json::array list(const std::string& target) { return call("GET", target).as_array(); }
    std::int64_t first_product_id() {
        return call("GET", "products?orderby=id&order=asc").at(0).at("id").as_int64();
    }

    ManualClock clock_;
    CapturingTransport receiver_;
    WooCommerceEmulator woo_;
};

// ---- Auth -------------------------------------------------------------------------------------

TEST_F(WooTest, AcceptsConsumerKeyAsBasicAuth) { EXPECT_EQ(raw("GET", "orders").status, 200); }

TEST_F(WooTest, AcceptsConsumerKeyAsQueryParameters) {
    const auto response = raw(
        "GET",
        "orders?consumer_key=" + woo_.consumer_key() + "&consumer_secret=" + woo_.consumer_secret(),
        {}, false);
    EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(WooTest, RejectsWrongSecretWithWooShaped401) {
    const auto response =
        raw("GET", "orders?consumer_key=" + woo_.consumer_key() + "&consumer_secret=cs_wrong", {},
            false);
    ASSERT_EQ(response.status, 401);
    const auto body = json::parse(response.body);
    EXPECT_EQ(body.at("code"), "woocommerce_rest_authentication_error");
    EXPECT_EQ(body.at("data").at("status"), 401);
    EXPECT_FALSE(body.at("message").as_string().empty());
}

TEST_F(WooTest, RejectsUnknownKeyInBasicAuth) {
    net::HttpRequest request;
    request.url = std::string(kApi) + "products";
    request.headers.emplace_back("Authorization",
                                 "Basic " + base64("ck_nobody:" + woo_.consumer_secret()));
    const auto response = woo_.handle(request);
    ASSERT_EQ(response.status, 401);
    EXPECT_EQ(json::parse(response.body).at("code"), "woocommerce_rest_authentication_error");
}

TEST_F(WooTest, AnswersAnonymousRequestsWithCannotView) {
    const auto response = raw("GET", "orders", {}, false);
    ASSERT_EQ(response.status, 401);
    const auto body = json::parse(response.body);
    EXPECT_EQ(body.at("code"), "woocommerce_rest_cannot_view");
    EXPECT_EQ(body.at("data").at("status"), 401);
}

TEST_F(WooTest, ConnectionInfoNamesApiBaseAndCredentials) {
    const auto info = woo_.connection_info("http://127.0.0.1:4242");
    EXPECT_EQ(info.at("base_url"), "http://127.0.0.1:4242/wp-json/wc/v3");
    EXPECT_EQ(info.at("site_url"), "http://127.0.0.1:4242");
    EXPECT_EQ(info.at("consumer_key").as_string(), woo_.consumer_key());
    EXPECT_TRUE(woo_.consumer_key().starts_with("ck_"));
    EXPECT_TRUE(woo_.consumer_secret().starts_with("cs_"));
}

// ---- Paging -----------------------------------------------------------------------------------

TEST_F(WooTest, PagesCarryTotalsAndLinks) {
    // 60 seeded orders -> 20 products (volume / 4, at least 20).
    const auto first = raw("GET", "products?per_page=7&orderby=id&order=asc");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(header(first, "X-WP-Total"), "20");
    EXPECT_EQ(header(first, "X-WP-TotalPages"), "3");
    EXPECT_EQ(json::parse(first.body).as_array().size(), 7u);
    const auto first_link = header(first, "Link");
    EXPECT_NE(first_link.find("page=2>; rel=\"next\""), std::string::npos) << first_link;
    EXPECT_EQ(first_link.find("rel=\"prev\""), std::string::npos);
    EXPECT_NE(first_link.find("http://shop.test/wp-json/wc/v3/products?"), std::string::npos);

    const auto middle = header(raw("GET", "products?per_page=7&page=2"), "Link");
    EXPECT_NE(middle.find("page=1>; rel=\"prev\""), std::string::npos) << middle;
    EXPECT_NE(middle.find("page=3>; rel=\"next\""), std::string::npos) << middle;

    const auto last = raw("GET", "products?per_page=7&page=3");
    EXPECT_EQ(json::parse(last.body).as_array().size(), 6u);
    EXPECT_EQ(header(last, "Link").find("rel=\"next\""), std::string::npos);

    const auto beyond = raw("GET", "products?per_page=7&page=4");
    EXPECT_EQ(beyond.status, 200);
    EXPECT_TRUE(json::parse(beyond.body).as_array().empty());
    EXPECT_EQ(header(beyond, "X-WP-Total"), "20");
}

TEST_F(WooTest, PagesDoNotOverlapAndCoverEveryRecord) {
    std::set<std::int64_t> seen;
    for (int page = 1; page <= 3; ++page) {
        for (const auto& order : list("orders?per_page=25&page=" + std::to_string(page))) {
            EXPECT_TRUE(seen.insert(order.at("id").as_int64()).second);
        }
    }
    EXPECT_EQ(seen.size(), 60u);
}

TEST_F(WooTest, DefaultPageSizeIsTen) { EXPECT_EQ(call("GET", "orders").as_array().size(), 10u); }

TEST_F(WooTest, PerPageAboveHundredIsInvalidParam) {
    const auto response = raw("GET", "orders?per_page=101");
    ASSERT_EQ(response.status, 400);
    const auto body = json::parse(response.body);
    EXPECT_EQ(body.at("code"), "rest_invalid_param");
    EXPECT_TRUE(body.at("data").at("params").as_object().contains("per_page"));
    EXPECT_EQ(raw("GET", "orders?per_page=0").status, 400);
    EXPECT_EQ(raw("GET", "orders?per_page=100").status, 200);
    EXPECT_EQ(raw("GET", "orders?page=0").status, 400);
}

TEST_F(WooTest, OrdersSortByIdAscending) {
    const auto list = call("GET", "orders?orderby=id&order=asc&per_page=100").as_array();
    for (std::size_t i = 1; i < list.size(); ++i) {
        EXPECT_LT(list[i - 1].at("id").as_int64(), list[i].at("id").as_int64());
    }
    EXPECT_EQ(raw("GET", "orders?orderby=bogus").status, 400);
}

// ---- Dates ------------------------------------------------------------------------------------

TEST_F(WooTest, ModifiedAfterReadsSiteLocalUnlessDatesAreGmt) {
    clock_.advance(1h);  // 16:00Z = 11:00 in New York; every seeded order is older.
    const auto order =
        control("POST", "checkout",
                json::object{{"customer_id", 1},
                             {"lines", json::array{json::object{{"product_id", first_product_id()},
                                                                {"quantity", 1}}}}},
                201);
    const auto id = order.at("id").as_int64();
    EXPECT_EQ(order.at("date_modified_gmt"), "2024-01-15T16:00:00");
    EXPECT_EQ(order.at("date_modified"), "2024-01-15T11:00:00");

    // 12:00 read as New York time is 17:00Z: after the order.
    EXPECT_TRUE(call("GET", "orders?modified_after=2024-01-15T12:00:00").as_array().empty());
    // The same text as UTC is before it.
    bool found = false;
    for (const auto& o :
         list("orders?per_page=100&modified_after=2024-01-15T12:00:00&dates_are_gmt=true")) {
        found = found || o.at("id").as_int64() == id;
    }
    EXPECT_TRUE(found);
    // 10:30 local = 15:30Z: only the new order.
    const auto local = call("GET", "orders?modified_after=2024-01-15T10:30:00").as_array();
    ASSERT_EQ(local.size(), 1u);
    EXPECT_EQ(local[0].at("id").as_int64(), id);
    // An offset is moved to site-local time first (WP_Date_Query).
    EXPECT_EQ(call("GET", "orders?modified_after=2024-01-15T15:30:00Z").as_array().size(), 1u);
    // modified_before excludes it.
    for (const auto& o : list("orders?per_page=100&modified_before=2024-01-15T10:30:00")) {
        EXPECT_NE(o.at("id").as_int64(), id);
    }
    EXPECT_EQ(raw("GET", "orders?modified_after=yesterday").status, 400);
}

TEST_F(WooTest, StoreTimeZoneIsConfigurable) {
    control("POST", "settings", json::object{{"timezone", "America/Chicago"}});
    const auto order = call("GET", "orders?orderby=id&order=desc").at(0);
    const auto gmt = utc(std::string(order.at("date_created_gmt").as_string()) + "Z");
    EXPECT_EQ(order.at("date_created").as_string(),
              *format_local(gmt, "America/Chicago", "%Y-%m-%dT%H:%M:%S"));
    control("POST", "settings", json::object{{"timezone", "Mars/Olympus"}}, 400);
}

// ---- Money and shapes -------------------------------------------------------------------------

TEST_F(WooTest, MoneyIsStringsAndLinePriceIsANumber) {
    const auto response = raw("GET", "orders?per_page=1");
    const auto order = json::parse(response.body).at(0);
    EXPECT_TRUE(order.at("total").is_string());
    EXPECT_TRUE(order.at("shipping_total").is_string());
    EXPECT_TRUE(order.at("discount_total").is_string());
    const auto& line = order.at("line_items").at(0);
    EXPECT_TRUE(line.at("total").is_string());
    EXPECT_TRUE(line.at("price").is_number());
    // Totals add up to the cent.
    Decimal sum = *Decimal::parse(order.at("shipping_total").as_string());
    for (const auto& item : order.at("line_items").as_array()) {
        sum += *Decimal::parse(item.at("total").as_string());
    }
    EXPECT_EQ(sum.to_string(2), order.at("total").as_string());
    // Slashes in links are escaped as WordPress writes them.
    EXPECT_NE(response.body.find("http:\\/\\/shop.test\\/wp-json\\/wc\\/v3\\/orders\\/"),
              std::string::npos);
}

TEST_F(WooTest, UnknownIdsAnswerWooShaped404s) {
    const auto order = raw("GET", "orders/999999");
    EXPECT_EQ(order.status, 404);
    EXPECT_EQ(json::parse(order.body).at("code"), "woocommerce_rest_shop_order_invalid_id");
    EXPECT_EQ(json::parse(raw("GET", "products/999999").body).at("code"),
              "woocommerce_rest_product_invalid_id");
    EXPECT_EQ(json::parse(raw("GET", "customers/999999").body).at("code"),
              "woocommerce_rest_invalid_id");
    EXPECT_EQ(json::parse(raw("GET", "webhooks/999999").body).at("code"),
              "woocommerce_rest_webhook_invalid_id");
    EXPECT_EQ(json::parse(raw("GET", "coupons").body).at("code"), "rest_no_route");
}

// ---- Refunds ----------------------------------------------------------------------------------

TEST_F(WooTest, RefundsListCreateAndShowOnTheOrder) {
    const auto order =
        control("POST", "checkout",
                json::object{{"customer_id", 2},
                             {"lines", json::array{json::object{{"product_id", first_product_id()},
                                                                {"quantity", 2}}}}},
                201);
    const auto id = std::to_string(order.at("id").as_int64());
    const auto refund = call("POST", "orders/" + id + "/refunds",
                             json::object{{"amount", "1.50"}, {"reason", "scratch"}}, 201);
    EXPECT_EQ(refund.at("amount"), "1.50");
    EXPECT_EQ(refund.at("refunded_payment"), true);  // stripe refunds through the gateway
    const auto listed = call("GET", "orders/" + id + "/refunds");
    ASSERT_EQ(listed.as_array().size(), 1u);
    EXPECT_EQ(call("GET", "orders/" + id + "/refunds/" + std::to_string(refund.at("id").as_int64()))
                  .at("reason"),
              "scratch");
    const auto shown = call("GET", "orders/" + id);
    EXPECT_EQ(shown.at("refunds").at(0).at("total"), "-1.50");
    // More than what is left is refused.
    call("POST", "orders/" + id + "/refunds", json::object{{"amount", "100000.00"}}, 500);
    // Money must be a string.
    call("POST", "orders/" + id + "/refunds", json::object{{"amount", 1.5}}, 400);
}

TEST_F(WooTest, ApiRefundOnAGatewayWithoutRefundsFailsUnlessApiRefundIsFalse) {
    const auto order = control(
        "POST", "checkout",
        json::object{{"customer_id", 3},
                     {"payment_method", "bacs"},
                     {"lines", json::array{json::object{{"product_id", first_product_id()}}}}},
        201);
    EXPECT_EQ(order.at("status"), "on-hold");
    const auto id = std::to_string(order.at("id").as_int64());
    const auto failed =
        call("POST", "orders/" + id + "/refunds", json::object{{"amount", "1.00"}}, 500);
    EXPECT_EQ(failed.at("code"), "woocommerce_rest_cannot_create_order_refund");
    const auto refund = call("POST", "orders/" + id + "/refunds",
                             json::object{{"amount", "1.00"}, {"api_refund", false}}, 201);
    EXPECT_EQ(refund.at("refunded_payment"), false);
}

TEST_F(WooTest, SeededDataHasOrdersWithRefunds) {
    std::size_t with_refunds = 0;
    for (int page = 1; page <= 3; ++page) {
        for (const auto& order : list("orders?per_page=25&page=" + std::to_string(page))) {
            if (!order.at("refunds").as_array().empty()) ++with_refunds;
        }
    }
    EXPECT_GT(with_refunds, 0u);
}

// The sandboxes' shared catalog (sandbox/catalog.hpp): the products are its parts at its prices
// (the inactive one a draft), the customers carry its customers' e-mail addresses and addresses,
// and every seeded order is placed by a customer Epicor has and sells only parts Epicor accepts.
TEST_F(WooTest, SeedsTheSharedCatalogsPartsAndCustomersAndOrdersThatFitEpicor) {
    const auto text = [](const json::value& value) { return std::string(value.as_string()); };
    const auto products = list("products?orderby=id&order=asc&per_page=100");
    ASSERT_EQ(products.size(), 20u);  // Volume 60: parts 1..20.
    std::map<std::string, std::string> prices;
    for (std::size_t i = 0; i < products.size(); ++i) {
        const std::size_t part = i + 1;
        EXPECT_EQ(text(products[i].at("sku")), catalog::part_number(part));
        EXPECT_EQ(text(products[i].at("regular_price")), catalog::part_price(7, part).to_string(2));
        EXPECT_EQ(products[i].at("price"), products[i].at("regular_price"));
        EXPECT_EQ(text(products[i].at("status")),
                  catalog::part_inactive(part) ? "draft" : "publish");
        prices[catalog::part_number(part)] = catalog::part_price(7, part).to_string(2);
    }
    const auto customers = list("customers?orderby=id&order=asc&per_page=100");
    ASSERT_EQ(customers.size(), 20u);  // Volume 60: max(10, 60 / 3).
    for (std::size_t i = 0; i < customers.size(); ++i) {
        const std::size_t n = catalog::customer_with_email(i);
        EXPECT_EQ(text(customers[i].at("email")), catalog::customer_email(n));
        const catalog::Address address = catalog::customer_address(7, n);
        EXPECT_EQ(text(customers[i].at("billing").at("postcode")), address.zip);
        EXPECT_EQ(text(customers[i].at("billing").at("address_1")),
                  address.number + " " + address.street);
    }
    // Epicor's customers at volume 60: C00001..C00015, every fourth without an e-mail.
    std::set<std::string> epicor_emails;
    for (std::size_t n = 1; n <= catalog::customer_count(60); ++n) {
        if (catalog::customer_has_email(n)) epicor_emails.insert(catalog::customer_email(n));
    }
    std::set<std::string> buyers;
    for (const auto& order : list("orders?per_page=100")) {
        const std::string email(order.at("billing").at("email").as_string());
        EXPECT_TRUE(epicor_emails.count(email)) << email;
        buyers.insert(email);
        for (const auto& line : order.at("line_items").as_array()) {
            const std::string sku(line.at("sku").as_string());
            EXPECT_NE(sku, catalog::part_number(catalog::kInactivePart));
            ASSERT_TRUE(prices.count(sku)) << sku;
            const Decimal subtotal = Decimal::parse(line.at("subtotal").as_string()).value();
            const std::int64_t quantity = line.at("quantity").to_number<std::int64_t>();
            EXPECT_EQ(subtotal.to_string(2),
                      Decimal::parse(prices.at(sku)).value().mul(quantity).to_string(2));
        }
    }
    EXPECT_GT(buyers.size(), 5u);
}

// ---- Products ---------------------------------------------------------------------------------

TEST_F(WooTest, FiltersProductsBySku) {
    const auto list = call("GET", "products?sku=P10005").as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].at("sku"), "P10005");
    EXPECT_TRUE(list[0].at("regular_price").is_string());
}

TEST_F(WooTest, RefusesDuplicateSku) {
    const auto error =
        call("POST", "products", json::object{{"name", "Copy"}, {"sku", "P10005"}}, 400);
    EXPECT_EQ(error.at("code"), "product_invalid_sku");
}

TEST_F(WooTest, BatchAcceptsHundredObjectsAndRefusesMore) {
    json::array create;
    for (int i = 0; i < 90; ++i) {
        create.push_back(json::object{{"name", "Batch " + std::to_string(i)},
                                      {"sku", "B-" + std::to_string(i)},
                                      {"regular_price", "9.99"}});
    }
    json::array update;
    for (const auto& product : list("products?per_page=10")) {
        update.push_back(json::object{{"id", product.at("id")}, {"stock_quantity", 3}});
    }
    const auto ok =
        call("POST", "products/batch", json::object{{"create", create}, {"update", update}});
    EXPECT_EQ(ok.at("create").as_array().size(), 90u);
    EXPECT_EQ(ok.at("update").as_array().size(), 10u);
    EXPECT_EQ(ok.at("update").at(0).at("stock_quantity"), 3);

    create.push_back(json::object{{"name", "One too many"}});
    const auto refused = raw("POST", "products/batch",
                             json::serialize(json::object{{"create", create}, {"update", update}}));
    EXPECT_EQ(refused.status, 413);
    EXPECT_EQ(json::parse(refused.body).at("code"), "woocommerce_rest_request_entity_too_large");
    // Nothing of the refused batch was written.
    EXPECT_TRUE(call("GET", "products?sku=B-0").as_array().size() == 1u);
    EXPECT_EQ(header(raw("GET", "products"), "X-WP-Total"), "110");
}

TEST_F(WooTest, BatchReportsPerItemErrorsAndDeletes) {
    const auto id = first_product_id();
    const auto result = call("POST", "products/batch",
                             json::object{{"create", json::array{json::object{{"sku", "P10001"}}}},
                                          {"delete", json::array{id, 424242}}});
    EXPECT_EQ(result.at("create").at(0).at("error").at("code"), "product_invalid_sku");
    EXPECT_EQ(result.at("delete").at(0).at("id").as_int64(), id);
    EXPECT_EQ(result.at("delete").at(1).at("error").at("code"),
              "woocommerce_rest_product_invalid_id");
    EXPECT_EQ(raw("GET", "products/" + std::to_string(id)).status, 404);
}

// ---- Customers --------------------------------------------------------------------------------

TEST_F(WooTest, CustomerEmailsAreUnique) {
    const auto existing = call("GET", "customers?per_page=1").at(0);
    const std::string email(existing.at("email").as_string());
    const auto duplicate = call("POST", "customers", json::object{{"email", email}}, 400);
    EXPECT_EQ(duplicate.at("code"), "registration-error-email-exists");
    const auto created =
        call("POST", "customers",
             json::object{{"email", "new.person@example.com"}, {"first_name", "New"}}, 201);
    EXPECT_EQ(created.at("username"), "new.person");
    const auto found = call("GET", "customers?email=new.person@example.com").as_array();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].at("id"), created.at("id"));
    // Changing an email to one in use is refused too.
    call("PUT", "customers/" + std::to_string(created.at("id").as_int64()),
         json::object{{"email", email}}, 400);
}

TEST_F(WooTest, SeededCustomerEmailsAreAllDistinct) {
    std::set<std::string> emails;
    std::size_t count = 0;
    for (int page = 1; page <= 2; ++page) {
        for (const auto& c : list("customers?per_page=100&page=" + std::to_string(page))) {
            emails.insert(std::string(c.at("email").as_string()));
            ++count;
        }
    }
    EXPECT_EQ(emails.size(), count);
    EXPECT_GE(count, 10u);
}

// ---- Webhooks ---------------------------------------------------------------------------------

TEST_F(WooTest, CreatingAWebhookSendsThePing) {
    const auto id = add_webhook("order.created");
    ASSERT_EQ(receiver_.requests.size(), 1u);
    const auto& ping = receiver_.requests[0];
    EXPECT_EQ(ping.method, "POST");
    EXPECT_EQ(ping.url, kReceiver);
    EXPECT_EQ(ping.body, "webhook_id=" + std::to_string(id));
    for (const auto& [name, value] : ping.headers) {
        EXPECT_FALSE(name.starts_with("X-WC-")) << name;
    }
    EXPECT_EQ(webhook_state(id).at("pending_delivery"), false);
}

TEST_F(WooTest, OnlyAnExact200CountsForThePingAndASaveRetriesIt) {
    receiver_.status = 204;
    const auto id = add_webhook("order.created");
    EXPECT_EQ(webhook_state(id).at("pending_delivery"), true);
    receiver_.status = 200;
    receiver_.requests.clear();
    call("PUT", "webhooks/" + std::to_string(id), json::object{{"name", "renamed"}});
    ASSERT_EQ(receiver_.requests.size(), 1u);
    EXPECT_EQ(receiver_.requests[0].body, "webhook_id=" + std::to_string(id));
    EXPECT_EQ(webhook_state(id).at("pending_delivery"), false);
}

TEST_F(WooTest, WebhookCrudValidatesTopicAndStatus) {
    const auto id = std::to_string(add_webhook("product.updated"));
    EXPECT_EQ(call("GET", "webhooks/" + id).at("topic"), "product.updated");
    EXPECT_EQ(call("POST", "webhooks",
                   json::object{{"topic", "order.exploded"}, {"delivery_url", kReceiver}}, 400)
                  .at("code"),
              "woocommerce_rest_webhook_invalid_topic");
    EXPECT_EQ(call("PUT", "webhooks/" + id, json::object{{"status", "sleeping"}}, 400).at("code"),
              "rest_invalid_param");
    EXPECT_EQ(call("PUT", "webhooks/" + id, json::object{{"status", "paused"}}).at("status"),
              "paused");
    EXPECT_EQ(call("GET", "webhooks?status=paused").as_array().size(), 1u);
    call("DELETE", "webhooks/" + id, nullptr, 501);
    call("DELETE", "webhooks/" + id + "?force=true");
    call("GET", "webhooks/" + id, nullptr, 404);
}

TEST_F(WooTest, DeliveryIsSignedOverTheRawBodyWithTheDecodedSecret) {
    // The admin screen stores "p&ss/wörd" as "p&amp;ss/wörd"; Woo signs with the decoded text.
    const auto hook = control(
        "POST", "webhooks",
        json::object{
            {"topic", "product.updated"}, {"delivery_url", kReceiver}, {"secret", "p&ss/wörd"}},
        201);
    const auto hook_id = hook.at("id").as_int64();
    EXPECT_EQ(webhook_state(hook_id).at("secret"), "p&amp;ss/wörd");
    const auto product_id = first_product_id();
    call("PUT", "products/" + std::to_string(product_id),
         json::object{{"name", "Bolt 1/2\" Zoë"}, {"regular_price", "12.30"}});
    EXPECT_TRUE(take_deliveries().empty());  // Queued, not sent in the request.
    deliver_all();
    const auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    const auto& d = deliveries[0];
    EXPECT_EQ(d.method, "POST");
    EXPECT_EQ(d.url, kReceiver);
    EXPECT_EQ(header(d, "X-WC-Webhook-Source"), "http://shop.test/");
    EXPECT_EQ(header(d, "X-WC-Webhook-Topic"), "product.updated");
    EXPECT_EQ(header(d, "X-WC-Webhook-Resource"), "product");
    EXPECT_EQ(header(d, "X-WC-Webhook-Event"), "updated");
    EXPECT_EQ(header(d, "X-WC-Webhook-ID"), std::to_string(hook_id));
    const auto delivery = header(d, "X-WC-Webhook-Delivery-ID");
    EXPECT_EQ(delivery.size(), 32u);
    EXPECT_EQ(delivery.find_first_not_of("0123456789abcdef"), std::string::npos);
    // The raw body as WordPress encodes it.
    EXPECT_NE(d.body.find(R"("name":"Bolt 1\/2\" Zo\u00eb")"), std::string::npos) << d.body;
    EXPECT_EQ(header(d, "X-WC-Webhook-Signature"), base64(hmac_sha256("p&ss/wörd", d.body)));
    EXPECT_NE(header(d, "X-WC-Webhook-Signature"), base64(hmac_sha256("p&amp;ss/wörd", d.body)));
    // The body is the resource as GET shows it.
    const auto get = raw("GET", "products/" + std::to_string(product_id));
    EXPECT_EQ(d.body, get.body);
}

TEST_F(WooTest, ApiStoredEntitySecretSignsDecoded) {
    add_webhook("customer.updated", "a&amp;b");
    call("PUT", "customers/1", json::object{{"first_name", "Renée"}});
    deliver_all();
    const auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_NE(deliveries[0].body.find("Ren\\u00e9e"), std::string::npos);
    EXPECT_EQ(header(deliveries[0], "X-WC-Webhook-Signature"),
              base64(hmac_sha256("a&b", deliveries[0].body)));
}

TEST_F(WooTest, CheckoutFiresOrderCreatedAndOrderUpdated) {
    add_webhook("order.created");
    add_webhook("order.updated");
    receiver_.requests.clear();
    const auto order = control(
        "POST", "checkout",
        json::object{{"email", call("GET", "customers/1").at("email")},
                     {"lines", json::array{json::object{{"sku", "P10002"}, {"quantity", 2}}}}},
        201);
    EXPECT_EQ(order.at("status"), "processing");
    EXPECT_EQ(order.at("customer_id"), 1);
    deliver_all();
    const auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 2u);
    std::set<std::string> topics;
    for (const auto& d : deliveries) {
        topics.insert(header(d, "X-WC-Webhook-Topic"));
        // Both show the order as it is at delivery time: paid, processing.
        const auto body = json::parse(d.body);
        EXPECT_EQ(body.at("id"), order.at("id"));
        EXPECT_EQ(body.at("status"), "processing");
    }
    EXPECT_EQ(topics, (std::set<std::string>{"order.created", "order.updated"}));
}

TEST_F(WooTest, QueuedEventsForOneObjectCoalesceAndShowTheLatestState) {
    add_webhook("order.updated");
    const auto id = call("GET", "orders?per_page=1").at(0).at("id").as_int64();
    const auto target = "orders/" + std::to_string(id);
    call("PUT", target, json::object{{"customer_note", "first"}});
    call("PUT", target, json::object{{"customer_note", "second"}});
    control("POST", target + "/status", json::object{{"status", "completed"}});
    deliver_all();
    auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    const auto body = json::parse(deliveries[0].body);
    EXPECT_EQ(body.at("customer_note"), "second");
    EXPECT_EQ(body.at("status"), "completed");
    // Once delivered, the next event queues again.
    call("PUT", target, json::object{{"customer_note", "third"}});
    deliver_all();
    EXPECT_EQ(take_deliveries().size(), 1u);
}

TEST_F(WooTest, DeliveriesArriveLateAndOutOfOrder) {
    add_webhook("order.updated");
    std::vector<std::int64_t> updated;
    for (const auto& order : list("orders?per_page=20")) {
        updated.push_back(order.at("id").as_int64());
        call("PUT", "orders/" + std::to_string(updated.back()),
             json::object{{"customer_note", "x"}});
    }
    woo_.tick();
    EXPECT_TRUE(take_deliveries().empty());  // The minimum delay has not passed.
    std::vector<std::int64_t> delivered;
    for (int second = 0; second <= 31; ++second) {
        clock_.advance(1s);
        woo_.tick();
        for (const auto& d : take_deliveries()) {
            delivered.push_back(json::parse(d.body).at("id").as_int64());
        }
    }
    ASSERT_EQ(delivered.size(), updated.size());
    EXPECT_NE(delivered, updated);  // Seeded delays reorder them.
    std::sort(delivered.begin(), delivered.end());
    std::sort(updated.begin(), updated.end());
    EXPECT_EQ(delivered, updated);  // Each exactly once.
}

TEST_F(WooTest, DeletedEventCarriesOnlyTheId) {
    add_webhook("product.deleted");
    const auto id = first_product_id();
    call("DELETE", "products/" + std::to_string(id) + "?force=true");
    deliver_all();
    const auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].body, "{\"id\":" + std::to_string(id) + "}");
}

TEST_F(WooTest, SeventhConsecutiveFailureDisablesAndActiveReenables) {
    const auto hook = add_webhook("order.updated");
    const auto hook_path = "webhooks/" + std::to_string(hook);
    const auto id = call("GET", "orders?per_page=1").at(0).at("id").as_int64();
    const auto update = [&] {
        call("PUT", "orders/" + std::to_string(id), json::object{{"customer_note", "n"}});
        deliver_all();
        return take_deliveries().size();
    };
    receiver_.status = 500;
    for (int failure = 1; failure <= 6; ++failure) {
        EXPECT_EQ(update(), 1u) << failure;
        EXPECT_EQ(call("GET", hook_path).at("status"), "active") << failure;
        EXPECT_EQ(webhook_state(hook).at("failure_count"), failure);
    }
    receiver_.refuse = true;  // A transport error is a failure too.
    EXPECT_EQ(update(), 1u);
    EXPECT_EQ(call("GET", hook_path).at("status"), "disabled");
    // Disabled: nothing more is sent, and nothing is retried.
    receiver_.refuse = false;
    receiver_.status = 200;
    EXPECT_EQ(update(), 0u);
    call("PUT", hook_path, json::object{{"status", "active"}});
    EXPECT_EQ(webhook_state(hook).at("failure_count"), 0);
    EXPECT_EQ(update(), 1u);
}

TEST_F(WooTest, SuccessResetsTheFailureCount) {
    const auto hook = add_webhook("order.updated");
    const auto id = std::to_string(call("GET", "orders?per_page=1").at(0).at("id").as_int64());
    receiver_.status = 404;
    call("PUT", "orders/" + id, json::object{{"customer_note", "a"}});
    deliver_all();
    EXPECT_EQ(webhook_state(hook).at("failure_count"), 1);
    receiver_.status = 302;  // 200..302 succeed
    call("PUT", "orders/" + id, json::object{{"customer_note", "b"}});
    deliver_all();
    EXPECT_EQ(webhook_state(hook).at("failure_count"), 0);
}

TEST_F(WooTest, FailureThresholdIsConfigurable) {
    control("POST", "settings", json::object{{"max_delivery_failures", 1}});
    const auto hook = add_webhook("order.updated");
    const auto id = std::to_string(call("GET", "orders?per_page=1").at(0).at("id").as_int64());
    receiver_.status = 503;
    for (int i = 1; i <= 3; ++i) {
        call("PUT", "orders/" + id, json::object{{"customer_note", std::to_string(i)}});
        deliver_all();
        EXPECT_EQ(call("GET", "webhooks/" + std::to_string(hook)).at("status"),
                  i < 3 ? "active" : "disabled")
            << i;
    }
}

TEST_F(WooTest, PausedWebhooksQueueNothing) {
    const auto hook = add_webhook("order.updated");
    call("PUT", "webhooks/" + std::to_string(hook), json::object{{"status", "paused"}});
    receiver_.requests.clear();
    call("PUT",
         "orders/" + std::to_string(call("GET", "orders?per_page=1").at(0).at("id").as_int64()),
         json::object{{"customer_note", "x"}});
    deliver_all();
    EXPECT_TRUE(take_deliveries().empty());
}

TEST_F(WooTest, ApiCreatedOrderFiresOnlyOrderCreated) {
    add_webhook("order.created");
    add_webhook("order.updated");
    const auto order = call(
        "POST", "orders",
        json::object{{"customer_id", 4},
                     {"set_paid", true},
                     {"line_items", json::array{json::object{{"sku", "P10004"}, {"quantity", 3}}}}},
        201);
    EXPECT_EQ(order.at("status"), "processing");
    EXPECT_FALSE(order.at("date_paid_gmt").is_null());
    EXPECT_EQ(call("GET", "customers/4").at("is_paying_customer"), true);
    deliver_all();
    const auto deliveries = take_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(header(deliveries[0], "X-WC-Webhook-Topic"), "order.created");
}

TEST_F(WooTest, OrdersFilterByStatusAndTrashIsHiddenFromAny) {
    for (const auto& order : list("orders?status=completed&per_page=100")) {
        EXPECT_EQ(order.at("status"), "completed");
    }
    const auto id = std::to_string(call("GET", "orders?per_page=1").at(0).at("id").as_int64());
    const auto before = header(raw("GET", "orders"), "X-WP-Total");
    EXPECT_EQ(call("DELETE", "orders/" + id).at("status"), "trash");
    EXPECT_EQ(std::stoi(header(raw("GET", "orders"), "X-WP-Total")), std::stoi(before) - 1);
    EXPECT_EQ(list("orders?status=trash").size(), 1u);
    EXPECT_EQ(raw("GET", "orders?status=shipped").status, 400);
}

TEST_F(WooTest, ProductAndCustomerEventsAreDelivered) {
    add_webhook("product.created");
    add_webhook("customer.created");
    receiver_.requests.clear();
    const auto product =
        call("POST", "products",
             json::object{{"name", "New"}, {"sku", "N-1"}, {"regular_price", "5"}}, 201);
    EXPECT_EQ(product.at("regular_price"), "5.00");
    call("POST", "customers", json::object{{"email", "x@example.org"}}, 201);
    call("POST", "products", json::object{{"name", "Bad"}, {"regular_price", 5}}, 400);
    deliver_all();
    std::set<std::string> topics;
    for (const auto& d : take_deliveries()) topics.insert(header(d, "X-WC-Webhook-Topic"));
    EXPECT_EQ(topics, (std::set<std::string>{"product.created", "customer.created"}));
}

// ---- Control and determinism --------------------------------------------------------------------

TEST_F(WooTest, ControlAddsNotesAndEditsProducts) {
    const auto id = std::to_string(call("GET", "orders?per_page=1").at(0).at("id").as_int64());
    control("POST", "orders/" + id + "/note",
            json::object{{"note", "Packed"}, {"customer_note", true}}, 201);
    const auto notes = call("GET", "orders/" + id + "/notes");
    ASSERT_EQ(notes.as_array().size(), 1u);
    EXPECT_EQ(notes.at(0).at("note"), "Packed");
    const auto product = std::to_string(first_product_id());
    control("POST", "products/" + product, json::object{{"sale_price", "1.00"}});
    EXPECT_EQ(call("GET", "products/" + product).at("price"), "1.00");
    const auto refund =
        control("POST", "orders/" + id + "/refund", json::object{{"amount", "0.50"}}, 201);
    EXPECT_EQ(refund.at("refunded_payment"), false);
}

// ---- Seeded volume ------------------------------------------------------------------------------

TEST_F(WooTest, AChangedSeededOrderIsListedOnceWithItsChange) {
    const auto first = list("orders?orderby=id&order=asc&per_page=100");
    ASSERT_EQ(first.size(), 60u);
    const std::string id = std::to_string(first.at(5).at("id").as_int64());
    const std::string before = json::serialize(call("GET", "orders/" + id));
    EXPECT_EQ(json::serialize(call("GET", "orders/" + id)), before);  // A read changes nothing.

    clock_.advance(1h);
    call("PUT", "orders/" + id, json::object{{"customer_note", "Ring twice"}});
    const auto again = list("orders?orderby=id&order=asc&per_page=100");
    ASSERT_EQ(again.size(), 60u);
    EXPECT_EQ(again.at(5).at("customer_note"), "Ring twice");
    EXPECT_EQ(again.at(5).at("order_key"), first.at(5).at("order_key"));
    EXPECT_EQ(again.at(5).at("line_items"), first.at(5).at("line_items"));
    EXPECT_EQ(again.at(6), first.at(6));
    // Newest modified first: the changed order leads.
    EXPECT_EQ(list("orders?orderby=modified&per_page=1").at(0).at("id"), first.at(5).at("id"));

    call("DELETE", "orders/" + id + "?force=true");
    EXPECT_EQ(raw("GET", "orders/" + id).status, 404);
    EXPECT_EQ(list("orders?orderby=id&order=asc&per_page=100").size(), 59u);
    EXPECT_EQ(control("GET", "state").at("counts").at("orders"), 59);
}

TEST_F(WooTest, SeededOrdersKeepTheirLinesWhenProductsChangeLater) {
    const auto order = list("orders?orderby=id&order=asc&per_page=1").at(0);
    const auto& line = order.at("line_items").at(0);
    call("PUT", "products/" + std::to_string(line.at("product_id").as_int64()),
         json::object{{"name", "Renamed"}, {"regular_price", "999.00"}});
    const auto shown = call("GET", "orders/" + std::to_string(order.at("id").as_int64()));
    EXPECT_EQ(shown.at("line_items").at(0), line);
}

TEST_F(WooTest, PagesInEveryOrderAgreeWithAFullSort) {
    // Only the requested page is put in order: walking every page must still give each order
    // once, in order, whatever the sort.
    for (const std::string sort :
         {"orderby=date&order=desc", "orderby=modified&order=asc", "orderby=id&order=desc"}) {
        std::vector<std::int64_t> ids;
        std::string previous;
        for (int page = 1; page <= 7; ++page) {
            for (const auto& order :
                 list("orders?" + sort + "&per_page=9&page=" + std::to_string(page))) {
                ids.push_back(order.at("id").as_int64());
                const bool by_modified = sort.starts_with("orderby=modified");
                const std::string key(
                    order.at(by_modified ? "date_modified_gmt" : "date_created_gmt").as_string());
                if (sort.starts_with("orderby=date")) {
                    if (!previous.empty()) {
                        EXPECT_GE(previous, key) << sort;
                    }
                } else if (by_modified) {
                    if (!previous.empty()) {
                        EXPECT_LE(previous, key) << sort;
                    }
                }
                previous = key;
            }
        }
        std::sort(ids.begin(), ids.end());
        EXPECT_EQ(ids.size(), 60u) << sort;
        EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << sort;
    }
}

TEST(WooVolume, SeedsPastTheOldHundredThousandCapAndPagesToTheEnd) {
    constexpr std::size_t kVolume = 150'000;
    ManualClock clock(*parse_iso8601("2024-01-15T15:00:00Z"));
    CapturingTransport receiver;
    WooCommerceEmulator woo(
        EmulatorContext{.clock = clock, .outbound = receiver, .seed = 3, .volume = kVolume});
    const auto get = [&](const std::string& target) {
        net::HttpRequest request;
        request.url = std::string(kApi) + target + "&consumer_key=" + woo.consumer_key() +
                      "&consumer_secret=" + woo.consumer_secret();
        return woo.handle(request);
    };
    const auto first = get("orders?per_page=100&page=1");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(header(first, "X-WP-Total"), "150000");
    EXPECT_EQ(header(first, "X-WP-TotalPages"), "1500");
    const auto last = get("orders?per_page=100&page=1500");
    ASSERT_EQ(last.status, 200);
    EXPECT_EQ(json::parse(last.body).as_array().size(), 100u);
    EXPECT_TRUE(json::parse(get("orders?per_page=100&page=1501").body).as_array().empty());
}

TEST(WooDeterminism, SameSeedSameDataOtherSeedOtherData) {
    const auto state = [](std::uint64_t seed) {
        ManualClock clock(*parse_iso8601("2024-01-15T15:00:00Z"));
        CapturingTransport receiver;
        WooCommerceEmulator woo(
            EmulatorContext{.clock = clock, .outbound = receiver, .seed = seed, .volume = 120});
        net::HttpRequest request;
        const auto body = woo.control(request, "state").body;
        return body + woo.consumer_key() + woo.consumer_secret();
    };
    EXPECT_EQ(state(11), state(11));
    EXPECT_NE(state(11), state(12));
}

TEST(WooHost, ServesThroughTheSandboxHost) {
    ManualClock clock;
    CapturingTransport outbound;
    SandboxHost host(clock, outbound, SandboxHostOptions{.seed = 3, .volume = 30});
    host.add("woocommerce", make_woocommerce_emulator);
    host.set_base_url("woocommerce", "http://woo.sandbox.test");
    const auto info = host.ports().at("woocommerce").as_object();
    EXPECT_EQ(info.at("base_url"), "http://woo.sandbox.test/wp-json/wc/v3");
    net::HttpRequest request;
    request.url =
        "/wp-json/wc/v3/orders?consumer_key=" + std::string(info.at("consumer_key").as_string()) +
        "&consumer_secret=" + std::string(info.at("consumer_secret").as_string());
    EXPECT_EQ(host.handle("woocommerce", request).status, 200);
    net::HttpRequest state;
    state.url = "/__sandbox/state";
    EXPECT_EQ(host.handle("woocommerce", state).status, 200);
}

}  // namespace
}  // namespace mlc::sandbox::woocommerce
