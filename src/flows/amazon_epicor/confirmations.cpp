#include "flows/amazon_epicor/confirmations.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/mapping.hpp"
#include "flows/amazon_epicor/orders_recipe.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

namespace ep = connectors::epicor;
namespace amz = connectors::amazon;

Error unresolved(const model::Shipment& pack, std::string what) {
    return make_error(ErrorCode::kUnresolved, "amazon",
                      "Epicor pack " + pack.source.key + " (Amazon order " + pack.order_reference +
                          "): " + std::move(what));
}

// Units of each PartNum in the pack, whole: Amazon confirms whole units.
Result<std::map<std::string, std::int64_t>> units_by_part(const model::Shipment& pack) {
    const __int128 unit = Decimal::from_int(1).units();
    std::map<std::string, std::int64_t> units;
    for (const model::ShipmentLine& line : pack.lines) {
        if (line.quantity.units() % unit != 0 || line.quantity.is_negative()) {
            return unresolved(pack, "part " + line.sku + " ships " + line.quantity.to_string() +
                                        " units; Amazon confirms whole units: correct the pack's "
                                        "quantity in Epicor, then replay");
        }
        units[line.sku] += static_cast<std::int64_t>(line.quantity.units() / unit);
    }
    return units;
}

class ConfirmResolver final
    : public connectors::Resolver<model::Shipment, amz::PackageConfirmation> {
  public:
    ConfirmResolver(amz::AmazonClient& amazon, const AmazonOrdersOptions& options)
        : amazon_(amazon), options_(options) {}

    Result<amz::PackageConfirmation> resolve(const model::Shipment& pack,
                                             const std::string&) override {
        MLC_TRY(auto order, amz::read_fulfilment(amazon_, pack.order_reference));
        if (!order) return unresolved(pack, "Amazon does not know this order");
        if (!order->merchant_fulfilled) {
            return unresolved(pack,
                              "Amazon fulfils this order itself (FBA): nothing to confirm; "
                              "resolve this letter");
        }
        amz::PackageConfirmation out{.order_id = order->order_id,
                                     .marketplace_id = order->marketplace_id,
                                     .package_reference_id = pack.source.key,
                                     .tracking_number = pack.tracking_number,
                                     .ship_date = pack.ship_date.value_or(amazon_.clock().now())};
        MLC_CHECK(carrier(pack, out));
        if (const amz::ConfirmedPackage* sent = order->package(pack.source.key)) {
            out.items = sent->items;  // Confirmed already: what Amazon holds.
        } else {
            MLC_CHECK(items(pack, *order, out));
        }
        std::sort(out.items.begin(), out.items.end(),
                  [](const auto& a, const auto& b) { return a.order_item_id < b.order_item_id; });
        return out;
    }

  private:
    bool matches(const amz::FulfilmentItem& item, const std::string& part) const {
        return item.seller_sku == part || map_lookup(options_.parts, item.seller_sku) == part;
    }
    // Each part's units spread over the order's items of that part (several seller SKUs may map
    // to one PartNum), each up to what Amazon still counts as unshipped.
    Result<void> items(const model::Shipment& pack, const amz::Fulfilment& order,
                       amz::PackageConfirmation& out) const {
        MLC_TRY(auto units, units_by_part(pack));
        for (const auto& [part, quantity] : units) {
            std::int64_t left = quantity;
            std::int64_t open = 0;
            bool listed = false;
            for (const amz::FulfilmentItem& item : order.items) {
                if (!matches(item, part)) continue;
                listed = true;
                const std::int64_t take = std::min(left, item.ordered - item.shipped);
                open += item.ordered - item.shipped;
                if (take <= 0) continue;
                out.items.push_back({.order_item_id = item.order_item_id, .quantity = take});
                left -= take;
            }
            if (!listed) {
                return unresolved(pack, "Amazon lists no item of part " + part +
                                            " on this order: map its seller SKU to " + part +
                                            " under mappings.parts, then replay");
            }
            if (left > 0) {
                return unresolved(pack, "ships " + std::to_string(quantity) + " of part " + part +
                                            " but Amazon counts " + std::to_string(open) +
                                            " unshipped: correct the pack in Epicor, then replay");
            }
        }
        return ok();
    }
    Result<void> carrier(const model::Shipment& pack, amz::PackageConfirmation& out) const {
        if (pack.carrier.empty()) {
            return unresolved(pack,
                              "the pack has no Ship Via and Amazon needs a carrier: set it "
                              "in Epicor, then replay");
        }
        const std::optional<std::string> mapped = map_lookup(options_.carriers, pack.carrier);
        out.shipping_method = pack.service;
        if (mapped) {
            out.carrier_code = *mapped;
        } else {
            out.carrier_code = "Other";
            out.carrier_name = pack.carrier;
        }
        return ok();
    }

    amz::AmazonClient& amazon_;
    const AmazonOrdersOptions& options_;
};

pipeline::Intent pack_intent(const model::Shipment& pack) {
    if (!is_amazon_order_id(pack.order_reference)) {
        return {.kind = pipeline::Intent::kNever, .reason = "not an Amazon order"};
    }
    if (pack.tracking_number.empty()) {
        return {.kind = pipeline::Intent::kNotYet,
                .reason = "no tracking number yet: confirmed once Epicor has one"};
    }
    return {};
}

std::string confirmation_hash(const amz::PackageConfirmation& c) {
    std::string text = c.carrier_code + "|" + c.carrier_name + "|" + c.tracking_number;
    for (const auto& item : c.items)
        text += "|" + item.order_item_id + "x" + std::to_string(item.quantity);
    return text;
}

}  // namespace

bool is_amazon_order_id(std::string_view reference) {
    if (reference.size() != 19 || reference[3] != '-' || reference[11] != '-') return false;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        if (i != 3 && i != 11 && !std::isdigit(static_cast<unsigned char>(reference[i])))
            return false;
    }
    return true;
}

void wire_confirmations(Confirmations& c, ep::EpicorClient& epicor, amz::AmazonClient& amazon,
                        const AmazonOrdersOptions& options) {
    c.source = std::make_unique<ep::ShipmentsSource>(
        epicor, ep::ShipmentsSourceOptions{.order_reference_field = options.source_key_field});
    c.target = std::make_unique<amz::ShipmentConfirmations>(amazon);
    c.stream = ConfirmStream{
        .name = kShipmentsStream,
        .system = kPackSystem,
        .direction = "epicor->amazon",
        .source = c.source.get(),
        .target = c.target.get(),
        .resolver = [&amazon,
                     &options] { return std::make_unique<ConfirmResolver>(amazon, options); },
        .hash = confirmation_hash,
        .intent = pack_intent,
        .target_key =
            [](const model::Shipment& pack) {
                return amz::package_key(pack.order_reference, pack.source.key);
            },
        .parent_system = kSourceSystem,
        .parent_key = [](const model::Shipment& pack) { return pack.order_reference; },
        .parent_missing =
            [](const model::Shipment& pack) {
                return make_error(ErrorCode::kUnresolved, "amazon",
                                  "Epicor pack " + pack.source.key + " ships Amazon order " +
                                      pack.order_reference +
                                      ", which this flow has not written to Epicor: fix the "
                                      "order's dead letter first, then replay this pack");
            },
        .pages_per_run = options.pages_per_run};
}

}  // namespace mlc::flows::amazon_epicor
