// The "shipstation-to-epicor-orders" flow end to end: the recipe factory builds both real clients
// over the ShipStation and Epicor emulators (in process, no sockets), on the SQLite store, with a
// ManualClock driving everything (the 40/minute pacing sleeps instantly).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "engine/dead_letter_replayer.hpp"
#include "engine/webhooks.hpp"
#include "flows/shipstation_epicor/fit_check.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "net/metrics.hpp"
#include "net/webhook_intake.hpp"
#include "pipeline/inbox.hpp"
#include "pipeline/webhooks.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

namespace json = boost::json;

// The sandboxes share one catalog (ShipStation SKU = Epicor PartNum); its unknown SKU is sold on
// one seeded ShipStation order and never created in Epicor.
constexpr std::string_view kMissingSku = sandbox::catalog::kUnknownSku;
constexpr std::string_view kWebCustomer = "WEB01";
constexpr std::uint32_t kListPagesMax = 1'000;  // Bound of the test's own listing loops.

class WatchingTransport final : public net::HttpTransport {
  public:
    using Check = std::function<void(const net::HttpRequest&)>;
    explicit WatchingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override {
        {
            std::lock_guard lock(mutex_);
            seen_.push_back(request.method + " " + request.url);
            if (check_) check_(request);
        }
        if (!fail_.empty() && request.url.find(fail_) != std::string::npos) {
            return make_error(ErrorCode::kTransient, "test", "connection refused (test)");
        }
        net::HttpRequest sent = request;
        for (auto& [name, value] : sent.headers) {
            if (name == "Authorization" && value.starts_with("Bearer ")) {
                bearer_calls_.fetch_add(1);
                if (kill_bearer_ > 0 && request.url.find("/api/v2/odata/") != std::string::npos) {
                    --kill_bearer_;
                    value = "Bearer expired-on-the-server";
                }
            }
        }
        return inner_.send(sent, options);
    }
    int count(std::string_view needle) {
        std::lock_guard lock(mutex_);
        return static_cast<int>(std::count_if(seen_.begin(), seen_.end(), [&](const auto& line) {
            return line.find(needle) != std::string::npos;
        }));
    }
    void on_request(Check check) {
        std::lock_guard lock(mutex_);
        check_ = std::move(check);
    }
    void kill_bearer(int n) { kill_bearer_ = n; }
    // Every request whose URL holds `needle` fails as an unreachable host would; empty: none.
    void fail(std::string needle) { fail_ = std::move(needle); }
    int bearer_calls() const { return bearer_calls_.load(); }

  private:
    net::HttpTransport& inner_;
    std::mutex mutex_;
    std::vector<std::string> seen_;
    Check check_;
    std::string fail_;
    int kill_bearer_ = 0;
    std::atomic<int> bearer_calls_{0};
};

