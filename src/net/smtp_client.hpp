#pragma once
// One e-mail sent over SMTP by libcurl (smtp:// with STARTTLS required, or smtps://), for alert
// notifications (engine/alert_notifier.hpp). libcurl speaks the protocol; this only builds the
// RFC 5322 message (Date, From, To, Subject, Message-ID, a text/plain UTF-8 body) and the options.
//
//  * TLS is required (CURLOPT_USE_SSL = CURLUSESSL_ALL): a server that offers no STARTTLS is an
//    error, never a fall-back to plain text. Peer and host verification are always on; `ca_file`
//    adds a CA bundle (a private mail relay).
//  * The password is handed to libcurl only; errors name the server and the step, never it.
//
// Errors: kTransient for anything between connecting and the server's final answer (refused,
// TLS, rejected login or recipient), with libcurl's reason.
// Thread safety: reentrant (one easy handle per call). Blocking, bounded by `timeout`.

#include <chrono>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace mlc::net {

struct SmtpServer {
    std::string url = {};  // smtp://mail.example.com:587 or smtps://mail.example.com:465
    std::string username = {};
    std::string password = {};
    std::string ca_file = {};
    std::chrono::milliseconds timeout{30'000};
};

struct MailMessage {
    std::string from = {};
    std::vector<std::string> to = {};
    std::string subject = {};     // One line; CR and LF are replaced by spaces.
    std::string body = {};        // Plain text; lines end in LF or CRLF.
    UtcTime date{};               // The Date header.
    std::string message_id = {};  // Without brackets ("alert-7-raised@mlc"); empty: none.
};

// The message as sent (headers, blank line, body with CRLF line ends).
std::string format_mail(const MailMessage& message);

Result<void> send_mail(const SmtpServer& server, const MailMessage& message);

}  // namespace mlc::net
