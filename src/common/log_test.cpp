#include "common/log.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace mlc {
namespace {

TEST(Logger, WritesJsonLinesWithTheFourFields) {
    std::ostringstream out;
    auto logger = make_logger({.format = LogFormat::kJson, .stream = &out, .name = "engine"});
    logger->info("order {} written", "SS-1001");
    logger->flush();
    const std::string line = out.str();
    EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u) << line;
    EXPECT_NE(line.find("Z\",\"level\":\"info\",\"logger\":\"engine\",\"msg\":\"order SS-1001 "
                        "written\"}\n"),
              std::string::npos)
        << line;
}

TEST(Logger, EscapesJsonSpecialCharacters) {
    std::ostringstream out;
    auto logger = make_logger({.format = LogFormat::kJson, .stream = &out});
    logger->warn("quote \" backslash \\ newline \n tab \t bell \x07");
    EXPECT_NE(out.str().find(R"(quote \" backslash \\ newline \n tab \t bell \u0007)"),
              std::string::npos)
        << out.str();
    EXPECT_EQ(out.str().find('\n'), out.str().size() - 1);  // One line per message.
}

TEST(Logger, TextFormatNamesLevelAndLogger) {
    std::ostringstream out;
    auto logger = make_logger({.stream = &out, .name = "scheduler"});
    logger->error("flow orders failed");
    EXPECT_NE(out.str().find("Z error scheduler: flow orders failed"), std::string::npos)
        << out.str();
}

TEST(Logger, DropsMessagesBelowTheLevel) {
    std::ostringstream out;
    auto logger = make_logger({.level = LogLevel::kWarn, .stream = &out});
    logger->info("hidden");
    logger->debug("hidden too");
    logger->flush();
    EXPECT_EQ(out.str(), "");
}

TEST(Logger, TwoLoggersWithTheSameNameKeepTheirOwnSinks) {
    std::ostringstream first;
    std::ostringstream second;
    auto a = make_logger({.stream = &first, .name = "mlc"});
    auto b = make_logger({.stream = &second, .name = "mlc"});
    a->warn("to first");
    b->warn("to second");
    EXPECT_EQ(first.str().find("to second"), std::string::npos);
    EXPECT_NE(second.str().find("to second"), std::string::npos);
}

TEST(LogWords, ParseConfigValues) {
    EXPECT_EQ(parse_log_format("json").value(), LogFormat::kJson);
    EXPECT_EQ(parse_log_level("debug").value(), LogLevel::kDebug);
    const auto bad = parse_log_level("verbose");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
    EXPECT_NE(bad.error().message.find("verbose"), std::string::npos);
    EXPECT_FALSE(parse_log_format("xml"));
    EXPECT_EQ(to_string(LogLevel::kError), "error");
    EXPECT_EQ(to_string(LogFormat::kText), "text");
}

}  // namespace
}  // namespace mlc
