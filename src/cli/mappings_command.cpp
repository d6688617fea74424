// `mlc mappings list|set|remove|import`: the mapping tables of a flow (SKU -> part, customer,
// carrier, GL account, ...) kept in the state store beside mlc.yaml's (engine/stored_mappings.hpp),
// so a spreadsheet of 500 SKUs is one command, not 500 lines of YAML. Every table name is checked
// against the flow's recipe and every entry as config check would (patterns with one `*`); an
// import stores nothing unless every row is good, and each change is an audit event. A running
// daemon applies a change on SIGHUP (`systemctl reload mlc`, `kill -HUP <pid>`); one made in its
// console applies at once. Exit codes: 0 done, 1 store trouble, 2 a bad flow, table, entry or file.
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/flow_setup.hpp"
#include "common/mapping_csv.hpp"
#include "engine/stored_mappings.hpp"

namespace mlc::cli {
namespace {

constexpr std::size_t kImportBytesMax = 64 * 1024 * 1024;
constexpr const char* kApplyHint =
    "a running `mlc run` applies it on SIGHUP (systemctl reload mlc, or kill -HUP <pid>)";

struct MappingOptions {
    std::string flow;
    std::string table;
    std::string from;
    std::string to;
    std::string file;
    bool dry_run = false;
};

Error config_error(std::string message) {
    return make_error(ErrorCode::kConfig, "mappings", std::move(message));
}

Result<const engine::FlowConfig*> find_flow(const engine::Config& config, const std::string& name) {
    auto flow = config.flows.find(name);
    if (flow != config.flows.end()) return &flow->second;
    std::string known;
    for (const auto& [n, f] : config.flows) known += (known.empty() ? "" : ", ") + n;
    return config_error("no flow named '" + name + "' in " + config.file +
                        " (flows: " + (known.empty() ? "none" : known) + ")");
}

Result<void> check_table(const engine::FlowConfig& flow, const std::string& table,
                         const MappingTable& entries) {
    return engine::check_stored_table(make_recipe_registry(), flow, table, entries);
}

// The change on the audit trail (flow, "mlc:mappings:<table>"): who ran it shows in the host's
// own login records; the console's changes name their user.
void audit(CliContext& ctx, store::StateStore& store, const std::string& flow,
           const std::string& table, const std::string& detail) {
    auto appended = store.append_audit({.flow = flow,
                                        .direction = "",
                                        .source_ref = "mlc:cli",
                                        .target_ref = "mlc:mappings:" + table,
                                        .action = store::AuditAction::kUpdate,
                                        .outcome = "ok",
                                        .attempt = 1,
                                        .at = ctx.clock().now(),
                                        .detail = detail});
    if (!appended)
        std::cerr << "mlc: warning: not audited: " << appended.error().describe() << "\n";
}

struct Opened {
    engine::Config config;
    std::unique_ptr<store::StateStore> store;
    const engine::FlowConfig* flow = nullptr;
};

Result<Opened> open_flow(CliContext& ctx, const std::string& flow) {
    Opened out;
    MLC_TRY(out.config, ctx.load_config());
    MLC_TRY(out.store, ctx.open_store(out.config));
    if (!flow.empty()) {
        MLC_TRY(out.flow, find_flow(out.config, flow));
    }
    return out;
}

void print_flow(const engine::FlowConfig& flow, const engine::FlowMappings& stored) {
    std::set<std::string> tables;
    for (const auto& [t, rows] : flow.mappings) tables.insert(t);
    for (const auto& [t, rows] : stored) tables.insert(t);
    if (tables.empty()) std::cout << flow.name << ": no mappings\n";
    for (const auto& table : tables) {
        std::cout << flow.name << "." << table << ":\n";
        const MappingTable none;
        auto file = flow.mappings.find(table);
        auto kept = stored.find(table);
        const MappingTable& from_file = file == flow.mappings.end() ? none : file->second;
        const MappingTable& from_store = kept == stored.end() ? none : kept->second;
        for (const auto& [from, to] : from_file) {
            const bool overridden = from_store.contains(from);
            std::cout << fmt::format("  {} -> {}  (mlc.yaml{})\n", from, to,
                                     overridden ? ", overridden by the stored one" : "");
        }
        for (const auto& [from, to] : from_store) {
            std::cout << fmt::format("  {} -> {}  (stored)\n", from, to);
        }
    }
}

int run_list(CliContext& ctx, const MappingOptions& options) {
    auto opened = open_flow(ctx, options.flow);
    if (!opened) return fail(opened.error());
    for (const auto& [name, flow] : opened->config.flows) {
        if (!options.flow.empty() && name != options.flow) continue;
        auto stored = engine::load_stored_mappings(*opened->store, name);
        if (!stored) return fail(stored.error());
        print_flow(flow, *stored);
    }
    return kExitOk;
}

int run_set(CliContext& ctx, const MappingOptions& options) {
    auto opened = open_flow(ctx, options.flow);
    if (!opened) return fail(opened.error());
    const MappingTable entry = {{options.from, options.to}};
    if (auto checked = check_table(*opened->flow, options.table, entry); !checked) {
        return fail(checked.error());
    }
    auto stored = engine::store_mappings(*opened->store, options.flow, options.table, entry);
    if (!stored) return fail(stored.error());
    audit(ctx, *opened->store, options.flow, options.table,
          "set " + options.from + " -> " + options.to);
    std::cout << fmt::format("{}.{}: {} -> {} {}; {}\n", options.flow, options.table, options.from,
                             options.to, stored->added > 0 ? "added" : "stored", kApplyHint);
    return kExitOk;
}

int run_remove(CliContext& ctx, const MappingOptions& options) {
    auto opened = open_flow(ctx, options.flow);
    if (!opened) return fail(opened.error());
    auto removed =
        engine::remove_stored_mapping(*opened->store, options.flow, options.table, options.from);
    if (!removed) return fail(removed.error());
    if (!*removed) {
        std::cerr << fmt::format(
            "mlc: {}.{} has no stored entry '{}' (a mapping of {} is removed there)\n",
            options.flow, options.table, options.from, opened->config.file);
        return kExitUsage;
    }
    audit(ctx, *opened->store, options.flow, options.table, "removed " + options.from);
    std::cout << fmt::format("{}.{}: {} removed; {}\n", options.flow, options.table, options.from,
                             kApplyHint);
    return kExitOk;
}

}  // namespace

namespace {

Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return config_error("cannot read " + path + ": check the path and its permissions");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > kImportBytesMax) {
        return config_error(path + " is larger than 64 MiB: split it");
    }
    return text.str();
}

