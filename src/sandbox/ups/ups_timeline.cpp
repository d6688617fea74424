#include "sandbox/ups/ups_timeline.hpp"

#include <cstdio>

namespace mlc::sandbox::ups {
namespace {

using std::chrono::hours;

UtcTime midnight(UtcTime t) {
    return UtcTime{std::chrono::floor<std::chrono::days>(t).time_since_epoch()};
}

TrackEvent event(UtcTime at, std::string_view type, std::string_view code,
                 std::string_view description, std::string_view status, const Place& place) {
    return TrackEvent{.at = at,
                      .type = type,
                      .code = code,
                      .description = description,
                      .status_code = status,
                      .place = place};
}

}  // namespace

int transit_days(std::string_view service_code, std::uint64_t draw) {
    if (service_code == "01" || service_code == "13" || service_code == "14") return 1;
    if (service_code == "02" || service_code == "59") return 2;
    if (service_code == "12") return 3;
    return 1 + static_cast<int>(draw % 5);  // Ground and the rest: 1-5 days by distance.
}

std::string_view service_description(std::string_view service_code) {
    if (service_code == "01") return "UPS Next Day Air";
    if (service_code == "02") return "UPS 2nd Day Air";
    if (service_code == "03") return "UPS Ground";
    if (service_code == "12") return "UPS 3 Day Select";
    if (service_code == "13") return "UPS Next Day Air Saver";
    if (service_code == "14") return "UPS Next Day Air Early";
    if (service_code == "59") return "UPS 2nd Day Air A.M.";
    return "UPS";
}

Timeline plan_timeline(const PackagePlan& plan) {
    Timeline timeline;
    const Place& from = plan.origin;
    const Place& to = plan.destination;
    const UtcTime label = plan.label_time;
    timeline.scheduled_delivery =
        midnight(label) + hours{24 * transit_days(plan.service_code, plan.draw)};
    timeline.delayed = (plan.draw >> 20) % 10 == 0;  // One package in ten meets a delay.
    UtcTime day = timeline.scheduled_delivery;
    auto& events = timeline.events;
    events.push_back(event(label, "M", "MP",
                           "Shipper created a label, UPS has not received the package yet.", "003",
                           from));
    events.push_back(event(label + hours{8}, "I", "OR", "Origin Scan", "005", from));
    events.push_back(event(label + hours{12}, "I", "DP", "Departed from Facility", "005", from));
    events.push_back(event(std::max(day - hours{6}, label + hours{13}), "I", "AR",
                           "Arrived at Facility", "005", to));
    if (timeline.delayed) {
        events.push_back(event(day + hours{8}, "X", "HA",
                               "Delay: the delivery date has been updated.", "048", to));
        day += hours{24};
        timeline.rescheduled_delivery = day;
    }
    events.push_back(event(day + hours{13}, "I", "OT", "Out For Delivery Today", "021", to));
    events.push_back(event(day + hours{19}, "D", "FS", "Delivered", "011", to));
    return timeline;
}

std::string yyyymmdd(UtcTime t) {
    const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(t)};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

std::string hhmmss(UtcTime t) {
    const auto since_midnight = std::chrono::floor<std::chrono::seconds>(t - midnight(t));
    const std::chrono::hh_mm_ss<std::chrono::seconds> clock{since_midnight};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d%02d%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return buffer;
}

std::chrono::minutes utc_offset(std::string_view state) {
    if (state == "CA") return hours{-8};
    if (state == "IL") return hours{-6};
    if (state == "PR") return hours{-4};
    return hours{-5};
}

std::string offset_text(std::chrono::minutes offset, char separator) {
    const auto total = offset.count();
    const int magnitude = static_cast<int>((total < 0 ? -total : total) % (24 * 60));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%c%02d%c%02d", total < 0 ? '-' : '+', magnitude / 60,
                  separator, magnitude % 60);
    return buffer;
}

}  // namespace mlc::sandbox::ups