class OrdersFlowTest : public ::testing::Test {
  protected:
    explicit OrdersFlowTest(std::size_t volume = 300)
        : host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = volume}),
          losing_(transport_) {
        testing::serve_sandboxes(host_, transport_, {"shipstation", "epicor"});
        const json::object ports = host_.ports();
        store_ = store::SqliteStateStore::open(":memory:").value();
        testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        flow_.name = "orders";
        flow_.recipe = kOrdersRecipe;
        flow_.connections = {{"source", "ss"}, {"target", "ep"}};
        // The orders stream alone; ShipmentsFlowTest turns shipments on.
        flow_.options = {{"customer", std::string(kWebCustomer)}, {"shipments", "false"}};

        seed_epicor();
        auto checker = build_connections(flow_, parse_orders_options(flow_).value(), deps());
        EXPECT_TRUE(checker) << checker.error().describe();
        checker_ = std::move(*checker);
        baseline_ = epicor_orders();
    }

    engine::Dependencies deps(net::HttpTransport* transport = nullptr) {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = transport ? transport : &transport_,
                                    .public_base_url = public_base_url_};
    }

    net::HttpResponse control(const std::string& system, std::string method, std::string route,
                              std::string body = {}) {
        return testing::control(host_, system, std::move(method), std::move(route),
                                std::move(body));
    }

    // Every ShipStation SKU is an active Epicor part (the catalog's inactive one is activated),
    // except kMissingSku; one web customer.
    void seed_epicor() {
        const auto active =
            control("epicor", "POST", "parts",
                    json::serialize(json::object{
                        {"PartNum", sandbox::catalog::part_number(sandbox::catalog::kInactivePart)},
                        {"InActive", false}}));
        ASSERT_LT(active.status, 300) << active.body;
        const auto answer = control(
            "epicor", "POST", "customers",
            json::serialize(json::object{
                {"CustID", kWebCustomer}, {"Name", "Web Orders"}, {"CurrencyCode", "USD"}}));
        ASSERT_LT(answer.status, 300) << answer.body;
    }
    void add_part(const std::string& part_num) {
        const auto answer = testing::add_epicor_part(host_, part_num);
        ASSERT_LT(answer.status, 300) << answer.body;
    }
    virtual std::size_t volume() const { return 300; }

    // Shipments listed by ShipStation for `order_id`, newest last.
    std::vector<connectors::Record<model::Shipment>> shipments_of(std::string_view order_id) {
        std::vector<connectors::Record<model::Shipment>> out;
        for (std::uint32_t page = 1; page <= kListPagesMax; ++page) {
            auto listed = checker_->shipstation->list_shipments(
                {.created_since = parse_iso8601("2000-01-01T00:00:00Z").value(), .page = page});
            EXPECT_TRUE(listed) << listed.error().describe();
            if (!listed) break;
            for (auto& record : listed->items) {
                if (record.value.order.id == order_id) out.push_back(std::move(record));
            }
            if (!listed->more) break;
        }
        return out;
    }

    std::unique_ptr<engine::FlowRunner> runner(net::HttpTransport* transport = nullptr) {
        auto built = make_orders_runner(flow_, deps(transport));
        EXPECT_TRUE(built) << built.error().describe();
        return std::move(*built);
    }

    Result<engine::RunSummary> run(engine::FlowRunner& flow, bool dry_run = false) {
        return testing::run_once(flow, clock_, *store_, *log_, flow_.name, dry_run);
    }

    // Epicor sales orders: OrderNum -> PONum.
    std::map<std::int64_t, std::string> epicor_orders() {
        auto rows = checker_->epicor->list_rows("Erp.BO.SalesOrderSvc", "SalesOrders",
                                                {.select = {"OrderNum", "PONum"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::map<std::int64_t, std::string> out;
        if (!rows) return out;
        for (const auto& row : *rows) {
            out[row.at("OrderNum").to_number<std::int64_t>()] =
                std::string(row.at("PONum").as_string());
        }
        return out;
    }
    // Orders created by the flow: orderKey -> OrderNum; fails on a duplicate orderKey.
    std::map<std::string, std::int64_t> created_orders() {
        std::map<std::string, std::int64_t> out;
        for (const auto& [num, po] : epicor_orders()) {
            if (baseline_.contains(num)) continue;
            EXPECT_TRUE(out.emplace(po, num).second) << "duplicate Epicor order for " << po;
        }
        return out;
    }

    std::vector<connectors::Record<model::Order>> shipstation_orders() {
        std::vector<connectors::Record<model::Order>> out;
        for (std::uint32_t page = 1; page <= kListPagesMax; ++page) {
            auto listed = checker_->shipstation->list_orders_modified_since(
                {.modified_since = parse_iso8601("2000-01-01T00:00:00Z").value(), .page = page});
            EXPECT_TRUE(listed) << listed.error().describe();
            if (!listed) break;
            EXPECT_TRUE(listed->rejected.empty());
            for (auto& record : listed->items) out.push_back(std::move(record));
            if (!listed->more) break;
        }
        return out;
    }

    struct Expected {
        std::set<std::string> created;  // orderKeys
        std::set<std::string> parked;
        std::size_t lines = 0;
    };
    Expected expected() {
        Expected out;
        for (const auto& record : shipstation_orders()) {
            const model::Order& order = record.value;
            if (order.status == model::OrderStatus::kCancelled) continue;
            bool missing = false;
            for (const auto& line : order.lines) missing |= line.sku == kMissingSku;
            (missing ? out.parked : out.created).insert(order.source.key);
            if (!missing) out.lines += order.lines.size();
        }
        return out;
    }

    ManualClock clock_{parse_iso8601("2025-06-02T16:00:00Z").value()};
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    testing::LosingTransport losing_;
    auth::testing::FakeVault vault_;
    std::unique_ptr<store::SqliteStateStore> store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::shared_ptr<ShipStationEpicorConnections> checker_;
    std::map<std::int64_t, std::string> baseline_;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    std::atomic<bool> stop_{false};
    std::string public_base_url_;  // Empty: the runner registers no webhooks (`mlc sync`).
};

TEST_F(OrdersFlowTest, BackfillLandsEachOrderExactlyOnceAndARerunCreatesNothing) {
    const Expected want = expected();
    ASSERT_GT(want.created.size(), 100u);
    ASSERT_FALSE(want.parked.empty());
    auto flow = runner();
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->created, static_cast<std::int64_t>(want.created.size()));
    EXPECT_EQ(first->parked, static_cast<std::int64_t>(want.parked.size()));
    EXPECT_EQ(first->updated, 0);

    const auto created = created_orders();
    std::set<std::string> keys;
    for (const auto& [key, num] : created) keys.insert(key);
    EXPECT_EQ(keys, want.created);
    EXPECT_EQ(store_->count_bindings(flow_.name).value(),
              static_cast<std::int64_t>(want.created.size()));

    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->created, 0);
    EXPECT_EQ(second->updated, 0);
    EXPECT_EQ(created_orders().size(), want.created.size());
}

