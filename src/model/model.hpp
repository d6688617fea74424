#pragma once
// Canonical records. Every connector maps its vendor JSON to and from these; flows only see these.
// Each record carries the system and key it came from (SourceRef). Money is Decimal, times UtcTime.
// Value types; no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/decimal.hpp"

namespace mlc::model {

struct SourceRef {
    std::string system;  // "shipstation", "epicor", "woocommerce", ...
    std::string key;     // The source's stable key (ShipStation orderKey, Epicor OrderNum, Woo id)
    std::string id;      // The source's internal id when different from key (ShipStation orderId)
    bool operator==(const SourceRef&) const = default;
};

struct Address {
    std::string name, company, street1, street2, street3, city, state, postal_code, country, phone,
        email;
    bool residential = false;
    bool operator==(const Address&) const = default;
};

struct Party {  // A customer (or vendor).
    SourceRef source;
    std::string code;  // Epicor CustID, Woo username...
    std::string name;
    std::string email;
    Address billing;
    Address shipping;
    std::optional<UtcTime> modified_at;
    bool operator==(const Party&) const = default;
};

struct Item {  // A part / product.
    SourceRef source;
    std::string sku;
    std::string description;
    Decimal unit_price;
    std::string currency = "USD";
    std::optional<Decimal> weight;
    std::string weight_unit;  // "lb", "kg", "oz"
    std::optional<Decimal> quantity_on_hand;
    bool active = true;
    bool stocked = true;
    std::string revision;  // Epicor SysRevID, Woo date_modified_gmt: change detection.
    bool operator==(const Item&) const = default;
};

struct OrderLine {
    std::string line_key;  // Source line id (ShipStation lineItemKey/orderItemId, Woo line id)
    std::string sku;
    std::string description;
    Decimal quantity;
    Decimal unit_price;
    Decimal tax;
    Decimal discount;
    bool operator==(const OrderLine&) const = default;
};

enum class OrderStatus { kPending, kOpen, kOnHold, kShipped, kCancelled, kCompleted, kRefunded };

struct Order {
    SourceRef source;
    std::string number;  // Human order number
    OrderStatus status = OrderStatus::kOpen;
    std::string currency = "USD";
    std::string customer_code;  // ShipStation customerUsername, Woo customer id
    std::string customer_email;
    std::string customer_name;
    Address bill_to;
    Address ship_to;
    std::vector<OrderLine> lines;
    Decimal shipping_total;
    Decimal tax_total;
    Decimal discount_total;
    Decimal total;
    std::string notes;
    std::string requested_service;
    UtcTime ordered_at{};
    std::optional<UtcTime> paid_at;
    std::optional<UtcTime> ship_by;
    UtcTime modified_at{};
    // The source's own status word ("processing", "on-hold"), for options that select by it.
    std::string source_status;
    // Keys of the refunds the source lists on the order (their details are read apart).
    std::vector<std::string> refund_ids;
    bool operator==(const Order&) const = default;
};

struct ShipmentLine {
    std::string sku;
    Decimal quantity;
    std::string order_line_key;
    bool operator==(const ShipmentLine&) const = default;
};

struct Shipment {
    SourceRef source;     // ShipStation shipmentId
    SourceRef order;      // The order it ships (ShipStation orderKey / orderId)
    std::string carrier;  // "ups", "fedex", "stamps_com"
    std::string service;
    std::string tracking_number;
    std::optional<UtcTime> ship_date;
    Decimal cost;
    bool voided = false;
    std::vector<ShipmentLine> lines;
    Address ship_to;
    UtcTime created_at{};
    // The order's reference in the system it came from, where the source keeps it (an Epicor
    // order's PONum holding an AmazonOrderId); empty when the source has none.
    std::string order_reference = {};
    bool operator==(const Shipment&) const = default;
};

struct TrackingEvent {
    SourceRef source;
    std::string tracking_number;
    std::string carrier;
    std::string status_code;  // Carrier status ("D" delivered, "I" in transit...)
    std::string description;
    std::string location;
    UtcTime at{};
    std::optional<UtcTime> estimated_delivery;
    // The shipper's reference on the shipment (the source key it was shipped for, e.g. an Epicor
    // release "5012-1-1"): how the event finds its order again.
    std::string reference = {};
    std::optional<UtcTime> delivered_at = {};
    bool operator==(const TrackingEvent&) const = default;
};

struct Refund {
    SourceRef source;  // Woo refund id
    SourceRef order;   // The refunded order
    Decimal amount;    // Positive amount refunded to the customer
    std::string currency = "USD";
    std::string reason;
    std::vector<OrderLine> lines;
    UtcTime created_at{};
    bool operator==(const Refund&) const = default;
};

struct SettlementLine {
    SourceRef source;  // Settlement id + line index
    std::string settlement_id;
    std::string order_id;
    std::string transaction_type;  // Order, Refund, ServiceFee, ...
    std::string amount_type;       // ItemPrice, ItemFees, Promotion, ...
    std::string amount_description;
    std::string sku;
    Decimal amount;
    std::string currency = "USD";
    UtcTime posted_at{};
    bool operator==(const SettlementLine&) const = default;
};

struct JournalLine {
    std::string account;
    Decimal debit;
    Decimal credit;
    std::string description;
    bool operator==(const JournalLine&) const = default;
};

struct JournalEntry {
    SourceRef source;
    std::string reference;  // Searchable in the target (dedupe key)
    std::string description;
    std::string currency = "USD";
    UtcTime posted_at{};
    std::vector<JournalLine> lines;
    bool operator==(const JournalEntry&) const = default;
};

std::string_view to_string(OrderStatus status);

// Sum of debits == sum of credits, to the unit.
bool is_balanced(const JournalEntry& entry);

}  // namespace mlc::model
