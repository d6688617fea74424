// Figures for issue 15's note: verified, durably stored webhook deliveries per second through the
// real intake path: HttpServer (Beast) -> Router -> WebhookIntake (HMAC-SHA256 verify of a 1.9 KB
// body) -> SqliteStateStore on a file (WAL, synchronous=FULL), N keep-alive client connections
// on their own threads, each sending distinct signed bodies one after the other for a fixed real
// time. Every 200 counted is a delivery the store has committed (the intake answers 2xx only
// then); anything else stops the client and is counted as an error.
// Counters:
//   deliveries_per_s  200-answered deliveries per real second;
//   p99_ms            99th percentile of the request time seen by the clients;
//   errors            non-200 answers or broken connections (0 expected).
// Args: {clients, rows already in the inbox (processed), server handler threads (0: the daemon's
// default, 16)}. MLC_BENCH_SECONDS (default 4) sets the real time per run.
// The pre-filled rows are written with plain SQL in one transaction before the server starts.
// This is a benchmark (real time, real fsyncs), never a test: the figures depend on the disk and
// on whoever else uses the CPU.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "net/hmac.hpp"
#include "net/http_server.hpp"
#include "net/http_server_test_client.hpp"
#include "net/router.hpp"
#include "net/webhook_intake.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace mlc;

constexpr std::string_view kSecret = "bench-webhook-secret-0123456789abcdef";
constexpr std::size_t kBodyBytes = 1900;
// The daemon's default handler threads (config server.threads, engine/config.hpp).
constexpr int kDaemonWorkers = 16;

// HMAC-SHA256 of the raw body in X-Bench-Signature (hex), the delivery id in X-Bench-Delivery.
class BenchChannel final : public net::WebhookChannel {
  public:
    std::string source() const override { return "bench"; }
    std::string label() const override { return "Bench"; }
    net::WebhookVerdict verify(const net::HttpRequest& request,
                               std::string_view secret) const override {
        const auto signature = net::find_header(request.headers, "X-Bench-Signature");
        if (!signature) return {.ok = false, .why = "no signature"};
        const std::string expected = net::hex_encode(net::hmac_sha256(secret, request.body));
        if (!net::constant_time_equal(*signature, expected)) {
            return {.ok = false, .why = "bad signature"};
        }
        return {.ok = true};
    }
    std::string topic(const net::HttpRequest&) const override { return "order.updated"; }
    std::string delivery_id(const net::HttpRequest& request) const override {
        return std::string(net::find_header(request.headers, "X-Bench-Delivery").value_or(""));
    }
};

std::chrono::seconds run_time() {
    const char* text = std::getenv("MLC_BENCH_SECONDS");
    const int seconds = text != nullptr ? std::atoi(text) : 0;
    return std::chrono::seconds(seconds > 0 ? seconds : 4);
}

std::string body_for(std::size_t client, std::size_t n) {
    std::string body = R"({"id":)" + std::to_string(client * 10'000'000 + n) +
                       R"(,"status":"processing","padding":")";
    body.append(kBodyBytes - body.size() - 2, 'x');
    return body + "\"}";
}

bool prefill(const fs::path& file, std::int64_t rows) {
    if (rows == 0) return true;
    sqlite3* db = nullptr;
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) return false;
    const std::string sql =
        "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(rows) +
        ") INSERT INTO inbox (flow, source, delivery_id, body_hash, topic, headers_json, body, "
        "received_at_us, attempts, lease_until_us, lease_owner, done) SELECT 'bench', 'bench', "
        "'old-' || i, printf('%064d', i), 'order.updated', '{}', printf('%01900d', i), "
        "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER), 1, NULL, '', 1 FROM n; "
        "COMMIT;";
    const bool done = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return done;
}

struct ClientFigures {
    std::size_t stored = 0;
    std::size_t errors = 0;
    std::vector<double> latencies_ms;
};

void run_client(std::uint16_t port, std::size_t client, std::chrono::steady_clock::time_point end,
                ClientFigures& out) {
    net::testing::TestConnection connection(port);
    if (!connection.connected()) {
        ++out.errors;
        return;
    }
    for (std::size_t n = 0; std::chrono::steady_clock::now() < end; ++n) {
        const std::string body = body_for(client, n);
        const net::Headers headers = {
            {"Content-Type", "application/json"},
            {"X-Bench-Delivery", std::to_string(client) + "-" + std::to_string(n)},
            {"X-Bench-Signature", net::hex_encode(net::hmac_sha256(kSecret, body))}};
        const auto start = std::chrono::steady_clock::now();
        if (!connection.send("POST", "/hooks/bench/bench", body, headers)) {
            ++out.errors;
            return;
        }
        const auto response = connection.read_response();
        if (!response || response->status != 200) {
            ++out.errors;
            return;
        }
        out.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        ++out.stored;
    }
}

void BM_WebhookIntake(benchmark::State& state) {
    const auto clients = static_cast<std::size_t>(state.range(0));
    const fs::path dir =
        fs::temp_directory_path() / ("mlc-intake-bench-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto logger =
        std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
    for (auto _ : state) {
        auto opened = store::SqliteStateStore::open((dir / "state.db").string());
        if (!opened || !prefill(dir / "state.db", state.range(1))) {
            state.SkipWithError("could not open or pre-fill the store");
            break;
        }
        SystemClock clock;
        net::WebhookChannels channels;
        net::add_channel(channels, std::make_shared<BenchChannel>());
        net::WebhookIntake intake(
            {.store = **opened,
             .clock = clock,
             .secrets = [](const std::string&, const std::string&)
                 -> Result<std::optional<std::string>> { return std::string(kSecret); },
             .channels = channels,
             .logger = logger});
        net::Router router;
        intake.mount(router);
        net::HttpServerOptions options;
        options.name = "bench";
        options.workers = state.range(2) > 0 ? static_cast<int>(state.range(2)) : kDaemonWorkers;
        net::HttpServer server(options, router.handler(), logger);
        if (!server.start()) {
            state.SkipWithError("server did not start");
            break;
        }
        std::vector<ClientFigures> figures(clients);
        std::vector<std::thread> threads;
        const auto begin = std::chrono::steady_clock::now();
        const auto end = begin + run_time();
        for (std::size_t c = 0; c < clients; ++c) {
            threads.emplace_back(run_client, server.port(), c, end, std::ref(figures[c]));
        }
        for (auto& thread : threads) thread.join();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        server.stop();
        std::vector<double> all;
        std::size_t stored = 0;
        std::size_t errors = 0;
        for (auto& figure : figures) {
            stored += figure.stored;
            errors += figure.errors;
            all.insert(all.end(), figure.latencies_ms.begin(), figure.latencies_ms.end());
        }
        std::sort(all.begin(), all.end());
        state.counters["deliveries_per_s"] = static_cast<double>(stored) / seconds;
        state.counters["p99_ms"] = all.empty() ? 0.0 : all[all.size() * 99 / 100];
        state.counters["errors"] = static_cast<double>(errors);
    }
    fs::remove_all(dir);
}

BENCHMARK(BM_WebhookIntake)
    ->ArgNames({"clients", "prefilled", "threads"})
    ->Args({1, 0, 0})
    ->Args({16, 0, 0})
    ->Args({64, 0, 0})
    ->Args({64, 0, 2})
    ->Args({64, 0, 64})
    ->Args({1, 100'000, 0})
    ->Args({16, 100'000, 0})
    ->Args({64, 100'000, 0})
    ->Args({64, 1'000'000, 0})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