TEST_F(OrdersFlowTest, OutboundCallsOfBothSystemsShowOnTheDaemonsMetrics) {
    net::Metrics metrics;
    engine::Dependencies with_metrics = deps();
    with_metrics.metrics = &metrics;
    auto built = make_orders_runner(flow_, with_metrics);
    ASSERT_TRUE(built) << built.error().describe();
    ASSERT_TRUE(run(**built));
    const std::string text = metrics.render_prometheus();
    std::set<std::string> systems;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with("mlc_outbound_requests_total{")) continue;
        for (const char* system : {"shipstation", "epicor"}) {
            if (line.find("system=\"" + std::string(system) + "\"") != std::string::npos) {
                systems.insert(system);
            }
        }
    }
    EXPECT_EQ(systems, (std::set<std::string>{"epicor", "shipstation"})) << text;
}

TEST_F(OrdersFlowTest, CreatedOrderCarriesLinesCustomerAndAnAuditLinkingBothIds) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const auto orders = shipstation_orders();
    const auto created = created_orders();
    const connectors::Record<model::Order>* sample = nullptr;
    for (const auto& record : orders) {
        if (created.contains(record.value.source.key) && record.value.lines.size() > 1) {
            sample = &record;
            break;
        }
    }
    ASSERT_NE(sample, nullptr);
    const std::int64_t order_num = created.at(sample->value.source.key);
    auto in_epicor = checker_->epicor->get_order(order_num);
    ASSERT_TRUE(in_epicor) << in_epicor.error().describe();
    ASSERT_EQ(in_epicor->order.lines.size(), sample->value.lines.size());
    for (std::size_t i = 0; i < sample->value.lines.size(); ++i) {
        EXPECT_EQ(in_epicor->order.lines[i].sku, sample->value.lines[i].sku);
        EXPECT_EQ(in_epicor->order.lines[i].quantity, sample->value.lines[i].quantity);
    }
    EXPECT_EQ(in_epicor->order.customer_code, kWebCustomer);

    store::AuditQuery query;
    query.source_key = sample->value.source.id;
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    ASSERT_EQ(audit->size(), 1u);
    EXPECT_EQ(audit->front().action, store::AuditAction::kCreate);
    EXPECT_EQ(audit->front().target_ref, "epicor:SalesOrder:" + std::to_string(order_num));
    EXPECT_NE(audit->front().source_ref.find(sample->value.source.key), std::string::npos);
}

TEST_F(OrdersFlowTest, UnknownSkuIsParkedNamingTheFixThenHealedByReplayAfterAMapping) {
    const Expected want = expected();
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    auto letters = store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 1000);
    ASSERT_TRUE(letters);
    ASSERT_EQ(letters->size(), want.parked.size());
    for (const auto& letter : *letters) {
        EXPECT_TRUE(want.parked.contains(letter.source_key));
        EXPECT_NE(letter.error_message.find(kMissingSku), std::string::npos);
        EXPECT_NE(letter.error_message.find("mappings.parts"), std::string::npos);
        EXPECT_NE(letter.error_message.find(letter.source_key), std::string::npos);
    }
    // Replay before any fix: still parked, nothing written.
    engine::DeadLetterReplayer replayer(clock_, *store_, *log_,
                                        [&](const std::string&) { return flow.get(); });
    auto again = replayer.replay_all(flow_.name, stop_);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->failed, static_cast<std::int64_t>(want.parked.size()));
    EXPECT_EQ(created_orders().size(), want.created.size());

    // The fix: a mapping to a part Epicor has, as a pattern (WB-2041-DISC -> WIDGET-DISC; SKUs
    // that are Epicor parts themselves still resolve as they are). The new config builds a new
    // runner.
    add_part("WIDGET-DISC");
    flow_.mappings["parts"] = {{"WB-2041-*", "WIDGET-*"}};
    flow = runner();
    auto healed = replayer.replay_all(flow_.name, stop_);
    ASSERT_TRUE(healed) << healed.error().describe();
    EXPECT_EQ(healed->replayed, static_cast<std::int64_t>(want.parked.size()));
    EXPECT_EQ(healed->failed, 0);
    EXPECT_EQ(created_orders().size(), want.created.size() + want.parked.size());
    EXPECT_TRUE(
        store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 1000)->empty());
    // And the next scheduled run does not create them a second time.
    auto next = run(*flow);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->created, 0);
    EXPECT_EQ(created_orders().size(), want.created.size() + want.parked.size());
}

