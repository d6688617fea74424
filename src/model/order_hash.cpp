#include "model/order_hash.hpp"

#include <cstdint>
#include <map>

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

namespace {

struct Differences {
    std::vector<std::string> out;
    std::string_view source_name, target_name;
    std::size_t max = 0;
    void add(std::string_view what, std::string_view source, std::string_view target) {
        if (source == target) return;
        if (out.size() == max) out.emplace_back("...");
        if (out.size() > max) return;
        const auto shown = [](std::string_view text) {
            return text.empty() ? std::string("(none)") : std::string(text);
        };
        out.push_back(fmt::format("{}: {} in {}, {} in {}", what, shown(source), source_name,
                                  shown(target), target_name));
    }
};

// Quantity and unit price per SKU (lines with the same SKU added up).
std::map<std::string, std::pair<Decimal, Decimal>> by_sku(const Order& order) {
    std::map<std::string, std::pair<Decimal, Decimal>> out;
    for (const OrderLine& line : order.lines) {
        auto& [quantity, price] = out[line.sku];
        quantity = quantity + line.quantity;
        price = line.unit_price;
    }
    return out;
}

}  // namespace

std::vector<std::string> order_differences(const Order& source, const Order& target,
                                           std::string_view source_name,
                                           std::string_view target_name, std::size_t max) {
    Differences d{.out = {}, .source_name = source_name, .target_name = target_name, .max = max};
    const auto lines = by_sku(source);
    const auto there = by_sku(target);
    for (const auto& [sku, wanted] : lines) {
        const auto found = there.find(sku);
        const std::string held = found == there.end() ? "0" : found->second.first.to_string();
        d.add("quantity of " + sku, wanted.first.to_string(), held);
        if (found != there.end()) {
            d.add("unit price of " + sku, wanted.second.to_string(2),
                  found->second.second.to_string(2));
        }
    }
    for (const auto& [sku, held] : there) {
        if (!lines.contains(sku)) d.add("quantity of " + sku, "0", held.first.to_string());
    }
    const Address& a = source.ship_to;
    const Address& b = target.ship_to;
    d.add("ship-to name", a.name, b.name);
    d.add("ship-to street", a.street1, b.street1);
    d.add("ship-to street 2", a.street2, b.street2);
    d.add("ship-to city", a.city, b.city);
    d.add("ship-to state", a.state, b.state);
    d.add("ship-to postal code", a.postal_code, b.postal_code);
    d.add("ship-to country", a.country, b.country);
    d.add("customer email", source.customer_email, target.customer_email);
    d.add("notes", source.notes, target.notes);
    return d.out;
}

}  // namespace mlc::model
