#include "sandbox/sandbox_host.hpp"

#include <fstream>
#include <functional>

#include <boost/json.hpp>

#include "common/assert.hpp"

namespace mlc::sandbox {
namespace {

net::HttpResponse error_response(int status, std::string message) {
    return net::json_response(status,
                              boost::json::serialize(boost::json::object{{"error", message}}));
}

// FNV-1a: a stable per-name salt so two emulators with one seed draw different faults.
std::uint64_t name_hash(std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace

struct SandboxHost::Entry {
    Entry(std::string name_in, Clock& base, std::uint64_t fault_seed)
        : name(std::move(name_in)), clock(base), faults(fault_seed) {}
    std::string name;
    OffsetClock clock;
    std::unique_ptr<Emulator> emulator;
    std::mutex mutex;  // Serialises handle/control/tick and guards faults, log, base_url.
    FaultInjector faults;
    RequestLog log;
    std::string base_url;
};

SandboxHost::SandboxHost(Clock& clock, net::HttpTransport& outbound, SandboxHostOptions options)
    : clock_(clock), outbound_(outbound), options_(options) {}

SandboxHost::~SandboxHost() { stop_ticker(); }

Emulator& SandboxHost::add(const std::string& name, const EmulatorFactory& factory) {
    MLC_ASSERT(entry(name) == nullptr, "one emulator per system name");
    auto added = std::make_unique<Entry>(name, clock_, options_.seed ^ name_hash(name));
    added->emulator = factory(EmulatorContext{.clock = added->clock,
                                              .outbound = outbound_,
                                              .seed = options_.seed,
                                              .volume = options_.volume});
    MLC_ASSERT(added->emulator != nullptr, "emulator factory returned null");
    entries_.push_back(std::move(added));
    return *entries_.back()->emulator;
}

void SandboxHost::set_base_url(const std::string& name, const std::string& base_url) {
    Entry* found = entry(name);
    MLC_ASSERT(found != nullptr, "set_base_url on a system that was added");
    std::lock_guard lock(found->mutex);
    found->base_url = base_url;
    found->emulator->set_base_url(base_url);
}

std::vector<std::string> SandboxHost::systems() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e->name);
    return out;
}

SandboxHost::Entry* SandboxHost::entry(const std::string& name) {
    for (auto& e : entries_) {
        if (e->name == name) return e.get();
    }
    return nullptr;
}

Emulator* SandboxHost::find(const std::string& name) {
    Entry* found = entry(name);
    return found == nullptr ? nullptr : found->emulator.get();
}

net::HttpResponse SandboxHost::handle(const std::string& name, const net::HttpRequest& request) {
    Entry* found = entry(name);
    if (found == nullptr) return error_response(404, "no sandbox system named " + name);
    const std::string path = net::url_path(request.url);
    if (path.starts_with(kControlPrefix)) {
        return handle_control(*found, request,
                              std::string_view(path).substr(kControlPrefix.size()));
    }
    return handle_vendor(*found, request);
}

std::function<net::HttpResponse(const net::HttpRequest&)> SandboxHost::handler(
    const std::string& name) {
    return [this, name](const net::HttpRequest& request) { return handle(name, request); };
}

net::HttpResponse SandboxHost::handle_vendor(Entry& e, const net::HttpRequest& request) {
    FaultDecision decision;
    {
        std::lock_guard lock(e.mutex);
        e.log.record(request);
        decision = e.faults.decide(net::url_path(request.url));
    }
    // Latency outside the lock: other requests to the emulator are not held up by it.
    if (decision.latency_ms > 0) clock_.sleep_for(std::chrono::milliseconds{decision.latency_ms});
    switch (decision.kind) {
        case FaultKind::kStatus429: {
            auto response = error_response(429, "sandbox fault: too many requests");
            net::set_header(response.headers, "Retry-After", "1");
            return response;
        }
        case FaultKind::kStatus500:
            return error_response(500, "sandbox fault: internal server error");
        case FaultKind::kStatus503:
            return error_response(503, "sandbox fault: service unavailable");
        default:
            break;
    }
    net::HttpResponse response;
    {
        std::lock_guard lock(e.mutex);
        response = e.emulator->handle(request);
    }
    // A dropped connection happens after the work is done: the caller cannot know whether its
    // write landed (the uncertain-write case the no-duplicates invariant is about).
    if (decision.kind == FaultKind::kDrop) response.drop_connection = true;
    if (decision.kind == FaultKind::kMalformed || decision.kind == FaultKind::kTruncated) {
        FaultInjector::corrupt_body(decision.kind, response.body);
    }
    return response;
}

net::HttpResponse SandboxHost::handle_control(Entry& e, const net::HttpRequest& request,
                                              std::string_view route) {
    std::lock_guard lock(e.mutex);
    if (route == "requests") {
        if (request.method == "DELETE") {
            e.log.clear();
            return net::json_response(200, R"({"cleared":true})");
        }
        return net::json_response(200, boost::json::serialize(e.log.to_json()));
    }
    if (route == "faults") {
        if (request.method == "DELETE") {
            e.faults.clear();
            return net::json_response(200, R"({"cleared":true})");
        }
        if (request.method == "POST") {
            boost::system::error_code ec;
            const auto json = boost::json::parse(request.body, ec);
            if (ec) return error_response(400, "fault plan is not JSON: " + ec.message());
            auto plan = fault_plan_from_json(json);
            if (!plan) return error_response(400, plan.error().message);
            auto added = e.faults.add(*plan);
            if (!added) return error_response(400, added.error().message);
            return net::json_response(200, boost::json::serialize(fault_plan_to_json(*plan)));
        }
        boost::json::array plans;
        for (const auto& plan : e.faults.plans()) plans.push_back(fault_plan_to_json(plan));
        return net::json_response(200, boost::json::serialize(plans));
    }
    if (route == "clock") {
        if (request.method != "POST") return error_response(405, "POST {\"advance_seconds\": N}");
        boost::system::error_code ec;
        const auto json = boost::json::parse(request.body, ec);
        const auto* seconds =
            ec || !json.is_object() ? nullptr : json.get_object().if_contains("advance_seconds");
        if (seconds == nullptr || !seconds->is_int64() || seconds->get_int64() < 0) {
            return error_response(400, "expected {\"advance_seconds\": N} with N >= 0");
        }
        e.clock.advance(std::chrono::seconds{seconds->get_int64()});
        return net::json_response(200,
                                  boost::json::serialize(boost::json::object{
                                      {"now_unix_us", e.clock.now().time_since_epoch().count()}}));
    }
    return e.emulator->control(request, route);
}

void SandboxHost::tick_all() {
    for (auto& e : entries_) {
        std::lock_guard lock(e->mutex);
        e->emulator->tick();
    }
}

void SandboxHost::start_ticker() {
    if (ticker_.joinable()) return;
    ticker_stop_ = false;
    ticker_ = std::thread([this] {
        // Sleeps in short slices so stop_ticker() returns promptly.
        constexpr auto kSlice = std::chrono::milliseconds{20};
        while (!ticker_stop_) {
            const auto deadline = clock_.steady_now() + kTickInterval;
            while (!ticker_stop_ && clock_.steady_now() < deadline) clock_.sleep_for(kSlice);
            if (!ticker_stop_) tick_all();
        }
    });
}

void SandboxHost::stop_ticker() {
    ticker_stop_ = true;
    if (ticker_.joinable()) ticker_.join();
}

boost::json::object SandboxHost::ports() const {
    boost::json::object out;
    for (const auto& e : entries_) {
        std::lock_guard lock(e->mutex);
        out[e->name] = e->emulator->connection_info(e->base_url);
    }
    return out;
}

Result<void> SandboxHost::write_ports_file(const std::string& path) const {
    const std::string temp = path + ".tmp";
    {
        std::ofstream file(temp, std::ios::trunc);
        if (!file) {
            return make_error(ErrorCode::kConfig, "sandbox", "cannot write ports file " + temp);
        }
        file << boost::json::serialize(ports()) << "\n";
        if (!file.flush()) {
            return make_error(ErrorCode::kConfig, "sandbox", "cannot write ports file " + temp);
        }
    }
    // Rename so a reader polling for the file never sees it half-written.
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        return make_error(ErrorCode::kConfig, "sandbox", "cannot rename ports file to " + path);
    }
    return ok();
}

}  // namespace mlc::sandbox
