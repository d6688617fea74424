#pragma once
// SandboxClient: what `mlc demo` says to one running sandbox (src/sandbox/README.md): its control
// API below /__sandbox/ (create orders, labels, parts...), over an HttpTransport, as any script
// would. Answers are JSON; a non-2xx answer becomes an error naming the system, route and body.
//
// Lifecycle: built once the sandbox listens. Thread safety: as safe as the transport (CurlTransport
// is). Ownership: borrows the transport.

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "net/http_transport.hpp"

namespace mlc::cli::demo {

// JSON has no exact decimal type and Boost.JSON would carry 12.50 as a double; money is built as
// this marked string instead and written as a bare number by to_json_text().
inline constexpr std::string_view kExactNumberMark = "#mlc-exact-number#";
boost::json::value exact_number(std::string_view decimal_text);
// Serialises `value`, writing every exact_number() as a bare JSON number.
std::string to_json_text(const boost::json::value& value);

// "http://127.0.0.1:4242/EpicorERP" -> "http://127.0.0.1:4242": where a sandbox's control API is.
std::string url_origin(std::string_view url);

class SandboxClient {
  public:
    // `origin`: the sandbox server ("http://127.0.0.1:PORT"); `system` names it in errors.
    SandboxClient(net::HttpTransport& transport, std::string origin, std::string system);

    // POST /__sandbox/<route> with a JSON body; the answer's JSON.
    Result<boost::json::value> post(std::string_view route, const boost::json::value& body);
    Result<boost::json::value> get(std::string_view route);

    const std::string& origin() const { return origin_; }

  private:
    Result<boost::json::value> send(std::string method, std::string_view route, std::string body);

    net::HttpTransport& transport_;
    std::string origin_;
    std::string system_;
};

}  // namespace mlc::cli::demo
