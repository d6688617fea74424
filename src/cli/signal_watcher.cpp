#include "cli/signal_watcher.hpp"

#include <signal.h>

#include <ctime>

namespace mlc::cli {

namespace {
// How often the watcher looks at done_ while no signal arrives: bounds stop()'s latency.
constexpr long kPollNanoseconds = 100'000'000;

sigset_t watched_signals(bool hangup) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (hangup) sigaddset(&set, SIGHUP);
    return set;
}
}  // namespace

SignalWatcher::~SignalWatcher() { stop(); }

void SignalWatcher::start(Callback on_signal, bool hangup) {
    const sigset_t set = watched_signals(hangup);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this, set, on_signal = std::move(on_signal)] {
        const timespec poll{0, kPollNanoseconds};
        while (!done_.load()) {
            const int signal = sigtimedwait(&set, nullptr, &poll);
            if (signal <= 0) continue;  // Timeout or EINTR.
            if (signal != SIGHUP) received_.store(signal);
            on_signal(signal);
        }
    });
}

void SignalWatcher::stop() {
    done_.store(true);
    if (thread_.joinable()) thread_.join();
}

}  // namespace mlc::cli
