#include "console/console.hpp"

#include <boost/json.hpp>

#include "common/time.hpp"
#include "console/console_page.hpp"

namespace mlc::console {
namespace {

namespace json = boost::json;

net::HttpResponse json_answer(int status, const json::value& body) {
    return net::json_response(status, json::serialize(body));
}

net::HttpResponse error_answer(int status, std::string message) {
    return json_answer(status, json::object{{"error", std::move(message)}});
}

int status_for(const Error& error) {
    switch (error.code) {
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kConfig:
        case ErrorCode::kInvalidInput:
            return 400;
        case ErrorCode::kStorage:
        case ErrorCode::kInternal:
            return 500;
        default:
            return 422;  // The record failed again: the letter holds the new error.
    }
}

json::value time_or_null(const std::optional<UtcTime>& at) {
    if (!at) return nullptr;
    return json::value(format_iso8601(*at));
}

std::size_t limit_of(const net::HttpRequest& request) {
    auto text = net::query_param(request.url, "limit");
    if (!text) return kListLimitDefault;
    try {
        const long long value = std::stoll(*text);
        if (value < 1) return 1;
        return static_cast<std::size_t>(std::min<long long>(value, kListLimitMax));
    } catch (const std::exception&) {
        return kListLimitDefault;
    }
}

std::optional<std::int64_t> id_of(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t id = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + (c - '0');
    }
    return id;
}

json::object letter_json(const store::DeadLetter& l) {
    return {{"id", l.id},
            {"flow", l.flow},
            {"source_system", l.source_system},
            {"source_key", l.source_key},
            {"error_code", l.error_code},
            {"error_message", l.error_message},
            {"attempts", l.attempts},
            {"first_seen", format_iso8601(l.first_seen)},
            {"last_seen", format_iso8601(l.last_seen)},
            {"status", std::string(store::to_string(l.status))}};
}

json::object alert_json(const store::Alert& a) {
    return {{"id", a.id},
            {"flow", a.flow},
            {"severity", a.severity},
            {"message", a.message},
            {"status", std::string(store::to_string(a.status))},
            {"raised_at", format_iso8601(a.raised_at)},
            {"acknowledged_at", time_or_null(a.acknowledged_at)}};
}

}  // namespace

Console::Console(ConsoleDeps deps)
    : deps_(deps), auth_(deps.clock, deps.store, std::move(deps.auth)) {}

void Console::mount(net::Router& router) {
    using Params = net::RouteParams;
    // A route that needs a session with `need`: the caller's answer, or the refusal.
    auto guarded = [this](Need need, auto handler) {
        return [this, need, handler](const net::HttpRequest& request, const Params& params) {
            auto checked = auth_.check(request, need);
            if (!checked.caller) return checked.refusal;
            return handler(request, params, *checked.caller);
        };
    };
    router.add("GET", "/", [this](const net::HttpRequest&, const Params&) { return page(); });
    router.add("POST", "/api/login", [this](const net::HttpRequest& request, const Params&) {
        return auth_.login(request);
    });
    router.add("POST", "/api/logout", [this](const net::HttpRequest& request, const Params&) {
        return auth_.logout(request);
    });
    router.add("GET", "/api/session", [this](const net::HttpRequest& request, const Params&) {
        return auth_.session(request);
    });
    router.add("GET", "/api/overview",
               guarded(Need::kRead, [this](auto&, auto&, auto&) { return overview(); }));
    router.add("GET", "/api/deadletters", guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return dead_letters(request);
               }));
    router.add("POST", "/api/deadletters/{id}/replay",
               guarded(Need::kWrite, [this](auto&, auto& params, auto& caller) {
                   return replay(caller, params.at("id"));
               }));
    router.add("GET", "/api/audit", guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return audit(request);
               }));
    router.add("GET", "/api/alerts",
               guarded(Need::kRead, [this](auto&, auto&, auto&) { return alerts(); }));
    router.add("POST", "/api/alerts/{id}/ack",
               guarded(Need::kWrite, [this](auto&, auto& params, auto& caller) {
                   return acknowledge(caller, params.at("id"));
               }));
    // Any other /api/ path: 401 without a session too (nothing to learn from a 404 logged out).
    router.add_prefix(std::string(net::kAnyMethod), "/api/",
                      guarded(Need::kRead, [](auto&, auto&, auto&) {
                          return error_answer(404, "no such console API");
                      }));
}

net::HttpResponse Console::page() const {
    net::HttpResponse response;
    response.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    // The page loads nothing from elsewhere; say so to the browser too.
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                                  "style-src 'unsafe-inline' 'self'");
    response.body = std::string(kConsolePage);
    return response;
}

net::HttpResponse Console::overview() const {
    json::array flows;
    const auto statuses = deps_.scheduler.status();
    for (const auto& [name, flow] : deps_.config.flows) {
        json::object row{{"name", name}, {"recipe", flow.recipe}, {"enabled", flow.enabled}};
        row["every_seconds"] =
            flow.schedule ? json::value(flow.schedule->every.count()) : json::value(nullptr);
        for (const auto& status : statuses) {
            if (status.name != name) continue;
            row["running"] = status.running;
            row["runs"] = status.runs;
            row["consecutive_failures"] = status.consecutive_failures;
            row["last_started"] = time_or_null(status.last_started);
            row["last_finished"] = time_or_null(status.last_finished);
            if (status.last_summary) {
                const auto& s = *status.last_summary;
                row["last_run"] = json::object{{"created", s.created}, {"updated", s.updated},
                                               {"skipped", s.skipped}, {"parked", s.parked},
                                               {"failed", s.failed},   {"pages", s.pages}};
            }
            row["last_error"] = status.last_error ? json::value(status.last_error->describe())
                                                  : json::value(nullptr);
        }
        auto open =
            deps_.store.list_dead_letters(name, store::DeadLetterStatus::kOpen, kListLimitMax);
        if (!open) return error_answer(500, open.error().describe());
        row["open_dead_letters"] = open->size();
        flows.push_back(std::move(row));
    }
    auto open_alerts = deps_.store.list_alerts(store::AlertStatus::kOpen);
    if (!open_alerts) return error_answer(500, open_alerts.error().describe());
    json::array alert_rows;
    for (const auto& alert : *open_alerts) alert_rows.push_back(alert_json(alert));
    return json_answer(200, json::object{{"now", format_iso8601(deps_.clock.now())},
                                         {"flows", std::move(flows)},
                                         {"alerts", std::move(alert_rows)}});
}

