#include "sandbox/amazon/amazon_emulator.hpp"

#include <boost/json.hpp>

#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;

constexpr std::string_view kRegions[] = {"na", "eu", "fe"};
constexpr std::string_view kTokenAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_region(std::string_view text) {
    for (const auto region : kRegions) {
        if (region == text) return true;
    }
    return false;
}

// Login with Amazon's OAuth 2.0 errors (RFC 6749 section 5.2): {"error", "error_description"}.
net::HttpResponse lwa_error(int status, std::string_view error, std::string_view description) {
    return json_answer(status, json::object{{"error_description", description}, {"error", error}});
}

net::HttpResponse not_found() { return amazon_error(404, "NotFound", "Resource not found."); }

}  // namespace

AmazonEmulator::AmazonEmulator(EmulatorContext context) : context_(context) {
    client_secret_ = "amzn1.oa2-cs.v1." + draw_text(context_.seed, 2, 64, kTokenAlphabet);
    secret_created_ = context_.clock.now();
    seed_orders();
    seed_settlements();
}

AmazonEmulator::~AmazonEmulator() = default;

std::unique_ptr<Emulator> make_amazon_emulator(EmulatorContext context) {
    return std::make_unique<AmazonEmulator>(context);
}

std::string AmazonEmulator::client_id() const {
    return "amzn1.application-oa2-client." + draw_text(context_.seed, 1, 32, "0123456789abcdef");
}

std::string AmazonEmulator::refresh_token() const {
    return "Atzr|" + draw_text(context_.seed, 3, 120, kTokenAlphabet);
}

json::object AmazonEmulator::connection_info(std::string_view base_url) const {
    const std::string base(base_url);
    json::object endpoints;
    json::object sandbox_endpoints;
    for (const auto region : kRegions) {
        endpoints[region] = base + "/" + std::string(region);
        sandbox_endpoints[region] = base + "/sandbox/" + std::string(region);
    }
    return {
        {"base_url", base + "/na"},          {"lwa_token_url", base + "/auth/o2/token"},
        {"endpoints", std::move(endpoints)}, {"sandbox_endpoints", std::move(sandbox_endpoints)},
        {"client_id", client_id()},          {"client_secret", client_secret_},
        {"refresh_token", refresh_token()},  {"marketplace_id", kUsMarketplaceId}};
}

net::HttpResponse AmazonEmulator::handle(const net::HttpRequest& request) {
    const std::string path = net::url_path(request.url);
    if (path == "/auth/o2/token") {
        if (request.method != "POST") return lwa_error(405, "invalid_request", "Use POST.");
        return create_token(request);
    }
    const auto parts = path_segments(path);
    if (parts.size() == 2 && parts[0] == "documents" && request.method == "GET") {
        return download_document(request, parts[1]);
    }
    Route route;
    std::size_t prefix = 0;
    if (!parts.empty() && is_region(parts[0])) {
        route.region = std::string(parts[0]);
        prefix = 1 + parts[0].size();
    } else if (parts.size() > 1 && parts[0] == "sandbox" && is_region(parts[1])) {
        route = Route{.region = std::string(parts[1]), .sandbox = true};
        prefix = 9 + parts[1].size();
    } else {
        return not_found();
    }
    route.path = path.substr(prefix);
    if (auto denied = check_access_token(request)) return std::move(*denied);
    net::HttpResponse response = dispatch(request, route);
    net::set_header(response.headers, "x-amzn-RequestId",
                    draw_text(context_.seed, 9, 8, "0123456789abcdef") + "-" +
                        std::to_string(tokens_issued_) + "-" + std::to_string(buckets_.size()));
    return response;
}

net::HttpResponse AmazonEmulator::dispatch(const net::HttpRequest& request, const Route& route) {
    if (route.sandbox) {
        std::map<std::string, std::string> params;
        const ModelOperation* operation = static_sandbox().find(request.method, route.path, params);
        if (operation == nullptr) return not_found();
        if (!take_token(route, operation->api, operation->id, operation->rate_per_second,
                        operation->burst)) {
            return amazon_error(429, "QuotaExceeded",
                                "You exceeded your quota for the requested resource.");
        }
        net::HttpResponse response = static_sandbox().answer(*operation, request, params);
        if (response.status < 300) {
            net::set_header(response.headers, "x-amzn-RateLimit-Limit", operation->rate);
        }
        return response;
    }
    for (const auto& operation : live_operations()) {
        if (operation.method != request.method) continue;
        const auto params = match_path(operation.path, route.path);
        if (!params) continue;
        if (!take_token(route, operation.api, operation.id, operation.rate_per_second,
                        operation.burst)) {
            return amazon_error(429, "QuotaExceeded",
                                "You exceeded your quota for the requested resource.");
        }
        net::HttpResponse response = live(request, route, operation, *params);
        if (response.status < 300) {
            net::set_header(response.headers, "x-amzn-RateLimit-Limit",
                            std::string(operation.rate));
        }
        return response;
    }
    return not_found();
}

