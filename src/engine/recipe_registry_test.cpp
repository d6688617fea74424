#include "engine/recipe_registry.hpp"

#include <gtest/gtest.h>

#include "engine/heartbeat_runner.hpp"
#include "engine/testing/fake_state_store.hpp"

namespace mlc::engine {
namespace {

FlowConfig flow_config(std::string name, std::string recipe) {
    FlowConfig flow;
    flow.name = std::move(name);
    flow.recipe = std::move(recipe);
    return flow;
}

TEST(RecipeRegistry, BuildsARegisteredRecipe) {
    ManualClock clock;
    testing::FakeStateStore store;
    RecipeRegistry registry;
    add_heartbeat_recipe(registry);
    EXPECT_TRUE(registry.contains("heartbeat"));
    auto runner = registry.create(flow_config("hb", "heartbeat"),
                                  Dependencies{.clock = clock, .store = store});
    ASSERT_TRUE(runner.has_value());
    EXPECT_NE(runner->get(), nullptr);
}

TEST(RecipeRegistry, UnknownRecipeIsAConfigErrorNamingTheKnownOnes) {
    ManualClock clock;
    testing::FakeStateStore store;
    RecipeRegistry registry;
    add_heartbeat_recipe(registry);
    auto runner = registry.create(flow_config("orders", "shipstation-to-mars"),
                                  Dependencies{.clock = clock, .store = store});
    ASSERT_FALSE(runner.has_value());
    EXPECT_EQ(runner.error().code, ErrorCode::kConfig);
    EXPECT_NE(runner.error().message.find("shipstation-to-mars"), std::string::npos);
    EXPECT_NE(runner.error().message.find("heartbeat"), std::string::npos);
}

TEST(RecipeRegistry, FactoryErrorsSayWhichFlowFailedToBuild) {
    ManualClock clock;
    testing::FakeStateStore store;
    RecipeRegistry registry;
    registry.add("needs-option",
                 [](const FlowConfig&, const Dependencies&) -> Result<std::unique_ptr<FlowRunner>> {
                     return make_error(ErrorCode::kConfig, "option 'warehouse' is required");
                 });
    auto runner = registry.create(flow_config("ship", "needs-option"),
                                  Dependencies{.clock = clock, .store = store});
    ASSERT_FALSE(runner.has_value());
    EXPECT_NE(runner.error().describe().find("ship"), std::string::npos);
}

Result<std::unique_ptr<FlowRunner>> no_runner(const FlowConfig&, const Dependencies&) {
    return make_error(ErrorCode::kConfig, "not built in this test");
}

TEST(RecipeRegistry, InfosListEveryRecipeByNameWithItsDescriptor) {
    RecipeRegistry registry;
    registry.add("b-orders", no_runner,
                 RecipeInfo{.summary = "orders from b",
                            .streams = {{.name = "orders",
                                         .source_system = "b",
                                         .source_record = "order",
                                         .target_system = "c",
                                         .target_record = "order"}}});
    registry.add("a-plain", no_runner);
    const auto infos = registry.infos();
    ASSERT_EQ(infos.size(), 2u);
    EXPECT_EQ(infos[0].name, "a-plain");
    EXPECT_TRUE(infos[0].summary.empty());
    EXPECT_EQ(infos[1].name, "b-orders");
    EXPECT_EQ(infos[1].summary, "orders from b");
    ASSERT_EQ(infos[1].streams.size(), 1u);
    EXPECT_EQ(infos[1].streams[0].target_system, "c");
}

TEST(RecipeRegistry, DescribeAttachesADescriptorAfterRegistration) {
    RecipeRegistry registry;
    registry.add("plain", no_runner);
    registry.describe("plain", RecipeInfo{.summary = "described later"});
    ASSERT_EQ(registry.infos().size(), 1u);
    EXPECT_EQ(registry.infos()[0].name, "plain");
    EXPECT_EQ(registry.infos()[0].summary, "described later");
}

TEST(RecipeRegistryDeathTest, DescribingAnUnknownRecipeIsAStartUpBug) {
    RecipeRegistry registry;
    EXPECT_DEATH(registry.describe("renamed", RecipeInfo{}), "not registered");
}

TEST(RecipeRegistry, HeartbeatIsDescribed) {
    RecipeRegistry registry;
    add_heartbeat_recipe(registry);
    ASSERT_EQ(registry.infos().size(), 1u);
    EXPECT_FALSE(registry.infos()[0].summary.empty());
}

}  // namespace
}  // namespace mlc::engine
