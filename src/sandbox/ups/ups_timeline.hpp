#pragma once
// The life of one UPS package as a fixed plan of scans computed from its label time, service and
// a seeded draw, so tracking, Quantum View and Track Alert all read the same history and the
// emulator's clock alone decides what has happened:
//   M  MP  label created (statusCode 003)           at the label time
//   I  OR  origin scan (005)                        label + 8 h, at the shipper's city
//   I  DP  departed from facility (005)             label + 12 h
//   I  AR  arrived at facility (005)                delivery day - 6 h, at the destination city
//   X  HA  delay (048), one package in ten          delivery day + 8 h; delivery moves a day
//   I  OT  out for delivery (021)                   delivery day + 13 h
//   D  FS  delivered (011)                          delivery day + 19 h
// The delivery day is the label's UTC day plus the service's transit days (Next Day Air 1, 2nd
// Day Air 2, 3 Day Select 3, Ground 1-5 by the draw); time of day in UTC.
//
// Pure functions; thread safety: none needed.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace mlc::sandbox::ups {

struct Place {
    std::string city = {};
    std::string state = {};
    std::string postal_code = {};
    std::string country = {};
};

struct TrackEvent {
    UtcTime at = {};
    std::string_view type = {};         // M, I, X, D (Track Alert activityStatus.type)
    std::string_view code = {};         // MP, OR, DP, AR, HA, OT, FS
    std::string_view description = {};  // "Delivered"
    std::string_view status_code = {};  // 003, 005, 048, 021, 011
    Place place = {};
};

struct PackagePlan {
    UtcTime label_time = {};
    std::string service_code = {};  // Shipping Service.Code: "03" Ground, ...
    std::uint64_t draw = 0;         // Seeded: transit days of Ground, the delay
    Place origin = {};
    Place destination = {};
};

struct Timeline {
    std::vector<TrackEvent> events = {};  // Oldest first
    UtcTime scheduled_delivery = {};      // Midnight UTC of the day first promised
    UtcTime rescheduled_delivery = {};    // Set when the package has a delay
    bool delayed = false;
};

Timeline plan_timeline(const PackagePlan& plan);
int transit_days(std::string_view service_code, std::uint64_t draw);
std::string_view service_description(std::string_view service_code);

// "20240105" and "134500" of a UTC instant; and the same in the place's local standard time,
// with its offset ("-05:00"). Offsets are fixed per state (no DST): CA -08, IL -06, PR -04,
// everything else -05.
std::string yyyymmdd(UtcTime t);
std::string hhmmss(UtcTime t);
std::chrono::minutes utc_offset(std::string_view state);
std::string offset_text(std::chrono::minutes offset, char separator = ':');

}  // namespace mlc::sandbox::ups
