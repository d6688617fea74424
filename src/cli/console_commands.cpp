// `mlc console user add NAME --role viewer|operator|admin`, `mlc console user list`,
// `mlc console user remove NAME`: the people who may log in to the web console (console/auth.hpp).
// The password is read from a prompt without echo (asked twice) or from stdin, never from the
// command line; the store keeps its Argon2id hash only.
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "common/time.hpp"
#include "console/users.hpp"

namespace mlc::cli {

namespace {

struct AddOptions {
    std::string name;
    std::string role;
    bool replace = false;
};

Result<std::string> read_password(const std::string& name) {
    MLC_TRY(std::string password, read_hidden_value("password for console user " + name));
    if (::isatty(STDIN_FILENO) != 0) {
        MLC_TRY(std::string again, read_hidden_value("the same password again"));
        if (again != password) {
            return make_error(ErrorCode::kInvalidInput,
                              "the two passwords differ; nothing stored, run the command again");
        }
    }
    return password;
}

Result<void> add_user(CliContext& ctx, const AddOptions& options) {
    MLC_CHECK(console::check_user_name(options.name));
    const auto role = console::role_from_string(options.role);
    if (!role) {
        return make_error(ErrorCode::kConfig, "--role must be viewer, operator or admin");
    }
    MLC_TRY(auto store, ctx.open_configured_store());
    MLC_TRY(auto existing, store->get_console_user(options.name));
    if (existing && !options.replace) {
        return make_error(ErrorCode::kConflict,
                          "console user " + options.name +
                              " exists; pass --replace to give them a new password and role");
    }
    MLC_TRY(std::string password, read_password(options.name));
    auto hash = console::hash_password(password, console::interactive_cost());
    std::fill(password.begin(), password.end(), '\0');
    if (!hash) return std::move(hash).error();
    MLC_CHECK(store->put_console_user({.name = options.name,
                                       .role = std::string(console::to_string(*role)),
                                       .password_hash = *hash,
                                       .created_at = ctx.clock().now()}));
    std::cout << fmt::format("console user {} {} as {}{}\n", options.name,
                             existing ? "replaced" : "added", console::to_string(*role),
                             existing ? " (their sessions ended)" : "");
    return ok();
}

int run_list(CliContext& ctx) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    auto users = (*store)->list_console_users();
    if (!users) return fail(users.error());
    for (const auto& user : *users) {
        std::cout << fmt::format("{} {} since {}\n", user.name, user.role,
                                 format_iso8601(user.created_at));
    }
    if (users->empty()) {
        std::cerr << "no console users yet: `mlc console user add NAME --role admin`\n";
    }
    return kExitOk;
}

int run_remove(CliContext& ctx, const std::string& name, bool yes) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    if (!yes && !confirm("remove console user " + name + "? Their sessions end at once.")) {
        std::cerr << "not removed\n";
        return kExitFailure;
    }
    if (auto removed = (*store)->remove_console_user(name); !removed) return fail(removed.error());
    std::cout << "console user " << name << " removed\n";
    return kExitOk;
}

}  // namespace

void add_console_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* console = app.add_subcommand("console", "The web console's users");
    console->require_subcommand(1);
    auto* user = console->add_subcommand("user", "Add, list or remove console users");
    user->require_subcommand(1);

    auto add_options = std::make_shared<AddOptions>();
    auto* add = user->add_subcommand(
        "add", "Add a user; the password is read from a prompt without echo or from stdin");
    add->add_option("NAME", add_options->name, "User name (letters, digits and . _ @ -)")
        ->required();
    add->add_option("--role", add_options->role, "viewer, operator or admin")->required();
    add->add_flag("--replace", add_options->replace,
                  "Give an existing user a new password and role (ends their sessions)");
    add->callback([&ctx, &exit_code, add_options] {
        auto added = add_user(ctx, *add_options);
        exit_code = added ? kExitOk : fail(added.error());
    });

    auto* list = user->add_subcommand("list", "List users and their roles (never passwords)");
    list->callback([&ctx, &exit_code] { exit_code = run_list(ctx); });

    auto name = std::make_shared<std::string>();
    auto yes = std::make_shared<bool>(false);
    auto* remove = user->add_subcommand("remove", "Remove a user (asks for confirmation)");
    remove->add_option("NAME", *name, "User name")->required();
    remove->add_flag("--yes,-y", *yes, "Do not ask for confirmation");
    remove->callback([&ctx, &exit_code, name, yes] { exit_code = run_remove(ctx, *name, *yes); });
}

}  // namespace mlc::cli
