#include "sandbox/woocommerce/wp_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sandbox/woocommerce/webhook_crypto.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

namespace json = boost::json;

TEST(WpJsonEncode, EscapesSlashesAsWordPressDoes) {
    EXPECT_EQ(wp_json_encode(json::value("https://shop.test/a/b")),
              R"("https:\/\/shop.test\/a\/b")");
}

TEST(WpJsonEncode, WritesNonAsciiAsLowercaseUnicodeEscapes) {
    EXPECT_EQ(wp_json_encode(json::value("Zoë Müller")), R"("Zo\u00eb M\u00fcller")");
    EXPECT_EQ(wp_json_encode(json::value("€")), R"("\u20ac")");
}

TEST(WpJsonEncode, WritesAstralCharactersAsSurrogatePairs) {
    EXPECT_EQ(wp_json_encode(json::value("\xF0\x9F\x98\x80")), R"("\ud83d\ude00")");
}

TEST(WpJsonEncode, EscapesControlCharactersQuotesAndBackslashes) {
    EXPECT_EQ(wp_json_encode(json::value(std::string("a\"b\\c\n\t\x01", 8))),
              R"("a\"b\\c\n\t\u0001")");
}

TEST(WpJsonEncode, ReplacesInvalidUtf8) {
    EXPECT_EQ(wp_json_encode(json::value(std::string("a\xFF", 2))), R"("a\ufffd")");
}

TEST(WpJsonEncode, WritesObjectsCompactlyInInsertionOrder) {
    const json::object value{{"id", 7},
                             {"total", "29.35"},
                             {"ok", true},
                             {"none", nullptr},
                             {"list", json::array{1, 2}}};
    EXPECT_EQ(wp_json_encode(value),
              R"({"id":7,"total":"29.35","ok":true,"none":null,"list":[1,2]})");
}

TEST(WpJsonEncode, WritesPriceAsAPhpFloatNumber) {
    EXPECT_EQ(wp_json_encode(json::object{{"price", php_float(Decimal::from_int(10))}}),
              R"({"price":10.0})");
    EXPECT_EQ(wp_json_encode(php_float(*Decimal::parse("12.345"))), "12.345");
    EXPECT_EQ(money_text(*Decimal::parse("29.35")), "29.35");
    EXPECT_EQ(money_text(Decimal::from_int(5)), "5.00");
}

TEST(WpSpecialcharsDecode, DecodesEntitiesWithQuotes) {
    EXPECT_EQ(wp_specialchars_decode("a&amp;b"), "a&b");
    EXPECT_EQ(wp_specialchars_decode("&lt;x&gt; &quot;q&quot; &#039;s&#039;"), "<x> \"q\" 's'");
    EXPECT_EQ(wp_specialchars_decode("&unknown; & alone"), "&unknown; & alone");
}

TEST(DeliveryId, IsThirtyTwoHexDigitsAndDiffersPerDelivery) {
    const auto a = delivery_id(1, 5, 1'700'000'000, 1);
    const auto b = delivery_id(1, 5, 1'700'000'000, 2);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace mlc::sandbox::woocommerce
