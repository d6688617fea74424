#include "connectors/ups/ups_track_alert.hpp"

#include "net/hmac.hpp"

namespace mlc::connectors::ups {

net::WebhookVerdict TrackAlertChannel::verify(const net::HttpRequest& request,
                                              std::string_view secret) const {
    const auto agent = net::find_header(request.headers, "User-Agent");
    if (!agent || *agent != kTrackAlertUserAgent) {
        return {.ok = false, .why = "not sent by UPS Track Alert (User-Agent)"};
    }
    const auto key = net::find_header(request.headers, kTrackAlertKeyHeader);
    if (!key) return {.ok = false, .why = "missing x-api-key (the push credential)"};
    if (secret.empty() || !net::constant_time_equal(*key, secret)) {
        return {.ok = false, .why = "wrong x-api-key (the push credential)"};
    }
    return {.ok = true, .why = {}};
}

std::string TrackAlertChannel::topic(const net::HttpRequest& request) const {
    (void)request;
    return kTrackAlertTopic;
}

std::string TrackAlertChannel::delivery_id(const net::HttpRequest& request) const {
    (void)request;
    return {};
}

}  // namespace mlc::connectors::ups
