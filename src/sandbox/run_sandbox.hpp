#pragma once
// run_sandbox: the whole `mlc sandbox` command. Builds the requested emulators from the registry,
// serves each on its own loopback port (HttpServer), prints each base URL and credentials, writes
// the ports file, runs the webhook ticker and returns when `stop` becomes true (checked every
// kStopPoll of the environment's clock). kConfig for an unknown system name or an empty list.

#include <atomic>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include "common/clock.hpp"

#include "common/result.hpp"
#include "net/http_transport.hpp"
#include "sandbox/emulator_registry.hpp"

namespace mlc::sandbox {

struct SandboxOptions {
    std::vector<std::string> systems = {"shipstation", "epicor", "woocommerce"};
    std::uint64_t seed = 1;
    std::size_t volume = 300;
    std::string ports_file;  // Empty: not written.
    std::string address = "127.0.0.1";
};

// What cli/main.cpp composes: no global state, so a test can run a sandbox with its own clock.
struct SandboxEnvironment {
    const EmulatorRegistry& registry;
    Clock& clock;
    net::HttpTransport& outbound;  // Webhook deliveries.
    std::ostream& out;             // Start-up lines (base URLs, credentials).
    // Called once every emulator listens (after the ports file is written), with the ports
    // object: lets a test or an embedding process wait for readiness without polling.
    std::function<void(const boost::json::object& ports)> on_ready = {};
};

Result<void> run_sandbox(const SandboxOptions& options, const SandboxEnvironment& environment,
                         const std::atomic<bool>& stop);

}  // namespace mlc::sandbox