net::HttpResponse Console::dead_letters(const net::HttpRequest& request) const {
    std::optional<std::string> flow = net::query_param(request.url, "flow");
    if (flow && flow->empty()) flow.reset();
    std::optional<store::DeadLetterStatus> status = store::DeadLetterStatus::kOpen;
    if (auto text = net::query_param(request.url, "status")) {
        if (*text == "all") {
            status.reset();
        } else {
            status = store::dead_letter_status_from_string(*text);
            if (!status) return error_answer(400, "status must be open, replayed, resolved or all");
        }
    }
    auto letters = deps_.store.list_dead_letters(flow, status, limit_of(request));
    if (!letters) return error_answer(500, letters.error().describe());
    json::array rows;
    for (const auto& letter : *letters) rows.push_back(letter_json(letter));
    return json_answer(200, json::object{{"dead_letters", std::move(rows)}});
}

net::HttpResponse Console::replay(const Caller& caller, const std::string& id_text) {
    auto id = id_of(id_text);
    if (!id) return error_answer(400, "dead letter id must be a number");
    auto letter = deps_.store.get_dead_letter(*id);
    const std::string what = letter && *letter
                                 ? " (" + (*letter)->flow + ", " + (*letter)->source_system + " " +
                                       (*letter)->source_key + ")"
                                 : "";
    auto replayed = deps_.replayer.replay(*id, deps_.stop);
    const std::string outcome = replayed ? "ok" : std::string(to_string(replayed.error().code));
    (void)deps_.store.append_audit(auth_.audit_event(
        caller.user, store::AuditAction::kReplay, outcome, "deadletter:" + std::to_string(*id),
        caller.user + " replayed dead letter " + std::to_string(*id) + what +
            (replayed ? "" : ": " + replayed.error().describe())));
    if (!replayed) return error_answer(status_for(replayed.error()), replayed.error().describe());
    return json_answer(200, json::object{{"id", *id}, {"status", "replayed"}});
}

net::HttpResponse Console::audit(const net::HttpRequest& request) const {
    store::AuditQuery query;
    if (auto flow = net::query_param(request.url, "flow"); flow && !flow->empty()) {
        query.flow = *flow;
    }
    query.limit = limit_of(request);
    auto key = net::query_param(request.url, "key");
    std::vector<store::AuditEvent> events;
    if (key && !key->empty()) {
        // A key is a source key (orderKey, PartNum) or a target id (OrderNum): ask for both.
        query.source_key = *key;
        auto by_source = deps_.store.query_audit(query);
        if (!by_source) return error_answer(500, by_source.error().describe());
        query.source_key.reset();
        query.target_id = *key;
        auto by_target = deps_.store.query_audit(query);
        if (!by_target) return error_answer(500, by_target.error().describe());
        events = std::move(*by_source);
        for (auto& event : *by_target) {
            const bool seen = std::any_of(events.begin(), events.end(),
                                          [&](const auto& e) { return e.id == event.id; });
            if (!seen) events.push_back(std::move(event));
        }
        std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
            return a.at != b.at ? a.at > b.at : a.id > b.id;
        });
        if (events.size() > query.limit) events.resize(query.limit);
    } else {
        auto found = deps_.store.query_audit(query);
        if (!found) return error_answer(500, found.error().describe());
        events = std::move(*found);
    }
    json::array rows;
    for (const auto& e : events) {
        rows.push_back(json::object{{"id", e.id},
                                    {"at", format_iso8601(e.at)},
                                    {"flow", e.flow},
                                    {"direction", e.direction},
                                    {"action", std::string(store::to_string(e.action))},
                                    {"outcome", e.outcome},
                                    {"source_ref", e.source_ref},
                                    {"target_ref", e.target_ref},
                                    {"attempt", e.attempt},
                                    {"detail", e.detail}});
    }
    return json_answer(200, json::object{{"events", std::move(rows)}});
}

net::HttpResponse Console::alerts() const {
    auto all = deps_.store.list_alerts(std::nullopt);
    if (!all) return error_answer(500, all.error().describe());
    json::array rows;
    for (const auto& alert : *all) rows.push_back(alert_json(alert));
    return json_answer(200, json::object{{"alerts", std::move(rows)}});
}

net::HttpResponse Console::acknowledge(const Caller& caller, const std::string& id_text) {
    auto id = id_of(id_text);
    if (!id) return error_answer(400, "alert id must be a number");
    auto done = deps_.store.acknowledge_alert(*id, deps_.clock.now());
    (void)deps_.store.append_audit(auth_.audit_event(
        caller.user, store::AuditAction::kUpdate,
        done ? "ok" : std::string(to_string(done.error().code)), "alert:" + std::to_string(*id),
        caller.user + " acknowledged alert " + std::to_string(*id)));
    if (!done) return error_answer(status_for(done.error()), done.error().describe());
    return json_answer(200, json::object{{"id", *id}, {"status", "acknowledged"}});
}

}  // namespace mlc::console
