// Quantum View events (polling, base64 Bookmark paging) and Track Alert (subscriptions, pushes).
#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/ups/ups_emulator.hpp"
#include "sandbox/ups/ups_json.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

constexpr std::string_view kSubscriptionName = "OutboundXML";
constexpr std::string_view kPushUserAgent = "UPSPubSubTrackingService";
constexpr std::size_t kTransIdMax = 32;  // Shipping.yaml: transId, length 32

std::int64_t micros(UtcTime t) { return t.time_since_epoch().count(); }

// Quantum View reports the manifest, the origin scan, exceptions and the delivery.
bool in_quantum_view(const TrackEvent& event) {
    return event.code == "MP" || event.code == "OR" || event.type == "X" || event.type == "D";
}

std::optional<UtcTime> parse_qv_time(std::string_view text) {  // YYYYMMDDHHmmss
    if (text.size() != 14) return std::nullopt;
    int v[6] = {};
    const int widths[6] = {4, 2, 2, 2, 2, 2};
    std::size_t at = 0;
    for (int i = 0; i < 6; ++i) {
        const auto [end, ec] =
            std::from_chars(text.data() + at, text.data() + at + widths[i], v[i]);
        if (ec != std::errc() || end != text.data() + at + widths[i]) return std::nullopt;
        at += widths[i];
    }
    const std::chrono::year_month_day date{std::chrono::year{v[0]},
                                           std::chrono::month{static_cast<unsigned>(v[1])},
                                           std::chrono::day{static_cast<unsigned>(v[2])}};
    if (!date.ok() || v[3] > 23 || v[4] > 59 || v[5] > 59) return std::nullopt;
    return UtcTime{std::chrono::sys_days{date}} + std::chrono::hours{v[3]} +
           std::chrono::minutes{v[4]} + std::chrono::seconds{v[5]};
}

json::array reference_list(const std::vector<std::string>& references) {
    json::array out;
    for (std::size_t i = 0; i < references.size() && i < 9; ++i) {
        out.push_back(json::object{{"Number", std::to_string(i + 1)}, {"Value", references[i]}});
    }
    return out;
}

std::string file_name(UtcTime t) {  // YYMMDD_HHmmssnnn, one file per hour of events
    return yyyymmdd(t).substr(2) + "_" + hhmmss(t).substr(0, 2) + "0000001";
}

// A 400 of the package subscription: PackageSubscriptionErrorResponse requires
// invalidTrackingNumbers next to the usual errors (UPSTrackAlert.yaml).
net::HttpResponse subscription_error(std::string_view code, std::string_view message,
                                     json::array invalid = {}) {
    json::object error{{"code", code}, {"message", message}};
    json::object out{{"invalidTrackingNumbers", std::move(invalid)},
                     {"response", json::object{{"errors", json::array{std::move(error)}}}}};
    return net::json_response(400, json::serialize(out));
}

}  // namespace

std::vector<UpsEmulator::QvEvent> UpsEmulator::quantum_view_events(const EventKey& after,
                                                                   UtcTime until) const {
    std::vector<QvEvent> out;
    const UtcTime floor = context_.clock.now() - kQuantumViewRangeMax;
    for (const auto& package : packages_) {
        if (package.voided) continue;
        const auto events = visible_events(package);
        for (std::size_t i = 0; i < events.size(); ++i) {
            const TrackEvent& event = events[i];
            if (!in_quantum_view(event) || event.at > until || event.at < floor) continue;
            EventKey key{.at_us = micros(event.at), .tracking = package.tracking, .index = i};
            if (key <= after) continue;
            out.push_back(QvEvent{.key = std::move(key), .package = &package, .event = event});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const QvEvent& a, const QvEvent& b) { return a.key < b.key; });
    return out;
}

