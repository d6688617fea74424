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

}  // namespace
}  // namespace mlc::engine
