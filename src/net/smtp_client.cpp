#include "net/smtp_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include <date/date.h>

namespace mlc::net {
namespace {

std::string one_line(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return text;
}

// RFC 5322 date, always UTC: "Thu, 03 Dec 2026 22:40:00 +0000".
std::string mail_date(UtcTime at) {
    return date::format("%a, %d %b %Y %H:%M:%S +0000",
                        std::chrono::time_point_cast<std::chrono::seconds>(at));
}

struct Upload {
    std::string data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.data() + upload->offset, n);
    upload->offset += n;
    return n;
}

// Reference counted and thread safe in libcurl >= 7.84, as in curl_transport.cpp.
struct CurlGlobal {
    CurlGlobal() { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }
    ~CurlGlobal() {
        if (ok) curl_global_cleanup();
    }
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
    bool ok = false;
};

// "smtp://mail.example.com:587" of the URL, without credentials or a path, for messages.
std::string server_name(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    std::string rest = url.substr(start, url.find('/', start) - start);
    if (const auto at = rest.rfind('@'); at != std::string::npos) rest.erase(0, at + 1);
    return url.substr(0, start) + rest;
}

}  // namespace

std::string format_mail(const MailMessage& message) {
    std::string to;
    for (const auto& address : message.to) to += (to.empty() ? "" : ", ") + one_line(address);
    std::string out = "Date: " + mail_date(message.date) + "\r\nFrom: " + one_line(message.from) +
                      "\r\nTo: " + to + "\r\nSubject: " + one_line(message.subject) + "\r\n";
    if (!message.message_id.empty()) {
        out += "Message-ID: <" + one_line(message.message_id) + ">\r\n";
    }
    out +=
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n";
    // Lines starting with '.' are left as they are: libcurl dot-stuffs the upload itself.
    for (std::size_t pos = 0; pos < message.body.size();) {
        auto end = message.body.find('\n', pos);
        if (end == std::string::npos) end = message.body.size();
        std::string line = message.body.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out += line + "\r\n";
        pos = end + 1;
    }
    return out;
}

Result<void> send_mail(const SmtpServer& server, const MailMessage& message) {
    const CurlGlobal global;
    if (!global.ok) return make_error(ErrorCode::kInternal, "smtp", "libcurl did not initialise");
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return make_error(ErrorCode::kInternal, "smtp", "libcurl handle not allocated");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(nullptr, &curl_slist_free_all);
    for (const auto& address : message.to) {
        rcpt.reset(curl_slist_append(rcpt.release(), address.c_str()));
    }
    Upload upload{.data = format_mail(message), .offset = 0};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, server.url.c_str());
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!server.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, server.ca_file.c_str());
    if (!server.username.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, server.username.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, server.password.c_str());
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, message.from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(server.timeout.count()));
    char reason[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, reason);
    const CURLcode code = curl_easy_perform(h);
    if (code != CURLE_OK) {
        const std::string why = reason[0] != '\0' ? reason : curl_easy_strerror(code);
        return make_error(ErrorCode::kTransient, "smtp",
                          "mail to " + std::to_string(message.to.size()) + " recipient(s) via " +
                              server_name(server.url) + " not sent: " + why);
    }
    return ok();
}

}  // namespace mlc::net
