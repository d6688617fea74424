#include "engine/run_history.hpp"

#include <boost/json.hpp>

#include "engine/last_run.hpp"

namespace mlc::engine {
namespace {

namespace json = boost::json;

constexpr std::size_t kErrorMax = 500;

std::int64_t int_field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) return 0;
    if (const auto* i = value->if_int64()) return *i;
    if (const auto* u = value->if_uint64()) return static_cast<std::int64_t>(*u);
    return 0;
}

std::string string_field(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

json::object to_object(const RunRecord& run) {
    json::object out{{"finished_us", run.finished.time_since_epoch().count()},
                     {"outcome", run.outcome},
                     {"error", run.error}};
    put_counts(out, run.summary);
    return out;
}

RunRecord from_object(const json::object& object) {
    RunRecord run;
    run.finished = UtcTime{std::chrono::microseconds{int_field(object, "finished_us")}};
    run.outcome = string_field(object, "outcome");
    run.summary = counts_from(object);
    run.error = string_field(object, "error");
    return run;
}

RunRecord record_of(UtcTime finished, const Result<RunSummary>& result) {
    RunRecord run{.finished = finished, .outcome = "ok", .summary = {}, .error = {}};
    if (result) {
        run.summary = *result;
        if (result->parked > 0 || result->failed > 0) run.outcome = "partial";
        return run;
    }
    run.outcome = result.error().code == ErrorCode::kCancelled
                      ? std::string("cancelled")
                      : std::string(to_string(result.error().code));
    run.error = result.error().describe();
    if (run.error.size() > kErrorMax) run.error = run.error.substr(0, kErrorMax) + "...";
    return run;
}

}  // namespace

std::string run_history_setting_key(const std::string& flow) { return "runs:" + flow; }

Result<std::vector<RunRecord>> read_run_history(store::StateStore& store, const std::string& flow) {
    MLC_TRY(auto stored, store.get_setting(run_history_setting_key(flow)));
    std::vector<RunRecord> runs;
    if (!stored) return runs;
    boost::system::error_code ec;
    const json::value parsed = json::parse(*stored, ec);
    if (ec || !parsed.is_array()) return runs;  // Unreadable: the next run starts it anew.
    for (const auto& item : parsed.as_array()) {
        if (item.is_object()) runs.push_back(from_object(item.as_object()));
    }
    return runs;
}

Result<void> append_run_history(store::StateStore& store, const std::string& flow, UtcTime finished,
                                const Result<RunSummary>& result) {
    MLC_TRY(auto runs, read_run_history(store, flow));
    runs.insert(runs.begin(), record_of(finished, result));
    if (runs.size() > kRunHistoryMax) runs.resize(kRunHistoryMax);
    json::array out;
    for (const auto& run : runs) out.push_back(to_object(run));
    return store.put_setting(run_history_setting_key(flow), json::serialize(out));
}

}  // namespace mlc::engine
