#pragma once
// A tiny blocking HTTP/1.1 client over POSIX sockets, for the server tests only: it lets a test
// hold one connection open (keep-alive), send raw bytes, and read exactly one answer at a time.
// Reads give up after kReceiveTimeout so a broken server fails a test instead of hanging it
// (a safety net, not a timing assertion).
//
// Lifecycle: one TestConnection per TCP connection; closed by the destructor.
// Thread safety: none; use one per thread.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "net/http_types.hpp"

namespace mlc::net::testing {

inline constexpr int kReceiveTimeoutSeconds = 30;
inline constexpr std::size_t kResponseBytesMax = 16 * 1024 * 1024;

struct TestResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

class TestConnection {
  public:
    explicit TestConnection(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{};
        timeout.tv_sec = kReceiveTimeoutSeconds;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~TestConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    TestConnection(const TestConnection&) = delete;
    TestConnection& operator=(const TestConnection&) = delete;

    bool connected() const { return connected_; }

    bool send_raw(std::string_view bytes) {
        while (!bytes.empty()) {
            const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    bool send(const std::string& method, const std::string& target, const std::string& body = {},
              const Headers& headers = {}, bool keep_alive = true) {
        std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
        if (!keep_alive) request += "Connection: close\r\n";
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        return send_raw(request);
    }

    // One answer with a Content-Length body; nullopt on a closed or reset connection.
    std::optional<TestResponse> read_response() {
        std::size_t header_end = std::string::npos;
        while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return std::nullopt;
        }
        TestResponse response;
        const std::string head = buffer_.substr(0, header_end);
        buffer_.erase(0, header_end + 4);
        const auto first_space = head.find(' ');
        if (first_space == std::string::npos) return std::nullopt;
        response.status = std::atoi(head.c_str() + first_space + 1);
        std::size_t line_start = head.find("\r\n");
        while (line_start != std::string::npos) {
            line_start += 2;
            const auto line_end = head.find("\r\n", line_start);
            const std::string line = head.substr(line_start, line_end - line_start);
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                response.headers.emplace_back(line.substr(0, colon), value);
            }
            line_start = line_end;
        }
        const auto length = find_header(response.headers, "Content-Length");
        const std::size_t body_size = length ? std::stoul(std::string(*length)) : 0;
        while (buffer_.size() < body_size) {
            if (!fill()) return std::nullopt;
        }
        response.body = buffer_.substr(0, body_size);
        buffer_.erase(0, body_size);
        return response;
    }

    // The bytes up to and including the next `marker` (an event stream's "\n\n"); nullopt when
    // the connection ends first.
    std::optional<std::string> read_until(std::string_view marker) {
        std::size_t end = std::string::npos;
        while ((end = buffer_.find(marker)) == std::string::npos) {
            if (!fill()) return std::nullopt;
        }
        std::string text = buffer_.substr(0, end + marker.size());
        buffer_.erase(0, end + marker.size());
        return text;
    }

    // True when the server closed the connection (orderly EOF or reset) with nothing more to read.
    bool closed_by_server() { return buffer_.empty() && !fill(); }

  private:
    bool fill() {
        if (buffer_.size() > kResponseBytesMax) return false;
        char chunk[4096];
        const auto received = ::recv(fd_, chunk, sizeof chunk, 0);
        if (received <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(received));
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

// One request on a fresh connection (Connection: close).
inline std::optional<TestResponse> http_call(std::uint16_t port, const std::string& method,
                                             const std::string& target,
                                             const std::string& body = {},
                                             const Headers& headers = {}) {
    TestConnection connection(port);
    if (!connection.connected()) return std::nullopt;
    if (!connection.send(method, target, body, headers, /*keep_alive=*/false)) return std::nullopt;
    return connection.read_response();
}

}  // namespace mlc::net::testing
