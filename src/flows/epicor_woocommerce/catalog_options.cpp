#include "flows/epicor_woocommerce/catalog_options.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace mlc::flows::epicor_woocommerce {
namespace {

const std::set<std::string, std::less<>> kKnownOptions = {
    "parts",   "customers",   "page_size",   "pages_per_run",
    "changes", "price_field", "stock_field", "currency"};
constexpr std::string_view kKnownOptionsText =
    "parts, customers, page_size, pages_per_run, changes, price_field, stock_field, currency";
constexpr std::size_t kFieldNameLengthMax = 128;  // As the Epicor connector's OData check.

Error option_error(const engine::FlowConfig& flow, std::string_view option, std::string message) {
    return make_error(ErrorCode::kConfig, "flow " + flow.name + ": options." + std::string(option) +
                                              ": " + std::move(message));
}

Result<bool> parse_flag(const engine::FlowConfig& flow, std::string_view option,
                        std::string_view text) {
    if (text == "true") return true;
    if (text == "false") return false;
    return option_error(flow, option, "expected true or false, got \"" + std::string(text) + "\"");
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

// Epicor field names reach OData URLs: only plain identifiers (the connector checks them again).
Result<std::string> parse_field(const engine::FlowConfig& flow, std::string_view option,
                                std::string_view text, bool allow_empty) {
    if (text.empty() && allow_empty) return std::string();
    bool plain =
        !text.empty() && text.size() <= kFieldNameLengthMax && !(text[0] >= '0' && text[0] <= '9');
    for (char c : text) {
        const bool word =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        plain = plain && word;
    }
    if (!plain) {
        return option_error(flow, option,
                            "expected an Epicor field name such as UnitPrice or OnHand_c, got \"" +
                                std::string(text) + "\"");
    }
    return std::string(text);
}

}  // namespace

Result<CatalogOptions> parse_catalog_options(const engine::FlowConfig& flow) {
    CatalogOptions options;
    for (const auto& [name, value] : flow.options) {
        if (!kKnownOptions.contains(name)) {
            return option_error(flow, name,
                                "unknown option (known: " + std::string(kKnownOptionsText) + ")");
        }
    }
    for (const auto& [table, rows] : flow.mappings) {
        if (table != "countries") {
            return make_error(ErrorCode::kConfig, "flow " + flow.name + ": mappings." + table +
                                                      ": unknown table (known: countries)");
        }
        options.countries = rows;
    }
    const auto get = [&](std::string_view name) -> const std::string* {
        auto it = flow.options.find(name);
        return it == flow.options.end() ? nullptr : &it->second;
    };
    if (const auto* text = get("parts")) {
        MLC_TRY(options.parts, parse_flag(flow, "parts", *text));
    }
    if (const auto* text = get("customers")) {
        MLC_TRY(options.customers, parse_flag(flow, "customers", *text));
    }
    if (!options.parts && !options.customers) {
        return option_error(flow, "parts",
                            "parts and customers are both false: the flow would do nothing; set "
                            "one of them to true");
    }
    if (const auto* text = get("page_size")) {
        MLC_TRY(options.page_size, parse_count(flow, "page_size", *text, kEpicorPageSizeMax));
    }
    if (const auto* text = get("pages_per_run")) {
        MLC_TRY(options.pages_per_run,
                parse_count(flow, "pages_per_run", *text, kCatalogPagesPerRunMax));
    }
    if (const auto* text = get("changes")) {
        if (*text == "sysrevid") {
            options.changes = ChangeDetection::kSysRevId;
        } else if (*text == "full") {
            options.changes = ChangeDetection::kFullScan;
        } else {
            return option_error(flow, "changes",
                                "expected sysrevid or full, got \"" + *text + "\"");
        }
    }
    if (const auto* text = get("price_field")) {
        MLC_TRY(options.price_field, parse_field(flow, "price_field", *text, false));
    }
    if (const auto* text = get("stock_field")) {
        MLC_TRY(options.stock_field, parse_field(flow, "stock_field", *text, true));
    }
    if (const auto* text = get("currency")) {
        const bool iso = text->size() == 3 && std::all_of(text->begin(), text->end(), [](char c) {
                             return c >= 'A' && c <= 'Z';
                         });
        if (!iso) {
            return option_error(flow, "currency",
                                "expected an ISO 4217 code such as USD, got \"" + *text + "\"");
        }
        options.currency = *text;
    }
    return options;
}

}  // namespace mlc::flows::epicor_woocommerce
