#pragma once
// What `mlc ping <connection>` reports for one connection: one line per check (reach the host,
// authenticate, read one record, rate-limit headroom, token expiry), each saying what is wrong and
// how to fix it. Each connector's `<system>_connection.hpp` offers a ping() that fills this; the
// CLI prints it. A probe never throws and never writes to the vendor.
//
// Value types; thread safety: none needed.

#include <algorithm>
#include <string>
#include <vector>

namespace mlc::connectors {

enum class PingStatus { kOk, kWarn, kFail, kSkipped };

struct PingCheck {
    std::string name;  // "reach", "auth", "read", "rate limit", "token", ...
    PingStatus status = PingStatus::kOk;
    std::string detail;  // One line: what was found, or what is wrong and the fix. No secrets.
};

struct PingReport {
    std::string connection;  // The connection's name in mlc.yaml.
    std::string system;      // shipstation | epicor | woocommerce | ...
    std::vector<PingCheck> checks;

    bool ok() const {
        return std::none_of(checks.begin(), checks.end(),
                            [](const PingCheck& c) { return c.status == PingStatus::kFail; });
    }
};

inline const char* to_string(PingStatus status) {
    switch (status) {
        case PingStatus::kOk:
            return "ok";
        case PingStatus::kWarn:
            return "warn";
        case PingStatus::kFail:
            return "FAIL";
        case PingStatus::kSkipped:
            return "skipped";
    }
    return "?";
}

}  // namespace mlc::connectors
