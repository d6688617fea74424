#include "engine/stored_mappings.hpp"

#include <gtest/gtest.h>

#include "engine/testing/fake_state_store.hpp"

namespace mlc::engine {
namespace {

TEST(StoredMappings, AddedEntriesAreCountedAndWinOverTheFilesWhenMerged) {
    auto store = testing::make_test_store();
    auto first = store_mappings(*store, "orders", "parts", {{"SKU-1", "P-1"}, {"SKU-*", "P*"}});
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->added, 2u);
    auto second = store_mappings(*store, "orders", "parts", {{"SKU-1", "P-9"}, {"SKU-*", "P*"}});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->changed, 1u);
    EXPECT_EQ(second->unchanged, 1u);

    FlowConfig flow;
    flow.name = "orders";
    flow.mappings["parts"] = {{"SKU-1", "FROM-FILE"}, {"SKU-2", "P-2"}};
    flow.mappings["customers"] = {{"ACME", "C1"}};
    auto merged = with_stored_mappings(flow, *store);
    ASSERT_TRUE(merged);
    const MappingTable want_parts = {{"SKU-1", "P-9"}, {"SKU-2", "P-2"}, {"SKU-*", "P*"}};
    EXPECT_EQ(merged->mappings.at("parts"), want_parts);
    EXPECT_EQ(merged->mappings.at("customers").at("ACME"), "C1");
    // Another flow's stored tables stay its own.
    flow.name = "other";
    EXPECT_EQ(with_stored_mappings(flow, *store)->mappings.at("parts").at("SKU-1"), "FROM-FILE");
}

TEST(StoredMappings, ABadEntryStoresNothingAndRemovingSaysWhetherItWasThere) {
    auto store = testing::make_test_store();
    auto bad = store_mappings(*store, "orders", "parts", {{"SKU-1", "P-1"}, {"A*B*", "P*"}});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("nothing was stored"), std::string::npos);
    EXPECT_TRUE(load_stored_mappings(*store, "orders")->empty());

    ASSERT_TRUE(store_mappings(*store, "orders", "parts", {{"SKU-1", "P-1"}}));
    EXPECT_EQ(remove_stored_mapping(*store, "orders", "parts", "SKU-2").value(), false);
    EXPECT_EQ(remove_stored_mapping(*store, "orders", "parts", "SKU-1").value(), true);
    EXPECT_TRUE(load_stored_mappings(*store, "orders")->empty());
}

TEST(StoredMappings, ADamagedSettingIsAConfigErrorNamingTheFix) {
    auto store = testing::make_test_store();
    ASSERT_TRUE(store->put_setting(stored_mappings_key("orders"), "{\"parts\": 7}"));
    auto loaded = load_stored_mappings(*store, "orders");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, ErrorCode::kConfig);
    EXPECT_NE(loaded.error().message.find("mlc mappings list orders"), std::string::npos);
}

}  // namespace
}  // namespace mlc::engine