json::object UpsEmulator::render_quantum_view(const std::vector<QvEvent>& page) const {
    std::map<std::string, json::object> files;
    for (const auto& item : page) {
        const Package& package = *item.package;
        const TrackEvent& event = item.event;
        json::object& file = files[file_name(event.at)];
        const UtcTime local = event.at + utc_offset(event.place.state);
        json::object entry{{"PackageReferenceNumber", reference_list(package.references)},
                           {"ShipperNumber", package.shipper_number},
                           {"TrackingNumber", package.tracking},
                           {"Date", yyyymmdd(local)},
                           {"Time", hhmmss(local)}};
        const char* kind = event.code == "MP"   ? "Manifest"
                           : event.code == "OR" ? "Origin"
                           : event.type == "X"  ? "Exception"
                                                : "Delivery";
        if (event.code == "MP") {
            entry = {
                {"Shipper", json::object{{"Name", "MLC SANDBOX SHIPPER"},
                                         {"ShipperNumber", package.shipper_number}}},
                {"ShipTo", json::object{{"CompanyName", package.ship_to_name}}},
                {"Service", json::object{{"Code", "0" + package.plan.service_code}}},
                {"PickupDate", yyyymmdd(local)},
                {"ScheduledDeliveryDate", yyyymmdd(timeline_of(package).scheduled_delivery)},
                {"Package", json::array{json::object{
                                {"TrackingNumber", package.tracking},
                                {"ReferenceNumber", reference_list(package.references)},
                                {"PackageWeight", json::object{{"Weight", package.weight_lbs}}}}}}};
        } else if (event.type == "X") {
            entry["StatusCode"] = json::object{{"Code", event.code}};
            entry["StatusDescription"] = event.description;
            entry["RescheduledDeliveryDate"] = yyyymmdd(timeline_of(package).rescheduled_delivery);
        } else if (event.code == "OR") {
            entry["ScheduledDeliveryDate"] = yyyymmdd(timeline_of(package).scheduled_delivery);
        }
        if (!file.contains(kind)) file[kind] = json::array{};
        file[kind].as_array().push_back(std::move(entry));
    }
    json::array out;
    for (auto& [name, file] : files) {
        file["FileName"] = name;
        file["StatusType"] = json::object{{"Code", "U"}, {"Description", "Unread"}};
        out.push_back(std::move(file));
    }
    json::object subscription{
        {"Name", kSubscriptionName},
        {"Number", shipper_number()},
        {"SubscriptionStatus", json::object{{"Code", "A"}, {"Description", "Active"}}}};
    if (!out.empty()) subscription["SubscriptionFile"] = std::move(out);
    return subscription;
}

net::HttpResponse UpsEmulator::quantum_view(const net::HttpRequest& request) {
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const json::object* root = ec ? nullptr : object_at(body.if_object(), "QuantumViewRequest");
    const json::object* block = object_at(root, "Request");
    if (string_at(block, "RequestAction") != "QVEvents") {
        return ups_error(400, "330001", "RequestAction must be QVEvents.");
    }
    const auto subscriptions = one_or_many(root, "SubscriptionRequest");
    if (!subscriptions) return ups_error(400, "330002", "Invalid SubscriptionRequest.");
    const UtcTime now = context_.clock.now();
    UtcTime until = now;
    EventKey after = quantum_view_read_;
    bool unread = true;
    for (const auto* wanted : *subscriptions) {
        const std::string name = string_at(wanted, "Name");
        if (!name.empty() && name != kSubscriptionName) {
            return ups_error(400, "330003", "No subscription named " + name + ".");
        }
        const json::object* range = object_at(wanted, "DateTimeRange");
        if (range == nullptr) continue;
        const auto begin = parse_qv_time(string_at(range, "BeginDateTime"));
        const std::string end_text = string_at(range, "EndDateTime");
        const auto end = end_text.empty() ? std::optional<UtcTime>{} : parse_qv_time(end_text);
        // The range may reach at most 7 days into the past.
        if (!begin || *begin < now - kQuantumViewRangeMax || (!end_text.empty() && !end)) {
            return ups_error(400, "330004", "Invalid DateTimeRange: at most 7 days back.");
        }
        unread = false;
        after = EventKey{.at_us = micros(*begin) - 1};
        until = std::min(now, end ? *end : *begin + kQuantumViewRangeMax);
    }
    const std::string bookmark = string_at(root, "Bookmark");
    if (!bookmark.empty()) {
        const auto decoded = base64_decode(bookmark);
        const auto prefix = shipper_number() + "|";
        if (!decoded || !decoded->starts_with(prefix)) {
            return ups_error(400, "330005", "Invalid Bookmark.");
        }
        std::string rest = decoded->substr(prefix.size());
        const auto bar = rest.find('|');
        const auto bar2 = rest.find('|', bar + 1);
        if (bar == std::string::npos || bar2 == std::string::npos) {
            return ups_error(400, "330005", "Invalid Bookmark.");
        }
        after = EventKey{.at_us = std::stoll(rest.substr(0, bar)),
                         .tracking = rest.substr(bar + 1, bar2 - bar - 1),
                         .index = std::stoul(rest.substr(bar2 + 1))};
    }
    auto events = quantum_view_events(after, until);
    const bool more = events.size() > kQuantumViewPageEvents;
    if (more) events.resize(kQuantumViewPageEvents);
    // Unread data is marked read once it has been handed out.
    if (unread && !events.empty())
        quantum_view_read_ = std::max(quantum_view_read_, events.back().key);
    json::object response{
        {"Response", json::object{{"TransactionReference",
                                   json::object{{"CustomerContext",
                                                 string_at(object_at(block, "TransactionReference"),
                                                           "CustomerContext")}}},
                                  {"ResponseStatusCode", "1"},
                                  {"ResponseStatusDescription", "Success"}}},
        {"QuantumViewEvents",
         json::object{{"SubscriberID", shipper_number()},
                      {"SubscriptionEvents", json::array{render_quantum_view(events)}}}}};
    if (more) {
        const EventKey& last = events.back().key;
        response["Bookmark"] =
            base64_encode(shipper_number() + "|" + std::to_string(last.at_us) + "|" +
                          last.tracking + "|" + std::to_string(last.index));
    }
    return json_ok(json::object{{"QuantumViewResponse", std::move(response)}});
}

