#include "sandbox/run_sandbox.hpp"

#include <memory>

#include <boost/json.hpp>

#include "net/http_server.hpp"
#include "sandbox/sandbox_host.hpp"

namespace mlc::sandbox {

Result<void> run_sandbox(const SandboxOptions& options, const SandboxEnvironment& environment,
                         const std::atomic<bool>& stop) {
    constexpr std::size_t kSystemsMax = 16;  // More than every vendor we emulate.
    if (options.systems.empty() || options.systems.size() > kSystemsMax) {
        return make_error(ErrorCode::kConfig, "sandbox", "name between 1 and 16 systems");
    }
    SandboxHost host(environment.clock, environment.outbound,
                     SandboxHostOptions{.seed = options.seed, .volume = options.volume});
    for (const auto& name : options.systems) {
        const auto* factory = environment.registry.find(name);
        if (factory == nullptr) {
            std::string known;
            for (const auto& n : environment.registry.names())
                known += (known.empty() ? "" : ", ") + n;
            return make_error(ErrorCode::kConfig, "sandbox",
                              "unknown sandbox system '" + name + "' (known: " + known + ")");
        }
        host.add(name, *factory);
    }
    std::vector<std::unique_ptr<net::HttpServer>> servers;
    for (const auto& name : options.systems) {
        net::HttpServerOptions server_options;
        server_options.address = options.address;
        server_options.port = 0;  // Ephemeral: the ports file tells clients where to go.
        server_options.name = "sandbox " + name;
        auto server = std::make_unique<net::HttpServer>(server_options, host.handler(name));
        MLC_CHECK_CTX(server->start(), "while starting the " + name + " sandbox");
        host.set_base_url(name, server->base_url());
        servers.push_back(std::move(server));
    }
    // The file first: a script that saw the start-up lines can read it at once.
    if (!options.ports_file.empty()) MLC_CHECK(host.write_ports_file(options.ports_file));
    const auto ports = host.ports();
    for (const auto& [name, info] : ports) {
        environment.out << name << ": " << boost::json::serialize(info) << "\n";
    }
    // A fixed last line, so a script reading the output knows every system is up.
    environment.out << "sandbox ready: " << ports.size() << " system(s)\n";
    environment.out.flush();
    host.start_ticker();
    if (environment.on_ready) environment.on_ready(ports);
    constexpr auto kStopPoll = std::chrono::milliseconds{100};
    while (!stop.load()) environment.clock.sleep_for(kStopPoll);
    host.stop_ticker();
    for (auto& server : servers) server->stop();
    return ok();
}

}  // namespace mlc::sandbox
