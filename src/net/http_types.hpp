#pragma once
// Plain HTTP messages shared by the client (HttpTransport), the server (HttpServer) and the
// sandboxes. Header names compare case-insensitively. Value types.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlc::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// First header named `name` (case-insensitive), or nullopt.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);
// Replaces every header named `name` with one `name: value`.
void set_header(Headers& headers, std::string_view name, std::string value);

struct HttpRequest {
    std::string method = "GET";
    // Client side: an absolute URL ("https://ssapi.shipstation.com/orders?page=1").
    // Server side: the request target as received ("/orders?page=1").
    std::string url{};
    Headers headers{};
    std::string body{};
    std::string remote_address{};  // Server side only.
};

struct HttpResponse {
    int status = 200;
    Headers headers;
    std::string body;
    // Server side: close the connection without writing any answer (sandbox fault injection of
    // "dropped connection"). The server honours it; clients then see a transport error.
    bool drop_connection = false;
};

// Path of a URL or request target, without query ("/a/b"), and its decoded query parameters in
// order. Repeated names are kept.
std::string url_path(std::string_view url_or_target);
std::vector<std::pair<std::string, std::string>> url_query(std::string_view url_or_target);
std::optional<std::string> query_param(std::string_view url_or_target, std::string_view name);
std::string url_encode(std::string_view text);  // RFC 3986 unreserved kept, everything else %XX.

// `body` (JSON text) with Content-Type application/json; bytes that are not UTF-8 as U+FFFD.
HttpResponse json_response(int status, std::string body);

}  // namespace mlc::net
