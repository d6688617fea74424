#pragma once
// OptionReader: how every recipe reads its `options:` and `mappings:` (PIPELINES.md lesson 11),
// once: each read names an option, its type, its default and its bounds; finish() then refuses
// any option or mapping table the recipe never read (a typo such as `overlpa` is an error naming
// the flow, its line and the known names), and the first bad value, as kConfig naming the fix.
//
//   pipeline::OptionReader read(flow);
//   options.overlap = read.duration("overlap", std::chrono::minutes(10));
//   options.per_page = read.count("per_page", 100, 100);
//   MLC_CHECK(read.finish());
//
// Lifecycle: one per parse. Thread safety: none. Ownership: borrows the flow's config.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"

namespace mlc::pipeline {

class OptionReader {
  public:
    explicit OptionReader(const engine::FlowConfig& flow) : flow_(flow) {}

    std::chrono::seconds duration(std::string_view name, std::chrono::seconds fallback);
    // An ISO 8601 UTC time ("2024-01-01T00:00:00Z").
    UtcTime time(std::string_view name, UtcTime fallback);
    // A whole number from 1 to `max`.
    std::uint32_t count(std::string_view name, std::uint32_t fallback, std::uint32_t max);
    bool flag(std::string_view name, bool fallback);
    std::string text(std::string_view name, std::string fallback);
    // One of `choices`.
    std::string choice(std::string_view name, std::string fallback,
                       std::initializer_list<std::string_view> choices);
    // A comma-separated list ("processing,on-hold").
    std::set<std::string, std::less<>> list(std::string_view name,
                                            std::set<std::string, std::less<>> fallback);
    // The mapping table `name` (empty when absent).
    engine::ScalarMap mapping(std::string_view name);

    // A value the recipe checks itself (a field name, a currency code) is refused.
    void reject(std::string_view name, std::string message) { fail(name, std::move(message)); }

    // kConfig for the first bad value, or for an option or table no read asked for.
    Result<void> finish() const;

  private:
    const std::string* find(std::string_view name);
    void fail(std::string_view name, std::string message);

    const engine::FlowConfig& flow_;
    std::vector<std::string> known_options_;  // In the order the recipe reads them.
    std::vector<std::string> known_tables_;
    std::optional<Error> error_;
};

}  // namespace mlc::pipeline
