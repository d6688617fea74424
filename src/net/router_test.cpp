#include "net/router.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"

namespace mlc::net {
namespace {

HttpRequest request(std::string method, std::string url) {
    HttpRequest out;
    out.method = std::move(method);
    out.url = std::move(url);
    return out;
}

RouteHandler answer(std::string body) {
    return [body](const HttpRequest&, const RouteParams& params) {
        std::string text = body;
        for (const auto& [name, value] : params) text += " " + name + "=" + value;
        return json_response(200, text);
    };
}

TEST(RouterMatch, ExtractsDecodedParametersAndIgnoresTheQuery) {
    Router router;
    router.add("POST", "/hooks/{flow}/{source}", answer("hook"));
    auto response = router.handle(request("POST", "/hooks/ss%2Depicor/woocommerce?token=x"));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "hook flow=ss-epicor source=woocommerce");
}

TEST(RouterMatch, PatternRouteWinsOverPrefixAndLongestPrefixWins) {
    Router router;
    router.add_prefix(std::string(kAnyMethod), "/sandbox/", answer("sandbox"));
    router.add_prefix(std::string(kAnyMethod), "/sandbox/ups/", answer("ups"));
    router.add("GET", "/sandbox/ups/health", answer("health"));
    EXPECT_EQ(router.handle(request("GET", "/sandbox/ups/health")).body, "health");
    EXPECT_EQ(router.handle(request("PUT", "/sandbox/ups/a/b")).body, "ups rest=a/b");
    EXPECT_EQ(router.handle(request("GET", "/sandbox/woo/x")).body, "sandbox rest=woo/x");
    EXPECT_EQ(router.handle(request("GET", "/sandbox")).body, "sandbox rest=");
}

TEST(RouterMatch, UnknownPathIs404Json) {
    Router router;
    router.add("GET", "/a", answer("a"));
    auto response = router.handle(request("GET", "/b?token=secret"));
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body.find("secret"), std::string::npos);
    EXPECT_NE(response.body.find(R"("error")"), std::string::npos);
}

TEST(RouterMatch, KnownPathWithOtherMethodIs405ListingAllowedMethods) {
    Router router;
    router.add("GET", "/orders/{id}", answer("get"));
    router.add("PUT", "/orders/{id}", answer("put"));
    auto response = router.handle(request("DELETE", "/orders/7"));
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(find_header(response.headers, "Allow").value_or(""), "GET, PUT");
}

TEST(RouterMatch, PathDeeperThanTheBoundIs404) {
    Router router;
    router.add_prefix(std::string(kAnyMethod), "/", answer("root"));
    std::string deep;
    for (std::size_t i = 0; i <= kRoutePathSegmentsMax; ++i) deep += "/x";
    EXPECT_EQ(router.handle(request("GET", deep)).status, 404);
    EXPECT_EQ(router.handle(request("GET", "/x/y")).status, 200);
}

TEST(RouterMetrics, RecordsRouteStatusAndLatencyFromTheClock) {
    ManualClock clock;
    Metrics metrics;
    Router router(RouterObservers{.metrics = &metrics, .clock = &clock});
    router.add("GET", "/slow/{id}", [&clock](const HttpRequest&, const RouteParams&) {
        clock.advance(std::chrono::milliseconds(300));
        return json_response(201, "{}");
    });
    ASSERT_EQ(router.handle(request("GET", "/slow/1")).status, 201);
    ASSERT_EQ(router.handle(request("GET", "/none")).status, 404);
    EXPECT_EQ(
        metrics.counter_value(kHttpRequestsTotal,
                              {{"route", "/slow/{id}"}, {"method", "GET"}, {"status", "201"}}),
        1u);
    EXPECT_EQ(metrics.counter_value(kHttpRequestsTotal,
                                    {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
              1u);
    const std::string text = metrics.render_prometheus();
    // 0.3 s falls in the 0.5 bucket, not in the 0.25 one.
    EXPECT_NE(
        text.find(R"(mlc_http_request_duration_seconds_bucket{route="/slow/{id}",le="0.25"} 0)"),
        std::string::npos);
    EXPECT_NE(
        text.find(R"(mlc_http_request_duration_seconds_bucket{route="/slow/{id}",le="0.5"} 1)"),
        std::string::npos);
}

}  // namespace
}  // namespace mlc::net
