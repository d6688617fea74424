// WooCommerceClient end to end against the WooCommerce emulator (src/sandbox/woocommerce), in
// process: the same bytes a real server would carry, with a ManualClock driving both sides.
#include "connectors/woocommerce/woocommerce_client.hpp"

#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/woocommerce/woocommerce_json.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "sandbox/woocommerce/woocommerce_emulator.hpp"

namespace mlc::connectors::woocommerce {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kSite = "http://woocommerce.sandbox.test";
constexpr std::uint32_t kPagesMax = 1'000;  // Every listing loop in these tests stops here.

UtcTime utc(std::string_view iso) { return parse_iso8601(iso).value(); }
Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

// Records each request that left the client (after the client's own private header is gone)
// and can strip Authorization as some hosts' proxies do.
class RecordingTransport final : public net::HttpTransport {
  public:
    explicit RecordingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        requests.push_back(request);
        if (!strip_authorization) return inner_.send(request, options);
        net::HttpRequest stripped = request;
        std::erase_if(stripped.headers,
                      [](const auto& header) { return header.first == "Authorization"; });
        return inner_.send(stripped, options);
    }
    std::vector<net::HttpRequest> requests;
    bool strip_authorization = false;

  private:
    net::HttpTransport& inner_;
};

class WooClientTest : public ::testing::Test {
  protected:
    explicit WooClientTest(std::size_t volume = 250)
        : clock_(utc("2024-03-15T12:00:00Z")),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = volume}),
          recording_(transport_) {
        host_.add("woocommerce", sandbox::woocommerce::make_woocommerce_emulator);
        sandbox::serve_in_process(host_, transport_);
        const auto info = host_.ports().at("woocommerce").as_object();
        EXPECT_EQ(info.at("site_url").as_string(), kSite);
        (void)vault_.put("woo.key", std::string(info.at("consumer_key").as_string()));
        (void)vault_.put("woo.secret", std::string(info.at("consumer_secret").as_string()));
        transport_.add_route("http://receiver.test",
                             [](const net::HttpRequest&) { return net::json_response(200, "{}"); });
    }

    std::unique_ptr<WooCommerceClient> make_client(AuthMode auth = AuthMode::kBasic,
                                                   std::string secret_name = "woo.secret",
                                                   std::string key_name = "woo.key") {
        return std::make_unique<WooCommerceClient>(
            WooCommerceClientConfig{.name = "woo-sandbox",
                                    .base_url = std::string(kSite),
                                    .auth = auth,
                                    .consumer_key_secret = std::move(key_name),
                                    .consumer_secret_secret = std::move(secret_name)},
            WooCommerceDependencies{
                .transport = recording_, .clock = clock_, .limiters = limiters_, .vault = vault_});
    }

    net::HttpResponse control(std::string method, std::string route, std::string body = {}) {
        net::HttpRequest request;
        request.method = std::move(method);
        request.url = "/__sandbox/" + std::move(route);
        request.body = std::move(body);
        return host_.handle("woocommerce", request);
    }
    json::object state() { return json::parse(control("GET", "state").body).as_object(); }

    // Every order modified after `since`, page by page, as a poller would read them.
    std::vector<Record<model::Order>> list_all(WooCommerceClient& client,
                                               std::optional<UtcTime> since,
                                               std::uint32_t per_page) {
        std::vector<Record<model::Order>> out;
        for (std::uint32_t page = 1; page <= kPagesMax; ++page) {
            auto listed =
                client.list_orders({.modified_after = since, .page = page, .per_page = per_page});
            EXPECT_TRUE(listed) << listed.error().describe();
            if (!listed) break;
            EXPECT_TRUE(listed->rejected.empty());
            for (auto& record : listed->items) out.push_back(std::move(record));
            if (!listed->more) break;
        }
        return out;
    }

    model::Item item(std::string sku, std::string price) {
        model::Item out;
        out.sku = std::move(sku);
        out.description = "Part " + out.sku;
        out.unit_price = dec(price);
        out.quantity_on_hand = Decimal::from_int(7);
        return out;
    }

    ManualClock clock_;
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    RecordingTransport recording_;
    net::RateLimiterRegistry limiters_;
    auth::testing::FakeVault vault_;
};

