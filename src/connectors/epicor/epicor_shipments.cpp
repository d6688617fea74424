#include "connectors/epicor/epicor_shipments.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <boost/json.hpp>

#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/odata.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr const char* kService = "Erp.BO.CustShipSvc";
constexpr const char* kEntitySet = "CustShips";
constexpr const char* kShipped = "ShipStatus eq 'SHIPPED'";

// The last (SysRevID, PackNum) handed out; zero: from the beginning.
struct Keyset {
    std::int64_t rev = 0;
    std::int64_t pack = 0;
    std::string encode() const { return std::to_string(rev) + "|" + std::to_string(pack); }
};

Result<Keyset> decode(const std::string& text) {
    if (text.empty()) return Keyset{};
    Keyset at;
    const auto bar = text.find('|');
    const char* end = text.data() + text.size();
    const char* stop = text.data() + (bar == std::string::npos ? text.size() : bar);
    const auto [rev_end, rev_ec] = std::from_chars(text.data(), stop, at.rev);
    bool good = bar != std::string::npos && rev_ec == std::errc() && rev_end == stop;
    if (good) {
        const auto [pack_end, pack_ec] = std::from_chars(stop + 1, end, at.pack);
        good = pack_ec == std::errc() && pack_end == end;
    }
    if (!good) {
        return make_error(ErrorCode::kInternal, "store",
                          "Epicor shipment position \"" + text + "\" is not <SysRevID>|<PackNum>");
    }
    return at;
}

odata::Query pack_query(const Keyset& at, std::uint32_t page_size) {
    odata::Query query{
        .expand = {"ShipDtls", "CartonTrkDtls"}, .orderby = "SysRevID,PackNum", .top = page_size};
    query.filter = kShipped;
    if (at.rev != 0 || at.pack != 0) {
        std::string newer(1, '(');  // Appended: GCC 12's false -Wrestrict at -O3 (bug 105651).
        newer.append(odata::gt("SysRevID", at.rev))
            .append(") or ")
            .append(odata::and_(odata::eq("SysRevID", at.rev), odata::gt("PackNum", at.pack)));
        query.filter = odata::and_(kShipped, newer);
    }
    return query;
}

const json::array* children(const json::object& row, std::string_view name) {
    const json::value* value = row.if_contains(name);
    return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

class ShipmentsScan final : public Scan<model::Shipment> {
  public:
    ShipmentsScan(ShipmentsSource& source, EpicorClient& client, std::uint32_t page_size, Keyset at)
        : source_(source), client_(client), page_size_(page_size), at_(at) {}

    Result<Batch<model::Shipment>> next() override {
        MLC_TRY_CTX(auto rows,
                    client_.list_rows_page(kService, kEntitySet, pack_query(at_, page_size_)),
                    "while reading Epicor shipments (CustShips)");
        MLC_TRY(Batch<model::Shipment> batch, source_.map_page(rows));
        if (!rows.empty()) {
            at_ = Keyset{.rev = int_of(rows.back(), "SysRevID"),
                         .pack = int_of(rows.back(), "PackNum")};
            batch.position = at_.encode();
        }
        batch.more = rows.size() >= page_size_;
        return batch;
    }

  private:
    ShipmentsSource& source_;
    EpicorClient& client_;
    std::uint32_t page_size_;
    Keyset at_;
};

}  // namespace

Result<model::Shipment> shipment_from_pack(const json::object& pack, std::string_view zone) {
    model::Shipment out;
    const std::string pack_num = std::to_string(int_of(pack, "PackNum"));
    out.source = {.system = "epicor", .key = pack_num, .id = {}};
    out.order = {.system = "epicor", .key = std::to_string(int_of(pack, "OrderNum")), .id = {}};
    out.carrier = text_of(pack, "ShipViaCode");
    out.service = out.carrier;
    out.tracking_number = text_of(pack, "TrackingNumber");
    if (const json::array* cartons = children(pack, "CartonTrkDtls");
        out.tracking_number.empty() && cartons != nullptr && !cartons->empty() &&
        cartons->front().is_object()) {
        out.tracking_number = text_of(cartons->front().get_object(), "TrackingNumber");
    }
    MLC_TRY_CTX(out.ship_date, date_of(pack, "ShipDate", zone),
                "reading the ship date of Epicor pack " + pack_num);
    if (out.ship_date) out.created_at = *out.ship_date;
    if (const json::array* lines = children(pack, "ShipDtls")) {
        for (const json::value& line : *lines) {
            if (!line.is_object()) continue;
            const json::object& row = line.get_object();
            MLC_TRY_CTX(Decimal quantity, decimal_of(row, "OurInventoryShipQty"),
                        "reading a quantity of Epicor pack " + pack_num);
            out.lines.push_back({.sku = text_of(row, "PartNum"),
                                 .quantity = quantity,
                                 .order_line_key = std::to_string(int_of(row, "OrderLine"))});
        }
    }
    return out;
}

