#include "flows/testing/test_store.hpp"

#include "store/postgres/postgres_state_store.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::flows::testing {

std::string_view store_kind_name(StoreKind kind) {
    return kind == StoreKind::sqlite ? "sqlite" : "postgres";
}

void PrintTo(StoreKind kind, std::ostream* out) { *out << store_kind_name(kind); }

std::string store_unavailable(StoreKind kind) {
    if (kind == StoreKind::postgres && store::testing::test_postgres_url().empty()) {
        return store::testing::kNoPostgresReason;
    }
    return {};
}

Result<TestStore> TestStore::open(StoreKind kind, const std::string& sqlite_path,
                                  const Clock* clock) {
    if (const std::string why = store_unavailable(kind); !why.empty()) {
        return make_error(ErrorCode::kConfig, "test store", why);
    }
    TestStore out(kind, sqlite_path, clock);
    if (kind == StoreKind::postgres) out.schema_.create("mlc_flow");
    MLC_TRY(out.store_, out.open_store());
    return out;
}

TestStore& TestStore::operator=(TestStore&& other) noexcept {
    if (this != &other) {
        store_.reset();  // Closed before its schema is dropped.
        kind_ = other.kind_;
        sqlite_path_ = std::move(other.sqlite_path_);
        clock_ = other.clock_;
        schema_ = std::move(other.schema_);
        store_ = std::move(other.store_);
    }
    return *this;
}

TestStore::~TestStore() { store_.reset(); }

Result<void> TestStore::reopen() {
    store_.reset();
    MLC_TRY(store_, open_store());
    return ok();
}

Result<std::unique_ptr<store::StateStore>> TestStore::open_store() const {
    if (kind_ == StoreKind::postgres) {
        store::PostgresStoreOptions options;
        options.schema = schema_.name();
        options.clock = clock_;
        MLC_TRY(auto opened,
                store::PostgresStateStore::open(store::testing::test_postgres_url(), options));
        return std::unique_ptr<store::StateStore>(std::move(opened));
    }
    store::SqliteStoreOptions options;
    options.clock = clock_;
    MLC_TRY(auto opened, store::SqliteStateStore::open(sqlite_path_, options));
    return std::unique_ptr<store::StateStore>(std::move(opened));
}

}  // namespace mlc::flows::testing