// ---- Paging ----------------------------------------------------------------------------------

TEST_F(WooClientTest, ListsEveryOrderOnceAcrossPagesInModifiedOrder) {
    auto client = make_client();
    auto first = client->list_orders({.page = 1, .per_page = 100});
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->total, 250u);
    EXPECT_TRUE(first->more);
    EXPECT_EQ(first->next_page, 2u);

    const auto all = list_all(*client, std::nullopt, 100);
    ASSERT_EQ(all.size(), 250u);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < all.size(); ++i) {
        ids.insert(all[i].value.source.key);
        if (i > 0) {
            EXPECT_LE(all[i - 1].value.modified_at, all[i].value.modified_at);
        }
    }
    EXPECT_EQ(ids.size(), 250u);
    EXPECT_EQ(recording_.requests.size(), 4u);  // 1 + 3 pages of 100.
}

TEST_F(WooClientTest, LastPageSaysNoMore) {
    auto client = make_client();
    auto last = client->list_orders({.page = 3, .per_page = 100});
    ASSERT_TRUE(last) << last.error().describe();
    EXPECT_EQ(last->items.size(), 50u);
    EXPECT_FALSE(last->more);
    EXPECT_EQ(last->next_page, 0u);
}

TEST_F(WooClientTest, PageSizeAboveWooMaximumIsCappedAtHundred) {
    auto client = make_client();
    auto page = client->list_orders({.page = 1, .per_page = 500});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->items.size(), kPerPageMax);
    EXPECT_EQ(net::query_param(recording_.requests.back().url, "per_page"), "100");
}

TEST_F(WooClientTest, ModifiedAfterIsUtcWhateverTheStoreTimeZone) {
    ASSERT_EQ(control("POST", "settings", R"({"timezone":"Asia/Tokyo"})").status, 200);
    auto client = make_client();
    const auto all = list_all(*client, std::nullopt, 100);
    ASSERT_EQ(all.size(), 250u);
    const UtcTime cutoff = all[200].value.modified_at;
    const auto later = list_all(*client, cutoff, 100);
    std::size_t expected = 0;
    for (const auto& record : all) expected += record.value.modified_at > cutoff ? 1 : 0;
    EXPECT_EQ(later.size(), expected);
    for (const auto& record : later) EXPECT_GT(record.value.modified_at, cutoff);
    const auto& url = recording_.requests.back().url;
    EXPECT_EQ(net::query_param(url, "dates_are_gmt"), "true");
    EXPECT_EQ(net::query_param(url, "modified_after"), gmt_request_time(cutoff));
}

TEST_F(WooClientTest, ChangedOrdersAppearAfterTheCursor) {
    auto client = make_client();
    const UtcTime cursor = clock_.now();
    clock_.advance(1h);
    ASSERT_EQ(control("POST", "checkout",
                      R"({"customer_id":1,"lines":[{"sku":"P10002",)"
                      R"("quantity":2}]})")
                  .status,
              201);
    auto changed = client->list_changed({.since = cursor, .page = 1});
    ASSERT_TRUE(changed) << changed.error().describe();
    ASSERT_EQ(changed->items.size(), 1u);
    const auto& order = changed->items.front().value;
    EXPECT_EQ(order.status, model::OrderStatus::kOpen);
    ASSERT_EQ(order.lines.size(), 1u);
    EXPECT_EQ(order.lines.front().sku, "P10002");
    EXPECT_EQ(order.lines.front().quantity, Decimal::from_int(2));
    EXPECT_EQ(order.ordered_at, std::chrono::floor<std::chrono::seconds>(clock_.now()));
}

// ---- Auth ------------------------------------------------------------------------------------

