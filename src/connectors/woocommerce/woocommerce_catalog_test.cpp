// What Woo needs of catalog records (woocommerce_catalog.hpp): prices in the store currency,
// two address lines, ISO country codes, and hashes over what is written only. Pure.
#include "connectors/woocommerce/woocommerce_catalog.hpp"

#include <gtest/gtest.h>

namespace mlc::connectors::woocommerce {
namespace {

model::Item item() {
    model::Item out;
    out.sku = "P-1";
    out.description = "Red bolt";
    out.unit_price = Decimal::parse("12.5").value();
    out.weight = Decimal::parse("0.75").value();
    out.revision = "1004";  // Not one character: GCC 12 -O3 false -Wrestrict (bug 105329).
    return out;
}

TEST(WooCatalog, PriceUsesTheCurrencyMinorDigits) {
    EXPECT_EQ(prepare_product(item(), "JPY").unit_price, Decimal::from_int(12));  // Half-even.
    EXPECT_EQ(prepare_product(item(), "USD").unit_price.to_string(2), "12.50");
}

TEST(WooCatalog, HashFollowsWrittenFieldsOnly) {
    const model::Item base = prepare_product(item(), "USD");
    model::Item bumped = base;
    bumped.revision = "1009";
    EXPECT_EQ(content_hash(base), content_hash(bumped)) << "a new SysRevID alone writes nothing";
    model::Item repriced = base;
    repriced.unit_price = Decimal::from_int(13);
    EXPECT_NE(content_hash(base), content_hash(repriced));
    model::Item drafted = base;
    drafted.active = false;
    EXPECT_NE(content_hash(base), content_hash(drafted));
}

TEST(WooCatalog, CustomerGetsTwoAddressLinesAndAnIsoCountry) {
    model::Party party;
    party.code = "C1";
    party.email = "a@b.example";
    party.billing.street2 = "Unit 2";
    party.billing.street3 = "Dock 4";
    party.billing.country = "USA";
    const CustomerDraft draft = prepare_customer(party, {});
    EXPECT_EQ(draft.party.billing.street2, "Unit 2, Dock 4");
    EXPECT_EQ(draft.party.billing.country, "US");
    EXPECT_EQ(draft.party.shipping.country, "US");
    EXPECT_EQ(draft.party.billing.email, "a@b.example");
    EXPECT_TRUE(draft.party.shipping.email.empty());
    EXPECT_TRUE(draft.party.code.empty()) << "no username: Woo refuses to change it";
    EXPECT_TRUE(draft.note.empty());
    EXPECT_EQ(email_key("A@B.Example "), "a@b.example");
}

TEST(WooCatalog, UnknownCountryIsLeftEmptyWithANoteAndMappingsWin) {
    model::Party party;
    party.billing.country = "Narnia";
    const CustomerDraft unknown = prepare_customer(party, {});
    EXPECT_EQ(unknown.party.billing.country, "");
    EXPECT_NE(unknown.note.find("mappings.countries"), std::string::npos);
    const CustomerDraft mapped = prepare_customer(party, {{"Narnia", "NA"}});
    EXPECT_EQ(mapped.party.billing.country, "NA");
    party.billing.country = "de";
    EXPECT_EQ(prepare_customer(party, {}).party.billing.country, "DE");
}

}  // namespace
}  // namespace mlc::connectors::woocommerce
