#include "net/router.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <optional>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Path segments are percent-decoded ('+' stays '+': it is only special in queries).
std::string decode_segment(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
            hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

// "/a/b/" -> {"a", "b"}; empty segments are dropped. nullopt past kRoutePathSegmentsMax.
std::optional<std::vector<std::string>> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) {
            if (out.size() == kRoutePathSegmentsMax) return std::nullopt;
            out.emplace_back(path.substr(start, end - start));
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

bool is_param(const std::string& segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::string join_rest(const std::vector<std::string>& segments, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < segments.size(); ++i) {
        if (!out.empty()) out.push_back('/');
        out += decode_segment(segments[i]);
    }
    return out;
}

}  // namespace

HttpResponse json_error(int status, std::string_view message) {
    boost::json::object error;
    error["status"] = status;
    error["message"] = message;
    boost::json::object body;
    body["error"] = std::move(error);
    return json_response(status, boost::json::serialize(body));
}

Router::Router(RouterObservers observers) : observers_(observers) {
    MLC_ASSERT(observers_.metrics == nullptr || observers_.clock != nullptr,
               "a router recording metrics needs a clock for latency");
}

void Router::add(std::string method, std::string pattern, RouteHandler handler) {
    auto segments = split_path(pattern);
    MLC_ASSERT(segments.has_value(), "route pattern too deep");
    routes_.push_back(Route{.method = std::move(method),
                            .pattern = std::move(pattern),
                            .segments = std::move(*segments),
                            .prefix = false,
                            .handler = std::move(handler)});
}

void Router::add_prefix(std::string method, std::string prefix, RouteHandler handler) {
    auto segments = split_path(prefix);
    MLC_ASSERT(segments.has_value(), "route prefix too deep");
    routes_.push_back(Route{.method = std::move(method),
                            .pattern = std::move(prefix),
                            .segments = std::move(*segments),
                            .prefix = true,
                            .handler = std::move(handler)});
}

void Router::add_stream(std::string pattern, StreamRouteHandler handler) {
    auto segments = split_path(pattern);
    MLC_ASSERT(segments.has_value(), "route pattern too deep");
    RouteHandler whole = [handler](const HttpRequest& request, const RouteParams& params) {
        StreamAnswer answer = handler(request, params);
        if (!answer.open) return answer.response;
        return json_error(501, "this path answers an event stream; this server serves none");
    };
    routes_.push_back(Route{.method = "GET",
                            .pattern = std::move(pattern),
                            .segments = std::move(*segments),
                            .prefix = false,
                            .handler = std::move(whole),
                            .stream = std::move(handler)});
}

Router::Match Router::match(const HttpRequest& request) const {
    Match best;
    const auto segments = split_path(url_path(request.url));
    if (!segments) return best;
    std::size_t best_prefix_length = 0;
    bool best_is_pattern = false;
    for (const Route& route : routes_) {
        const bool fits = route.prefix ? segments->size() >= route.segments.size()
                                       : segments->size() == route.segments.size();
        if (!fits) continue;
        RouteParams params;
        bool same = true;
        for (std::size_t i = 0; i < route.segments.size() && same; ++i) {
            if (!route.prefix && is_param(route.segments[i])) {
                const auto& name = route.segments[i];
                params[name.substr(1, name.size() - 2)] = decode_segment((*segments)[i]);
            } else {
                same = route.segments[i] == (*segments)[i];
            }
        }
        if (!same) continue;
        if (route.method != kAnyMethod && route.method != request.method) {
            best.allowed.push_back(route.method);
            continue;
        }
        // Pattern routes win over prefixes; the longest prefix wins among prefixes.
        if (best.route != nullptr &&
            (best_is_pattern || (route.prefix && route.segments.size() <= best_prefix_length))) {
            continue;
        }
        if (route.prefix) params["rest"] = join_rest(*segments, route.segments.size());
        best.route = &route;
        best.params = std::move(params);
        best_is_pattern = !route.prefix;
        best_prefix_length = route.segments.size();
    }
    return best;
}

HttpResponse Router::handle(const HttpRequest& request) const {
    const SteadyTime started =
        observers_.metrics != nullptr ? observers_.clock->steady_now() : SteadyTime{};
    Match found = match(request);
    HttpResponse response;
    std::string route_label;
    if (found.route != nullptr) {
        route_label = found.route->pattern;
        response = found.route->handler(request, found.params);
    } else if (!found.allowed.empty()) {
        route_label = "unmatched";
        std::sort(found.allowed.begin(), found.allowed.end());
        found.allowed.erase(std::unique(found.allowed.begin(), found.allowed.end()),
                            found.allowed.end());
        std::string allow;
        for (const auto& method : found.allowed) allow += (allow.empty() ? "" : ", ") + method;
        response =
            json_error(405, "method " + request.method + " not allowed here; allowed: " + allow);
        response.headers.emplace_back("Allow", allow);
    } else {
        // The path is not echoed: it may carry a token in its query.
        route_label = "unmatched";
        response = json_error(404, "no route for this path");
    }
    if (observers_.metrics != nullptr) {
        const auto elapsed = observers_.clock->steady_now() - started;
        observers_.metrics->increment(kHttpRequestsTotal,
                                      {{"route", route_label},
                                       {"method", request.method},
                                       {"status", std::to_string(response.status)}});
        observers_.metrics->observe(kHttpRequestDurationSeconds, {{"route", route_label}},
                                    std::chrono::duration<double>(elapsed).count());
    }
    return response;
}

HttpHandler Router::handler() const {
    return [this](const HttpRequest& request) { return handle(request); };
}

StreamHandler Router::stream_handler() const {
    return [this](const HttpRequest& request) -> std::optional<StreamAnswer> {
        Match found = match(request);
        if (found.route == nullptr || !found.route->stream) return std::nullopt;
        StreamAnswer answer = found.route->stream(request, found.params);
        if (observers_.metrics != nullptr) {
            const int status = answer.open ? 200 : answer.response.status;
            observers_.metrics->increment(kHttpRequestsTotal, {{"route", found.route->pattern},
                                                               {"method", request.method},
                                                               {"status", std::to_string(status)}});
        }
        return answer;
    };
}

void add_health_routes(Router& router, const Metrics& metrics) {
    router.add("GET", "/healthz", [](const HttpRequest&, const RouteParams&) {
        return json_response(200, R"({"status":"ok"})");
    });
    router.add("GET", "/metrics", [&metrics](const HttpRequest&, const RouteParams&) {
        return metrics_response(metrics);
    });
}

}  // namespace mlc::net
