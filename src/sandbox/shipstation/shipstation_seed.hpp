#pragma once
// SeedData: ShipStation's seeded stores, products, customers and order lines, each computed from
// (seed, index) on demand so a million orders cost only their compact rows. Same seed, same data.
//
// Lifecycle: built once by the emulator. Thread safety: immutable after construction.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/decimal.hpp"
#include "sandbox/seeded.hpp"

namespace mlc::sandbox::shipstation {

struct Store {
    std::int64_t id;
    std::string name;
    std::string marketplace;
};

// The shared catalog's deliberate misfits (sandbox/catalog.hpp) a seeded order may carry on its
// first line: one order sells the unknown SKU, one the inactive part.
enum class Misfit : std::uint8_t { kNone, kUnknownSku, kInactivePart };

class SeedData {
  public:
    static constexpr std::int64_t kProductIdBase = 2'000'000;
    static constexpr std::int64_t kCustomerIdBase = 5'000'000;
    static constexpr std::size_t kLinesPerOrderMax = 4;

    SeedData(std::uint64_t seed, std::size_t volume, UtcTime epoch);

    const std::vector<Store>& stores() const { return stores_; }
    std::size_t product_count() const { return product_count_; }
    std::size_t customer_count() const { return customer_count_; }

    boost::json::object product(std::size_t index) const;
    std::string product_sku(std::size_t index) const;
    Decimal product_price(std::size_t index) const;
    boost::json::object customer(std::size_t index) const;
    // A customer index for an order: one the Epicor sandbox has, with an e-mail address.
    std::uint32_t order_customer(std::uint64_t draw) const;
    std::string customer_name(std::size_t index) const;
    boost::json::object address(std::size_t customer_index) const;  // billTo/shipTo shape
    // Lines of seeded order `order_id`: orderItemId = order_id * 10 + line.
    boost::json::array items(std::int64_t order_id, UtcTime create, UtcTime modify,
                             Misfit misfit = Misfit::kNone) const;

  private:
    std::uint64_t seed_;
    UtcTime epoch_;  // Products' and customers' create dates are before it.
    std::size_t product_count_;
    std::size_t customer_count_;
    std::size_t ordering_customers_;  // Customers an order may name (the catalog's, see above).
    std::vector<Store> stores_;
};

}  // namespace mlc::sandbox::shipstation
