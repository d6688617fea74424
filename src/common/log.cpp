#include "common/log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace mlc {
namespace {

constexpr std::array<std::pair<LogLevel, std::string_view>, 7> kLevelNames = {{
    {LogLevel::kTrace, "trace"},
    {LogLevel::kDebug, "debug"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"},
    {LogLevel::kCritical, "critical"},
    {LogLevel::kOff, "off"},
}};

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::kTrace:
            return spdlog::level::trace;
        case LogLevel::kDebug:
            return spdlog::level::debug;
        case LogLevel::kInfo:
            return spdlog::level::info;
        case LogLevel::kWarn:
            return spdlog::level::warn;
        case LogLevel::kError:
            return spdlog::level::err;
        case LogLevel::kCritical:
            return spdlog::level::critical;
        case LogLevel::kOff:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}

void append(spdlog::memory_buf_t& dest, std::string_view text) {
    dest.append(text.data(), text.data() + text.size());
}

// JSON string body (without quotes), escaping per RFC 8259.
void append_json_escaped(spdlog::memory_buf_t& dest, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '"':
                append(dest, "\\\"");
                break;
            case '\\':
                append(dest, "\\\\");
                break;
            case '\n':
                append(dest, "\\n");
                break;
            case '\r':
                append(dest, "\\r");
                break;
            case '\t':
                append(dest, "\\t");
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    append(dest, buffer);
                } else {
                    dest.push_back(c);
                }
        }
    }
}

// "2024-03-15T10:20:30.123Z" from spdlog's message time (UTC).
void append_timestamp(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point time) {
    const auto millis = std::chrono::time_point_cast<std::chrono::milliseconds>(time);
    const std::time_t seconds = spdlog::log_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[96];
    const auto ms = millis.time_since_epoch().count() % 1000;
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms < 0 ? ms + 1000 : ms));
    append(dest, buffer);
}

// The source-location "file" that marks a line logged with log_with_fields(); its "function"
// slot then holds the fields' members.
constexpr const char* kFieldsSource = "mlc:log-fields";

std::string_view fields_of(const spdlog::details::log_msg& msg) {
    if (msg.source.filename == nullptr || msg.source.funcname == nullptr ||
        std::strcmp(msg.source.filename, kFieldsSource) != 0) {
        return {};
    }
    return msg.source.funcname;
}

// One JSON object per line: {"ts","level","logger","msg"} and the message's fields.
class JsonFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const std::string_view text(msg.payload.data(), msg.payload.size());
        const std::string_view members = fields_of(msg);
        append(dest, "{\"ts\":\"");
        append_timestamp(dest, msg.time);
        append(dest, "\",\"level\":\"");
        const auto level = spdlog::level::to_string_view(msg.level);
        append(dest, std::string_view(level.data(), level.size()));
        append(dest, "\",\"logger\":\"");
        append_json_escaped(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
        append(dest, "\",\"msg\":\"");
        append_json_escaped(dest, text);
        append(dest, "\"");
        if (!members.empty()) {
            append(dest, ",");
            append(dest, members);
        }
        append(dest, "}\n");
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(const LogOptions& options) {
    spdlog::sink_ptr sink = options.sink;
    if (!sink && options.stream != nullptr) {
        sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*options.stream, true);
    }
    if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    if (options.format == LogFormat::kJson) {
        sink->set_formatter(std::make_unique<JsonFormatter>());
    } else {
        sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
            "%Y-%m-%dT%H:%M:%S.%eZ %l %n: %v", spdlog::pattern_time_type::utc));
    }
    auto logger = std::make_shared<spdlog::logger>(options.name, std::move(sink));
    logger->set_level(to_spdlog(options.level));
    // Warnings and worse reach the sink at once: an operator tailing the log sees failures now.
    logger->flush_on(spdlog::level::warn);
    return logger;
}

LogFields& LogFields::add(std::string_view key, std::string_view value) {
    spdlog::memory_buf_t buffer;
    append(buffer, members_.empty() ? "\"" : ",\"");
    append_json_escaped(buffer, key);
    append(buffer, "\":\"");
    append_json_escaped(buffer, value);
    append(buffer, "\"");
    members_.append(buffer.data(), buffer.size());
    return *this;
}

LogFields& LogFields::add(std::string_view key, std::int64_t value) {
    spdlog::memory_buf_t buffer;
    append(buffer, members_.empty() ? "\"" : ",\"");
    append_json_escaped(buffer, key);
    append(buffer, "\":");
    members_.append(buffer.data(), buffer.size());
    members_ += std::to_string(value);
    return *this;
}

void log_with_fields(spdlog::logger& log, spdlog::level::level_enum level, std::string_view message,
                     const LogFields& fields) {
    if (!log.should_log(level)) return;
    log.log(spdlog::source_loc{kFieldsSource, 0, fields.members().c_str()}, level, "{}", message);
}

Result<LogFormat> parse_log_format(std::string_view text) {
    if (text == "text") return LogFormat::kText;
    if (text == "json") return LogFormat::kJson;
    return make_error(ErrorCode::kConfig,
                      "unknown log format \"" + std::string(text) + "\": use text or json");
}

Result<LogLevel> parse_log_level(std::string_view text) {
    for (const auto& [level, name] : kLevelNames) {
        if (name == text) return level;
    }
    return make_error(ErrorCode::kConfig,
                      "unknown log level \"" + std::string(text) +
                          "\": use trace, debug, info, warn, error, critical or off");
}

std::string_view to_string(LogFormat format) {
    return format == LogFormat::kJson ? "json" : "text";
}

std::string_view to_string(LogLevel level) {
    for (const auto& [l, name] : kLevelNames) {
        if (l == level) return name;
    }
    return "info";
}

}  // namespace mlc
