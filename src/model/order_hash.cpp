#include "model/order_hash.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "common/time.hpp"

namespace mlc::model {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

class Hasher {
  public:
    // Each field ends with a separator byte no text holds, so ("ab","c") != ("a","bc").
    Hasher& add(std::string_view text) {
        for (unsigned char c : text) mix(c);
        mix(0x1f);
        return *this;
    }
    Hasher& add(const Decimal& value) { return add(value.to_string()); }
    Hasher& add(const Address& a) {
        return add(a.name)
            .add(a.company)
            .add(a.street1)
            .add(a.street2)
            .add(a.street3)
            .add(a.city)
            .add(a.state)
            .add(a.postal_code)
            .add(a.country)
            .add(a.phone)
            .add(a.email)
            .add(a.residential ? "r" : "c");
    }
    std::uint64_t value() const { return hash_; }

  private:
    void mix(unsigned char c) {
        hash_ ^= c;
        hash_ *= kFnvPrime;
    }
    std::uint64_t hash_ = kFnvOffset;
};

}  // namespace

std::string content_hash(const Order& o, std::string_view customer) {
    Hasher h;
    // Only cancellation changes what is written: awaiting -> shipped needs no Epicor call (tracking
    // arrives through the shipments stream).
    const bool cancelled = o.status == OrderStatus::kCancelled;
    h.add(customer).add(o.source.key).add(o.number).add(cancelled ? "x" : "o");
    h.add(o.currency).add(o.customer_email).add(o.customer_name).add(o.bill_to).add(o.ship_to);
    h.add(o.shipping_total).add(o.tax_total).add(o.discount_total).add(o.total);
    h.add(o.notes).add(o.requested_service).add(format_iso8601(o.ordered_at));
    h.add(o.ship_by ? format_iso8601(*o.ship_by) : std::string());
    for (const OrderLine& line : o.lines) {
        h.add(line.line_key).add(line.sku).add(line.description).add(line.quantity);
        h.add(line.unit_price).add(line.tax).add(line.discount);
    }
    return fmt::format("{:016x}", h.value());
}

}  // namespace mlc::model