TEST_F(OrdersFlowTest, AnEditInShipStationUpdatesTheBoundEpicorOrder) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const auto created = created_orders();
    const auto orders = shipstation_orders();
    const connectors::Record<model::Order>* target = nullptr;
    for (const auto& record : orders) {
        if (created.contains(record.value.source.key)) target = &record;
    }
    ASSERT_NE(target, nullptr);
    json::object ship_to = json::parse(target->raw).as_object().at("shipTo").as_object();
    ship_to["name"] = "Grace Hopper";
    clock_.advance(std::chrono::minutes(5));
    const auto edited =
        control("shipstation", "POST", "orders/" + target->value.source.id + "/update",
                json::serialize(json::object{{"shipTo", ship_to}}));
    ASSERT_EQ(edited.status, 200) << edited.body;

    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->updated, 1);
    EXPECT_EQ(second->created, 0);
    const std::int64_t order_num = created.at(target->value.source.key);
    auto rows = checker_->epicor->list_rows(
        "Erp.BO.SalesOrderSvc", "SalesOrders",
        {.filter = "OrderNum eq " + std::to_string(order_num), .select = {"OTSName"}});
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().at("OTSName").as_string(), "Grace Hopper");
    EXPECT_EQ(created_orders().size(), created.size());
}

TEST_F(OrdersFlowTest, ACancellationInShipStationVoidsTheEpicorOrder) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const auto created = created_orders();
    const auto& [key, order_num] = *created.begin();
    std::string order_id;
    for (const auto& record : shipstation_orders()) {
        if (record.value.source.key == key) order_id = record.value.source.id;
    }
    clock_.advance(std::chrono::minutes(5));
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/cancel").status, 200);
    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->updated, 1);
    auto rows = checker_->epicor->list_rows("Erp.BO.SalesOrderSvc", "SalesOrders",
                                            {.filter = "OrderNum eq " + std::to_string(order_num),
                                             .select = {"VoidOrder", "OpenOrder"}});
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_TRUE(rows->front().at("VoidOrder").as_bool());
    EXPECT_FALSE(rows->front().at("OpenOrder").as_bool());
}

TEST_F(OrdersFlowTest, ALostCreateAnswerIsLookedUpByOrderKeyNotCreatedTwice) {
    const Expected want = expected();
    losing_.lose("SalesOrderSvc/UpdateExt", 7);  // Mid-backfill, a create's answer is lost.
    auto flow = runner(&losing_);
    auto first = run(*flow);
    ASSERT_FALSE(first);  // The run stops at the uncertain write; nothing after it is guessed.
    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    const auto created = created_orders();  // Fails on any duplicate orderKey.
    EXPECT_EQ(created.size(), want.created.size());
    auto pending = store_->list_bindings(flow_.name, store::BindingState::kPending, 10);
    ASSERT_TRUE(pending);
    EXPECT_TRUE(pending->empty());
    // The recovered order has all its lines.
    EXPECT_EQ(
        [&] {
            std::size_t lines = 0;
            for (const auto& [key, num] : created)
                lines += checker_->epicor->get_order(num)->order.lines.size();
            return lines;
        }(),
        want.lines);
}

TEST_F(OrdersFlowTest, DryRunCountsWhatWouldHappenAndWritesNothing) {
    const Expected want = expected();
    auto flow = runner();
    auto dry = run(*flow, /*dry_run=*/true);
    ASSERT_TRUE(dry) << dry.error().describe();
    EXPECT_EQ(dry->created, static_cast<std::int64_t>(want.created.size()));
    EXPECT_EQ(dry->parked, static_cast<std::int64_t>(want.parked.size()));
    EXPECT_EQ(dry->streams.at("orders").created, static_cast<std::int64_t>(want.created.size()));
    // The plan names each order it would create and each it would park, with the reason.
    std::size_t creates = 0, parks = 0;
    for (const std::string& line : dry->planned) {
        creates += line.starts_with("orders: create ShipStation order");
        parks += line.starts_with("orders: park ShipStation order") &&
                 line.find("mappings.parts") != std::string::npos;
    }
    EXPECT_EQ(creates, want.created.size());
    EXPECT_EQ(parks, want.parked.size());
    EXPECT_TRUE(created_orders().empty());
    EXPECT_EQ(store_->count_bindings(flow_.name).value(), 0);
    EXPECT_FALSE(store_->get_cursor(flow_.name, kOrdersStream).value().has_value());
    EXPECT_TRUE(store_->list_dead_letters(flow_.name, std::nullopt, 10)->empty());
}

TEST_F(OrdersFlowTest, CustomersResolveThroughTheMappingTableOrParkNamingTheUsername) {
    flow_.options = {{"shipments", "false"}};  // Match customerUsername to Epicor CustID.
    const auto orders = shipstation_orders();
    ASSERT_FALSE(orders.empty());
    const std::string mapped = orders.front().value.customer_code;
    ASSERT_FALSE(mapped.empty());
    flow_.mappings["customers"] = {{mapped, std::string(kWebCustomer)}};
    auto flow = runner();
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_GT(first->created, 0);
    EXPECT_GT(first->parked, 0);
    auto letters = store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 1000);
    ASSERT_TRUE(letters);
    bool named_username = false;
    for (const auto& letter : *letters) {
        named_username |= letter.error_message.find("mappings.customers") != std::string::npos;
    }
    EXPECT_TRUE(named_username);
    for (const auto& [key, num] : created_orders()) {
        EXPECT_EQ(checker_->epicor->get_order(num)->order.customer_code, kWebCustomer) << key;
    }
}

