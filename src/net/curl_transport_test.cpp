#include "net/curl_transport.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.hpp"

namespace mlc::net {
namespace {

using std::chrono::milliseconds;

// Connections one test server accepts; tests open a handful.
constexpr int kConnectionsMax = 64;
// Bytes of one request the test server reads before giving up on it.
constexpr std::size_t kRequestBytesMax = 1 << 20;
// How often server loops look at the stop flag.
constexpr int kPollIntervalMs = 20;

struct Received {
    std::string method;
    std::string target;
    Headers headers;
    std::string body;
};

// Raw HTTP/1.1 answer bytes for a request; an empty string means "stay silent".
using RawHandler = std::function<std::string(const Received&)>;

std::string raw_response(int status, const std::string& body, const std::string& extra = "") {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

// A tiny blocking HTTP/1.1 server on 127.0.0.1, port 0, one thread per connection, keep-alive.
// Just enough to see what CurlTransport puts on the wire and how it reads answers.
class LoopbackServer {
  public:
    explicit LoopbackServer(RawHandler handler) : handler_(std::move(handler)) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
        EXPECT_EQ(::listen(listen_fd_, 16), 0);
        socklen_t length = sizeof(address);
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~LoopbackServer() {
        stop_ = true;
        acceptor_.join();
        for (auto& worker : workers_) worker.join();
        ::close(listen_fd_);
    }

    std::string url(const std::string& target) const {
        return "http://127.0.0.1:" + std::to_string(port_) + target;
    }
    int accepted() const { return accepted_; }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

  private:
    bool wait_readable(int fd) const {
        while (!stop_) {
            pollfd poll_fd{fd, POLLIN, 0};
            if (::poll(&poll_fd, 1, kPollIntervalMs) > 0) return true;
        }
        return false;
    }

    void accept_loop() {
        while (accepted_ < kConnectionsMax && wait_readable(listen_fd_)) {
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) continue;
            ++accepted_;
            workers_.emplace_back([this, fd] {
                serve(fd);
                ::close(fd);
            });
        }
    }

    // Reads one request; false when the peer closed or the server stops.
    bool read_request(int fd, std::string& buffer, Received& out) const {
        std::size_t header_end;
        while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
            if (buffer.size() > kRequestBytesMax || !wait_readable(fd)) return false;
            char chunk[4096];
            const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
            if (got <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(got));
        }
        const std::string head = buffer.substr(0, header_end);
        std::size_t line_end = head.find("\r\n");
        const std::string request_line = head.substr(0, line_end);
        out.method = request_line.substr(0, request_line.find(' '));
        out.target = request_line.substr(out.method.size() + 1,
                                         request_line.rfind(' ') - out.method.size() - 1);
        std::size_t content_length = 0;
        while (line_end != std::string::npos && line_end < head.size()) {
            const std::size_t next = head.find("\r\n", line_end + 2);
            const std::string line = head.substr(
                line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                out.headers.emplace_back(line.substr(0, colon), value);
            }
            line_end = next;
        }
        if (const auto length = find_header(out.headers, "Content-Length")) {
            content_length = std::stoul(std::string(*length));
        }
        buffer.erase(0, header_end + 4);
        while (buffer.size() < content_length) {
            if (!wait_readable(fd)) return false;
            char chunk[4096];
            const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
            if (got <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(got));
        }
        out.body = buffer.substr(0, content_length);
        buffer.erase(0, content_length);
        return true;
    }

    void serve(int fd) {
        std::string buffer;
        Received request;
        while (read_request(fd, buffer, request)) {
            {
                std::lock_guard lock(mutex_);
                received_.push_back(request);
            }
            const std::string answer = handler_(request);
            if (answer.empty()) {  // Silent: hold the connection until the client gives up.
                char sink[256];
                while (wait_readable(fd) && ::recv(fd, sink, sizeof(sink), 0) > 0) {
                }
                return;
            }
            std::size_t sent = 0;
            while (sent < answer.size()) {
                const ssize_t n =
                    ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) return;
                sent += static_cast<std::size_t>(n);
            }
            request = Received{};
        }
    }

    RawHandler handler_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::thread acceptor_;
    std::vector<std::thread> workers_;  // Touched by the acceptor thread only, then the dtor.
    mutable std::mutex mutex_;
    std::vector<Received> received_;
};

// gzip of {"hello":"gzip","pad":"aaaa...(40 a)"} (python3 gzip.compress, mtime=0).
const unsigned char kGzipBody[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0x48, 0xcd, 0xc9,
    0xc9, 0x57, 0xb2, 0x52, 0x4a, 0xaf, 0xca, 0x2c, 0x50, 0xd2, 0x51, 0x2a, 0x48, 0x4c, 0x01, 0x72,
    0x12, 0x89, 0x04, 0x4a, 0xb5, 0x00, 0xb9, 0xaa, 0x3e, 0xaa, 0x41, 0x00, 0x00, 0x00};

