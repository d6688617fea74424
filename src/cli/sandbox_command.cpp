// `mlc sandbox`: serves the vendor emulators (ShipStation, Epicor, WooCommerce...) on loopback
// ports until SIGINT/SIGTERM, printing each base URL and its credentials and writing them to a
// ports file for scripts and tests (src/sandbox/run_sandbox.hpp).
#include <signal.h>

#include <atomic>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/signal_watcher.hpp"
#include "net/curl_transport.hpp"
#include "sandbox/run_sandbox.hpp"
#include "sandbox/standard_emulators.hpp"

namespace mlc::cli {

namespace {

constexpr std::size_t kSandboxSystemsMax = 16;  // More names than vendors we emulate.

std::vector<std::string> split_systems(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',') && out.size() <= kSandboxSystemsMax) {
        if (!name.empty()) out.push_back(name);
    }
    return out;
}

int run_sandbox_command(CliContext& ctx, const std::string& systems,
                        sandbox::SandboxOptions options) {
    if (auto logger = ctx.init_logger(nullptr); !logger) {
        print_error(logger.error());
        return exit_code_for(logger.error());
    }
    sandbox::EmulatorRegistry registry;
    sandbox::add_standard_emulators(registry);
    // No --systems: every emulator this binary was built with.
    options.systems = systems.empty() ? registry.names() : split_systems(systems);
    net::CurlTransport outbound;  // Webhook deliveries to receivers.
    std::atomic<bool> stop{false};
    SignalWatcher signals;  // Before the servers' threads start, so they inherit the mask.
    signals.start([&stop](int) { stop = true; });
    const auto result = sandbox::run_sandbox(
        options,
        sandbox::SandboxEnvironment{
            .registry = registry, .clock = ctx.clock(), .outbound = outbound, .out = std::cout},
        stop);
    signals.stop();
    if (!result) {
        print_error(result.error());
        return exit_code_for(result.error());
    }
    std::cerr << "mlc sandbox stopped\n";
    return signals.received() == SIGINT ? kExitInterrupted : kExitOk;
}

}  // namespace

void add_sandbox_command(CLI::App& app, CliContext& ctx, int& exit_code) {
    struct Options {
        std::string systems;  // Empty: all.
        sandbox::SandboxOptions sandbox;
    };
    auto options = std::make_shared<Options>();
    auto* command = app.add_subcommand(
        "sandbox",
        "Serve vendor emulators on loopback ports (seeded data, control API under /__sandbox/) "
        "until SIGINT/SIGTERM");
    command->add_option("--systems", options->systems,
                        "Comma-separated systems: shipstation, epicor, woocommerce (default: all)");
    command->add_option("--seed", options->sandbox.seed, "Seed for data and faults")
        ->capture_default_str();
    command
        ->add_option("--volume", options->sandbox.volume,
                     "Seeded records per system (up to 1000000)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
        ->capture_default_str();
    command->add_option("--ports-file", options->sandbox.ports_file,
                        "Write {system: {base_url, credentials}} JSON here once listening");
    command->add_option("--address", options->sandbox.address, "Address to bind")
        ->capture_default_str();
    command->callback([&ctx, &exit_code, options] {
        exit_code = run_sandbox_command(ctx, options->systems, options->sandbox);
    });
}

}  // namespace mlc::cli
