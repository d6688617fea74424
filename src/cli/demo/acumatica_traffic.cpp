#include "cli/demo/acumatica_traffic.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/json.hpp>

#include "cli/demo/demo_catalog.hpp"
#include "cli/demo/shipstation_traffic.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

constexpr std::int64_t kQuantityMax = 3;

struct AcumaticaCustomer {
    std::string_view id;  // CustomerID: a manual key in Acumatica.
    std::string_view name;
    std::string_view email;
    std::string_view street;
    std::string_view city;
    std::string_view state;
    std::string_view postal_code;
};

// The brand's repeat buyers, booked in Acumatica with a shipping contact each (the sales order
// takes its ship-to from it).
constexpr std::array<AcumaticaCustomer, 3> kCustomers = {{
    {"ACU-NORA", "Nora Lindqvist", "nora.lindqvist@example.com", "500 E Pike St", "Seattle", "WA",
     "98122"},
    {"ACU-OMAR", "Omar Farouk", "omar.farouk@example.com", "18 W 18th St", "New York", "NY",
     "10011"},
    {"ACU-PAZ", "Paz Herrera", "paz.herrera@example.com", "2100 S Congress Ave", "Austin", "TX",
     "78704"},
}};

json::object value(json::value v) { return json::object{{"value", std::move(v)}}; }
json::object value(std::string_view text) { return value(json::value(json::string(text))); }

json::object customer_body(const AcumaticaCustomer& c) {
    const json::object contact{
        {"DisplayName", value(c.name)},
        {"CompanyName", value(c.name)},
        {"Email", value(c.email)},
        {"Phone1", value(std::string_view("+1 206 555 0100"))},
        {"Address", json::object{{"AddressLine1", value(c.street)},
                                 {"City", value(c.city)},
                                 {"State", value(c.state)},
                                 {"PostalCode", value(c.postal_code)},
                                 {"Country", value(std::string_view("US"))}}}};
    return {{"CustomerID", value(c.id)},
            {"CustomerName", value(c.name)},
            {"Email", value(c.email)},
            {"MainContact", contact},
            {"ShippingContact", contact}};
}

std::int64_t id_number(const std::string& text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    return ec == std::errc{} && end == text.data() + text.size() ? id : 0;
}

}  // namespace

AcumaticaTraffic::AcumaticaTraffic(SandboxClient& acumatica, SandboxClient& shipstation,
                                   std::uint64_t seed)
    : acumatica_(acumatica), shipstation_(shipstation), rng_(seed ^ 0xac0a) {}

Result<void> AcumaticaTraffic::prepare() {
    for (const DemoProduct& product : demo_catalog()) {
        MLC_CHECK_CTX(
            acumatica_.post("records/StockItem",
                            json::object{{"InventoryID", value(product.sku)},
                                         {"Description", value(product.name)},
                                         {"DefaultPrice", value(exact_number(product.price))}}),
            "while creating the demo's stock items in the Acumatica sandbox");
    }
    for (const AcumaticaCustomer& customer : kCustomers) {
        MLC_CHECK_CTX(acumatica_.post("records/Customer", customer_body(customer)),
                      "while creating the demo's customers in the Acumatica sandbox");
    }
    return ok();
}

AcumaticaTraffic::Fate AcumaticaTraffic::draw_fate() {
    // Out of ten orders in ShipStation: one is cancelled in Acumatica, six are labelled, three
    // stay awaiting shipment.
    const auto roll = rng_() % 10;
    if (roll == 0) return Fate::kCancelled;
    return roll <= 6 ? Fate::kShipped : Fate::kStaysOpen;
}