TEST_F(OrdersFlowTest, ALabelInShipStationPutsItsTrackingOnTheBoundEpicorOrderOnce) {
    flow_.options["shipments"] = "true";
    flow_.mappings["carriers"] = {{"fedex", "FDX"}};
    auto flow = runner();
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    const auto created = created_orders();
    std::string order_id;
    std::int64_t order_num = 0;
    for (const auto& record : shipstation_orders()) {
        if (created.contains(record.value.source.key) &&
            record.value.status != model::OrderStatus::kShipped) {
            order_id = record.value.source.id;
            order_num = created.at(record.value.source.key);
            break;
        }
    }
    ASSERT_FALSE(order_id.empty());
    clock_.advance(std::chrono::minutes(5));
    const auto label = control(
        "shipstation", "POST", "orders/" + order_id + "/label",
        json::serialize(json::object{{"carrierCode", "fedex"}, {"trackingNumber", "TRK-777"}}));
    ASSERT_EQ(label.status, 200) << label.body;

    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->created, 1);  // The shipment; the order's own change is not re-written.
    EXPECT_EQ(second->updated, 0);
    const auto packs = [&] {
        return checker_->epicor->list_rows(
            "Erp.BO.CustShipSvc", "CustShips",
            {.filter = "TrackingNumber eq 'TRK-777'", .select = {"PackNum", "OrderNum"}});
    };
    auto rows = packs();
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().at("OrderNum").to_number<std::int64_t>(), order_num);

    auto third = run(*flow);
    ASSERT_TRUE(third) << third.error().describe();
    EXPECT_EQ(third->created, 0);
    EXPECT_EQ(packs()->size(), 1u);
    store::AuditQuery query;
    query.target_id = std::to_string(order_num);
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    bool tracked = false;
    for (const auto& event : *audit) tracked |= event.detail.find("TRK-777") != std::string::npos;
    EXPECT_TRUE(tracked);
}

TEST_F(OrdersFlowTest, FitCheckCountsUnresolvedSkusAndNamesTheFixWithoutWriting) {
    const auto options = parse_orders_options(flow_).value();
    auto report =
        check_fit(*checker_->shipstation, *checker_->epicor, options,
                  {.since = parse_iso8601("2000-01-01T00:00:00Z").value(), .sample = 500});
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_GT(report->orders, 100);
    EXPECT_EQ(report->customers_unresolved, 0);
    EXPECT_EQ(report->skus_unresolved, 1);
    EXPECT_LT(report->orders_ready, report->orders);
    ASSERT_EQ(report->problems.size(), 1u);
    EXPECT_NE(report->problems.front().find(kMissingSku), std::string::npos);
    EXPECT_NE(report->problems.front().find("mappings.parts"), std::string::npos);
    EXPECT_TRUE(created_orders().empty());
}

// ---- Target ud01: one staged row per order, for review. ----

