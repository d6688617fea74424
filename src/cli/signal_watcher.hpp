#pragma once
// SignalWatcher: turns SIGINT/SIGTERM (and SIGHUP when asked: the daemon's reload) into a
// callback on a thread of its own (sigtimedwait), so no signal handler and no global flag are
// needed. The signals are blocked in every thread
// created after start() (call it before starting other threads).
//
// Lifecycle: start(), then stop() (or the destructor) joins the thread. Thread safety: the callback
// runs on the watcher's thread. Ownership: owns its thread.

#include <atomic>
#include <functional>
#include <thread>

namespace mlc::cli {

class SignalWatcher {
  public:
    using Callback = std::function<void(int signal)>;
    SignalWatcher() = default;
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // With `hangup`, SIGHUP is delivered to the callback too (and never ends the process).
    void start(Callback on_signal, bool hangup = false);
    void stop();
    // The last stop signal received, SIGINT or SIGTERM (0 when none).
    int received() const { return received_.load(); }

  private:
    std::atomic<bool> done_{false};
    std::atomic<int> received_{0};
    std::thread thread_;
};

}  // namespace mlc::cli
