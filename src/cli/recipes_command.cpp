// `mlc recipes [NAME] [--json]`: what can be paired; with NAME, one recipe's streams and its
// option declaration table (name, type, allowed values, default, doc) and mapping tables. Each
// connector's capabilities (system x record type: R = it can be a recipe's source, W = a target;
// connectors/<system>/<system>_capabilities.hpp), the recipes this binary carries with their
// streams (engine::RecipeInfo, src/flows/ recipe_infos.cpp), and the pairs of a readable and a
// writable record of the same type that no recipe joins yet. Reads no config and touches no vendor.
// Exit 0.
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

std::string allowed_values(const engine::OptionSpec& spec) {
    std::string out;
    for (const auto& value : spec.choices) out += (out.empty() ? "" : "|") + value;
    if (spec.type == engine::OptionType::kCount) out = "1.." + std::to_string(spec.max);
    return out;
}

// `mlc recipes NAME`: one recipe, its streams and the options and mapping tables it accepts.
void print_recipe(const engine::RecipeInfo& recipe) {
    std::cout << recipe.name << "\n  " << recipe.summary << "\n\nStreams:\n";
    for (const auto& s : recipe.streams) {
        std::cout << fmt::format("  {:<10} {} {} -> {} {}\n", s.name, s.source_system,
                                 s.source_record, s.target_system, s.target_record);
    }
    if (!recipe.declares_options) {
        std::cout << "\nOptions: not declared\n";
        return;
    }
    std::cout << "\nOptions (flows.<name>.options):\n";
    if (recipe.options.empty()) std::cout << "  none\n";
    for (const auto& o : recipe.options) {
        std::string type(engine::to_string(o.type));
        if (const auto values = allowed_values(o); !values.empty()) type += " " + values;
        std::cout << fmt::format("  {:<26} {:<34} {:<22} {}\n", o.name, type,
                                 o.default_value.empty() ? "-" : o.default_value, o.doc);
    }
    std::cout << "\nMappings (flows.<name>.mappings):\n";
    if (recipe.tables.empty()) std::cout << "  none\n";
    for (const auto& t : recipe.tables) std::cout << fmt::format("  {:<26} {}\n", t.name, t.doc);
}

json::array options_json(const engine::RecipeInfo& recipe) {
    json::array options;
    for (const auto& o : recipe.options) {
        options.push_back(json::object{{"name", o.name},
                                       {"type", engine::to_string(o.type)},
                                       {"choices", json::value_from(o.choices)},
                                       {"default", o.default_value},
                                       {"max", o.max},
                                       {"doc", o.doc}});
    }
    return options;
}

json::object endpoint(const std::string& system, const std::string& record) {
    return {{"system", system}, {"record", record}};
}

json::object recipe_json(const engine::RecipeInfo& recipe) {
    json::array streams;
    for (const auto& s : recipe.streams) {
        streams.push_back(json::object{{"name", s.name},
                                       {"source", endpoint(s.source_system, s.source_record)},
                                       {"target", endpoint(s.target_system, s.target_record)},
                                       {"note", s.note}});
    }
    json::array tables;
    for (const auto& t : recipe.tables)
        tables.push_back(json::object{{"name", t.name}, {"doc", t.doc}});
    return {{"name", recipe.name},
            {"summary", recipe.summary},
            {"streams", std::move(streams)},
            {"options", options_json(recipe)},
            {"mappings", std::move(tables)}};
}

json::array recipes_json(const Catalog& catalog) {
    json::array recipes;
    for (const auto& recipe : catalog.recipes) recipes.push_back(recipe_json(recipe));
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

int run_recipe(const Catalog& catalog, const std::string& name, bool as_json) {
    std::vector<std::string> names;
    for (const auto& recipe : catalog.recipes) {
        if (recipe.name != name) {
            names.push_back(recipe.name);
            continue;
        }
        if (as_json) {
            std::cout << json::serialize(recipe_json(recipe)) << "\n";
        } else {
            print_recipe(recipe);
        }
        return kExitOk;
    }
    std::cerr << "mlc: no recipe named '" << name << "' (" << engine::did_you_mean(name, names)
              << ")\n";
    return kExitUsage;
}

int run_recipes(const std::string& name, bool as_json) {
    const Catalog catalog = load_catalog();
    if (!name.empty()) return run_recipe(catalog, name, as_json);
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
    auto name = std::make_shared<std::string>();
    auto* recipes = app.add_subcommand("recipes", kRecipesDescription);
    recipes->add_option("NAME", *name,
                        "One recipe: its streams and the options and mapping tables it accepts "
                        "(type, allowed values, default, what each does)");
    recipes->add_flag("--json", *as_json, "One JSON object instead of tables");
    recipes->callback([&exit_code, as_json, name] { exit_code = run_recipes(*name, *as_json); });
}

}  // namespace mlc::cli
