// The one option reader of every recipe: defaults, bounds, and a typo named with its flow.
#include "pipeline/options.hpp"

#include <gtest/gtest.h>

#include "common/time.hpp"

namespace mlc::pipeline {
namespace {

engine::FlowConfig flow(engine::ScalarMap options) {
    engine::FlowConfig out;
    out.name = "shop";
    out.recipe = "some-recipe";
    out.line = 12;
    out.options = std::move(options);
    return out;
}

TEST(OptionReader, ReadsEachTypeAndKeepsDefaultsForWhatIsAbsent) {
    const auto config = flow({{"overlap", "2h"},
                              {"per_page", "50"},
                              {"refunds", "false"},
                              {"statuses", "processing, on-hold"},
                              {"start", "2024-01-01T00:00:00Z"},
                              {"mode", "b"}});
    OptionReader read(config);
    EXPECT_EQ(read.duration("overlap", std::chrono::seconds(60)), std::chrono::hours(2));
    EXPECT_EQ(read.count("per_page", 100, 100), 50u);
    EXPECT_FALSE(read.flag("refunds", true));
    EXPECT_EQ(read.list("statuses", {}),
              (std::set<std::string, std::less<>>{"on-hold", "processing"}));
    EXPECT_EQ(format_iso8601(read.time("start", UtcTime{})), "2024-01-01T00:00:00Z");
    EXPECT_EQ(read.choice("mode", "a", {"a", "b"}), "b");
    EXPECT_EQ(read.text("prefix", "WOO-"), "WOO-");
    EXPECT_TRUE(read.finish());
}

TEST(OptionReader, AnUnknownOptionIsRefusedNamingTheFlowItsLineAndTheKnownOnes) {
    const auto config = flow({{"overlpa", "2h"}});
    OptionReader read(config);
    (void)read.duration("overlap", std::chrono::seconds(60));
    auto done = read.finish();
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, ErrorCode::kConfig);
    EXPECT_NE(done.error().message.find("flow shop (line 12): options.overlpa"), std::string::npos)
        << done.error().message;
    EXPECT_NE(done.error().message.find("known: overlap"), std::string::npos);
}

TEST(OptionReader, ABadValueIsRefusedWithWhatWasExpected) {
    const auto config = flow({{"per_page", "500"}});
    OptionReader read(config);
    EXPECT_EQ(read.count("per_page", 100, 100), 100u);
    auto done = read.finish();
    ASSERT_FALSE(done);
    EXPECT_NE(done.error().message.find("from 1 to 100"), std::string::npos);
}

}  // namespace
}  // namespace mlc::pipeline