Result<std::size_t> AcumaticaTraffic::create_orders(std::size_t count) {
    count = std::min(count, kAcumaticaOrdersTrackedMax - orders_.size());
    const auto& catalog = demo_catalog();
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t draw = rng_();
        json::array lines;
        const std::size_t line_count = (draw >> 8) % 2 + 1;
        for (std::size_t line = 0; line < line_count; ++line) {
            const DemoProduct& product = catalog[((draw >> 16) + line) % catalog.size()];
            const auto quantity =
                static_cast<std::int64_t>((draw >> (24 + 4 * line)) % kQuantityMax) + 1;
            lines.push_back(json::object{{"InventoryID", product.sku}, {"OrderQty", quantity}});
        }
        MLC_TRY_CTX(
            json::value answer,
            acumatica_.post(
                "orders",
                json::object{{"CustomerID", kCustomers[draw % kCustomers.size()].id},
                             {"CustomerOrder", "DEMO-" + std::to_string(orders_.size() + 1)},
                             {"lines", std::move(lines)}}),
            "while entering a sales order in the Acumatica sandbox");
        const json::value* nbr =
            answer.is_object() ? answer.get_object().if_contains("OrderNbr") : nullptr;
        const json::value* text =
            nbr != nullptr && nbr->is_object() ? nbr->get_object().if_contains("value") : nullptr;
        if (text == nullptr || !text->is_string()) {
            return make_error(ErrorCode::kInvalidInput, "acumatica sandbox",
                              "a new sales order came back without an OrderNbr");
        }
        const std::string order_nbr(text->get_string());
        orders_.push_back(Order{.key = "SO" + order_nbr, .nbr = order_nbr, .fate = draw_fate()});
    }
    return count;
}

Result<std::size_t> AcumaticaTraffic::act(std::size_t max_actions) {
    std::size_t steps = 0;
    for (Order& order : orders_) {  // Bounded by kAcumaticaOrdersTrackedMax.
        if (steps >= max_actions) break;
        if (order.shipstation_id == 0 || order.cancelled || !order.shipment_id.empty()) continue;
        if (order.fate == Fate::kCancelled) {
            MLC_CHECK_CTX(acumatica_.post("orders/cancel", json::object{{"OrderNbr", order.nbr}}),
                          "while cancelling " + order.key + " in the Acumatica sandbox");
            order.cancelled = true;
            ++steps;
        } else if (order.fate == Fate::kShipped) {
            MLC_TRY(order.shipment_id, label_order(shipstation_, order.shipstation_id, order.key));
            ++steps;
        }
    }
    return steps;
}

Result<void> AcumaticaTraffic::refresh(store::StateStore& store, const std::string& flow) {
    const std::string orders_system(kAcumaticaOrderBindingSystem);
    const std::string shipments_system(kAcumaticaShipmentBindingSystem);
    for (Order& order : orders_) {  // Bounded by kAcumaticaOrdersTrackedMax.
        if (order.shipstation_id == 0) {
            MLC_TRY(auto binding, store.get_binding(flow, orders_system, order.key));
            if (binding && binding->state == store::BindingState::kConfirmed) {
                order.shipstation_id = id_number(binding->target_id);
            }
        }
        if (!order.shipment_id.empty() && !order.shipped) {
            MLC_TRY(auto binding, store.get_binding(flow, shipments_system, order.shipment_id));
            order.shipped = binding && binding->state == store::BindingState::kConfirmed;
        }
    }
    return ok();
}

AcumaticaCounts AcumaticaTraffic::counts() const {
    AcumaticaCounts out;
    for (const Order& order : orders_) {
        ++out.created;
        if (order.shipstation_id == 0) continue;
        ++out.landed;
        if (order.cancelled) ++out.cancelled;
        if (!order.shipment_id.empty()) ++out.labelled;
        if (order.shipped) ++out.shipped;
        const bool done =
            order.fate == Fate::kStaysOpen || order.cancelled || !order.shipment_id.empty();
        if (!done) ++out.fates_pending;
    }
    return out;
}

std::vector<std::string> AcumaticaTraffic::not_landed() const {
    std::vector<std::string> out;
    for (const Order& order : orders_) {
        if (order.shipstation_id == 0) out.push_back(order.key);
    }
    return out;
}

}  // namespace mlc::cli::demo
