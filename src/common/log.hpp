#pragma once
// Logging: spdlog loggers built from options, never registered globally (no spdlog registry, no
// default logger), so two loggers with different sinks can live in one test. Components receive
// a std::shared_ptr<spdlog::logger> through their constructor.
//
// Formats: text ("2024-03-15T10:20:30.123Z info mlc: message") or JSON lines
// ({"ts":"2024-03-15T10:20:30.123Z","level":"info","logger":"mlc","msg":"message"}), times UTC.
// Secrets must never be passed to a logger: log secret names, never values.
//
// Lifecycle: make_logger() returns a ready logger; it owns its sink. Thread safety: the returned
// logger and its sinks are safe to use from several threads (spdlog *_mt sinks).

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "common/result.hpp"

namespace mlc {

enum class LogFormat { kText, kJson };
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kCritical, kOff };

struct LogOptions {
    LogFormat format = LogFormat::kText;
    LogLevel level = LogLevel::kInfo;
    // Where lines go: `sink` if set, else `stream` if set (tests pass a std::ostringstream, which
    // must outlive the logger), else stderr.
    spdlog::sink_ptr sink = nullptr;
    std::ostream* stream = nullptr;
    std::string name = "mlc";
};

std::shared_ptr<spdlog::logger> make_logger(const LogOptions& options);

// Config words: "text" | "json"; "trace" | "debug" | "info" | "warn" | "error" | "critical" |
// "off". Errors are kConfig and list the accepted words.
Result<LogFormat> parse_log_format(std::string_view text);
Result<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogFormat format);
std::string_view to_string(LogLevel level);

}  // namespace mlc
