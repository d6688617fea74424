#include "connectors/epicor/epicor_releases.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <boost/json.hpp>

#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/odata.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr const char* kService = "Erp.BO.SalesOrderSvc";
constexpr const char* kEntitySet = "SalesOrders";

const json::array& array_of(const json::object& row, std::string_view field) {
    static const json::array kNone;
    const json::value* value = row.if_contains(field);
    return value != nullptr && value->is_array() ? value->get_array() : kNone;
}

// What the order header says of all its releases.
std::string order_status(const json::object& head) {
    if (bool_of(head, "VoidOrder")) return kReleaseVoid;
    if (!bool_of(head, "OpenOrder")) return kReleaseClosed;
    return bool_of(head, "OrderHeld") ? kReleaseHeld : kReleaseReady;
}

// The header fields every release of the order shares.
Result<model::Order> order_base(const json::object& head, std::string_view zone) {
    model::Order order;
    const std::string num = std::to_string(int_of(head, "OrderNum"));
    order.source = {.system = "epicor", .key = num, .id = num};
    order.number = num;
    order.customer_code = text_of(head, "CustomerCustID");
    order.customer_name = text_of(head, "CustomerName");
    if (!text_of(head, "CurrencyCode").empty()) order.currency = text_of(head, "CurrencyCode");
    order.ship_to = model::Address{.name = text_of(head, "OTSName"),
                                   .company = {},
                                   .street1 = text_of(head, "OTSAddress1"),
                                   .street2 = text_of(head, "OTSAddress2"),
                                   .street3 = text_of(head, "OTSAddress3"),
                                   .city = text_of(head, "OTSCity"),
                                   .state = text_of(head, "OTSState"),
                                   .postal_code = text_of(head, "OTSZIP"),
                                   .country = {},
                                   .phone = text_of(head, "OTSPhoneNum"),
                                   .email = {},
                                   .residential = false};
    if (!order.ship_to.street1.empty()) order.ship_to.country = "US";
    order.requested_service = text_of(head, "ShipViaCode");
    order.source_status = order_status(head);
    MLC_TRY(std::optional<UtcTime> ordered, date_of(head, "OrderDate", zone));
    order.ordered_at = ordered.value_or(UtcTime{});
    MLC_TRY(order.ship_by, date_of(head, "RequestDate", zone));
    MLC_TRY(std::optional<UtcTime> changed, date_of(head, "ChangeDate", zone));
    if (changed) order.modified_at = *changed + std::chrono::seconds{int_of(head, "ChangeTime")};
    return order;
}

// One release: its status under the order's, and its line.
struct Release {
    std::string key;  // "<OrderLine>-<OrderRelNum>"
    std::string status;
    std::string ship_via;
    model::OrderLine line;
};

Result<Release> release_of(const json::object& rel, const json::object& line,
                           const std::string& head_status) {
    Release out;
    out.key =
        std::to_string(int_of(rel, "OrderLine")) + "-" + std::to_string(int_of(rel, "OrderRelNum"));
    out.status = head_status;
    if (head_status != kReleaseVoid && head_status != kReleaseClosed) {
        if (bool_of(line, "VoidLine")) {
            out.status = kReleaseVoid;
        } else if (!bool_of(rel, "OpenRelease")) {
            out.status = kReleaseClosed;
        }
    }
    out.ship_via = text_of(rel, "ShipViaCode");
    out.line.line_key = out.key;
    out.line.sku = text_of(line, "PartNum");
    out.line.description = text_of(line, "LineDesc");
    MLC_TRY(out.line.quantity, decimal_of(rel, "SellingReqQty"));
    MLC_TRY(out.line.unit_price, decimal_of(line, "DocUnitPrice"));
    return out;
}

Result<std::vector<Release>> releases(const json::object& head, const std::string& status) {
    std::map<std::int64_t, const json::object*> lines;
    for (const json::value& value : array_of(head, "OrderDtls")) {
        if (value.is_object()) lines[int_of(value.get_object(), "OrderLine")] = &value.get_object();
    }
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, Release>> out;
    for (const json::value& value : array_of(head, "OrderRels")) {
        if (!value.is_object()) continue;
        const json::object& rel = value.get_object();
        const auto line = lines.find(int_of(rel, "OrderLine"));
        if (line == lines.end()) {
            return make_error(ErrorCode::kInvalidInput, "epicor",
                              "release " + std::to_string(int_of(rel, "OrderRelNum")) +
                                  " names order line " + std::to_string(int_of(rel, "OrderLine")) +
                                  ", which the order does not list");
        }
        MLC_TRY(Release one, release_of(rel, *line->second, status));
        out.push_back({{int_of(rel, "OrderLine"), int_of(rel, "OrderRelNum")}, std::move(one)});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Release> sorted;
    for (auto& [order, release] : out) sorted.push_back(std::move(release));
    return sorted;
}

// All of the order's open releases as one record ("closed" when none is left open).
model::Order whole_order(model::Order order, const std::vector<Release>& all) {
    for (const Release& release : all) {
        if (release.status == kReleaseClosed || release.status == kReleaseVoid) continue;
        order.lines.push_back(release.line);
    }
    if (order.lines.empty() && order.source_status != kReleaseVoid) {
        order.source_status = kReleaseClosed;
    }
    return order;
}

std::optional<UtcTime> modified_of(const model::Order& order) {
    if (order.modified_at == UtcTime{}) return std::nullopt;
    return order.modified_at;
}

}  // namespace

