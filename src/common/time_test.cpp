#include "common/time.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace mlc {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPacific = "America/Los_Angeles";

UtcTime iso(std::string_view text) { return parse_iso8601(text).value(); }

TEST(Iso8601, ParsesUtcAndOffsets) {
    EXPECT_EQ(iso("1970-01-01T00:00:00Z").time_since_epoch(), 0us);
    EXPECT_EQ(iso("2024-03-15T10:20:30Z"), iso("2024-03-15T12:20:30+02:00"));
    EXPECT_EQ(iso("2024-03-15T10:20:30Z"), iso("2024-03-15T05:20:30-0500"));
    EXPECT_EQ(iso("2024-03-15T00:00:00Z"), iso("2024-03-15"));
    EXPECT_EQ(iso("2024-03-15T10:20:30.5Z") - iso("2024-03-15T10:20:30Z"), 500ms);
    EXPECT_EQ(iso("2024-03-15T10:20:30.123456789Z") - iso("2024-03-15T10:20:30Z"), 123456us);
}

TEST(Iso8601, ReadsNoDesignatorAsUtc) {
    // WooCommerce date_created_gmt: "2017-03-22T16:28:02" is UTC with no "Z".
    EXPECT_EQ(iso("2017-03-22T16:28:02"), iso("2017-03-22T16:28:02Z"));
}

TEST(Iso8601, RefusesMalformedText) {
    for (const char* text : {"", "2024-3-15", "2024-02-30", "2024-13-01", "2024-03-15T25:00:00Z",
                             "2024-03-15T10:20Z", "2024-03-15T10:20:30+2", "2024-03-15T10:20:30Q",
                             "2024-03-15T10:20:30.Z", "yesterday", "2024-03-15T10:20:30Z junk"}) {
        const auto result = parse_iso8601(text);
        EXPECT_FALSE(result) << "accepted \"" << text << "\"";
        if (!result) {
            EXPECT_EQ(result.error().code, ErrorCode::kInvalidInput);
            EXPECT_NE(result.error().message.find(text), std::string::npos);
        }
    }
}

TEST(Iso8601, FormatsWithTheFractionTheInstantHas) {
    EXPECT_EQ(format_iso8601(iso("2024-03-15T10:20:30Z")), "2024-03-15T10:20:30Z");
    EXPECT_EQ(format_iso8601(iso("2024-03-15T10:20:30.123Z")), "2024-03-15T10:20:30.123Z");
    EXPECT_EQ(format_iso8601(iso("2024-03-15T10:20:30.000123Z")), "2024-03-15T10:20:30.000123Z");
    EXPECT_EQ(format_iso8601(iso("1969-12-31T23:59:59.5Z")), "1969-12-31T23:59:59.500Z");
}

TEST(Iso8601, RoundTripsThroughText) {
    const UtcTime start = iso("2023-12-31T23:59:58Z");
    for (int i = 0; i < 200; ++i) {
        const UtcTime t = start + std::chrono::microseconds{i * 7'777'777LL};
        EXPECT_EQ(iso(format_iso8601(t)), t) << format_iso8601(t);
    }
}

TEST(PacificLocalTime, ConvertsStandardAndDaylightTime) {
    EXPECT_EQ(parse_local("2024-01-15 08:00:00", kPacific).value(), iso("2024-01-15T16:00:00Z"));
    EXPECT_EQ(parse_local("2024-07-15T08:00:00", kPacific).value(), iso("2024-07-15T15:00:00Z"));
}

TEST(PacificLocalTime, ReadsShipStationSevenDigitFraction) {
    EXPECT_EQ(parse_local("2015-06-29T08:46:27.0000000", kPacific).value(),
              iso("2015-06-29T15:46:27Z"));
    EXPECT_EQ(parse_local("2015-08-17T09:24:14.78", kPacific).value(),
              iso("2015-08-17T16:24:14.78Z"));
    EXPECT_EQ(parse_local("2015-06-29T08:46:27.1234567", kPacific).value(),
              iso("2015-06-29T15:46:27.123456Z"));
}

TEST(PacificLocalTime, ReadsDateOnlyAsLocalMidnight) {
    EXPECT_EQ(parse_local("2015-04-25", kPacific).value(), iso("2015-04-25T07:00:00Z"));
}