const TransportOptions kQuick{.connect_timeout = milliseconds(2'000),
                              .total_timeout = milliseconds(5'000)};

TEST(CurlTransport, ReturnsStatusHeadersAndBody) {
    LoopbackServer server([](const Received&) {
        return raw_response(201, R"({"orderId":7})",
                            "Content-Type: application/json\r\nX-Rate-Limit-Remaining: 39\r\n");
    });
    CurlTransport transport;
    HttpRequest request;
    request.url = server.url("/orders?page=1");
    const auto result = transport.send(request, kQuick);
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->status, 201);
    EXPECT_EQ(result->body, R"({"orderId":7})");
    EXPECT_EQ(find_header(result->headers, "x-rate-limit-remaining"), "39");
    EXPECT_EQ(server.received().at(0).target, "/orders?page=1");
}

TEST(CurlTransport, SendsMethodHeadersAndBodyAsGiven) {
    LoopbackServer server([](const Received&) { return raw_response(200, "{}"); });
    CurlTransport transport;
    HttpRequest request;
    request.method = "POST";
    request.url = server.url("/orders/createorder");
    request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "t-1"}};
    request.body = std::string(70'000, 'x');  // Large enough that curl would ask to continue.
    ASSERT_TRUE(transport.send(request, kQuick));
    const Received seen = server.received().at(0);
    EXPECT_EQ(seen.method, "POST");
    EXPECT_EQ(seen.body, request.body);
    EXPECT_EQ(find_header(seen.headers, "X-Trace"), "t-1");
    EXPECT_EQ(find_header(seen.headers, "Content-Type"), "application/json");
    EXPECT_FALSE(find_header(seen.headers, "Expect").has_value());
    EXPECT_TRUE(find_header(seen.headers, "User-Agent").has_value());
}

TEST(CurlTransport, PutAndDeleteKeepTheirMethod) {
    LoopbackServer server([](const Received&) { return raw_response(204, ""); });
    CurlTransport transport;
    HttpRequest put{.method = "PUT", .url = server.url("/items/1"), .body = "{\"a\":1}"};
    HttpRequest del{.method = "DELETE", .url = server.url("/items/1")};
    ASSERT_TRUE(transport.send(put, kQuick));
    ASSERT_TRUE(transport.send(del, kQuick));
    EXPECT_EQ(server.received().at(0).method, "PUT");
    EXPECT_EQ(server.received().at(0).body, "{\"a\":1}");
    EXPECT_EQ(server.received().at(1).method, "DELETE");
}

TEST(CurlTransport, AsksForAndDecodesGzip) {
    LoopbackServer server([](const Received&) {
        return raw_response(
            200, std::string(reinterpret_cast<const char*>(kGzipBody), sizeof(kGzipBody)),
            "Content-Encoding: gzip\r\n");
    });
    CurlTransport transport;
    HttpRequest request{.url = server.url("/reports/1")};
    const auto result = transport.send(request, kQuick);
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->body, R"({"hello":"gzip","pad":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})");
    const Received seen = server.received().at(0);  // A copy: find_header returns a view.
    const auto accept = find_header(seen.headers, "Accept-Encoding");
    ASSERT_TRUE(accept.has_value());
    EXPECT_NE(accept->find("gzip"), std::string_view::npos);
}

TEST(CurlTransport, ReusesTheConnectionForTheSameHost) {
    LoopbackServer server([](const Received&) { return raw_response(200, "{}"); });
    CurlTransport transport;
    HttpRequest request{.url = server.url("/orders")};
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(transport.send(request, kQuick));
    EXPECT_EQ(server.accepted(), 1);
}

TEST(CurlTransport, IsSafeFromSeveralThreads) {
    LoopbackServer server([](const Received&) { return raw_response(200, "{}"); });
    CurlTransport transport;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            HttpRequest request{.url = server.url("/orders")};
            for (int i = 0; i < 10; ++i) ok += transport.send(request, kQuick) ? 1 : 0;
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok, 40);
    EXPECT_LE(server.accepted(), 4 + 1);  // Roughly one connection per concurrent caller.
}

TEST(CurlTransport, ConnectionRefusedIsTransientAndHidesTheQuery) {
    // A bound but not listening socket: the port is ours, and connecting to it is refused.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    CurlTransport transport;
    HttpRequest request{.url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) +
                               "/orders?api_key=s3cr3t"};
    const auto result = transport.send(request, kQuick);
    ::close(fd);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_NE(result.error().message.find("127.0.0.1:" + std::to_string(ntohs(address.sin_port)) +
                                          "/orders"),
              std::string::npos)
        << result.error().message;
    EXPECT_EQ(result.error().message.find("s3cr3t"), std::string::npos) << result.error().message;
}

