#pragma once
// SandboxHost: owns emulators and wraps each with the shared control API under /__sandbox/:
//   GET/DELETE requests   the vendor requests received (secrets masked) / clear them
//   GET/POST/DELETE faults list / add a FaultPlan (fault_injector.hpp) / clear
//   POST clock            {"advance_seconds": N} moves the emulator's OffsetClock forward
//   anything else         the emulator's own control(): "state", "orders", ...
// Serving on sockets is run_sandbox.hpp's job (one HttpServer per emulator, handler()); tests use
// handle() or testing/in_process_transport.hpp.
//
// Lifecycle: construct, add() emulators, set_base_url() once each is reachable, optionally
// start_ticker() (a thread calling tick() every kTickInterval of steady time), destroy (stops the
// ticker). Thread safety: handle()/tick_all() are safe from several threads: one mutex per
// emulator serialises handle/control/tick. add() and set_base_url() happen before serving.
// Ownership: owns emulators and their clocks; borrows the base clock and outbound transport.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "net/http_transport.hpp"
#include "net/http_types.hpp"
#include "sandbox/emulator.hpp"
#include "sandbox/emulator_registry.hpp"
#include "sandbox/fault_injector.hpp"
#include "sandbox/request_log.hpp"

namespace mlc::sandbox {

struct SandboxHostOptions {
    std::uint64_t seed = 1;
    std::size_t volume = 300;
};

class SandboxHost {
  public:
    static constexpr std::chrono::milliseconds kTickInterval{200};
    static constexpr std::string_view kControlPrefix = "/__sandbox/";

    SandboxHost(Clock& clock, net::HttpTransport& outbound, SandboxHostOptions options);
    ~SandboxHost();
    SandboxHost(const SandboxHost&) = delete;
    SandboxHost& operator=(const SandboxHost&) = delete;

    // Builds the emulator with its own OffsetClock and a fault RNG seeded from seed and name.
    Emulator& add(const std::string& name, const EmulatorFactory& factory);
    void set_base_url(const std::string& name, const std::string& base_url);
    std::vector<std::string> systems() const;
    Emulator* find(const std::string& name);

    // One request to `name` (vendor API or /__sandbox/...). Unknown name: 404.
    net::HttpResponse handle(const std::string& name, const net::HttpRequest& request);
    // handle() bound to one emulator, for an HttpServer or an InProcessTransport.
    std::function<net::HttpResponse(const net::HttpRequest&)> handler(const std::string& name);

    void tick_all();
    void start_ticker();
    void stop_ticker();

    // {"<system>": {"base_url": ..., credentials...}, ...}
    boost::json::object ports() const;
    Result<void> write_ports_file(const std::string& path) const;

  private:
    struct Entry;
    Entry* entry(const std::string& name);
    net::HttpResponse handle_vendor(Entry& entry, const net::HttpRequest& request);
    net::HttpResponse handle_control(Entry& entry, const net::HttpRequest& request,
                                     std::string_view route);

    Clock& clock_;
    net::HttpTransport& outbound_;
    SandboxHostOptions options_;
    std::vector<std::unique_ptr<Entry>> entries_;
    std::atomic<bool> ticker_stop_{false};
    std::thread ticker_;
};

}  // namespace mlc::sandbox