// ---- Track Alert -----------------------------------------------------------------------------

net::HttpResponse UpsEmulator::subscribe(const net::HttpRequest& request, std::string_view type) {
    // Codes from UPSTrackAlert.yaml's error table.
    const auto trans_id = net::find_header(request.headers, "transId");
    if (!trans_id) return subscription_error("VSS002", "Missing transId");
    if (trans_id->empty() || trans_id->size() > kTransIdMax) {
        return subscription_error("VSS003",
                                  "Please enter a valid Transaction ID, The Subscription "
                                  "request has been rejected.");
    }
    if (!net::find_header(request.headers, "transactionSrc")) {
        return subscription_error("VSS004", "Missing transactionSrc");
    }
    if (type != "standard" && type != "enhanced") {
        return subscription_error("VSS930",
                                  "Type is missing or invalid, The Subscription request "
                                  "has been rejected.");
    }
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const json::object* root = ec ? nullptr : body.if_object();
    if (root == nullptr || root->empty()) {
        return subscription_error("VSS110",
                                  "Subscription request is empty or not present. The "
                                  "Subscription request has been rejected.");
    }
    const std::string locale = string_at(root, "locale");
    if (locale.empty()) {
        return subscription_error("VSS300",
                                  "Locale is required. The Subscription request has been "
                                  "rejected.");
    }
    if (locale != "en_US") {  // Only en_US is supported today (UPSTrackAlert.yaml Locale).
        return subscription_error("VSS310",
                                  "Please enter a valid locale. The Subscription request "
                                  "has been rejected");
    }
    const auto* list = root->if_contains("trackingNumberList");
    if (list == nullptr || !list->is_array()) {
        return subscription_error("VSS200",
                                  "Tracking Number List is required. The Subscription "
                                  "request has been rejected.");
    }
    if (list->get_array().size() > kTrackAlertNumbersMax) {
        return subscription_error("VSS220",
                                  "You have submitted over 100 tracking numbers which is "
                                  "not allowed. The entire submission of tracking numbers "
                                  "has been rejected.");
    }
    // v2 takes the push URL and its credential from the portal (Manage Webhook Credentials), not
    // the request; with none set UPS has nowhere to push (v1's VSS600 / VSS700, inferred for v2).
    if (push_url_.empty()) {
        return subscription_error("VSS600",
                                  "URL is empty or not present. The Subscription request has "
                                  "been rejected.");
    }
    if (push_credential_.empty()) {
        return subscription_error("VSS700",
                                  "Credential is empty or not present. The Subscription request "
                                  "has been rejected.");
    }
    json::array valid;
    json::array invalid;
    for (const auto& item : list->get_array()) {
        const std::string number = item.is_string() ? std::string(item.get_string()) : "";
        (is_valid_tracking_number(number) ? valid : invalid).emplace_back(number);
    }
    if (valid.empty()) {
        json::object error{{"code", "VSS210"},
                           {"message",
                            "The Subscription request should have at least one valid "
                            "tracking number. The Subscription request has been "
                            "rejected."}};
        json::object out{{"invalidTrackingNumbers", std::move(invalid)},
                         {"response", json::object{{"errors", json::array{std::move(error)}}}}};
        return net::json_response(400, json::serialize(out));
    }
    const UtcTime now = context_.clock.now();
    for (const auto& number : valid) {
        Subscription& subscription = subscriptions_[std::string(number.get_string())];
        if (subscription.expiry <= now) {
            // New, or lapsed: no history, so only events from now on are pushed. A lapse of an
            // undelivered package is remembered for the state (what a renewing receiver avoids).
            if (subscription.expiry != UtcTime{} &&
                !delivered_by(number.get_string(), subscription.expiry)) {
                subscription.lapsed = true;
            }
            subscription.pushed_until = std::max(subscription.pushed_until, now);
        }  // Renewed while active: nothing between the last push and now is skipped.
        subscription.expiry = now + subscription_lifetime_;
    }
    json::object out{{"validTrackingNumbers", std::move(valid)}};
    if (!invalid.empty()) out["invalidTrackingNumbers"] = std::move(invalid);
    return json_ok(out);
}

