#include "engine/last_run.hpp"

#include <boost/json.hpp>

namespace mlc::engine {
namespace {

std::int64_t micros(UtcTime t) { return t.time_since_epoch().count(); }
UtcTime from_micros(std::int64_t us) { return UtcTime{std::chrono::microseconds{us}}; }

std::int64_t int_field(const boost::json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) return 0;
    if (const auto* i = value->if_int64()) return *i;
    if (const auto* u = value->if_uint64()) return static_cast<std::int64_t>(*u);
    return 0;
}

std::string string_field(const boost::json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || !value->is_string()) return {};
    return std::string(value->get_string());
}

}  // namespace

void put_counts(boost::json::object& out, const RunSummary& summary) {
    out["created"] = summary.created;
    out["updated"] = summary.updated;
    out["skipped"] = summary.skipped;
    out["parked"] = summary.parked;
    out["failed"] = summary.failed;
}

RunSummary counts_from(const boost::json::object& in) {
    RunSummary summary;
    summary.created = int_field(in, "created");
    summary.updated = int_field(in, "updated");
    summary.skipped = int_field(in, "skipped");
    summary.parked = int_field(in, "parked");
    summary.failed = int_field(in, "failed");
    return summary;
}

std::string last_run_setting_key(const std::string& flow) { return "run:" + flow; }

std::string to_json(const LastRun& run) {
    boost::json::object object{
        {"started_us", micros(run.started)},
        {"finished_us", micros(run.finished)},
        {"outcome", run.outcome},
        {"pages", run.summary.pages},
        {"more_pending", run.summary.more_pending},
        {"error", run.error},
    };
    put_counts(object, run.summary);
    if (run.failing_since) object["failing_since_us"] = micros(*run.failing_since);
    if (run.last_ok) object["last_ok_us"] = micros(*run.last_ok);
    return boost::json::serialize(object);
}

Result<LastRun> parse_last_run(const std::string& json) {
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(json, ec);
    if (ec || !value.is_object()) {
        return make_error(ErrorCode::kStorage, "store",
                          "last-run record is not a JSON object; the next run rewrites it");
    }
    const auto& object = value.get_object();
    LastRun run;
    run.started = from_micros(int_field(object, "started_us"));
    run.finished = from_micros(int_field(object, "finished_us"));
    run.outcome = string_field(object, "outcome");
    run.summary = counts_from(object);
    run.summary.pages = int_field(object, "pages");
    const auto* more = object.if_contains("more_pending");
    run.summary.more_pending = more != nullptr && more->is_bool() && more->get_bool();
    run.error = string_field(object, "error");
    if (object.contains("failing_since_us")) {
        run.failing_since = from_micros(int_field(object, "failing_since_us"));
    }
    if (object.contains("last_ok_us")) run.last_ok = from_micros(int_field(object, "last_ok_us"));
    return run;
}

LastRun carry_over(LastRun next, const std::optional<LastRun>& previous) {
    if (next.failed()) {
        next.failing_since = previous && previous->failed() && previous->failing_since
                                 ? *previous->failing_since
                                 : next.started;
        next.last_ok = previous ? previous->last_ok : std::nullopt;
    } else {
        next.failing_since.reset();
        next.last_ok = next.finished;
    }
    return next;
}

}  // namespace mlc::engine
