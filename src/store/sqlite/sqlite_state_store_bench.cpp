// Rough throughput of the SQLite store on the paths a flow run takes: commit_page() of a typical
// page, and the operator's audit lookup by source key. Not run in CI; for spotting regressions.
#include <benchmark/benchmark.h>

#include <string>

#include "store/sqlite/sqlite_state_store.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store {
namespace {

constexpr int kRecordsPerPage = 50;  // A typical page of changed orders.
constexpr int kAuditRowsSeeded = 20'000;

UtcTime at(std::int64_t seconds) { return UtcTime{std::chrono::seconds{seconds}}; }

PageCommit make_page(std::int64_t page) {
    PageCommit commit;
    for (int i = 0; i < kRecordsPerPage; ++i) {
        const std::string key = "SS-" + std::to_string(page * kRecordsPerPage + i);
        commit.bindings.push_back({.flow = "bench",
                                   .source_system = "shipstation",
                                   .source_key = key,
                                   .target_id = key,
                                   .created_at = at(page),
                                   .updated_at = at(page)});
        commit.audit.push_back({.flow = "bench",
                                .source_ref = "shipstation:order:" + key,
                                .target_ref = "epicor:SalesOrder:" + key,
                                .at = at(page)});
    }
    commit.cursor = Cursor{"bench", "orders", std::to_string(page), at(page)};
    return commit;
}

void BM_CommitPageInMemory(benchmark::State& state) {
    auto store = SqliteStateStore::open(":memory:");
    if (!store) {
        state.SkipWithError("open failed");
        return;
    }
    std::int64_t page = 0;
    for (auto _ : state) {
        if (!(*store)->commit_page(make_page(++page))) state.SkipWithError("commit failed");
    }
    state.SetItemsProcessed(state.iterations() * kRecordsPerPage);
}
BENCHMARK(BM_CommitPageInMemory);

void BM_AuditQueryBySourceKey(benchmark::State& state) {
    auto store = SqliteStateStore::open(":memory:");
    if (!store) {
        state.SkipWithError("open failed");
        return;
    }
    for (std::int64_t page = 0; page < kAuditRowsSeeded / kRecordsPerPage; ++page) {
        if (!(*store)->commit_page(make_page(page))) state.SkipWithError("seeding failed");
    }
    std::int64_t i = 0;
    for (auto _ : state) {
        const std::string key = "SS-" + std::to_string(++i % kAuditRowsSeeded);
        auto found = (*store)->query_audit({.source_key = key});
        benchmark::DoNotOptimize(found);
    }
}
BENCHMARK(BM_AuditQueryBySourceKey);

}  // namespace
}  // namespace mlc::store

BENCHMARK_MAIN();