net::HttpResponse AmazonEmulator::live(const net::HttpRequest& request, const Route& route,
                                       const Operation& operation,
                                       const std::map<std::string, std::string>& params) {
    const std::string_view id = operation.id;
    const bool v0 = operation.api == "ordersV0";
    if (id == "searchOrders") return search_orders(request, route);
    if (id == "getOrders") return get_orders_v0(request, route);
    if (id == "getOrder") return get_order(params.at("orderId"), v0);
    if (id == "getOrderItems") return get_order_items_v0(params.at("orderId"));
    if (id == "confirmShipment") return confirm_shipment(params.at("orderId"), request);
    if (id == "getReports") return get_reports(request);
    if (id == "createReport") return create_report(request, route);
    if (id == "getReport") return get_report(params.at("reportId"));
    if (id == "cancelReport") return cancel_report(params.at("reportId"));
    if (id == "getReportDocument") return get_report_document(params.at("reportDocumentId"));
    return not_found();
}

bool AmazonEmulator::take_token(const Route& route, std::string_view api, std::string_view id,
                                double rate, int burst) {
    const UtcTime now = context_.clock.now();
    const std::string key = (route.sandbox ? "sandbox-" : "") + route.region + "|" +
                            std::string(api) + "|" + std::string(id);
    auto found = buckets_.find(key);
    if (found == buckets_.end()) found = buckets_.emplace(key, TokenBucket(rate, burst, now)).first;
    return found->second.take(now);
}

const StaticSandbox& AmazonEmulator::static_sandbox() {
    // Parsed on first use: ~700 kB of models nobody needs unless a sandbox host is called.
    if (!static_sandbox_) static_sandbox_ = std::make_unique<StaticSandbox>(embedded_models());
    return *static_sandbox_;
}

// ---- Login with Amazon -----------------------------------------------------------------------

net::HttpResponse AmazonEmulator::create_token(const net::HttpRequest& request) {
    const auto type = net::find_header(request.headers, "Content-Type");
    if (!type || !type->starts_with("application/x-www-form-urlencoded")) {
        return lwa_error(400, "invalid_request",
                         "The Content-Type must be application/x-www-form-urlencoded");
    }
    const std::string form = "?" + request.body;
    const auto grant = net::query_param(form, "grant_type");
    if (!grant) {
        return lwa_error(400, "invalid_request",
                         "The request is missing a required parameter : grant_type");
    }
    if (*grant != "refresh_token") {
        return lwa_error(400, "unsupported_grant_type", "Unsupported grant type: " + *grant);
    }
    const auto id = net::query_param(form, "client_id");
    const auto secret = net::query_param(form, "client_secret");
    // A rotated secret stops working at once; one older than 180 days too (amazon-sp-api.md).
    const bool secret_expired = context_.clock.now() - secret_created_ >= kClientSecretLifetime;
    if (id != client_id() || secret != client_secret_ || secret_expired) {
        return lwa_error(401, "invalid_client", "Client authentication failed");
    }
    if (net::query_param(form, "refresh_token") != refresh_token()) {
        return lwa_error(400, "invalid_grant",
                         "The request has an invalid grant parameter : refresh_token");
    }
    ++tokens_issued_;
    const std::string access =
        "Atza|" + draw_text(context_.seed, 1000 + tokens_issued_, 96, kTokenAlphabet);
    access_tokens_[access] = context_.clock.now() + kAccessTokenLifetime;
    net::HttpResponse response =
        json_answer(200, json::object{{"access_token", access},
                                      {"refresh_token", refresh_token()},
                                      {"token_type", "bearer"},
                                      {"expires_in", kAccessTokenLifetime.count()}});
    net::set_header(response.headers, "Cache-Control", "no-cache, no-store, must-revalidate");
    return response;
}

std::optional<net::HttpResponse> AmazonEmulator::check_access_token(
    const net::HttpRequest& request) const {
    const auto token = net::find_header(request.headers, "x-amz-access-token");
    const auto found = token ? access_tokens_.find(std::string(*token)) : access_tokens_.end();
    if (found == access_tokens_.end() || found->second <= context_.clock.now()) {
        // Missing, unknown and expired tokens read the same (selling-partner-api-docs#2336).
        return amazon_error(403, "Unauthorized", "Access to requested resource is denied.");
    }
    return std::nullopt;
}

}  // namespace mlc::sandbox::amazon
