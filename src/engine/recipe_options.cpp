#include "engine/recipe_options.hpp"

#include <algorithm>
#include <charconv>

#include "common/mapping.hpp"
#include "common/time.hpp"

namespace mlc::engine {
namespace {

std::string quoted(std::string_view value) {
    // Appended piece by piece: `"\"" + std::string(...)` trips GCC 12's false -Wrestrict at -O3
    // (GCC bug 105651).
    std::string out;
    out.reserve(value.size() + 2);
    out += '"';
    out += value;
    out += '"';
    return out;
}

std::string either(const std::vector<std::string>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    }
    return out;
}

bool allowed(const std::vector<std::string>& choices, std::string_view value) {
    return std::find(choices.begin(), choices.end(), value) != choices.end();
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

std::optional<std::string> list_problem(const OptionSpec& spec, std::string_view value) {
    std::size_t items = 0;
    std::string_view rest = value;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = trimmed(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (item.empty()) continue;
        ++items;
        if (!spec.choices.empty() && !allowed(spec.choices, item)) {
            return quoted(item) + " is not one of " + either(spec.choices);
        }
    }
    if (items == 0) return "expected a comma-separated list, got " + quoted(value);
    return std::nullopt;
}

std::string option_hint(const OptionSpec& spec, std::string_view value) {
    switch (spec.type) {
        case OptionType::kDuration:
            return "durations look like 30s, 10m, 2h";
        case OptionType::kTime:
            return "e.g. 2024-01-01T00:00:00Z";
        case OptionType::kChoice:
            return did_you_mean(value, spec.choices);
        default:
            return spec.doc;
    }
}

}  // namespace

std::string_view to_string(OptionType type) {
    switch (type) {
        case OptionType::kDuration:
            return "duration";
        case OptionType::kTime:
            return "time";
        case OptionType::kCount:
            return "count";
        case OptionType::kFlag:
            return "flag";
        case OptionType::kText:
            return "text";
        case OptionType::kChoice:
            return "choice";
        case OptionType::kList:
            return "list";
        case OptionType::kPath:
            return "path";
    }
    return "text";
}

std::optional<std::string> option_value_problem(const OptionSpec& spec, std::string_view value) {
    switch (spec.type) {
        case OptionType::kDuration:
            if (parse_duration(value)) return std::nullopt;
            return "not a duration: " + quoted(value);
        case OptionType::kTime:
            if (parse_iso8601(value)) return std::nullopt;
            return "expected an ISO 8601 UTC time, got " + quoted(value);
        case OptionType::kCount: {
            std::uint32_t number = 0;
            const auto [end, ec] =
                std::from_chars(value.data(), value.data() + value.size(), number);
            if (ec == std::errc() && end == value.data() + value.size() && number >= 1 &&
                number <= spec.max) {
                return std::nullopt;
            }
            return "expected a whole number from 1 to " + std::to_string(spec.max) + ", got " +
                   quoted(value);
        }
        case OptionType::kFlag:
            if (value == "true" || value == "false") return std::nullopt;
            return "expected true or false, got " + quoted(value);
        case OptionType::kChoice:
            if (allowed(spec.choices, value)) return std::nullopt;
            return quoted(value) + " is not an allowed value";
        case OptionType::kList:
            return list_problem(spec, value);
        case OptionType::kPath:
            if (!value.empty()) return std::nullopt;
            return "empty path";
        case OptionType::kText:
            return std::nullopt;
    }
    return std::nullopt;
}

namespace {

// Unknown tables (with "did you mean"), then each entry a pattern check refuses (two `*`, a `*`
// in the target only), at the table's line.
void check_tables(const FlowConfig& flow, std::span<const TableSpec> tables, std::string_view file,
                  std::vector<ConfigIssue>& issues) {
    const std::string field = "flows." + flow.name + ".mappings.";
    std::vector<std::string> table_names;
    for (const auto& table : tables) table_names.push_back(table.name);
    for (const auto& [name, rows] : flow.mappings) {
        const auto line = flow.mapping_lines.find(name);
        const int at = line == flow.mapping_lines.end() ? flow.line : line->second;
        if (!allowed(table_names, name)) {
            issues.push_back({.file = std::string(file),
                              .line = at,
                              .field = field + name,
                              .message = "unknown mapping table of recipe " + flow.recipe,
                              .hint = table_names.empty() ? "this recipe takes no mappings"
                                                          : did_you_mean(name, table_names)});
            continue;
        }
        for (const auto& [from, to] : rows) {
            std::string problem = check_mapping(from, to);
            if (problem.empty()) continue;
            issues.push_back({.file = std::string(file),
                              .line = at,
                              .field = field + name,
                              .message = std::move(problem),
                              .hint = "patterns look like \"SKU-*\": \"P*\""});
        }
    }
}

}  // namespace

std::vector<ConfigIssue> check_flow_options(const FlowConfig& flow,
                                            std::span<const OptionSpec> options,
                                            std::span<const TableSpec> tables,
                                            std::string_view file) {
    std::vector<ConfigIssue> issues;
    const std::string field = "flows." + flow.name;
    std::vector<std::string> option_names;
    for (const auto& spec : options) option_names.push_back(spec.name);
    for (const auto& [name, value] : flow.options) {
        const auto line = flow.option_lines.find(name);
        const int at = line == flow.option_lines.end() ? flow.line : line->second;
        // `name` by value: clang 14 (the fuzz build) cannot capture a structured binding.
        const auto spec =
            std::find_if(options.begin(), options.end(),
                         [&option = name](const OptionSpec& s) { return s.name == option; });
        if (spec == options.end()) {
            issues.push_back({.file = std::string(file),
                              .line = at,
                              .field = field + ".options." + name,
                              .message = "unknown option of recipe " + flow.recipe,
                              .hint = option_names.empty() ? "this recipe takes no options"
                                                           : did_you_mean(name, option_names)});
        } else if (auto problem = option_value_problem(*spec, value)) {
            issues.push_back({.file = std::string(file),
                              .line = at,
                              .field = field + ".options." + name,
                              .message = *problem,
                              .hint = option_hint(*spec, value)});
        }
    }
    check_tables(flow, tables, file, issues);
    return issues;
}

void resolve_path_options(FlowConfig& flow, std::span<const OptionSpec> options,
                          const std::filesystem::path& config_file) {
    for (const auto& spec : options) {
        if (spec.type != OptionType::kPath) continue;
        auto value = flow.options.find(spec.name);
        if (value != flow.options.end()) {
            value->second = resolve_config_path(config_file, value->second);
        }
    }
}

}  // namespace mlc::engine
