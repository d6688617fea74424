#pragma once
// RequestLog: the vendor requests one emulator received (method, path with query, headers, body),
// with secrets masked, for tests and people to inspect under /__sandbox/requests.
//
// Lifecycle: owned by SandboxHost, one per emulator. Thread safety: none; the host calls it under
// the emulator's mutex. Bounded: the oldest entries are dropped past kEntriesMax.

#include <cstddef>
#include <deque>
#include <string>

#include <boost/json/array.hpp>

#include "net/http_types.hpp"

namespace mlc::sandbox {

// Header and query parameter names whose values are secrets (case-insensitive).
bool is_secret_name(std::string_view name);
// The URL with secret query parameter values replaced by "***".
std::string mask_url(std::string_view url);

class RequestLog {
  public:
    static constexpr std::size_t kEntriesMax = 10'000;  // Enough for a test or a demo session.

    void record(const net::HttpRequest& request);
    void clear() { entries_.clear(); }
    std::size_t size() const { return entries_.size(); }
    boost::json::array to_json() const;

  private:
    std::deque<net::HttpRequest> entries_;  // Already masked.
};

}  // namespace mlc::sandbox
