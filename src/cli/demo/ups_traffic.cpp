#include "cli/demo/ups_traffic.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <boost/json.hpp>

#include "cli/demo/demo_catalog.hpp"
#include "common/base64.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

constexpr std::int64_t kQuantityMax = 3;
constexpr std::size_t kErrorBodyQuoteMax = 300;
constexpr net::TransportOptions kApiTimeouts{.connect_timeout = std::chrono::seconds{5},
                                             .total_timeout = std::chrono::seconds{30}};
// The ship-to UPS cannot place without N or S (two candidates): ups_address_book.hpp.
constexpr std::string_view kAmbiguousLine = "200 OAK AVE";

struct PartWeight {
    std::string_view sku;
    std::string_view weight;
    std::string_view unit;  // Epicor NetWeightUOM: the flow converts KG and OZ to pounds.
};

// The demo catalog's net weights as the part master would hold them.
constexpr std::array<PartWeight, 10> kWeights = {{
    {"WB-1001", "0.8", "LB"},
    {"WB-1002", "1.1", "LB"},
    {"HG-2010", "4", "OZ"},
    {"VL-3300", "0.6", "KG"},
    {"GK-4410", "3", "OZ"},
    {"CL-5120", "0.5", "LB"},
    {"SN-6001", "0.2", "KG"},
    {"FL-7007", "1.4", "LB"},
    {"CB-8080", "3.5", "KG"},
    {"SP-9002", "0.3", "LB"},
}};

std::string text_at(const json::object& row, std::string_view name) {
    const json::value* value = row.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// parameters.ds.OrderHed[0].OrderNum of an UpdateExt answer; 0 when absent.
std::int64_t order_num_of(const json::value& answer) {
    const auto* parameters =
        answer.is_object() ? answer.get_object().if_contains("parameters") : nullptr;
    const auto* ds = parameters != nullptr && parameters->is_object()
                         ? parameters->get_object().if_contains("ds")
                         : nullptr;
    const auto* heads =
        ds != nullptr && ds->is_object() ? ds->get_object().if_contains("OrderHed") : nullptr;
    if (heads == nullptr || !heads->is_array() || heads->get_array().empty()) return 0;
    const json::value& head = heads->get_array()[0];
    const auto* num = head.is_object() ? head.get_object().if_contains("OrderNum") : nullptr;
    return num != nullptr && num->is_int64() ? num->get_int64() : 0;
}

}  // namespace

UpsTraffic::UpsTraffic(Deps deps, EpicorApi api, std::uint64_t seed)
    : deps_(deps), api_(std::move(api)), rng_(seed ^ 0x0b5) {}

Result<void> UpsTraffic::prepare(UtcTime since) {
    for (const PartWeight& part : kWeights) {
        MLC_CHECK_CTX(
            deps_.epicor.post("parts", json::object{{"PartNum", part.sku},
                                                    {"NetWeight", exact_number(part.weight)},
                                                    {"NetWeightUOM", part.unit}}),
            "while setting the demo parts' net weights in the Epicor sandbox");
    }
    MLC_CHECK_CTX(deps_.epicor.post("customers", json::object{{"CustID", kUpsDemoCustomer},
                                                              {"Name", "Harbor Supply Co"},
                                                              {"EMailAddress", "buyer@example.com"},
                                                              {"ShipViaCode", kUpsDemoShipVia},
                                                              {"CurrencyCode", "USD"}}),
                  "while creating the distributor's customer in the Epicor sandbox");
    // The carrier status fields the flow writes (its options status_field, delivered_field,
    // estimated_delivery_field), as the tenant's administrator adds them.
    for (const std::string_view table : {"ShipHead", "OrderRel"}) {
        for (const auto& [field, type] :
             {std::pair{"CarrierStatus_c", "string"}, std::pair{"DeliveredDate_c", "date"},
              std::pair{"EstDelivery_c", "date"}}) {
            MLC_CHECK_CTX(
                deps_.epicor.post("ud-fields",
                                  json::object{{"table", table}, {"field", field}, {"type", type}}),
                "while adding the carrier status fields to the Epicor sandbox");
        }
    }
    MLC_CHECK(read_address_book());
    // Epicor stamps changes to the second: an order from this second on is read after `since`.
    while (deps_.clock.now() <= since) deps_.clock.sleep_for(std::chrono::milliseconds{200});
    return ok();
}

