#include "sandbox/shipstation/shipstation_seed.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "sandbox/catalog.hpp"
#include "sandbox/shipstation/shipstation_format.hpp"

namespace mlc::sandbox::shipstation {
namespace {

constexpr std::array<std::string_view, 12> kFirstNames = {"Ava",  "Ben",   "Chloe", "Diego",
                                                          "Emma", "Farid", "Grace", "Hiro",
                                                          "Isla", "Jonas", "Kira",  "Liam"};
constexpr std::array<std::string_view, 10> kLastNames = {"Nguyen",  "Smith",  "Garcia", "Kowalski",
                                                         "O'Brien", "Müller", "Chen",   "Patel",
                                                         "Rossi",   "Brown"};
constexpr std::array<std::string_view, 8> kCities = {"Portland", "Austin",  "Denver", "Boston",
                                                     "Seattle",  "Chicago", "Tampa",  "Fresno"};
constexpr std::array<std::string_view, 8> kStates = {"OR", "TX", "CO", "MA",
                                                     "WA", "IL", "FL", "CA"};
constexpr std::array<std::string_view, 8> kProductWords = {"Widget", "Gasket", "Bracket", "Valve",
                                                           "Sensor", "Cable",  "Hinge",   "Filter"};
constexpr std::array<std::string_view, 6> kProductAdjectives = {"Steel", "Brass", "Large",
                                                                "Mini",  "Pro",   "Eco"};

std::string pick(std::uint64_t draw, auto const& table) {
    return std::string(table[draw % table.size()]);
}

}  // namespace

SeedData::SeedData(std::uint64_t seed, std::size_t volume, UtcTime epoch)
    : seed_(seed),
      epoch_(epoch),
      product_count_(std::clamp<std::size_t>(volume / 4, 20, 2000)),
      customer_count_(std::clamp<std::size_t>(volume / 3, 10, 200'000)),
      ordering_customers_(std::min(customer_count_, catalog::customer_count(volume))),
      stores_{{310001, "Sandbox Web Store", "WooCommerce"},
              {310002, "Sandbox Amazon", "Amazon"},
              {310003, "Manual Orders", "ShipStation"}} {}

// Product index i is the shared catalog's part i + 1 (sandbox/catalog.hpp): SKU = PartNum.
std::string SeedData::product_sku(std::size_t index) const {
    return catalog::part_number(index + 1);
}

Decimal SeedData::product_price(std::size_t index) const {
    return catalog::part_price(seed_, index + 1);
}

std::uint32_t SeedData::order_customer(std::uint64_t draw) const {
    return static_cast<std::uint32_t>(catalog::ordering_customer(draw, ordering_customers_) - 1);
}

boost::json::object SeedData::product(std::size_t index) const {
    const auto draw = mix(seed_, 12, index);
    const UtcTime created = epoch_ - std::chrono::hours{24 * 400} +
                            std::chrono::seconds{static_cast<std::int64_t>(draw % 86'400)};
    const std::string name = pick(draw >> 8, kProductAdjectives) + " " +
                             pick(draw >> 16, kProductWords) + " " + std::to_string(index);
    return {
        {"productId", kProductIdBase + static_cast<std::int64_t>(index)},
        {"sku", product_sku(index)},
        {"name", name},
        {"price", money(product_price(index))},
        {"defaultCost", money(product_price(index).mul(Decimal::parse("0.5").value()).round(2))},
        {"length", nullptr},
        {"width", nullptr},
        {"height", nullptr},
        {"weightOz", static_cast<std::int64_t>(draw % 80 + 4)},
        {"internalNotes", nullptr},
        {"fulfillmentSku", nullptr},
        {"createDate", short_time(created)},
        {"modifyDate", short_time(created)},
        {"active", true},
        {"productCategory", nullptr},
        {"productType", nullptr},
        {"warehouseLocation", nullptr},
        {"defaultCarrierCode", nullptr},
        {"defaultServiceCode", nullptr},
        {"defaultPackageCode", nullptr},
        {"customsDescription", nullptr},
        {"customsValue", nullptr},
        {"upc", nullptr},
        {"tags", nullptr}};
}

std::string SeedData::customer_name(std::size_t index) const {
    const auto draw = mix(seed_, 21, index);
    return pick(draw, kFirstNames) + " " + pick(draw >> 16, kLastNames);
}

boost::json::object SeedData::address(std::size_t customer_index) const {
    const auto draw = mix(seed_, 22, customer_index);
    const auto place = draw % kCities.size();
    return {{"name", customer_name(customer_index)},
            {"company", (draw >> 20) % 4 == 0 ? boost::json::value("Acme Corp") : nullptr},
            {"street1", std::to_string(draw % 9000 + 100) + " Main St"},
            {"street2", nullptr},
            {"street3", nullptr},
            {"city", std::string(kCities[place])},
            {"state", std::string(kStates[place])},
            {"postalCode", std::to_string(10000 + (draw >> 8) % 89999)},
            {"country", "US"},
            {"phone", "555-01" + std::to_string(10 + (draw >> 30) % 90)},
            {"residential", (draw >> 40) % 2 == 0},
            {"addressVerified", "Address validated successfully"}};
}

boost::json::object SeedData::customer(std::size_t index) const {
    const auto draw = mix(seed_, 23, index);
    const UtcTime created = epoch_ - std::chrono::hours{24 * 200} +
                            std::chrono::seconds{static_cast<std::int64_t>(draw % 8'640'000)};
    const auto addr = address(index);
    // The catalog's e-mail address, as on the Epicor customer; a catalog customer without one
    // gets a ShipStation-only address (no seeded order is theirs).
    std::string email = catalog::customer_email(index + 1);
    if (email.empty()) email = "shopper" + std::to_string(index + 1) + "@example.net";
    return {{"customerId", kCustomerIdBase + static_cast<std::int64_t>(index)},
            {"createDate", order_time(created)},
            {"modifyDate", order_time(created)},
            {"name", addr.at("name")},
            {"company", addr.at("company")},
            {"street1", addr.at("street1")},
            {"street2", nullptr},
            {"city", addr.at("city")},
            {"state", addr.at("state")},
            {"postalCode", addr.at("postalCode")},
            {"countryCode", "US"},
            {"phone", addr.at("phone")},
            {"email", email},
            {"addressVerified", "Verified"},
            {"marketplaceUsernames", boost::json::array{}},
            {"tags", nullptr}};
}

boost::json::array SeedData::items(std::int64_t order_id, UtcTime create, UtcTime modify,
                                   Misfit misfit) const {
    const auto draw = mix(seed_, 31, static_cast<std::uint64_t>(order_id));
    const std::size_t lines = draw % kLinesPerOrderMax + 1;
    boost::json::array out;
    for (std::size_t line = 0; line < lines; ++line) {
        const auto line_draw = mix(seed_, 32, static_cast<std::uint64_t>(order_id) * 8 + line);
        // Parts every system accepts; the catalog's misfits only on the first line of the two
        // orders the emulator marks.
        std::size_t product_index = catalog::fitting_part(line_draw, product_count_) - 1;
        if (line == 0 && misfit == Misfit::kInactivePart)
            product_index = catalog::kInactivePart - 1;
        const bool unknown = line == 0 && misfit == Misfit::kUnknownSku;
        out.push_back(boost::json::object{
            {"orderItemId", order_id * 10 + static_cast<std::int64_t>(line)},
            {"lineItemKey", "line-" + std::to_string(order_id) + "-" + std::to_string(line)},
            {"sku", unknown ? std::string(catalog::kUnknownSku) : product_sku(product_index)},
            {"name", unknown ? boost::json::value("Wall Bracket 8in (discontinued)")
                             : product(product_index).at("name")},
            {"imageUrl", nullptr},
            {"weight", boost::json::object{{"value", static_cast<std::int64_t>(line_draw % 40 + 2)},
                                           {"units", "ounces"},
                                           {"WeightUnits", 1}}},
            {"quantity", static_cast<std::int64_t>((line_draw >> 20) % 3 + 1)},
            {"unitPrice", money(product_price(product_index))},
            {"taxAmount", nullptr},
            {"shippingAmount", nullptr},
            {"warehouseLocation", nullptr},
            {"options", boost::json::array{}},
            {"productId", unknown ? boost::json::value(nullptr)
                                  : boost::json::value(kProductIdBase +
                                                       static_cast<std::int64_t>(product_index))},
            {"fulfillmentSku", nullptr},
            {"adjustment", false},
            {"upc", nullptr},
            {"createDate", short_time(create)},
            {"modifyDate", short_time(modify)}});
    }
    return out;
}

}  // namespace mlc::sandbox::shipstation
