#include "sandbox/ups/ups_tracking_number.hpp"

#include <gtest/gtest.h>

namespace mlc::sandbox::ups {
namespace {

// Real numbers from UPS's own files: Tracking.yaml's sample, the Track Alert CIE test numbers,
// the Void example and Track Alert's sample delivery.
TEST(TrackingNumber, AcceptsUpsPublishedNumbers) {
    for (const char* number : {"1Z023E2X0214323462", "1ZCIETST0111111114", "1ZCIETST0422222228",
                               "1ZISUS010330563105", "1Z204W4R0308071865", "1Z1234567891234556"}) {
        EXPECT_TRUE(is_valid_tracking_number(number)) << number;
    }
}

TEST(TrackingNumber, RejectsAWrongCheckDigitOrShape) {
    EXPECT_FALSE(is_valid_tracking_number("1Z023E2X0214323463"));
    EXPECT_FALSE(is_valid_tracking_number("1Z023E2X021432346"));
    EXPECT_FALSE(is_valid_tracking_number("1z023e2x0214323462"));
    EXPECT_FALSE(is_valid_tracking_number("2Z023E2X0214323462"));
}

TEST(TrackingNumber, MakesNumbersThatCarryShipperServiceAndAValidCheckDigit) {
    const std::string number = make_tracking_number("023E2X", "02", 1432346);
    EXPECT_EQ(number.substr(0, 17), "1Z023E2X021432346");
    EXPECT_TRUE(is_valid_tracking_number(number));
    EXPECT_EQ(make_tracking_number("023E2X", "M2", 5).substr(8, 2), "90");
}

}  // namespace
}  // namespace mlc::sandbox::ups
