#include "console/console.hpp"

#include <map>

#include <boost/json.hpp>

#include "common/mapping.hpp"
#include "common/time.hpp"
#include "console/console_page.hpp"
#include "console/trail.hpp"
#include "engine/dead_letter_cause.hpp"
#include "engine/run_history.hpp"
#include "engine/stored_mappings.hpp"

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

// A cursor, and how far behind now it is when its value is a time.
json::object cursor_json(const store::Cursor& cursor, UtcTime now) {
    json::object row{{"stream", cursor.stream},
                     {"value", cursor.value},
                     {"updated_at", format_iso8601(cursor.updated_at)},
                     {"behind_seconds", nullptr}};
    if (auto at = parse_iso8601(cursor.value)) {
        row["behind_seconds"] = std::chrono::duration_cast<std::chrono::seconds>(now - *at).count();
    }
    return row;
}

json::object alert_json(const store::Alert& a) {
    return {{"id", a.id},
            {"flow", a.flow},
            {"severity", a.severity},
            {"message", a.message},
            {"status", std::string(store::to_string(a.status))},
            {"raised_at", format_iso8601(a.raised_at)},
            {"acknowledged_at", time_or_null(a.acknowledged_at)},
            {"resolved_at", time_or_null(a.resolved_at)},
            {"last_seen", format_iso8601(a.last_seen)},
            {"count", a.count}};
}

std::string state_of(const engine::FlowStatus& status) {
    if (status.paused) return "paused";
    if (status.running) return "running";
    if (status.consecutive_failures > 0) return "failing";
    return "waiting";
}

// A group of open dead letters: one flow, one cause.
struct Group {
    std::string flow;
    engine::DeadLetterCause cause;
    std::string id;                          // cause_id(cause): what a caller names the group by
    std::vector<store::DeadLetter> letters;  // Oldest first.
};

std::string cause_id(const engine::DeadLetterCause& cause) {
    return cause.code + ": " + (cause.system.empty() ? "" : cause.system + ": ") + cause.message;
}

// Largest group first (then by flow and cause, so the order is stable).
Result<std::vector<Group>> open_groups(store::StateStore& store, std::optional<std::string> flow) {
    MLC_TRY(auto letters, store.list_dead_letters(std::move(flow), store::DeadLetterStatus::kOpen,
                                                  kGroupLettersMax));
    std::map<std::pair<std::string, std::string>, Group> by_cause;
    for (store::DeadLetter& letter : letters) {
        engine::DeadLetterCause cause = engine::cause_of(letter);
        std::string id = cause_id(cause);
        Group& group = by_cause[{letter.flow, id}];
        if (group.letters.empty()) {
            group.flow = letter.flow;
            group.cause = std::move(cause);
            group.id = std::move(id);
        }
        group.letters.push_back(std::move(letter));
    }
    std::vector<Group> groups;
    for (auto& [key, group] : by_cause) {
        std::sort(group.letters.begin(), group.letters.end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        groups.push_back(std::move(group));
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        return a.letters.size() > b.letters.size();
    });
    return groups;
}

json::object group_json(const Group& group) {
    UtcTime first = group.letters.front().first_seen;
    UtcTime last = group.letters.front().last_seen;
    json::array ids;
    for (const auto& letter : group.letters) {
        first = std::min(first, letter.first_seen);
        last = std::max(last, letter.last_seen);
        ids.push_back(letter.id);
    }
    const store::DeadLetter& sample = group.letters.front();
    return {{"flow", group.flow},
            {"cause", group.id},
            {"code", group.cause.code},
            {"system", group.cause.system},
            {"message", group.cause.message},
            {"unresolved", group.cause.table.empty()
                               ? json::value(nullptr)
                               : json::value(json::object{{"table", group.cause.table},
                                                          {"value", group.cause.value}})},
            {"count", group.letters.size()},
            {"first_seen", format_iso8601(first)},
            {"last_seen", format_iso8601(last)},
            {"letter_ids", std::move(ids)},
            {"sample", json::object{{"id", sample.id},
                                    {"source_system", sample.source_system},
                                    {"source_key", sample.source_key},
                                    {"error_message", sample.error_message},
                                    {"record", sample.record_json}}}};
}

