#pragma once
// OrdersPage: what one inbox batch or one poll page of "woocommerce-to-epicor-orders" changes,
// gathered for one StateStore::commit_page(): bindings (orders and refunds), audit events, dead
// letters, the inbox events it finished, the dead letters it healed, and the poll cursor.
//
// Value type with small helpers; thread safety: none (one run is one thread).

#include <cstdint>
#include <map>
#include <string>

#include "common/clock.hpp"
#include "engine/flow_runner.hpp"
#include "store/state_store.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kWooOrderSystem = "woocommerce";
inline constexpr const char* kWooRefundSystem = "woocommerce-refund";
inline constexpr const char* kWooDirection = "woocommerce->epicor";

// "woocommerce:order:1234": `mlc audit --key 1234` finds every event of the order.
inline std::string woo_order_ref(const std::string& order_id) {
    return std::string(kWooOrderSystem) + ":order:" + order_id;
}
inline std::string epicor_order_ref(const std::string& order_num) {
    return "epicor:SalesOrder:" + order_num;
}

struct OrdersPage {
    store::PageCommit commit;
    // Open dead letters of the flow by Woo order id, to mark the ones this page heals.
    const std::map<std::string, std::int64_t>* open_letters = nullptr;

    void audit(const engine::RunContext& ctx, std::string source_ref, std::string target_ref,
               store::AuditAction action, std::string outcome, std::string detail) {
        commit.audit.push_back(store::AuditEvent{.id = 0,
                                                 .flow = ctx.flow,
                                                 .direction = kWooDirection,
                                                 .source_ref = std::move(source_ref),
                                                 .target_ref = std::move(target_ref),
                                                 .action = action,
                                                 .outcome = std::move(outcome),
                                                 .attempt = ctx.attempt,
                                                 .at = ctx.clock.now(),
                                                 .detail = std::move(detail)});
    }
    void healed(const std::string& order_id) {
        if (open_letters == nullptr) return;
        if (auto it = open_letters->find(order_id); it != open_letters->end()) {
            commit.dead_letters_resolved.push_back(it->second);
        }
    }
    // A binding this page already holds (written earlier in the same page, not yet committed).
    const store::Binding* pending_binding(const std::string& system, const std::string& key) const {
        for (auto it = commit.bindings.rbegin(); it != commit.bindings.rend(); ++it) {
            if (it->source_system == system && it->source_key == key) return &*it;
        }
        return nullptr;
    }
};

}  // namespace mlc::flows::epicor_woocommerce
