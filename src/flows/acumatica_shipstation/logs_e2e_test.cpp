// JSON logs with fields and the request-level debug trace (issue 17): a sync of the
// acumatica-to-shipstation flow as `mlc sync` runs it (the scheduler's run_flow, the connections'
// requests through net::TracingTransport) with JSON logs at debug level. Every line is one JSON
// object; the run's last line carries flow, run, counts and duration as members; each request is
// one trace line with method, URL, status and duration; each record written is one line naming
// the record, its target and the run; and no secret value in the vault appears anywhere in the log.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "engine/scheduler.hpp"
#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "net/tracing_transport.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

TEST_F(AcumaticaToShipStationTest, JsonDebugLogsCarryFieldsAndTraceEveryRequestWithoutSecrets) {
    std::ostringstream out;
    auto log = make_logger(
        {.format = LogFormat::kJson, .level = LogLevel::kDebug, .stream = &out, .name = "mlc"});
    net::TracingTransport traced(counting_, clock_, log);
    engine::RecipeRegistry registry;
    add_acumatica_shipstation_recipes(registry);
    auto runner = registry.create(flow_, engine::Dependencies{.clock = clock_,
                                                              .store = *store_,
                                                              .config = &config_,
                                                              .vault = &vault_,
                                                              .transport = &traced});
    ASSERT_TRUE(runner) << runner.error().describe();
    engine::Scheduler scheduler(clock_, *store_, *log, {});
    scheduler.add_flow({.name = flow_.name, .every = std::chrono::minutes(5), .jitter = {}},
                       std::move(*runner));
    auto summary = scheduler.run_flow(flow_.name, {});
    ASSERT_TRUE(summary) << summary.error().describe();
    ASSERT_GT(summary->created, 0);
    log->flush();

    int traced_requests = 0;
    int run_lines = 0;
    std::string run;                   // The run line's run id.
    std::vector<std::string> records;  // The run id on each line about one record.
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
        std::error_code error;
        const json::value parsed = json::parse(line, error);
        ASSERT_FALSE(error) << line;
        const json::object& o = parsed.as_object();
        ASSERT_TRUE(o.contains("ts") && o.contains("level") && o.contains("msg")) << line;
        if (o.contains("method")) {
            ++traced_requests;
            EXPECT_EQ(o.at("level").as_string(), "debug");
            EXPECT_TRUE(o.at("url").as_string().starts_with("http")) << line;
            EXPECT_TRUE(o.at("status").is_int64()) << line;
            EXPECT_TRUE(o.at("duration_ms").is_int64()) << line;
        }
        if (o.contains("record")) {
            // A record's step (debug): which record, where it went, in which run.
            EXPECT_EQ(o.at("flow").as_string(), flow_.name) << line;
            EXPECT_EQ(o.at("system").as_string(), "acumatica") << line;
            EXPECT_FALSE(o.at("record").as_string().empty()) << line;
            EXPECT_TRUE(o.contains("event") && o.contains("target")) << line;
            records.push_back(o.contains("run") ? std::string(o.at("run").as_string()) : "");
        } else if (o.contains("outcome")) {
            ++run_lines;
            run = o.at("run").as_string();
            EXPECT_EQ(o.at("flow").as_string(), flow_.name);
            EXPECT_EQ(o.at("outcome").as_string(), "done");
            EXPECT_EQ(o.at("created").as_int64(), summary->created);
            EXPECT_TRUE(o.at("run").as_string().starts_with(flow_.name + "@")) << line;
            EXPECT_TRUE(o.at("duration_ms").is_int64());
        }
    }
    int sent = 0;
    for (const auto& [host, n] : counting_.sent) sent += n;
    EXPECT_EQ(traced_requests, sent);  // One trace line per request, none missed.
    EXPECT_EQ(run_lines, 1);
    // One line per record written, each naming the run its last line names.
    EXPECT_GE(static_cast<std::int64_t>(records.size()), summary->created);
    for (const std::string& id : records) EXPECT_EQ(id, run);
    // No secret of the vault (API keys, the Acumatica password) in any line.
    const std::vector<std::string> names = vault_.list().value();
    ASSERT_FALSE(names.empty());
    for (const std::string& name : names) {
        const std::string value = vault_.get(name).value();
        ASSERT_GE(value.size(), 4u) << name;
        EXPECT_EQ(out.str().find(value), std::string::npos) << "secret " << name << " logged";
    }
}

// A text logger shows the message alone; a vendor's text that looks like fields stays in "msg".
TEST(LogFieldsTest, TextShowsTheMessageAndJsonNeverSplicesForeignText) {
    std::ostringstream text_out;
    auto text = make_logger({.format = LogFormat::kText, .stream = &text_out});
    log_with_fields(*text, spdlog::level::info, "run done",
                    LogFields().add("flow", "f").add("created", 3));
    text->flush();
    EXPECT_NE(text_out.str().find("mlc: run done\n"), std::string::npos) << text_out.str();

    std::ostringstream json_out;
    auto json_log = make_logger({.format = LogFormat::kJson, .stream = &json_out});
    json_log->info("vendor said {}", "x\",\"flow\":\"forged");
    json_log->flush();
    const json::value line = json::parse(json_out.str());
    EXPECT_FALSE(line.as_object().contains("flow")) << json_out.str();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation
