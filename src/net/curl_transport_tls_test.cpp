// CurlTransport over TLS against a loopback server that presents a certificate made on the fly
// (no key material in the repository): verification is on by default, a per-transport CA file
// trusts a private CA (an on-premises Epicor) without any global switch, the host name is checked,
// and HTTP/2 is offered through ALPN.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/curl_transport.hpp"

namespace mlc::net {
namespace {

using std::chrono::milliseconds;

// How often the accept loop looks at the stop flag.
constexpr int kPollIntervalMs = 20;
// Bytes of one request head the server reads before answering anyway.
constexpr std::size_t kRequestHeadBytesMax = 64 * 1024;
// Safety net: a stuck handshake or read fails the test instead of hanging it.
constexpr int kSocketTimeoutSeconds = 10;
// ALPN protocol names recorded per handshake (curl offers two or three).
constexpr std::size_t kAlpnNamesMax = 16;

const TransportOptions kQuick{.connect_timeout = milliseconds(5'000),
                              .total_timeout = milliseconds(10'000)};

struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Deleter {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct CtxDeleter {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// A self-signed certificate for IP 127.0.0.1 only (P-256 key, valid from an hour ago for a day).
struct TestCertificate {
    std::unique_ptr<EVP_PKEY, PkeyDeleter> key;
    std::unique_ptr<X509, X509Deleter> cert;

    std::string pem() const {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        PEM_write_bio_X509(bio.get(), cert.get());
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(size));
    }
};

void add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(extension, nullptr);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
}

TestCertificate make_loopback_certificate() {
    TestCertificate out;
    out.key.reset(EVP_EC_gen("P-256"));
    EXPECT_NE(out.key, nullptr);
    out.cert.reset(X509_new());
    X509* cert = out.cert.get();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86'400);
    X509_set_pubkey(cert, out.key.get());
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("mlc test 127.0.0.1"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    add_extension(cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert, NID_subject_alt_name, "IP:127.0.0.1");
    EXPECT_GT(X509_sign(cert, out.key.get(), EVP_sha256()), 0);
    return out;
}

// The CA bundle a deployment would point `ca_file` at, in a fresh temporary directory.
class TempCaFile {
  public:
    explicit TempCaFile(const std::string& pem) {
        std::string pattern = "/tmp/mlc_net_tls_XXXXXX";
        const char* dir = ::mkdtemp(pattern.data());
        EXPECT_NE(dir, nullptr);
        dir_ = pattern;
        path_ = dir_ + "/ca.pem";
        std::ofstream(path_) << pem;
    }
    ~TempCaFile() {
        std::remove(path_.c_str());
        ::rmdir(dir_.c_str());
    }
    const std::string& path() const { return path_; }

  private:
    std::string dir_;
    std::string path_;
};

// A blocking TLS server on 127.0.0.1, port 0, one connection at a time: answers every request
// "200 ok" and records the ALPN protocols each client offered and how many requests it answered.
class TlsLoopbackServer {
  public:
    explicit TlsLoopbackServer(const TestCertificate& certificate) {
        // A client that rejects the certificate hangs up mid-handshake; SSL_write to that socket
        // would raise SIGPIPE and kill the test binary, so this test process ignores it (as the
        // daemon's Asio server and libcurl do for their own sockets).
        std::signal(SIGPIPE, SIG_IGN);
        ctx_.reset(SSL_CTX_new(TLS_server_method()));
        SSL_CTX_use_certificate(ctx_.get(), certificate.cert.get());
        SSL_CTX_use_PrivateKey(ctx_.get(), certificate.key.get());
        SSL_CTX_set_alpn_select_cb(ctx_.get(), &TlsLoopbackServer::select_alpn, this);
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
        EXPECT_EQ(::listen(listen_fd_, 8), 0);
        socklen_t length = sizeof(address);
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { accept_loop(); });
    }
    ~TlsLoopbackServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_fd_);
    }

    std::string url(const std::string& host, const std::string& target) const {
        return "https://" + host + ":" + std::to_string(port_) + target;
    }
    int answered() const { return answered_; }
    std::vector<std::string> offered_alpn() const {
        std::lock_guard lock(mutex_);
        return offered_alpn_;
    }

  private:
    static int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length,
                           const unsigned char* in, unsigned int in_length, void* user) {
        auto* self = static_cast<TlsLoopbackServer*>(user);
        std::lock_guard lock(self->mutex_);
        self->offered_alpn_.clear();
        bool http11 = false;
        for (unsigned int at = 0; at < in_length && self->offered_alpn_.size() < kAlpnNamesMax;) {
            const unsigned int size = in[at];
            if (at + 1 + size > in_length) break;
            std::string name(reinterpret_cast<const char*>(in + at + 1), size);
            if (name == "http/1.1") {
                *out = in + at + 1;
                *out_length = static_cast<unsigned char>(size);
                http11 = true;
            }
            self->offered_alpn_.push_back(std::move(name));
            at += 1 + size;
        }
        // This server speaks HTTP/1.1 only: it records the offer and picks http/1.1.
        return http11 ? SSL_TLSEXT_ERR_OK : SSL_TLSEXT_ERR_NOACK;
    }

    void accept_loop() {
        while (!stop_) {
            pollfd poll_fd{listen_fd_, POLLIN, 0};
            if (::poll(&poll_fd, 1, kPollIntervalMs) <= 0) continue;
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) continue;
            timeval timeout{kSocketTimeoutSeconds, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
            ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
            serve(fd);
            ::close(fd);
        }
    }

    void serve(int fd) {
        std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx_.get()));
        SSL_set_fd(ssl.get(), fd);
        if (SSL_accept(ssl.get()) != 1) {  // The client refused our certificate: expected.
            ERR_clear_error();
            return;
        }
        std::string head;
        char chunk[4096];
        while (head.find("\r\n\r\n") == std::string::npos && head.size() < kRequestHeadBytesMax) {
            const int got = SSL_read(ssl.get(), chunk, sizeof(chunk));
            if (got <= 0) return;
            head.append(chunk, static_cast<std::size_t>(got));
        }
        const std::string answer =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        if (SSL_write(ssl.get(), answer.data(), static_cast<int>(answer.size())) > 0) ++answered_;
        SSL_shutdown(ssl.get());
    }

