// The "epicor-to-woocommerce-catalog" flow end to end: the real Epicor and WooCommerce clients
// over both emulators (in process, no sockets), the SQLite store in a fresh temporary directory
// (or PostgreSQL in a schema of its own: CatalogFlowTest's tests run on both, the 2,000-part volume
// test on SQLite), and a ManualClock driving everything (Woo's rate limiter sleeps instantly).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/epicor_woocommerce/catalog_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/store_param.hpp"
#include "flows/testing/test_store.hpp"
#include "net/rate_limiter.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
namespace woo = connectors::woocommerce;

constexpr std::uint32_t kListPagesMax = 1'000;  // Bound of the test's own listing loops.

store::AuditQuery audit_query(std::optional<std::string> source_key) {
    store::AuditQuery query;
    query.flow = "catalog";
    query.source_key = std::move(source_key);
    return query;
}

class CatalogFlowTest : public ::testing::Test {
  protected:
    explicit CatalogFlowTest(testing::StoreKind store) : CatalogFlowTest(300, store) {}
    explicit CatalogFlowTest(std::size_t volume = 300,
                             testing::StoreKind store = testing::StoreKind::sqlite)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 7, .volume = volume}),
          losing_(transport_) {
        if (!testing::store_unavailable(store).empty()) return;  // OnEachStore's SetUp skips.
        testing::serve_sandboxes(host_, transport_, {"epicor", "woocommerce"});
        const json::object ports = host_.ports();
        woo_site_ = std::string(ports.at("woocommerce").at("site_url").as_string());

        std::string pattern =
            (std::filesystem::temp_directory_path() / "mlc-catalog-XXXXXX").string();
        EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        store_ = testing::TestStore::open(store, (dir_ / "state.db").string()).value();

        epicor_conn_ = testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        testing::connect_sandbox(config_, vault_, ports, "woocommerce", "shop");
        woo_ = make_woo(transport_);
        empty_shop(ports.at("woocommerce").as_object());
    }

    // These tests follow Epicor's parts and customers as they are created in WooCommerce, so the
    // shop starts without any: the Woo sandbox seeds the shared catalog's (sandbox/catalog.hpp),
    // the examples test (ExamplesOnTheSandboxes.EpicorWooCommerce*) runs the flow onto those.
    void empty_shop(const json::object& woo) {
        const auto api = [&](std::string method, const std::string& route, std::string body) {
            net::HttpRequest request;
            request.method = std::move(method);
            request.url = "/wp-json/wc/v3/" + route +
                          (route.find('?') == std::string::npos ? "?" : "&") +
                          "consumer_key=" + std::string(woo.at("consumer_key").as_string()) +
                          "&consumer_secret=" + std::string(woo.at("consumer_secret").as_string());
            request.headers = {{"Content-Type", "application/json"}};
            request.body = std::move(body);
            const net::HttpResponse answer = host_.handle("woocommerce", request);
            EXPECT_EQ(answer.status, 200) << route << ": " << answer.body;
            return json::parse(answer.body);
        };
        for (;;) {
            const json::value products = api("GET", "products?per_page=100", {});
            json::array ids;
            if (!products.is_array()) break;
            for (const auto& product : products.as_array()) ids.push_back(product.at("id"));
            if (ids.empty()) break;
            json::object batch;
            batch["delete"] = std::move(ids);
            api("POST", "products/batch", json::serialize(batch));
        }
        for (;;) {
            const json::value customers = api("GET", "customers?per_page=100", {});
            if (!customers.is_array() || customers.as_array().empty()) break;
            for (const auto& customer : customers.as_array()) {
                api("DELETE",
                    "customers/" + std::to_string(customer.at("id").as_int64()) + "?force=true",
                    {});
            }
        }
    }
    ~CatalogFlowTest() override {
        runner_.reset();
        woo_.reset();
        epicor_.reset();
        store_ = testing::TestStore();
        std::error_code ignored;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
    }

    engine::Dependencies deps(net::HttpTransport& transport) {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &transport};
    }

    std::unique_ptr<woo::WooCommerceClient> make_woo(net::HttpTransport& transport) {
        return std::make_unique<woo::WooCommerceClient>(
            woo::WooCommerceClientConfig{.name = "wc",
                                         .base_url = woo_site_,
                                         .auth = woo::AuthMode::kBasic,
                                         .consumer_key_secret = "shop.consumer_key",
                                         .consumer_secret_secret = "shop.consumer_secret"},
            woo::WooCommerceDependencies{
                .transport = transport, .clock = clock_, .limiters = limiters_, .vault = vault_});
    }

    // The flow as the recipe builds it, over the real clients; `transport` lets a test lose
    // answers. `options_` are its mlc.yaml options.
    engine::FlowRunner& runner(net::HttpTransport* transport = nullptr) {
        net::HttpTransport& used = transport != nullptr ? *transport : transport_;
        auto epicor = connections::open_epicor(epicor_conn_, deps(used));
        EXPECT_TRUE(epicor) << epicor.error().describe();
        epicor_ = std::move(*epicor);
        engine::FlowConfig flow;
        flow.name = "catalog";
        flow.recipe = "epicor-to-woocommerce-catalog";
        flow.connections = {{"source", "ep"}, {"target", "shop"}};
        flow.options = options_;
        auto built = make_catalog_runner(flow, deps(used));
        EXPECT_TRUE(built) << built.error().describe();
        runner_ = std::move(*built);
        return *runner_;
    }

    Result<engine::RunSummary> run(engine::FlowRunner& flow, bool dry_run = false) {
        return testing::run_once(flow, clock_, *store_, *log_, "catalog", dry_run);
    }

    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return testing::control(host_, system, std::move(method), std::move(route),
                                std::move(body));
    }
    void clear_requests(const std::string& system) { (void)control(system, "DELETE", "requests"); }
    // Vendor requests `system` received since the last clear: "METHOD path" each.
    std::vector<std::string> requests(const std::string& system) {
        const auto answer = control(system, "GET", "requests");
        std::vector<std::string> out;
        const json::value parsed = json::parse(answer.body);
        const json::array* list = parsed.is_array() ? &parsed.as_array()
                                  : parsed.is_object() && parsed.as_object().contains("requests")
                                      ? &parsed.as_object().at("requests").as_array()
                                      : nullptr;
        EXPECT_NE(list, nullptr) << answer.body;
        if (list == nullptr) return out;
        for (const auto& entry : *list) {
            const auto& object = entry.as_object();
            out.push_back(std::string(object.at("method").as_string()) + " " +
                          std::string(object.at("path").as_string()));
        }
        return out;
    }
    std::size_t count_requests(const std::vector<std::string>& list, std::string_view prefix) {
        return static_cast<std::size_t>(std::count_if(
            list.begin(), list.end(), [&](const std::string& r) { return r.starts_with(prefix); }));
    }
    std::size_t writes(const std::vector<std::string>& list) {
        return count_requests(list, "POST") + count_requests(list, "PUT") +
               count_requests(list, "PATCH") + count_requests(list, "DELETE");
    }

    // Woo products by SKU, as the API lists them (every status but trash).
    std::map<std::string, woo::BatchItemResult> woo_products() {
        std::map<std::string, woo::BatchItemResult> out;
        for (std::uint32_t page = 1; page <= kListPagesMax; ++page) {
            auto listed = woo_->list_products({.page = page, .per_page = 100});
            EXPECT_TRUE(listed) << listed.error().describe();
            if (!listed) break;
            for (const auto& record : listed->items) {
                EXPECT_FALSE(out.contains(record.value.sku))
                    << "two Woo products with SKU " << record.value.sku;
                out[record.value.sku] =
                    woo::BatchItemResult{.sku = record.value.sku,
                                         .id = std::stoll(record.value.source.id),
                                         .product = record,
                                         .error = {}};
            }
            if (!listed->more) break;
        }
        return out;
    }
    std::size_t epicor_parts() {
        auto rows = epicor_->client->list_rows("Erp.BO.PartSvc", "Parts", {.select = {"PartNum"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        return rows ? rows->size() : 0;
    }
    std::size_t customers_with_email() {
        auto rows = epicor_->client->list_rows("Erp.BO.CustomerSvc", "Customers",
                                               {.select = {"CustID", "EMailAddress"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::size_t count = 0;
        for (const auto& row : rows.value()) {
            if (!row.at("EMailAddress").as_string().empty()) ++count;
        }
        return count;
    }
    void upsert(const std::string& system, const std::string& route, json::object body) {
        const auto answer = control(system, "POST", route, json::serialize(body));
        ASSERT_LT(answer.status, 300) << answer.body;
    }
    std::vector<store::DeadLetter> open_letters() {
        return store_->list_dead_letters("catalog", store::DeadLetterStatus::kOpen, 100'000)
            .value();
    }

    ManualClock clock_;
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    testing::LosingTransport losing_;
    auth::testing::FakeVault vault_;
    net::RateLimiterRegistry limiters_;
    std::filesystem::path dir_;
    testing::TestStore store_;
    engine::Config config_;
    engine::ConnectionConfig epicor_conn_;
    std::string woo_site_;
    engine::ScalarMap options_;
    std::unique_ptr<woo::WooCommerceClient> woo_;  // The test's own view of the store.
    std::unique_ptr<connections::EpicorConnection> epicor_;
    std::unique_ptr<engine::FlowRunner> runner_;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::atomic<bool> stop_{false};
};

using CatalogFlowOnEachStore = testing::OnEachStore<CatalogFlowTest>;

class CatalogVolumeTest : public CatalogFlowTest {
  protected:
    CatalogVolumeTest() : CatalogFlowTest(2000) {}
};

TEST_F(CatalogVolumeTest, TwoThousandPartsLandAsTwoThousandProductsInTwentyBatchCalls) {
    options_["customers"] = "false";
    options_["page_size"] = "1000";
    auto& flow = runner();
    ASSERT_EQ(epicor_parts(), 2000u);
    const auto before = woo_products().size();
    clear_requests("woocommerce");
    clear_requests("epicor");
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    const auto woo_calls = requests("woocommerce");
    const auto epicor_calls = requests("epicor");
    EXPECT_EQ(summary->created, 2000);
    EXPECT_EQ(count_requests(woo_calls, "POST /wp-json/wc/v3/products/batch"), 20u);
    EXPECT_EQ(woo_calls.size(), 20u) << "nothing but the 20 batches: creates need no lookups";
    std::printf("[ measured ] 2,000 parts: %zu WooCommerce calls (%zu batches), %zu Epicor calls\n",
                woo_calls.size(), count_requests(woo_calls, "POST /wp-json/wc/v3/products/batch"),
                epicor_calls.size());
    const auto products = woo_products();
    EXPECT_EQ(products.size(), before + 2000);
    EXPECT_TRUE(products.contains("P12000"));
    EXPECT_EQ(store_->count_bindings("catalog").value(), 2000);

    clear_requests("woocommerce");
    auto again = run(flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated, 0);
    EXPECT_EQ(writes(requests("woocommerce")), 0u) << "a rerun writes nothing";
}

TEST_P(CatalogFlowOnEachStore, PartBecomesProductWithPriceWeightAndStatusAndAnAuditLink) {
    options_["customers"] = "false";
    upsert("epicor", "parts",
           {{"PartNum", "WEB-1"},
            {"PartDescription", "Blue widget"},
            {"IUM", "EA"},
            {"SalesUM", "EA"},
            {"TypeCode", "P"},
            {"UnitPrice", "12.3"},
            {"NetWeight", "1.25"},
            {"NetWeightUOM", "LB"}});
    auto summary = run(runner());
    ASSERT_TRUE(summary) << summary.error().describe();
    const auto products = woo_products();
    ASSERT_TRUE(products.contains("WEB-1"));
    const auto& product = products.at("WEB-1");
    EXPECT_EQ(product.product->value.description, "Blue widget");
    EXPECT_EQ(product.product->value.unit_price.to_string(2), "12.30");
    ASSERT_TRUE(product.product->value.weight);
    EXPECT_EQ(product.product->value.weight->to_string(), "1.25");
    EXPECT_TRUE(product.product->value.active);
    auto audit = store_->query_audit(audit_query("WEB-1")).value();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, store::AuditAction::kCreate);
    EXPECT_EQ(audit[0].target_ref, "woocommerce:product:" + std::to_string(product.id));
}

TEST_P(CatalogFlowOnEachStore, PriceChangeTouchesExactlyOneProduct) {
    options_["customers"] = "false";
    auto& flow = runner();
    ASSERT_TRUE(run(flow));
    const auto before = woo_products();
    upsert("epicor", "parts", {{"PartNum", "P10007"}, {"UnitPrice", "77.70"}});
    clear_requests("woocommerce");
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    EXPECT_EQ(summary->created, 0);
    const auto calls = requests("woocommerce");
    EXPECT_EQ(writes(calls), 1u);
    const auto after = woo_products();
    EXPECT_EQ(after.at("P10007").product->value.unit_price.to_string(2), "77.70");
    std::size_t changed = 0;
    for (const auto& [sku, product] : after) {
        if (product.product->value.unit_price != before.at(sku).product->value.unit_price) {
            ++changed;
        }
    }
    EXPECT_EQ(changed, 1u);
}

TEST_P(CatalogFlowOnEachStore, InactivePartBecomesDraftAndIsNeverDeleted) {
    options_["customers"] = "false";
    auto& flow = runner();
    ASSERT_TRUE(run(flow));
    upsert("epicor", "parts", {{"PartNum", "P10003"}, {"InActive", false}});
    ASSERT_TRUE(run(flow));
    ASSERT_TRUE(woo_products().at("P10003").product->value.active);
    const auto count = woo_products().size();
    upsert("epicor", "parts", {{"PartNum", "P10003"}, {"InActive", true}});
    clear_requests("woocommerce");
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    const auto calls = requests("woocommerce");
    EXPECT_EQ(count_requests(calls, "DELETE"), 0u);
    const auto products = woo_products();
    EXPECT_EQ(products.size(), count);
    EXPECT_FALSE(products.at("P10003").product->value.active) << "status draft";
}

TEST_P(CatalogFlowOnEachStore, DryRunWritesNothingToWooNorToTheStore) {
    auto& flow = runner();
    const auto before = woo_products().size();
    clear_requests("woocommerce");
    auto summary = run(flow, /*dry_run=*/true);
    ASSERT_TRUE(summary) << summary.error().describe();
    // Counted, not written: 300 parts and every customer with an e-mail.
    EXPECT_EQ(summary->created, static_cast<std::int64_t>(300 + customers_with_email()));
    EXPECT_EQ(writes(requests("woocommerce")), 0u);
    EXPECT_EQ(woo_products().size(), before);
    EXPECT_EQ(store_->count_bindings("catalog").value(), 0);
    EXPECT_FALSE(store_->get_cursor("catalog", kPartsStream).value());
    EXPECT_TRUE(store_->query_audit(audit_query({})).value().empty());
    EXPECT_TRUE(open_letters().empty());
}

TEST_P(CatalogFlowOnEachStore, CustomersLandOncePerEmailAndTheOnesWithoutAreReported) {
    options_["parts"] = "false";
    auto& flow = runner();
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    auto rows = epicor_->client->list_rows("Erp.BO.CustomerSvc", "Customers",
                                           {.select = {"CustID", "EMailAddress"}});
    ASSERT_TRUE(rows);
    std::set<std::string> no_email;
    std::size_t with_email = 0;
    for (const auto& row : *rows) {
        const std::string email(row.at("EMailAddress").as_string());
        if (email.empty()) {
            no_email.insert(std::string(row.at("CustID").as_string()));
            continue;
        }
        ++with_email;
        auto found = woo_->customer_by_email(email);
        ASSERT_TRUE(found) << found.error().describe();
        EXPECT_TRUE(found->has_value()) << email << " is not a Woo customer";
    }
    ASSERT_FALSE(no_email.empty()) << "the seed leaves about one customer in four without e-mail";
    EXPECT_EQ(summary->created, static_cast<std::int64_t>(with_email));
    EXPECT_EQ(summary->parked, static_cast<std::int64_t>(no_email.size()));
    std::set<std::string> reported;
    for (const auto& letter : open_letters()) {
        EXPECT_EQ(letter.source_system, kCustomerSystem);
        EXPECT_NE(letter.error_message.find(letter.source_key), std::string::npos);
        EXPECT_NE(letter.error_message.find("add an email in Epicor"), std::string::npos)
            << letter.error_message;
        reported.insert(letter.source_key);
    }
    EXPECT_EQ(reported, no_email);
    const std::string first = *no_email.begin();
    auto audit = store_->query_audit(audit_query(first)).value();
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, store::AuditAction::kPark);

    // Adding the e-mail in Epicor heals it on the next run.
    upsert("epicor", "customers", {{"CustID", first}, {"EMailAddress", "fixed@example.com"}});
    auto healed = run(flow);
    ASSERT_TRUE(healed) << healed.error().describe();
    EXPECT_EQ(healed->created, 1);
    EXPECT_TRUE(woo_->customer_by_email("fixed@example.com").value().has_value());
    EXPECT_EQ(open_letters().size(), no_email.size() - 1);
}

TEST_P(CatalogFlowOnEachStore, TwoEpicorCustomersWithOneEmailAreReportedAndWrittenOnce) {
    options_["parts"] = "false";
    const std::string shared = "shared-desk@example.com";
    upsert("epicor", "customers",
           {{"CustID", "D-1"}, {"Name", "Desk One"}, {"EMailAddress", shared}});
    upsert("epicor", "customers",
           {{"CustID", "D-2"}, {"Name", "Desk Two"}, {"EMailAddress", shared}});
    auto& flow = runner();
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    // A later run meets a third one: found through the store's binding of the Woo customer.
    upsert("epicor", "customers",
           {{"CustID", "D-3"}, {"Name", "Desk 3"}, {"EMailAddress", shared}});
    ASSERT_TRUE(run(flow));

    auto found = woo_->customer_by_email(shared);
    ASSERT_TRUE(found && found->has_value());
    const std::string woo_id =
        (*found)->value.source.id.empty() ? (*found)->value.source.key : (*found)->value.source.id;
    auto owner = store_->get_binding("catalog", kCustomerSystem, "D-1").value();
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->target_id, "customer:" + woo_id);
    for (const std::string duplicate : {"D-2", "D-3"}) {
        EXPECT_FALSE(store_->get_binding("catalog", kCustomerSystem, duplicate).value());
        const store::DeadLetter* letter = nullptr;
        const auto letters = open_letters();
        for (const auto& open : letters) {
            if (open.source_key == duplicate) letter = &open;
        }
        ASSERT_NE(letter, nullptr) << duplicate;
        EXPECT_EQ(letter->error_code, "conflict");
        EXPECT_NE(letter->error_message.find("D-1"), std::string::npos);
        EXPECT_NE(letter->error_message.find(shared), std::string::npos);
        auto audit = store_->query_audit(audit_query(duplicate)).value();
        ASSERT_EQ(audit.size(), 1u) << duplicate;
        EXPECT_EQ(audit[0].action, store::AuditAction::kPark);
        // A park's audit row names no target (pipeline::Parking has no target ref): the letter
        // names the Woo customer the first one was written to.
        EXPECT_NE(letter->error_message.find("woocommerce:customer:" + woo_id), std::string::npos)
            << letter->error_message;
    }
}

TEST_P(CatalogFlowOnEachStore, ShopAccountWithTheSameEmailIsAdoptedNotDuplicated) {
    options_["parts"] = "false";
    model::Party shopper;
    shopper.name = "Web Shopper";
    shopper.email = "orders3@example.com";
    auto created = woo_->create_customer(shopper);
    ASSERT_TRUE(created) << created.error().describe();
    upsert("epicor", "customers", {{"CustID", "C00003"}, {"EMailAddress", "orders3@example.com"}});
    auto summary = run(runner());
    ASSERT_TRUE(summary) << summary.error().describe();
    auto binding = store_->get_binding("catalog", kCustomerSystem, "C00003").value();
    ASSERT_TRUE(binding);
    const std::string id =
        created->value.source.id.empty() ? created->value.source.key : created->value.source.id;
    EXPECT_EQ(binding->target_id, "customer:" + id);
}

TEST_P(CatalogFlowOnEachStore, LostBatchAnswerIsLookedUpBySkuNeverCreatedTwice) {
    options_["customers"] = "false";
    losing_.lose("/products/batch", 2);
    auto& flow = runner(&losing_);
    auto failed = run(flow);
    ASSERT_FALSE(failed) << "the second batch's answer was lost";
    auto pending = store_->list_bindings("catalog", store::BindingState::kPending, 1000).value();
    EXPECT_EQ(pending.size(), 100u) << "the lost batch's creates stay pending";
    clear_requests("woocommerce");
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    const auto calls = requests("woocommerce");
    EXPECT_GE(count_requests(calls, "GET /wp-json/wc/v3/products"), 1u) << "looked up by SKU";
    // The lost batch's products were found by SKU and completed: created (by the failed run), as
    // the pipeline counts a create recovered after a lost answer; the last 100 are new.
    EXPECT_EQ(summary->created, 300 - 100);
    EXPECT_EQ(summary->updated, 0);
    const auto products = woo_products();  // Fails on a duplicate SKU.
    for (int i = 1; i <= 300; ++i) {
        // Not `"P" + std::to_string(...)`: GCC 12 -O3 false -Wrestrict (bug 105651).
        std::string part(1, 'P');
        part += std::to_string(10000 + i);
        EXPECT_TRUE(products.contains(part)) << i;
    }
    EXPECT_TRUE(
        store_->list_bindings("catalog", store::BindingState::kPending, 10).value().empty());
}

TEST_P(CatalogFlowOnEachStore, ProductAlreadyInWooWithThatSkuIsUpdatedNotDuplicated) {
    options_["customers"] = "false";
    model::Item existing;
    existing.sku = "P10005";
    existing.description = "Hand-made listing";
    existing.unit_price = Decimal::from_int(1);
    auto made = woo_->batch_products({.create = {existing}, .update = {}});
    ASSERT_TRUE(made && made->created.size() == 1 && !made->created[0].error);
    auto summary = run(runner());
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 299);
    EXPECT_EQ(summary->updated, 1);
    const auto products = woo_products();
    EXPECT_EQ(products.at("P10005").id, made->created[0].id);
    EXPECT_NE(products.at("P10005").product->value.description, "Hand-made listing");
}

TEST_P(CatalogFlowOnEachStore, ASecondChangeToAnotherPartIsFoundByTheSysRevIdCursor) {
    // SysRevID is a database-wide rowversion (the emulator hands out one counter), so a change to
    // any row after the cursor sorts after it: only the changed part is read and written.
    options_["customers"] = "false";
    auto& flow = runner();
    ASSERT_TRUE(run(flow));
    upsert("epicor", "parts", {{"PartNum", "P10200"}, {"UnitPrice", "5.55"}});
    ASSERT_TRUE(run(flow));
    upsert("epicor", "parts", {{"PartNum", "P10001"}, {"UnitPrice", "6.66"}});
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    EXPECT_EQ(summary->skipped, 0);
    EXPECT_EQ(woo_products().at("P10001").product->value.unit_price.to_string(2), "6.66");
}

TEST_P(CatalogFlowOnEachStore, FullScanReadsEveryPartAndWritesOnlyTheChangedOne) {
    options_["customers"] = "false";
    options_["changes"] = "full";
    auto& flow = runner();
    ASSERT_TRUE(run(flow));
    upsert("epicor", "parts", {{"PartNum", "P10200"}, {"UnitPrice", "5.55"}});
    ASSERT_TRUE(run(flow));
    upsert("epicor", "parts", {{"PartNum", "P10001"}, {"UnitPrice", "6.66"}});
    auto summary = run(flow);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    EXPECT_EQ(summary->skipped, 299);
    EXPECT_EQ(woo_products().at("P10001").product->value.unit_price.to_string(2), "6.66");
}

TEST_P(CatalogFlowOnEachStore, StopBetweenChunksKeepsTheCursorAndTheNextRunFinishes) {
    options_["customers"] = "false";
    auto& flow = runner();
    int chunks = 0;
    engine::RunContext ctx{.clock = clock_,
                           .store = *store_,
                           .log = *log_,
                           .stop_requested = stop_,
                           .flow = "catalog",
                           .dry_run = false,
                           .attempt = 1,
                           .renew = [&] { return ++chunks < 2; }};
    auto first = flow.run_once(ctx);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_TRUE(first->more_pending);
    EXPECT_EQ(first->created, 200);
    auto cursor = store_->get_cursor("catalog", kPartsStream).value();
    ASSERT_TRUE(cursor);
    // Keyset "<SysRevID>|<PartNum>" of the last part committed (SysRevID is database-wide).
    EXPECT_TRUE(cursor->value.ends_with("|P10200")) << cursor->value;
    auto rest = run(flow);
    ASSERT_TRUE(rest) << rest.error().describe();
    EXPECT_EQ(rest->created, 100);
    EXPECT_FALSE(rest->more_pending);
}

TEST_P(CatalogFlowOnEachStore, RecipeBuildsTheFlowFromItsConnectionsAndNamesAWrongOne) {
    config_.connections.emplace(
        "shop", engine::ConnectionConfig{.name = "shop",
                                         .system = "woocommerce",
                                         .base_url = woo_site_,
                                         .options = {},
                                         .secrets = {{"consumer_key", "shop.consumer_key"},
                                                     {"consumer_secret", "shop.consumer_secret"}},
                                         .secret_lines = {}});
    engine::RecipeRegistry registry;
    add_epicor_woocommerce_catalog_recipes(registry);
    engine::FlowConfig flow;
    flow.name = "catalog";
    flow.recipe = "epicor-to-woocommerce-catalog";
    flow.connections = {{"source", "ep"}, {"target", "shop"}};
    flow.options = {{"customers", "false"}};
    auto built = registry.create(flow, deps(transport_));
    ASSERT_TRUE(built) << built.error().describe();
    auto summary = run(**built);
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 300);

    flow.connections = {{"source", "ep"}, {"target", "ep"}};
    auto wrong = registry.create(flow, deps(transport_));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kConfig);
    EXPECT_NE(wrong.error().message.find("connections.target must be a woocommerce connection"),
              std::string::npos)
        << wrong.error().message;
}

INSTANTIATE_TEST_SUITE_P(Stores, CatalogFlowOnEachStore, ::testing::ValuesIn(testing::kStoreKinds),
                         testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce
