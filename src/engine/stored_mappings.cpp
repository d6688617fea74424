#include "engine/stored_mappings.hpp"

#include <boost/json.hpp>

namespace mlc::engine {
namespace {

namespace json = boost::json;

Error damaged(std::string_view flow, std::string_view why) {
    return make_error(ErrorCode::kConfig, "store",
                      "the stored mappings of flow " + std::string(flow) + " are damaged (" +
                          std::string(why) + "): list them with `mlc mappings list " +
                          std::string(flow) + "` and set them again");
}

Result<FlowMappings> parse(std::string_view flow, const std::string& text) {
    json::error_code ec;
    const json::value parsed = json::parse(text, ec);
    if (ec || !parsed.is_object()) return damaged(flow, "not a JSON object");
    FlowMappings out;
    for (const auto& [table, entries] : parsed.as_object()) {
        if (!entries.is_object())
            return damaged(flow, "table " + std::string(table) + " is not an object");
        MappingTable& rows = out[std::string(table)];
        for (const auto& [from, to] : entries.as_object()) {
            if (!to.is_string())
                return damaged(flow, "entry " + std::string(from) + " is not text");
            rows.emplace(std::string(from), std::string(to.as_string()));
        }
    }
    return out;
}

std::string serialise(const FlowMappings& mappings) {
    json::object out;
    for (const auto& [table, entries] : mappings) {
        if (entries.empty()) continue;
        json::object rows;
        for (const auto& [from, to] : entries) rows[from] = to;
        out[table] = std::move(rows);
    }
    return json::serialize(out);
}

}  // namespace

std::string stored_mappings_key(std::string_view flow) { return "mappings:" + std::string(flow); }

Result<FlowMappings> load_stored_mappings(store::StateStore& store, std::string_view flow) {
    MLC_TRY(auto text, store.get_setting(stored_mappings_key(flow)));
    if (!text) return FlowMappings{};
    return parse(flow, *text);
}

Result<MappingChange> store_mappings(store::StateStore& store, std::string_view flow,
                                     std::string_view table, const MappingTable& entries) {
    for (const auto& [from, to] : entries) {
        if (auto problem = check_mapping(from, to); !problem.empty()) {
            return make_error(ErrorCode::kInvalidInput, "mappings",
                              "flow " + std::string(flow) + ", table " + std::string(table) + ": " +
                                  problem + " (nothing was stored)");
        }
    }
    MLC_TRY(auto mappings, load_stored_mappings(store, flow));
    MappingTable& rows = mappings[std::string(table)];
    MappingChange change;
    for (const auto& [from, to] : entries) {
        auto [at, added] = rows.try_emplace(from, to);
        if (added) {
            ++change.added;
        } else if (at->second != to) {
            at->second = to;
            ++change.changed;
        } else {
            ++change.unchanged;
        }
    }
    MLC_CHECK(store.put_setting(stored_mappings_key(flow), serialise(mappings)));
    return change;
}

Result<bool> remove_stored_mapping(store::StateStore& store, std::string_view flow,
                                   std::string_view table, std::string_view from) {
    MLC_TRY(auto mappings, load_stored_mappings(store, flow));
    auto rows = mappings.find(table);
    if (rows == mappings.end() || rows->second.erase(std::string(from)) == 0) return false;
    MLC_CHECK(store.put_setting(stored_mappings_key(flow), serialise(mappings)));
    return true;
}

Result<void> check_stored_table(const RecipeRegistry& registry, const FlowConfig& flow,
                                std::string_view table, const MappingTable& entries) {
    FlowConfig candidate = flow;
    candidate.options.clear();  // Only the table is judged here.
    candidate.mappings = {{std::string(table), entries}};
    const auto issues = registry.check_options(candidate, "mappings");
    if (issues.empty()) return ok();
    std::string all;
    for (const auto& issue : issues) {
        all += "\n  " + issue.field + ": " + issue.message;
        if (!issue.hint.empty()) all += " (" + issue.hint + ")";
    }
    return make_error(
        ErrorCode::kConfig, "mappings",
        "flow " + flow.name + ", table " + std::string(table) + ": nothing was stored:" + all);
}

Result<FlowConfig> with_stored_mappings(const FlowConfig& flow, store::StateStore& store) {
    MLC_TRY(auto stored, load_stored_mappings(store, flow.name));
    FlowConfig merged = flow;
    for (const auto& [table, entries] : stored) {
        auto& rows = merged.mappings[table];
        for (const auto& [from, to] : entries) rows[from] = to;
    }
    return merged;
}

}  // namespace mlc::engine
