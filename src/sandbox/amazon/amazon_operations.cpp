#include "sandbox/amazon/amazon_operations.hpp"

#include <algorithm>
#include <array>

#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

// Usage plans from each operation's description in ../shared/specs/amazon-sp-api/*.json
// (amazon_operations_test checks them against the embedded models).
constexpr std::array kLiveOperations{
    Operation{"orders_2026-01-01", "searchOrders", "GET", "/orders/2026-01-01/orders", "0.0056",
              0.0056, 20},
    Operation{"orders_2026-01-01", "getOrder", "GET", "/orders/2026-01-01/orders/{orderId}", "0.5",
              0.5, 30},
    Operation{"ordersV0", "getOrders", "GET", "/orders/v0/orders", "0.0167", 0.0167, 20},
    Operation{"ordersV0", "getOrder", "GET", "/orders/v0/orders/{orderId}", "0.5", 0.5, 30},
    Operation{"ordersV0", "getOrderItems", "GET", "/orders/v0/orders/{orderId}/orderItems", "0.5",
              0.5, 30},
    Operation{"ordersV0", "confirmShipment", "POST",
              "/orders/v0/orders/{orderId}/shipmentConfirmation", "2", 2, 10},
    Operation{"reports_2021-06-30", "getReports", "GET", "/reports/2021-06-30/reports", "0.0222",
              0.0222, 10},
    Operation{"reports_2021-06-30", "createReport", "POST", "/reports/2021-06-30/reports", "0.0167",
              0.0167, 15},
    Operation{"reports_2021-06-30", "getReport", "GET", "/reports/2021-06-30/reports/{reportId}",
              "2", 2, 15},
    Operation{"reports_2021-06-30", "cancelReport", "DELETE",
              "/reports/2021-06-30/reports/{reportId}", "0.0222", 0.0222, 10},
    Operation{"reports_2021-06-30", "getReportDocument", "GET",
              "/reports/2021-06-30/documents/{reportDocumentId}", "0.0167", 0.0167, 15},
};

struct RegionMarketplace {
    std::string_view region;
    std::string_view id;
};
constexpr std::array kMarketplaces{
    RegionMarketplace{"na", "ATVPDKIKX0DER"},  RegionMarketplace{"na", "A2EUQ1WTGCTBG2"},
    RegionMarketplace{"na", "A1AM78C64UM0Y8"}, RegionMarketplace{"na", "A2Q3Y263D00KWC"},
    RegionMarketplace{"eu", "A1F83G8C2ARO7P"}, RegionMarketplace{"eu", "A1PA6795UKMFR9"},
    RegionMarketplace{"eu", "A13V1IB3VIYZZH"}, RegionMarketplace{"eu", "APJ6JRA9NG5V4"},
    RegionMarketplace{"eu", "A1RKKUPIHCS9HS"}, RegionMarketplace{"eu", "A1805IZSGTT6HS"},
    RegionMarketplace{"eu", "A1C3SOZRARQ6R3"}, RegionMarketplace{"eu", "A2NODRKZP88ZB9"},
    RegionMarketplace{"eu", "A33AVAJ2PDY3EV"}, RegionMarketplace{"eu", "A21TJRUUN4KGV"},
    RegionMarketplace{"eu", "A2VIGQ35RCS4UG"}, RegionMarketplace{"eu", "ARBP9OOSHTCHU"},
    RegionMarketplace{"eu", "A17E79C6D8DWNP"}, RegionMarketplace{"eu", "AMEN7PMS3EDWL"},
    RegionMarketplace{"fe", "A1VC38T7YXB528"}, RegionMarketplace{"fe", "A39IBJ37TRP1C6"},
    RegionMarketplace{"fe", "A19VAU5U5O7RUS"},
};

}  // namespace

bool marketplace_in_region(std::string_view region, std::string_view marketplace_id) {
    return std::any_of(kMarketplaces.begin(), kMarketplaces.end(),
                       [&](const auto& m) { return m.region == region && m.id == marketplace_id; });
}

std::span<const Operation> live_operations() { return kLiveOperations; }

std::optional<std::map<std::string, std::string>> match_path(std::string_view path_template,
                                                             std::string_view path) {
    const auto want = path_segments(path_template);
    const auto have = path_segments(path);
    if (want.size() != have.size()) return std::nullopt;
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].starts_with('{') && want[i].ends_with('}')) {
            if (have[i].empty()) return std::nullopt;
            params[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(have[i]);
        } else if (want[i] != have[i]) {
            return std::nullopt;
        }
    }
    return params;
}

TokenBucket::TokenBucket(double rate_per_second, int burst, UtcTime now)
    : rate_per_second_(rate_per_second), burst_(burst), tokens_(burst), last_(now) {}

double TokenBucket::tokens(UtcTime now) const {
    const double elapsed_s = std::chrono::duration<double>(now - last_).count();
    return std::min(burst_, tokens_ + std::max(0.0, elapsed_s) * rate_per_second_);
}

bool TokenBucket::take(UtcTime now) {
    tokens_ = tokens(now);
    last_ = std::max(last_, now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

}  // namespace mlc::sandbox::amazon
