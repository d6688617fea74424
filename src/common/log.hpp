#pragma once
// Logging: spdlog loggers built from options, never registered globally (no spdlog registry, no
// default logger), so two loggers with different sinks can live in one test. Components receive
// a std::shared_ptr<spdlog::logger> through their constructor.
//
// Formats: text ("2024-03-15T10:20:30.123Z info mlc: message") or JSON lines
// ({"ts":"2024-03-15T10:20:30.123Z","level":"info","logger":"mlc","msg":"message"}), times UTC.
// A line logged with log_with_fields() carries fields (flow, run, counts, duration...): JSON
// lines get each as a member of their own after "msg" ({..., "msg":"...", "flow":"orders",
// "created":3}); text lines show the message alone (it says the same in words). The fields travel
// beside the message (spdlog's source location slot), never inside it, so no text a vendor sent
// can pose as one.
// Secrets must never be passed to a logger: log secret names, never values.
//
// Lifecycle: make_logger() returns a ready logger; it owns its sink. Thread safety: the returned
// logger and its sinks are safe to use from several threads (spdlog *_mt sinks).

#include <cstdint>
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

// The fields of one log line, in the order added. Values are never secrets (secret names only).
class LogFields {
  public:
    LogFields& add(std::string_view key, std::string_view value);
    LogFields& add(std::string_view key, std::int64_t value);
    // `"key":value,...` (JSON object members, escaped).
    const std::string& members() const { return members_; }

  private:
    std::string members_;
};

// Logs `message` at `level` with `fields` (loggers of make_logger(); sinks format at once).
void log_with_fields(spdlog::logger& log, spdlog::level::level_enum level, std::string_view message,
                     const LogFields& fields);

// Config words: "text" | "json"; "trace" | "debug" | "info" | "warn" | "error" | "critical" |
// "off". Errors are kConfig and list the accepted words.
Result<LogFormat> parse_log_format(std::string_view text);
Result<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogFormat format);
std::string_view to_string(LogLevel level);

}  // namespace mlc
