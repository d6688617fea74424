#pragma once
// What the fuzz targets that drive an emulator share: a transport that refuses every outbound
// call, the JSON check of an answer, and the "METHOD /target\nbody" form of a request input.
// Harness code only.

#include <algorithm>
#include <optional>
#include <string_view>

#include <boost/json/parse.hpp>

#include "common/error.hpp"
#include "net/http_transport.hpp"

namespace mlc::fuzz {

inline constexpr std::size_t kRequestLineMax = 2048;

// An emulator under fuzzing never reaches the network (webhook pushes fail at once).
class NoOutbound final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest&, const net::TransportOptions&) override {
        return make_error(ErrorCode::kTransient, "fuzz", "no outbound calls");
    }
};

inline bool is_json(std::string_view body) {
    boost::json::error_code ec;
    (void)boost::json::parse(body, ec);
    return !ec;
}

struct RequestText {
    std::string_view method;
    std::string_view target;
    std::string_view body;
};

// The input's first line "METHOD target" (at most kRequestLineMax characters) and the rest as the
// body; nullopt when the line has no space, or, with `absolute`, a target not starting with '/'.
inline std::optional<RequestText> request_text(std::string_view input, bool absolute = true) {
    const auto newline = input.find('\n');
    const std::string_view line = input.substr(0, std::min(newline, kRequestLineMax));
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    if (absolute && (space == 0 || space + 1 == line.size() || line[space + 1] != '/')) {
        return std::nullopt;
    }
    return RequestText{
        .method = line.substr(0, space),
        .target = line.substr(space + 1),
        .body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1)};
}

}  // namespace mlc::fuzz
