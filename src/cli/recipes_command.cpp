// `mlc recipes [--json]`: what can be paired. Each connector's capabilities (system x record type:
// R = it can be a recipe's source, W = a target; connectors/<system>/<system>_capabilities.hpp),
// the recipes this binary carries with their streams (engine::RecipeInfo, src/flows/
// recipe_infos.cpp), and the pairs of a readable and a writable record of the same type that no
// recipe joins yet. Reads no config and touches no vendor. Exit 0.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"
#include "flows/all_recipes.hpp"

namespace mlc::cli {

namespace {

namespace json = boost::json;
using connectors::Capability;

constexpr const char* kRecipesDescription =
    "List what can be paired: each system's record types with R (a recipe can read them: a "
    "source) and W (a recipe can write them: a target), the recipes this binary carries with "
    "their streams (source system/record -> target system/record), and the readable/writable "
    "pairs no recipe joins yet. Reads no config and calls no vendor.";
constexpr const char* kPairingRule =
    "Any readable record can feed any writable one of the same record type through a recipe.";

// A readable record of one system and a writable one of the same type in another.
struct Pair {
    std::string source_system;
    std::string target_system;
    std::string record;
};

struct Catalog {
    std::vector<Capability> capabilities;
    std::vector<engine::RecipeInfo> recipes;
    std::vector<std::string> systems;  // In the order the connectors list them.
    std::vector<std::string> records;  // Likewise.
    std::vector<Pair> open_pairs;      // No recipe stream joins them.
};

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool can(const Catalog& catalog, const std::string& system, const std::string& record, bool write) {
    return std::any_of(
        catalog.capabilities.begin(), catalog.capabilities.end(), [&](const Capability& c) {
            return c.system == system && c.record == record && (write ? c.write : c.read);
        });
}

bool joined(const Catalog& catalog, const Pair& pair) {
    for (const auto& recipe : catalog.recipes) {
        for (const auto& s : recipe.streams) {
            if (s.source_system == pair.source_system && s.target_system == pair.target_system &&
                s.source_record == pair.record && s.target_record == pair.record) {
                return true;
            }
        }
    }
    return false;
}

Catalog load_catalog() {
    Catalog catalog{.capabilities = flows::all_capabilities(),
                    .recipes = make_recipe_registry().infos(),
                    .systems = {},
                    .records = {},
                    .open_pairs = {}};
    for (const auto& c : catalog.capabilities) {
        add_unique(catalog.systems, c.system);
        add_unique(catalog.records, c.record);
    }
    for (const auto& record : catalog.records) {
        for (const auto& source : catalog.systems) {
            if (!can(catalog, source, record, false)) continue;
            for (const auto& target : catalog.systems) {
                Pair pair{.source_system = source, .target_system = target, .record = record};
                if (target != source && can(catalog, target, record, true) &&
                    !joined(catalog, pair)) {
                    catalog.open_pairs.push_back(std::move(pair));
                }
            }
        }
    }
    return catalog;
}

std::string flags(const Catalog& catalog, const std::string& system, const std::string& record) {
    std::string out;
    if (can(catalog, system, record, false)) out += 'R';
    if (can(catalog, system, record, true)) out += 'W';
    return out.empty() ? "-" : out;
}

void print_capabilities(const Catalog& catalog) {
    std::size_t width = 6;  // "record"
    for (const auto& record : catalog.records) width = std::max(width, record.size());
    std::cout << "Systems and records (R: read, can be a source; W: write, can be a target):\n\n";
    std::cout << fmt::format("  {:<{}}", "record", width);
    for (const auto& system : catalog.systems) std::cout << "  " << system;
    std::cout << "\n";
    for (const auto& record : catalog.records) {
        std::string row = fmt::format("  {:<{}}", record, width);
        for (const auto& system : catalog.systems) {
            row += fmt::format("  {:<{}}", flags(catalog, system, record), system.size());
        }
        row.erase(row.find_last_not_of(' ') + 1);
        std::cout << row << "\n";
    }
    std::cout << "\n";
    for (const auto& c : catalog.capabilities) {
        const std::string rw = c.read && c.write ? "RW" : c.read ? "R" : c.write ? "W" : "-";
        std::cout << fmt::format("  {:<12} {:<9} {:<2}  {}", c.system, c.record, rw, c.object);
        if (!c.note.empty()) std::cout << " - " << c.note;
        std::cout << "\n";
    }
}

void print_recipes(const Catalog& catalog) {
    std::cout << "\nRecipes:\n";
    for (const auto& recipe : catalog.recipes) {
        std::cout << "\n  " << recipe.name << "\n";
        std::cout << "    " << (recipe.summary.empty() ? "(not described)" : recipe.summary)
                  << "\n";
        for (const auto& s : recipe.streams) {
            std::cout << fmt::format("    {:<10} {} {} -> {} {}", s.name, s.source_system,
                                     s.source_record, s.target_system, s.target_record);
            if (!s.note.empty()) std::cout << " (" << s.note << ")";
            std::cout << "\n";
        }
    }
    std::cout << "\n" << kPairingRule << "\n";
    if (catalog.open_pairs.empty()) {
        std::cout << "Every such pair has a recipe.\n";
        return;
    }
    std::cout << "Pairs no recipe joins yet:\n";
    for (const auto& pair : catalog.open_pairs) {
        std::cout << fmt::format("  {} {} -> {} {}\n", pair.source_system, pair.record,
                                 pair.target_system, pair.record);
    }
}

json::object endpoint(const std::string& system, const std::string& record) {
    return {{"system", system}, {"record", record}};
}

json::array recipes_json(const Catalog& catalog) {
    json::array recipes;
    for (const auto& recipe : catalog.recipes) {
        json::array streams;
        for (const auto& s : recipe.streams) {
            streams.push_back(json::object{{"name", s.name},
                                           {"source", endpoint(s.source_system, s.source_record)},
                                           {"target", endpoint(s.target_system, s.target_record)},
                                           {"note", s.note}});
        }
        recipes.push_back(json::object{
            {"name", recipe.name}, {"summary", recipe.summary}, {"streams", std::move(streams)}});
    }
    return recipes;
}

json::object catalog_json(const Catalog& catalog) {
    json::array capabilities;
    for (const auto& c : catalog.capabilities) {
        capabilities.push_back(json::object{{"system", c.system},
                                            {"record", c.record},
                                            {"object", c.object},
                                            {"read", c.read},
                                            {"write", c.write},
                                            {"note", c.note}});
    }
    json::array open_pairs;
    for (const auto& pair : catalog.open_pairs) {
        open_pairs.push_back(json::object{{"source", endpoint(pair.source_system, pair.record)},
                                          {"target", endpoint(pair.target_system, pair.record)}});
    }
    return {{"systems", json::value_from(catalog.systems)},
            {"records", json::value_from(catalog.records)},
            {"capabilities", std::move(capabilities)},
            {"recipes", recipes_json(catalog)},
            {"rule", kPairingRule},
            {"open_pairs", std::move(open_pairs)}};
}

int run_recipes(bool as_json) {
    const Catalog catalog = load_catalog();
    if (as_json) {
        std::cout << json::serialize(catalog_json(catalog)) << "\n";
        return kExitOk;
    }
    print_capabilities(catalog);
    print_recipes(catalog);
    return kExitOk;
}

}  // namespace

void add_recipes_command(CLI::App& app, CliContext& /*ctx*/, int& exit_code) {
    auto as_json = std::make_shared<bool>(false);
    auto* recipes = app.add_subcommand("recipes", kRecipesDescription);
    recipes->add_flag("--json", *as_json, "One JSON object instead of tables");
    recipes->callback([&exit_code, as_json] { exit_code = run_recipes(*as_json); });
}

}  // namespace mlc::cli