// The rows of the file per table: --table for a file without a `table` column.
Result<engine::FlowMappings> import_tables(const MappingCsv& csv, const MappingOptions& options) {
    if (!csv.has_table_column && options.table.empty()) {
        return config_error(options.file +
                            " has no `table` column: name the table with --table (parts, "
                            "customers, carriers, ...)");
    }
    engine::FlowMappings tables;
    for (const auto& row : csv.rows) {
        const std::string& table = csv.has_table_column ? row.table : options.table;
        auto [at, added] = tables[table].try_emplace(row.from, row.to);
        if (!added && at->second != row.to) {
            return config_error(
                fmt::format("{}: row {}: '{}' is mapped twice in table {} ({} and "
                            "{}): keep one",
                            options.file, row.row, row.from, table, at->second, row.to));
        }
    }
    return tables;
}

Result<engine::FlowMappings> read_import(const engine::FlowConfig& flow,
                                         const MappingOptions& options) {
    MLC_TRY(auto text, read_file(options.file));
    MLC_TRY_CTX(auto csv, parse_mapping_csv(text), options.file);
    if (!csv.problems.empty()) {
        std::string all;
        for (const auto& problem : csv.problems) all += "\n  " + problem;
        return config_error(options.file + ": " + std::to_string(csv.problems.size()) +
                            " row(s) cannot be used, nothing was stored:" + all);
    }
    MLC_TRY(auto tables, import_tables(csv, options));
    for (const auto& [table, entries] : tables) MLC_CHECK(check_table(flow, table, entries));
    return tables;
}

int run_import(CliContext& ctx, const MappingOptions& options) {
    auto opened = open_flow(ctx, options.flow);
    if (!opened) return fail(opened.error());
    auto tables = read_import(*opened->flow, options);
    if (!tables) return fail(tables.error());
    for (const auto& [table, entries] : *tables) {
        if (options.dry_run) {
            std::cout << fmt::format("{}.{}: {} entries would be stored (--dry-run: nothing was)\n",
                                     options.flow, table, entries.size());
            continue;
        }
        auto stored = engine::store_mappings(*opened->store, options.flow, table, entries);
        if (!stored) return fail(stored.error());
        const std::string counts = fmt::format("{} added, {} changed, {} unchanged", stored->added,
                                               stored->changed, stored->unchanged);
        audit(
            ctx, *opened->store, options.flow, table,
            "imported " + std::to_string(entries.size()) + " from " + options.file + ": " + counts);
        std::cout << fmt::format("{}.{}: {}\n", options.flow, table, counts);
    }
    if (!options.dry_run) std::cout << kApplyHint << "\n";
    return kExitOk;
}

}  // namespace

void add_mappings_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "mappings",
        "Mapping tables (SKU -> part, customers, carriers, ...) kept beside mlc.yaml's: list, set, "
        "remove, import from a spreadsheet's CSV");
    group->require_subcommand(1);
    auto options = std::make_shared<MappingOptions>();
    auto* list = group->add_subcommand("list",
                                       "Every table of a flow (or of all), each entry "
                                       "marked mlc.yaml or stored");
    list->add_option("FLOW", options->flow, "Only this flow");
    list->callback([&ctx, &exit_code, options] { exit_code = run_list(ctx, *options); });

    auto* set = group->add_subcommand(
        "set", "Add or change one stored entry (a key may be a pattern: 'SKU-*' 'P*')");
    set->add_option("FLOW", options->flow, "The flow")->required();
    set->add_option("TABLE", options->table, "parts, customers, carriers, ... (mlc recipes NAME)")
        ->required();
    set->add_option("FROM", options->from, "The value the source sends")->required();
    set->add_option("TO", options->to, "The value the target needs")->required();
    set->callback([&ctx, &exit_code, options] { exit_code = run_set(ctx, *options); });

    auto* remove = group->add_subcommand("remove", "Remove one stored entry");
    remove->add_option("FLOW", options->flow, "The flow")->required();
    remove->add_option("TABLE", options->table, "The table")->required();
    remove->add_option("FROM", options->from, "The entry's key")->required();
    remove->callback([&ctx, &exit_code, options] { exit_code = run_remove(ctx, *options); });

    auto* import = group->add_subcommand(
        "import",
        "Store every row of a CSV file (header `from,to`, optionally `table`; commas or "
        "semicolons): all rows are checked first, nothing is stored unless all are good");
    import->add_option("FILE", options->file, "The CSV file")->required();
    import->add_option("--flow", options->flow, "The flow")->required();
    import->add_option("--table", options->table, "The table, when the file has no table column");
    import->add_flag("--dry-run", options->dry_run, "Check the file and say what would be stored");
    import->callback([&ctx, &exit_code, options] { exit_code = run_import(ctx, *options);
});
}  // namespace mlc::cli

}  // namespace mlc::cli
