#pragma once
// SmtpSink: a loopback SMTP server for tests of net/smtp_client.hpp and the alert e-mails. It
// speaks just enough ESMTP to take a message the way a mail relay on port 587 does: it offers
// STARTTLS and nothing else before TLS (so a client that does not upgrade cannot send), and
// AUTH PLAIN only after it. Its certificate is made at start for IP 127.0.0.1 (OpenSSL, P-256,
// never written anywhere but ca_file(), a temporary file the client trusts).
//
// Each accepted message is recorded before the final "250" answer, so once the client's call
// returns the message is in messages(): tests never wait.
//
// Test code only. Lifecycle: the constructor listens and starts the serving thread; the
// destructor stops it. Thread safety: messages() may be called from any thread.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mlc::net::testing {

struct SinkMessage {
    std::string from;             // MAIL FROM address
    std::vector<std::string> to;  // RCPT TO addresses
    std::string data;             // As received, dot-unstuffed, CRLF line ends
    bool tls = false;             // Sent after STARTTLS
    std::string login;            // AUTH PLAIN "user\0password" decoded; empty without AUTH
};

class SmtpSink {
  public:
    SmtpSink();
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::string url() const;      // "smtp://127.0.0.1:PORT"
    std::string ca_file() const;  // PEM of the sink's self-signed certificate
    std::vector<SinkMessage> messages() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mlc::net::testing
