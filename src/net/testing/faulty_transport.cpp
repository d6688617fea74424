#include "net/testing/faulty_transport.hpp"

#include <string>

#include "common/assert.hpp"

namespace mlc::net::testing {

FaultyTransport::FaultyTransport(HttpTransport& inner, FaultOptions options)
    : inner_(inner), options_(options), rng_(options.seed) {
    const double total = options.share_429 + options.share_500 + options.share_503 +
                         options.share_drop + options.share_truncate;
    MLC_ASSERT(total <= 1.0 + 1e-9, "fault shares add up to at most 1");
}

FaultyTransport::Fault FaultyTransport::draw() {
    std::lock_guard lock(mutex_);
    ++counts_.calls;
    double roll = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    const std::pair<double, Fault> shares[] = {{options_.share_429, Fault::k429},
                                               {options_.share_500, Fault::k500},
                                               {options_.share_503, Fault::k503},
                                               {options_.share_drop, Fault::kDrop},
                                               {options_.share_truncate, Fault::kTruncate}};
    for (const auto& [share, fault] : shares) {
        if (roll < share) {
            switch (fault) {
                case Fault::k429:
                    ++counts_.status_429;
                    break;
                case Fault::k500:
                    ++counts_.status_500;
                    break;
                case Fault::k503:
                    ++counts_.status_503;
                    break;
                case Fault::kDrop:
                    ++counts_.drops;
                    break;
                case Fault::kTruncate:
                    ++counts_.truncations;
                    break;
                case Fault::kNone:
                    break;
            }
            return fault;
        }
        roll -= share;
    }
    return Fault::kNone;
}

Result<HttpResponse> FaultyTransport::send(const HttpRequest& request,
                                           const TransportOptions& options) {
    const Fault fault = draw();
    const auto dropped = [&] {
        return make_error(
            ErrorCode::kTransient, "faulty",
            request.method + " " + url_path(request.url) + ": connection dropped (injected)");
    };
    switch (fault) {
        case Fault::k429: {
            HttpResponse response = json_response(429, R"({"message":"Too Many Requests"})");
            response.headers.emplace_back("Retry-After",
                                          std::to_string(options_.retry_after_seconds));
            return response;
        }
        case Fault::k500:
            return json_response(500, R"json({"message":"Internal Server Error (injected)"})json");
        case Fault::k503:
            return json_response(503, R"json({"message":"Service Unavailable (injected)"})json");
        case Fault::kDrop:
            if (options_.drop_after_delivery) (void)inner_.send(request, options);
            return dropped();
        case Fault::kTruncate: {
            Result<HttpResponse> outcome = inner_.send(request, options);
            if (outcome) outcome->body.resize(outcome->body.size() / 2);
            return outcome;
        }
        case Fault::kNone:
            break;
    }
    return inner_.send(request, options);
}

FaultCounts FaultyTransport::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

}  // namespace mlc::net::testing