TEST(CurlTransport, SilentServerHitsTheTotalTimeoutAsTransient) {
    LoopbackServer server([](const Received&) { return std::string(); });
    CurlTransport transport;
    HttpRequest request{.url = server.url("/slow")};
    const auto result =
        transport.send(request, TransportOptions{.connect_timeout = milliseconds(1'000),
                                                 .total_timeout = milliseconds(300)});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    const std::string& message = result.error().message;
    EXPECT_NE(message.find("127.0.0.1:"), std::string::npos) << message;
    EXPECT_NE(message.find("total timeout (300 ms)"), std::string::npos) << message;
}

// A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
// new connection attempt hangs in connect (the way a firewalled vendor host looks).
TEST(CurlTransport, UnreachableHostHitsTheConnectTimeoutNamingTheHost) {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(listener, 0), 0);
    socklen_t length = sizeof(address);
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    // Fill the accept queue (backlog 0 holds one; a few more in case the kernel rounds up).
    constexpr int kQueueFillers = 4;
    std::vector<int> fillers;
    for (int i = 0; i < kQueueFillers; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
        fillers.push_back(fd);
    }
    CurlTransport transport;
    const std::string host = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    const auto result = transport.send(HttpRequest{.url = "http://" + host + "/orders"},
                                       TransportOptions{.connect_timeout = milliseconds(200),
                                                        .total_timeout = milliseconds(5'000)});
    for (const int fd : fillers) ::close(fd);
    ::close(listener);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_NE(result.error().message.find(host), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("connect timeout (200 ms)"), std::string::npos)
        << result.error().message;
}

// libcurl reads http_proxy / https_proxy / no_proxy itself (CURLOPT_PROXY is never set), so a
// deployment behind a proxy only sets those variables.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = std::string(old);
        ::setenv(name, value, 1);
    }
    ~ScopedEnv() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }

  private:
    const char* name_;
    std::optional<std::string> old_;
};

TEST(CurlTransport, GoesThroughTheProxyNamedInTheEnvironment) {
    LoopbackServer proxy([](const Received&) { return raw_response(200, "via proxy"); });
    const std::string proxy_url = proxy.url("");
    const ScopedEnv http_proxy("http_proxy", proxy_url.c_str());
    const ScopedEnv no_proxy("no_proxy", "localhost.example");
    const ScopedEnv no_proxy_upper("NO_PROXY", "localhost.example");
    CurlTransport transport;
    // vendor.invalid cannot resolve: only the proxy can have answered.
    const auto result =
        transport.send(HttpRequest{.url = "http://vendor.invalid/orders?page=2"}, kQuick);
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->body, "via proxy");
    const Received seen = proxy.received().at(0);
    EXPECT_EQ(seen.target, "http://vendor.invalid/orders?page=2");  // Absolute form: a proxy.
    EXPECT_EQ(find_header(seen.headers, "Host"), "vendor.invalid");
}

TEST(CurlTransport, RefusesAnAnswerLargerThanTheBodyLimit) {
    LoopbackServer server(
        [](const Received&) { return raw_response(200, std::string(5'000, 'z')); });
    CurlTransport transport(CurlTransportOptions{.response_body_bytes_max = 1'000});
    HttpRequest request{.url = server.url("/big")};
    const auto result = transport.send(request, kQuick);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_NE(result.error().message.find("exceeds"), std::string::npos) << result.error().message;
}

TEST(CurlTransport, UnsupportedSchemeIsRefused) {
    CurlTransport transport;
    HttpRequest request{.url = "file:///etc/passwd"};
    const auto result = transport.send(request, kQuick);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
}

// The project's own server answering the real client end to end.
TEST(CurlTransport, TalksToTheProjectHttpServer) {
    HttpServer server(HttpServerOptions{}, [](const HttpRequest& request) {
        HttpResponse response = json_response(200, R"({"echo":")" + request.body + R"("})");
        response.headers.emplace_back("X-Rate-Limit-Remaining", "12");
        return response;
    });
    ASSERT_TRUE(server.start());
    CurlTransport transport;
    HttpRequest request{.method = "POST", .url = server.base_url() + "/hook", .body = "abc"};
    for (int i = 0; i < 3; ++i) {
        const auto result = transport.send(request, kQuick);
        ASSERT_TRUE(result) << result.error().describe();
        EXPECT_EQ(result->status, 200);
        EXPECT_EQ(result->body, R"({"echo":"abc"})");
        EXPECT_EQ(find_header(result->headers, "X-Rate-Limit-Remaining"), "12");
    }
    server.stop();
}

}  // namespace
}  // namespace mlc::net
