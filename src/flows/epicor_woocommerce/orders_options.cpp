#include "flows/epicor_woocommerce/orders_options.hpp"

#include <charconv>

#include "common/time.hpp"
#include "flows/connections/epicor_connection.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

constexpr std::string_view kDefaultStart = "2000-01-01T00:00:00Z";
constexpr std::size_t kStatusesMax = 16;  // Woo has 8 order statuses; room for custom ones.

const std::set<std::string, std::less<>> kKnownOptions = {
    "overlap",           "start",          "per_page",
    "pages_per_run",     "inbox_batch",    "inbox_batches_per_run",
    "customer",          "customer_field", "source_key_field",
    "source_key_prefix", "create_route",   "statuses",
    "webhooks",          "refunds"};
const std::set<std::string, std::less<>> kKnownMappings = {"customers", "parts"};
const std::set<std::string, std::less<>> kWooStatuses = {
    "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"};

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
    return option_error(flow, option, "expected true or false, got \"" + std::string(text) + "\"");
}

Result<std::set<std::string, std::less<>>> parse_statuses(const engine::FlowConfig& flow,
                                                          std::string_view text) {
    std::set<std::string, std::less<>> out;
    std::size_t start = 0;
    for (std::size_t round = 0; round < kStatusesMax && start <= text.size(); ++round) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string_view item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) {
            if (!kWooStatuses.contains(item)) {
                return option_error(flow, "statuses",
                                    "unknown Woo status \"" + std::string(item) +
                                        "\" (known: pending, processing, on-hold, completed, "
                                        "cancelled, refunded, failed)");
            }
            out.emplace(item);
        }
        start = comma + 1;
    }
    if (out.empty()) {
        return option_error(flow, "statuses", "name at least one Woo status, e.g. processing");
    }
    return out;
}

Result<void> check_names(const engine::FlowConfig& flow) {
    for (const auto& [name, value] : flow.options) {
        if (!kKnownOptions.contains(name)) {
            return option_error(flow, name,
                                "unknown option (known: overlap, start, per_page, pages_per_run, "
                                "inbox_batch, inbox_batches_per_run, customer, customer_field, "
                                "source_key_field, source_key_prefix, create_route, statuses, "
                                "webhooks, refunds)");
        }
    }
    for (const auto& [table, rows] : flow.mappings) {
        if (!kKnownMappings.contains(table)) {
            return make_error(ErrorCode::kConfig, "flow " + flow.name + ": mappings." + table +
                                                      ": unknown table (known: customers, parts)");
        }
    }
    return ok();
}

}  // namespace

bool is_closing_status(std::string_view woo_status) {
    return woo_status == "cancelled" || woo_status == "refunded" || woo_status == "failed" ||
           woo_status == "trash";
}

Result<WooOrdersOptions> parse_woo_orders_options(const engine::FlowConfig& flow) {
    MLC_CHECK(check_names(flow));
    WooOrdersOptions options;
    options.start = parse_iso8601(kDefaultStart).value();
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
    if (const auto* text = get("per_page")) {
        MLC_TRY(options.per_page, parse_count(flow, "per_page", *text, kWooPerPageMax));
    }
    if (const auto* text = get("pages_per_run")) {
        MLC_TRY(options.pages_per_run,
                parse_count(flow, "pages_per_run", *text, kWooPagesPerRunMax));
    }
    if (const auto* text = get("inbox_batch")) {
        MLC_TRY(options.inbox_batch, parse_count(flow, "inbox_batch", *text, kInboxBatchMax));
    }
    if (const auto* text = get("inbox_batches_per_run")) {
        MLC_TRY(options.inbox_batches_per_run,
                parse_count(flow, "inbox_batches_per_run", *text, kInboxBatchesPerRunMax));
    }
    if (const auto* text = get("customer")) options.fixed_customer = *text;
    if (const auto* text = get("customer_field")) options.customer_field = *text;
    if (const auto* text = get("source_key_field")) options.source_key_field = *text;
    if (const auto* text = get("source_key_prefix")) options.source_key_prefix = *text;
    if (const auto* text = get("create_route")) {
        const auto route = connections::parse_create_route(*text);
        if (!route) {
            return option_error(flow, "create_route", "expected update_ext, ui or entity_sets");
        }
        options.create_route = *route;
    }
    if (const auto* text = get("statuses")) {
        MLC_TRY(options.statuses, parse_statuses(flow, *text));
    }
    if (const auto* text = get("webhooks")) {
        MLC_TRY(options.webhooks, parse_flag(flow, "webhooks", *text));
    }
    if (const auto* text = get("refunds")) {
        MLC_TRY(options.refunds, parse_flag(flow, "refunds", *text));
    }
    if (auto it = flow.mappings.find("customers"); it != flow.mappings.end()) {
        options.customers = it->second;
    }
    if (auto it = flow.mappings.find("parts"); it != flow.mappings.end()) {
        options.parts = it->second;
    }
    return options;
}

}  // namespace mlc::flows::epicor_woocommerce
