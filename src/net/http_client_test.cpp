#include "net/http_client.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <vector>

#include "net/testing/scripted_transport.hpp"

namespace mlc::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ScriptedTransport;

HttpResponse status_response(int status, Headers headers = {}) {
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    response.body = "{}";
    return response;
}

Error no_answer() { return make_error(ErrorCode::kTransient, "test", "connection reset"); }

CallRequest get(std::string url) {
    CallRequest call;
    call.request.method = "GET";
    call.request.url = std::move(url);
    call.connection = "shipstation-main";
    return call;
}

CallRequest post(std::string url) {
    CallRequest call = get(std::move(url));
    call.request.method = "POST";
    call.request.body = R"({"orderKey":"SS-1"})";
    return call;
}

// Records what the client reports, so tests can check every wait it made.
class RecordingObserver final : public ClientObserver {
  public:
    void on_attempt(std::string_view, std::string_view, int status,
                    std::chrono::nanoseconds) override {
        statuses.push_back(status);
    }
    void on_retry(std::string_view, std::string_view, milliseconds delay) override {
        delays.push_back(delay);
    }
    void on_rate_limited(std::string_view, std::string_view) override { ++rate_limited; }
    void on_throttled(std::string_view, std::string_view, std::chrono::nanoseconds) override {
        ++throttled;
    }
    std::vector<int> statuses;
    std::vector<milliseconds> delays;
    int rate_limited = 0;
    int throttled = 0;
};

// A fast limiter so retry tests measure the retry policy, not the rate limit.
RateLimiterConfig unlimited() {
    return RateLimiterConfig{.connection = {.requests_per_second = 1e6, .burst = 1e6}};
}

struct Fixture {
    explicit Fixture(RetryOptions retry = {}) {
        limiters.configure("shipstation-main", unlimited());
        client = std::make_unique<HttpClient>(
            HttpClientOptions{.system = "shipstation", .retry = retry}, transport, clock, limiters,
            /*seed=*/1234, nullptr, &observer);
    }
    ManualClock clock;
    ScriptedTransport transport;
    RateLimiterRegistry limiters;
    RecordingObserver observer;
    std::unique_ptr<HttpClient> client;
};

