// Packages and their histories: seeded shipments, Tracking, Quantum View and Track Alert.
#include <algorithm>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/ups/ups_json.hpp"
#include "sandbox/ups/ups_seed.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

const Place kWarehouse{.city = "ATLANTA", .state = "GA", .postal_code = "30303", .country = "US"};
constexpr std::chrono::hours kSeedSpan{24 * 150};  // Seeded labels: the last 150 days

json::object address_json(const Place& place) {
    json::object address{{"city", place.city},
                         {"stateProvince", place.state},
                         {"countryCode", place.country},
                         {"country", place.country}};
    if (!place.postal_code.empty()) address["postalCode"] = place.postal_code;
    return address;
}

json::object status_json(const TrackEvent& event) {
    return {{"type", event.type},
            {"description", event.description},
            {"code", event.code},
            {"statusCode", event.status_code},
            {"simplifiedTextDescription", event.type == "D"   ? "Delivered"
                                          : event.type == "M" ? "Label Created"
                                          : event.type == "X" ? "Delay"
                                                              : "On the Way"}};
}

json::object activity_json(const TrackEvent& event) {
    const auto offset = utc_offset(event.place.state);
    const UtcTime local = event.at + offset;
    return {{"location", json::object{{"address", address_json(event.place)}}},
            {"status", status_json(event)},
            {"date", yyyymmdd(local)},
            {"time", hhmmss(local)},
            {"gmtDate", yyyymmdd(event.at)},
            {"gmtOffset", offset_text(offset)},
            {"gmtTime", hhmmss(event.at)}};
}

}  // namespace

