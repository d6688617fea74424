#include "cli/demo/shipstation_traffic.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

// The ShipStation sandbox takes at most 10,000 orders per control import; smaller imports keep
// each request body modest.
constexpr std::size_t kImportBatchMax = 500;

std::string id_text(const json::value& value) {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_string()) return std::string(value.get_string());
    return {};
}

}  // namespace

ShipStationTraffic::ShipStationTraffic(SandboxClient& shipstation, SandboxClient& epicor,
                                       Clock& clock, std::uint64_t seed, std::string run_tag)
    : shipstation_(shipstation),
      epicor_(epicor),
      clock_(clock),
      rng_(seed),
      run_tag_(std::move(run_tag)) {}

Result<void> ShipStationTraffic::prepare_epicor() {
    for (const DemoProduct& product : demo_catalog()) {
        MLC_CHECK_CTX(
            epicor_.post("parts", json::object{{"PartNum", product.sku},
                                               {"PartDescription", product.name},
                                               {"IUM", "EA"},
                                               {"SalesUM", "EA"},
                                               {"TypeCode", "P"},
                                               {"UnitPrice", exact_number(product.price)}}),
            "while creating the demo's parts in the Epicor sandbox");
    }
    MLC_CHECK_CTX(epicor_.post("customers", json::object{{"CustID", kWebOrdersCustomer},
                                                         {"Name", "Web Orders"},
                                                         {"EMailAddress", "weborders@example.com"},
                                                         {"CurrencyCode", "USD"}}),
                  "while creating the web-orders customer in the Epicor sandbox");
    return ok();
}

OrderFate ShipStationTraffic::draw_fate() {
    // Out of ten landed orders: one is cancelled, two get a new address and then ship, four ship
    // as they are, three stay open (awaiting shipment), as a day's orders would.
    switch (rng_() % 10) {
        case 0:
            return OrderFate::kCancelled;
        case 1:
        case 2:
            return OrderFate::kEditedThenShipped;
        case 3:
        case 4:
        case 5:
        case 6:
            return OrderFate::kShipped;
        default:
            return OrderFate::kStaysOpen;
    }
}

Result<std::size_t> ShipStationTraffic::create_orders(std::size_t count, std::size_t unknown_sku) {
    count = std::min(count, kTrackedOrdersMax - orders_.size());
    std::size_t created = 0;
    while (created < count) {  // Bounded: each pass creates at least one order.
        const std::size_t batch = std::min(kImportBatchMax, count - created);
        std::vector<DemoOrder> fresh;
        json::array bodies;
        for (std::size_t i = 0; i < batch; ++i) {
            DemoOrder order;
            order.spec =
                DemoOrderSpec{.sequence = static_cast<std::int64_t>(orders_.size() + i + 1),
                              .run_tag = run_tag_,
                              .draw = rng_(),
                              .unknown_sku = created + i < unknown_sku,
                              .ordered_at = clock_.now()};
            order.key = demo_order_key(order.spec);
            order.fate = order.spec.unknown_sku ? OrderFate::kStaysOpen : draw_fate();
            MLC_TRY(json::object body, shipstation_order(order.spec));
            bodies.push_back(std::move(body));
            fresh.push_back(std::move(order));
        }
        MLC_TRY_CTX(json::value answer,
                    shipstation_.post("orders", json::object{{"orders", std::move(bodies)}}),
                    "while importing demo orders into the ShipStation sandbox");
        const auto* ids =
            answer.is_object() ? answer.get_object().if_contains("order_ids") : nullptr;
        if (ids == nullptr || !ids->is_array() || ids->get_array().size() != fresh.size()) {
            return make_error(ErrorCode::kInvalidInput, "shipstation sandbox",
                              "the order import did not answer one order id per order");
        }
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            const json::value& id = ids->get_array()[i];
            if (!id.is_int64()) {
                return make_error(ErrorCode::kInvalidInput, "shipstation sandbox",
                                  "the order import answered a non-numeric order id");
            }
            fresh[i].id = id.get_int64();
            orders_.push_back(std::move(fresh[i]));
        }
        created += batch;
    }
    return created;
}

