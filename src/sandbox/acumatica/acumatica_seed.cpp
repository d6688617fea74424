// AcumaticaEmulator seed data: customers, stock items and sales orders drawn from (seed, index),
// timed backwards from the clock at construction. Completed orders carry a confirmed shipment
// with a tracking number.
#include <algorithm>
#include <array>

#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

constexpr std::size_t kCustomersMin = 5, kCustomersMax = 1'000;
constexpr std::size_t kItemsMin = 10, kItemsMax = 2'000;
constexpr std::chrono::minutes kOrderStep{10};  // Seeded orders are this far apart.
constexpr std::array<std::string_view, 6> kCities = {"Seattle", "Portland", "Denver",
                                                     "Austin",  "Chicago",  "Boston"};
constexpr std::array<std::string_view, 6> kStates = {"WA", "OR", "CO", "TX", "IL", "MA"};
constexpr std::array<std::string_view, 3> kShipVia = {"UPSGROUND", "FEDEXGROUND", "USPSPRIORITY"};

std::uint64_t draw(std::uint64_t seed, std::uint64_t salt, std::uint64_t index) {
    std::uint64_t z = seed * 0x2545F4914F6CDD1DULL + salt * 0x9E3779B97F4A7C15ULL + index + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string padded(std::string prefix, std::size_t number, std::size_t width) {
    std::string digits = std::to_string(number);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return prefix + digits;
}

json::object value(std::string_view text) { return {{"value", text}}; }

json::object customer_changes(std::uint64_t seed, std::size_t i) {
    const std::size_t city = draw(seed, 1, i) % kCities.size();
    const std::string name = "Customer " + std::to_string(i + 1);
    const std::string email = "buyer" + std::to_string(i + 1) + "@example.com";
    json::object address{{"AddressLine1", value(std::to_string(100 + i) + " Main St")},
                         {"City", value(kCities[city])},
                         {"State", value(kStates[city])},
                         {"PostalCode", value(padded("", 10'000 + draw(seed, 2, i) % 89'999, 5))},
                         {"Country", value("US")}};
    json::object contact{{"DisplayName", value(name)},
                         {"CompanyName", value(name)},
                         {"Email", value(email)},
                         {"Phone1", value(padded("+1 206 555 ", i % 10'000, 4))},
                         {"Address", address}};
    return {{"CustomerID", value(padded("C", i + 1, 6))},
            {"CustomerName", value(name)},
            {"Email", value(email)},
            {"ShipVia", value(kShipVia[draw(seed, 3, i) % kShipVia.size()])},
            {"MainContact", contact},
            {"ShippingContact", contact}};
}

json::object item_changes(std::uint64_t seed, std::size_t i) {
    const Decimal price =
        Decimal::from_units(static_cast<__int128>(500 + draw(seed, 4, i) % 20'000) * 10'000);
    const Decimal weight =
        Decimal::from_units(static_cast<__int128>(1 + draw(seed, 5, i) % 200) * 100'000);
    return {{"InventoryID", value(padded("ITEM-", i + 1, 4))},
            {"Description", value("Seeded item " + std::to_string(i + 1))},
            {"DefaultPrice", json::object{{"value", price.to_string()}}},
            {"DimensionWeight", json::object{{"value", weight.to_string()}}}};
}

}  // namespace

void AcumaticaEmulator::seed_data() {
    const std::size_t orders = std::min(context_.volume, kSeedOrdersMax);
    const std::size_t customers = std::clamp(orders / 10, kCustomersMin, kCustomersMax);
    const std::size_t items = std::clamp(orders / 10, kItemsMin, kItemsMax);
    FieldErrors errors;
    for (std::size_t i = 0; i < customers; ++i)
        (void)upsert(*find_entity("Customer"), customer_changes(context_.seed, i), errors);
    for (std::size_t i = 0; i < items; ++i)
        (void)upsert(*find_entity("StockItem"), item_changes(context_.seed, i), errors);
    for (std::size_t i = 0; i < orders; ++i) seed_order(i, customers, items);
    // Seeded records look changed over the past, oldest first: the clock at construction minus
    // one step per order still to come.
    const UtcTime epoch = std::chrono::floor<std::chrono::seconds>(now());
    const auto at = [&](std::size_t index, std::size_t count) {
        return epoch - kOrderStep * static_cast<std::int64_t>(count - index);
    };
    std::size_t index = 0;
    for (auto& [key, record] : records("Customer"))
        set_time(record, "LastModifiedDateTime", at(index++, customers));
    index = 0;
    for (auto& [key, record] : records("StockItem")) {
        set_time(record, "LastModifiedDateTime", at(index, items));
        set_time(record, "LastModified", at(index++, items));
    }
    index = 0;
    for (auto& [key, record] : records("SalesOrder")) {
        const UtcTime when = at(index++, orders);
        set_time(record, "Date", std::chrono::floor<std::chrono::days>(when));
        set_time(record, "RequestedOn", std::chrono::floor<std::chrono::days>(when));
        set_time(record, "CreatedDate", when);
        set_time(record, "LastModified", when);
    }
    for (auto& [key, record] : records("Shipment")) {
        const UtcTime when =
            field_time(
                *find_record(
                    "SalesOrder",
                    "SO/" + field_string(record.at("Details").as_array()[0].as_object(), "OrderNbr")
                                .value_or("")),
                "LastModified")
                .value_or(epoch);
        set_time(record, "CreatedDateTime", when);
        set_time(record, "LastModifiedDateTime", when);
    }
}

void AcumaticaEmulator::seed_order(std::size_t index, std::size_t customers, std::size_t items) {
    const std::uint64_t seed = context_.seed;
    json::object changes{
        {"OrderType", value("SO")},
        {"CustomerID", value(padded("C", 1 + draw(seed, 10, index) % customers, 6))},
        {"CustomerOrder", value(padded("PO-", 5'000 + index, 6))}};
    json::array lines;
    const std::size_t count = 1 + draw(seed, 11, index) % 3;
    for (std::size_t line = 0; line < count; ++line) {
        const std::size_t item = (draw(seed, 12, index * 4 + line) % items) + 1;
        lines.push_back(json::object{
            {"InventoryID", value(padded("ITEM-", item, 4))},
            {"OrderQty",
             json::object{{"value", std::to_string(1 + draw(seed, 13, index * 4 + line) % 5)}}}});
    }
    changes["Details"] = std::move(lines);
    const std::uint64_t roll = draw(seed, 14, index) % 100;  // Status mix.
    if (roll < 12) changes["Hold"] = json::object{{"value", true}};
    if (roll >= 12 && roll < 16) changes["Approved"] = json::object{{"value", false}};
    FieldErrors errors;
    auto written = upsert(*find_entity("SalesOrder"), changes, errors);
    if (!written) return;
    if (roll >= 16 && roll < 20) {
        set_field(*find_record("SalesOrder", *written), "Status", "Cancelled");
        return;
    }
    if (roll < 80) return;  // Open (or held / awaiting approval above).
    std::string shipment;
    if (!create_shipment(*written, {}, &shipment).empty()) return;
    json::object& record = *find_record("Shipment", shipment);
    json::object package{{"id", new_guid()}};
    set_field(package, "LineNbr", std::int64_t{1});
    set_field(package, "BoxID", "LARGE");
    set_field(package, "TrackingNbr",
              json::string(padded("1Z999AA1", draw(seed, 15, index) % 100'000'000, 8)));
    set_decimal(package, "Weight", Decimal::from_int(2));
    record["Packages"] = json::array{package};
    recompute_shipment(record);
    (void)confirm_shipment(shipment);
}

}  // namespace mlc::sandbox::acumatica
