#include "sandbox/shipstation/shipstation_format.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "common/assert.hpp"
#include "common/time.hpp"

namespace mlc::sandbox::shipstation {
namespace {

// A prefix no real value carries; serialize() turns "\u0001num:12.30" into 12.30.
constexpr std::string_view kNumberMark = "\x01num:";

std::string local_text(UtcTime t, std::string_view pattern, int digits) {
    auto text = format_local(t, kZone, pattern, digits);
    MLC_ASSERT(text.has_value(), "America/Los_Angeles is in the tz database");
    return *text;
}

}  // namespace

std::string order_time(UtcTime t) { return local_text(t, "%Y-%m-%dT%H:%M:%S", 7); }

std::string short_time(UtcTime t) {
    std::string text = local_text(t, "%Y-%m-%dT%H:%M:%S", 7);
    while (text.ends_with('0')) text.pop_back();
    if (text.ends_with('.')) text.pop_back();
    return text;
}

std::string date_only(UtcTime t) { return local_text(t, "%Y-%m-%d", 0); }

Result<UtcTime> parse_request_time(std::string_view text, bool range_end) {
    return parse_local(text, kZone, range_end ? Ambiguity::kLatest : Ambiguity::kEarliest);
}

boost::json::value money(const Decimal& amount) {
    return boost::json::value(std::string(kNumberMark) + amount.to_string());
}

Result<Decimal> read_money(const boost::json::value& value) {
    if (value.is_int64()) return Decimal::from_int(value.get_int64());
    if (value.is_uint64()) return Decimal::from_int(static_cast<std::int64_t>(value.get_uint64()));
    if (value.is_double()) {
        char buffer[64];
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double(),
                                             std::chars_format::fixed);
        if (ec != std::errc()) return make_error(ErrorCode::kInvalidInput, "number out of range");
        return Decimal::parse(std::string_view(buffer, end - buffer));
    }
    if (value.is_string() && value.get_string().starts_with(kNumberMark)) {
        return Decimal::parse(std::string_view(value.get_string()).substr(kNumberMark.size()));
    }
    return make_error(ErrorCode::kInvalidInput, "expected a number");
}

void normalise_numbers(boost::json::value& value) {
    if (value.is_double()) {
        auto amount = read_money(value);
        if (amount) value = money(*amount);
    } else if (value.is_object()) {
        for (auto& item : value.get_object()) normalise_numbers(item.value());
    } else if (value.is_array()) {
        for (auto& item : value.get_array()) normalise_numbers(item);
    }
}

std::string serialize(const boost::json::value& value) {
    std::string text = boost::json::serialize(value);
    // The mark serialises as "\u0001num:"; drop it with its surrounding quotes.
    static const std::string kQuotedMark = "\"\\u0001num:";
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (;;) {
        const auto found = text.find(kQuotedMark, pos);
        if (found == std::string::npos) break;
        out.append(text, pos, found - pos);
        const auto close = text.find('"', found + kQuotedMark.size());
        MLC_ASSERT(close != std::string::npos, "a marked number is a closed string");
        out.append(text, found + kQuotedMark.size(), close - found - kQuotedMark.size());
        pos = close + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

}  // namespace mlc::sandbox::shipstation