TEST_F(WooClientTest, BasicAuthSendsTheKeyPairInTheAuthorizationHeader) {
    auto client = make_client(AuthMode::kBasic);
    ASSERT_TRUE(client->list_orders({.page = 1, .per_page = 1}));
    const auto& request = recording_.requests.back();
    EXPECT_TRUE(net::find_header(request.headers, "Authorization"));
    EXPECT_FALSE(net::query_param(request.url, "consumer_key"));
    EXPECT_FALSE(net::find_header(request.headers, "X-Mlc-Woo-Call"));
}

TEST_F(WooClientTest, QueryAuthSendsTheKeyPairAsParameters) {
    auto client = make_client(AuthMode::kQuery);
    auto page = client->list_orders({.page = 2, .per_page = 5});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->items.size(), 5u);
    const auto& request = recording_.requests.back();
    EXPECT_FALSE(net::find_header(request.headers, "Authorization"));
    EXPECT_EQ(net::query_param(request.url, "consumer_key"), vault_.get("woo.key").value());
    EXPECT_EQ(net::query_param(request.url, "consumer_secret"), vault_.get("woo.secret").value());
}

TEST_F(WooClientTest, WrongSecretIsAnAuthFailureNamingTheSecretToFix) {
    ASSERT_TRUE(vault_.put("woo.bad", "cs_wrong"));
    for (const AuthMode mode : {AuthMode::kBasic, AuthMode::kQuery}) {
        auto client = make_client(mode, "woo.bad");
        auto page = client->list_orders({.page = 1});
        ASSERT_FALSE(page);
        EXPECT_EQ(page.error().code, ErrorCode::kAuthFailed);
        EXPECT_EQ(page.error().http_status, 401);
        EXPECT_NE(page.error().message.find("consumer secret is wrong"), std::string::npos)
            << page.error().message;
        EXPECT_NE(page.error().message.find("mlc secret set woo.bad"), std::string::npos);
        EXPECT_EQ(page.error().message.find("cs_wrong"), std::string::npos);
    }
}

TEST_F(WooClientTest, WrongKeyNamesTheKeySecret) {
    ASSERT_TRUE(vault_.put("woo.badkey", "ck_wrong"));
    auto client = make_client(AuthMode::kBasic, "woo.secret", "woo.badkey");
    auto page = client->list_orders({.page = 1});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(page.error().message.find("consumer key is wrong"), std::string::npos);
    EXPECT_NE(page.error().message.find("mlc secret set woo.badkey"), std::string::npos);
}

TEST_F(WooClientTest, StrippedAuthorizationHeaderSuggestsQueryAuth) {
    recording_.strip_authorization = true;
    auto client = make_client(AuthMode::kBasic);
    auto page = client->list_orders({.page = 1});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(page.error().message.find("auth: query"), std::string::npos) << page.error().message;
    // The same store answers once the key pair travels in the query.
    EXPECT_TRUE(make_client(AuthMode::kQuery)->list_orders({.page = 1}));
}

TEST_F(WooClientTest, MissingVaultSecretIsAConfigErrorNamingIt) {
    auto client = make_client(AuthMode::kQuery, "woo.never-set");
    auto page = client->list_orders({.page = 1});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kConfig);
    EXPECT_NE(page.error().message.find("woo.never-set"), std::string::npos);
    EXPECT_TRUE(recording_.requests.empty());
}

TEST_F(WooClientTest, BaseUrlMayBeGivenWithTheApiPath) {
    auto client = std::make_unique<WooCommerceClient>(
        WooCommerceClientConfig{.name = "woo-api-path",
                                .base_url = std::string(kSite) + "/wp-json/wc/v3/",
                                .consumer_key_secret = "woo.key",
                                .consumer_secret_secret = "woo.secret"},
        WooCommerceDependencies{
            .transport = recording_, .clock = clock_, .limiters = limiters_, .vault = vault_});
    EXPECT_TRUE(client->list_orders({.page = 1, .per_page = 1}));
    EXPECT_EQ(net::url_path(recording_.requests.back().url), "/wp-json/wc/v3/orders");
}

// ---- Money and dates -------------------------------------------------------------------------