Result<std::vector<Record<model::Order>>> releases_of(const json::object& head, bool per_order,
                                                      std::string_view zone) {
    MLC_TRY(model::Order base, order_base(head, zone));
    MLC_TRY(std::vector<Release> all, releases(head, base.source_status));
    const std::string raw = json::serialize(head);
    std::vector<Record<model::Order>> out;
    if (per_order) {
        out.push_back({.value = whole_order(std::move(base), all), .raw = raw});
        return out;
    }
    for (const Release& release : all) {
        model::Order one = base;
        one.source.key = base.number + "-" + release.key;
        one.source_status = release.status;
        if (!release.ship_via.empty()) one.requested_service = release.ship_via;
        one.lines = {release.line};
        out.push_back({.value = std::move(one), .raw = raw});
    }
    return out;
}

Result<Page<model::Order>> ReleasesSource::list(UtcTime from, std::uint32_t page) {
    const std::string zone = client_.config().server_zone;
    MLC_TRY(std::string day, format_epicor_date(from, zone));  // "YYYY-MM-DDT00:00:00", local
    MLC_TRY(UtcTime day_start, parse_iso8601(day + "Z"));
    const auto second = std::chrono::duration_cast<std::chrono::seconds>(from - day_start).count();
    const std::string date = odata::date_literal(day_start);
    odata::Query query{.filter = "ChangeDate gt " + date + " or (ChangeDate eq " + date +
                                 " and ChangeTime ge " + std::to_string(std::max<long>(0, second)) +
                                 ")",
                       .select = {},
                       .expand = {"OrderDtls", "OrderRels"},
                       .orderby = "ChangeDate,ChangeTime,OrderNum",
                       .top = options_.page_size,
                       .skip = static_cast<std::size_t>(page - 1) * options_.page_size};
    MLC_TRY_CTX(auto rows, client_.list_rows_page(kService, kEntitySet, std::move(query)),
                "while reading Epicor sales orders changed since " + format_iso8601(from));
    Page<model::Order> out;
    out.page = page;
    out.more = rows.size() >= options_.page_size;
    out.next_page = page + 1;
    for (const json::object& head : rows) {
        auto records = releases_of(head, options_.per_order, zone);
        if (!records) {
            out.rejected.push_back({.key = "order " + std::to_string(int_of(head, "OrderNum")),
                                    .raw = json::serialize(head),
                                    .error = std::move(records).error()});
            continue;
        }
        for (auto& record : *records) out.items.push_back(std::move(record));
    }
    return out;
}

Result<std::unique_ptr<Scan<model::Order>>> ReleasesSource::scan(const std::string& position) {
    return time_scan<model::Order>(
        position, options_.window,
        [this](UtcTime from, std::uint32_t page) { return list(from, page); },
        [](const model::Order& order) { return order.modified_at; });
}

Result<std::optional<Record<model::Order>>> ReleasesSource::get(const std::string& replay) {
    const std::string num_text = replay.substr(0, replay.find('-'));
    std::int64_t num = 0;
    const auto [end, ec] = std::from_chars(num_text.data(), num_text.data() + num_text.size(), num);
    if (ec != std::errc() || end != num_text.data() + num_text.size()) {
        return make_error(
            ErrorCode::kInvalidInput, "epicor",
            "'" + replay + "' is not an Epicor release key (<OrderNum>-<line>-<rel>)");
    }
    odata::Query query{.filter = odata::eq("OrderNum", num),
                       .select = {},
                       .expand = {"OrderDtls", "OrderRels"},
                       .orderby = {},
                       .top = 1,
                       .skip = 0};
    MLC_TRY(auto rows, client_.list_rows_page(kService, kEntitySet, std::move(query)));
    if (rows.empty()) return std::optional<Record<model::Order>>();
    MLC_TRY(auto records,
            releases_of(rows.front(), options_.per_order, client_.config().server_zone));
    for (auto& record : records) {
        if (record.value.source.key == replay) return std::optional(std::move(record));
    }
    return std::optional<Record<model::Order>>();
}

SourceIdentity ReleasesSource::identify(const model::Order& release) const {
    const std::string& key = release.source.key;
    const std::string what = key == release.number
                                 ? "Epicor order " + key
                                 : "Epicor order " + release.number + " release " +
                                       key.substr(release.number.size() + 1);
    return {.key = key,
            .ref = "epicor:release:" + key,
            .replay = key,
            .label = what,
            .version = modified_of(release)};
}

}  // namespace mlc::connectors::epicor
