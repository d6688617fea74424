#include "engine/scheduler.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/assert.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "engine/flow_lease.hpp"
#include "engine/last_run.hpp"

namespace mlc::engine {

namespace {

constexpr int kBackoffDoublingsMax = 30;  // 2^30 * every is past any backoff_max.

std::string shorten(std::string text) {
    if (text.size() > kErrorDetailMax) {
        text.resize(kErrorDetailMax);
        text += "...";
    }
    return text;
}

// A run's name in the log: its flow and when it started (RunContext::run_id).
std::string run_id(const std::string& flow, UtcTime started) {
    return flow + "@" + format_iso8601(started);
}

}  // namespace

std::chrono::seconds failure_backoff(std::chrono::seconds every, int consecutive_failures,
                                     std::chrono::seconds backoff_max) {
    if (consecutive_failures <= 1) return every;
    const std::chrono::seconds cap = std::max(every, backoff_max);
    const int doublings = std::min(consecutive_failures - 1, kBackoffDoublingsMax);
    std::chrono::seconds delay = every;
    for (int i = 0; i < doublings && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}

struct Scheduler::FlowState {
    FlowSchedule schedule;
    std::unique_ptr<FlowRunner> runner;
    std::unique_ptr<FlowRunner> next_runner;  // Waiting for the current run to end.
    bool running = false;
    bool paused = false;
    bool triggered = false;
    int consecutive_failures = 0;
    std::int64_t runs = 0;
    SteadyTime next_due{};
    std::optional<UtcTime> last_started;
    std::optional<UtcTime> last_finished;
    std::optional<RunSummary> last_summary;
    std::optional<Error> last_error;
};

Scheduler::Scheduler(Clock& clock, store::StateStore& store, spdlog::logger& log,
                     SchedulerOptions options)
    : clock_(clock), store_(store), log_(log), options_(std::move(options)), rng_(options_.seed) {}

Scheduler::~Scheduler() = default;

void Scheduler::add_flow(FlowSchedule schedule, std::unique_ptr<FlowRunner> runner) {
    MLC_ASSERT(runner != nullptr, "a flow needs a runner");
    MLC_ASSERT(find(schedule.name) == nullptr, "flow added twice");
    MLC_ASSERT(schedule.every.count() > 0, "flow interval must be positive (config validates)");
    auto state = std::make_unique<FlowState>();
    state->schedule = std::move(schedule);
    state->runner = std::move(runner);
    state->next_due = clock_.steady_now();  // First run at once.
    if (auto paused = store_.get_setting(paused_setting_key(state->schedule.name)); !paused) {
        log_.warn("flow {}: could not read whether it is paused (taken as not): {}",
                  state->schedule.name, paused.error().describe());
    } else {
        state->paused = *paused == "1";
    }
    std::lock_guard lock(mutex_);
    flows_.push_back(std::move(state));
}

Scheduler::FlowState* Scheduler::find(const std::string& flow) const {
    for (const auto& state : flows_) {
        if (state->schedule.name == flow) return state.get();
    }
    return nullptr;
}

bool Scheduler::trigger(const std::string& flow) {
    std::lock_guard lock(mutex_);
    FlowState* state = find(flow);
    if (state == nullptr) return false;
    state->triggered = true;
    return true;
}

Result<void> Scheduler::pause(const std::string& flow) { return set_paused(flow, true); }

Result<void> Scheduler::resume(const std::string& flow) { return set_paused(flow, false); }

Result<void> Scheduler::set_paused(const std::string& flow, bool paused) {
    {
        std::lock_guard lock(mutex_);
        if (find(flow) == nullptr) {
            return make_error(ErrorCode::kNotFound, "no flow named '" + flow + "' in the config");
        }
    }
    MLC_CHECK_CTX(store_.put_setting(paused_setting_key(flow), paused ? "1" : "0"),
                  "while " + std::string(paused ? "pausing" : "resuming") + " flow " + flow);
    std::lock_guard lock(mutex_);
    find(flow)->paused = paused;
    log_.info("flow {}: {}", flow, paused ? "paused" : "resumed");
    return ok();
}

void Scheduler::request_stop() { stop_.store(true); }

FlowRunner* Scheduler::runner(const std::string& flow) const {
    std::lock_guard lock(mutex_);
    FlowState* state = find(flow);
    return state == nullptr ? nullptr : state->runner.get();
}

Result<void> Scheduler::replace_runner(const std::string& flow,
                                       std::unique_ptr<FlowRunner> runner) {
    MLC_ASSERT(runner != nullptr, "a flow needs a runner");
    std::lock_guard lock(mutex_);
    FlowState* state = find(flow);
    if (state == nullptr) {
        return make_error(ErrorCode::kNotFound, "no flow named '" + flow + "' is scheduled");
    }
    if (state->next_runner) retired_.push_back(std::move(state->next_runner));
    if (state->running) {
        state->next_runner = std::move(runner);
        return ok();
    }
    retired_.push_back(std::move(state->runner));
    state->runner = std::move(runner);
    return ok();
}

std::size_t Scheduler::run_due() {
    std::size_t started = 0;
    // flows_ does not change once running (add_flow only before), so iterating needs no lock.
    for (const auto& ptr : flows_) {
        FlowState& state = *ptr;
        {
            std::lock_guard lock(mutex_);
            if (stop_.load()) break;
            if (state.running || state.paused) continue;
            if (!state.triggered && clock_.steady_now() < state.next_due) continue;
            state.running = true;
            state.triggered = false;
        }
        bool lease_busy = false;
        (void)execute(state, {}, &lease_busy);
        if (!lease_busy) ++started;
    }
    return started;
}

std::optional<SteadyTime> Scheduler::next_wake() const {
    std::lock_guard lock(mutex_);
    std::optional<SteadyTime> wake;
    const SteadyTime now = clock_.steady_now();
    for (const auto& state : flows_) {
        if (state->running || state->paused) continue;
        const SteadyTime due = state->triggered ? now : state->next_due;
        if (!wake || due < *wake) wake = due;
    }
    return wake;
}

void Scheduler::run() {
    log_.info("scheduler: started with {} flow(s), owner {}", flows_.size(), options_.owner);
    while (!stop_.load()) {
        run_due();
        if (stop_.load()) break;
        const SteadyTime now = clock_.steady_now();
        SteadyTime wake = now + kIdleSliceMax;
        if (const auto due = next_wake(); due && *due < wake) wake = *due;
        // The only wait in the engine: Clock::sleep_until (ManualClock advances instantly).
        if (wake > now) clock_.sleep_until(wake);
    }
    log_.info("scheduler: stopped");
}

Result<RunSummary> Scheduler::run_flow(const std::string& flow, RunFlowOptions options) {
    FlowState* state = nullptr;
    {
        std::lock_guard lock(mutex_);
        state = find(flow);
        if (state == nullptr) {
            return make_error(ErrorCode::kNotFound, "no flow named '" + flow +
                                                        "' in the config; `mlc status` lists them");
        }
        if (stop_.load()) return make_error(ErrorCode::kCancelled, "stop requested");
        if (state->running) {
            return make_error(ErrorCode::kConflict,
                              "flow '" + flow + "' is running now; try again when it finishes");
        }
        state->running = true;
    }
    bool lease_busy = false;
    return execute(*state, options, &lease_busy);
}

Result<RunSummary> Scheduler::execute(FlowState& state, const RunFlowOptions& options,
                                      bool* lease_busy) {
    const bool dry_run = options.dry_run;
    const UtcTime started = clock_.now();
    auto result = run_under_lease(state, options, started, lease_busy);
    finish(state, result, started, dry_run, *lease_busy);
    return result;
}

Result<RunSummary> Scheduler::run_under_lease(FlowState& state, const RunFlowOptions& options,
                                              UtcTime started, bool* lease_busy) {
    const bool dry_run = options.dry_run;
    const std::string& name = state.schedule.name;
    FlowLease lease(store_, clock_, name, options_.owner, options_.lease_ttl,
                    options_.lease_holder_gone);
    MLC_TRY(const bool taken, lease.acquire());
    if (!taken) {
        *lease_busy = true;
        return make_error(ErrorCode::kConflict,
                          "flow '" + name + "' is running in another worker (lease flow:" + name +
                              "); it runs here again once that run ends, or, if that worker "
                              "was killed, once its lease expires (at most " +
                              std::to_string(options_.lease_ttl.count()) + " s)");
    }
    RunContext ctx{
        .clock = clock_,
        .store = store_,
        .log = log_,
        .stop_requested = stop_,
        .flow = name,
        .run_id = run_id(name, started),
        .dry_run = dry_run,
        .attempt = state.consecutive_failures + 1,
        .renew = {},
        .on_page = options.on_page,
    };
    ctx.renew = [this, &lease, &name] {
        auto renewed = lease.renew();
        if (!renewed) {
            log_.warn("flow {}: stopping the run: {}", name, renewed.error().describe());
            return false;
        }
        if (!*renewed) log_.warn("flow {}: lease lost to another worker; stopping the run", name);
        return *renewed;
    };
    log_.debug("flow {}: run starts{}", name, dry_run ? " (dry run)" : "");
    auto result = state.runner->run_once(ctx);
    if (auto released = lease.release(); !released) {
        log_.warn("flow {}: {} (it expires by itself)", name, released.error().describe());
    }
    return result;
}

namespace {

// How a run ended, as the scheduler knows it.
struct RunEnd {
    UtcTime started{};
    UtcTime finished{};
    bool dry_run = false;
    bool lease_busy = false;
    bool cancelled = false;
};

// The run's last line, with its fields for JSON logs (which run, how it ended, its counts and
// duration: common/log.hpp).
void log_finished(spdlog::logger& log, const std::string& name, const Result<RunSummary>& result,
                  const RunEnd& end) {
    const auto [started, finished, dry_run, lease_busy, cancelled] = end;
    const bool failed = !result && !lease_busy && !cancelled;
    LogFields fields;
    fields.add("flow", name)
        .add("run", run_id(name, started))
        .add("duration_ms",
             std::chrono::duration_cast<std::chrono::milliseconds>(finished - started).count());
    if (dry_run) fields.add("dry_run", "true");
    if (lease_busy) {
        log_with_fields(log, spdlog::level::info, "flow " + name + ": " + result.error().describe(),
                        fields.add("outcome", "lease_busy"));
    } else if (cancelled) {
        log_with_fields(log, spdlog::level::info, "flow " + name + ": run stopped on request",
                        fields.add("outcome", "stopped"));
    } else if (failed) {
        log_with_fields(
            log, spdlog::level::err, "flow " + name + ": run failed: " + result.error().describe(),
            fields.add("outcome", "failed").add("error", to_string(result.error().code)));
    } else {
        const RunSummary& s = *result;
        const auto level = s.parked > 0 || s.failed > 0 ? spdlog::level::warn : spdlog::level::info;
        fields.add("outcome", "done")
            .add("created", s.created)
            .add("updated", s.updated)
            .add("skipped", s.skipped)
            .add("parked", s.parked)
            .add("still_parked", s.still_parked)
            .add("failed", s.failed)
            .add("pages", s.pages);
        log_with_fields(
            log, level,
            fmt::format("flow {}: run done{}: created {}, updated {}, skipped {}, "
                        "parked {}, still parked {}, failed {}, pages {}{}{}",
                        name, dry_run ? " (dry run)" : "", s.created, s.updated, s.skipped,
                        s.parked, s.still_parked, s.failed, s.pages,
                        s.more_pending ? ", more pending" : "",
                        s.streams.empty() ? std::string() : " (" + s.describe_streams() + ")"),
            fields);
    }
}

}  // namespace

void Scheduler::finish(FlowState& state, const Result<RunSummary>& result, UtcTime started,
                       bool dry_run, bool lease_busy) {
    const std::string& name = state.schedule.name;
    const UtcTime finished = clock_.now();
    const bool cancelled = !result && result.error().code == ErrorCode::kCancelled;
    const bool failed = !result && !lease_busy && !cancelled;
    log_finished(log_, name, result,
                 {.started = started,
                  .finished = finished,
                  .dry_run = dry_run,
                  .lease_busy = lease_busy,
                  .cancelled = cancelled});
    if (failed && !dry_run) record_failure(state, result.error());
    if (!lease_busy && options_.on_run_finished) options_.on_run_finished(name, result);
    if (!lease_busy && !cancelled && !dry_run) record_last_run(name, result, started, finished);

    std::lock_guard lock(mutex_);
    state.running = false;
    if (state.next_runner) {  // A reload during the run.
        retired_.push_back(std::move(state.runner));
        state.runner = std::move(state.next_runner);
    }
    const SteadyTime now = clock_.steady_now();
    const auto& every = state.schedule.every;
    if (lease_busy) {
        state.next_due = now + std::min<std::chrono::seconds>(every, kLeaseBusyRetry);
        return;
    }
    ++state.runs;
    state.last_started = started;
    state.last_finished = finished;
    if (result) {
        state.last_summary = *result;
        state.last_error.reset();
    } else {
        state.last_error = result.error();
    }
    if (dry_run || cancelled) return;  // Neither moves the schedule.
    if (failed) {
        ++state.consecutive_failures;
        const auto base = failure_backoff(every, state.consecutive_failures, options_.backoff_max);
        state.next_due = now + draw_delay(base, state.schedule.jitter);
        return;
    }
    state.consecutive_failures = 0;
    state.next_due = result->more_pending ? now + kMorePendingDelay
                                          : now + draw_delay(every, state.schedule.jitter);
}

void Scheduler::record_last_run(const std::string& name, const Result<RunSummary>& result,
                                UtcTime started, UtcTime finished) {
    LastRun last{.started = started, .finished = finished, .outcome = "ok", .summary = {}};
    if (result) {
        last.summary = *result;
        if (result->parked > 0 || result->failed > 0) last.outcome = "partial";
    } else {
        last.outcome = std::string(to_string(result.error().code));
        last.error = shorten(result.error().describe());
    }
    std::optional<LastRun> previous;  // For the failure streak and the last good run.
    if (auto stored = store_.get_setting(last_run_setting_key(name)); stored && *stored) {
        if (auto parsed = parse_last_run(**stored)) previous = std::move(*parsed);
    }
    last = carry_over(std::move(last), previous);
    if (auto put = store_.put_setting(last_run_setting_key(name), to_json(last)); !put) {
        log_.warn("flow {}: could not record the last run: {}", name, put.error().describe());
    }
}

void Scheduler::record_failure(const FlowState& state, const Error& error) {
    const std::string& name = state.schedule.name;
    store::AuditEvent event{
        .flow = name,
        .direction = "engine",
        .source_ref = "flow:" + name,
        .target_ref = {},
        .action = store::AuditAction::kFail,
        .outcome = std::string(to_string(error.code)),
        .attempt = state.consecutive_failures + 1,
        .at = clock_.now(),
        .detail = shorten("run failed: " + error.describe()),
    };
    if (auto appended = store_.append_audit(event); !appended) {
        log_.warn("flow {}: could not audit the failed run: {}", name, appended.error().describe());
    }
}

std::chrono::milliseconds Scheduler::draw_delay(std::chrono::seconds base,
                                                std::chrono::seconds jitter) {
    // Caller holds mutex_ (rng_).
    using std::chrono::milliseconds;
    const std::int64_t jitter_ms = milliseconds(jitter).count();
    std::int64_t offset_ms = 0;
    if (jitter_ms > 0) {
        std::uniform_int_distribution<std::int64_t> draw(-jitter_ms, jitter_ms);
        offset_ms = draw(rng_);
    }
    const milliseconds delay = milliseconds(base) + milliseconds(offset_ms);
    return std::max<milliseconds>(delay, kMinimumDelay);
}

std::vector<FlowStatus> Scheduler::status() const {
    std::lock_guard lock(mutex_);
    std::vector<FlowStatus> out;
    out.reserve(flows_.size());
    for (const auto& state : flows_) {
        out.push_back(FlowStatus{
            .name = state->schedule.name,
            .running = state->running,
            .paused = state->paused,
            .triggered = state->triggered,
            .consecutive_failures = state->consecutive_failures,
            .runs = state->runs,
            .next_due = state->next_due,
            .last_started = state->last_started,
            .last_finished = state->last_finished,
            .last_summary = state->last_summary,
            .last_error = state->last_error,
        });
    }
    return out;
}

}  // namespace mlc::engine
