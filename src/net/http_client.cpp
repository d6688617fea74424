#include "net/http_client.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>

#include "common/assert.hpp"
#include "net/redaction.hpp"

namespace mlc::net {
namespace {

std::string what_for(const CallRequest& call) {
    return call.request.method + " " + url_path(call.request.url);
}

std::chrono::milliseconds until(SteadyTime from, SteadyTime to) {
    return to <= from ? std::chrono::milliseconds(0)
                      : std::chrono::ceil<std::chrono::milliseconds>(to - from);
}

}  // namespace

HttpClient::HttpClient(HttpClientOptions options, HttpTransport& transport, Clock& clock,
                       RateLimiterRegistry& limiters, std::uint64_t seed,
                       std::shared_ptr<spdlog::logger> logger, ClientObserver* observer)
    : options_(std::move(options)),
      transport_(transport),
      clock_(clock),
      limiters_(limiters),
      retry_(options_.retry, seed),
      logger_(std::move(logger)),
      observer_(observer) {}

Result<HttpResponse> HttpClient::attempt_once(const CallRequest& call, RateLimiter& limiter,
                                              std::uint32_t number) {
    TransportOptions transport_options = options_.transport;
    if (call.deadline) {
        const auto left = until(clock_.steady_now(), *call.deadline);
        transport_options.total_timeout = std::min(transport_options.total_timeout, left);
        transport_options.connect_timeout =
            std::min(transport_options.connect_timeout, transport_options.total_timeout);
    }
    if (logger_) {
        logger_->debug("{} {} attempt {}: {}", options_.system, call.connection, number,
                       describe_for_log(call.request, options_.log_body_bytes_max));
    }
    const SteadyTime sent_at = clock_.steady_now();
    Result<HttpResponse> outcome = transport_.send(call.request, transport_options);
    const SteadyTime now = clock_.steady_now();
    if (outcome) limiter.observe(call.operation, outcome->headers, now);
    if (observer_) {
        observer_->on_attempt(call.connection, call.operation, outcome ? outcome->status : 0,
                              now - sent_at);
    }
    if (logger_) {
        if (outcome) {
            logger_->debug("{} {} attempt {}: {}", options_.system, call.connection, number,
                           describe_for_log(*outcome, options_.log_body_bytes_max));
        } else {
            logger_->debug("{} {} attempt {}: no answer: {}", options_.system, call.connection,
                           number, outcome.error().message);
        }
    }
    return outcome;
}

Error HttpClient::final_error(const CallRequest& call, const Result<HttpResponse>& outcome,
                              std::uint32_t attempts,
                              std::optional<std::chrono::milliseconds> retry_after,
                              std::string_view why) const {
    const std::string suffix = " (" + std::to_string(attempts) + " attempt" +
                               (attempts == 1 ? "" : "s") + (why.empty() ? "" : "; ") +
                               std::string(why) + ")";
    Error error;
    if (!outcome) {
        error = outcome.error();
        error.code = ErrorCode::kTransient;
        error.message = what_for(call) + ": no answer: " + error.message + suffix;
    } else if (outcome->status == 429) {
        error = make_error(ErrorCode::kRateLimited,
                           what_for(call) + ": rate limited by the vendor (HTTP 429)" + suffix);
    } else {
        error = make_error(ErrorCode::kTransient,
                           what_for(call) + ": HTTP " + std::to_string(outcome->status) + suffix);
    }
    error.system = options_.system;
    if (outcome) error.http_status = outcome->status;
    if (retry_after) error.retry_after = retry_after;
    return error;
}

Result<void> HttpClient::take_shared_slot(const CallRequest& call, const RateLimiter& limiter) {
    SharedRequestBudget* shared = limiters_.shared();
    if (shared == nullptr || !call.operation.empty()) return ok();
    // The local bucket as a window: `burst` requests per burst / rate (ShipStation: 40 per 60 s).
    const RateLimit limit = limiter.limit("");
    const int count = std::max(1, static_cast<int>(limit.burst));
    const auto window = std::chrono::ceil<std::chrono::milliseconds>(
        std::chrono::duration<double>(count / std::max(limit.requests_per_second, 1e-6)));
    for (;;) {
        MLC_TRY(auto slot, shared->take(call.connection, count, window, clock_.now()));
        if (slot.granted) return ok();
        const auto wait =
            std::max(std::chrono::ceil<std::chrono::milliseconds>(slot.retry_at - clock_.now()),
                     std::chrono::milliseconds(1));
        const SteadyTime now = clock_.steady_now();
        if (call.deadline && now + wait > *call.deadline) {
            Error error = make_error(ErrorCode::kRateLimited, options_.system,
                                     what_for(call) +
                                         ": the rate limit shared with the other workers leaves "
                                         "no room before the deadline");
            error.retry_after = wait;
            return error;
        }
        if (observer_) observer_->on_throttled(call.connection, call.operation, wait);
        clock_.sleep_until(now + wait);
    }
}

Result<HttpResponse> HttpClient::call(const CallRequest& call) {
    RateLimiter& limiter = limiters_.limiter(call.connection);
    const bool may_repeat =
        call.idempotent.value_or(is_idempotent_method(call.request.method)) || call.dedupes;
    const RetryOptions& retry = call.retry ? *call.retry : options_.retry;
    const std::uint32_t attempts_max = std::max<std::uint32_t>(1, retry.max_attempts);
    std::chrono::milliseconds waited{0};

    for (std::uint32_t attempt = 1; attempt <= attempts_max; ++attempt) {
        // Rate limit first: a wait the deadline cannot afford is the caller's to schedule.
        SteadyTime now = clock_.steady_now();
        const SteadyTime send_at = limiter.acquire(call.operation, now);
        if (call.deadline && send_at > *call.deadline) {
            Error error = make_error(ErrorCode::kRateLimited, options_.system,
                                     what_for(call) +
                                         ": local rate limit leaves no room before "
                                         "the deadline");
            error.retry_after = until(now, send_at);
            return error;
        }
        if (send_at > now) {
            if (observer_) observer_->on_throttled(call.connection, call.operation, send_at - now);
            clock_.sleep_until(send_at);
        }
        MLC_CHECK(take_shared_slot(call, limiter));

        Result<HttpResponse> outcome = attempt_once(call, limiter, attempt);
        now = clock_.steady_now();
        if (outcome && outcome->status == 401) {
            Error error = make_error(ErrorCode::kUnauthorized, options_.system,
                                     what_for(call) + ": HTTP 401, credentials refused");
            error.http_status = 401;
            return error;
        }
        // 500 is worth another attempt only where repeating is safe; the last 500 goes back to the
        // connector as an answer, so its body (the vendor's own message) reaches the user.
        const bool server_error = outcome && outcome->status == 500;
        if (server_error && (!may_repeat || attempt >= attempts_max)) return outcome;
        if (outcome && !server_error && !is_retryable_status(outcome->status)) return outcome;

        std::optional<std::chrono::milliseconds> retry_after;
        if (outcome && outcome->status == 429) {
            if (observer_) observer_->on_rate_limited(call.connection, call.operation);
            if (const auto header = find_header(outcome->headers, "Retry-After")) {
                retry_after = parse_retry_after(*header, clock_.now());
            }
            if (retry_after) limiter.block_until(call.operation, now + *retry_after);
        }
        // A 429 was refused before any work was done (the vendor's limiter answers first), so
        // even a create is safe to send again; any other failure of a create may have applied.
        const bool refused_unapplied = outcome && outcome->status == 429;
        if (!may_repeat && !refused_unapplied) {
            return final_error(call, outcome, attempt, retry_after,
                               "not repeated: the request is not idempotent and the target does "
                               "not dedupe it");
        }
        if (attempt >= attempts_max) return final_error(call, outcome, attempt, retry_after, "");
        // Full jitter, but never sooner than the vendor asked.
        const auto delay = std::max(retry_.next_delay(attempt - 1, retry),
                                    retry_after.value_or(std::chrono::milliseconds(0)));
        if (waited + delay > retry.max_total_delay) {
            return final_error(call, outcome, attempt, retry_after, "retry time budget spent");
        }
        if (call.deadline && now + delay > *call.deadline) {
            return final_error(call, outcome, attempt, retry_after, "deadline reached");
        }
        if (observer_) observer_->on_retry(call.connection, call.operation, delay);
        if (logger_) {
            logger_->info("{}: {} failed ({}), retry {} in {} ms", options_.system, what_for(call),
                          outcome ? "HTTP " + std::to_string(outcome->status) : "no answer",
                          attempt, delay.count());
        }
        clock_.sleep_until(now + delay);
        waited += delay;
    }
    MLC_ASSERT(false, "the attempt loop returns on its last attempt");
}

}  // namespace mlc::net
