#pragma once
// RecordingTransport: wraps the transport the flow uses and counts what it sends to each sandbox
// system, so end-to-end tests and benchmarks can assert on the traffic a user would pay for:
//   * requests per system (API calls per order on each side);
//   * the steady time of every ShipStation request, for the 40-a-minute check over any sliding
//     60 s window (ShipStation V1 allows 40 requests a minute per key pair, shipstation.md);
//   * 429 answers from ShipStation's own limiter, told apart from the sandbox's injected ones by
//     the injected body ("sandbox fault: ...", sandbox_host.cpp).
//
// Lifecycle: built over a transport that outlives it; reset() between phases. Thread safety:
// send() and the readers are safe from several threads (one mutex). Ownership: borrows the inner
// transport and the clock.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "net/http_transport.hpp"

namespace mlc::flows::shipstation_epicor::e2e {

// ShipStation V1: 40 requests per minute per API key pair (shipstation.md, "Rate limits").
inline constexpr std::size_t kShipStationPerMinuteMax = 40;
// Requests remembered with their send time: a 100,000-order backfill needs about 250.
inline constexpr std::size_t kTimestampsMax = 1'000'000;

struct Traffic {
    std::int64_t shipstation = 0;  // Requests sent (retries included).
    std::int64_t epicor = 0;
    std::int64_t shipstation_vendor_429 = 0;  // From the emulator's limiter, not injected.
    std::int64_t injected_faults = 0;         // Answers that carried the sandbox's fault body.
};

class RecordingTransport final : public net::HttpTransport {
  public:
    // Requests whose URL starts with `shipstation_base` / `epicor_base` are counted as such.
    RecordingTransport(net::HttpTransport& inner, const Clock& clock, std::string shipstation_base,
                       std::string epicor_base);

    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override;

    Traffic traffic() const;
    // The most ShipStation requests sent within any 60 s of steady time (half-open windows).
    std::size_t shipstation_peak_per_minute() const;
    // Steady time between the first and the last ShipStation request.
    std::chrono::nanoseconds shipstation_span() const;
    void reset();

  private:
    net::HttpTransport& inner_;
    const Clock& clock_;
    const std::string shipstation_base_;
    const std::string epicor_base_;
    mutable std::mutex mutex_;
    Traffic traffic_;
    std::vector<SteadyTime> shipstation_sent_;
};

}  // namespace mlc::flows::shipstation_epicor::e2e
