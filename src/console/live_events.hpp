#pragma once
// LiveEvents: the console's open event streams (GET /api/events, Server-Sent Events) and what is
// pushed on them. Whatever changes what the page shows says so with publish(what): the console's
// own writes, each finished run (the daemon's Scheduler::on_run_finished), each alert pass that
// raised, updated or resolved an alert. Every open stream then gets
//   event: change
//   data: {"what": "flows" | "runs" | "deadletters" | "alerts"}
// and the page fetches what it shows again (an event carries no data a session could not read).
//
// Lifecycle: constructed before what publishes to it (the daemon's scheduler), outlives them.
// Thread safety: add() and publish() from any thread. Ownership: holds the streams; the server
// owns their connections (a closed stream is dropped at the next publish).

#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "net/http_server.hpp"

namespace mlc::console {

class LiveEvents {
  public:
    // Says "ready" on the stream (the page then knows it is live), then keeps it.
    void add(std::shared_ptr<net::EventStream> stream);
    // "change" with {"what": what} on every open stream.
    void publish(std::string_view what);
    std::size_t open_streams();

  private:
    std::mutex mutex_;
    std::vector<std::shared_ptr<net::EventStream>> streams_;
};

}  // namespace mlc::console
