#include "common/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cstdio>
#include <exception>
#include <ratio>

namespace mlc {
namespace {

using std::chrono::microseconds;
using LocalMicros = date::local_time<microseconds>;

// Longest accepted timestamp text: "2024-03-15T10:20:30.123456789+02:00" is 35 characters.
constexpr std::size_t kTimeTextLengthMax = 40;
// Fraction digits read: ShipStation writes 7 (.NET ticks); ISO-8601 allows 9 (nanoseconds).
// Digits past microseconds are dropped (UtcTime is microseconds).
constexpr int kFractionDigitsMax = 9;
constexpr int kLocalFractionDigitsMax = 7;  // format_local: ShipStation's 7 digits at most.

// The broken-down text of a timestamp, before any zone is applied.
struct Fields {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    microseconds fraction{0};
    bool has_offset = false;
    std::chrono::minutes offset{0};  // Local minus UTC.
};

class Scanner {
  public:
    explicit Scanner(std::string_view text) : text_(text) {}
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    bool consume(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    // Exactly `count` digits.
    bool number(int count, int& out) {
        out = 0;
        for (int i = 0; i < count; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
            out = out * 10 + (text_[pos_++] - '0');
        }
        return true;
    }
    // One or more digits up to `max_digits`, as microseconds.
    bool fraction(int max_digits, microseconds& out) {
        long long micros = 0;
        int digits = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            if (++digits > max_digits) return false;
            const int digit = text_[pos_++] - '0';
            if (digits <= 6) micros = micros * 10 + digit;
        }
        if (digits == 0) return false;
        for (int i = digits; i < 6; ++i) micros *= 10;
        out = microseconds{micros};
        return true;
    }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

Error time_error(std::string_view text, std::string_view expected) {
    return make_error(ErrorCode::kInvalidInput,
                      "not a valid time: \"" + std::string(text.substr(0, kTimeTextLengthMax)) +
                          "\" (expected " + std::string(expected) + ")");
}

bool scan_date(Scanner& in, Fields& f) {
    return in.number(4, f.year) && in.consume('-') && in.number(2, f.month) && in.consume('-') &&
           in.number(2, f.day);
}

// "HH:MM:SS[.fff]" after the date separator.
bool scan_time(Scanner& in, Fields& f, int fraction_digits_max) {
    if (!(in.number(2, f.hour) && in.consume(':') && in.number(2, f.minute) && in.consume(':') &&
          in.number(2, f.second))) {
        return false;
    }
    if (in.consume('.') && !in.fraction(fraction_digits_max, f.fraction)) return false;
    return true;
}

bool scan_offset(Scanner& in, Fields& f) {
    if (in.consume('Z') || in.consume('z')) {
        f.has_offset = true;
        return true;
    }
    const char sign = in.peek();
    if (sign != '+' && sign != '-') return false;
    in.consume(sign);
    int hours = 0;
    int minutes = 0;
    if (!in.number(2, hours)) return false;
    in.consume(':');  // "+02:00" and "+0200" are both ISO-8601.
    if (!in.number(2, minutes) || hours > 23 || minutes > 59) return false;
    f.has_offset = true;
    f.offset = std::chrono::minutes{(sign == '-' ? -1 : 1) * (hours * 60 + minutes)};
    return true;
}

bool valid(const Fields& f) {
    const date::year_month_day ymd{date::year{f.year}, date::month{static_cast<unsigned>(f.month)},
                                   date::day{static_cast<unsigned>(f.day)}};
    return ymd.ok() && f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

// The fields as a wall time with no zone attached.
LocalMicros to_local(const Fields& f) {
    const date::year_month_day ymd{date::year{f.year}, date::month{static_cast<unsigned>(f.month)},
                                   date::day{static_cast<unsigned>(f.day)}};
    return LocalMicros{date::local_days{ymd}.time_since_epoch()} + std::chrono::hours{f.hour} +
           std::chrono::minutes{f.minute} + std::chrono::seconds{f.second} + f.fraction;
}

Result<const date::time_zone*> find_zone(std::string_view zone) {
    try {
        return date::locate_zone(zone);
    } catch (const std::exception&) {
        // date throws for an unknown name and when the OS database cannot be read.
        return make_error(ErrorCode::kConfig, "unknown time zone \"" + std::string(zone) +
                                                  "\": use an IANA name such as "
                                                  "America/Los_Angeles (tz database in "
                                                  "/usr/share/zoneinfo)");
    }
}

// Formats through a zoned_time so %Z ("PDT") and %z ("-0700") work in the pattern too.
template <typename Duration>
std::string format_with(const std::string& pattern, const date::time_zone* tz, UtcTime t) {
    return date::format(pattern, date::zoned_time<Duration>(tz, std::chrono::floor<Duration>(t)));
}

}  // namespace

Result<UtcTime> parse_iso8601(std::string_view text) {
    constexpr std::string_view kExpected = "ISO-8601 such as 2024-03-15T10:20:30Z";
    if (text.size() > kTimeTextLengthMax) return time_error(text, kExpected);
    Scanner in(text);
    Fields f;
    if (!scan_date(in, f)) return time_error(text, kExpected);
    if (!in.at_end()) {
        const char separator = in.peek();
        if (separator != 'T' && separator != 't' && separator != ' ') {
            return time_error(text, kExpected);
        }
        in.consume(separator);
        if (!scan_time(in, f, kFractionDigitsMax)) return time_error(text, kExpected);
        // No designator is read as UTC: WooCommerce's *_gmt fields are UTC without a "Z".
        if (!in.at_end() && !scan_offset(in, f)) return time_error(text, kExpected);
    }
    if (!in.at_end() || !valid(f)) return time_error(text, kExpected);
    return UtcTime{to_local(f).time_since_epoch() - f.offset};
}

std::string format_iso8601(UtcTime t) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
    const auto micros = (t - seconds).count();
    std::string out = date::format("%Y-%m-%dT%H:%M:%S", seconds);
    if (micros != 0) {
        char buffer[32];
        if (micros % 1000 == 0) {
            std::snprintf(buffer, sizeof buffer, ".%03lld", static_cast<long long>(micros / 1000));
        } else {
            std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micros));
        }
        out += buffer;
    }
    return out + "Z";
}

