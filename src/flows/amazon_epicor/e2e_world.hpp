#pragma once
// The world the "amazon-to-epicor-orders" end-to-end tests run in: the Amazon and Epicor
// emulators in process on a ManualClock, the store (SQLite in memory, or PostgreSQL in a schema of
// its own: the StoreKind given), the recipe built from a
// config as `mlc run` builds it, a transport counting what reaches each emulator, and the helpers
// a test reads the emulators with. Two worlds can live in one test (a clean and a faulty one).
//
// Test-only. Lifecycle: one per test (or two). Thread safety: none needed. Ownership: owns all.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "flows/amazon_epicor/orders_options.hpp"
#include "flows/amazon_epicor/orders_recipe.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::amazon_epicor {

inline constexpr std::string_view kMarketplace = "ATVPDKIKX0DER";
inline constexpr std::string_view kAmazonCustomer = "AMZUS";
inline constexpr std::string_view kMissingSku = "MLC-SKU-007";  // No Epicor part has it.

// Counts requests by "METHOD path-with-the-operation" and the answers per status.
class CountingTransport final : public net::HttpTransport {
  public:
    explicit CountingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        const std::string path = net::url_path(request.url);
        auto answer = inner_.send(request, options);
        const int status = answer ? answer->status : 0;
        requests.push_back({path, status});
        return answer;
    }
    // Requests whose path holds `needle` (answered `status` when given).
    int count(std::string_view needle, std::optional<int> status = std::nullopt) const {
        int n = 0;
        for (const auto& [path, answered] : requests) {
            n += path.find(needle) != std::string::npos && (!status || *status == answered);
        }
        return n;
    }
    std::vector<std::pair<std::string, int>> requests;

  private:
    net::HttpTransport& inner_;
};

class AmazonWorld {
  public:
    explicit AmazonWorld(testing::StoreKind store) : AmazonWorld(20, store) {}
    explicit AmazonWorld(std::size_t volume = 20,
                         testing::StoreKind store = testing::StoreKind::sqlite)
        : clock_(parse_iso8601("2026-06-01T12:00:00Z").value()),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = volume}),
          counting_(transport_) {
        testing::serve_sandboxes(host_, transport_, {"amazon", "epicor"});
        const boost::json::object ports = host_.ports();
        store_ = testing::TestStore::open(store).value();
        testing::connect_sandbox(config_, vault_, ports, "amazon", "amz");
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        flow_.name = "amazon-orders";
        flow_.recipe = kOrdersRecipe;
        flow_.connections = {{"source", "amz"}, {"target", "ep"}};
        // The orders this test makes, not the seeded history.
        flow_.options = {{"start", format_iso8601(clock_.now() - std::chrono::minutes(1))},
                         {"overlap", "10m"}};
        flow_.mappings["customers"] = {{std::string(kMarketplace), std::string(kAmazonCustomer)}};
        seed_epicor();
        auto checker = connections::open_epicor(config_.connections.at("ep"), deps());
        EXPECT_TRUE(checker) << checker.error().describe();
        epicor_ = std::move(*checker);
        baseline_ = all_epicor_orders();
    }

    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &counting_};
    }
    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return testing::control(host_, system, std::move(method), std::move(route),
                                std::move(body));
    }

    // Every emulator SKU is an Epicor part, except kMissingSku; the Amazon customer.
    void seed_epicor() {
        for (int i = 1; i <= 24; ++i) {
            const std::string sku =
                "MLC-SKU-" + std::string(i < 10 ? "00" : "0") + std::to_string(i);
            if (sku == kMissingSku) continue;
            const auto answer = testing::add_epicor_part(host_, sku);
            ASSERT_LT(answer.status, 300) << answer.body;
        }
        const auto answer =
            control("epicor", "POST", "customers",
                    boost::json::serialize(boost::json::object{{"CustID", kAmazonCustomer},
                                                               {"Name", "Amazon.com customers"},
                                                               {"CurrencyCode", "USD"}}));
        ASSERT_LT(answer.status, 300) << answer.body;
    }

    // New Amazon orders now (status Unshipped unless given); their ids.
    std::vector<std::string> new_orders(int count, std::string status = "Unshipped") {
        const auto answer = control(
            "amazon", "POST", "orders",
            R"({"count": )" + std::to_string(count) + R"(, "status": ")" + status + R"("})");
        EXPECT_EQ(answer.status, 200) << answer.body;
        const boost::json::value body = boost::json::parse(answer.body);
        std::vector<std::string> ids;
        for (const auto& id : body.at("orderIds").as_array()) ids.emplace_back(id.as_string());
        return ids;
    }
    // The emulator's order `id` (its items with SKUs and quantities).
    const sandbox::amazon::Order& amazon_order(const std::string& id) {
        auto& emulator = static_cast<sandbox::amazon::AmazonEmulator&>(*host_.find("amazon"));
        for (const auto& order : emulator.orders()) {
            if (order.id == id) return order;
        }
        ADD_FAILURE() << "no Amazon order " << id;
        static const sandbox::amazon::Order kNone;
        return kNone;
    }
    bool has_missing_sku(const std::string& id) {
        for (const auto& item : amazon_order(id).items) {
            if (item.sku == kMissingSku) return true;
        }
        return false;
    }

    std::unique_ptr<engine::FlowRunner> runner() {
        auto built = make_orders_runner(flow_, deps());
        EXPECT_TRUE(built) << built.error().describe();
        return built ? std::move(*built) : nullptr;
    }
    Result<engine::RunSummary> run(engine::FlowRunner& flow) {
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name);
    }

    // Epicor sales orders made by the flow: PONum (AmazonOrderId) -> OrderNums holding it.
    std::map<std::string, std::vector<std::int64_t>> epicor_orders() {
        std::map<std::string, std::vector<std::int64_t>> out;
        for (const auto& [num, po] : all_epicor_orders()) {
            if (!baseline_.contains(num)) out[po].push_back(num);
        }
        return out;
    }
    std::map<std::int64_t, std::string> all_epicor_orders() {
        auto rows = epicor_->client->list_rows("Erp.BO.SalesOrderSvc", "SalesOrders",
                                               {.filter = {}, .select = {"OrderNum", "PONum"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::map<std::int64_t, std::string> out;
        if (!rows) return out;
        for (const auto& row : *rows) {
            out[row.at("OrderNum").to_number<std::int64_t>()] =
                std::string(row.at("PONum").as_string());
        }
        return out;
    }
    connectors::epicor::EpicorOrder epicor_order(std::int64_t num) {
        auto got = epicor_->client->get_order(num);
        EXPECT_TRUE(got) << got.error().describe();
        return got ? *got : connectors::epicor::EpicorOrder{};
    }
    // Whether Epicor still has order `num` open.
    bool open(std::int64_t num) {
        auto rows = epicor_->client->list_rows(
            "Erp.BO.SalesOrderSvc", "SalesOrders",
            {.filter = "OrderNum eq " + std::to_string(num), .select = {"OrderNum", "OpenOrder"}});
        EXPECT_TRUE(rows && rows->size() == 1);
        return rows && rows->size() == 1 && rows->front().at("OpenOrder").as_bool();
    }
    std::vector<store::DeadLetter> open_letters() {
        return store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 1000).value();
    }

    ManualClock clock_;
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    CountingTransport counting_;
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::unique_ptr<connections::EpicorConnection> epicor_;
    std::map<std::int64_t, std::string> baseline_;  // Epicor's seeded orders.
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

}  // namespace mlc::flows::amazon_epicor
