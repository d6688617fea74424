#include "cli/demo/demo_catalog.hpp"

#include <array>

#include <boost/json.hpp>

#include "cli/demo/sandbox_client.hpp"
#include "common/time.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

// ShipStation V1 speaks Pacific local time without an offset (shipstation.md).
constexpr std::string_view kShipStationZone = "America/Los_Angeles";
constexpr std::string_view kShipStationTimePattern = "%Y-%m-%dT%H:%M:%S";
constexpr std::int64_t kQuantityMax = 4;

struct Shopper {
    std::string_view name;
    std::string_view email;
    std::string_view street;
    std::string_view city;
    std::string_view state;
    std::string_view postal_code;
};

constexpr std::array<Shopper, 8> kShoppers = {{
    {"Ava Nguyen", "ava.nguyen@example.com", "412 Alder St", "Portland", "OR", "97205"},
    {"Ben Okafor", "ben.okafor@example.com", "88 Congress Ave", "Austin", "TX", "78701"},
    {"Chloe Martin", "chloe.martin@example.com", "1550 Larimer St", "Denver", "CO", "80202"},
    {"Diego Alvarez", "diego.alvarez@example.com", "9 Beacon St", "Boston", "MA", "02108"},
    {"Emma Schulz", "emma.schulz@example.com", "2001 Pine St", "Seattle", "WA", "98101"},
    {"Farid Haddad", "farid.haddad@example.com", "350 N Wells St", "Chicago", "IL", "60654"},
    {"Grace Kim", "grace.kim@example.com", "77 Bayshore Blvd", "Tampa", "FL", "33606"},
    {"Hiro Tanaka", "hiro.tanaka@example.com", "1200 Fulton St", "Fresno", "CA", "93721"},
}};

const Shopper& shopper_of(const DemoOrderSpec& spec) {
    return kShoppers[spec.draw % kShoppers.size()];
}

json::object address(const Shopper& shopper, std::string_view street) {
    return {{"name", shopper.name},
            {"company", nullptr},
            {"street1", street},
            {"street2", nullptr},
            {"city", shopper.city},
            {"state", shopper.state},
            {"postalCode", shopper.postal_code},
            {"country", "US"},
            {"phone", "555-0100"},
            {"residential", true}};
}

}  // namespace

const std::vector<DemoProduct>& demo_catalog() {
    static const std::vector<DemoProduct> kCatalog = {
        {"WB-1001", "Steel Wall Bracket 6in", "12.50"},
        {"WB-1002", "Steel Wall Bracket 10in", "16.75"},
        {"HG-2010", "Brass Cabinet Hinge (pair)", "8.99"},
        {"VL-3300", "Ball Valve 3/4in", "24.00"},
        {"GK-4410", "Nitrile Gasket Kit", "5.49"},
        {"CL-5120", "Hose Clamp 2in (10 pack)", "7.25"},
        {"SN-6001", "Water Leak Sensor", "39.90"},
        {"FL-7007", "Inline Water Filter", "19.95"},
        {"CB-8080", "Cable Tray 2m", "54.00"},
        {"SP-9002", "Carbon Spindle 12mm", "31.40"},
    };
    return kCatalog;
}

std::string demo_order_key(const DemoOrderSpec& spec) {
    return "demo-" + spec.run_tag + "-" + std::to_string(spec.sequence);
}

Result<json::object> shipstation_order(const DemoOrderSpec& spec) {
    MLC_TRY(const std::string ordered,
            format_local(spec.ordered_at, kShipStationZone, kShipStationTimePattern));
    const Shopper& shopper = shopper_of(spec);
    const auto& catalog = demo_catalog();
    const std::size_t lines = (spec.draw >> 8) % kDemoLinesMax + 1;
    json::array items;
    Decimal total;
    for (std::size_t line = 0; line < lines; ++line) {
        // Distinct products per order: consecutive catalog entries from a drawn start.
        const DemoProduct& product = catalog[((spec.draw >> 16) + line) % catalog.size()];
        const bool unknown = spec.unknown_sku && line == 0;
        const std::uint64_t bits = spec.draw >> (32 + 8 * line);
        const std::int64_t quantity = static_cast<std::int64_t>(bits % kQuantityMax) + 1;
        const Decimal price = Decimal::parse(unknown ? "17.80" : product.price).value();
        total += price.mul(quantity);
        items.push_back(json::object{
            {"lineItemKey", demo_order_key(spec) + "-" + std::to_string(line + 1)},
            {"sku", unknown ? kUnknownSku : product.sku},
            {"name", unknown ? std::string_view("Wall Bracket 8in (discontinued)") : product.name},
            {"quantity", quantity},
            {"unitPrice", exact_number(price.to_string(2))}});
    }
    const std::string number = "DEMO-" + spec.run_tag + "-" + std::to_string(spec.sequence);
    return json::object{{"orderNumber", number},
                        {"orderKey", demo_order_key(spec)},
                        {"orderDate", ordered},
                        {"paymentDate", ordered},
                        {"orderStatus", "awaiting_shipment"},
                        {"customerUsername", shopper.email},
                        {"customerEmail", shopper.email},
                        {"billTo", address(shopper, shopper.street)},
                        {"shipTo", address(shopper, shopper.street)},
                        {"items", std::move(items)},
                        {"amountPaid", exact_number(total.to_string(2))},
                        {"taxAmount", exact_number("0.00")},
                        {"shippingAmount", exact_number("0.00")},
                        {"requestedShippingService", "UPS Ground"}};
}

json::object edited_ship_to(const DemoOrderSpec& spec) {
    json::object ship_to = address(shopper_of(spec), "500 Industrial Pkwy, Dock 3");
    ship_to["company"] = "Customer's office";
    return ship_to;
}

}  // namespace mlc::cli::demo
