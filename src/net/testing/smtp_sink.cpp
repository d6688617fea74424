#include "net/testing/smtp_sink.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "common/base64.hpp"

namespace mlc::net::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (extension == nullptr) return;
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
}

// A self-signed P-256 certificate for IP 127.0.0.1, valid from an hour ago for a day.
std::pair<EVP_PKEY*, X509*> make_certificate() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86'400);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("mlc smtp sink"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    add_extension(cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(cert, NID_subject_alt_name, "IP:127.0.0.1");
    X509_sign(cert, key, EVP_sha256());
    return {key, cert};
}

std::string pem_of(X509* cert) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

// "<a@b>" of "MAIL FROM:<a@b> SIZE=12" -> "a@b".
std::string address_of(const std::string& line) {
    const auto open = line.find('<');
    const auto close = line.find('>', open);
    if (open == std::string::npos || close == std::string::npos) return {};
    return line.substr(open + 1, close - open - 1);
}

}  // namespace

struct SmtpSink::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    asio::ssl::context tls{asio::ssl::context::tls_server};
    std::filesystem::path dir;
    std::atomic<bool> stop{false};
    std::thread thread;
    mutable std::mutex mutex;
    std::vector<SinkMessage> messages;

    void serve() {
        while (!stop.load()) {
            tcp::socket socket(io);
            boost::system::error_code ec;
            acceptor.accept(socket, ec);
            if (ec || stop.load()) return;
            asio::ssl::stream<tcp::socket> stream(std::move(socket), tls);
            try {
                session(stream);
            } catch (const std::exception&) {
                // A client that went away: the next one is served.
            }
        }
    }

    void session(asio::ssl::stream<tcp::socket>& stream);
};

void SmtpSink::Impl::session(asio::ssl::stream<tcp::socket>& stream) {
    bool tls_on = false;
    asio::streambuf buffer;
    const auto write = [&](const std::string& text) {
        if (tls_on) {
            asio::write(stream, asio::buffer(text));
        } else {
            asio::write(stream.next_layer(), asio::buffer(text));
        }
    };
    const auto read_line = [&]() {
        if (tls_on) {
            asio::read_until(stream, buffer, "\r\n");
        } else {
            asio::read_until(stream.next_layer(), buffer, "\r\n");
        }
        std::istream in(&buffer);
        std::string line;
        std::getline(in, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    };
    SinkMessage message;
    write("220 127.0.0.1 mlc smtp sink\r\n");
    for (;;) {
        const std::string line = read_line();
        const std::string verb = line.substr(0, line.find(' '));
        if (verb == "EHLO" || verb == "HELO") {
            write(tls_on ? "250-127.0.0.1\r\n250 AUTH PLAIN\r\n"
                         : "250-127.0.0.1\r\n250 STARTTLS\r\n");
        } else if (verb == "STARTTLS" && !tls_on) {
            write("220 ready for TLS\r\n");
            stream.handshake(asio::ssl::stream_base::server);
            tls_on = true;
        } else if (!tls_on && verb != "QUIT") {
            write("530 must issue a STARTTLS command first\r\n");
        } else if (verb == "AUTH") {
            std::string credentials = line.size() > 11 ? line.substr(11) : "";
            if (credentials.empty()) {
                write("334 \r\n");
                credentials = read_line();
            }
            message.login = base64_decode(credentials).value_or("");
            write("235 authenticated\r\n");
        } else if (verb == "MAIL") {
            message.from = address_of(line);
            write("250 ok\r\n");
        } else if (verb == "RCPT") {
            message.to.push_back(address_of(line));
            write("250 ok\r\n");
        } else if (verb == "DATA") {
            write("354 end with <CRLF>.<CRLF>\r\n");
            for (std::string body = read_line(); body != "."; body = read_line()) {
                message.data += (body.starts_with("..") ? body.substr(1) : body) + "\r\n";
            }
            message.tls = tls_on;
            {
                std::lock_guard lock(mutex);
                messages.push_back(message);
            }
            message =
                SinkMessage{.from = {}, .to = {}, .data = {}, .tls = false, .login = message.login};
            write("250 queued\r\n");
        } else if (verb == "QUIT") {
            write("221 bye\r\n");
            return;
        } else {
            write(verb == "RSET" || verb == "NOOP" ? "250 ok\r\n" : "502 not implemented\r\n");
        }
    }
}

SmtpSink::SmtpSink() : impl_(std::make_unique<Impl>()) {
    auto [key, cert] = make_certificate();
    SSL_CTX_use_certificate(impl_->tls.native_handle(), cert);
    SSL_CTX_use_PrivateKey(impl_->tls.native_handle(), key);
    std::string pattern = "/tmp/mlc_smtp_sink_XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) impl_->dir = pattern;
    std::ofstream(impl_->dir / "ca.pem") << pem_of(cert);
    X509_free(cert);
    EVP_PKEY_free(key);
    impl_->thread = std::thread([impl = impl_.get()] { impl->serve(); });
}

SmtpSink::~SmtpSink() {
    impl_->stop.store(true);
    boost::system::error_code ec;
    tcp::socket wake(impl_->io);  // Unblocks accept().
    wake.connect(impl_->acceptor.local_endpoint(), ec);
    if (impl_->thread.joinable()) impl_->thread.join();
    std::filesystem::remove_all(impl_->dir, ec);
}

std::string SmtpSink::url() const {
    return "smtp://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

std::string SmtpSink::ca_file() const { return (impl_->dir / "ca.pem").string(); }

std::vector<SinkMessage> SmtpSink::messages() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->messages;
}

}  // namespace mlc::net::testing
