#pragma once
// FaultyTransport: wraps another HttpTransport and injects a seeded share of faults, so a test
// (or a soak run against a sandbox) sees what production networks do:
//  * 429 (with Retry-After: retry_after_seconds), 500 and 503 answered without reaching the inner
//    transport;
//  * dropped connections: a kTransient error. With drop_after_delivery the inner transport has
//    already handled the request (the write happened, the answer was lost: the uncertain-write
//    case the no-duplicates invariant is about); otherwise it never saw it;
//  * truncated bodies: the inner answer with its body cut in half (a JSON parser must reject it).
// Shares are probabilities in [0, 1] whose sum is at most 1; the same seed gives the same faults
// for the same sequence of calls.
//
// Lifecycle: a test owns it; borrows `inner`, which must outlive it.
// Thread safety: safe from several threads (one lock around the RNG and counters).

#include <cstdint>
#include <mutex>
#include <random>

#include "net/http_transport.hpp"

namespace mlc::net::testing {

struct FaultOptions {
    std::uint64_t seed = 1;
    double share_429 = 0;
    double share_500 = 0;
    double share_503 = 0;
    double share_drop = 0;
    double share_truncate = 0;
    bool drop_after_delivery = true;
    int retry_after_seconds = 1;
};

struct FaultCounts {
    std::uint64_t calls = 0;
    std::uint64_t status_429 = 0;
    std::uint64_t status_500 = 0;
    std::uint64_t status_503 = 0;
    std::uint64_t drops = 0;
    std::uint64_t truncations = 0;
};

class FaultyTransport final : public HttpTransport {
  public:
    FaultyTransport(HttpTransport& inner, FaultOptions options);

    using HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options) override;

    FaultCounts counts() const;

  private:
    enum class Fault { kNone, k429, k500, k503, kDrop, kTruncate };
    Fault draw();

    HttpTransport& inner_;
    FaultOptions options_;
    mutable std::mutex mutex_;
    std::mt19937_64 rng_;
    FaultCounts counts_;
};

}  // namespace mlc::net::testing
