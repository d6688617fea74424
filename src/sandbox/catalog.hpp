#pragma once
// The sandboxes' shared business: one catalog of parts and one customer list that the Epicor,
// ShipStation, WooCommerce and UPS emulators seed from, so a flow set up from examples/*.yaml on
// `mlc sandbox` finds on one side what the other side names (the same SKU is the Epicor PartNum,
// the same e-mail address is on the Epicor customer), plus a few deliberate misfits, all listed
// here and in src/sandbox/README.md:
//
// - kUnknownSku ("WB-2041-DISC"): sold in ShipStation (one seeded order), never an Epicor part.
// - kInactivePart (P10003): an Epicor part marked InActive; one seeded ShipStation order sells
//   it, Epicor refuses it on an order line; a draft WooCommerce product. No other seeded order
//   (ShipStation or WooCommerce) sells either of the two.
// - Customers without an e-mail address (every fourth: C00004, C00008, ...): Epicor has none for
//   them and WooCommerce has no customer for them, so the WooCommerce catalog flow reports them;
//   no seeded order is placed by one.
// - kAmbiguousAddressCustomer (C00002): its address, 200 Oak Ave, New York NY 10001, names two
//   streets UPS knows (200 N and 200 S OAK AVE): UPS Address Validation answers ambiguous. Every
//   other customer's address is in the UPS sandbox's address book.
//
// Part n (1-based) is PartNum/SKU "P1nnnn" (P10001, P10002, ...), with a price drawn from the
// seed as an exact Decimal (the ShipStation and WooCommerce product price). Customer n is Epicor
// CustID "C0nnnn" with e-mail "orders<n>@example.com" (ShipStation's customerUsername and
// customerEmail, the WooCommerce customer's and its orders' billing e-mail).
//
// Pure functions of (seed, index, volume): no state. Thread safety: none needed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>

#include "common/decimal.hpp"
#include "sandbox/seeded.hpp"

namespace mlc::sandbox::catalog {

// Sold in ShipStation, never created in Epicor (the demo's unknown SKU too).
inline constexpr std::string_view kUnknownSku = "WB-2041-DISC";
// The one inactive Epicor part (P10003).
inline constexpr std::size_t kInactivePart = 3;
// Catalog parts at the smallest volume (every emulator's product list fits inside it).
inline constexpr std::size_t kPartsMin = 20;
inline constexpr std::size_t kCustomersMin = 5;

// Parts in the catalog for `--volume` (Epicor seeds all of them; other systems a prefix).
inline std::size_t part_count(std::size_t volume) { return std::max(kPartsMin, volume); }
// Customers in the list for `--volume` (Epicor seeds all of them).
inline std::size_t customer_count(std::size_t volume) {
    return std::max(kCustomersMin, volume / 4);
}

inline std::string part_number(std::size_t part) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "P%05zu", 10000 + part);
    return buffer;
}

inline bool part_inactive(std::size_t part) { return part == kInactivePart; }

// 1.00 .. 500.99, whole cents.
inline Decimal part_price(std::uint64_t seed, std::size_t part) {
    return Decimal::from_units(static_cast<__int128>(100 + mix(seed, 0xCA7A, part) % 50'000) *
                               10'000);
}

// A part every system accepts (never kInactivePart), chosen by `draw` among the first `parts`.
inline std::size_t fitting_part(std::uint64_t draw, std::size_t parts) {
    const std::size_t part = draw % std::max<std::size_t>(parts, kInactivePart + 1) + 1;
    return part_inactive(part) ? part + 1 : part;
}

inline std::string customer_id(std::size_t customer) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "C%05zu", customer);
    return buffer;
}

// The customer whose address UPS finds ambiguous.
inline constexpr std::size_t kAmbiguousAddressCustomer = 2;

struct Address {
    std::string number = {};  // "3950"
    std::string street = {};  // "Main St"
    std::string city = {};
    std::string state = {};  // Two letters
    std::string zip = {};    // Five digits
};

// A customer's street address (US), the same on the Epicor customer and in UPS's address book.
inline Address customer_address(std::uint64_t seed, std::size_t customer) {
    if (customer == kAmbiguousAddressCustomer) return {"200", "Oak Ave", "New York", "NY", "10001"};
    struct City {
        std::string_view city, state, zip;
    };
    static constexpr City kCities[] = {{"Minneapolis", "MN", "55401"},
                                       {"Austin", "TX", "78701"},
                                       {"Denver", "CO", "80202"},
                                       {"Portland", "OR", "97201"},
                                       {"Columbus", "OH", "43215"}};
    const std::uint64_t draw = mix(seed, 0xADD5, customer);
    const City& city = kCities[draw % std::size(kCities)];
    return {std::to_string(100 + (draw >> 8) % 9000), "Main St", std::string(city.city),
            std::string(city.state), std::string(city.zip)};
}

inline bool customer_has_email(std::size_t customer) { return customer % 4 != 0; }

// "orders<n>@example.com"; empty for a customer without one.
inline std::string customer_email(std::size_t customer) {
    return customer_has_email(customer) ? "orders" + std::to_string(customer) + "@example.com"
                                        : std::string();
}

// The customer with an e-mail address at 0-based position k among those that have one (k = 0:
// customer 1, k = 3: customer 5; every fourth customer has none).
inline std::size_t customer_with_email(std::size_t k) { return k + k / 3 + 1; }

// How many of the first `customers` have an e-mail address.
inline std::size_t customers_with_email(std::size_t customers) { return customers - customers / 4; }

// A customer with an e-mail address among the first `customers`, chosen by `draw`.
inline std::size_t ordering_customer(std::uint64_t draw, std::size_t customers) {
    const std::size_t customer = draw % std::max<std::size_t>(customers, 1) + 1;
    return customer_has_email(customer) ? customer : customer - 1;
}

}  // namespace mlc::sandbox::catalog
