// Several `mlc run` workers on one PostgreSQL database (issue 16), as an operator runs them: the
// built binary as child processes sharing one mlc.yaml, one vault and one database, `mlc sandbox`
// (Epicor + WooCommerce) as the vendors, and SIGKILL as the crash.
//
// The children run on the real clock, so the test waits for what they do by polling the
// database (through a Clock, never a bare sleep) up to a bound that only stops a hung test; no
// assertion is about time. Without MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh) they skip.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "cli/testing/cli_child.hpp"
#include "common/clock.hpp"
#include "common/time.hpp"
#include "net/hmac.hpp"
#include "store/testing/test_postgres.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace http = boost::beast::http;
using mlc::cli::testing::single_quoted;
using mlc::cli::testing::slurp;
using mlc::store::testing::TestDatabase;

constexpr const char* kFlow = "shop-orders";
constexpr const char* kHookSecret = "workers-hook-secret";
// Only a bound for a hung test: every wait ends as soon as the state it waits for is there.
constexpr std::chrono::seconds kWaitMax{60};
constexpr std::size_t kPage = 500;  // Rows a listing asks a sandbox for at once.

// `mlc run` as a child process of the test, its stdout and stderr in a log file.
class Worker {
  public:
    Worker() = default;
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    ~Worker() { stop(SIGTERM); }