void UpsEmulator::seed_shipments() {
    const UtcTime now = context_.clock.now();
    const std::size_t count = std::min(context_.volume, kSeedShipmentsMax);
    for (std::size_t i = 0; i < count; ++i) {
        const auto draw = mix(context_.seed, 81, i);
        const auto roll = (draw >> 40) % 10;
        const std::string service = roll < 7 ? "03" : roll < 9 ? "02" : "01";
        const BookAddress& to = book_.at(draw % book_.entries().size());
        Package package{.shipper_number = shipper_number(), .ship_to_name = to.city + " CUSTOMER"};
        package.tracking =
            make_tracking_number(shipper_number(), service, mix(context_.seed, 90, next_serial_++));
        package.shipment_id = package.tracking;
        package.references = {"SEED-" + std::to_string(100'000 + i)};
        package.weight_lbs =
            Decimal::from_int(static_cast<std::int64_t>(1 + (draw >> 8) % 40)).to_string(1);
        // Oldest first, spread over kSeedSpan so some have rolled off already.
        const auto age =
            kSeedSpan * static_cast<std::int64_t>(count - i) / static_cast<std::int64_t>(count);
        package.plan = PackagePlan{
            .label_time = now - std::chrono::duration_cast<std::chrono::microseconds>(age),
            .service_code = service,
            .draw = mix(context_.seed, 91, i),
            .origin = kWarehouse,
            .destination = Place{
                .city = to.city, .state = to.state, .postal_code = to.zip5, .country = to.country}};
        const std::string id = package.tracking;
        shipments_[id] =
            Shipment{.packages = {add_package(std::move(package))}, .total_charges = "12.50"};
    }
}

std::size_t UpsEmulator::add_package(Package package) {
    const std::size_t index = packages_.size();
    by_tracking_[package.tracking] = index;
    for (const auto& ref : package.references) by_reference_.emplace(ref, index);
    packages_.push_back(std::move(package));
    return index;
}

UpsEmulator::Package* UpsEmulator::find_package(std::string_view tracking) {
    const auto it = by_tracking_.find(std::string(tracking));
    return it == by_tracking_.end() ? nullptr : &packages_[it->second];
}
const UpsEmulator::Package* UpsEmulator::find_package(std::string_view tracking) const {
    const auto it = by_tracking_.find(std::string(tracking));
    return it == by_tracking_.end() ? nullptr : &packages_[it->second];
}

bool UpsEmulator::rolled_off(const Package& package) const {
    return context_.clock.now() - (package.plan.label_time - package.shift) > kHistoryKept;
}

Timeline UpsEmulator::timeline_of(const Package& package) const {
    // The whole plan moves earlier by the shift (a rigid move: the delivery day moves with it).
    Timeline timeline = plan_timeline(package.plan);
    for (auto& event : timeline.events) event.at -= package.shift;
    timeline.scheduled_delivery -= package.shift;
    timeline.rescheduled_delivery -= package.shift;
    return timeline;
}

std::vector<TrackEvent> UpsEmulator::visible_events(const Package& package) const {
    const UtcTime now = context_.clock.now();
    std::vector<TrackEvent> out;
    for (auto& event : timeline_of(package).events) {
        if (event.at > now || (package.voided && event.at > package.voided_at)) break;
        out.push_back(std::move(event));
    }
    if (package.voided) {
        out.push_back(TrackEvent{.at = package.voided_at,
                                 .type = "MV",
                                 .code = "MV",
                                 .description = "Shipper voided the label.",
                                 .status_code = "003",
                                 .place = package.plan.origin});
    }
    return out;
}

json::object UpsEmulator::render_package(const Package& package) const {
    const Timeline timeline = timeline_of(package);
    const auto events = visible_events(package);
    json::array activity;
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        activity.push_back(activity_json(*it));
    const TrackEvent& last = events.back();
    const bool delivered = last.type == "D";
    const bool rescheduled = std::any_of(events.begin(), events.end(),
                                         [](const TrackEvent& e) { return e.type == "X"; });
    json::object date;
    json::object time{{"type", "EOD"}, {"endTime", "235900"}};
    if (delivered) {
        date = {{"type", "DEL"}, {"date", yyyymmdd(last.at + utc_offset(last.place.state))}};
        time = {{"type", "DEL"}, {"endTime", hhmmss(last.at + utc_offset(last.place.state))}};
    } else if (rescheduled) {
        date = {{"type", "RDD"}, {"date", yyyymmdd(timeline.rescheduled_delivery)}};
    } else {
        date = {{"type", "SDD"}, {"date", yyyymmdd(timeline.scheduled_delivery)}};
    }
    json::array references;
    for (const auto& ref : package.references) {
        references.push_back(json::object{{"type", "PACKAGE"}, {"number", ref}});
    }
    const auto shipment = shipments_.find(package.shipment_id);
    const std::size_t count = shipment == shipments_.end() ? 1 : shipment->second.packages.size();
    json::object out{
        {"trackingNumber", package.tracking},
        {"activity", std::move(activity)},
        {"currentStatus", status_json(last)},
        {"packageAddress",
         json::array{
             json::object{{"type", "ORIGIN"}, {"address", address_json(package.plan.origin)}},
             json::object{{"type", "DESTINATION"},
                          {"name", package.ship_to_name},
                          {"address", address_json(package.plan.destination)}}}},
        {"weight", json::object{{"unitOfMeasurement", "LBS"}, {"weight", package.weight_lbs}}},
        {"service", json::object{{"code", "0" + package.plan.service_code},
                                 {"description", service_description(package.plan.service_code)}}},
        {"referenceNumber", std::move(references)},
        {"packageCount", count}};
    if (!package.voided) {
        out["deliveryDate"] = json::array{std::move(date)};
        out["deliveryTime"] = std::move(time);
    }
    return out;
}

net::HttpResponse UpsEmulator::track(const net::HttpRequest& request, std::string_view number,
                                     bool by_reference) {
    // transId and transactionSrc are required headers of the Track API (Tracking.yaml).
    if (!net::find_header(request.headers, "transId")) {
        return ups_error(400, "TV0002", "Missing transId");
    }
    if (!net::find_header(request.headers, "transactionSrc")) {
        return ups_error(400, "TV0004", "Missing transactionSrc");
    }
    if (!by_reference && (number.size() < 7 || number.size() > 34)) {
        return ups_error(400, "TV1002", "Invalid inquiry number: 7 to 34 characters.");
    }
    json::array found;
    if (by_reference) {
        const auto [begin, end] = by_reference_.equal_range(std::string(number));
        std::vector<std::size_t> indexes;
        for (auto it = begin; it != end; ++it) indexes.push_back(it->second);
        std::sort(indexes.begin(), indexes.end());
        for (const auto index : indexes) {
            if (!rolled_off(packages_[index])) found.push_back(render_package(packages_[index]));
        }
    } else if (const Package* package = find_package(number);
               package != nullptr && !rolled_off(*package)) {
        found.push_back(render_package(*package));
    }
    json::object shipment{{"inquiryNumber", number}};
    if (found.empty()) {
        // Unknown (or rolled off after 120 days): 200 with a TW0001 warning, as UPS answers.
        shipment["warnings"] = json::array{
            json::object{{"code", "TW0001"}, {"message", "Tracking Information Not Found"}}};
    } else {
        shipment["package"] = std::move(found);
    }
    return json_ok(json::object{
        {"trackResponse", json::object{{"shipment", json::array{std::move(shipment)}}}}});
}

}  // namespace mlc::sandbox::ups
