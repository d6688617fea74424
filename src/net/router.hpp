#pragma once
// Router: maps (method, path) to a handler. Patterns are literal segments and `{name}` segments
// ("/hooks/{flow}/{source}"); a prefix route ("/sandbox/ups/") takes every path below it. Pattern
// routes win over prefix routes, and the longest prefix wins among prefixes. A path that matches
// no route answers 404, a path that matches with another method answers 405 with Allow; both in
// JSON. With a Metrics and a Clock it records requests by route pattern and status, and latency.
//
// Lifecycle: add routes, then serve; routes are not added while serving.
// Thread safety: handle() is safe from several threads once routes are added (handlers must be
// thread safe themselves). Ownership: owns the handlers; Metrics and Clock are borrowed and must
// outlive the router.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "net/http_server.hpp"
#include "net/http_types.hpp"
#include "net/metrics.hpp"

namespace mlc::net {

// `{name}` segment values, percent-decoded; a prefix route puts the remainder under "rest".
using RouteParams = std::map<std::string, std::string, std::less<>>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const RouteParams&)>;
// A route that may open a Server-Sent Events stream (HttpServer's StreamAnswer).
using StreamRouteHandler = std::function<StreamAnswer(const HttpRequest&, const RouteParams&)>;

// Paths deeper than this are answered 404 without matching (outside input bound).
inline constexpr std::size_t kRoutePathSegmentsMax = 64;
// The method that matches every method on a route.
inline constexpr std::string_view kAnyMethod = "*";

struct RouterObservers {
    Metrics* metrics = nullptr;  // Optional: requests and latency by route.
    Clock* clock = nullptr;      // Required with metrics: latency is steady time.
};

class Router {
  public:
    explicit Router(RouterObservers observers = {});

    // `method` is "GET", "POST", ... or kAnyMethod.
    void add(std::string method, std::string pattern, RouteHandler handler);
    // Every path equal to `prefix` or below it ("/a/" takes "/a/b/c").
    void add_prefix(std::string method, std::string prefix, RouteHandler handler);

    // A GET route answered by a stream (HttpServerOptions::streams = stream_handler()). Through
    // handle() alone it answers its refusal, or 501 when it would open a stream.
    void add_stream(std::string pattern, StreamRouteHandler handler);

    HttpResponse handle(const HttpRequest& request) const;
    // A handler for HttpServer that calls handle(); the router must outlive it.
    HttpHandler handler() const;
    // For HttpServerOptions::streams: a request matching a stream route gets its StreamAnswer.
    StreamHandler stream_handler() const;

  private:
    struct Route {
        std::string method;
        std::string pattern;  // For metrics and 405's Allow.
        std::vector<std::string> segments;
        bool prefix = false;
        RouteHandler handler;
        StreamRouteHandler stream = {};
    };
    struct Match {
        const Route* route = nullptr;
        RouteParams params;
        std::vector<std::string> allowed;  // Methods of routes matching the path only.
    };
    Match match(const HttpRequest& request) const;

    RouterObservers observers_;
    std::vector<Route> routes_;
};

// GET /healthz (200 {"status":"ok"}) and GET /metrics (Prometheus text).
void add_health_routes(Router& router, const Metrics& metrics);

// JSON error body {"error": {"status": 404, "message": "..."}}.
HttpResponse json_error(int status, std::string_view message);

}  // namespace mlc::net