TEST_F(WooClientTest, OrderMoneyIsExactAndDatesAreTheGmtFields) {
    auto client = make_client();
    auto page = client->list_orders({.page = 1, .per_page = 20});
    ASSERT_TRUE(page) << page.error().describe();
    for (const auto& record : page->items) {
        auto order = client->get_order(std::stoll(record.value.source.id));
        ASSERT_TRUE(order) << order.error().describe();
        const auto& raw = order->raw;
        const auto& value = order->record.value;
        EXPECT_EQ(value.total, dec(raw.at("total").as_string()));
        EXPECT_EQ(value.shipping_total, dec(raw.at("shipping_total").as_string()));
        EXPECT_EQ(value.ordered_at, utc(std::string(raw.at("date_created_gmt").as_string()) + "Z"));
        EXPECT_EQ(value.modified_at,
                  utc(std::string(raw.at("date_modified_gmt").as_string()) + "Z"));
        // The lines add up to the total to the cent.
        Decimal sum = value.shipping_total + value.tax_total;
        for (const auto& line : value.lines) {
            sum += line.unit_price.mul(line.quantity) - line.discount;
        }
        EXPECT_EQ(sum, value.total) << value.source.key;
    }
}

TEST_F(WooClientTest, RawOrderKeepsFieldsTheModelLacks) {
    auto client = make_client();
    auto page = client->list_orders({.page = 1, .per_page = 1});
    ASSERT_TRUE(page);
    const std::int64_t id = std::stoll(page->items.front().value.source.id);
    ASSERT_EQ(
        control("POST", "orders/" + std::to_string(id) + "/status", R"({"status":"completed"})")
            .status,
        200);
    auto order = client->get_order(id);
    ASSERT_TRUE(order) << order.error().describe();
    EXPECT_TRUE(order->raw.contains("date_modified_gmt"));
    EXPECT_TRUE(order->raw.contains("meta_data"));
    EXPECT_EQ(order->record.value.status, model::OrderStatus::kCompleted);
    auto raws = client->list_orders_raw({.page = 1, .per_page = 10});
    ASSERT_TRUE(raws);
    ASSERT_EQ(raws->size(), 10u);
    for (const auto& item : *raws) {
        EXPECT_EQ(std::to_string(item.raw.at("id").as_int64()), item.record.value.source.id);
    }
}

TEST_F(WooClientTest, RefundsArePositiveAmountsOfTheOrder) {
    auto client = make_client();
    std::optional<std::int64_t> refunded;
    for (const auto& record : list_all(*client, std::nullopt, 100)) {
        const auto raw = json::parse(record.raw).as_object();
        if (!raw.at("refunds").as_array().empty()) {
            refunded = raw.at("id").as_int64();
            break;
        }
    }
    ASSERT_TRUE(refunded);
    auto refunds = client->list_refunds(*refunded);
    ASSERT_TRUE(refunds) << refunds.error().describe();
    ASSERT_EQ(refunds->size(), 1u);
    const auto& refund = refunds->front().value;
    EXPECT_FALSE(refund.amount.is_negative());
    EXPECT_FALSE(refund.amount.is_zero());
    EXPECT_EQ(refund.order.key, std::to_string(*refunded));
    EXPECT_EQ(refund.currency, "USD");
    EXPECT_EQ(refund.reason, "Damaged in transit");
}

TEST_F(WooClientTest, UnknownOrderIsNotFoundNamingIt) {
    auto client = make_client();
    auto order = client->get_order(999'999'999);
    ASSERT_FALSE(order);
    EXPECT_EQ(order.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(order.error().record_key, "order 999999999");
}

// ---- Products --------------------------------------------------------------------------------

TEST_F(WooClientTest, ProductBySkuFindsExactlyThatSku) {
    auto client = make_client();
    auto found = client->product_by_sku("P10004");
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->value.sku, "P10004");
    EXPECT_EQ((*found)->value.source.key, "P10004");
    EXPECT_FALSE((*found)->value.revision.empty());
    auto missing = client->product_by_sku("NOPE-1");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_F(WooClientTest, ProductsListModifiedAfterAndPages) {
    auto client = make_client();
    auto page = client->list_products({.page = 1, .per_page = 10});
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->items.size(), 10u);
    EXPECT_EQ(page->total, 62u);  // volume 250 / 4.
    EXPECT_TRUE(page->more);
    auto none = client->list_products({.page = 1, .modified_after = clock_.now()});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->items.empty());
    EXPECT_FALSE(none->more);
}