TEST_F(OrdersFlowTest, Ud01TargetStagesOneRowPerOrderAndAnEditDoesNotStageASecond) {
    flow_.options["target"] = "ud01";
    const Expected want = expected();
    auto flow = runner();
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->created, static_cast<std::int64_t>(want.created.size()));
    EXPECT_EQ(first->parked, static_cast<std::int64_t>(want.parked.size()));
    EXPECT_TRUE(created_orders().empty());  // No sales order: a person reviews the rows first.
    const auto staged = [&] {
        auto rows = checker_->epicor->list_rows("Ice.BO.UD01Svc", "UD01s",
                                                {.select = {"Key1", "Character01", "Character02"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::map<std::string, json::object> out;
        for (auto& row : rows.value()) {
            EXPECT_TRUE(out.emplace(std::string(row.at("Key1").as_string()), row).second)
                << "staged twice: " << row.at("Key1").as_string();
        }
        return out;
    };
    const auto rows = staged();
    std::set<std::string> keys;
    for (const auto& [key, row] : rows) keys.insert(key);
    EXPECT_EQ(keys, want.created);
    EXPECT_EQ(rows.begin()->second.at("Character02").as_string(), kWebCustomer);

    // An edit in ShipStation after staging: the row stays the one a person is reviewing.
    const connectors::Record<model::Order>* target = nullptr;
    const auto orders = shipstation_orders();
    for (const auto& record : orders) {
        if (want.created.contains(record.value.source.key)) target = &record;
    }
    ASSERT_NE(target, nullptr);
    json::object ship_to = json::parse(target->raw).as_object().at("shipTo").as_object();
    ship_to["name"] = "Grace Hopper";
    clock_.advance(std::chrono::minutes(5));
    ASSERT_EQ(control("shipstation", "POST", "orders/" + target->value.source.id + "/update",
                      json::serialize(json::object{{"shipTo", ship_to}}))
                  .status,
              200);
    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->created, 0);
    EXPECT_EQ(second->updated, 0);
    EXPECT_GE(second->skipped, 1);
    EXPECT_EQ(staged().size(), rows.size());
    store::AuditQuery query;
    query.source_key = target->value.source.key;
    auto audit = store_->query_audit(query);
    ASSERT_TRUE(audit);
    ASSERT_FALSE(audit->empty());
    EXPECT_NE(audit->front().detail.find("already staged"), std::string::npos)
        << audit->front().detail;
    EXPECT_EQ(audit->back().target_ref, "epicor:UD01:" + target->value.source.key);
}

// ---- Epicor bearer tokens through the recipe. ----

TEST_F(OrdersFlowTest, BearerAuthGetsATokenAndRenewsItBeforeAndAfterItExpires) {
    config_.connections.at("ep").options["auth"] = "bearer";
    WatchingTransport watching(transport_);
    auto flow = runner(&watching);
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_GT(first->created, 100);
    EXPECT_EQ(watching.count("GetAccessToken"), 1);  // One token serves the whole backfill.
    EXPECT_GT(watching.bearer_calls(), 100);

    // The hour has passed: the manager asks for a new token before the next call.
    clock_.advance(std::chrono::hours(2));
    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(watching.count("GetAccessToken"), 2);

    // The server no longer knows the token (restart, revoked): one 401, one new token, one retry.
    add_part("LATE-PART");
    flow_.mappings["parts"] = {{std::string(kMissingSku), "LATE-PART"}};
    auto healed = runner(&watching);  // New config, new runner; the token cache is the store's.
    watching.kill_bearer(1);
    auto third = run(*healed);
    ASSERT_TRUE(third) << third.error().describe();
    EXPECT_EQ(watching.count("GetAccessToken"), 3);
}

TEST_F(OrdersFlowTest, BearerAuthRefusesAnUnknownAuthModeNamingTheChoices) {
    config_.connections.at("ep").options["auth"] = "oauth";
    auto built = make_orders_runner(flow_, deps());
    ASSERT_FALSE(built);
    EXPECT_EQ(built.error().code, ErrorCode::kConfig);
    EXPECT_NE(built.error().message.find("basic or bearer"), std::string::npos)
        << built.error().message;
}

// ---- Webhooks: registration, ORDER_NOTIFY, SHIP_NOTIFY through the real intake. ----

constexpr std::string_view kPublicBase = "http://mlc.test";

class WebhookFlowTest : public OrdersFlowTest {
  protected:
    WebhookFlowTest()
        : intake_(net::WebhookIntakeDeps{
              .store = *store_,
              .clock = clock_,
              .secrets = pipeline::webhook_secrets(&vault_),
              .channels =
                  {{connectors::shipstation::kWebhookSource,
                    std::make_shared<connectors::shipstation::ShipStationWebhookChannel>()}},
              .notify = [this](const std::string&, std::int64_t) { ++notified_; },
              .metrics = nullptr,
              .logger = log_}) {
        public_base_url_ = std::string(kPublicBase);
        flow_.options["shipments"] = "true";
        // ShipStation's deliveries reach the daemon's intake (/hooks/<flow>/<source>?token=...).
        transport_.add_route(public_base_url_, [this](const net::HttpRequest& request) {
            const std::string path = request.url.substr(0, request.url.find('?'));
            const auto source_at = path.rfind('/');
            const auto flow_at = path.rfind('/', source_at - 1);
            return intake_.handle(request, path.substr(flow_at + 1, source_at - flow_at - 1),
                                  path.substr(source_at + 1));
        });
    }

    // ShipStation posts what it has queued (the emulator's tick).
    void deliver() { host_.tick_all(); }
    std::int64_t inbox(bool done) { return store_->count_inbox(flow_.name, done).value(); }
    std::string token() {
        return vault_.get(engine::webhook_secret_name(flow_.name, "shipstation")).value();
    }
    std::vector<std::string> audit_details(store::AuditAction action) {
        store::AuditQuery query;
        query.flow = flow_.name;
        std::vector<std::string> out;
        auto events = store_->query_audit(query);
        EXPECT_TRUE(events) << events.error().describe();
        if (!events) return out;
        for (const auto& event : *events) {
            if (event.action == action) out.push_back(event.detail);
        }
        return out;
    }
    // A created, not yet shipped order: {orderId, Epicor OrderNum}.
    std::pair<std::string, std::int64_t> open_order() {
        const auto created = created_orders();
        for (const auto& record : shipstation_orders()) {
            if (created.contains(record.value.source.key) &&
                record.value.status != model::OrderStatus::kShipped &&
                record.value.status != model::OrderStatus::kCancelled) {
                return {record.value.source.id, created.at(record.value.source.key)};
            }
        }
        ADD_FAILURE() << "no open order";
        return {};
    }
    std::size_t packs(std::string_view filter = {}) {
        auto rows = checker_->epicor->list_rows(
            "Erp.BO.CustShipSvc", "CustShips",
            {.filter = std::string(filter), .select = {"PackNum", "OrderNum"}});
        EXPECT_TRUE(rows) << rows.error().describe();
        return rows ? rows->size() : 0;
    }

    net::WebhookIntake intake_;
    std::atomic<int> notified_{0};
};

TEST_F(WebhookFlowTest, RegistrationStoresTheTokenBeforeSubscribingAndIsIdempotent) {
    WatchingTransport watching(transport_);
    const std::string secret_name = engine::webhook_secret_name(flow_.name, "shipstation");
    int subscribes = 0;
    bool token_stored_first = true;
    watching.on_request([&](const net::HttpRequest& request) {
        if (request.url.find("/webhooks/subscribe") == std::string::npos) return;
        ++subscribes;
        auto stored = vault_.get(secret_name);
        token_stored_first &= stored && request.body.find("?token=" + *stored) != std::string::npos;
    });
    auto flow = runner(&watching);
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(subscribes, 2);
    EXPECT_TRUE(token_stored_first);
    EXPECT_EQ(token().size(), 2 * pipeline::kWebhookSecretBytes);

    // A restarted daemon (new runner) lists, finds both and subscribes nothing.
    auto restarted = runner(&watching);
    ASSERT_TRUE(run(*restarted));
    // A long-running one checks again once pipeline::kWebhookRecheck has passed.
    clock_.advance(pipeline::kWebhookRecheck + std::chrono::minutes(1));
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(watching.count("GET http://shipstation.sandbox.test/webhooks"), 3);
    EXPECT_EQ(subscribes, 2);

    auto hooks = checker_->shipstation->list_webhooks();
    ASSERT_TRUE(hooks) << hooks.error().describe();
    std::set<std::string> events;
    for (const auto& hook : *hooks) {
        EXPECT_EQ(hook.target_url, engine::webhook_url(kPublicBase, flow_.name, "shipstation") +
                                       "?token=" + token());
        events.insert(hook.event);
    }
    EXPECT_EQ(hooks->size(), 2u);
    EXPECT_EQ(events, (std::set<std::string>{"ORDER_NOTIFY", "SHIP_NOTIFY"}));
    // The audit says what was subscribed, never the token.
    const auto created = audit_details(store::AuditAction::kCreate);
    const auto subscribed = std::count_if(created.begin(), created.end(), [](const auto& d) {
        return d.find("subscribed to http://mlc.test/hooks/orders/shipstation?token=***") !=
               std::string::npos;
    });
    EXPECT_EQ(subscribed, 2);
    for (const auto& detail : created) EXPECT_EQ(detail.find(token()), std::string::npos);
}

TEST_F(WebhookFlowTest, AReplacedTokenReplacesTheStaleSubscriptions) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    ASSERT_TRUE(vault_.put(engine::webhook_secret_name(flow_.name, "shipstation"), "rotated"));
    auto restarted = runner();
    ASSERT_TRUE(run(*restarted));
    auto hooks = checker_->shipstation->list_webhooks();
    ASSERT_TRUE(hooks);
    ASSERT_EQ(hooks->size(), 2u);
    for (const auto& hook : *hooks) EXPECT_TRUE(hook.target_url.ends_with("?token=rotated"));
}

