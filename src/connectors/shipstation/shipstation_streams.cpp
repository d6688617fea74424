#include "connectors/shipstation/shipstation_streams.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "connectors/shipstation/shipstation_json.hpp"

namespace mlc::connectors::shipstation {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> parse_int64(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string text(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string order_ref(const model::Order& order) {
    return std::string(kSystem) + ":order:" + order.source.id + ":" + order.source.key;
}

Result<std::unique_ptr<Scan<model::Order>>> OrdersSource::scan(const std::string& position) {
    const std::uint32_t size = options_.page_size;
    auto list = [this, size](UtcTime from, std::uint32_t page) {
        return client_.list_orders_modified_since(
            {.modified_since = from, .page = page, .page_size = size});
    };
    return time_scan<model::Order>(position, options_.window, std::move(list),
                                   [](const model::Order& order) { return order.modified_at; });
}

Result<std::optional<Record<model::Order>>> OrdersSource::get(const std::string& replay) {
    const auto id = parse_int64(replay);
    if (!id) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          "'" + replay + "' is not a ShipStation orderId: nothing to read again");
    }
    auto record = client_.get_order(*id);
    if (!record && record.error().code == ErrorCode::kNotFound) {
        return std::optional<Record<model::Order>>();
    }
    MLC_TRY(Record<model::Order> found, std::move(record));
    return std::optional<Record<model::Order>>(std::move(found));
}

SourceIdentity OrdersSource::identify(const model::Order& order) const {
    return SourceIdentity{
        .key = order.source.key,
        .ref = order_ref(order),
        .replay = order.source.id,
        .label = "ShipStation order " + order.number + " (orderKey " + order.source.key + ")",
        .version = order.modified_at};
}

Result<std::unique_ptr<Scan<model::Shipment>>> ShipmentsSource::scan(const std::string& position) {
    auto list = [this](UtcTime from, std::uint32_t page) {
        return client_.list_shipments({.created_since = from,
                                       .page = page,
                                       .page_size = options_.page_size,
                                       .include_items = false});
    };
    return time_scan<model::Shipment>(
        position, options_.window, std::move(list),
        [](const model::Shipment& shipment) { return shipment.created_at; });
}

// What a replay needs: shipments never change once labelled (only void), so the key keeps it.
SourceIdentity ShipmentsSource::identify(const model::Shipment& s) const {
    return shipment_identity(s);
}

Result<std::optional<Record<model::Shipment>>> ShipmentsSource::get(const std::string& replay) {
    return shipment_from_replay(replay);
}

namespace {

// One pass of the voidDate listing: like TimeScan, but the time of a record is its raw voidDate.
class VoidScan final : public Scan<model::Shipment> {
  public:
    VoidScan(ShipStationClient& client, StreamOptions options, TimePosition position)
        : client_(client), options_(options), position_(position) {}
    Result<Batch<model::Shipment>> next() override {
        MLC_TRY(Page<model::Shipment> page,
                client_.list_shipments({.created_since = {},
                                        .voided_since = position_.read_from(),
                                        .page = page_,
                                        .page_size = options_.page_size,
                                        .include_items = false}));
        for (const auto& record : page.items) {
            // Unreadable: the position stays put (the overlap reads the record again).
            auto voided = shipment_void_date(record.raw);
            if (voided && *voided) position_.saw(**voided);
        }
        Batch<model::Shipment> batch{.items = std::move(page.items),
                                     .rejected = std::move(page.rejected),
                                     .position = position_.value(),
                                     .more = page.more};
        page_ = page.more && page.next_page > page_ ? page.next_page : page_ + 1;
        return batch;
    }

  private:
    ShipStationClient& client_;
    StreamOptions options_;
    TimePosition position_;
    std::uint32_t page_ = 1;
};

}  // namespace

Result<std::unique_ptr<Scan<model::Shipment>>> VoidedShipmentsSource::scan(
    const std::string& position) {
    MLC_TRY(TimePosition from, TimePosition::from(position, options_.window));
    return std::unique_ptr<Scan<model::Shipment>>(
        std::make_unique<VoidScan>(client_, options_, from));
}

SourceIdentity VoidedShipmentsSource::identify(const model::Shipment& s) const {
    return shipment_identity(s);
}

Result<std::optional<Record<model::Shipment>>> VoidedShipmentsSource::get(
    const std::string& replay) {
    return shipment_from_replay(replay);
}

SourceIdentity shipment_identity(const model::Shipment& s) {
    const std::string replay = json::serialize(
        json::object{{"shipment_id", s.source.key},
                     {"order_id", s.order.id},
                     {"order_key", s.order.key},
                     {"carrier", s.carrier},
                     {"tracking_number", s.tracking_number},
                     {"ship_date", s.ship_date ? format_iso8601(*s.ship_date) : std::string()},
                     {"created_at", format_iso8601(s.created_at)},
                     {"voided", s.voided}});
    return SourceIdentity{.key = s.source.key,
                          .ref = std::string(kSystem) + ":shipment:" + s.source.key +
                                 ":order:" + s.order.id + ":" + s.order.key,
                          .replay = replay,
                          .label = "ShipStation shipment " + s.source.key + " (tracking " +
                                   s.tracking_number + ", order " + s.order.key + ")",
                          .version = std::nullopt};
}

Result<std::optional<Record<model::Shipment>>> shipment_from_replay(const std::string& replay) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(replay, ec);
    if (ec || !parsed.is_object()) {
        return make_error(ErrorCode::kInvalidInput, kSystem, "the letter holds no shipment");
    }
    const json::object& o = parsed.as_object();
    model::Shipment s;
    s.source = {kSystem, text(o, "shipment_id"), text(o, "shipment_id")};
    s.order = {kSystem, text(o, "order_key"), text(o, "order_id")};
    s.carrier = text(o, "carrier");
    s.tracking_number = text(o, "tracking_number");
    if (auto at = parse_iso8601(text(o, "ship_date"))) s.ship_date = *at;
    if (auto at = parse_iso8601(text(o, "created_at"))) s.created_at = *at;
    if (const json::value* v = o.if_contains("voided"); v && v->is_bool()) s.voided = v->as_bool();
    if (s.source.key.empty() || s.order.key.empty()) {
        return make_error(ErrorCode::kInvalidInput, kSystem, "the letter holds no shipment");
    }
    return std::optional<Record<model::Shipment>>(
        Record<model::Shipment>{.value = std::move(s), .raw = replay});
}

}  // namespace mlc::connectors::shipstation
