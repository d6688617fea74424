#pragma once
// FlowLease: "only one run of a flow at a time", across threads and processes. It holds the
// store lease "flow:<name>" for `ttl`, renews it while the run goes on, and releases it at the
// end. A worker that dies leaves the lease to expire after `ttl`, so another worker can take over;
// one known dead (HolderGone: same host, process gone) is taken over at once.
//
// Lifecycle: construct, acquire(), renew() between pages, release() (or the destructor).
// Thread safety: one FlowLease is used by one thread. Ownership: borrows the store and clock,
// which must outlive it.

#include <chrono>
#include <functional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::engine {

// Long enough for one page of the slowest vendor (Amazon reports poll for minutes), short enough
// that a crashed worker's flows resume within minutes.
inline constexpr std::chrono::seconds kFlowLeaseTtl{300};

std::string flow_lease_name(const std::string& flow);  // "flow:<flow>"

// True when the worker named `owner` is known to be dead (a worker of this host whose process is
// gone). Must never say true of a live worker; unsure is false.
using HolderGone = std::function<bool(const std::string& owner)>;

class FlowLease {
  public:
    // `holder_gone(owner)` says whether the process that holds the lease is known to be dead
    // (killed, crashed); its lease is then taken at once instead of after its ttl. Empty: never.
    FlowLease(store::StateStore& store, Clock& clock, std::string flow, std::string owner,
              std::chrono::seconds ttl = kFlowLeaseTtl, HolderGone holder_gone = {});
    ~FlowLease();
    FlowLease(const FlowLease&) = delete;
    FlowLease& operator=(const FlowLease&) = delete;

    // True when taken; false when another owner holds it.
    Result<bool> acquire();
    // Extends the lease once a third of its ttl has passed (fewer store writes on fast pages).
    // False when it was lost (expired and taken by another owner).
    Result<bool> renew();
    Result<void> release();
    bool held() const { return held_; }

  private:
    Result<bool> take();

    store::StateStore& store_;
    Clock& clock_;
    std::string name_;
    std::string owner_;
    std::chrono::seconds ttl_;
    HolderGone holder_gone_;
    SteadyTime renewed_at_{};
    bool held_ = false;
};

}  // namespace mlc::engine