void UpsEmulator::tick() {
    if (push_url_.empty()) return;
    for (auto& [tracking, subscription] : subscriptions_) push_events(tracking, subscription);
}

bool UpsEmulator::delivered_by(std::string_view tracking, UtcTime at) const {
    const Package* package = find_package(tracking);
    if (package == nullptr || package->voided) return true;  // Nothing more to push.
    for (const auto& event : visible_events(*package)) {
        if (event.type == "D" && event.at <= at) return true;
    }
    return false;
}

void UpsEmulator::push_events(const std::string& tracking, Subscription& subscription) {
    const Package* package = find_package(tracking);
    const UtcTime until = std::min(context_.clock.now(), subscription.expiry);
    if (package == nullptr || until <= subscription.pushed_until) return;
    const Timeline timeline = timeline_of(*package);
    std::size_t pushed = 0;
    bool rescheduled = false;  // A delay (X) at or before the event pushed.
    for (const auto& event : visible_events(*package)) {
        if (event.at <= subscription.pushed_until && event.type == "X") rescheduled = true;
    }
    for (const auto& event : visible_events(*package)) {
        if (event.at <= subscription.pushed_until || event.at > until) continue;
        if (pushed++ >= kPushesPerTickMax) break;
        if (event.type == "X") rescheduled = true;
        const UtcTime local = event.at + utc_offset(event.place.state);
        json::object body{
            {"trackingNumber", tracking},
            {"localActivityDate", yyyymmdd(local)},
            {"localActivityTime", hhmmss(local)},
            {"activityLocation", json::object{{"city", event.place.city},
                                              {"stateProvince", event.place.state},
                                              {"country", event.place.country}}},
            {"activityStatus",
             json::object{
                 {"type", event.type}, {"code", event.code}, {"description", event.description}}},
            // "This field may be updated" (UPSTrackAlert.yaml): after a delay,
            // the new day, as Tracking's RDD.
            {"scheduledDeliveryDate",
             yyyymmdd(rescheduled ? timeline.rescheduled_delivery : timeline.scheduled_delivery)},
            {"gmtActivityDate", yyyymmdd(event.at)},
            {"gmtActivityTime", hhmmss(event.at)},
            {"gmtOffset", offset_text(utc_offset(event.place.state), '.')}};
        if (event.type == "D") {
            body["actualDeliveryDate"] = yyyymmdd(local);
            body["actualDeliveryTime"] = hhmmss(local);
            body["activityLocation"].as_object()["postalCode"] = event.place.postal_code;
        }
        net::HttpRequest post{.method = "POST", .url = push_url_, .body = json::serialize(body)};
        post.headers = {{"Content-Type", "application/json"},
                        {"User-Agent", std::string(kPushUserAgent)}};
        if (!push_credential_.empty()) post.headers.emplace_back("x-api-key", push_credential_);
        const auto sent = context_.outbound.send(
            post, net::TransportOptions{.connect_timeout = std::chrono::milliseconds{2'000},
                                        .total_timeout = std::chrono::milliseconds{5'000}});
        if (deliveries_.size() >= kDeliveriesKept) deliveries_.erase(deliveries_.begin());
        deliveries_.push_back(json::object{{"tracking_number", tracking},
                                           {"code", event.code},
                                           {"status", sent ? sent->status : 0}});
        // At most once: UPS does not say it retries, so a failed push is not sent again.
        subscription.pushed_until = event.at;
    }
}

}  // namespace mlc::sandbox::ups