TEST_F(WebhookFlowTest, WebhooksOffOrNoPublicUrlRegisterNothing) {
    flow_.options["webhooks"] = "false";
    ASSERT_TRUE(run(*runner()));
    flow_.options.erase("webhooks");
    public_base_url_.clear();  // `mlc sync`: no server to deliver to.
    ASSERT_TRUE(run(*runner()));
    EXPECT_TRUE(checker_->shipstation->list_webhooks()->empty());
    EXPECT_FALSE(vault_.get(engine::webhook_secret_name(flow_.name, "shipstation")));
}

TEST_F(WebhookFlowTest, AnOrderNotifyMakesTheRunPollAndIsMarkedDone) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const std::size_t before = created_orders().size();
    clock_.advance(std::chrono::minutes(5));
    // A store import in ShipStation: one ORDER_NOTIFY for the batch, carrying no order data.
    ASSERT_EQ(control("shipstation", "POST", "orders", R"({"count": 3})").status, 200);
    deliver();
    ASSERT_EQ(inbox(/*done=*/false), 1);
    EXPECT_EQ(notified_.load(), 1);  // The daemon would wake the flow now.

    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(second->created + second->parked, 3);
    EXPECT_EQ(created_orders().size(), before + static_cast<std::size_t>(second->created));
    EXPECT_EQ(inbox(/*done=*/false), 0);
    EXPECT_EQ(inbox(/*done=*/true), 1);
    const auto received = audit_details(store::AuditAction::kReceive);
    EXPECT_TRUE(std::any_of(received.begin(), received.end(),
                            [](const auto& d) { return d.starts_with("ORDER_NOTIFY"); }));
}

