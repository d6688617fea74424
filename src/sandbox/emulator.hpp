#pragma once
// Emulator: one vendor system (ShipStation, Epicor Kinetic, WooCommerce, ...) as a pure request
// handler. The sandbox framework (sandbox_server.hpp) wraps an Emulator with the shared control
// API under /__sandbox/ (request log, fault injection, clock), and serves it on a loopback port;
// tests may also call handle() directly.
//
// Emulators are as strict as the vendor, never more lenient (../shared/specs/<system>.md).
//
// Thread safety: the framework serialises calls to one emulator (handle, control, tick) under
// one mutex, so an emulator needs no locking of its own.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "net/http_transport.hpp"
#include "net/http_types.hpp"

namespace mlc::sandbox {

struct EmulatorContext {
    Clock& clock;                  // The emulator's clock (the framework can move it forward)
    net::HttpTransport& outbound;  // For webhook deliveries to receivers
    std::uint64_t seed = 1;        // Deterministic data and faults for a given seed
    std::size_t volume = 300;      // Seeded record count (orders, parts...), up to 1,000,000
};

class Emulator {
  public:
    virtual ~Emulator() = default;
    virtual std::string_view system() const = 0;  // "shipstation", "epicor", "woocommerce"

    // A vendor API request. `request.url` is the target as received ("/orders?page=2").
    virtual net::HttpResponse handle(const net::HttpRequest& request) = 0;

    // The emulator's own control routes, below /__sandbox/ (the prefix removed: "orders/ship").
    // Create/update/ship/cancel records as a user of the system would, and "state" to read the
    // full state for assertions. Unknown routes answer 404.
    virtual net::HttpResponse control(const net::HttpRequest& request, std::string_view route) = 0;

    // How to connect: {"base_url": ..., credentials...}, as written to the ports file.
    virtual boost::json::object connection_info(std::string_view base_url) const = 0;

    // Background work due at clock.now() (webhook deliveries). Called by the framework's timer
    // and by tests. Must not block on the network for long (deliveries use short timeouts).
    virtual void tick() {}

    // Called once the emulator knows its own base URL (after the server has bound its port).
    virtual void set_base_url(std::string_view base_url) { (void)base_url; }
};

}  // namespace mlc::sandbox
