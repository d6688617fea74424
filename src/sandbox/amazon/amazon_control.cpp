// Control routes below /__sandbox/ (the prefix removed).
#include <boost/json.hpp>

#include "common/time.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

net::HttpResponse control_error(int status, std::string_view message) {
    return json_answer(status, json::object{{"error", message}});
}

std::optional<json::object> body_object(const net::HttpRequest& request) {
    if (request.body.empty()) return json::object{};
    boost::system::error_code ec;
    auto value = json::parse(request.body, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return value.get_object();
}

constexpr std::string_view kOrderStatuses[] = {"Pending", "Unshipped", "Shipped", "Canceled"};

bool known_status(std::string_view status) {
    for (const auto known : kOrderStatuses) {
        if (known == status) return true;
    }
    return false;
}

// `{"rows": [{"transaction_type", "amount_type", "amount_description", "amount": "-1.50",
// "posted"?: ISO 8601}]}` of settlements/close (an empty body: none).
Result<std::vector<SettlementRow>> extra_settlement_rows(const net::HttpRequest& request,
                                                         UtcTime posted) {
    const auto body = body_object(request);
    if (!body) return make_error(ErrorCode::kInvalidInput, "expected a JSON object");
    std::vector<SettlementRow> rows;
    const auto* list = body->if_contains("rows");
    if (list == nullptr) return rows;
    if (!list->is_array()) return make_error(ErrorCode::kInvalidInput, "rows must be an array");
    for (const auto& item : list->get_array()) {
        const auto* row = item.if_object();
        const auto field = [&](std::string_view key) -> std::string {
            const auto* v = row ? row->if_contains(key) : nullptr;
            return v && v->is_string() ? std::string(v->get_string()) : std::string();
        };
        auto amount = Decimal::parse(field("amount"));
        auto at =
            field("posted").empty() ? Result<UtcTime>(posted) : parse_iso8601(field("posted"));
        if (field("amount_type").empty() || !amount || !at) {
            return make_error(ErrorCode::kInvalidInput,
                              "each row needs amount_type, amount (text) and an ISO posted");
        }
        rows.push_back(SettlementRow{.transaction_type = field("transaction_type"),
                                     .amount_type = field("amount_type"),
                                     .amount_description = field("amount_description"),
                                     .amount = *amount,
                                     .posted = *at});
    }
    return rows;
}

}  // namespace

net::HttpResponse AmazonEmulator::control(const net::HttpRequest& request, std::string_view route) {
    if (route == "state" && request.method == "GET") return control_state();
    if (request.method != "POST") return control_error(404, "unknown control route");
    if (route == "orders") return control_create_orders(request);
    if (route == "settlements/close") {
        auto extra = extra_settlement_rows(request, context_.clock.now() - 1h);
        if (!extra) return control_error(400, extra.error().message);
        close_settlement(context_.clock.now(), std::move(*extra));
        return json_answer(200, json::object{{"reportId", reports_.back().id}});
    }
    if (route == "client-secret/rotate") {
        // The old secret stops working at once; issued access tokens live out their hour.
        ++secret_generation_;
        client_secret_ = "amzn1.oa2-cs.v1." +
                         draw_text(context_.seed, 2 + 1000 * secret_generation_, 64, kUpperAlnum);
        secret_created_ = context_.clock.now();
        return json_answer(200, json::object{{"client_secret", client_secret_}});
    }
    const auto slash = route.rfind('/');
    if (slash == std::string_view::npos) return control_error(404, "unknown control route");
    if (route.starts_with("orders/") && route.substr(slash) == "/status") {
        return control_order_status(route.substr(7, slash - 7), request);
    }
    if (const auto items = route.find("/items/");
        route.starts_with("orders/") && items != std::string_view::npos) {
        return control_order_item(route.substr(7, items - 7), route.substr(items + 7), request);
    }
    if (route.starts_with("reports/") && route.substr(slash) == "/advance") {
        return control_advance_report(route.substr(8, slash - 8), request);
    }
    return control_error(404, "unknown control route");
}

net::HttpResponse AmazonEmulator::control_create_orders(const net::HttpRequest& request) {
    const auto body = body_object(request);
    if (!body) return control_error(400, "the body must be a JSON object");
    const auto* count = body->if_contains("count");
    const auto* status = body->if_contains("status");
    const auto* afn = body->if_contains("amazon_fulfilled");
    const std::int64_t n = count != nullptr && count->is_int64() ? count->get_int64() : 1;
    const std::string status_text =
        status != nullptr && status->is_string() ? std::string(status->get_string()) : "Unshipped";
    if (n < 1 || n > static_cast<std::int64_t>(kOrdersCreatedPerCallMax) ||
        !known_status(status_text)) {
        return control_error(400,
                             "expected {\"count\": 1-1000, \"status\": Pending|Unshipped|"
                             "Shipped|Canceled, \"amazon_fulfilled\": bool}");
    }
    const UtcTime now = context_.clock.now();
    json::array ids;
    for (std::int64_t i = 0; i < n; ++i) {
        const bool fba = afn != nullptr && afn->is_bool() ? afn->get_bool() : false;
        Order order = make_order(next_order_++, now, status_text, fba);
        if (status_text == "Shipped") order.shipped = now;
        ids.emplace_back(order.id);
        order_index_[order.id] = orders_.size();
        orders_.push_back(std::move(order));
    }
    return json_answer(200, json::object{{"orderIds", std::move(ids)}});
}