TEST_F(WooClientTest, BatchCreatesAndUpdatesAndReportsEachRefusedObject) {
    auto client = make_client();
    auto existing = client->product_by_sku("P10001");
    ASSERT_TRUE(existing && existing->has_value());
    const std::int64_t existing_id = std::stoll((*existing)->value.source.id);
    model::Item changed = (*existing)->value;
    changed.unit_price = dec("12.34");

    auto result = client->batch_products(
        {.create = {item("NEW-1", "19.99"), item("P10002", "1.00"), item("NEW-2", "5.5")},
         .update = {{.id = existing_id, .item = changed},
                    {.id = 424242, .item = item("GHOST", "1.00")}}});
    ASSERT_TRUE(result) << result.error().describe();
    ASSERT_EQ(result->created.size(), 3u);
    ASSERT_EQ(result->updated.size(), 2u);
    EXPECT_TRUE(result->created[0].product);
    EXPECT_EQ(result->created[0].product->value.unit_price, dec("19.99"));
    EXPECT_NE(result->created[0].id, 0);
    ASSERT_TRUE(result->created[1].error);
    EXPECT_EQ(result->created[1].error->code, ErrorCode::kConflict);
    EXPECT_EQ(result->created[1].error->record_key, "product SKU P10002");
    EXPECT_TRUE(result->created[2].product);
    EXPECT_EQ(result->created[2].product->value.unit_price, dec("5.50"));
    ASSERT_TRUE(result->updated[0].product);
    EXPECT_EQ(result->updated[0].product->value.unit_price, dec("12.34"));
    ASSERT_TRUE(result->updated[1].error);
    EXPECT_EQ(result->updated[1].error->code, ErrorCode::kNotFound);

    auto created = client->product_by_sku("NEW-2");
    ASSERT_TRUE(created && created->has_value());
    EXPECT_EQ((*created)->value.quantity_on_hand, Decimal::from_int(7));
}

TEST_F(WooClientTest, BatchOfHundredGoesInOneCallAndMoreIsRefusedBeforeSending) {
    auto client = make_client();
    BatchProductsRequest request;
    for (int i = 0; i < 100; ++i) request.create.push_back(item("B-" + std::to_string(i), "2.00"));
    auto hundred = client->batch_products(request);
    ASSERT_TRUE(hundred) << hundred.error().describe();
    EXPECT_EQ(hundred->created.size(), 100u);
    for (const auto& created : hundred->created) EXPECT_TRUE(created.product) << created.sku;
    const std::size_t sent = recording_.requests.size();

    request.create.push_back(item("B-100", "2.00"));
    auto too_many = client->batch_products(request);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(too_many.error().message.find("at most 100"), std::string::npos);
    EXPECT_EQ(recording_.requests.size(), sent);
}

// ---- Customers -------------------------------------------------------------------------------

TEST_F(WooClientTest, CustomersCreateFindUpdateAndRefuseDuplicateEmail) {
    auto client = make_client();
    model::Party party;
    party.name = "Ada King Lovelace";
    party.email = "ada@example.org";
    party.billing.street1 = "1 Analytical Way";
    party.billing.city = "London";
    auto created = client->create_customer(party);
    ASSERT_TRUE(created) << created.error().describe();
    EXPECT_EQ(created->value.name, "Ada King Lovelace");
    EXPECT_EQ(created->value.billing.city, "London");
    EXPECT_EQ(created->value.billing.email, "ada@example.org");

    auto duplicate = client->create_customer(party);
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
    EXPECT_EQ(duplicate.error().record_key, "customer ada@example.org");

    auto found = client->customer_by_email("ada@example.org");
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->value.source.id, created->value.source.id);

    party.billing.city = "Marylebone";
    auto updated = client->update_customer(std::stoll(created->value.source.id), party);
    ASSERT_TRUE(updated) << updated.error().describe();
    EXPECT_EQ(updated->value.billing.city, "Marylebone");

    auto missing = client->customer_by_email("nobody@example.org");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_F(WooClientTest, CustomersListPageByPage) {
    auto client = make_client();
    std::set<std::string> ids;
    for (std::uint32_t page = 1; page <= kPagesMax; ++page) {
        auto listed = client->list_customers({.page = page, .per_page = 30});
        ASSERT_TRUE(listed) << listed.error().describe();
        for (const auto& record : listed->items) ids.insert(record.value.source.id);
        if (!listed->more) break;
    }
    EXPECT_EQ(ids.size(), 83u);  // volume 250 / 3.
}