Result<std::string> label_order(SandboxClient& shipstation, std::int64_t order_id,
                                const std::string& key) {
    MLC_TRY_CTX(
        json::value answer,
        shipstation.post("orders/" + std::to_string(order_id) + "/label",
                         json::object{{"carrierCode", "ups"}, {"serviceCode", "ups_ground"}}),
        "while labelling " + key + " in the ShipStation sandbox");
    const auto* id = answer.is_object() ? answer.get_object().if_contains("shipmentId") : nullptr;
    std::string shipment_id = id != nullptr ? id_text(*id) : std::string();
    if (shipment_id.empty()) {
        return make_error(ErrorCode::kInvalidInput, "shipstation sandbox",
                          "a label for " + key + " came back without a shipmentId");
    }
    return shipment_id;
}

Result<std::size_t> ShipStationTraffic::act(std::size_t max_actions) {
    std::size_t steps = 0;
    for (DemoOrder& order : orders_) {  // Bounded by kTrackedOrdersMax.
        if (steps >= max_actions) break;
        if (!order.landed || order.cancelled) continue;
        const std::string route = "orders/" + std::to_string(order.id) + "/";
        if (order.fate == OrderFate::kCancelled) {
            MLC_CHECK_CTX(shipstation_.post(route + "cancel", json::object{}),
                          "while cancelling " + order.key + " in the ShipStation sandbox");
            order.cancelled = true;
            ++steps;
        } else if (order.fate == OrderFate::kEditedThenShipped && !order.edited) {
            MLC_CHECK_CTX(shipstation_.post(route + "update",
                                            json::object{{"shipTo", edited_ship_to(order.spec)}}),
                          "while editing " + order.key + " in the ShipStation sandbox");
            order.edited = true;
            ++steps;
        } else if ((order.fate == OrderFate::kShipped ||
                    order.fate == OrderFate::kEditedThenShipped) &&
                   order.shipment_id.empty()) {
            MLC_TRY(order.shipment_id, label_order(shipstation_, order.id, order.key));
            ++steps;
        }
    }
    return steps;
}

Result<void> ShipStationTraffic::refresh(store::StateStore& store, const std::string& flow) {
    const std::string orders_system(kOrderBindingSystem);
    const std::string shipments_system(kShipmentBindingSystem);
    for (DemoOrder& order : orders_) {  // Bounded by kTrackedOrdersMax.
        if (!order.landed && !order.spec.unknown_sku) {
            MLC_TRY(auto binding, store.get_binding(flow, orders_system, order.key));
            order.landed = binding && binding->state == store::BindingState::kConfirmed;
        }
        if (!order.shipment_id.empty() && !order.tracked) {
            MLC_TRY(auto binding, store.get_binding(flow, shipments_system, order.shipment_id));
            order.tracked = binding && binding->state == store::BindingState::kConfirmed;
        }
    }
    MLC_TRY(auto letters,
            store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kDeadLettersReadMax));
    dead_letters_.clear();
    std::set<std::string> open_keys;
    for (const store::DeadLetter& letter : letters) {
        open_keys.insert(letter.source_key);
        dead_letters_.push_back(OpenDeadLetter{
            .id = letter.id, .source_key = letter.source_key, .message = letter.error_message});
    }
    for (DemoOrder& order : orders_) {
        if (order.spec.unknown_sku) order.parked = open_keys.contains(order.key);
    }
    return ok();
}

TrafficCounts ShipStationTraffic::counts() const {
    TrafficCounts out;
    for (const DemoOrder& order : orders_) {
        ++out.created;
        if (order.spec.unknown_sku) {
            ++out.unknown_sku;
            if (order.parked) ++out.parked;
            continue;
        }
        ++out.expected_to_land;
        if (order.landed) ++out.landed;
        if (order.edited) ++out.edited;
        if (order.cancelled) ++out.cancelled;
        if (!order.shipment_id.empty()) ++out.labelled;
        if (order.tracked) ++out.tracked;
        const bool done = order.fate == OrderFate::kStaysOpen ||
                          (order.fate == OrderFate::kCancelled && order.cancelled) ||
                          (order.fate != OrderFate::kCancelled && !order.shipment_id.empty());
        if (order.landed && !done) ++out.fates_pending;
    }
    return out;
}

}  // namespace mlc::cli::demo
