#include "engine/flow_lease.hpp"

namespace mlc::engine {

std::string flow_lease_name(const std::string& flow) { return "flow:" + flow; }

FlowLease::FlowLease(store::StateStore& store, Clock& clock, std::string flow, std::string owner,
                     std::chrono::seconds ttl, HolderGone holder_gone)
    : store_(store),
      clock_(clock),
      name_(flow_lease_name(flow)),
      owner_(std::move(owner)),
      ttl_(ttl),
      holder_gone_(std::move(holder_gone)) {}

FlowLease::~FlowLease() {
    // The lease expires by itself after ttl_ if this release fails.
    if (held_) (void)release();
}

Result<bool> FlowLease::take() {
    const UtcTime now = clock_.now();
    MLC_TRY_CTX(bool taken, store_.acquire_lease(name_, owner_, now, now + ttl_),
                "while taking the lease " + name_);
    held_ = taken;
    if (taken) renewed_at_ = clock_.steady_now();
    return taken;
}

Result<bool> FlowLease::acquire() {
    MLC_TRY(const bool taken, take());
    if (taken || !holder_gone_) return taken;
    MLC_TRY(auto holder, store_.lease_holder(name_));
    if (!holder || holder->owner == owner_ || !holder_gone_(holder->owner)) return false;
    // Its worker was killed mid-run: the lease would only keep this flow idle until it expired.
    // Releasing names the dead owner, so a lease another worker took meanwhile stays its own.
    MLC_CHECK_CTX(store_.release_lease(name_, holder->owner),
                  "while freeing the lease " + name_ + " of the dead worker " + holder->owner);
    return take();
}

Result<bool> FlowLease::renew() {
    if (!held_) return false;
    if (clock_.steady_now() - renewed_at_ < ttl_ / 3) return true;
    return take();
}

Result<void> FlowLease::release() {
    if (!held_) return ok();
    held_ = false;
    MLC_CHECK_CTX(store_.release_lease(name_, owner_), "while releasing the lease " + name_);
    return ok();
}

}  // namespace mlc::engine
