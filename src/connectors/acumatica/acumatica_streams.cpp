#include "connectors/acumatica/acumatica_streams.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "common/time.hpp"
#include "connectors/acumatica/acumatica_json.hpp"
#include "connectors/acumatica/acumatica_scan.hpp"

namespace mlc::connectors::acumatica {
namespace {

std::string filter_since(UtcTime since) {
    return "LastModified gt datetimeoffset'" + format_iso8601(since) + "'";
}

}  // namespace

Result<Page<model::Order>> SalesOrdersSource::list(UtcTime since, std::uint32_t page) {
    const std::uint32_t size = std::clamp<std::uint32_t>(options_.page_size, 1, kOrdersPageSizeMax);
    const std::uint32_t skip = (std::max<std::uint32_t>(page, 1) - 1) * size;
    MLC_TRY(const auto answer,
            client_.call({.path = "SalesOrder?$filter=" + net::url_encode(filter_since(since)) +
                                  "&$expand=" + net::url_encode(kOrderExpand) + "&$top=" +
                                  std::to_string(size) + "&$skip=" + std::to_string(skip)}));
    MLC_TRY(Page<model::Order> out, orders_from_json(answer));
    out.page = page;
    out.more = out.items.size() + out.rejected.size() >= size;
    out.next_page = out.more ? page + 1 : 0;
    return out;
}

Result<std::unique_ptr<Scan<model::Order>>> SalesOrdersSource::scan(const std::string& position) {
    return key_order_scan<model::Order>(
        position, options_.window,
        [this](UtcTime since, std::uint32_t page) { return list(since, page); },
        [](const model::Order& order) { return order.modified_at; });
}

Result<std::optional<Record<model::Order>>> SalesOrdersSource::get(const std::string& replay) {
    const auto slash = replay.find('/');
    if (slash == std::string::npos) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          "replay key '" + replay + "' is not <OrderType>/<OrderNbr>");
    }
    auto answer = client_.call({.path = "SalesOrder/" + net::url_encode(replay.substr(0, slash)) +
                                        "/" + net::url_encode(replay.substr(slash + 1)) +
                                        "?$expand=" + net::url_encode(kOrderExpand),
                                .record_key = "sales order " + replay});
    if (!answer && answer.error().code == ErrorCode::kNotFound) {
        return std::optional<Record<model::Order>>();
    }
    MLC_TRY(const auto value, std::move(answer));
    if (!value.is_object()) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          "the answer for sales order " + replay + " is not an object");
    }
    MLC_TRY(model::Order order, order_from_json(value.get_object()));
    return std::optional<Record<model::Order>>(
        Record<model::Order>{std::move(order), boost::json::serialize(value)});
}

SourceIdentity SalesOrdersSource::identify(const model::Order& order) const {
    return {.key = order.source.key,
            .ref = "acumatica:SalesOrder:" + order.source.id,
            .replay = order.source.id,
            .label = "Acumatica sales order " + order.source.id,
            .version = order.modified_at};
}

}  // namespace mlc::connectors::acumatica