// ---- Webhooks --------------------------------------------------------------------------------

TEST_F(WooClientTest, WebhooksCreateListAndSetStatus) {
    auto client = make_client();
    auto created = client->create_webhook({.name = "orders",
                                           .topic = "order.updated",
                                           .delivery_url = "http://receiver.test/hooks/f/woo",
                                           .secret = "s3cret"});
    ASSERT_TRUE(created) << created.error().describe();
    EXPECT_EQ(created->status, "active");
    auto listed = client->list_webhooks();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().topic, "order.updated");
    EXPECT_EQ(listed->front().delivery_url, "http://receiver.test/hooks/f/woo");
    auto disabled = client->update_webhook_status(created->id, "disabled");
    ASSERT_TRUE(disabled);
    EXPECT_EQ(disabled->status, "disabled");
    auto active = client->update_webhook_status(created->id, "active");
    ASSERT_TRUE(active);
    EXPECT_EQ(active->status, "active");
    auto bad = client->create_webhook(
        {.name = "x", .topic = "order.exploded", .delivery_url = "http://receiver.test/x"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kRejected);
}

// ---- Retries ---------------------------------------------------------------------------------

TEST_F(WooClientTest, RateLimitedAndUnavailableAnswersAreRetried) {
    ASSERT_EQ(control("POST", "faults",
                      R"({"route_prefix":"/wp-json/","rate_429":0.3,)"
                      R"("rate_503":0.2,"rate_500":0.1})")
                  .status,
              200);
    auto client = make_client();
    const auto all = list_all(*client, std::nullopt, 25);
    EXPECT_EQ(all.size(), 250u);
    std::size_t attempts = recording_.requests.size();
    EXPECT_GT(attempts, 10u);  // 10 pages, some asked again.
    EXPECT_GT(clock_.total_slept(), 0ns);
}

TEST_F(WooClientTest, PersistentServerErrorGivesUpAsTransient) {
    ASSERT_EQ(control("POST", "faults", R"({"route_prefix":"/wp-json/","rate_500":1.0})").status,
              200);
    auto client = make_client();
    auto page = client->list_orders({.page = 1});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kTransient);
    EXPECT_EQ(page.error().http_status, 500);
    EXPECT_EQ(recording_.requests.size(), net::RetryOptions{}.max_attempts);  // The net client's.
}

TEST_F(WooClientTest, PersistentRateLimitIsRateLimitedWithRetryAfter) {
    ASSERT_EQ(control("POST", "faults", R"({"route_prefix":"/wp-json/","rate_429":1.0})").status,
              200);
    auto client = make_client();
    auto page = client->list_orders({.page = 1});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kRateLimited);
    EXPECT_TRUE(page.error().retry_after);
}

TEST_F(WooClientTest, CreatesAreNotRepeatedAfterAnUnavailableAnswer) {
    ASSERT_EQ(control("POST", "faults", R"({"route_prefix":"/wp-json/","rate_503":1.0})").status,
              200);
    auto client = make_client();
    model::Party party;
    party.name = "Once Only";
    party.email = "once@example.org";
    auto created = client->create_customer(party);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, ErrorCode::kTransient);
    EXPECT_EQ(recording_.requests.size(), 1u);
}

}  // namespace
}  // namespace mlc::connectors::woocommerce
