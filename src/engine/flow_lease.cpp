#include "engine/flow_lease.hpp"

namespace mlc::engine {

std::string flow_lease_name(const std::string& flow) { return "flow:" + flow; }

FlowLease::FlowLease(store::StateStore& store, Clock& clock, std::string flow, std::string owner,
                     std::chrono::seconds ttl)
    : store_(store),
      clock_(clock),
      name_(flow_lease_name(flow)),
      owner_(std::move(owner)),
      ttl_(ttl) {}

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

Result<bool> FlowLease::acquire() { return take(); }

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
