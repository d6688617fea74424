#include "connectors/acumatica/acumatica_items.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "common/time.hpp"
#include "connectors/acumatica/acumatica_json.hpp"
#include "connectors/acumatica/acumatica_scan.hpp"
#include "connectors/acumatica/acumatica_streams.hpp"

namespace mlc::connectors::acumatica {
namespace {

namespace json = boost::json;

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, kSystem, std::move(message));
}

}  // namespace

Result<model::Item> item_from_json(const json::object& item) {
    model::Item out;
    out.sku = field_text(item, "InventoryID").value_or("");
    if (out.sku.empty()) return invalid("a stock item has no InventoryID");
    out.source = {kSystem, out.sku, out.sku};
    out.description = field_text(item, "Description").value_or("");
    MLC_TRY(out.unit_price, field_decimal(item, "DefaultPrice"));
    if (field_text(item, "DimensionWeight")) {
        MLC_TRY(out.weight, field_decimal(item, "DimensionWeight"));
    }
    out.weight_unit = field_text(item, "WeightUOM").value_or("");
    const std::string status = field_text(item, "ItemStatus").value_or("Active");
    out.active = status == "Active" || status == "No Purchases" || status == "No Request";
    MLC_TRY(const auto modified, field_time(item, "LastModifiedDateTime"));
    if (!modified) return invalid("stock item " + out.sku + " has no LastModifiedDateTime");
    out.revision = format_iso8601(*modified);
    return out;
}

Result<Page<model::Item>> StockItemsSource::list(UtcTime since, std::uint32_t page) {
    const std::uint32_t size = std::clamp<std::uint32_t>(options_.page_size, 1, kOrdersPageSizeMax);
    const std::uint32_t skip = (std::max<std::uint32_t>(page, 1) - 1) * size;
    const std::string filter =
        "LastModifiedDateTime gt datetimeoffset'" + format_iso8601(since) + "'";
    MLC_TRY(const json::value answer,
            client_.call({.path = "StockItem?$filter=" + net::url_encode(filter) + "&$top=" +
                                  std::to_string(size) + "&$skip=" + std::to_string(skip)}));
    if (!answer.is_array()) return invalid("the GET StockItem answer is not an array");
    Page<model::Item> out;
    for (const auto& element : answer.get_array()) {
        std::string raw = json::serialize(element);
        auto mapped = element.is_object() ? item_from_json(element.get_object())
                                          : Result<model::Item>(invalid("not an object"));
        if (!mapped) {
            const std::string key = "stock item";
            out.rejected.push_back({key, std::move(raw), std::move(mapped).error()});
            continue;
        }
        out.items.push_back({std::move(mapped).value(), std::move(raw)});
    }
    out.page = page;
    out.more = answer.get_array().size() >= size;
    out.next_page = out.more ? page + 1 : 0;
    return out;
}

Result<std::unique_ptr<Scan<model::Item>>> StockItemsSource::scan(const std::string& position) {
    return key_order_scan<model::Item>(
        position, options_.window,
        [this](UtcTime since, std::uint32_t page) { return list(since, page); },
        [](const model::Item& item) { return parse_iso8601(item.revision).value_or(UtcTime{}); });
}

Result<std::optional<Record<model::Item>>> StockItemsSource::get(const std::string& replay) {
    auto answer = client_.call(
        {.path = "StockItem/" + net::url_encode(replay), .record_key = "stock item " + replay});
    if (!answer && answer.error().code == ErrorCode::kNotFound) {
        return std::optional<Record<model::Item>>();
    }
    MLC_TRY(const json::value value, std::move(answer));
    if (!value.is_object())
        return invalid("the answer for stock item " + replay + " is not an object");
    MLC_TRY(model::Item item, item_from_json(value.get_object()));
    return std::optional<Record<model::Item>>(
        Record<model::Item>{std::move(item), json::serialize(value)});
}

SourceIdentity StockItemsSource::identify(const model::Item& item) const {
    std::optional<UtcTime> version;
    if (auto at = parse_iso8601(item.revision)) version = *at;
    return {.key = item.sku,
            .ref = "acumatica:StockItem:" + item.sku,
            .replay = item.sku,
            .label = "Acumatica stock item " + item.sku,
            .version = version};
}

}  // namespace mlc::connectors::acumatica
