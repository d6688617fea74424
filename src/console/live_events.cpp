#include "console/live_events.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace mlc::console {

void LiveEvents::add(std::shared_ptr<net::EventStream> stream) {
    std::lock_guard lock(mutex_);  // "ready" comes before any change published after it.
    std::erase_if(streams_, [](const auto& s) { return !s->is_open(); });
    if (stream->send("ready", "{}")) streams_.push_back(std::move(stream));
}

void LiveEvents::publish(std::string_view what) {
    const std::string data = boost::json::serialize(boost::json::object{{"what", what}});
    std::lock_guard lock(mutex_);
    std::erase_if(streams_, [&data](const auto& s) { return !s->send("change", data); });
}

std::size_t LiveEvents::open_streams() {
    std::lock_guard lock(mutex_);
    std::erase_if(streams_, [](const auto& s) { return !s->is_open(); });
    return streams_.size();
}

}  // namespace mlc::console
