#include "net/hmac.hpp"

#include <gtest/gtest.h>

namespace mlc::net {
namespace {

// RFC 4231 test case 2: key "Jefe". Expected values computed independently (RFC text; the base64
// form with Python's hmac + base64 modules).
TEST(HmacSha256, MatchesRfc4231TestCase2) {
    const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
    EXPECT_EQ(hex_encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(base64_encode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(HmacSha256, MatchesRfc4231TestCase1) {
    const std::string key(20, '\x0b');
    EXPECT_EQ(hex_encode(hmac_sha256(key, "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256, LongKeyIsHashedFirstPerRfc4231TestCase6) {
    const std::string key(131, '\xaa');
    EXPECT_EQ(
        hex_encode(hmac_sha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Sha256Hex, MatchesFips180Abc) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode("Zm9vYg==").value_or("?"), "foob");
    EXPECT_FALSE(base64_decode("Zm9v*g==").has_value());
}

TEST(ConstantTimeEqual, ComparesWholeValuesOfAnyLength) {
    EXPECT_TRUE(constant_time_equal("secret", "secret"));
    EXPECT_FALSE(constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(constant_time_equal("secret", "secret2"));
    EXPECT_FALSE(constant_time_equal("", "x"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(WpSpecialcharsDecode, DecodesEntQuotesEntitiesOnce) {
    EXPECT_EQ(wp_specialchars_decode("a&amp;b"), "a&b");
    EXPECT_EQ(wp_specialchars_decode("&lt;&gt;&quot;&#039;&#39;"), "<>\"''");
    EXPECT_EQ(wp_specialchars_decode("&amp;lt;"), "&lt;");  // One pass, like PHP strtr.
    EXPECT_EQ(wp_specialchars_decode("&nbsp;&"), "&nbsp;&");
}

TEST(WoocommerceSignature, SignsWithTheDecodedSecret) {
    // Python: base64(hmac.new(b'a&b<c>"d\'', b'{"id":1}', sha256).digest())
    EXPECT_EQ(woocommerce_signature("a&amp;b&lt;c&gt;&quot;d&#039;", R"({"id":1})"),
              "MYXwKXQEytq1aDBaMNO7mQ/eLxb6l6beaXvD3WuQPXE=");
}

}  // namespace
}  // namespace mlc::net
