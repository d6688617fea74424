#pragma once
// CurlTransport: HttpTransport on libcurl (easy handles + a share object).
//
//  * Connection reuse: finished easy handles go back to a pool, and all handles share one
//    connection cache, DNS cache and TLS session cache (CURLSH with lock callbacks), so calls to
//    the same host reuse a kept-alive connection whichever thread makes them.
//  * HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise; gzip/deflate/br/zstd
//    answers decoded (CURLOPT_ACCEPT_ENCODING "" = everything libcurl was built with).
//  * TLS peer and host verification always on; `ca_file` adds a CA bundle for this connection
//    (an on-premises Epicor with a private CA). There is deliberately no "insecure" switch.
//  * Proxies: libcurl reads http_proxy / https_proxy / no_proxy (and ALL_PROXY) from the
//    environment itself; we leave that on (CURLOPT_PROXY is not set), so a deployment behind a
//    proxy needs only those variables.
//  * Redirects are not followed: vendor APIs answer where they are, and following one could send
//    credentials to another host.
//  * Every option is set explicitly on every request (curl_easy_reset first), never inherited.
//
// Errors: no answer (refused, reset, timeout, TLS failure, body over the limit) -> kTransient
// naming host and path, never the query string.
//
// Lifecycle: one per connection, outlives every call on it. Thread safety: send() is safe from
// several threads. Owns its easy handles and share object.

#include <cstddef>
#include <memory>
#include <string>

#include "net/http_transport.hpp"

namespace mlc::net {

enum class HttpVersion { kAuto, kHttp11, kHttp2 };  // kAuto: h2 over TLS when offered, else 1.1.

struct CurlTransportOptions {
    std::string ca_file{};  // Extra CA bundle (PEM) for this connection; empty = system store.
    HttpVersion http_version = HttpVersion::kAuto;
    std::string user_agent = "ml-connector/0.1";
    std::size_t response_body_bytes_max = 256u << 20;  // 256 MiB: Amazon reports are large.
};

class CurlTransport final : public HttpTransport {
  public:
    explicit CurlTransport(CurlTransportOptions options = {});
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    using HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest& request, const TransportOptions& options) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mlc::net
