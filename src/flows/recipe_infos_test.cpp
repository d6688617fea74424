#include "flows/recipe_infos.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "flows/all_recipes.hpp"

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

}  // namespace
}  // namespace mlc::flows
