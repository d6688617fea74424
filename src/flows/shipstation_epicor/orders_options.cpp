#include "flows/shipstation_epicor/orders_options.hpp"

#include <charconv>
#include <set>

#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

constexpr std::string_view kDefaultStart = "2000-01-01T00:00:00Z";

const std::set<std::string, std::less<>> kKnownOptions = {
    "overlap",      "start",          "page_size",      "pages_per_run",
    "customer",     "customer_match", "customer_field", "source_key_field",
    "create_route", "shipments",      "target",         "webhooks"};
const std::set<std::string, std::less<>> kKnownMappings = {"customers", "parts", "carriers"};

Error option_error(const engine::FlowConfig& flow, std::string_view option, std::string message) {
    return make_error(ErrorCode::kConfig, "flow " + flow.name + ": options." + std::string(option) +
                                              ": " + std::move(message));
}

Result<std::uint32_t> parse_count(const engine::FlowConfig& flow, std::string_view option,
                                  std::string_view text, std::uint32_t max) {
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > max) {
        return option_error(flow, option,
                            "expected a whole number from 1 to " + std::to_string(max) +
                                ", got \"" + std::string(text) + "\"");
    }
    return value;
}

Result<bool> parse_flag(const engine::FlowConfig& flow, std::string_view option,
                        std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return option_error(flow, option, "expected true or false");
}

}  // namespace

Result<OrdersOptions> parse_orders_options(const engine::FlowConfig& flow) {
    OrdersOptions options;
    options.start = parse_iso8601(kDefaultStart).value();
    for (const auto& [name, value] : flow.options) {
        if (!kKnownOptions.contains(name)) {
            return option_error(flow, name,
                                "unknown option (known: overlap, start, page_size, pages_per_run, "
                                "customer, customer_match, customer_field, source_key_field, "
                                "create_route, shipments, target, webhooks)");
        }
    }
    for (const auto& [table, rows] : flow.mappings) {
        if (!kKnownMappings.contains(table)) {
            return make_error(ErrorCode::kConfig,
                              "flow " + flow.name + ": mappings." + table +
                                  ": unknown table (known: customers, parts, carriers)");
        }
    }
    const auto get = [&](std::string_view name) -> const std::string* {
        auto it = flow.options.find(name);
        return it == flow.options.end() ? nullptr : &it->second;
    };
    if (const auto* text = get("overlap")) {
        auto duration = engine::parse_duration(*text);
        if (!duration) return option_error(flow, "overlap", duration.error().message);
        options.overlap = std::chrono::duration_cast<std::chrono::seconds>(*duration);
    }
    if (const auto* text = get("start")) {
        auto start = parse_iso8601(*text);
        if (!start) {
            return option_error(
                flow, "start",
                "expected an ISO 8601 UTC time such as " + std::string(kDefaultStart));
        }
        options.start = *start;
    }
    if (const auto* text = get("page_size")) {
        MLC_TRY(options.page_size, parse_count(flow, "page_size", *text, kOrdersPageSizeMax));
    }
    if (const auto* text = get("pages_per_run")) {
        MLC_TRY(options.pages_per_run, parse_count(flow, "pages_per_run", *text, kPagesPerRunMax));
    }
    if (const auto* text = get("customer")) options.fixed_customer = *text;
    if (const auto* text = get("customer_match")) {
        if (*text == "username") {
            options.customer_match = CustomerMatch::kUsername;
        } else if (*text == "email") {
            options.customer_match = CustomerMatch::kEmail;
            options.customer_field = "EMailAddress";
        } else {
            return option_error(flow, "customer_match", "expected username or email");
        }
    }
    if (const auto* text = get("customer_field")) options.customer_field = *text;
    if (const auto* text = get("source_key_field")) options.source_key_field = *text;
    if (const auto* text = get("create_route")) {
        const auto route = connections::parse_create_route(*text);
        if (!route) {
            return option_error(flow, "create_route", "expected update_ext, ui or entity_sets");
        }
        options.create_route = *route;
    }
    if (auto it = flow.mappings.find("customers"); it != flow.mappings.end()) {
        options.customers = it->second;
    }
    if (auto it = flow.mappings.find("parts"); it != flow.mappings.end()) {
        options.parts = it->second;
    }
    if (auto it = flow.mappings.find("carriers"); it != flow.mappings.end()) {
        options.carriers = it->second;
    }
    if (const auto* text = get("target")) {
        if (*text == "sales_order") {
            options.target = OrderTarget::kSalesOrder;
        } else if (*text == "ud01") {
            options.target = OrderTarget::kStagingRow;
            options.shipments = false;  // A staged row has no OrderNum to put tracking on.
        } else {
            return option_error(flow, "target", "expected sales_order or ud01");
        }
    }
    if (const auto* text = get("shipments")) {
        MLC_TRY(options.shipments, parse_flag(flow, "shipments", *text));
        if (options.shipments && options.target == OrderTarget::kStagingRow) {
            return option_error(flow, "shipments",
                                "tracking is written to a sales order, and target: ud01 stages "
                                "rows only: set shipments: false or target: sales_order");
        }
    }
    if (const auto* text = get("webhooks")) {
        MLC_TRY(options.webhooks, parse_flag(flow, "webhooks", *text));
    }
    return options;
}

}  // namespace mlc::flows::shipstation_epicor
