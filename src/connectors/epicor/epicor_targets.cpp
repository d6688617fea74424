#include "connectors/epicor/epicor_targets.hpp"

#include <charconv>

#include "common/time.hpp"

namespace mlc::connectors::epicor {
namespace {

Result<std::int64_t> order_num(const std::string& id) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (ec != std::errc() || end != id.data() + id.size() || value <= 0) {
        return make_error(ErrorCode::kInternal, "store",
                          "binding holds '" + id + "', which is no Epicor OrderNum");
    }
    return value;
}

std::string lines_text(const model::Order& order) {
    std::string lines;
    for (const model::OrderLine& line : order.lines) {  // Bounded by kStagedLinesTextMax.
        std::string part =
            line.sku + " x " + line.quantity.to_string() + " @ " + line.unit_price.to_string();
        if (lines.size() + part.size() + 2 > kStagedLinesTextMax) {
            lines += lines.empty() ? "" : "; ";
            lines += "... (" + std::to_string(order.lines.size()) + " lines)";
            break;
        }
        lines += (lines.empty() ? "" : "; ") + part;
    }
    return lines;
}

}  // namespace

std::string content_hash(const SalesOrderDraft& draft) {
    return model::content_hash(draft.order, draft.customer_id);
}

Result<std::optional<std::string>> SalesOrders::find_by_source(const std::string& source_key) {
    MLC_TRY(auto found, client_.find_order_by_source_key(source_key));
    if (!found) return std::optional<std::string>();
    return std::optional<std::string>(std::to_string(found->order_num));
}

Result<std::string> SalesOrders::create(const SalesOrderDraft& draft) {
    MLC_TRY(auto created,
            client_.create_order({.order = draft.order, .customer_id = draft.customer_id}));
    return std::to_string(created.order_num);
}

Result<void> SalesOrders::update(const std::string& id, const SalesOrderDraft& draft) {
    MLC_TRY(const std::int64_t num, order_num(id));
    MLC_TRY(auto updated, client_.update_order(num, draft.order));
    (void)updated;
    return ok();
}

Result<void> SalesOrders::close(const std::string& id) {
    MLC_TRY(const std::int64_t num, order_num(id));
    return client_.cancel_order(num);
}

std::string SalesOrders::describe(const SalesOrderDraft& draft) const {
    return "source key " + draft.order.source.key + ", customer " + draft.customer_id + ", " +
           std::to_string(draft.order.lines.size()) + " lines";
}

Result<std::string> StagedOrders::create(const SalesOrderDraft& draft) {
    const model::Order& order = draft.order;
    StagingRow row;
    row.keys[0] = order.source.key;  // "keyed by orderKey": a second create finds it (done).
    row.texts = {{"Character01", order.number},
                 {"Character02", draft.customer_id},
                 {"Character03", order.source.id},
                 {"Character04", lines_text(order)},
                 {"Character05", order.ship_to.name}};
    row.numbers = {{"Number01", order.total},
                   {"Number02", Decimal::from_int(static_cast<std::int64_t>(order.lines.size()))}};
    row.dates = {{"Date01", order.ordered_at}};
    MLC_CHECK_CTX(client_.create_staging_row(row),
                  "while staging order " + order.number + " as a UD01 row");
    return order.source.key;
}

std::string StagedOrders::describe(const SalesOrderDraft& draft) const {
    return "staged for review as UD01 Key1 " + draft.order.source.key + " (customer " +
           draft.customer_id + ", " + std::to_string(draft.order.lines.size()) + " lines)";
}

Result<std::string> Tracking::create(const TrackingDraft& draft) {
    MLC_TRY(const std::int64_t pack_num, client_.write_tracking(draft.write));
    MLC_CHECK(write_status(pack_num, draft));
    return std::to_string(draft.write.order_num) + ":" + std::to_string(pack_num);
}

Result<void> Tracking::update(const std::string& id, const TrackingDraft& draft) {
    const auto colon = id.find(':');
    std::int64_t pack_num = 0;
    if (colon != std::string::npos) {
        const std::string_view pack = std::string_view(id).substr(colon + 1);
        std::from_chars(pack.data(), pack.data() + pack.size(), pack_num);
    }
    return write_status(pack_num, draft);
}

namespace {

// A user field the tenant lacks: the connector names it; this adds where it goes and the fix.
Result<void> with_field_fix(Result<void> written, std::string_view table) {
    if (written || written.error().code != ErrorCode::kConfig) return written;
    Error error = written.error();
    error.message += ". Add the carrier status fields to " + std::string(table) +
                     " in Epicor (Extended UD Table Maintenance, then regenerate the data model), "
                     "or set the flow's status fields to \"\" to write tracking numbers only";
    return error;
}

}  // namespace

Result<void> Tracking::write_status(std::int64_t pack_num, const TrackingDraft& draft) {
    if (!fields_.any()) return ok();
    UserFieldWrite write;
    if (!fields_.status.empty()) write.texts.emplace_back(fields_.status, draft.status.text);
    if (!fields_.delivered.empty())
        write.dates.emplace_back(fields_.delivered, draft.status.delivered);
    if (!fields_.estimated_delivery.empty()) {
        write.dates.emplace_back(fields_.estimated_delivery, draft.status.estimated_delivery);
    }
    if (fields_.on_pack && pack_num != 0) {
        MLC_CHECK(with_field_fix(client_.write_pack_fields(pack_num, write), "ShipHead"));
    }
    if (!fields_.on_release) return ok();
    std::vector<ReleaseNum> releases = draft.releases;
    if (releases.empty()) {
        MLC_TRY(releases, client_.releases_of(draft.write.order_num));
    }
    for (const ReleaseNum& release : releases) {
        MLC_CHECK(with_field_fix(client_.write_release_fields(release, write), "OrderRel"));
    }
    return ok();
}

std::string Tracking::describe(const TrackingDraft& draft) const {
    std::string text = "tracking " + draft.write.tracking_number + " (" + draft.carrier +
                       ") on Epicor OrderNum " + std::to_string(draft.write.order_num);
    if (fields_.any() && !draft.status.text.empty()) text += ", status '" + draft.status.text + "'";
    return text;
}

Result<std::string> RefundCredits::create(const RefundDraft& draft) {
    const model::Refund& refund = draft.refund;
    StagingRow row;
    row.keys = {tag_, refund.source.key, draft.order_num, "", ""};
    row.texts = {{"Character01", draft.order_source_key},
                 {"Character02", refund.reason.substr(0, kRefundReasonMax)},
                 {"Character03", refund.currency}};
    row.numbers = {{"Number01", refund.amount}};
    row.dates = {{"Date01", refund.created_at}};
    MLC_CHECK_CTX(client_.create_staging_row(row), "while writing refund " + refund.source.key +
                                                       " of order " + draft.order_source_key +
                                                       " to Epicor UD01");
    return tag_ + ":" + refund.source.key + ":" + draft.order_num;
}

std::string RefundCredits::describe(const RefundDraft& draft) const {
    return draft.refund.amount.to_string(2) + " " + draft.refund.currency +
           " as a UD01 credit row for Epicor OrderNum " + draft.order_num +
           " (to review as a credit memo)";
}

}  // namespace mlc::connectors::epicor
