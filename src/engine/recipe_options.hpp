#pragma once
// What a recipe's `options:` and `mappings:` may hold, declared once per recipe as a table
// (OptionSpec, TableSpec; src/flows/recipe_infos.cpp), and one validator over any such table:
// `mlc config check` and RecipeRegistry::create() both call check_flow_options(), so an unknown
// option ("did you mean"), a value that is not of its type or not an allowed value, each comes
// back as a ConfigIssue with its line, every one in a single pass.
//
// The value rules are those of pipeline::OptionReader, which reads the options in the recipe:
//   duration  "30s", "10m", "2h" (engine::parse_duration)
//   time      ISO 8601 UTC "2024-01-01T00:00:00Z"
//   count     a whole number from 1 to `max`
//   flag      true | false
//   choice    one of `choices`
//   list      comma-separated, non-empty; each item one of `choices` when any are given
//   text      anything
//   path      a file or folder; relative to the config file's folder (resolve_path_options)
//
// Pure functions over plain data; thread safety: none needed.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"

namespace mlc::engine {

enum class OptionType { kDuration, kTime, kCount, kFlag, kText, kChoice, kList, kPath };

struct OptionSpec {
    std::string name = {};
    OptionType type = OptionType::kText;
    std::vector<std::string> choices = {};  // kChoice: allowed values; kList: allowed items.
    std::string default_value = {};         // As written in mlc.yaml; empty: none / computed.
    std::uint32_t max = 0;                  // kCount: 1..max.
    std::string doc = {};                   // One line.
};

struct TableSpec {
    std::string name = {};
    std::string doc = {};  // "ShipStation SKU -> Epicor PartNum"
};

// "duration", "count", ...
std::string_view to_string(OptionType type);

// Why `value` does not fit `spec` ("expected a whole number from 1 to 500, got \"0\""), or none.
std::optional<std::string> option_value_problem(const OptionSpec& spec, std::string_view value);

// Every problem of `flow`'s options and mapping tables against the declarations, each with the
// line of the value (unknown names: a did-you-mean hint, else the known names).
std::vector<ConfigIssue> check_flow_options(const FlowConfig& flow,
                                            std::span<const OptionSpec> options,
                                            std::span<const TableSpec> tables,
                                            std::string_view file);

// Resolves the flow's relative kPath options against the folder of `config_file`.
void resolve_path_options(FlowConfig& flow, std::span<const OptionSpec> options,
                          const std::filesystem::path& config_file);

}  // namespace mlc::engine
