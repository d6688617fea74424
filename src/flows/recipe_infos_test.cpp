#include "flows/recipe_infos.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include <gtest/gtest.h>

#include "flows/acumatica_shipstation/orders_recipe.hpp"
#include "flows/all_recipes.hpp"
#include "flows/amazon_epicor/orders_recipe.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/epicor_ups/shipments_recipe.hpp"
#include "flows/epicor_woocommerce/catalog_recipe.hpp"
#include "flows/epicor_woocommerce/orders_recipe.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"
#include "flows/woo_shipstation/orders_recipe.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows {
namespace {

bool can(const std::vector<connectors::Capability>& capabilities, const std::string& system,
         const std::string& record, bool write) {
    return std::any_of(capabilities.begin(), capabilities.end(), [&](const auto& c) {
        return c.system == system && c.record == record && (write ? c.write : c.read);
    });
}

TEST(RecipeInfos, EveryRegisteredRecipeIsDescribedWithStreams) {
    engine::RecipeRegistry registry;
    add_all_recipes(registry);
    const auto infos = registry.infos();
    EXPECT_EQ(infos.size(), recipe_infos().size());
    for (const auto& info : infos) {
        EXPECT_FALSE(info.summary.empty()) << info.name;
        EXPECT_FALSE(info.streams.empty()) << info.name;
    }
}

TEST(RecipeInfos, EachStreamReadsAReadableRecordAndWritesAWritableOne) {
    const auto capabilities = all_capabilities();
    for (const auto& info : recipe_infos()) {
        for (const auto& s : info.streams) {
            EXPECT_TRUE(can(capabilities, s.source_system, s.source_record, false))
                << info.name << " " << s.name << ": " << s.source_system << " " << s.source_record
                << " is not readable";
            EXPECT_TRUE(can(capabilities, s.target_system, s.target_record, true))
                << info.name << " " << s.name << ": " << s.target_system << " " << s.target_record
                << " is not writable";
        }
    }
}

TEST(RecipeInfos, CapabilitiesNameTheSixSystemsAndKnownRecordTypes) {
    const std::vector<std::string> records = {
        connectors::records::kOrder,  connectors::records::kShipment,
        connectors::records::kItem,   connectors::records::kCustomer,
        connectors::records::kRefund, connectors::records::kSettlement,
        connectors::records::kJournal};
    std::vector<std::string> systems;
    for (const auto& c : all_capabilities()) {
        EXPECT_NE(std::find(records.begin(), records.end(), c.record), records.end()) << c.record;
        EXPECT_FALSE(c.object.empty()) << c.system << " " << c.record;
        if (std::find(systems.begin(), systems.end(), c.system) == systems.end())
            systems.push_back(c.system);
    }
    EXPECT_EQ(systems, (std::vector<std::string>{"shipstation", "epicor", "woocommerce",
                                                 "acumatica", "ups", "amazon"}));
}

// The recipes registered without their descriptors, so create() reaches each recipe's own options
// parser (pipeline::OptionReader) instead of the declared-table check.
engine::RecipeRegistry undescribed_recipes() {
    engine::RecipeRegistry registry;
    shipstation_epicor::add_shipstation_epicor_recipes(registry);
    epicor_woocommerce::add_epicor_woocommerce_catalog_recipes(registry);
    epicor_woocommerce::add_woocommerce_epicor_orders_recipes(registry);
    woo_shipstation::add_woo_shipstation_recipes(registry);
    acumatica_shipstation::add_acumatica_shipstation_recipes(registry);
    epicor_ups::add_epicor_ups_recipes(registry);
    amazon_epicor::add_amazon_epicor_recipes(registry);
    amazon_epicor::add_amazon_settlements_recipe(registry);
    return registry;
}

// The names the parser read, from its "(known: a, b, c)" refusal of an unknown name.
std::set<std::string> known_names(const std::string& message) {
    std::set<std::string> names;
    const auto start = message.find("(known: ");
    if (start == std::string::npos) return names;
    std::string_view rest(message);
    rest = rest.substr(start + 8, rest.find(')', start) - start - 8);
    while (!rest.empty()) {
        const auto comma = rest.find(", ");
        names.emplace(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
    names.erase("none");
    return names;
}

TEST(RecipeOptions, EachDeclaredTableMatchesWhatItsRecipeReads) {
    const auto registry = undescribed_recipes();
    ManualClock clock;
    auto store = store::SqliteStateStore::open(":memory:");
    ASSERT_TRUE(store) << store.error().describe();
    const engine::Dependencies deps{.clock = clock, .store = **store};
    for (const auto& info : recipe_infos()) {
        ASSERT_TRUE(info.declares_options) << info.name;
        std::set<std::string> options;
        for (const auto& spec : info.options) options.insert(spec.name);
        std::set<std::string> tables;
        for (const auto& table : info.tables) tables.insert(table.name);
        engine::FlowConfig flow;
        flow.name = "probe";
        flow.recipe = info.name;
        flow.options["zz_probe"] = "on";
        auto refused = registry.create(flow, deps);
        ASSERT_FALSE(refused) << info.name;
        EXPECT_EQ(known_names(refused.error().message), options) << refused.error().message;
        flow.options.clear();
        flow.mappings["zz_probe"] = {};
        refused = registry.create(flow, deps);
        ASSERT_FALSE(refused) << info.name;
        EXPECT_EQ(known_names(refused.error().message), tables) << refused.error().message;
    }
}

TEST(RecipeOptions, EveryDeclaredDefaultIsAcceptedByTheRecipe) {
    const auto registry = undescribed_recipes();
    ManualClock clock;
    auto store = store::SqliteStateStore::open(":memory:");
    ASSERT_TRUE(store) << store.error().describe();
    const engine::Dependencies deps{.clock = clock, .store = **store};
    for (const auto& info : recipe_infos()) {
        engine::FlowConfig flow;
        flow.name = "probe";
        flow.recipe = info.name;
        for (const auto& spec : info.options) {
            if (spec.default_value.empty()) continue;
            EXPECT_FALSE(engine::option_value_problem(spec, spec.default_value))
                << info.name << " " << spec.name;
            flow.options[spec.name] = spec.default_value;
        }
        EXPECT_TRUE(engine::check_flow_options(flow, info.options, info.tables, "t").empty());
        // Past the options the recipe stops at its missing connections, never at an option.
        auto built = registry.create(flow, deps);
        ASSERT_FALSE(built) << info.name;
        EXPECT_EQ(built.error().message.find("options."), std::string::npos)
            << info.name << ": " << built.error().message;
    }
}

}  // namespace
}  // namespace mlc::flows