// The JSON object a write sent; nullopt when the body is none (too long, not an object).
std::optional<json::object> body_of(const net::HttpRequest& request) {
    if (request.body.size() > kBodyMax) return std::nullopt;
    boost::system::error_code ec;
    json::value parsed = json::parse(request.body, ec);
    if (ec || !parsed.is_object()) return std::nullopt;
    return std::move(parsed.as_object());
}

std::string text_of(const json::object& body, const char* name) {
    const json::value* value = body.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The reason a resolve gives: non-empty, at most kReasonMax characters.
std::optional<std::string> reason_of(const std::optional<json::object>& body) {
    if (!body) return std::nullopt;
    std::string reason = text_of(*body, "reason");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos || reason.size() > kReasonMax) {
        return std::nullopt;
    }
    return reason;
}

constexpr const char* kReasonNeeded =
    "say why the letter needs no replay: {\"reason\": \"...\"} (at most 500 characters)";

// The open group a write names with {"flow", "cause"}, or the answer refusing it.
struct GroupPick {
    std::optional<Group> group;
    net::HttpResponse refusal;
};

GroupPick pick_group(store::StateStore& store, const std::optional<json::object>& body) {
    if (!body || text_of(*body, "flow").empty() || text_of(*body, "cause").empty()) {
        return {std::nullopt, error_answer(400,
                                           "name the group: {\"flow\": ..., \"cause\": ...} "
                                           "as GET /api/deadletters/groups lists it")};
    }
    const std::string flow = text_of(*body, "flow");
    const std::string cause = text_of(*body, "cause");
    auto groups = open_groups(store, flow);
    if (!groups) return {std::nullopt, error_answer(500, groups.error().describe())};
    for (auto& group : *groups) {
        if (group.id == cause) return {std::move(group), {}};
    }
    return {std::nullopt,
            error_answer(404, "flow " + flow + " has no open dead letters of that cause")};
}

// What a write at `url` changed, for the page's event streams.
std::string_view changed_by(const std::string& url) {
    const std::string path = net::url_path(url);
    if (path.starts_with("/api/flows/")) return "flows";
    if (path.starts_with("/api/alerts/")) return "alerts";
    if (path.starts_with("/api/connections/")) return "connections";
    return "deadletters";  // Replays, resolves, mappings (which replay what waited).
}

std::string letter_words(const store::DeadLetter& letter) {
    return "dead letter " + std::to_string(letter.id) + " (" + letter.flow + ", " +
           letter.source_system + " " + letter.source_key + ")";
}
}  // namespace

Console::Console(ConsoleDeps deps)
    : deps_(deps),
      auth_(deps.clock, deps.store, std::move(deps.auth)),
      live_(deps.live != nullptr ? *deps.live : own_live_) {}

template <typename Handler>
net::RouteHandler Console::guarded(Need need, Handler handler) {
    return [this, need, handler](const net::HttpRequest& request, const net::RouteParams& params) {
        auto checked = auth_.check(request, need);
        if (!checked.caller) return checked.refusal;
        net::HttpResponse answer = handler(request, params, *checked.caller);
        if (need == Need::kWrite && answer.status < 400) live_.publish(changed_by(request.url));
        return answer;
    };
}

