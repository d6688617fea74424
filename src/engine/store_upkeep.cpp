#include "engine/store_upkeep.hpp"

#include <spdlog/spdlog.h>

#include "common/time.hpp"

namespace mlc::engine {

StoreUpkeep::StoreUpkeep(Clock& clock, store::StateStore& store, spdlog::logger& log,
                         StoreUpkeepOptions options)
    : clock_(clock),
      store_(store),
      log_(log),
      options_(options),
      periodic_(clock, options.every, [this] {
          if (auto done = pass(); !done) {
              log_.warn("store upkeep stopped (the next pass retries): {}",
                        done.error().describe());
          }
      }) {}

Result<UpkeepPass> StoreUpkeep::pass() {
    UpkeepPass out;
    const UtcTime before = clock_.now() - options_.audit_retention;
    for (int batch = 0; batch < options_.batches_per_pass; ++batch) {
        MLC_TRY(const std::int64_t retired,
                store_.retire_audit({.before = before, .max_rows = options_.batch_rows}));
        out.audit_retired += retired;
        if (retired < static_cast<std::int64_t>(options_.batch_rows)) break;
    }
    MLC_TRY(out.pages_reclaimed, store_.reclaim_space(options_.reclaim_pages));
    if (out.audit_retired > 0 || out.pages_reclaimed > 0) {
        log_.info(
            "store upkeep: {} audit event(s) before {} retired into the daily summary (`mlc "
            "status` shows it), {} free page(s) given back",
            out.audit_retired, format_iso8601(before), out.pages_reclaimed);
    }
    return out;
}

}  // namespace mlc::engine
