#include "cli/demo/woo_traffic.hpp"

#include <array>

#include <boost/json.hpp>

#include "cli/demo/demo_catalog.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

constexpr std::int64_t kQuantityMax = 3;
// The shop refunds a damaged item's worth; well under any order's total (>= one 5.49 part).
constexpr std::string_view kRefundAmount = "5.00";

struct WebShopper {
    std::string_view first_name;
    std::string_view last_name;
    std::string_view email;
};
constexpr std::array<WebShopper, 4> kWebShoppers = {{
    {"Isla", "Rossi", "isla.rossi@example.com"},
    {"Jonas", "Berg", "jonas.berg@example.com"},
    {"Kira", "Patel", "kira.patel@example.com"},
    {"Liam", "Chen", "liam.chen@example.com"},
}};

}  // namespace

WooTraffic::WooTraffic(SandboxClient& woo, std::uint64_t seed) : woo_(woo), rng_(seed ^ 0x5eed) {}

Result<bool> WooTraffic::checkout() {
    if (orders_.size() >= kWooOrdersTrackedMax) return false;
    const auto& catalog = demo_catalog();
    const std::uint64_t draw = rng_();
    const WebShopper& shopper = kWebShoppers[draw % kWebShoppers.size()];
    json::array lines;
    const std::size_t count = (draw >> 8) % 2 + 1;
    for (std::size_t line = 0; line < count; ++line) {
        const DemoProduct& product = catalog[((draw >> 16) + line) % catalog.size()];
        lines.push_back(json::object{
            {"sku", product.sku},
            {"quantity", static_cast<std::int64_t>((draw >> (24 + 4 * line)) % kQuantityMax) + 1}});
    }
    auto answer = woo_.post(
        "checkout", json::object{{"lines", std::move(lines)},
                                 {"billing", json::object{{"first_name", shopper.first_name},
                                                          {"last_name", shopper.last_name},
                                                          {"email", shopper.email},
                                                          {"country", "US"}}}});
    if (!answer) {
        // 400 invalid product: the catalog flow has not put the demo's SKUs in the store yet.
        if (answer.error().http_status == 400) return false;
        return with_context(std::move(answer).error(), "while checking out in the Woo sandbox");
    }
    const auto* id = answer->is_object() ? answer->get_object().if_contains("id") : nullptr;
    if (id == nullptr || !id->is_int64()) {
        return make_error(ErrorCode::kInvalidInput, "woocommerce sandbox",
                          "a checkout answered without an order id");
    }
    catalog_in_store_ = true;
    const auto roll = rng_() % 4;
    orders_.push_back(Order{.id = id->get_int64(),
                            .fate = roll == 0  ? Fate::kRefunded
                                    : roll < 3 ? Fate::kCompleted
                                               : Fate::kStaysProcessing});
    return true;
}

Result<std::size_t> WooTraffic::act(std::size_t max_actions) {
    std::size_t steps = 0;
    for (Order& order : orders_) {  // Bounded by kWooOrdersTrackedMax.
        if (steps >= max_actions) break;
        if (!order.landed || order.done || order.fate == Fate::kStaysProcessing) continue;
        const std::string route = "orders/" + std::to_string(order.id) + "/";
        if (order.fate == Fate::kCompleted) {
            MLC_CHECK_CTX(woo_.post(route + "status", json::object{{"status", "completed"}}),
                          "while completing a Woo sandbox order");
        } else {
            MLC_CHECK_CTX(
                woo_.post(route + "refund", json::object{{"amount", kRefundAmount},
                                                         {"reason", "Item damaged in transit"}}),
                "while refunding a Woo sandbox order");
        }
        order.done = true;
        ++steps;
    }
    return steps;
}

Result<void> WooTraffic::refresh(store::StateStore& store, const std::string& flow) {
    const std::string system(kWooOrderBindingSystem);
    for (Order& order : orders_) {  // Bounded by kWooOrdersTrackedMax.
        if (order.landed) continue;
        MLC_TRY(auto binding, store.get_binding(flow, system, std::to_string(order.id)));
        order.landed = binding && binding->state == store::BindingState::kConfirmed;
    }
    return ok();
}

WooCounts WooTraffic::counts() const {
    WooCounts out;
    out.catalog_in_store = catalog_in_store_;
    for (const Order& order : orders_) {
        ++out.created;
        if (order.landed) ++out.landed;
        if (order.done && order.fate == Fate::kCompleted) ++out.completed;
        if (order.done && order.fate == Fate::kRefunded) ++out.refunded;
    }
    return out;
}

}  // namespace mlc::cli::demo
