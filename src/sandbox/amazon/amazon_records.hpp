#pragma once
// The Amazon emulator's records: orders with their items, reports and report documents.
// Plain value types.

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/decimal.hpp"

namespace mlc::sandbox::amazon {

inline constexpr std::string_view kUsMarketplaceId = "ATVPDKIKX0DER";  // amazon-sp-api.md

struct OrderItem {
    std::string order_item_id = {};  // 14 digits
    std::string sku = {};
    std::string asin = {};
    std::string title = {};
    std::int64_t quantity = 1;
    Decimal unit_price = {};
    Decimal unit_tax = {};
    Decimal promotion = {};             // Discount on the line (positive), 0 when none
    std::int64_t quantity_shipped = 0;  // Confirmed by confirmShipment (all when "Shipped")
};

// A package the seller confirmed (confirmShipment): Orders 2026-01-01 lists it under PACKAGES.
struct PackageItem {
    std::string order_item_id = {};
    std::int64_t quantity = 0;
};
struct Package {
    std::string reference_id = {};  // Seller-supplied, a positive number, unique in the order
    std::string carrier_code = {};
    std::string carrier_name = {};
    std::string shipping_method = {};
    std::string tracking_number = {};
    UtcTime ship_date = {};
    UtcTime created = {};
    std::vector<PackageItem> items = {};
};

struct Order {
    std::string id = {};               // 3-7-7 digits
    std::string seller_order_id = {};  // merchant-order-id
    std::string marketplace_id = std::string(kUsMarketplaceId);
    std::string currency = "USD";
    UtcTime created = {};
    UtcTime updated = {};
    std::string status = "Unshipped";  // v0 OrderStatus: Pending, Unshipped, PartiallyShipped,
                                       // Shipped, Canceled
    bool amazon_fulfilled = false;     // AFN (fulfilledBy AMAZON) or MFN (MERCHANT)
    std::string buyer_name = {};
    std::string buyer_email = {};
    std::string city = {};
    std::string state = {};
    std::string postal_code = {};
    std::vector<OrderItem> items = {};
    std::vector<Package> packages = {};
    std::optional<UtcTime> shipped = {};   // Posted to a settlement at this time
    std::optional<UtcTime> refunded = {};  // Refund posted at this time
};

Decimal order_total(const Order& order);  // Items x quantity + tax - promotions

struct Report {
    std::string id = {};  // Digits
    std::string type = {};
    std::vector<std::string> marketplace_ids = {};
    UtcTime created = {};
    std::optional<UtcTime> data_start = {};
    std::optional<UtcTime> data_end = {};
    std::string status = "IN_QUEUE";  // IN_QUEUE, IN_PROGRESS, DONE, CANCELLED, FATAL
    std::optional<UtcTime> processing_start = {};
    std::optional<UtcTime> processing_end = {};
    std::string document_id = {};  // Once DONE
};

struct ReportDocument {
    std::string id = {};
    std::string content_type = {};  // With its charset: "text/plain; charset=UTF-8"
    std::string bytes = {};         // As served (gzip when compressed)
    bool gzip = false;
    UtcTime created = {};
};

}  // namespace mlc::sandbox::amazon