const RetryOptions kRetry{.max_attempts = 6,
                          .base_delay = milliseconds(200),
                          .max_delay = milliseconds(3'000),
                          .max_total_delay = seconds(60)};

TEST(ClientRetry, StopsAfterMaxAttemptsWithEveryDelayWithinItsCap) {
    Fixture f(kRetry);
    f.transport.respond("/orders", status_response(503)).repeat_last("/orders");
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_EQ(result.error().http_status, 503);
    EXPECT_EQ(f.transport.request_count(), 6u);
    ASSERT_EQ(f.observer.delays.size(), 5u);
    RetryPolicy caps(kRetry, 0);
    milliseconds sum{0};
    for (std::uint32_t i = 0; i < f.observer.delays.size(); ++i) {
        EXPECT_GE(f.observer.delays[i], milliseconds(0));
        EXPECT_LE(f.observer.delays[i], caps.delay_cap(i));
        sum += f.observer.delays[i];
    }
    EXPECT_EQ(f.clock.total_slept(), sum);
}

TEST(ClientRetry, ACallClassCanCarryItsOwnRetryBounds) {
    Fixture f(kRetry);  // The connection's default: 6 attempts.
    f.transport.respond("/orders", status_response(503)).repeat_last("/orders");
    CallRequest lookup = get("https://ssapi.example/orders");
    const RetryOptions quick{.max_attempts = 2,
                             .base_delay = milliseconds(50),
                             .max_delay = milliseconds(100),
                             .max_total_delay = seconds(1)};
    lookup.retry = quick;
    const auto result = f.client->call(lookup);
    ASSERT_FALSE(result);
    EXPECT_EQ(f.transport.request_count(), 2u);
    ASSERT_EQ(f.observer.delays.size(), 1u);
    EXPECT_LE(f.observer.delays[0], RetryPolicy::delay_cap(0, quick));
}

TEST(ClientRetry, TotalWaitStaysWithinTheTimeBudget) {
    Fixture f(RetryOptions{.max_attempts = 1'000,
                           .base_delay = seconds(1),
                           .max_delay = seconds(1),
                           .max_total_delay = seconds(5)});
    f.transport.fail("/orders", no_answer()).repeat_last("/orders");
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_LE(f.clock.total_slept(), seconds(5));
    EXPECT_LT(f.transport.request_count(), 1'000u);
}

TEST(ClientRetry, RecoversWhenTheVendorComesBack) {
    Fixture f(kRetry);
    f.transport.fail("/orders", no_answer())
        .respond("/orders", status_response(502))
        .respond("/orders", status_response(504))
        .respond("/orders", status_response(200));
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(f.transport.request_count(), 4u);
}

TEST(ClientRetry, HonoursRetryAfterSeconds) {
    Fixture f(kRetry);
    f.transport.respond("/orders", status_response(429, {{"Retry-After", "7"}}))
        .respond("/orders", status_response(200));
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_TRUE(result);
    EXPECT_GE(f.clock.total_slept(), seconds(7));
    EXPECT_EQ(f.observer.rate_limited, 1);
}

TEST(ClientRetry, HonoursRetryAfterHttpDateAgainstTheClocksWallTime) {
    // 1700000000 = Tue, 14 Nov 2023 22:13:20 GMT; the vendor asks for 22:13:50, 30 s later.
    Fixture f(kRetry);
    f.transport
        .respond("/orders",
                 status_response(429, {{"Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT"}}))
        .respond("/orders", status_response(200));
    const UtcTime started = f.clock.now();
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_TRUE(result);
    EXPECT_GE(f.clock.now() - started, seconds(30));
    EXPECT_GE(f.clock.total_slept(), seconds(30));
}

TEST(ClientRetry, RateLimitedErrorCarriesRetryAfterWhenAttemptsRunOut) {
    Fixture f(RetryOptions{.max_attempts = 2, .max_total_delay = seconds(600)});
    f.transport.respond("/orders", status_response(429, {{"Retry-After", "42"}}))
        .repeat_last("/orders");
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(result.error().http_status, 429);
    EXPECT_EQ(result.error().retry_after, milliseconds(42'000));
    EXPECT_EQ(f.observer.rate_limited, 2);
}

TEST(ClientRetry, PostIsNotRepeatedUnlessTheTargetDedupes) {
    Fixture f(kRetry);
    f.transport.fail("/orders/createorder", no_answer()).repeat_last("/orders/createorder");
    const auto once = f.client->call(post("https://ssapi.example/orders/createorder"));
    ASSERT_FALSE(once);
    EXPECT_EQ(once.error().code, ErrorCode::kTransient);
    EXPECT_EQ(f.transport.request_count(), 1u);
    EXPECT_EQ(f.clock.total_slept(), milliseconds(0));
}

TEST(ClientRetry, PostGettingServiceUnavailableIsNotRepeatedEither) {
    Fixture f(kRetry);
    f.transport.respond("/orders/createorder", status_response(503))
        .repeat_last("/orders/createorder");
    const auto once = f.client->call(post("https://ssapi.example/orders/createorder"));
    ASSERT_FALSE(once);
    EXPECT_EQ(f.transport.request_count(), 1u);
}

TEST(ClientRetry, PostRefusedWithTooManyRequestsIsRepeatedAfterTheVendorsWait) {
    Fixture f(kRetry);
    f.transport.respond("/orders/createorder", status_response(429, {{"Retry-After", "3"}}))
        .respond("/orders/createorder", status_response(200));
    const auto result = f.client->call(post("https://ssapi.example/orders/createorder"));
    ASSERT_TRUE(result);  // A 429 was refused unapplied: sending the create again is safe.
    EXPECT_EQ(f.transport.request_count(), 2u);
    EXPECT_GE(f.clock.total_slept(), milliseconds(3'000));
}

TEST(ClientRetry, ServerErrorIsRetriedOnAGetAndTheLastAnswerComesBack) {
    Fixture f(kRetry);
    f.transport.respond("/orders", status_response(500)).respond("/orders", status_response(200));
    const auto healed = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_TRUE(healed);
    EXPECT_EQ(healed->status, 200);
    EXPECT_EQ(f.transport.request_count(), 2u);

    Fixture g(kRetry);
    g.transport.respond("/orders", status_response(500)).repeat_last("/orders");
    const auto lasting = g.client->call(get("https://ssapi.example/orders"));
    ASSERT_TRUE(lasting);  // The connector maps the vendor's 500 body into its message.
    EXPECT_EQ(lasting->status, 500);
    EXPECT_EQ(g.transport.request_count(), kRetry.max_attempts);
}

TEST(ClientRetry, PostGettingAServerErrorIsNotRepeated) {
    Fixture f(kRetry);
    f.transport.respond("/orders/createorder", status_response(500))
        .repeat_last("/orders/createorder");
    const auto once = f.client->call(post("https://ssapi.example/orders/createorder"));
    ASSERT_TRUE(once);
    EXPECT_EQ(once->status, 500);
    EXPECT_EQ(f.transport.request_count(), 1u);
}

TEST(ClientRetry, PostIsRepeatedWhenFlaggedAsDeduped) {
    Fixture f(kRetry);
    f.transport.fail("/orders/createorder", no_answer())
        .respond("/orders/createorder", status_response(200));
    CallRequest call = post("https://ssapi.example/orders/createorder");
    call.dedupes = true;  // ShipStation upserts on orderKey.
    const auto result = f.client->call(call);
    ASSERT_TRUE(result);
    EXPECT_EQ(f.transport.request_count(), 2u);
    EXPECT_EQ(f.transport.requests()[1].body, call.request.body);
}

TEST(ClientRetry, ClientErrorsAreReturnedAtOnceForTheConnectorToMap) {
    for (int status : {400, 403, 404, 409, 422}) {
        Fixture f(kRetry);
        f.transport.respond("/orders", status_response(status)).repeat_last("/orders");
        const auto result = f.client->call(get("https://ssapi.example/orders"));
        ASSERT_TRUE(result) << status;
        EXPECT_EQ(result->status, status);
        EXPECT_EQ(f.transport.request_count(), 1u) << status;
    }
}

TEST(ClientRetry, RequestTimeoutAndTooManyRequestsAreRetried) {
    for (int status : {408, 429}) {
        Fixture f(kRetry);
        f.transport.respond("/orders", status_response(status))
            .respond("/orders", status_response(200));
        const auto result = f.client->call(get("https://ssapi.example/orders"));
        ASSERT_TRUE(result) << status;
        EXPECT_EQ(f.transport.request_count(), 2u) << status;
    }
}

TEST(ClientRetry, UnauthorizedIsNotRetriedHere) {
    Fixture f(kRetry);
    f.transport.respond("/orders", status_response(401)).repeat_last("/orders");
    const auto result = f.client->call(get("https://ssapi.example/orders"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(result.error().http_status, 401);
    EXPECT_EQ(f.transport.request_count(), 1u);
}

TEST(ClientErrors, NameSystemAndPathButNeverTheQuery) {
    Fixture f(RetryOptions{.max_attempts = 1});
    f.transport.fail("/orders", no_answer());
    const auto result =
        f.client->call(get("https://shop.example/wp-json/wc/v3/orders?consumer_key=ck_s3cr3t"));
    ASSERT_FALSE(result);
    const std::string text = result.error().describe();
    EXPECT_NE(text.find("shipstation"), std::string::npos) << text;
    EXPECT_NE(text.find("/wp-json/wc/v3/orders"), std::string::npos) << text;
    EXPECT_EQ(text.find("ck_s3cr3t"), std::string::npos) << text;
}

TEST(ClientDeadline, RetryWaitPastTheDeadlineEndsTheCall) {
    Fixture f(
        RetryOptions{.max_attempts = 10, .base_delay = seconds(10), .max_delay = seconds(10)});
    f.transport.respond("/orders", status_response(429, {{"Retry-After", "30"}}))
        .repeat_last("/orders");
    CallRequest call = get("https://ssapi.example/orders");
    call.deadline = f.clock.steady_now() + seconds(20);
    const auto result = f.client->call(call);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(result.error().retry_after, milliseconds(30'000));
    EXPECT_EQ(f.transport.request_count(), 1u);
    EXPECT_LE(f.clock.total_slept(), seconds(20));
}

TEST(ClientDeadline, TransportTimeoutNeverOutlivesTheDeadline) {
    Fixture f;
    f.transport.respond("/orders", status_response(200));
    CallRequest call = get("https://ssapi.example/orders");
    call.deadline = f.clock.steady_now() + milliseconds(1'500);
    ASSERT_TRUE(f.client->call(call));
    EXPECT_LE(f.transport.last_options().total_timeout, milliseconds(1'500));
}

// A fake ShipStation V1: 40 requests per rolling minute per API key; past it HTTP 429. Every
// answer carries X-Rate-Limit-Limit/-Remaining/-Reset (seconds until the oldest request in the
// window leaves it, rounded up).
class FakeShipStation {
  public:
    static constexpr std::size_t kLimit = 40;
    static constexpr seconds kWindow{60};

    explicit FakeShipStation(ManualClock& clock) : clock_(clock) {}

    Result<HttpResponse> handle(const HttpRequest&) {
        clock_.advance(milliseconds(150));  // Network and server time of one call.
        const SteadyTime now = clock_.steady_now();
        while (!accepted_.empty() && now - accepted_.front() >= kWindow) accepted_.pop_front();
        HttpResponse response;
        if (accepted_.size() >= kLimit) {
            ++rejected;
            response.status = 429;
        } else {
            accepted_.push_back(now);
            ++served;
            response.status = 200;
            response.body = R"({"orders":[],"total":0})";
        }
        const auto reset = std::chrono::ceil<seconds>(accepted_.front() + kWindow - now);
        response.headers = {{"X-Rate-Limit-Limit", std::to_string(kLimit)},
                            {"X-Rate-Limit-Remaining", std::to_string(kLimit - accepted_.size())},
                            {"X-Rate-Limit-Reset", std::to_string(reset.count())}};
        return response;
    }

    int served = 0;
    int rejected = 0;

  private:
    ManualClock& clock_;
    std::deque<SteadyTime> accepted_;
};

TEST(ClientRateLimit, VendorHeadersKeepAShipStationAccountUnder40PerMinuteWithoutA429) {
    ManualClock clock;
    FakeShipStation vendor(clock);
    ScriptedTransport transport;
    transport.route("ssapi.example", [&](const HttpRequest& r) { return vendor.handle(r); });
    RateLimiterRegistry limiters;
    // What an operator configures from the docs: 40 a minute, bursting to 40.
    limiters.configure(
        "shipstation-main",
        RateLimiterConfig{.connection = {.requests_per_second = 40.0 / 60.0, .burst = 40}});
    RecordingObserver observer;
    HttpClient client(HttpClientOptions{.system = "shipstation"}, transport, clock, limiters, 5,
                      nullptr, &observer);

    const SteadyTime end = clock.steady_now() + std::chrono::hours(1);
    constexpr int kCallsMax = 100'000;  // Far above what an hour allows: the limiter is the bound.
    int calls = 0;
    while (clock.steady_now() < end && calls < kCallsMax) {
        const auto result = client.call(get("https://ssapi.example/orders?page=1"));
        ASSERT_TRUE(result) << result.error().describe();
        ++calls;
    }
    EXPECT_EQ(vendor.rejected, 0);
    EXPECT_EQ(observer.rate_limited, 0);
    // Throughput stays close to the allowance: 40/min for 60 minutes is 2400.
    EXPECT_LE(vendor.served, 40 * 61);
    EXPECT_GE(vendor.served, 40 * 50);
}

TEST(ClientRateLimit, VendorHeadersAloneAvoid429sWhenTheLocalLimitIsTooGenerous) {
    ManualClock clock;
    FakeShipStation vendor(clock);
    ScriptedTransport transport;
    transport.route("ssapi.example", [&](const HttpRequest& r) { return vendor.handle(r); });
    RateLimiterRegistry limiters;
    // A wrong local setting (10 a second, bursting to 1000): only the headers can save us.
    limiters.configure("shipstation-main",
                       RateLimiterConfig{.connection = {.requests_per_second = 10, .burst = 1000}});
    RecordingObserver observer;
    HttpClient client(HttpClientOptions{.system = "shipstation"}, transport, clock, limiters, 9,
                      nullptr, &observer);

    const SteadyTime end = clock.steady_now() + std::chrono::hours(1);
    constexpr int kCallsMax = 100'000;  // Far above what an hour allows: the limiter is the bound.
    int calls = 0;
    while (clock.steady_now() < end && calls < kCallsMax) {
        ASSERT_TRUE(client.call(get("https://ssapi.example/orders?page=1")));
        ++calls;
    }
    EXPECT_EQ(vendor.rejected, 0);
    EXPECT_EQ(observer.rate_limited, 0);
    EXPECT_GE(vendor.served, 40 * 50);  // Still close to the allowance, not overly timid.
}

TEST(ClientRateLimit, TwoClientsOnOneConnectionShareOneBudget) {
    ManualClock clock;
    FakeShipStation vendor(clock);
    ScriptedTransport transport;
    transport.route("ssapi.example", [&](const HttpRequest& r) { return vendor.handle(r); });
    RateLimiterRegistry limiters;
    limiters.configure(
        "shipstation-main",
        RateLimiterConfig{.connection = {.requests_per_second = 40.0 / 60.0, .burst = 40}});
    HttpClient orders_flow(HttpClientOptions{.system = "shipstation"}, transport, clock, limiters,
                           1);
    HttpClient shipments_flow(HttpClientOptions{.system = "shipstation"}, transport, clock,
                              limiters, 2);
    for (int i = 0; i < 300; ++i) {
        ASSERT_TRUE(orders_flow.call(get("https://ssapi.example/orders")));
        ASSERT_TRUE(shipments_flow.call(get("https://ssapi.example/shipments")));
    }
    EXPECT_EQ(vendor.rejected, 0);
}

// What PostgresStateStore::take_request_slot does for several processes (store/README.md): a
// sliding-window log of every worker's requests, here in memory.
class SharedLog final : public SharedRequestBudget {
  public:
    Result<Slot> take(const std::string& connection, int limit, milliseconds window,
                      UtcTime now) override {
        auto& sent = sent_[connection];
        while (!sent.empty() && sent.front() <= now - window) sent.pop_front();
        if (static_cast<int>(sent.size()) < limit) {
            sent.push_back(now);
            ++granted;
            return Slot{.granted = true, .retry_at = now};
        }
        return Slot{.granted = false, .retry_at = sent[sent.size() - limit] + window};
    }

    int granted = 0;

  private:
    std::map<std::string, std::deque<UtcTime>> sent_;
};

// Issue 16: two workers (two processes: a registry each, so neither sees the other's requests
// locally) on one ShipStation key, over a simulated hour, with the budget shared through the
// store: the vendor never answers 429 and they still use the allowance.
TEST(ClientRateLimit, TwoWorkersOnOneKeyShareTheBudgetThroughTheStore) {
    ManualClock clock;
    FakeShipStation vendor(clock);
    ScriptedTransport transport;
    transport.route("ssapi.example", [&](const HttpRequest& r) { return vendor.handle(r); });
    SharedLog store;
    RateLimiterRegistry worker_a;
    RateLimiterRegistry worker_b;
    for (auto* limiters : {&worker_a, &worker_b}) {
        limiters->configure(
            "shipstation-main",
            RateLimiterConfig{.connection = {.requests_per_second = 40.0 / 60.0, .burst = 40}});
        limiters->share_with(&store);
    }
    RecordingObserver observer;
    HttpClient a(HttpClientOptions{.system = "shipstation"}, transport, clock, worker_a, 1, nullptr,
                 &observer);
    HttpClient b(HttpClientOptions{.system = "shipstation"}, transport, clock, worker_b, 2, nullptr,
                 &observer);
    const SteadyTime end = clock.steady_now() + std::chrono::hours(1);
    int calls = 0;
    while (clock.steady_now() < end && calls < 100'000) {
        ASSERT_TRUE((calls % 3 == 0 ? b : a).call(get("https://ssapi.example/orders")));
        ++calls;
    }
    EXPECT_EQ(vendor.rejected, 0);
    EXPECT_EQ(observer.rate_limited, 0);
    EXPECT_LE(vendor.served, 40 * 61);
    EXPECT_GE(vendor.served, 40 * 50);
    EXPECT_EQ(store.granted, vendor.served);  // Every request went through the shared budget.
}

}  // namespace
}  // namespace mlc::net