Result<void> UpsTraffic::read_address_book() {
    MLC_TRY_CTX(json::value state, deps_.ups.get("state"),
                "while reading the UPS sandbox's address book");
    const auto* list = state.is_object() ? state.get_object().if_contains("addresses") : nullptr;
    for (std::size_t i = 0; list != nullptr && list->is_array() && i < list->get_array().size();
         ++i) {
        const json::value& entry = list->get_array()[i];
        if (!entry.is_object()) continue;
        const json::object& a = entry.get_object();
        // The continental US only: the one-time ship-to has no country (the flow reads US).
        if (text_at(a, "country") != "US") continue;
        addresses_.push_back(ShipTo{.line = text_at(a, "line"),
                                    .city = text_at(a, "city"),
                                    .state = text_at(a, "state"),
                                    .postal_code = text_at(a, "postal_code")});
    }
    if (addresses_.empty()) {
        return make_error(ErrorCode::kInvalidInput, "ups sandbox",
                          "GET /__sandbox/state listed no US addresses");
    }
    return ok();
}

Result<std::int64_t> UpsTraffic::enter_order(const ShipTo& to, const json::array& lines) {
    json::object head{{"OrderNum", 0},
                      {"CustomerCustID", kUpsDemoCustomer},
                      {"ShipViaCode", kUpsDemoShipVia},
                      {"PONum", "PO-UPS-" + std::to_string(orders_.size() + 1)},
                      {"OTSName", "Receiving Dock"},
                      {"OTSAddress1", to.line},
                      {"OTSCity", to.city},
                      {"OTSState", to.state},
                      {"OTSZIP", to.postal_code},
                      {"OTSPhoneNum", "2125550100"},
                      {"RowMod", "A"}};
    const json::object body{
        {"ds", json::object{{"OrderHed", json::array{std::move(head)}}, {"OrderDtl", lines}}},
        {"continueProcessingOnError", false},
        {"rollbackParentOnChildError", true}};
    net::HttpRequest request;
    request.method = "POST";
    request.url =
        api_.base_url + "/api/v2/odata/" + api_.company + "/Erp.BO.SalesOrderSvc/UpdateExt";
    request.body = to_json_text(body);
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("x-api-key", api_.api_key);
    request.headers.emplace_back("Authorization",
                                 "Basic " + base64_encode(api_.username + ":" + api_.password));
    MLC_TRY_CTX(net::HttpResponse response, deps_.transport.send(request, kApiTimeouts),
                "while entering a sales order through Epicor's SalesOrderSvc/UpdateExt");
    json::error_code ec;
    const json::value answer = json::parse(response.body, ec);
    const std::int64_t order_num = ec ? 0 : order_num_of(answer);
    if (response.status < 200 || response.status >= 300 || order_num == 0) {
        return make_error(ErrorCode::kRejected, "epicor sandbox",
                          "SalesOrderSvc/UpdateExt answered " + std::to_string(response.status) +
                              ": " + response.body.substr(0, kErrorBodyQuoteMax));
    }
    return order_num;
}

Result<std::size_t> UpsTraffic::create_orders(std::size_t count) {
    count = std::min(count, kUpsOrdersTrackedMax - orders_.size());
    const auto& catalog = demo_catalog();
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t draw = rng_();
        const bool ambiguous = (orders_.size() + 1) % kAmbiguousEvery == 3;
        ShipTo to = addresses_[draw % addresses_.size()];
        if (ambiguous) to = ShipTo{std::string(kAmbiguousLine), "NEW YORK", "NY", "10001"};
        json::array lines;
        const std::size_t line_count = ambiguous ? 1 : (draw >> 8) % 2 + 1;
        for (std::size_t line = 0; line < line_count; ++line) {
            const DemoProduct& product = catalog[((draw >> 16) + line) % catalog.size()];
            const auto quantity =
                static_cast<std::int64_t>((draw >> (24 + 4 * line)) % kQuantityMax) + 1;
            lines.push_back(json::object{{"OrderNum", 0},
                                         {"OrderLine", static_cast<std::int64_t>(line + 1)},
                                         {"PartNum", product.sku},
                                         {"SellingQuantity", std::to_string(quantity)},
                                         {"DocUnitPrice", exact_number(product.price)},
                                         {"UnitPrice", exact_number(product.price)},
                                         {"RowMod", "A"}});
        }
        MLC_TRY(const std::int64_t order_num, enter_order(to, lines));
        Order order{.order_num = order_num, .ambiguous = ambiguous};
        for (std::size_t line = 1; line <= line_count; ++line) {
            order.packages.push_back(
                Package{.release = std::to_string(order_num) + "-" + std::to_string(line) + "-1"});
        }
        orders_.push_back(std::move(order));
    }
    return count;
}

