#pragma once
// UPS 1Z tracking numbers: "1Z" + 6-character shipper account + 2-digit service + 7-digit package
// serial + 1 check digit, 18 characters, upper case. The check digit is UPS's mod-10 scheme over
// the 15 characters after "1Z": letters count as (ASCII - 63) mod 10 (A=2 ... I=0 ...), the
// characters at odd 0-based positions count double, and the digit brings the sum to a multiple
// of 10. Tracking.yaml's sample 1Z023E2X0214323462 and the CIE numbers 1ZCIETST0111111114 and
// 1ZCIETST0422222228 (UPSTrackAlert.yaml) pass it.
//
// Pure functions; thread safety: none needed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlc::sandbox::ups {

inline constexpr std::size_t kTrackingNumberLength = 18;

// The check digit ('0'..'9') for the first 17 characters of a 1Z number, or nullopt when they
// are not "1Z" followed by 15 upper-case letters or digits.
std::optional<char> tracking_check_digit(std::string_view first17);

// True for an 18-character 1Z number whose last character is its check digit.
bool is_valid_tracking_number(std::string_view number);

// "1Z" + shipper (6) + service (2) + serial (7 digits, modulo 10^7) + check digit.
std::string make_tracking_number(std::string_view shipper_number, std::string_view service_code,
                                 std::uint64_t serial);

}  // namespace mlc::sandbox::ups