TEST_F(WebhookFlowTest, AShipNotifyPutsExactlyTheNewTrackingOnTheRightOrderOnce) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    const auto [order_id, order_num] = open_order();
    ASSERT_FALSE(order_id.empty());
    const std::size_t packs_before = packs();
    clock_.advance(std::chrono::minutes(5));
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/label",
                      json::serialize(
                          json::object{{"carrierCode", "fedex"}, {"trackingNumber", "TRK-888"}}))
                  .status,
              200);
    deliver();
    ASSERT_EQ(inbox(/*done=*/false), 1);

    auto second = run(*flow);
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(inbox(/*done=*/false), 0);
    // The batch in the resource_url held exactly the new label, written by following it.
    const auto received = audit_details(store::AuditAction::kReceive);
    EXPECT_TRUE(std::any_of(received.begin(), received.end(), [](const auto& d) {
        return d.starts_with("SHIP_NOTIFY: 1 shipment(s) listed, 1 written");
    })) << ::testing::PrintToString(received);
    EXPECT_EQ(packs(), packs_before + 1);
    auto rows = checker_->epicor->list_rows(
        "Erp.BO.CustShipSvc", "CustShips",
        {.filter = "TrackingNumber eq 'TRK-888'", .select = {"PackNum", "OrderNum"}});
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().at("OrderNum").to_number<std::int64_t>(), order_num);

    // Later runs (the shipments poll re-reads the overlap) write nothing more.
    auto third = run(*flow);
    ASSERT_TRUE(third) << third.error().describe();
    EXPECT_EQ(packs(), packs_before + 1);
}

TEST_F(WebhookFlowTest, AShipNotifyNamingAForeignHostIsSettledWithoutSendingCredentials) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));
    store::InboxEvent forged;
    forged.flow = flow_.name;
    forged.source = "shipstation";
    forged.body_hash = "forged";
    forged.topic = "SHIP_NOTIFY";
    forged.body = R"({"resource_url": "https://collector.example/shipments?batchId=1",)"
                  R"( "resource_type": "SHIP_NOTIFY"})";
    forged.received_at = clock_.now();
    ASSERT_TRUE(store_->append_inbox(forged));
    WatchingTransport watching(transport_);
    auto watched = runner(&watching);
    ASSERT_TRUE(run(*watched));
    EXPECT_EQ(watching.count("collector.example"), 0);
    EXPECT_EQ(inbox(/*done=*/false), 0);
    const auto failed = audit_details(store::AuditAction::kFail);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed.front().find("refused"), std::string::npos) << failed.front();
}

TEST_F(WebhookFlowTest, AnUnreadableResourceUrlIsRetriedThenLeftToTheShipmentsPoll) {
    WatchingTransport watching(transport_);
    auto flow = runner(&watching);
    ASSERT_TRUE(run(*flow));
    const auto [order_id, order_num] = open_order();
    ASSERT_FALSE(order_id.empty());
    clock_.advance(std::chrono::minutes(5));
    ASSERT_EQ(control("shipstation", "POST", "orders/" + order_id + "/label",
                      json::serialize(json::object{{"trackingNumber", "TRK-999"}}))
                  .status,
              200);
    deliver();
    ASSERT_EQ(inbox(/*done=*/false), 1);
    watching.fail("batchId=");                    // The resource_url alone is unreachable.
    const pipeline::InboxOptions inbox_defaults;  // What the recipe leases with.
    for (int attempt = 1; attempt < inbox_defaults.attempts_max; ++attempt) {
        ASSERT_TRUE(run(*flow));
        EXPECT_EQ(inbox(/*done=*/false), 1) << "attempt " << attempt;
        clock_.advance(
            inbox_defaults.lease);  // The lease runs out; the next run takes the event again.
    }
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(inbox(/*done=*/false), 0);
    const auto failed = audit_details(store::AuditAction::kFail);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed.front().find("shipments poll"), std::string::npos) << failed.front();
    // Nothing was lost: the shipments poll wrote that label's tracking.
    EXPECT_EQ(packs("TrackingNumber eq 'TRK-999'"), 1u);
}

TEST_F(WebhookFlowTest, ARegistrationFailureRaisesAnAlertAndTheOrdersStillMove) {
    WatchingTransport watching(transport_);
    watching.fail("/webhooks");
    auto flow = runner(&watching);
    auto first = run(*flow);
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_GT(first->created, 100);
    auto alerts = store_->list_alerts(store::AlertStatus::kOpen);
    ASSERT_TRUE(alerts);
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_EQ(alerts->front().key, pipeline::webhook_alert_key(flow_.name, "shipstation"));
    EXPECT_NE(alerts->front().message.find("webhooks: false"), std::string::npos);

    watching.fail({});  // ShipStation reachable again: the next run subscribes, the alert closes.
    ASSERT_TRUE(run(*flow));
    EXPECT_EQ(checker_->shipstation->list_webhooks()->size(), 2u);
    EXPECT_TRUE(store_->list_alerts(store::AlertStatus::kOpen)->empty());
}

}  // namespace
}  // namespace mlc::flows::shipstation_epicor