Result<bool> UpsTraffic::move_package(Package& package, SteadyTime now) {
    if (package.tracking.empty() || package.delivered) return false;
    if (!package.advanced_at) {
        // The driver picks it up: the origin scan happens now (in transit).
        MLC_CHECK_CTX(deps_.ups.post("packages/" + package.tracking + "/advance", json::object{}),
                      "while moving UPS package " + package.tracking + " in the UPS sandbox");
        package.advanced_at = now;
        return true;
    }
    if (now - *package.advanced_at < kDeliverAfter) return false;
    MLC_CHECK_CTX(deps_.ups.post("packages/" + package.tracking + "/deliver", json::object{}),
                  "while delivering UPS package " + package.tracking + " in the UPS sandbox");
    package.delivered = true;
    return true;
}

Result<std::size_t> UpsTraffic::act(std::size_t max_actions) {
    const SteadyTime now = deps_.clock.steady_now();
    std::size_t steps = 0;
    for (Order& order : orders_) {  // Bounded by kUpsOrdersTrackedMax.
        for (Package& package : order.packages) {
            if (steps >= max_actions) return steps;
            MLC_TRY(const bool moved, move_package(package, now));
            steps += moved ? 1 : 0;
        }
    }
    return steps;
}

Result<void> UpsTraffic::refresh(store::StateStore& store, const std::string& flow) {
    const std::string releases(kUpsReleaseBindingSystem);
    const std::string packages(kUpsPackageBindingSystem);
    MLC_TRY(auto letters,
            store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kDeadLettersReadMax));
    dead_letters_.clear();
    std::set<std::string> open_keys;
    for (const store::DeadLetter& letter : letters) {
        open_keys.insert(letter.source_key);
        dead_letters_.push_back(OpenDeadLetter{
            .id = letter.id, .source_key = letter.source_key, .message = letter.error_message});
    }
    for (Order& order : orders_) {  // Bounded by kUpsOrdersTrackedMax.
        order.parked = false;
        for (Package& package : order.packages) {
            order.parked = order.parked || open_keys.contains(package.release);
            if (package.tracking.empty()) {
                MLC_TRY(auto binding, store.get_binding(flow, releases, package.release));
                if (binding && binding->state == store::BindingState::kConfirmed) {
                    package.tracking = binding->target_id;
                }
            }
            if (!package.tracking.empty() && !package.tracked) {
                MLC_TRY(auto binding, store.get_binding(flow, packages, package.tracking));
                package.tracked = binding && binding->state == store::BindingState::kConfirmed;
            }
        }
    }
    return ok();
}

UpsCounts UpsTraffic::counts() const {
    UpsCounts out;
    for (const Order& order : orders_) {
        ++out.created;
        if (order.ambiguous) ++out.ambiguous;
        if (order.parked) ++out.parked;
        const auto all = [&](auto pred) {
            return std::all_of(order.packages.begin(), order.packages.end(), pred);
        };
        if (!all([](const Package& p) { return !p.tracking.empty(); })) continue;
        ++out.shipped;
        if (all([](const Package& p) { return p.tracked; })) ++out.tracked;
        if (all([](const Package& p) { return p.delivered; })) {
            ++out.delivered;
        } else if (std::any_of(order.packages.begin(), order.packages.end(),
                               [](const Package& p) { return p.advanced_at.has_value(); })) {
            ++out.in_transit;
        }
    }
    return out;
}

Result<std::size_t> UpsTraffic::foreign_packages() {
    MLC_TRY_CTX(json::value state, deps_.ups.get("state"),
                "while reading the UPS sandbox's packages");
    std::set<std::string, std::less<>> mine;
    for (const Order& order : orders_) {
        for (const Package& package : order.packages) mine.insert(package.release);
    }
    const auto* list = state.is_object() ? state.get_object().if_contains("packages") : nullptr;
    std::size_t foreign = 0;
    for (std::size_t i = 0; list != nullptr && list->is_array() && i < list->get_array().size();
         ++i) {
        const json::value& entry = list->get_array()[i];
        const auto* refs =
            entry.is_object() ? entry.get_object().if_contains("references") : nullptr;
        if (refs == nullptr || !refs->is_array() || refs->get_array().empty()) continue;
        const json::value& ref = refs->get_array()[0];
        if (!ref.is_string() || ref.get_string().starts_with("SEED-")) continue;
        foreign += mine.contains(std::string_view(ref.get_string())) ? 0 : 1;
    }
    return foreign;
}

std::vector<std::string> UpsTraffic::not_shipped() const {
    std::vector<std::string> out;
    for (const Order& order : orders_) {
        const bool shipped = std::all_of(order.packages.begin(), order.packages.end(),
                                         [](const Package& p) { return !p.tracking.empty(); });
        if (!shipped && !order.parked) out.push_back(std::to_string(order.order_num));
    }
    return out;
}

}  // namespace mlc::cli::demo
