#include "flows/epicor_woocommerce/catalog_options.hpp"

#include <algorithm>

#include "pipeline/options.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

constexpr std::size_t kFieldNameLengthMax = 128;  // As the Epicor connector's OData check.

// Epicor field names reach OData URLs: only plain identifiers (the connector checks them again).
bool plain_field(std::string_view text) {
    bool plain =
        !text.empty() && text.size() <= kFieldNameLengthMax && !(text[0] >= '0' && text[0] <= '9');
    for (char c : text) {
        const bool word =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        plain = plain && word;
    }
    return plain;
}

void check_field(pipeline::OptionReader& read, std::string_view option, const std::string& text,
                 bool allow_empty) {
    if ((text.empty() && allow_empty) || plain_field(text)) return;
    read.reject(option, "expected an Epicor field name such as UnitPrice or OnHand_c, got \"" +
                            text + "\"");
}

}  // namespace

Result<CatalogOptions> parse_catalog_options(const engine::FlowConfig& flow) {
    pipeline::OptionReader read(flow);
    CatalogOptions o;
    o.parts = read.flag("parts", o.parts);
    o.customers = read.flag("customers", o.customers);
    if (!o.parts && !o.customers) {
        read.reject("parts",
                    "parts and customers are both false: the flow would do nothing; set one of "
                    "them to true");
    }
    o.page_size = read.count("page_size", o.page_size, kEpicorPageSizeMax);
    o.pages_per_run = read.count("pages_per_run", o.pages_per_run, kCatalogPagesPerRunMax);
    o.changes = read.choice("changes", "sysrevid", {"sysrevid", "full"}) == "full"
                    ? ChangeDetection::kFullScan
                    : ChangeDetection::kSysRevId;
    o.price_field = read.text("price_field", o.price_field);
    check_field(read, "price_field", o.price_field, false);
    o.stock_field = read.text("stock_field", o.stock_field);
    check_field(read, "stock_field", o.stock_field, true);
    o.currency = read.text("currency", o.currency);
    if (o.currency.size() != 3 || !std::all_of(o.currency.begin(), o.currency.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; })) {
        read.reject("currency",
                    "expected an ISO 4217 code such as USD, got \"" + o.currency + "\"");
    }
    o.countries = read.mapping("countries");
    MLC_CHECK(read.finish());
    return o;
}

}  // namespace mlc::flows::epicor_woocommerce
