#pragma once
// The request budget shared by the workers on one PostgreSQL store (issue 16): net's
// SharedRequestBudget over PostgresStateStore::take_request_slot (a sliding-window log per
// connection; store/README.md, "Rate limits and token budgets across workers"). `mlc run` hands
// it to its RateLimiterRegistry when the store is PostgreSQL; with SQLite one process owns the
// state and its in-process limiter is the budget. Keyed by the connection's name in mlc.yaml
// (workers share the config). Borrows the store; as thread-safe as the store.
#include "net/rate_limiter.hpp"
#include "store/postgres/postgres_state_store.hpp"

namespace mlc::cli {

class StoreRequestBudget final : public net::SharedRequestBudget {
  public:
    explicit StoreRequestBudget(store::PostgresStateStore& store) : store_(store) {}
    Result<Slot> take(const std::string& connection, int limit, std::chrono::milliseconds window,
                      UtcTime now) override {
        MLC_TRY(auto slot,
                store_.take_request_slot("connection:" + connection, limit, window, now));
        return Slot{.granted = slot.granted, .retry_at = slot.retry_at};
    }

  private:
    store::PostgresStateStore& store_;
};

}  // namespace mlc::cli