Result<UtcTime> parse_local(std::string_view text, std::string_view zone, Ambiguity ambiguity) {
    constexpr std::string_view kExpected =
        "local time such as 2015-06-29T08:46:27.0000000, 2015-06-29 08:46:27 or 2015-04-25";
    if (text.size() > kTimeTextLengthMax) return time_error(text, kExpected);
    Scanner in(text);
    Fields f;
    if (!scan_date(in, f)) return time_error(text, kExpected);
    if (!in.at_end()) {
        const char separator = in.peek();
        if (separator != 'T' && separator != ' ') return time_error(text, kExpected);
        in.consume(separator);
        if (!scan_time(in, f, kFractionDigitsMax)) return time_error(text, kExpected);
    }
    if (!in.at_end() || !valid(f)) return time_error(text, kExpected);
    MLC_TRY(const date::time_zone* tz, find_zone(zone));

    const LocalMicros local = to_local(f);
    const date::local_info info = tz->get_info(std::chrono::floor<std::chrono::seconds>(local));
    switch (info.result) {
        case date::local_info::unique:
            return UtcTime{local.time_since_epoch() - info.first.offset};
        case date::local_info::nonexistent:
            // Spring forward: read with the offset in force before the gap, which lands the
            // instant as far past the transition as the text is past the gap's start
            // (02:30 PST -> 10:30Z = 03:30 PDT).
            return UtcTime{local.time_since_epoch() - info.first.offset};
        case date::local_info::ambiguous:
            // Fall back: first = the earlier (daylight) reading, second = the later (standard).
            return UtcTime{local.time_since_epoch() - (ambiguity == Ambiguity::kEarliest
                                                           ? info.first.offset
                                                           : info.second.offset)};
    }
    return make_error(ErrorCode::kInternal, "unexpected local_info result");
}

Result<std::string> format_local(UtcTime t, std::string_view zone, std::string_view pattern,
                                 int fraction_digits) {
    if (fraction_digits < 0 || fraction_digits > kLocalFractionDigitsMax) {
        return make_error(ErrorCode::kInternal, "format_local: fraction digits must be 0-7, got " +
                                                    std::to_string(fraction_digits));
    }
    MLC_TRY(const date::time_zone* tz, find_zone(zone));
    const std::string format(pattern);
    try {
        // %S prints as many fraction digits as the time point's precision has.
        switch (fraction_digits) {
            case 0:
                return format_with<std::chrono::seconds>(format, tz, t);
            case 1:
                return format_with<std::chrono::duration<long long, std::deci>>(format, tz, t);
            case 2:
                return format_with<std::chrono::duration<long long, std::centi>>(format, tz, t);
            case 3:
                return format_with<std::chrono::milliseconds>(format, tz, t);
            case 4:
                return format_with<std::chrono::duration<long long, std::ratio<1, 10000>>>(format,
                                                                                           tz, t);
            case 5:
                return format_with<std::chrono::duration<long long, std::ratio<1, 100000>>>(format,
                                                                                            tz, t);
            case 6:
                return format_with<std::chrono::microseconds>(format, tz, t);
            default: {
                // 7 digits (.NET ticks): microseconds plus a trailing zero, exact for UtcTime.
                using Ticks = std::chrono::duration<long long, std::ratio<1, 10000000>>;
                return format_with<Ticks>(format, tz, t);
            }
        }
    } catch (const std::exception& e) {
        // date::format throws only on a pattern it cannot apply: a bug at the call site.
        return make_error(ErrorCode::kInternal,
                          "format_local: pattern \"" + format + "\" failed: " + e.what());
    }
    return make_error(ErrorCode::kInternal, "format_local: unreachable");
}

}  // namespace mlc
