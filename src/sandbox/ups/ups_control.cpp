// Control routes below /__sandbox/ (the prefix removed).
#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/ups/ups_json.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

net::HttpResponse control_error(int status, std::string_view message) {
    return net::json_response(status, json::serialize(json::object{{"error", message}}));
}

std::optional<json::object> body_object(const net::HttpRequest& request) {
    if (request.body.empty()) return json::object{};
    boost::system::error_code ec;
    auto value = json::parse(request.body, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return value.get_object();
}

}  // namespace

net::HttpResponse UpsEmulator::control(const net::HttpRequest& request, std::string_view route) {
    if (route == "state" && request.method == "GET") return control_state();
    if (request.method != "POST") return control_error(404, "unknown control route");
    if (route == "config") return control_config(request);
    if (route == "tokens/revoke") return control_revoke(request);
    const auto body = body_object(request);
    if (!body) return control_error(400, "the body must be a JSON object");
    if (route == "throttle") {
        const auto* count = body->if_contains("count");
        if (count == nullptr || !count->is_int64() || count->get_int64() < 0) {
            return control_error(400, "expected {\"count\": N} with N >= 0");
        }
        throttle_remaining_ = static_cast<int>(count->get_int64());
        return json_ok(json::object{{"throttle", throttle_remaining_}});
    }
    if (route == "trackalert/webhook") {
        push_url_ = string_at(&*body, "url");
        push_credential_ = string_at(&*body, "credential");
        return json_ok(json::object{{"url", push_url_}});
    }
    if (route.starts_with("packages/")) {
        const auto rest = route.substr(9);
        const auto slash = rest.find('/');
        if (slash == std::string_view::npos) return control_error(404, "unknown control route");
        return control_package(rest.substr(0, slash), rest.substr(slash + 1));
    }
    return control_error(404, "unknown control route");
}

net::HttpResponse UpsEmulator::control_config(const net::HttpRequest& request) {
    const auto body = body_object(request);
    if (!body) return control_error(400, "the body must be a JSON object");
    if (const auto* lifetime = body->if_contains("token_lifetime_seconds")) {
        if (!lifetime->is_int64() || lifetime->get_int64() < 1) {
            return control_error(400, "token_lifetime_seconds must be a positive integer");
        }
        token_lifetime_ = std::chrono::seconds{lifetime->get_int64()};
    }
    if (const auto* cap = body->if_contains("daily_token_cap")) {
        if (!cap->is_int64() || cap->get_int64() < 0) {
            return control_error(400, "daily_token_cap must be an integer >= 0");
        }
        daily_token_cap_ = static_cast<int>(cap->get_int64());
    }
    if (const auto* lifetime = body->if_contains("subscription_lifetime_seconds")) {
        if (!lifetime->is_int64() || lifetime->get_int64() < 1) {
            return control_error(400, "subscription_lifetime_seconds must be a positive integer");
        }
        subscription_lifetime_ = std::chrono::seconds{lifetime->get_int64()};
    }
    return json_ok(json::object{{"token_lifetime_seconds", token_lifetime_.count()},
                                {"daily_token_cap", daily_token_cap_},
                                {"subscription_lifetime_seconds", subscription_lifetime_.count()}});
}

net::HttpResponse UpsEmulator::control_revoke(const net::HttpRequest& request) {
    const auto body = body_object(request);
    if (!body) return control_error(400, "the body must be a JSON object");
    const std::string only = string_at(&*body, "access_token");
    std::int64_t revoked = 0;
    for (auto& [access, token] : tokens_) {
        if (!only.empty() && access != only) continue;
        revoked += token.revoked ? 0 : 1;
        token.revoked = true;
    }
    return json_ok(json::object{{"revoked", revoked}});
}

net::HttpResponse UpsEmulator::control_package(std::string_view number, std::string_view action) {
    Package* package = find_package(number);
    if (package == nullptr) return control_error(404, "no package with that tracking number");
    if (action != "advance" && action != "deliver") return control_error(404, "unknown action");
    const UtcTime now = context_.clock.now();
    // Move the package's plan earlier so its next scan (or its delivery) happens now.
    for (const auto& event : timeline_of(*package).events) {
        if (event.at <= now) continue;
        if (action == "deliver" && event.type != "D") continue;
        package->shift += std::chrono::ceil<std::chrono::seconds>(event.at - now);
        break;
    }
    return json_ok(json::object{{"trackingNumber", package->tracking},
                                {"status", visible_events(*package).back().code}});
}

net::HttpResponse UpsEmulator::control_state() const {
    json::array packages;
    for (std::size_t i = packages_.size(); i > 0 && packages.size() < kStateRecordsMax; --i) {
        const Package& package = packages_[i - 1];
        const auto events = visible_events(package);
        json::array references;
        for (const auto& ref : package.references) references.emplace_back(ref);
        packages.push_back(json::object{{"tracking_number", package.tracking},
                                        {"shipment_id", package.shipment_id},
                                        {"references", std::move(references)},
                                        {"weight_lbs", package.weight_lbs},
                                        {"status", events.back().code},
                                        {"voided", package.voided},
                                        {"rolled_off", rolled_off(package)},
                                        {"label_format", package.label_format}});
    }
    json::array addresses;
    for (const auto& entry : book_.entries()) {
        addresses.push_back(json::object{{"line", entry.line()},
                                         {"city", entry.city},
                                         {"state", entry.state},
                                         {"postal_code", entry.zip5},
                                         {"country", entry.country},
                                         {"commercial", entry.commercial}});
    }
    json::array subscriptions;
    const UtcTime now = context_.clock.now();
    for (const auto& [tracking, subscription] : subscriptions_) {
        const bool active = subscription.expiry > now;
        subscriptions.push_back(json::object{
            {"tracking_number", tracking},
            {"active", active},
            {"expires", format_iso8601(subscription.expiry)},
            {"lapsed",
             subscription.lapsed || (!active && !delivered_by(tracking, subscription.expiry))}});
    }
    return json_ok(json::object{{"tokens_issued", tokens_issued_},
                                {"tokens_today", token_day_count_},
                                {"daily_token_cap", daily_token_cap_},
                                {"token_lifetime_seconds", token_lifetime_.count()},
                                {"shipments", shipments_.size()},
                                {"packages", std::move(packages)},
                                {"addresses", std::move(addresses)},
                                {"subscriptions", std::move(subscriptions)},
                                {"deliveries", deliveries_}});
}

}  // namespace mlc::sandbox::ups
