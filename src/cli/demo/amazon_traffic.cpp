#include "cli/demo/amazon_traffic.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "connectors/epicor/epicor_journals.hpp"
#include "connectors/epicor/epicor_json.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/amazon_epicor/settlements_options.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/connections/epicor_connection.hpp"

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

constexpr std::size_t kListedMax = 1000;  // Bindings and letters read per refresh, at most.

namespace ep = connectors::epicor;

// A binding's target id ("5012") as a number; 0 when it is none.
std::int64_t number(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : 0;
}

struct PostedJournals {
    std::size_t count = 0;
    Decimal clearing = {};  // TransAmt on the clearing account: what reached the deposit.
};

// The settlement's journals as Epicor holds them (found by their Description, as the flow finds
// them before any create), through the flow's own target connection and options.
Result<PostedJournals> posted_journals(const engine::FlowConfig& flow,
                                       const engine::Dependencies& deps, const std::string& id) {
    MLC_TRY(const auto options, flows::amazon_epicor::parse_settlements_options(flow));
    const auto target = flow.connections.find("target");
    if (target == flow.connections.end() || !deps.config->connections.contains(target->second)) {
        return make_error(ErrorCode::kConfig, "flow " + flow.name + " has no target connection");
    }
    MLC_TRY(auto epicor,
            flows::connections::open_epicor(deps.config->connections.at(target->second), deps));
    ep::Journals journals(*epicor->client);
    MLC_TRY(const auto heads, journals.journals_of(options.reference_prefix + id));
    PostedJournals out{.count = heads.size()};
    for (const auto& head : heads) {
        const json::value* lines = head.if_contains("GLJrnDtlMnls");
        for (std::size_t i = 0;
             lines != nullptr && lines->is_array() && i < lines->get_array().size(); ++i) {
            const json::value& line = lines->get_array()[i];
            if (!line.is_object()) continue;
            if (ep::text_of(line.get_object(), "GLAccount") != options.ledger.clearing_account) {
                continue;
            }
            MLC_TRY(const Decimal amount, ep::decimal_of(line.get_object(), "TransAmt"));
            out.clearing += amount;
        }
    }
    return out;
}

}  // namespace

AmazonTraffic::AmazonTraffic(Deps deps) : deps_(deps) {}

// With an e-mail: the WooCommerce catalog flow copies Epicor customers to the store by e-mail.
Result<void> AmazonTraffic::prepare() {
    MLC_CHECK_CTX(
        deps_.epicor.post("customers", json::object{{"CustID", kAmazonCustomer},
                                                    {"Name", "Amazon.com customers"},
                                                    {"EMailAddress", "amazon-orders@example.com"},
                                                    {"CurrencyCode", "USD"}}),
        "while creating the Amazon marketplace's customer in the Epicor sandbox");
    return ok();
}

Result<std::size_t> AmazonTraffic::create_orders(std::size_t count) {
    count = std::min(count, kAmazonOrdersTrackedMax - orders_.size());
    if (count == 0) return count;
    MLC_TRY_CTX(
        json::value answer,
        deps_.amazon.post("orders", json::object{{"count", count}, {"status", "Unshipped"}}),
        "while placing orders in the Amazon sandbox");
    const json::value* ids =
        answer.is_object() ? answer.get_object().if_contains("orderIds") : nullptr;
    if (ids == nullptr || !ids->is_array()) {
        return make_error(ErrorCode::kInvalidInput, "amazon sandbox",
                          "POST /__sandbox/orders answered without orderIds");
    }
    const SteadyTime now = deps_.clock.steady_now();
    for (const json::value& id : ids->get_array()) {
        if (id.is_string())
            orders_.push_back(Order{.id = std::string(id.get_string()), .placed_at = now});
    }
    return count;
}

bool AmazonTraffic::visible(SteadyTime now) {
    bool any = false;
    for (const Order& order : orders_) {  // Bounded by kAmazonOrdersTrackedMax.
        any = any || (order.placed_at >= visible_up_to_ && order.placed_at + kSearchLag <= now);
    }
    if (any) visible_up_to_ = now - kSearchLag;
    return any;
}

Result<std::size_t> AmazonTraffic::act(std::size_t max_actions) {
    std::size_t steps = 0;
    for (Order& order : orders_) {  // Bounded by kAmazonOrdersTrackedMax.
        if (steps >= max_actions) break;
        if (!order.in_epicor || order.epicor_order == 0 || order.pack != 0) continue;
        const std::string tracking = fmt::format("1ZAMZ{:013d}", order.epicor_order);
        MLC_TRY_CTX(json::value answer,
                    deps_.epicor.post("orders/ship", json::object{{"OrderNum", order.epicor_order},
                                                                  {"TrackingNumber", tracking},
                                                                  {"ShipViaCode", "UPSG"}}),
                    "while shipping Epicor order " + std::to_string(order.epicor_order) +
                        " (Amazon order " + order.id + ") in the Epicor sandbox");
        const json::value* pack =
            answer.is_object() ? answer.get_object().if_contains("PackNum") : nullptr;
        if (pack == nullptr || !pack->is_int64()) {
            return make_error(ErrorCode::kInvalidInput, "epicor sandbox",
                              "POST /__sandbox/orders/ship answered without a PackNum");
        }
        order.pack = pack->get_int64();
        ++steps;
    }
    return steps;
}

