#include "common/base64.hpp"

#include <gtest/gtest.h>

namespace mlc {
namespace {

// RFC 4648 section 10 test vectors.
TEST(Base64, EncodesTheRfcVectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesWhatItEncodesIncludingBinary) {
    const std::string binary("\x00\xff\x10 \x7f\x80", 6);
    EXPECT_EQ(base64_decode(base64_encode(binary)).value_or("?"), binary);
    EXPECT_EQ(base64_decode("Zm9vYg==").value_or("?"), "foob");
    EXPECT_EQ(base64_decode("Zm9vYmE=").value_or("?"), "fooba");
    EXPECT_EQ(base64_decode("").value_or("?"), "");
}

TEST(Base64, RefusesAnythingButCanonicalPaddedStandardBase64) {
    EXPECT_FALSE(base64_decode("Zm9v*g==").has_value());  // Outside the alphabet.
    EXPECT_FALSE(base64_decode("Zm9vYg").has_value());    // Unpadded.
    EXPECT_FALSE(base64_decode("Zm=vYg==").has_value());  // Padding in the middle.
    EXPECT_FALSE(base64_decode("Zm9vYh==").has_value());  // Non-zero trailing bits.
    EXPECT_FALSE(base64_decode("Zm9v_g==").has_value());  // URL-safe alphabet.
}

}  // namespace
}  // namespace mlc