void Console::mount(net::Router& router) {
    using Params = net::RouteParams;
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
    mount_errors_and_flows(router);  // Before "{id}" routes: the first pattern that matches wins.
    router.add("POST", "/api/deadletters/{id}/replay",
               guarded(Need::kWrite, [this](auto&, auto& params, auto& caller) {
                   return replay(caller, params.at("id"));
               }));
    router.add("GET", "/api/audit", guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return audit(request);
               }));
    router.add("GET", "/api/trail", guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return trail(request);
               }));
    router.add_stream("/api/events", [this](const net::HttpRequest& request, const Params&) {
        auto checked = auth_.check(request, Need::kRead);
        if (!checked.caller) return net::StreamAnswer{checked.refusal};
        return net::StreamAnswer{.open = [this](std::shared_ptr<net::EventStream> stream) {
            live_.add(std::move(stream));
        }};
    });
    router.add("GET", "/api/connections",
               guarded(Need::kRead, [this](auto&, auto&, auto&) { return connections(); }));
    router.add("POST", "/api/connections/{name}/ping",
               guarded(Need::kWrite, [this](auto&, auto& params, auto& caller) {
                   return ping(caller, params.at("name"));
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

void Console::mount_errors_and_flows(net::Router& router) {
    router.add("GET", "/api/deadletters/groups",
               guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return dead_letter_groups(request);
               }));
    router.add("POST", "/api/deadletters/groups/replay",
               guarded(Need::kWrite, [this](auto& request, auto&, auto& caller) {
                   return replay_group(caller, request);
               }));
    router.add("POST", "/api/deadletters/replay-all",
               guarded(Need::kWrite, [this](auto& request, auto&, auto& caller) {
                   return replay_all(caller, request);
               }));
    router.add("POST", "/api/deadletters/groups/resolve",
               guarded(Need::kWrite, [this](auto& request, auto&, auto& caller) {
                   return resolve_group(caller, request);
               }));
    router.add("POST", "/api/deadletters/{id}/resolve",
               guarded(Need::kWrite, [this](auto& request, auto& params, auto& caller) {
                   return resolve(caller, params.at("id"), request);
               }));
    router.add("POST", "/api/mappings",
               guarded(Need::kWrite, [this](auto& request, auto&, auto& caller) {
                   return map_fix(caller, request);
               }));
    router.add("GET", "/api/flows/{name}/runs",
               guarded(Need::kRead,
                       [this](auto&, auto& params, auto&) { return runs(params.at("name")); }));
    router.add("GET", "/api/activity", guarded(Need::kRead, [this](auto& request, auto&, auto&) {
                   return activity(request);
               }));
    const std::pair<const char*, FlowAction> flow_actions[] = {
        {"pause", FlowAction::kPause}, {"resume", FlowAction::kResume}, {"run", FlowAction::kRun}};
    for (const auto& [verb, action] : flow_actions) {
        router.add(
            "POST", std::string("/api/flows/{name}/") + verb,
            guarded(Need::kWrite, [this, action = action](auto&, auto& params, auto& caller) {
                return flow_action(caller, params.at("name"), action);
            }));
    }
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
        row["state"] = flow.enabled ? "waiting" : "disabled";
        row["paused"] = false;
        for (const auto& status : statuses) {
            if (status.name != name) continue;
            row["state"] = state_of(status);
            row["paused"] = status.paused;
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

net::HttpResponse Console::resolve(const Caller& caller, const std::string& id_text,
                                   const net::HttpRequest& request) {
    auto id = id_of(id_text);
    if (!id) return error_answer(400, "dead letter id must be a number");
    auto reason = reason_of(body_of(request));
    if (!reason) return error_answer(400, kReasonNeeded);
    auto letter = deps_.store.get_dead_letter(*id);
    if (!letter) return error_answer(500, letter.error().describe());
    if (!*letter) return error_answer(404, "no dead letter " + std::to_string(*id));
    if ((*letter)->status != store::DeadLetterStatus::kOpen) {
        return error_answer(409, "dead letter " + std::to_string(*id) + " is not open (it is " +
                                     std::string(store::to_string((*letter)->status)) + ")");
    }
    if (auto done = close_letter(caller, **letter, *reason); !done) {
        return error_answer(status_for(done.error()), done.error().describe());
    }
    return json_answer(200, json::object{{"id", *id}, {"status", "resolved"}});
}

Result<void> Console::close_letter(const Caller& caller, const store::DeadLetter& letter,
                                   const std::string& reason) {
    auto done = deps_.store.set_dead_letter_status(letter.id, store::DeadLetterStatus::kResolved);
    (void)deps_.store.append_audit(auth_.audit_event(
        caller.user, store::AuditAction::kUpdate,
        done ? "ok" : std::string(to_string(done.error().code)),
        "deadletter:" + std::to_string(letter.id),
        caller.user + " resolved " + letter_words(letter) + " without replay: " + reason));
    return done;
}

net::HttpResponse Console::dead_letter_groups(const net::HttpRequest& request) const {
    std::optional<std::string> flow = net::query_param(request.url, "flow");
    if (flow && flow->empty()) flow.reset();
    auto groups = open_groups(deps_.store, flow);
    if (!groups) return error_answer(500, groups.error().describe());
    json::array rows;
    for (const auto& group : *groups) rows.push_back(group_json(group));
    return json_answer(200, json::object{{"groups", std::move(rows)}});
}

net::HttpResponse Console::replay_group(const Caller& caller, const net::HttpRequest& request) {
    auto picked = pick_group(deps_.store, body_of(request));
    if (!picked.group) return picked.refusal;
    const Group& group = *picked.group;
    std::size_t replayed = 0;
    std::size_t failed = 0;
    std::optional<Error> stopped;  // What ended the group early (store, flow running, stop).
    for (const auto& letter : group.letters) {
        auto done = deps_.replayer.replay(letter.id, deps_.stop);
        if (done) {
            ++replayed;
            continue;
        }
        const ErrorCode code = done.error().code;
        if (code == ErrorCode::kStorage || code == ErrorCode::kConflict ||
            code == ErrorCode::kConfig || code == ErrorCode::kCancelled) {
            stopped = done.error();
            break;
        }
        ++failed;  // The letter holds its new error.
    }
    const std::string counts = std::to_string(replayed) + " replayed, " + std::to_string(failed) +
                               " failed again of " + std::to_string(group.letters.size());
    (void)deps_.store.append_audit(auth_.audit_event(
        caller.user, store::AuditAction::kReplay,
        stopped ? std::string(to_string(stopped->code)) : (failed > 0 ? "partial" : "ok"),
        "deadletters:" + group.flow,
        caller.user + " replayed the group " + group.flow + " / " + group.id + ": " + counts +
            (stopped ? "; stopped: " + stopped->describe() : "")));
    if (stopped) {
        return error_answer(status_for(*stopped), stopped->describe() + " (" + counts + ")");
    }
    return json_answer(
        200,
        json::object{
            {"flow", group.flow}, {"cause", group.id}, {"replayed", replayed}, {"failed", failed}});
}

net::HttpResponse Console::replay_all(const Caller& caller, const net::HttpRequest& request) {
    const auto body = body_of(request);
    std::optional<std::string> flow;
    if (body && body->contains("flow")) {
        flow = text_of(*body, "flow");
        if (!deps_.config.flows.contains(*flow)) {
            return error_answer(400, "name a configured flow, or send {} for every flow");
        }
    }
    auto done = deps_.replayer.replay_all(flow, deps_.stop);
    const std::string scope = flow ? *flow : std::string("every flow");
    if (!done) {
        (void)deps_.store.append_audit(
            auth_.audit_event(caller.user, store::AuditAction::kReplay,
                              std::string(to_string(done.error().code)), "deadletters:" + scope,
                              caller.user + " replayed every open letter of " + scope + ": " +
                                  done.error().describe()));
        return error_answer(status_for(done.error()), done.error().describe());
    }
    const std::string counts = std::to_string(done->replayed) + " replayed, " +
                               std::to_string(done->failed) + " failed again" +
                               (done->more_pending ? ", more left for the next replay" : "");
    (void)deps_.store.append_audit(
        auth_.audit_event(caller.user, store::AuditAction::kReplay,
                          done->failed > 0 ? "partial" : "ok", "deadletters:" + scope,
                          caller.user + " replayed every open letter of " + scope + ": " + counts));
    return json_answer(200, json::object{{"flow", flow ? json::value(*flow) : json::value(nullptr)},
                                         {"replayed", done->replayed},
                                         {"failed", done->failed},
                                         {"more_pending", done->more_pending}});
}

net::HttpResponse Console::resolve_group(const Caller& caller, const net::HttpRequest& request) {
    const auto body = body_of(request);
    auto reason = reason_of(body);
    if (!reason) return error_answer(400, kReasonNeeded);
    auto picked = pick_group(deps_.store, body);
    if (!picked.group) return picked.refusal;
    std::size_t resolved = 0;
    for (const auto& letter : picked.group->letters) {
        if (auto done = close_letter(caller, letter, *reason); !done) {
            return error_answer(
                status_for(done.error()),
                done.error().describe() + " (" + std::to_string(resolved) + " resolved before)");
        }
        ++resolved;
    }
    return json_answer(200, json::object{{"flow", picked.group->flow},
                                         {"cause", picked.group->id},
                                         {"resolved", resolved}});
}

net::HttpResponse Console::map_fix(const Caller& caller, const net::HttpRequest& request) {
    const auto body = body_of(request);
    const std::string flow = body ? text_of(*body, "flow") : "";
    const std::string table = body ? text_of(*body, "table") : "";
    const MappingTable entry = {
        {body ? text_of(*body, "from") : "", body ? text_of(*body, "to") : ""}};
    auto configured = deps_.config.flows.find(flow);
    if (configured == deps_.config.flows.end()) {
        return error_answer(400, "name a configured flow: {\"flow\", \"table\", \"from\", \"to\"}");
    }
    if (auto problem = check_mapping(entry.begin()->first, entry.begin()->second);
        !problem.empty()) {
        return error_answer(400, problem);
    }
    if (deps_.registry != nullptr) {
        if (auto fits =
                engine::check_stored_table(*deps_.registry, configured->second, table, entry);
            !fits) {
            return error_answer(400, fits.error().message);
        }
    }
    auto stored = engine::store_mappings(deps_.store, flow, table, entry);
    if (!stored) return error_answer(status_for(stored.error()), stored.error().describe());
    const std::string what =
        flow + ".mappings." + table + ": " + entry.begin()->first + " -> " + entry.begin()->second;
    (void)deps_.store.append_audit(auth_.audit_event(caller.user, store::AuditAction::kUpdate, "ok",
                                                     "mlc:mappings:" + table,
                                                     caller.user + " mapped " + what));
    std::string applied = "stored; it applies at the next reload (SIGHUP) or restart";
    if (deps_.reload) {
        auto reloaded = deps_.reload("console: mapping by " + caller.user);
        applied =
            reloaded ? *reloaded : "stored, but the reload failed: " + reloaded.error().describe();
    }
    auto open =
        deps_.store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kGroupLettersMax);
    return json_answer(200, json::object{{"mapping", what},
                                         {"applied", applied},
                                         {"open_letters", open ? open->size() : 0}});
}

net::HttpResponse Console::flow_action(const Caller& caller, const std::string& flow,
                                       FlowAction action) {
    Result<void> done = ok();
    std::string verb;
    switch (action) {
        case FlowAction::kPause:
            verb = "paused";
            done = deps_.scheduler.pause(flow);
            break;
        case FlowAction::kResume:
            verb = "resumed";
            done = deps_.scheduler.resume(flow);
            break;
        case FlowAction::kRun:
            verb = "asked for a run of";
            done = run_now(flow);
            break;
    }
    (void)deps_.store.append_audit(auth_.audit_event(
        caller.user, store::AuditAction::kUpdate,
        done ? "ok" : std::string(to_string(done.error().code)), "flow:" + flow,
        caller.user + " " + verb + " flow " + flow + (done ? "" : ": " + done.error().describe())));
    if (!done) return error_answer(status_for(done.error()), done.error().describe());
    const bool run = action == FlowAction::kRun;
    return json_answer(run ? 202 : 200,
                       json::object{{"flow", flow}, {"status", run ? "triggered" : verb}});
}

net::HttpResponse Console::activity(const net::HttpRequest& request) const {
    int hours = 24;
    if (auto text = net::query_param(request.url, "hours")) {
        try {
            hours = std::clamp(std::stoi(*text), 1, kActivityHoursMax);
        } catch (const std::exception&) {
            return error_answer(400, "hours must be a number from 1 to 168");
        }
    }
    const UtcTime now = deps_.clock.now();
    const UtcTime from = now - std::chrono::hours(hours);
    json::array flows;
    for (const auto& [name, flow] : deps_.config.flows) {
        store::AuditQuery query;
        query.flow = name;
        query.from = from;
        query.to = now + std::chrono::seconds(1);  // Half-open: what happened this second too.
        query.limit = kActivityEventsMax;
        auto events = deps_.store.query_audit(query);
        if (!events) return error_answer(500, events.error().describe());
        std::vector<std::int64_t> moved(static_cast<std::size_t>(hours), 0);
        std::vector<std::int64_t> parked(moved);
        for (const auto& event : *events) {
            const auto hour =
                std::min<std::int64_t>((event.at - from) / std::chrono::hours(1), hours - 1);
            if (hour < 0) continue;
            if (event.action == store::AuditAction::kCreate ||
                event.action == store::AuditAction::kUpdate) {
                ++moved[static_cast<std::size_t>(hour)];
            } else if (event.action == store::AuditAction::kPark) {
                ++parked[static_cast<std::size_t>(hour)];
            }
        }
        flows.push_back(json::object{{"name", name},
                                     {"moved", json::value_from(moved)},
                                     {"parked", json::value_from(parked)},
                                     {"truncated", events->size() >= kActivityEventsMax}});
    }
    return json_answer(
        200,
        json::object{{"now", format_iso8601(now)}, {"hours", hours}, {"flows", std::move(flows)}});
}

net::HttpResponse Console::runs(const std::string& flow) const {
    if (!deps_.config.flows.contains(flow)) {
        return error_answer(404, "no flow named '" + flow + "' in the config");
    }
    auto history = engine::read_run_history(deps_.store, flow);
    if (!history) return error_answer(500, history.error().describe());
    json::array rows;
    for (const auto& run : *history) {
        rows.push_back(json::object{{"finished", format_iso8601(run.finished)},
                                    {"outcome", run.outcome},
                                    {"created", run.summary.created},
                                    {"updated", run.summary.updated},
                                    {"skipped", run.summary.skipped},
                                    {"parked", run.summary.parked},
                                    {"failed", run.summary.failed},
                                    {"error", run.error}});
    }
    return json_answer(200, json::object{{"flow", flow}, {"runs", std::move(rows)}});
}

Result<void> Console::run_now(const std::string& flow) {
    for (const auto& status : deps_.scheduler.status()) {
        if (status.name == flow && status.paused) {
            return make_error(ErrorCode::kConflict,
                              "flow " + flow + " is paused: resume it first, then run it");
        }
    }
    if (!deps_.scheduler.trigger(flow)) {
        return make_error(ErrorCode::kNotFound, "no flow named '" + flow + "' in the config");
    }
    return ok();
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

net::HttpResponse Console::trail(const net::HttpRequest& request) const {
    auto key = net::query_param(request.url, "key");
    if (!key || key->find_first_not_of(" \t") == std::string::npos || key->size() > 200) {
        return error_answer(400,
                            "say which record: ?key= an order number, orderKey, PO number, SKU, "
                            "tracking number or settlement id (at most 200 characters)");
    }
    auto found = find_trail(deps_.store, deps_.config, *key);
    if (!found) return error_answer(500, found.error().describe());
    return json_answer(200, *found);
}

namespace {

// {used, burst, per_minute, wait_seconds, vendor_remaining} of the budget spent now; null when the
// daemon does not say or nothing was sent on the connection yet.
json::value rate_use_json(const ConsoleDeps& deps, const std::string& connection) {
    if (!deps.rate_use) return nullptr;
    const auto use = deps.rate_use(connection);
    if (!use) return nullptr;
    json::value remaining = nullptr;
    if (use->vendor_remaining) remaining = *use->vendor_remaining;
    return json::object{{"used", use->used},
                        {"burst", use->burst},
                        {"per_minute", use->per_minute},
                        {"wait_seconds", use->wait_seconds},
                        {"vendor_remaining", std::move(remaining)}};
}

}  // namespace

net::HttpResponse Console::connections() const {
    const UtcTime now = deps_.clock.now();
    json::array flows;
    for (const auto& [name, flow] : deps_.config.flows) {
        json::array connections;
        for (const auto& [role, connection] : flow.connections) {
            json::object row{{"role", role},
                             {"name", connection},
                             {"system", ""},
                             {"rate_per_minute", nullptr},
                             {"token_expires_at", nullptr}};
            if (auto found = deps_.config.connections.find(connection);
                found != deps_.config.connections.end()) {
                row["system"] = found->second.system;
                if (auto rate = found->second.options.find("rate_per_minute");
                    rate != found->second.options.end()) {
                    row["rate_per_minute"] = rate->second;
                }
            }
            auto token = deps_.store.get_token(connection);
            if (!token) return error_answer(500, token.error().describe());
            if (*token) row["token_expires_at"] = format_iso8601((*token)->expires_at);
            row["rate_use"] = rate_use_json(deps_, connection);
            connections.push_back(std::move(row));
        }
        json::array cursors;
        for (const char* stream : kCursorStreams) {
            auto cursor = deps_.store.get_cursor(name, stream);
            if (!cursor) return error_answer(500, cursor.error().describe());
            if (*cursor) cursors.push_back(cursor_json(**cursor, now));
        }
        flows.push_back(json::object{{"flow", name},
                                     {"connections", std::move(connections)},
                                     {"cursors", std::move(cursors)}});
    }
    return json_answer(200,
                       json::object{{"now", format_iso8601(now)}, {"flows", std::move(flows)}});
}

net::HttpResponse Console::ping(const Caller& caller, const std::string& name) {
    auto found = deps_.config.connections.find(name);
    if (found == deps_.config.connections.end()) {
        return error_answer(404, "no connection named '" + name + "' in the config");
    }
    if (!deps_.ping) {
        return error_answer(501, "this daemon cannot ping from the console: run `mlc ping " + name +
                                     "` on its host");
    }
    const connectors::PingReport report = deps_.ping(found->second);
    json::array checks;
    std::string failed;
    for (const auto& check : report.checks) {
        checks.push_back(json::object{{"name", check.name},
                                      {"status", connectors::to_string(check.status)},
                                      {"detail", check.detail}});
        if (check.status == connectors::PingStatus::kFail) {
            failed += (failed.empty() ? "" : "; ") + check.name + ": " + check.detail;
        }
    }
    (void)deps_.store.append_audit(
        auth_.audit_event(caller.user, store::AuditAction::kUpdate, report.ok() ? "ok" : "failed",
                          "connection:" + name,
                          caller.user + " pinged connection " + name + " (" + found->second.system +
                              "): " + (report.ok() ? "ok" : failed)));
    return json_answer(200, json::object{{"connection", name},
                                         {"system", found->second.system},
                                         {"ok", report.ok()},
                                         {"checks", std::move(checks)}});
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