    std::unique_ptr<SSL_CTX, CtxDeleter> ctx_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> answered_{0};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<std::string> offered_alpn_;
};

bool curl_has_http2() {
    return (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2) != 0;
}

TEST(CurlTransportTls, AnUntrustedCertificateIsRefusedByDefault) {
    const TestCertificate certificate = make_loopback_certificate();
    TlsLoopbackServer server(certificate);
    CurlTransport transport;  // System CA store only.
    const auto result =
        transport.send(HttpRequest{.url = server.url("127.0.0.1", "/orders")}, kQuick);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_NE(result.error().message.find("127.0.0.1"), std::string::npos)
        << result.error().message;
    EXPECT_EQ(server.answered(), 0);  // Nothing, credentials included, went to that server.
}

TEST(CurlTransportTls, CaFileTrustsThePrivateCaForThatTransportOnly) {
    const TestCertificate certificate = make_loopback_certificate();
    TlsLoopbackServer server(certificate);
    TempCaFile ca(certificate.pem());
    CurlTransport trusting(CurlTransportOptions{.ca_file = ca.path()});
    const auto trusted =
        trusting.send(HttpRequest{.url = server.url("127.0.0.1", "/orders")}, kQuick);
    ASSERT_TRUE(trusted) << trusted.error().describe();
    EXPECT_EQ(trusted->status, 200);
    EXPECT_EQ(trusted->body, "ok");

    // Another connection in the same process still verifies against the system store: the CA
    // option is per transport, not a process-wide switch.
    CurlTransport other;
    EXPECT_FALSE(other.send(HttpRequest{.url = server.url("127.0.0.1", "/orders")}, kQuick));
    EXPECT_EQ(server.answered(), 1);
}

TEST(CurlTransportTls, TheHostNameMustMatchTheCertificate) {
    const TestCertificate certificate = make_loopback_certificate();  // Names 127.0.0.1 only.
    TlsLoopbackServer server(certificate);
    TempCaFile ca(certificate.pem());
    CurlTransport transport(CurlTransportOptions{.ca_file = ca.path()});
    const auto result =
        transport.send(HttpRequest{.url = server.url("localhost", "/orders")}, kQuick);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kTransient);
    EXPECT_EQ(server.answered(), 0);
}

TEST(CurlTransportTls, OffersHttp2ByDefaultAndOnlyHttp11WhenPinned) {
    if (!curl_has_http2()) GTEST_SKIP() << "libcurl built without HTTP/2";
    const TestCertificate certificate = make_loopback_certificate();
    TlsLoopbackServer server(certificate);
    TempCaFile ca(certificate.pem());

    CurlTransport automatic(CurlTransportOptions{.ca_file = ca.path()});
    ASSERT_TRUE(automatic.send(HttpRequest{.url = server.url("127.0.0.1", "/a")}, kQuick));
    const auto offered = server.offered_alpn();
    EXPECT_NE(std::find(offered.begin(), offered.end(), "h2"), offered.end());
    EXPECT_NE(std::find(offered.begin(), offered.end(), "http/1.1"), offered.end());

    CurlTransport pinned(
        CurlTransportOptions{.ca_file = ca.path(), .http_version = HttpVersion::kHttp11});
    ASSERT_TRUE(pinned.send(HttpRequest{.url = server.url("127.0.0.1", "/b")}, kQuick));
    const auto offered11 = server.offered_alpn();
    EXPECT_EQ(std::find(offered11.begin(), offered11.end(), "h2"), offered11.end());
}

}  // namespace
}  // namespace mlc::net
