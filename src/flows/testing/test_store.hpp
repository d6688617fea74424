#pragma once
// The state store a flow's end-to-end test runs on, written once so each flow's main e2e suite
// runs, unchanged, on both stores: TEST_P over StoreKind, instantiated with
//
//   INSTANTIATE_TEST_SUITE_P(Stores, MySuite, ::testing::ValuesIn(testing::kStoreKinds),
//                            testing::StoreKindName{});
//
// and each test (or its fixture's SetUp) starting with MLC_SKIP_WITHOUT_STORE(GetParam()): the
// PostgreSQL instance skips, saying why, when MLC_TEST_POSTGRES_URL is unset
// (scripts/with-postgres.sh sets it; .ci/run and scripts/test.sh run the tests under it). A
// fixture that builds its world in its constructor: store_param.hpp (OnEachStore).
//
// TestStore::open(kind): SQLite at a path (":memory:" by default, or a file) or PostgreSQL in a
// schema of its own on MLC_TEST_POSTGRES_URL's database, dropped when the TestStore goes.
//
// Test code only (library mlc_flows_testing). Lifecycle: open, use, destroy (PostgreSQL: the
// store is closed, then its schema dropped). Thread safety: as the store. Ownership: owns the
// store and, on PostgreSQL, its schema.
#include <array>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"
#include "store/testing/test_postgres.hpp"

namespace mlc::flows::testing {

enum class StoreKind { sqlite, postgres };
inline constexpr std::array<StoreKind, 2> kStoreKinds{StoreKind::sqlite, StoreKind::postgres};

// "sqlite" / "postgres".
std::string_view store_kind_name(StoreKind kind);
// gtest prints a parameter with it (found by ADL).
void PrintTo(StoreKind kind, std::ostream* out);
// The name of an instance ("Stores/Suite.Test/sqlite"), for INSTANTIATE_TEST_SUITE_P.
struct StoreKindName {
    template <class ParamInfo>
    std::string operator()(const ParamInfo& info) const {
        return std::string(store_kind_name(info.param));
    }
};
// Why a test cannot run on `kind` here; empty when it can.
std::string store_unavailable(StoreKind kind);

class TestStore {
  public:
    // SQLite at `sqlite_path`, or a fresh PostgreSQL schema. `clock`: the SQLite store's
    // migration stamps (PostgreSQL's too); null: the system clock.
    static Result<TestStore> open(StoreKind kind, const std::string& sqlite_path = ":memory:",
                                  const Clock* clock = nullptr);
    TestStore() = default;  // No store (a fixture whose test skips).
    TestStore(TestStore&&) noexcept = default;
    TestStore& operator=(TestStore&&) noexcept;
    ~TestStore();

    store::StateStore& operator*() const { return *store_; }
    store::StateStore* operator->() const { return store_.get(); }
    store::StateStore* get() const { return store_.get(); }
    StoreKind kind() const { return kind_; }

    // Closes the store and opens it again on the same data (a restart of the process that held
    // it; SQLite ":memory:" starts empty).
    Result<void> reopen();

  private:
    TestStore(StoreKind kind, std::string sqlite_path, const Clock* clock)
        : kind_(kind), sqlite_path_(std::move(sqlite_path)), clock_(clock) {}
    Result<std::unique_ptr<store::StateStore>> open_store() const;

    StoreKind kind_ = StoreKind::sqlite;
    std::string sqlite_path_ = {};
    const Clock* clock_ = nullptr;
    store::testing::TestSchema schema_;  // PostgreSQL: declared before store_, dropped after it.
    std::unique_ptr<store::StateStore> store_;
};

}  // namespace mlc::flows::testing

// Skips the running test, saying why, when `kind`'s store is not available here.
#define MLC_SKIP_WITHOUT_STORE(kind)                                                              \
    if (const std::string mlc_store_unavailable = ::mlc::flows::testing::store_unavailable(kind); \
        !mlc_store_unavailable.empty())                                                           \
    GTEST_SKIP() << mlc_store_unavailable
