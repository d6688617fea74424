#include "net/curl_transport.hpp"

#include <curl/curl.h>

#include <array>
#include <mutex>
#include <vector>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

// Idle easy handles kept for reuse; more concurrent calls than this create handles that are
// freed afterwards. The shared connection cache is what keeps connections alive.
constexpr std::size_t kIdleHandlesMax = 16;
// Header lines in one answer; vendors send a few dozen. Past it the answer is refused.
constexpr std::size_t kResponseHeadersMax = 256;

struct EasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Exchange {
    HttpResponse response;
    std::size_t body_bytes_max = 0;
    bool body_too_large = false;
    bool too_many_headers = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const size_t bytes = size * count;
    if (exchange->response.body.size() + bytes > exchange->body_bytes_max) {
        exchange->body_too_large = true;
        return 0;  // Aborts the transfer (CURLE_WRITE_ERROR).
    }
    exchange->response.body.append(data, bytes);
    return bytes;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const size_t bytes = size * count;
    const std::string_view line = trim(std::string_view(data, bytes));
    if (line.starts_with("HTTP/")) {
        exchange->response.headers.clear();  // A new answer (after 100 Continue): start over.
        return bytes;
    }
    const auto colon = line.find(':');
    if (line.empty() || colon == std::string_view::npos) return bytes;
    if (exchange->response.headers.size() >= kResponseHeadersMax) {
        exchange->too_many_headers = true;
        return 0;
    }
    exchange->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                            std::string(trim(line.substr(colon + 1))));
    return bytes;
}

// "host:port" of a URL, without any user:password@.
std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    std::string_view authority = url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    return std::string(at == std::string_view::npos ? authority : authority.substr(at + 1));
}

long curl_http_version(HttpVersion version) {
    switch (version) {
        case HttpVersion::kHttp11:
            return CURL_HTTP_VERSION_1_1;
        case HttpVersion::kHttp2:
            return CURL_HTTP_VERSION_2_0;
        case HttpVersion::kAuto:
            break;
    }
    return CURL_HTTP_VERSION_2TLS;
}

}  // namespace

struct CurlTransport::Impl {
    explicit Impl(CurlTransportOptions opts) : options(std::move(opts)) {}
    // libcurl (and through it OpenSSL) is set up at the first request, not at construction: a
    // daemon with no flow that calls out never loads TLS (~2.5 MB of resident pages it would not
    // use; BENCHMARKS.md, idle memory).
    void start() {
        // Reference counted and thread safe in libcurl >= 7.84 (feature "threadsafe").
        MLC_ASSERT(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK, "libcurl initialises");
        share = curl_share_init();
        MLC_ASSERT(share != nullptr, "libcurl share object allocates");
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Impl::lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    ~Impl() {
        idle.clear();                  // Handles go before the share they use.
        if (share == nullptr) return;  // Never started.
        curl_share_cleanup(share);
        curl_global_cleanup();
    }

    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        static_cast<Impl*>(user)->share_mutexes.at(static_cast<std::size_t>(data)).lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* user) {
        static_cast<Impl*>(user)->share_mutexes.at(static_cast<std::size_t>(data)).unlock();
    }

    EasyHandle take() {
        std::call_once(started, [this] { start(); });
        {
            std::lock_guard guard(idle_mutex);
            if (!idle.empty()) {
                EasyHandle handle = std::move(idle.back());
                idle.pop_back();
                return handle;
            }
        }
        EasyHandle handle(curl_easy_init());
        MLC_ASSERT(handle != nullptr, "libcurl easy handle allocates");
        return handle;
    }
    void give_back(EasyHandle handle) {
        std::lock_guard guard(idle_mutex);
        if (idle.size() < kIdleHandlesMax) idle.push_back(std::move(handle));
    }

    void configure(CURL* h, const HttpRequest& request, const TransportOptions& transport,
                   curl_slist* headers, Exchange& exchange, char* error_buffer) const;

    CurlTransportOptions options;
    std::once_flag started;
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> share_mutexes;
    std::mutex idle_mutex;
    std::vector<EasyHandle> idle;
};

void CurlTransport::Impl::configure(CURL* h, const HttpRequest& request,
                                    const TransportOptions& transport, curl_slist* headers,
                                    Exchange& exchange, char* error_buffer) const {
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_SHARE, share);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // Threads: no SIGALRM for DNS timeouts.
    curl_easy_setopt(
        h, CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::max<std::int64_t>(1, transport.connect_timeout.count())));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<std::int64_t>(1, transport.total_timeout.count())));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // Every encoding libcurl can decode.
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, curl_http_version(options.http_version));
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options.response_body_bytes_max));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    if (request.method == "GET" && request.body.empty()) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
            request.method == "PATCH") {
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        }
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
}

CurlTransport::CurlTransport(CurlTransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::send(const HttpRequest& request,
                                         const TransportOptions& options) {
    Slist headers;
    bool has_expect = false;
    for (const auto& [name, value] : request.headers) {
        // "Name;" is libcurl's way to send a header with an empty value.
        const std::string line = value.empty() ? name + ";" : name + ": " + value;
        headers.reset(curl_slist_append(headers.release(), line.c_str()));
        has_expect = has_expect || find_header({{name, value}}, "Expect").has_value();
    }
    // No "Expect: 100-continue" round trip on large bodies unless the caller asks for it.
    if (!has_expect) headers.reset(curl_slist_append(headers.release(), "Expect:"));

    Exchange exchange;
    exchange.body_bytes_max = impl_->options.response_body_bytes_max;
    std::array<char, CURL_ERROR_SIZE> error_buffer{};
    EasyHandle handle = impl_->take();
    impl_->configure(handle.get(), request, options, headers.get(), exchange, error_buffer.data());
    const CURLcode code = curl_easy_perform(handle.get());
    long status = 0;
    curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_off_t connected_us = 0;  // 0 while no connection was made.
    curl_easy_getinfo(handle.get(), CURLINFO_CONNECT_TIME_T, &connected_us);
    impl_->give_back(std::move(handle));

    if (code != CURLE_OK) {
        std::string detail =
            error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
        if (code == CURLE_OPERATION_TIMEDOUT) {
            // Say which limit was hit: a connect timeout points at the network or a firewall, a
            // total timeout at a slow vendor (or a total_timeout too small for a large report).
            detail = connected_us == 0 && options.connect_timeout <= options.total_timeout
                         ? "connect timeout (" + std::to_string(options.connect_timeout.count()) +
                               " ms): " + detail
                         : "total timeout (" + std::to_string(options.total_timeout.count()) +
                               " ms): " + detail;
        } else if (exchange.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
            detail = "answer body exceeds " + std::to_string(exchange.body_bytes_max) + " bytes";
        } else if (exchange.too_many_headers) {
            detail = "answer has more than " + std::to_string(kResponseHeadersMax) + " headers";
        }
        return make_error(ErrorCode::kTransient, request.method + " " + host_of(request.url) +
                                                     url_path(request.url) + ": " + detail);
    }
    exchange.response.status = static_cast<int>(status);
    return std::move(exchange.response);
}

}  // namespace mlc::net