Result<void> AmazonTraffic::close_settlement() {
    MLC_CHECK_CTX(deps_.amazon.post("settlements/close", json::object{}),
                  "while closing a settlement in the Amazon sandbox");
    ++closed_;
    return ok();
}

Result<void> AmazonTraffic::refresh(store::StateStore& store, const Flows& flows) {
    const std::string system(kAmazonOrderBindingSystem);
    for (Order& order : orders_) {  // Bounded by kAmazonOrdersTrackedMax.
        if (!order.in_epicor) {
            MLC_TRY(auto binding, store.get_binding(flows.orders, system, order.id));
            order.in_epicor = binding && binding->state == store::BindingState::kConfirmed;
            if (order.in_epicor) order.epicor_order = number(binding->target_id);
        }
        if (order.pack != 0 && !order.shipped) {
            MLC_TRY(auto pack,
                    store.get_binding(flows.orders, std::string(kAmazonPackBindingSystem),
                                      std::to_string(order.pack)));
            order.shipped = pack && pack->state == store::BindingState::kConfirmed;
        }
    }
    dead_letters_.clear();
    held_ = 0;
    for (const std::string& flow : {flows.orders, flows.settlements}) {
        MLC_TRY(auto letters,
                store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kListedMax));
        for (const auto& letter : letters) {
            dead_letters_.push_back(OpenDeadLetter{
                .id = letter.id, .source_key = letter.source_key, .message = letter.error_message});
            held_ += letter.source_system == kAmazonSettlementBindingSystem ? 1 : 0;
        }
    }
    return refresh_settlements(store, flows);
}

// Each posted settlement's check is read once, as `mlc settlements show` reads it; a read that
// fails (Amazon's quota) is tried again at the next refresh, one settlement per refresh.
Result<void> AmazonTraffic::refresh_settlements(store::StateStore& store, const Flows& flows) {
    const std::string system(kAmazonSettlementBindingSystem);
    MLC_TRY(auto posted,
            store.list_bindings(flows.settlements, store::BindingState::kConfirmed, kListedMax));
    posted_ = 0;
    const store::Binding* unread = nullptr;
    for (const auto& binding : posted) {
        if (binding.source_system != system) continue;
        ++posted_;
        const bool read = std::find(reconciled_.begin(), reconciled_.end(), binding.source_key) !=
                          reconciled_.end();
        if (!read && unread == nullptr) unread = &binding;
    }
    const auto flow = flows.config.flows.find(flows.settlements);
    if (unread == nullptr || flow == flows.config.flows.end()) return ok();
    engine::Dependencies deps{.clock = deps_.clock, .store = store};
    deps.config = &flows.config;
    deps.vault = &deps_.vault;
    deps.transport = &deps_.transport;
    auto ledger =
        flows::amazon_epicor::read_settlement_ledger(flow->second, deps, unread->source_key);
    if (!ledger) return ok();  // Shown as not yet reconciled; read again next time.
    auto posted_in_epicor = posted_journals(flow->second, deps, unread->source_key);
    if (!posted_in_epicor) return ok();
    reconciled_.push_back(unread->source_key);
    const auto& check = ledger->check;
    // The ledger's own check (lines == total-amount == its journals' net, each balanced) and
    // what Epicor holds: the clearing account's amount over the posted journals = the deposit.
    const bool ok_both = check.ok() && posted_in_epicor->clearing == check.total_amount;
    checked_ok_ += ok_both ? 1 : 0;
    last_ = SettlementFigures{.id = unread->source_key,
                              .journals = posted_in_epicor->count,
                              .journal_net = posted_in_epicor->clearing,
                              .deposit = check.total_amount,
                              .ok = ok_both};
    return ok();
}

AmazonCounts AmazonTraffic::counts() const {
    AmazonCounts out{
        .closed = closed_, .posted = posted_, .held = held_, .checked_ok = checked_ok_};
    for (const Order& order : orders_) {
        ++out.placed;
        out.in_epicor += order.in_epicor ? 1 : 0;
        out.shipped += order.shipped ? 1 : 0;
    }
    return out;
}

std::vector<std::string> AmazonTraffic::not_in_epicor() const {
    std::vector<std::string> out;
    for (const Order& order : orders_) {
        if (!order.in_epicor) out.push_back(order.id);
    }
    return out;
}

}  // namespace mlc::cli::demo