    bool start(const fs::path& dir, const std::string& name) {
        log_ = dir / (name + ".log");
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        std::vector<std::string> args = {"/bin/sh", "-c",
                                         "cd " + single_quoted(dir.string()) +
                                             " && exec env -u MLC_CONFIG -u MLC_DATA_DIR -u "
                                             "MLC_MASTER_KEY " +
                                             single_quoted(MLC_BINARY) + " run"};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        const int spawned = posix_spawn(&pid_, "/bin/sh", &files, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&files);
        return spawned == 0;
    }
    // SIGKILL (a crash) or SIGTERM (a stop), then reaped.
    void stop(int signal) {
        if (pid_ <= 0) return;
        ::kill(pid_, signal);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
    pid_t pid() const { return pid_; }
    std::string log() const { return slurp(log_); }
    // The webhook port its log announces ("webhooks at http://127.0.0.1:PORT/hooks"), or 0.
    int port() const {
        std::smatch match;
        const std::string text = log();
        if (!std::regex_search(text, match, std::regex("webhooks at http://[^:]+:([0-9]+)/"))) {
            return 0;
        }
        return std::stoi(match[1]);
    }

  private:
    pid_t pid_ = -1;
    fs::path log_;
};

// Polls `done` every 50 ms of `clock` until it holds or kWaitMax passed.
bool wait_until(mlc::Clock& clock, const std::function<bool()>& done) {
    const auto give_up = clock.steady_now() + kWaitMax;
    while (!done()) {
        if (clock.steady_now() > give_up) return false;
        clock.sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

struct Answer {
    int status = 0;
    std::string body;
};

class PostgresWorkersCli : public mlc::cli::testing::SandboxCliTest {
  protected:
    void SetUp() override {
        if (!TestDatabase::available()) GTEST_SKIP() << mlc::store::testing::kNoPostgresReason;
        ASSERT_NO_FATAL_FAILURE(start("shipstation,epicor,woocommerce", "9", "16"));
        url_ = database_.create("mlc_workers_" + dir_.filename().string().substr(8));
        const auto& woo = ports_.at("woocommerce").as_object();
        set_shipstation_epicor_secrets();
        set_secret("woo_key", woo.at("consumer_key"));
        set_secret("woo_secret", woo.at("consumer_secret"));
        set_secret("webhook.shop-orders.woocommerce", json::string(kHookSecret));
        write_config();
    }
    // Every worker reads this one file: the flow shop-orders (WooCommerce orders into Epicor, by
    // webhook and by poll) and `more_flows`. A delivery a dead run leased is leased again after
    // 2 s. With `start` in 2030 the poll finds nothing: an order landing came through the inbox.
    void write_config(const std::string& start = "2030-01-01T00:00:00Z",
                      const std::string& more_flows = "") {
        const auto& ep = ports_.at("epicor").as_object();
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\n"
               "store: {url: '"
            << url_
            << "'}\n"
               "server: {address: 127.0.0.1, port: 0}\n"
            << shipstation_epicor_connections(std::string(ep.at("company").as_string()))
            << "  shop:\n"
               "    system: woocommerce\n"
               "    base_url: "
            << woo("site_url")
            << "\n"
               "    secrets: {consumer_key: woo_key, consumer_secret: woo_secret}\n"
               "flows:\n"
               "  shop-orders:\n"
               "    recipe: woocommerce-to-epicor-orders\n"
               "    connections: {source: shop, target: ep}\n"
               "    schedule: {every: 1s}\n"
               "    options: {customer: C00001, webhooks: false, inbox_lease: 2s, start: '"
            << start << "'}\n"
            << more_flows;
    }

    // `curl -s ARGS` with the answer's status and body.
    Answer curl(const std::string& args) {
        const std::string command = "curl -s -o " + single_quoted((dir_ / "body.txt").string()) +
                                    " -w '%{http_code}' " + args + " > " +
                                    single_quoted((dir_ / "code.txt").string());
        if (std::system(command.c_str()) != 0) return {};
        return {.status = std::atoi(slurp(dir_ / "code.txt").c_str()),
                .body = slurp(dir_ / "body.txt")};
    }
    std::string woo(const std::string& key) const {
        return std::string(ports_.at("woocommerce").at(key).as_string());
    }
    // A shopper's checkout on the store: the new order's id.
    std::int64_t checkout(const std::string& sku, int quantity) {
        const json::object body{
            {"customer_id", 1},
            {"lines", json::array{json::object{{"sku", sku}, {"quantity", quantity}}}}};
        const auto answer = curl("-X POST -H 'Content-Type: application/json' -d " +
                                 single_quoted(json::serialize(body)) + " " +
                                 single_quoted(woo("site_url") + "/__sandbox/checkout"));
        EXPECT_EQ(answer.status, 201) << answer.body;
        if (answer.status != 201) return 0;
        const json::value order = json::parse(answer.body);
        return order.at("id").to_number<std::int64_t>();
    }
    // The order as WooCommerce's REST API shows it: the body its webhook delivers.
    std::string woo_order(std::int64_t id) {
        const auto answer = curl(single_quoted(woo("base_url") + "/orders/" + std::to_string(id) +
                                               "?consumer_key=" + woo("consumer_key") +
                                               "&consumer_secret=" + woo("consumer_secret")));
        EXPECT_EQ(answer.status, 200) << answer.body;
        return answer.body;
    }
    // Epicor sales orders whose PONum is `po` (the flow writes WOO-<id>).
    std::size_t epicor_orders_with_po(const std::string& po) {
        const auto answer =
            epicor_get("Erp.BO.SalesOrderSvc/SalesOrders?$filter=PONum%20eq%20%27" + po + "%27");
        if (answer.status != 200) return 0;
        const json::value listed = json::parse(answer.body);
        return listed.at("value").as_array().size();
    }
    // `path` of an Epicor OData service of the sandbox's company, as its user.
    Answer epicor_get(const std::string& path) {
        const auto& ep = ports_.at("epicor").as_object();
        const std::string url = std::string(ep.at("base_url").as_string()) + "/api/v2/odata/" +
                                std::string(ep.at("company").as_string()) + "/" + path;
        const auto answer =
            curl("-H " + single_quoted("x-api-key: " + std::string(ep.at("api_key").as_string())) +
                 " -u " +
                 single_quoted(std::string(ep.at("username").as_string()) + ":" +
                               std::string(ep.at("password").as_string())) +
                 " " + single_quoted(url));
        EXPECT_EQ(answer.status, 200) << path << ": " << answer.body;
        return answer;
    }
    // Woo SKUs (P10002 .. P10009, the shared catalog's part numbers) whose part is active in the
    // sandbox's Epicor: an order of them lands rather than parks.
    std::vector<std::string> landing_skus() {
        std::vector<std::string> skus;
        const auto answer = epicor_get("Erp.BO.PartSvc/Parts?$select=PartNum,InActive&$top=500");
        if (answer.status != 200) return skus;
        const json::value listed = json::parse(answer.body);
        for (const auto& part : listed.at("value").as_array()) {
            const std::string num(part.at("PartNum").as_string());
            if (part.at("InActive").as_bool() || num < "P10002" || num > "P10009") continue;
            skus.push_back(num);
        }
        return skus;
    }
    // Every Epicor sales order: OrderNum -> PONum.
    std::map<std::int64_t, std::string> epicor_orders() {
        std::map<std::int64_t, std::string> out;
        for (std::size_t skip = 0;; skip += kPage) {
            const auto answer =
                epicor_get("Erp.BO.SalesOrderSvc/SalesOrders?$select=OrderNum,PONum&$top=" +
                           std::to_string(kPage) + "&$skip=" + std::to_string(skip));
            if (answer.status != 200) return out;
            const json::value listed = json::parse(answer.body);
            const auto& rows = listed.at("value").as_array();
            for (const auto& row : rows) {
                out[row.at("OrderNum").to_number<std::int64_t>()] =
                    std::string(row.at("PONum").as_string());
            }
            if (rows.size() < kPage) return out;
        }
    }
    // ShipStation's orders that are not cancelled: their orderId and orderKey.
    std::vector<std::pair<std::string, std::string>> shipstation_open_orders() {
        const auto& ss = ports_.at("shipstation").as_object();
        std::vector<std::pair<std::string, std::string>> out;
        for (int page = 1;; ++page) {
            const auto answer =
                curl("-u " +
                     single_quoted(std::string(ss.at("api_key").as_string()) + ":" +
                                   std::string(ss.at("api_secret").as_string())) +
                     " " +
                     single_quoted(std::string(ss.at("base_url").as_string()) +
                                   "/orders?pageSize=500&page=" + std::to_string(page)));
            EXPECT_EQ(answer.status, 200) << answer.body;
            if (answer.status != 200) return out;
            const json::value listed = json::parse(answer.body);
            for (const auto& order : listed.at("orders").as_array()) {
                if (order.at("orderStatus").as_string() == "cancelled") continue;
                out.emplace_back(json::serialize(order.at("orderId")),
                                 std::string(order.at("orderKey").as_string()));
            }
            if (page >= listed.at("pages").to_number<int>()) return out;
        }
    }
    // Source keys a flow settled: bound to a target, or parked as an open dead letter.
    std::set<std::string> settled_keys(const std::string& flow) {
        std::set<std::string> keys;
        const auto rows =
            query("SELECT source_key FROM bindings WHERE flow = '" + flow +
                  "' UNION SELECT source_key FROM dead_letters WHERE status = 'open' AND flow = '" +
                  flow + "'");
        for (const auto& row : rows) keys.insert(row[0].as<std::string>());
        return keys;
    }
    // Every cursor now; a position behind the one seen before it fails the test. These streams'
    // positions are UTC times (ISO 8601), compared as times.
    void check_cursors(std::map<std::string, std::string>& seen) {
        for (const auto& row : query("SELECT flow || '/' || stream, value FROM cursors")) {
            const std::string name = row[0].as<std::string>();
            const std::string value = row[1].as<std::string>();
            auto [it, fresh] = seen.emplace(name, value);
            if (fresh) continue;
            const auto now = mlc::parse_iso8601(value);
            const auto then = mlc::parse_iso8601(it->second);
            ASSERT_TRUE(now && then) << name << ": " << value << " / " << it->second;
            EXPECT_GE(*now, *then)
                << "cursor " << name << " went back from " << it->second << " to " << value;
            it->second = value;
        }
    }

    pqxx::result query(const std::string& sql) {
        pqxx::connection db(url_);
        pqxx::nontransaction tx(db);
        return tx.exec(sql);
    }

    TestDatabase database_;
    std::string url_;
    mlc::SystemClock clock_;
};

// POSTs `body` as WooCommerce delivers order.created to `port`, signed with the flow's secret;
// with `kill`, SIGKILLs that worker the moment the answer's status line is read: before its run
// can have written anything. The status it answered.
int deliver(int port, const std::string& body, const std::string& delivery_id,
            Worker* kill = nullptr) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::beast::tcp_stream stream(io);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    http::request<http::string_body> request(http::verb::post, "/hooks/shop-orders/woocommerce",
                                             11);
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/json");
    request.set("X-WC-Webhook-Topic", "order.created");
    request.set("X-WC-Webhook-Resource", "order");
    request.set("X-WC-Webhook-Event", "created");
    request.set("X-WC-Webhook-Delivery-ID", delivery_id);
    request.set("X-WC-Webhook-Signature", mlc::net::woocommerce_signature(kHookSecret, body));
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    http::read_header(stream, buffer, parser);
    if (kill != nullptr) kill->stop(SIGKILL);
    return static_cast<int>(parser.get().result_int());
}

TEST_F(PostgresWorkersCli, ADeliveryAcceptedByAWorkerThatDiesRightAfterItsAnswerIsProcessedOnce) {
    Worker a;
    Worker b;
    ASSERT_TRUE(a.start(dir_, "worker-a"));
    ASSERT_TRUE(b.start(dir_, "worker-b"));
    ASSERT_TRUE(wait_until(clock_, [&] { return a.port() > 0 && b.port() > 0; }))
        << a.log() << b.log();

    const auto skus = landing_skus();
    ASSERT_FALSE(skus.empty());
    const std::int64_t id = checkout(skus.front(), 2);
    ASSERT_GT(id, 0);
    const std::string delivery = "workers-" + std::to_string(id);
    const int status = deliver(a.port(), woo_order(id), delivery, &a);
    ASSERT_EQ(status, 200) << a.log();

    // Worker B takes the delivery from the shared inbox and settles it.
    const std::string row =
        "SELECT done, attempts FROM inbox WHERE flow = 'shop-orders' AND "
        "delivery_id = '" +
        delivery + "'";
    ASSERT_TRUE(wait_until(clock_,
                           [&] {
                               const auto rows = query(row);
                               return rows.size() == 1 && rows[0][0].as<bool>();
                           }))
        << "the delivery was never settled\n"
        << b.log();
    b.stop(SIGTERM);

    const std::string po = "WOO-" + std::to_string(id);
    EXPECT_EQ(epicor_orders_with_po(po), 1u) << po << " must land in Epicor once";
    const auto writes = query(
        "SELECT action, outcome, source_ref, target_ref FROM audit WHERE flow = 'shop-orders' AND "
        "action IN ('create', 'update') AND source_ref LIKE '%:" +
        std::to_string(id) + "'");
    ASSERT_EQ(writes.size(), 1u) << "one write in the audit trail";
    EXPECT_EQ(writes[0][0].as<std::string>(), "create");
    EXPECT_EQ(writes[0][1].as<std::string>(), "ok");
    // B wrote it; A died holding (at most) the delivery's lease.
    EXPECT_NE(b.log().find("(orders: 1 created)"), std::string::npos) << b.log();
    EXPECT_EQ(a.log().find("(orders: 1 created)"), std::string::npos) << a.log();
    std::cout << "[ info ] the delivery was leased " << query(row)[0][1].as<int>()
              << " time(s) (2: worker A had leased it before it died)\n";
}

// The ShipStation orders flow beside shop-orders: five orders a page, so a kill lands between
// page commits too.
constexpr const char* kShipStationFlow =
    "  orders:\n"
    "    recipe: shipstation-to-epicor-orders\n"
    "    connections: {source: ss, target: ep}\n"
    "    schedule: {every: 2s}\n"
    "    options: {webhooks: false, customer: C00002, page_size: 5}\n"
    "    mappings: {parts: {'SKU-*': 'P*'}}\n";
constexpr int kKills = 20;
constexpr int kWorkers = 3;

unsigned test_seed() {
    const char* given = std::getenv("MLC_TEST_SEED");
    return given != nullptr ? static_cast<unsigned>(std::stoul(given)) : std::random_device{}();
}

// Three workers on one database run both flows while one of them, drawn at random, is SIGKILLed
// at a random point 20 times and started again; meanwhile WooCommerce orders are placed and
// delivered to a random worker (and the poll sees them too). Afterwards every record is in
// Epicor once, every ShipStation order landed or is parked, no cursor ever went back and no
// record was written twice.
TEST_F(PostgresWorkersCli, ThreeWorkersOneKilledTwentyTimesLandEveryRecordOnce) {
    const unsigned seed = test_seed();
    std::cout << "[ info ] seed " << seed << " (MLC_TEST_SEED=" << seed << " repeats it)\n";
    std::mt19937 random(seed);
    write_config(mlc::format_iso8601(clock_.now() - std::chrono::minutes(1)), kShipStationFlow);
    const auto before = epicor_orders();
    const auto skus = landing_skus();
    ASSERT_FALSE(skus.empty());
    std::vector<std::unique_ptr<Worker>> workers;
    for (int w = 0; w < kWorkers; ++w) {
        workers.push_back(std::make_unique<Worker>());
        ASSERT_TRUE(workers.back()->start(dir_, "worker-" + std::to_string(w) + "-0"));
    }
    const auto all_ready = [&] {
        return std::all_of(workers.begin(), workers.end(), [](auto& w) { return w->port() > 0; });
    };
    ASSERT_TRUE(wait_until(clock_, all_ready));

    std::map<std::string, std::string> cursors;
    std::vector<std::int64_t> placed;
    int mid_run = 0;  // Kills of a worker that held a flow's lease: in the middle of a run.
    const auto draw = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    for (int kill = 1; kill <= kKills; ++kill) {
        const std::int64_t id = checkout(
            skus[static_cast<std::size_t>(draw(static_cast<int>(skus.size())))], 1 + draw(3));
        ASSERT_GT(id, 0);
        placed.push_back(id);
        Worker& to = *workers[static_cast<std::size_t>(draw(kWorkers))];
        EXPECT_EQ(deliver(to.port(), woo_order(id), "storm-" + std::to_string(id)), 200);
        clock_.sleep_for(std::chrono::milliseconds(draw(1500)));  // A random point of the runs.
        const auto victim = static_cast<std::size_t>(draw(kWorkers));
        const auto held = query("SELECT count(*) FROM leases WHERE owner LIKE '%:" +
                                std::to_string(workers[victim]->pid()) + "'");
        mid_run += held[0][0].as<int>() > 0 ? 1 : 0;
        workers[victim]->stop(SIGKILL);
        ASSERT_NO_FATAL_FAILURE(check_cursors(cursors));
        workers[victim] = std::make_unique<Worker>();
        ASSERT_TRUE(workers[victim]->start(
            dir_, "worker-" + std::to_string(victim) + "-" + std::to_string(kill)));
        ASSERT_TRUE(wait_until(clock_, all_ready));
    }

    const auto ss_orders = shipstation_open_orders();
    ASSERT_FALSE(ss_orders.empty());
    const auto settled = [&] {
        check_cursors(cursors);
        const auto pending = query("SELECT count(*) FROM inbox WHERE NOT done")[0][0].as<int>();
        const auto shop = settled_keys("shop-orders");
        const auto ss = settled_keys("orders");
        return pending == 0 &&
               std::all_of(placed.begin(), placed.end(),
                           [&](std::int64_t id) { return shop.contains(std::to_string(id)); }) &&
               std::all_of(ss_orders.begin(), ss_orders.end(), [&](const auto& order) {
                   return ss.contains(order.first) || ss.contains(order.second);
               });
    };
    EXPECT_TRUE(wait_until(clock_, settled)) << "not every record settled";
    for (auto& worker : workers) worker->stop(SIGTERM);

    // Epicor: every new order once (no PONum twice), every placed Woo order among them.
    std::map<std::string, int> by_po;
    for (const auto& [num, po] : epicor_orders()) {
        if (!before.contains(num)) ++by_po[po];
    }
    for (const auto& [po, count] : by_po) EXPECT_EQ(count, 1) << po << " landed " << count << "x";
    for (std::int64_t id : placed) {
        EXPECT_TRUE(by_po.contains("WOO-" + std::to_string(id))) << "WOO-" << id << " missing";
    }
    // The shop's orders all map: none may be parked.
    for (const auto& row : query("SELECT source_key, error_code, error_message FROM dead_letters "
                                 "WHERE status = 'open' AND flow = 'shop-orders'")) {
        ADD_FAILURE() << "Woo order " << row[0].as<std::string>() << " parked ("
                      << row[1].as<std::string>() << "): " << row[2].as<std::string>();
    }
    // No record written twice, by any worker.
    const auto doubled = query(
        "SELECT flow, source_ref, count(*) FROM audit WHERE action = 'create' AND outcome = 'ok' "
        "GROUP BY flow, source_ref HAVING count(*) > 1");
    for (const auto& row : doubled) {
        ADD_FAILURE() << row[0].as<std::string>() << " " << row[1].as<std::string>() << " created "
                      << row[2].as<int>() << " times";
    }
    std::cout << "[ info ] " << placed.size() << " Woo orders, " << ss_orders.size()
              << " ShipStation orders, " << by_po.size() << " new Epicor orders, " << kKills
              << " kills, " << mid_run << " of them in the middle of a run\n";
    EXPECT_GT(mid_run, 0) << "no kill landed in a run: the test proved nothing";
}

}  // namespace