TEST(PacificLocalTime, DstGapShiftsForwardByTheGap) {
    // 2024-03-10 02:00-03:00 does not exist in Los Angeles: 02:30 reads as 03:30 PDT.
    EXPECT_EQ(parse_local("2024-03-10T02:30:00", kPacific).value(), iso("2024-03-10T10:30:00Z"));
    EXPECT_EQ(parse_local("2024-03-10T03:30:00", kPacific).value(), iso("2024-03-10T10:30:00Z"));
    EXPECT_EQ(parse_local("2024-03-10T01:59:59", kPacific).value(), iso("2024-03-10T09:59:59Z"));
}

TEST(PacificLocalTime, DstOverlapGivesBothReadings) {
    // 2024-11-03 01:30 happens twice: first in PDT (08:30Z), then in PST (09:30Z).
    EXPECT_EQ(parse_local("2024-11-03T01:30:00", kPacific).value(), iso("2024-11-03T08:30:00Z"));
    EXPECT_EQ(parse_local("2024-11-03T01:30:00", kPacific, Ambiguity::kEarliest).value(),
              iso("2024-11-03T08:30:00Z"));
    EXPECT_EQ(parse_local("2024-11-03T01:30:00", kPacific, Ambiguity::kLatest).value(),
              iso("2024-11-03T09:30:00Z"));
    EXPECT_EQ(parse_local("2024-11-03T02:00:00", kPacific, Ambiguity::kEarliest).value(),
              iso("2024-11-03T10:00:00Z"));
}

TEST(PacificLocalTime, UnknownZoneIsAConfigErrorNamingIt) {
    const auto result = parse_local("2024-01-15 08:00:00", "Mars/Olympus_Mons");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kConfig);
    EXPECT_NE(result.error().message.find("Mars/Olympus_Mons"), std::string::npos);
    EXPECT_FALSE(format_local(iso("2024-01-15T00:00:00Z"), "Nowhere/Land", "%F"));
}

TEST(PacificLocalTime, RefusesOffsetsAndGarbage) {
    EXPECT_FALSE(parse_local("2024-01-15T08:00:00Z", kPacific));
    EXPECT_FALSE(parse_local("2024-01-15T08:00", kPacific));
    EXPECT_FALSE(parse_local("01/15/2024", kPacific));
}

TEST(PacificLocalTime, FormatsLocalWallTime) {
    EXPECT_EQ(format_local(iso("2024-07-15T15:00:00Z"), kPacific, "%Y-%m-%d %H:%M:%S").value(),
              "2024-07-15 08:00:00");
    EXPECT_EQ(format_local(iso("2015-06-29T15:46:27Z"), kPacific, "%Y-%m-%dT%H:%M:%S", 7).value(),
              "2015-06-29T08:46:27.0000000");
    EXPECT_EQ(format_local(iso("2024-01-15T16:00:00.25Z"), kPacific, "%H:%M:%S", 3).value(),
              "08:00:00.250");
    // Both fall-back instants print the same wall time.
    EXPECT_EQ(format_local(iso("2024-11-03T08:30:00Z"), kPacific, "%H:%M").value(), "01:30");
    EXPECT_EQ(format_local(iso("2024-11-03T09:30:00Z"), kPacific, "%H:%M").value(), "01:30");
    EXPECT_FALSE(format_local(iso("2024-11-03T09:30:00Z"), kPacific, "%H:%M", 8));
    // The zone's abbreviation and offset tell the two fall-back readings apart.
    EXPECT_EQ(format_local(iso("2024-11-03T08:30:00Z"), kPacific, "%H:%M %Z %z").value(),
              "01:30 PDT -0700");
    EXPECT_EQ(format_local(iso("2024-11-03T09:30:00Z"), kPacific, "%H:%M %Z %z").value(),
              "01:30 PST -0800");
}

TEST(PacificLocalTime, RoundTripsOutsideTheOverlap) {
    const UtcTime start = iso("2024-03-09T00:00:00Z");
    for (int hour = 0; hour < 24 * 300; hour += 7) {
        const UtcTime t = start + std::chrono::hours{hour} + 123456us;
        const auto text = format_local(t, kPacific, "%Y-%m-%dT%H:%M:%S", 6).value();
        EXPECT_EQ(parse_local(text, kPacific, Ambiguity::kEarliest).value() == t ||
                      parse_local(text, kPacific, Ambiguity::kLatest).value() == t,
                  true)
            << text;
    }
}

}  // namespace
}  // namespace mlc