net::HttpResponse AmazonEmulator::control_order_status(std::string_view id,
                                                       const net::HttpRequest& request) {
    const auto found = order_index_.find(std::string(id));
    if (found == order_index_.end()) return control_error(404, "no order with that id");
    const auto body = body_object(request);
    const auto* status = body ? body->if_contains("status") : nullptr;
    if (status == nullptr || !status->is_string() || !known_status(status->get_string())) {
        return control_error(400, "expected {\"status\": Pending|Unshipped|Shipped|Canceled}");
    }
    Order& order = orders_[found->second];
    order.status = std::string(status->get_string());
    order.updated = context_.clock.now();
    if (order.status == "Shipped") order.shipped = order.updated;
    return json_answer(200, json::object{{"orderId", order.id}, {"status", order.status}});
}

// An unshipped line's quantity changed (the seller adjusted the order before shipping it).
net::HttpResponse AmazonEmulator::control_order_item(std::string_view id, std::string_view item_id,
                                                     const net::HttpRequest& request) {
    const auto found = order_index_.find(std::string(id));
    if (found == order_index_.end()) return control_error(404, "no order with that id");
    Order& order = orders_[found->second];
    const auto body = body_object(request);
    const auto* quantity = body ? body->if_contains("quantity") : nullptr;
    if (quantity == nullptr || !quantity->is_int64() || quantity->get_int64() < 1 ||
        quantity->get_int64() > 1000) {
        return control_error(400, "expected {\"quantity\": 1-1000}");
    }
    if (order.status != "Pending" && order.status != "Unshipped") {
        return control_error(409, "only a Pending or Unshipped order's lines can change");
    }
    for (OrderItem& item : order.items) {
        if (item.order_item_id != item_id) continue;
        item.quantity = quantity->get_int64();
        order.updated = context_.clock.now();
        return json_answer(200, json::object{{"orderId", order.id},
                                             {"orderItemId", item.order_item_id},
                                             {"quantity", item.quantity}});
    }
    return control_error(404, "no item with that id on the order");
}

net::HttpResponse AmazonEmulator::control_advance_report(std::string_view id,
                                                         const net::HttpRequest& request) {
    Report* report = find_report(id);
    if (report == nullptr) return control_error(404, "no report with that id");
    const auto body = body_object(request);
    if (!body) return control_error(400, "the body must be a JSON object");
    const auto* want = body->if_contains("status");
    const UtcTime now = context_.clock.now();
    refresh_report(*report);
    if (want != nullptr && want->is_string() &&
        (want->get_string() == "FATAL" || want->get_string() == "CANCELLED")) {
        report->status = std::string(want->get_string());
        report->processing_end = now;
    } else if (report->status == "IN_QUEUE") {
        report->status = "IN_PROGRESS";
        report->processing_start = now;
        if (want != nullptr && want->is_string() && want->get_string() == "DONE") {
            finish_report(*report, now);
        }
    } else if (report->status == "IN_PROGRESS") {
        finish_report(*report, now);
    }
    return json_answer(
        200, json::object{{"reportId", report->id}, {"processingStatus", report->status}});
}

net::HttpResponse AmazonEmulator::control_state() const {
    json::array orders;
    for (std::size_t i = orders_.size(); i > 0 && orders.size() < kStateRecordsMax; --i) {
        const Order& order = orders_[i - 1];
        orders.push_back(json::object{{"orderId", order.id},
                                      {"status", order.status},
                                      {"createdTime", iso_seconds(order.created)},
                                      {"total", order_total(order).to_string(2)}});
    }
    json::array reports;
    for (const auto& report : reports_) {
        reports.push_back(json::object{{"reportId", report.id},
                                       {"reportType", report.type},
                                       {"processingStatus", report.status},
                                       {"reportDocumentId", report.document_id}});
    }
    json::object buckets;
    const UtcTime now = context_.clock.now();
    for (const auto& [key, bucket] : buckets_) buckets[key] = bucket.tokens(now);
    return json_answer(200, json::object{{"client_secret_generation", secret_generation_},
                                         {"tokens_issued", tokens_issued_},
                                         {"orders_total", orders_.size()},
                                         {"orders", std::move(orders)},
                                         {"reports", std::move(reports)},
                                         {"buckets", std::move(buckets)}});
}

}  // namespace mlc::sandbox::amazon