Result<Batch<model::Shipment>> ShipmentsSource::map_page(const std::vector<json::object>& rows) {
    std::set<std::int64_t> orders;
    for (const auto& row : rows) orders.insert(int_of(row, "OrderNum"));
    std::map<std::int64_t, std::string> references;
    if (!orders.empty()) {
        std::string filter;
        for (const std::int64_t num : orders) {
            filter += (filter.empty() ? "" : " or ") + odata::eq("OrderNum", num);
        }
        const std::string& field = options_.order_reference_field;
        MLC_TRY_CTX(auto heads,
                    client_.list_rows_page(
                        "Erp.BO.SalesOrderSvc", "SalesOrders",
                        {.filter = filter, .select = {"OrderNum", field}, .top = orders.size()}),
                    "while reading the orders of Epicor shipments");
        for (const auto& head : heads) references[int_of(head, "OrderNum")] = text_of(head, field);
    }
    Batch<model::Shipment> batch;
    for (const auto& row : rows) {
        auto shipment = shipment_from_pack(row, client_.config().server_zone);
        if (!shipment) {
            batch.rejected.push_back({.key = "pack " + std::to_string(int_of(row, "PackNum")),
                                      .raw = json::serialize(row),
                                      .error = std::move(shipment).error()});
            continue;
        }
        shipment->order_reference = references[int_of(row, "OrderNum")];
        batch.items.push_back({.value = std::move(*shipment), .raw = json::serialize(row)});
    }
    return batch;
}

Result<std::unique_ptr<Scan<model::Shipment>>> ShipmentsSource::scan(const std::string& position) {
    MLC_CHECK(odata::check_field_name(options_.order_reference_field, "the order reference field"));
    MLC_TRY(Keyset at, decode(position));
    return std::unique_ptr<Scan<model::Shipment>>(std::make_unique<ShipmentsScan>(
        *this, client_, std::max<std::uint32_t>(1, options_.page_size), at));
}

Result<std::optional<Record<model::Shipment>>> ShipmentsSource::get(const std::string& replay) {
    std::int64_t pack = 0;
    const auto [end, ec] = std::from_chars(replay.data(), replay.data() + replay.size(), pack);
    if (ec != std::errc() || end != replay.data() + replay.size()) {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          "\"" + replay + "\" is no Epicor PackNum");
    }
    MLC_TRY(auto rows, client_.list_rows_page(kService, kEntitySet,
                                              {.filter = odata::eq("PackNum", pack),
                                               .expand = {"ShipDtls", "CartonTrkDtls"},
                                               .top = 1}));
    MLC_TRY(Batch<model::Shipment> batch, map_page(rows));
    if (!batch.rejected.empty()) return std::move(batch.rejected.front().error);
    if (batch.items.empty()) return std::optional<Record<model::Shipment>>{};
    return std::optional{std::move(batch.items.front())};
}

SourceIdentity ShipmentsSource::identify(const model::Shipment& shipment) const {
    const std::string& pack = shipment.source.key;
    std::string label = "Epicor pack " + pack + " of order " + shipment.order.key;
    if (!shipment.order_reference.empty()) label += " (" + shipment.order_reference + ")";
    return SourceIdentity{.key = pack,
                          .ref = "epicor:SalesOrder:" + shipment.order.key + ":CustShip:" + pack,
                          .replay = pack,
                          .label = std::move(label),
                          .version = std::nullopt};
}

}  // namespace mlc::connectors::epicor
