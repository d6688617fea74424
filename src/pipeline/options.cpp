#include "pipeline/options.hpp"

#include <algorithm>
#include <charconv>

#include "common/time.hpp"

namespace mlc::pipeline {
namespace {

bool listed(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

void note(std::vector<std::string>& names, std::string_view name) {
    if (!listed(names, name)) names.emplace_back(name);
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "none" : out;
}

}  // namespace

const std::string* OptionReader::find(std::string_view name) {
    note(known_options_, name);
    auto it = flow_.options.find(name);
    return it == flow_.options.end() ? nullptr : &it->second;
}

void OptionReader::fail(std::string_view name, std::string message) {
    if (error_) return;
    error_ = make_error(ErrorCode::kConfig, "flow " + flow_.name + " (line " +
                                                std::to_string(flow_.line) + "): options." +
                                                std::string(name) + ": " + std::move(message));
}

std::chrono::seconds OptionReader::duration(std::string_view name, std::chrono::seconds fallback) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    auto parsed = engine::parse_duration(*text);
    if (!parsed) {
        fail(name, parsed.error().message + " (durations look like 30s, 10m, 2h)");
        return fallback;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

UtcTime OptionReader::time(std::string_view name, UtcTime fallback) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    auto parsed = parse_iso8601(*text);
    if (!parsed) {
        fail(name,
             "expected an ISO 8601 UTC time such as 2024-01-01T00:00:00Z, got \"" + *text + "\"");
        return fallback;
    }
    return *parsed;
}

std::uint32_t OptionReader::count(std::string_view name, std::uint32_t fallback,
                                  std::uint32_t max) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value == 0 || value > max) {
        fail(name, "expected a whole number from 1 to " + std::to_string(max) + ", got \"" + *text +
                       "\"");
        return fallback;
    }
    return value;
}

bool OptionReader::flag(std::string_view name, bool fallback) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    if (*text == "true") return true;
    if (*text == "false") return false;
    fail(name, "expected true or false, got \"" + *text + "\"");
    return fallback;
}

std::string OptionReader::text(std::string_view name, std::string fallback) {
    const std::string* text = find(name);
    return text == nullptr ? fallback : *text;
}

std::string OptionReader::choice(std::string_view name, std::string fallback,
                                 std::initializer_list<std::string_view> choices) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    std::string known;
    std::size_t index = 0;
    for (std::string_view choice : choices) {
        if (*text == choice) return *text;
        known += (index == 0                    ? ""
                  : index + 1 == choices.size() ? " or "
                                                : ", ") +
                 std::string(choice);
        ++index;
    }
    fail(name, "expected " + known + ", got \"" + *text + "\"");
    return fallback;
}

std::set<std::string, std::less<>> OptionReader::list(std::string_view name,
                                                      std::set<std::string, std::less<>> fallback) {
    const std::string* text = find(name);
    if (text == nullptr) return fallback;
    std::set<std::string, std::less<>> out;
    std::string_view rest = *text;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace(item);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (out.empty()) fail(name, "expected a comma-separated list, got \"" + *text + "\"");
    return out;
}

engine::ScalarMap OptionReader::mapping(std::string_view name) {
    note(known_tables_, name);
    auto it = flow_.mappings.find(name);
    return it == flow_.mappings.end() ? engine::ScalarMap{} : it->second;
}

Result<void> OptionReader::finish() const {
    if (error_) return *error_;
    for (const auto& [name, value] : flow_.options) {
        if (listed(known_options_, name)) continue;
        return make_error(ErrorCode::kConfig,
                          "flow " + flow_.name + " (line " + std::to_string(flow_.line) +
                              "): options." + name + ": unknown option of recipe " + flow_.recipe +
                              " (known: " + joined(known_options_) + ")");
    }
    for (const auto& [table, rows] : flow_.mappings) {
        if (listed(known_tables_, table)) continue;
        return make_error(ErrorCode::kConfig,
                          "flow " + flow_.name + " (line " + std::to_string(flow_.line) +
                              "): mappings." + table + ": unknown table of recipe " + flow_.recipe +
                              " (known: " + joined(known_tables_) + ")");
    }
    return ok();
}

}  // namespace mlc::pipeline
