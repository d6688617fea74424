// `mlc secret set|list|rm`. A secret's value is read from stdin (or a prompt without echo), never
// from the command line, where it would land in shell history and the process list.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "cli/commands.hpp"
#include "common/time.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kSecretBytesMax = 64 * 1024;  // Far above any API key or certificate.

// "2027-03-31" (midnight UTC) or a whole ISO time; "" means no expiry.
Result<std::optional<UtcTime>> parse_expiry(const std::string& text) {
    if (text.empty()) return std::optional<UtcTime>();
    auto at = parse_iso8601(text.size() == 10 ? text + "T00:00:00Z" : text);
    if (!at) {
        return make_error(ErrorCode::kInvalidInput,
                          "--expires '" + text + "' is not a date: use YYYY-MM-DD (UTC)");
    }
    return std::optional<UtcTime>(*at);
}

int run_set(CliContext& ctx, const std::string& name, const std::string& expires_text) {
    auto expires = parse_expiry(expires_text);
    if (!expires) {
        print_error(expires.error());
        return kExitUsage;
    }
    auto vault = ctx.open_vault();
    if (!vault) {
        print_error(vault.error());
        return exit_code_for(vault.error());
    }
    auto value = read_hidden_value("value for secret " + name);
    if (!value) {
        print_error(value.error());
        return kExitUsage;
    }
    auto put = (*vault)->put(name, *value);
    std::fill(value->begin(), value->end(), '\0');
    if (!put) {
        print_error(put.error());
        return put.error().code == ErrorCode::kInvalidInput ? kExitUsage : kExitFailure;
    }
    if (*expires) {
        if (auto dated = (*vault)->set_expiry(name, *expires); !dated) {
            print_error(dated.error());
            return kExitFailure;
        }
        std::cout << "secret " << name << " stored, expires " << format_iso8601(**expires)
                  << " (an alert is raised ahead of it while `mlc run` runs)\n";
        return kExitOk;
    }
    std::cout << "secret " << name << " stored\n";
    return kExitOk;
}

int run_list(CliContext& ctx) {
    auto vault = ctx.open_vault();
    if (!vault) {
        print_error(vault.error());
        return exit_code_for(vault.error());
    }
    auto names = (*vault)->list();
    if (!names) {
        print_error(names.error());
        return kExitFailure;
    }
    auto expiries = (*vault)->expiries();
    if (!expiries) {
        print_error(expiries.error());
        return kExitFailure;
    }
    for (const auto& name : *names) {
        const auto dated = expiries->find(name);
        std::cout << name;
        if (dated != expiries->end()) std::cout << "  expires " << format_iso8601(dated->second);
        std::cout << "\n";
    }
    if (names->empty()) std::cerr << "no secrets yet: `mlc secret set NAME`\n";
    return kExitOk;
}

int run_remove(CliContext& ctx, const std::string& name, bool yes) {
    auto vault = ctx.open_vault();
    if (!vault) {
        print_error(vault.error());
        return exit_code_for(vault.error());
    }
    if (!yes && !confirm("remove secret " + name + "? Connections using it stop working.")) {
        std::cerr << "not removed\n";
        return kExitFailure;
    }
    auto removed = (*vault)->remove(name);
    if (!removed) {
        print_error(removed.error());
        return kExitFailure;
    }
    std::cout << "secret " << name << " removed\n";
    return kExitOk;
}

}  // namespace

Result<std::string> read_hidden_value(const std::string& what) {
    std::string value;
    if (::isatty(STDIN_FILENO) != 0) {
        std::cerr << what << " (not echoed): " << std::flush;
        termios old_mode{};
        const bool have_mode = ::tcgetattr(STDIN_FILENO, &old_mode) == 0;
        if (have_mode) {
            termios quiet = old_mode;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        std::getline(std::cin, value);
        if (have_mode) ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
        std::cerr << "\n";
    } else {
        char c = 0;
        while (value.size() <= kSecretBytesMax && std::cin.get(c)) value.push_back(c);
        if (value.size() > kSecretBytesMax) {
            return make_error(ErrorCode::kInvalidInput,
                              what + " is longer than 64 KiB; nothing stored");
        }
        if (!value.empty() && value.back() == '\n') value.pop_back();
        if (!value.empty() && value.back() == '\r') value.pop_back();
    }
    if (value.empty()) {
        return make_error(ErrorCode::kConfig,
                          "empty " + what + "; pipe it on stdin or type it at the prompt");
    }
    return value;
}

void add_secret_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* secret = app.add_subcommand("secret", "Manage the encrypted secrets vault");
    secret->require_subcommand(1);

    auto name = std::make_shared<std::string>();
    auto expires = std::make_shared<std::string>();
    auto* set = secret->add_subcommand(
        "set", "Store a secret; the value is read from stdin or a prompt without echo");
    set->add_option("NAME", *name, "Secret name ([A-Za-z0-9_.-], as the config names it)")
        ->required();
    set->add_option("--expires", *expires,
                    "When the vendor says it stops working (YYYY-MM-DD, UTC): `mlc run` raises an "
                    "alert alerts.secrets_expire_within (14d) before; setting the secret again "
                    "replaces the date (none without this option)");
    set->callback([&ctx, &exit_code, name, expires] { exit_code = run_set(ctx, *name, *expires); });

    auto* list =
        secret->add_subcommand("list", "List secret names and expiry dates (never values)");
    list->callback([&ctx, &exit_code] { exit_code = run_list(ctx); });

    auto rm_name = std::make_shared<std::string>();
    auto yes = std::make_shared<bool>(false);
    auto* rm = secret->add_subcommand("rm", "Remove a secret (asks for confirmation)");
    rm->add_option("NAME", *rm_name, "Secret name")->required();
    rm->add_flag("--yes,-y", *yes, "Do not ask for confirmation");
    rm->callback([&ctx, &exit_code, rm_name, yes] { exit_code = run_remove(ctx, *rm_name, *yes); });
}

}  // namespace mlc::cli
