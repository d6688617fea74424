#include "flows/epicor_woocommerce/refund_sync.hpp"

#include <charconv>
#include <set>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;

std::string id_text(const json::value& value) {
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_string()) return std::string(value.get_string());
    return {};
}

std::string refund_ref(const std::string& order_id, const std::string& refund_id) {
    return std::string(kWooOrderSystem) + ":order:" + order_id + ":refund:" + refund_id;
}

}  // namespace

Result<std::int64_t> WooRefundSync::sync(const json::object& raw_order,
                                         const std::string& order_num, engine::RunContext& ctx,
                                         OrdersPage& page) {
    const json::value* listed = raw_order.if_contains("refunds");
    if (listed == nullptr || !listed->is_array() || listed->get_array().empty()) return 0;
    const json::value* id_value = raw_order.if_contains("id");
    const std::string order_id = id_value == nullptr ? std::string() : id_text(*id_value);
    if (order_id.empty()) return 0;

    std::set<std::string> missing;
    std::size_t seen = 0;
    for (const json::value& entry : listed->get_array()) {
        if (++seen > kRefundsPerOrderMax) break;
        if (!entry.is_object()) continue;
        const json::value* rid = entry.get_object().if_contains("id");
        const std::string refund_id = rid == nullptr ? std::string() : id_text(*rid);
        if (refund_id.empty()) continue;
        if (page.pending_binding(kWooRefundSystem, refund_id) != nullptr) continue;
        MLC_TRY(auto bound, ctx.store.get_binding(ctx.flow, kWooRefundSystem, refund_id));
        if (bound && bound->state == store::BindingState::kConfirmed) continue;
        missing.insert(refund_id);
    }
    if (missing.empty()) return 0;
    if (ctx.dry_run) return static_cast<std::int64_t>(missing.size());

    std::int64_t woo_order_id = 0;
    const auto [end, ec] =
        std::from_chars(order_id.data(), order_id.data() + order_id.size(), woo_order_id);
    if (ec != std::errc() || end != order_id.data() + order_id.size()) return 0;
    MLC_TRY_CTX(auto refunds, woo_.list_refunds(woo_order_id),
                "while reading the refunds of Woo order " + order_id);
    std::int64_t written = 0;
    for (const auto& record : refunds) {
        const model::Refund& refund = record.value;
        const std::string refund_id =
            refund.source.key.empty() ? refund.source.id : refund.source.key;
        if (!missing.contains(refund_id)) continue;
        connectors::epicor::StagingRow row;
        row.keys = {kRefundRowKey, refund_id, order_num, "", ""};
        row.texts = {{"Character01", options_.source_key_prefix + order_id},
                     {"Character02", refund.reason.substr(0, kRefundReasonMax)},
                     {"Character03", refund.currency}};
        row.numbers = {{"Number01", refund.amount}};
        row.dates = {{"Date01", refund.created_at}};
        MLC_CHECK_CTX(
            epicor_.create_staging_row(row),
            "while writing Woo refund " + refund_id + " of order " + order_id + " to Epicor UD01");
        const UtcTime now = ctx.clock.now();
        const std::string target =
            "epicor:UD01:" + std::string(kRefundRowKey) + ":" + refund_id + ":" + order_num;
        page.commit.bindings.push_back(
            store::Binding{.flow = ctx.flow,
                           .source_system = kWooRefundSystem,
                           .source_key = refund_id,
                           .target_id = target,
                           .content_hash = refund.amount.to_string(),
                           .state = store::BindingState::kConfirmed,
                           .source_version = format_iso8601(refund.created_at),
                           .created_at = now,
                           .updated_at = now});
        page.audit(ctx, refund_ref(order_id, refund_id), target, store::AuditAction::kCreate, "ok",
                   "Woo refund " + refund_id + " of order " + order_id + " (" +
                       refund.amount.to_string(2) + " " + refund.currency +
                       ") -> Epicor UD01 credit row for OrderNum " + order_num +
                       " (to review as a credit memo)");
        ++written;
    }
    return written;
}

}  // namespace mlc::flows::epicor_woocommerce
