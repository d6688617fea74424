#include "connectors/woocommerce/woocommerce_streams.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "connectors/woocommerce/woocommerce_json.hpp"

namespace mlc::connectors::woocommerce {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

Error not_an_id(std::string_view what, std::string_view text) {
    // Appended, not `"'" + std::string(text)`: GCC 12 -O3 false -Wrestrict (bug 105651).
    std::string message(1, '\'');
    message.append(text).append("' is not a Woo ").append(what).append(" id");
    return make_error(ErrorCode::kInvalidInput, "woocommerce", std::move(message));
}

}  // namespace

Result<std::unique_ptr<Scan<model::Order>>> OrdersSource::scan(const std::string& position) {
    auto list = [this](UtcTime from, std::uint32_t page) {
        return client_.list_orders(
            {.modified_after = from, .page = page, .per_page = per_page_, .statuses = {}});
    };
    return time_scan<model::Order>(position, window_, std::move(list),
                                   [](const model::Order& order) { return order.modified_at; });
}

Result<std::optional<Record<model::Order>>> OrdersSource::get(const std::string& replay) {
    const auto id = parse_id(replay);
    if (!id) return not_an_id("order", replay);
    auto found = client_.get_order(*id);
    if (!found && found.error().code == ErrorCode::kNotFound) {
        return std::optional<Record<model::Order>>();
    }
    MLC_TRY(OrderRecord record, std::move(found));
    return std::optional<Record<model::Order>>(std::move(record.record));
}

SourceIdentity OrdersSource::identify(const model::Order& order) const {
    return SourceIdentity{.key = order.source.key,
                          .ref = "woocommerce:order:" + order.source.key,
                          .replay = order.source.key,
                          .label = "Woo order " + order.number + " (id " + order.source.key + ")",
                          .version = order.modified_at};
}

Result<std::unique_ptr<Scan<model::Refund>>> RefundsSource::scan(const std::string&) {
    class Nothing final : public Scan<model::Refund> {
      public:
        Result<Batch<model::Refund>> next() override { return Batch<model::Refund>{}; }
    };
    return std::unique_ptr<Scan<model::Refund>>(std::make_unique<Nothing>());
}

Result<std::vector<Record<model::Refund>>> RefundsSource::read(const model::Order& order) {
    const auto id = parse_id(order.source.key);
    if (!id) return not_an_id("order", order.source.key);
    return client_.list_refunds(*id);
}

Result<std::optional<Record<model::Refund>>> RefundsSource::get(const std::string& replay) {
    const auto colon = replay.find(':');
    const auto order_id = parse_id(std::string_view(replay).substr(0, colon));
    if (colon == std::string::npos || !order_id) return not_an_id("order:refund", replay);
    MLC_TRY(auto refunds, client_.list_refunds(*order_id));
    for (auto& record : refunds) {
        if (record.value.source.key == replay.substr(colon + 1)) {
            return std::optional<Record<model::Refund>>(std::move(record));
        }
    }
    return std::optional<Record<model::Refund>>();
}

SourceIdentity RefundsSource::identify(const model::Refund& refund) const {
    const std::string& order = refund.order.key;
    return SourceIdentity{.key = refund.source.key,
                          .ref = "woocommerce:order:" + order + ":refund:" + refund.source.key,
                          .replay = order + ":" + refund.source.key,
                          .label = "Woo refund " + refund.source.key + " of order " + order,
                          .version = refund.created_at};
}

Decoded<model::Order> OrderEvents::decode(std::string_view topic, std::string_view body) const {
    Decoded<model::Order> out;
    if (!topic.empty() && !topic.starts_with("order.")) {
        out.skip = "topic " + std::string(topic) + " is not an order topic";
        return out;
    }
    auto parsed = parse_exact(body, "the WooCommerce webhook body");
    if (!parsed) {
        out.broken = parsed.error();
        return out;
    }
    if (!parsed->is_object()) {
        out.broken = make_error(ErrorCode::kInvalidInput, "woocommerce",
                                "webhook body is not a JSON object");
        return out;
    }
    const json::object& object = parsed->as_object();
    if (object.contains("code") && !object.contains("line_items")) {
        // Woo renders GET's error when the order is gone by delivery time (woocommerce.md).
        out.skip = "the order no longer exists in WooCommerce (" + text_of(object, "code") + ")";
        return out;
    }
    if (topic == "order.deleted" || !object.contains("line_items")) {
        out.skip = "order " + std::to_string(int_of(object, "id")) +
                   " deleted in WooCommerce: the target's copy is left as it is";
        return out;
    }
    auto order = order_from_json(object);
    if (!order) {
        out.broken = order.error();
        return out;
    }
    out.record = Record<model::Order>{.value = std::move(*order), .raw = std::string(body)};
    return out;
}

}  // namespace mlc::connectors::woocommerce
