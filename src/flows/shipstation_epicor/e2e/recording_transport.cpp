#include "flows/shipstation_epicor/e2e/recording_transport.hpp"

#include <algorithm>

namespace mlc::flows::shipstation_epicor::e2e {
namespace {

// SandboxHost answers injected 429/500/503 with {"error": "sandbox fault: ..."}.
constexpr std::string_view kInjectedMarker = "sandbox fault";

}  // namespace

RecordingTransport::RecordingTransport(net::HttpTransport& inner, const Clock& clock,
                                       std::string shipstation_base, std::string epicor_base)
    : inner_(inner),
      clock_(clock),
      shipstation_base_(std::move(shipstation_base)),
      epicor_base_(std::move(epicor_base)) {}

Result<net::HttpResponse> RecordingTransport::send(const net::HttpRequest& request,
                                                   const net::TransportOptions& options) {
    const bool to_shipstation = request.url.starts_with(shipstation_base_);
    const bool to_epicor = request.url.starts_with(epicor_base_);
    {
        std::lock_guard lock(mutex_);
        if (to_shipstation) {
            ++traffic_.shipstation;
            if (shipstation_sent_.size() < kTimestampsMax) {
                shipstation_sent_.push_back(clock_.steady_now());
            }
        }
        if (to_epicor) ++traffic_.epicor;
    }
    auto response = inner_.send(request, options);
    if (response) {
        const bool injected = response->body.find(kInjectedMarker) != std::string::npos;
        std::lock_guard lock(mutex_);
        if (injected) ++traffic_.injected_faults;
        if (to_shipstation && response->status == 429 && !injected) {
            ++traffic_.shipstation_vendor_429;
        }
    }
    return response;
}

Traffic RecordingTransport::traffic() const {
    std::lock_guard lock(mutex_);
    return traffic_;
}

std::size_t RecordingTransport::shipstation_peak_per_minute() const {
    std::lock_guard lock(mutex_);
    // Send times are taken in order from one clock, so they are sorted: two pointers.
    std::size_t peak = 0;
    std::size_t first = 0;
    for (std::size_t last = 0; last < shipstation_sent_.size(); ++last) {
        while (shipstation_sent_[last] - shipstation_sent_[first] >= std::chrono::seconds{60}) {
            ++first;
        }
        peak = std::max(peak, last - first + 1);
    }
    return peak;
}

std::chrono::nanoseconds RecordingTransport::shipstation_span() const {
    std::lock_guard lock(mutex_);
    if (shipstation_sent_.size() < 2) return std::chrono::nanoseconds{0};
    return shipstation_sent_.back() - shipstation_sent_.front();
}

void RecordingTransport::reset() {
    std::lock_guard lock(mutex_);
    traffic_ = {};
    shipstation_sent_.clear();
}

}  // namespace mlc::flows::shipstation_epicor::e2e
