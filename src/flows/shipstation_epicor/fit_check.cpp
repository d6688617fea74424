#include "flows/shipstation_epicor/fit_check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "flows/shipstation_epicor/orders_recipe.hpp"

namespace mlc::flows::shipstation_epicor {
namespace {

void note(FitReport& report, const Error& error) {
    if (report.problems.size() < kFitProblemsShownMax) report.problems.push_back(error.describe());
}

void keep(std::vector<std::string>& keys, const std::string& key) {
    if (keys.size() >= kFitUnresolvedKeysMax) return;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
}

// A YAML double-quoted scalar.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    constexpr const char* kHex = "0123456789ABCDEF";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20) {
            out += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xF];
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

void table(std::string& out, const char* name, const std::vector<std::string>& keys,
           const char* placeholder) {
    if (keys.empty()) return;
    out += std::string("      ") + name + ":\n";
    for (const auto& key : keys) out += "        " + quoted(key) + ": " + placeholder + "\n";
}

}  // namespace

Result<FitReport> check_fit(connectors::shipstation::ShipStationClient& shipstation,
                            connectors::epicor::EpicorClient& epicor, const OrdersOptions& options,
                            const FitRequest& request) {
    const std::uint32_t sample = std::clamp<std::uint32_t>(request.sample, 1, kFitSampleMax);
    MLC_TRY(auto listed, shipstation.list_orders_modified_since(
                             {.modified_since = request.since, .page = 1, .page_size = sample}));
    const auto resolving = order_resolving(options);
    connectors::epicor::OrderResolver resolver(epicor, resolving);
    FitReport report;
    std::map<std::string, bool> skus;  // SKU -> resolves
    for (const auto& record : listed.items) {
        const model::Order& order = record.value;
        ++report.orders;
        bool ready = true;
        auto customer = resolver.resolve_customer(order);
        if (customer) {
            ++report.customers_resolved;
        } else if (customer.error().code == ErrorCode::kUnresolved) {
            ++report.customers_unresolved;
            ready = false;
            note(report, customer.error());
            keep(report.unresolved_customers, options.customer_match == CustomerMatch::kEmail
                                                  ? order.customer_email
                                                  : order.customer_code);
        } else {
            return customer.error();
        }
        for (const model::OrderLine& line : order.lines) {
            auto known = skus.find(line.sku);
            if (known == skus.end()) {
                auto part = resolver.resolve_part(order, line);
                if (!part && part.error().code != ErrorCode::kUnresolved) return part.error();
                if (!part) {
                    note(report, part.error());
                    keep(report.unresolved_skus, line.sku);
                }
                known = skus.emplace(line.sku, part.has_value()).first;
                ++(part ? report.skus_resolved : report.skus_unresolved);
            }
            ready = ready && known->second;
        }
        if (ready) ++report.orders_ready;
    }
    return report;
}

std::string mappings_block(const FitReport& report) {
    if (report.unresolved_customers.empty() && report.unresolved_skus.empty()) return "";
    std::string out = "    mappings:\n";
    table(out, "customers", report.unresolved_customers, "\"<Epicor CustID>\"");
    table(out, "parts", report.unresolved_skus, "\"<Epicor PartNum>\"");
    return out;
}

}  // namespace mlc::flows::shipstation_epicor
