#include "sandbox/ups/ups_tracking_number.hpp"

#include <cctype>

#include "common/assert.hpp"

namespace mlc::sandbox::ups {

std::optional<char> tracking_check_digit(std::string_view first17) {
    if (first17.size() != kTrackingNumberLength - 1 || !first17.starts_with("1Z")) {
        return std::nullopt;
    }
    int sum = 0;
    for (std::size_t i = 2; i < first17.size(); ++i) {
        const char c = first17[i];
        int value = 0;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'A' && c <= 'Z') {
            value = (c - 63) % 10;  // UPS maps letters as (ASCII - 63) mod 10: A=2, I=0, Z=7.
        } else {
            return std::nullopt;
        }
        sum += (i - 2) % 2 == 1 ? value * 2 : value;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool is_valid_tracking_number(std::string_view number) {
    if (number.size() != kTrackingNumberLength) return false;
    const auto digit = tracking_check_digit(number.substr(0, kTrackingNumberLength - 1));
    return digit && *digit == number.back();
}

std::string make_tracking_number(std::string_view shipper_number, std::string_view service_code,
                                 std::uint64_t serial) {
    MLC_ASSERT(shipper_number.size() == 6, "UPS shipper numbers have six characters");
    std::string service(service_code);
    // Service codes that are not two digits (M2, C6...) get the generic "90".
    if (service.size() != 2 || !std::isdigit(static_cast<unsigned char>(service[0])) ||
        !std::isdigit(static_cast<unsigned char>(service[1]))) {
        service = "90";
    }
    std::string serial_text = std::to_string(serial % 10'000'000);
    serial_text.insert(0, 7 - serial_text.size(), '0');
    std::string number = "1Z" + std::string(shipper_number) + service + serial_text;
    const auto digit = tracking_check_digit(number);
    MLC_ASSERT(digit.has_value(), "a shipper number of upper-case letters and digits");
    return number + *digit;
}

}  // namespace mlc::sandbox::ups
