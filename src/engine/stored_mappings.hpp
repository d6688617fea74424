#pragma once
// Mappings kept in the state store beside those of mlc.yaml: what an operator adds from the
// console ("map this unknown SKU") or imports from a spreadsheet (`mlc mappings import`), so a
// fix needs no edit of the config file. Every flow reads them where it reads mlc.yaml's: they
// are merged into the flow's config before its runner is built (cli/flow_setup.cpp), and a
// stored entry wins over the file's for the same key (the later, deliberate decision).
//
// Storage: one store setting per flow, "mappings:<flow>", a JSON object {table: {from: to}}.
// A running daemon sees a change when it rebuilds its runners: at once for a change made in its
// own console, on SIGHUP for one made by another process (`mlc mappings import`).
//
// Thread safety: as the store's; two writers of one flow's mappings at the same instant may lose
// one change (the last write wins), which the audit trail shows. Ownership: borrows the store.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/mapping.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "store/state_store.hpp"

namespace mlc::engine {

using FlowMappings = std::map<std::string, MappingTable, std::less<>>;  // table -> entries

std::string stored_mappings_key(std::string_view flow);

// The flow's stored tables (empty when none). kConfig naming the fix when the setting is damaged.
Result<FlowMappings> load_stored_mappings(store::StateStore& store, std::string_view flow);

struct MappingChange {
    std::size_t added = 0;
    std::size_t changed = 0;
    std::size_t unchanged = 0;
};

// Adds or overwrites `entries` in the flow's stored `table` (every entry checked first with
// check_mapping: nothing is written when one is bad).
Result<MappingChange> store_mappings(store::StateStore& store, std::string_view flow,
                                     std::string_view table, const MappingTable& entries);
// Removes one stored entry; false when it was not stored (a mapping of mlc.yaml is edited there).
Result<bool> remove_stored_mapping(store::StateStore& store, std::string_view flow,
                                   std::string_view table, std::string_view from);

// Whether the flow's recipe takes `table` with `entries` in it, as `mlc config check` would judge
// it (unknown table with did-you-mean, a bad pattern): kConfig listing every problem.
Result<void> check_stored_table(const RecipeRegistry& registry, const FlowConfig& flow,
                                std::string_view table, const MappingTable& entries);

// `flow` with its stored tables merged over its own (stored entries win).
Result<FlowConfig> with_stored_mappings(const FlowConfig& flow, store::StateStore& store);

}  // namespace mlc::engine
