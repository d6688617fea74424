// mlc.yaml as `mlc config check` and the daemon read it (engine/config.hpp: YAML -> Config with
// every issue located), the vault check of its secret names, and each flow's options and mappings
// as the recipes read them (pipeline::OptionReader): every option's text through every typed read
// (duration, ISO 8601 time, count, flag, choice, list) and every mapping table.
//
// Input: the YAML text.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/config.hpp"
#include "pipeline/options.hpp"

namespace {

using namespace std::chrono_literals;

void read_options(const mlc::engine::FlowConfig& flow) {
    mlc::pipeline::OptionReader read(flow);
    for (const auto& [name, text] : flow.options) {
        (void)read.duration(name, 10min);
        (void)read.time(name, mlc::UtcTime{});
        (void)read.count(name, 100, 500);
        (void)read.flag(name, false);
        (void)read.text(name, "");
        (void)read.choice(name, "update", {"update", "skip", "park"});
        (void)read.list(name, {});
    }
    for (const auto& [table, entries] : flow.mappings) (void)read.mapping(table);
    (void)read.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const mlc::engine::ConfigParse parsed = mlc::engine::parse_config(text, "fuzz.yaml");
    for (const mlc::engine::ConfigIssue& issue : parsed.issues) (void)issue.describe();
    if (!parsed.issues.empty()) return 0;
    for (const auto& issue : mlc::engine::check_secrets(parsed.config, {"ss_key", "ss_secret"})) {
        (void)issue.describe();
    }
    for (const auto& [name, flow] : parsed.config.flows) read_options(flow);
    return 0;
}
