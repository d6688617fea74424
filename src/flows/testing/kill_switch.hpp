#pragma once
// What every SIGKILL test needs, once: one emulator of a SandboxHost served on a loopback port
// (its state outlives the processes that talk to it) that kills a registered child process at
// its N-th request, either before the emulator sees the request (the write never happened) or
// after the emulator applied it (the write landed, its answer is lost); and a child process
// started with posix_spawn and waited for.
//
// Test code only, header-only (links with mlc_net_server). Thread safety: KillingServer's
// handler runs on the server's threads; arm/disarm/kills are atomic.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "net/http_server.hpp"
#include "sandbox/sandbox_host.hpp"

extern char** environ;

namespace mlc::flows::testing {

class KillingServer {
  public:
    KillingServer(sandbox::SandboxHost& host, std::string system, int threads = 2)
        : server_({.address = "127.0.0.1", .port = 0, .threads = threads, .name = system},
                  [this, &host, system](const net::HttpRequest& request) {
                      return handle(host, system, request);
                  }) {}
    Result<void> start() { return server_.start(); }
    std::string base_url() const { return server_.base_url(); }
    // Kills `child` at the `after_requests`-th request from now (1: the next one).
    void arm(pid_t child, long after_requests, bool after_applying) {
        child_ = child;
        after_applying_ = after_applying;
        kill_at_ = requests_.load() + after_requests;
    }
    void disarm() { kill_at_ = -1; }
    // Called with every request before it is handled (e.g. to move the emulators' clock).
    void on_request(std::function<void(const net::HttpRequest&)> hook) { hook_ = std::move(hook); }
    int kills() const { return kills_.load(); }
    long requests() const { return requests_.load(); }

  private:
    net::HttpResponse handle(sandbox::SandboxHost& host, const std::string& system,
                             const net::HttpRequest& request) {
        if (hook_) hook_(request);
        const long n = ++requests_;
        const bool kill_now = n == kill_at_.load();
        if (kill_now && !after_applying_) {
            kill_child();  // Killed before the vendor saw the request.
            return net::json_response(503, R"({"error":"killed before applying"})");
        }
        net::HttpResponse response = host.handle(system, request);
        if (kill_now) kill_child();  // Applied; the answer never reaches the killed child.
        return response;
    }
    void kill_child() {
        const pid_t pid = child_.load();
        if (pid > 0 && ::kill(pid, SIGKILL) == 0) ++kills_;
    }

    std::atomic<long> requests_{0};
    std::atomic<long> kill_at_{-1};
    std::atomic<bool> after_applying_{false};
    std::atomic<pid_t> child_{0};
    std::atomic<int> kills_{0};
    std::function<void(const net::HttpRequest&)> hook_;  // Set before start().
    net::HttpServer server_;  // Last: stopped first, while the members its handler uses live.
};

// Where the next run is killed: a random request of the next `max` to a server at first, then
// never past the requests an unkilled run made to it. A run with little work left (nothing new
// to ship, a poll that finds nothing) makes few requests, and a kill drawn past its last one
// never lands; how many a run makes depends on timing (a slower build, an ASan one, polls more
// often), so the bound learns it instead of guessing it.
class KillPoints {
  public:
    explicit KillPoints(long max) : max_(max) {}
    long draw(const KillingServer& server, std::mt19937_64& random) const {
        const auto known = bound_.find(&server);
        const long upto = known == bound_.end() ? max_ : known->second;
        return std::uniform_int_distribution<long>(1, upto)(random);
    }
    // After a run that was not killed and made `requests` to `server`.
    void unkilled(const KillingServer& server, long requests) {
        if (requests <= 0) return;
        const auto known = bound_.find(&server);
        const long upto = known == bound_.end() ? max_ : known->second;
        bound_[&server] = std::min(upto, requests);
    }

  private:
    long max_;
    std::map<const KillingServer*, long> bound_;
};

// Starts `args` (args[0] the program's path) as a child process: posix_spawn, so nothing of a
// multi-threaded parent runs in the child before exec. Returns its pid, or -1.
inline pid_t spawn_child(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t child = -1;
    if (posix_spawn(&child, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
    return child;
}

// Waits for `child`: its exit status (>= 0), or minus the signal that ended it.
inline int wait_child(pid_t child) {
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `args` (args[0] the program's path) with stdin read from the file `in` and stdout and
// stderr written to the file `out`; `started` sees its pid before the wait (to arm a
// KillingServer). Its exit status (>= 0), minus the signal that ended it, or -1000 when it could
// not start.
inline int run_child(std::vector<std::string> args, const std::string& in, const std::string& out,
                     const std::function<void(pid_t)>& started = {}) {
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&files, 1, 2);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t child = -1;
    const int spawned = posix_spawn(&child, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    if (spawned != 0) return -1000;
    if (started) started(child);
    return wait_child(child);
}

}  // namespace mlc::flows::testing
