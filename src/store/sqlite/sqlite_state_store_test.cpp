#include "store/sqlite/sqlite_state_store.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <charconv>
#include <fstream>
#include <random>
#include <thread>

#include "common/clock.hpp"
#include "store/inbox_commit_queue.hpp"
#include "store/sqlite/sqlite_backup.hpp"
#include "store/testing/state_store_contract.hpp"

// Records are built with designated initializers that leave the structs' defaults in place; g++
// 12 flags that under -Wextra.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store {
namespace {

using testing::ScratchDir;
using testing::StateStoreContract;
using testing::StoreFactory;

std::unique_ptr<StateStore> open_or_fail(const std::string& path) {
    auto opened = SqliteStateStore::open(path);
    if (!opened) {
        ADD_FAILURE() << opened.error().describe();
        return nullptr;
    }
    return std::move(opened).value();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StateStoreContract,
                         ::testing::Values(StoreFactory{"memory",
                                                        [](const std::filesystem::path&) {
                                                            return open_or_fail(":memory:");
                                                        }},
                                           StoreFactory{"file",
                                                        [](const std::filesystem::path& dir) {
                                                            return open_or_fail(
                                                                (dir / "state.db").string());
                                                        }}),
                         testing::store_factory_name);

UtcTime at(std::int64_t seconds) { return UtcTime{std::chrono::seconds{seconds}}; }

// A raw connection for what the store's API cannot do on purpose (plant a newer schema, hold a
// lock, tamper with the audit table).
class RawDb {
  public:
    explicit RawDb(const std::string& path) {
        EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawDb() { sqlite3_close_v2(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    int exec(const std::string& sql) {
        return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            const auto* value = sqlite3_column_text(stmt, 0);
            if (value != nullptr) out = reinterpret_cast<const char*>(value);
        }
        sqlite3_finalize(stmt);
        return out;
    }

    // Every row of EXPLAIN QUERY PLAN `sql`, its detail column joined by "; ".
    std::string plan(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db_, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) !=
            SQLITE_OK) {
            return "prepare failed: " + std::string(sqlite3_errmsg(db_));
        }
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            const auto* detail = sqlite3_column_text(stmt, 3);
            if (detail != nullptr) out += std::string(reinterpret_cast<const char*>(detail)) + "; ";
        }
        sqlite3_finalize(stmt);
        return out;
    }

  private:
    sqlite3* db_ = nullptr;
};

TEST(SqliteMigrations, NewFileGetsEverySchemaVersionOnce) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    ManualClock clock(at(1'700'000'000));
    auto store = SqliteStateStore::open(path, {.clock = &clock});
    ASSERT_TRUE(store) << store.error().describe();
    auto applied = (*store)->applied_migrations();
    ASSERT_TRUE(applied);
    ASSERT_EQ(applied->size(), static_cast<std::size_t>(kSqliteSchemaVersion));
    EXPECT_EQ(applied->back().version, kSqliteSchemaVersion);
    EXPECT_EQ(applied->front().applied_at, at(1'700'000'000));
    EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteMigrations, EmptyExistingFileIsMigrated) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    std::ofstream(path).close();  // 0 bytes, as `touch` leaves it.
    auto store = SqliteStateStore::open(path);
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->put_setting("k", "v"));
}

TEST(SqliteMigrations, ReopenKeepsDataAndDoesNotReapplyMigrations) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    ManualClock clock(at(1'700'000'000));
    {
        auto store = SqliteStateStore::open(path, {.clock = &clock});
        ASSERT_TRUE(store) << store.error().describe();
        ASSERT_TRUE((*store)->set_cursor({"ss-epicor", "orders", "2024-03-10T10:00:00Z", at(5)}));
        ASSERT_TRUE((*store)->put_setting("woo.webhook_id", "17"));
    }
    clock.advance(std::chrono::hours{24});
    auto store = SqliteStateStore::open(path, {.clock = &clock});
    ASSERT_TRUE(store) << store.error().describe();
    EXPECT_EQ((*store)->get_cursor("ss-epicor", "orders").value()->value, "2024-03-10T10:00:00Z");
    EXPECT_EQ((*store)->get_setting("woo.webhook_id").value(), std::optional<std::string>("17"));
    auto applied = (*store)->applied_migrations();
    ASSERT_TRUE(applied);
    ASSERT_EQ(applied->size(), static_cast<std::size_t>(kSqliteSchemaVersion));
    EXPECT_EQ(applied->front().applied_at, at(1'700'000'000));  // Not stamped again.
}

TEST(SqliteMigrations, FileFromNewerMlcIsRefusedWithAClearError) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    ASSERT_TRUE(SqliteStateStore::open(path));
    {
        RawDb raw(path);
        ASSERT_EQ(raw.exec("INSERT INTO schema_migrations (version, applied_at_us) VALUES (" +
                           std::to_string(kSqliteSchemaVersion + 1) + ", 0)"),
                  SQLITE_OK);
    }
    auto store = SqliteStateStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, ErrorCode::kStorage);
    EXPECT_NE(store.error().describe().find("this state file was written by a newer mlc"),
              std::string::npos)
        << store.error().describe();
}

TEST(SqliteOpen, FileThatIsNotADatabaseIsAStorageError) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    std::ofstream(path) << "this is a YAML config, not a database\n" << std::string(4096, 'x');
    auto store = SqliteStateStore::open(path);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, ErrorCode::kStorage);
    EXPECT_NE(store.error().message.find("the state file is damaged"), std::string::npos);
    EXPECT_NE(store.error().message.find("mlc restore FILE"), std::string::npos);
}

TEST(SqliteOpen, MissingDirectoryIsAConfigErrorNamingTheFolder) {
    ScratchDir dir;
    const auto folder = (dir.path() / "no" / "such").string();
    auto store = SqliteStateStore::open(folder + "/state.db");
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, ErrorCode::kConfig);
    EXPECT_NE(store.error().message.find("mkdir -p " + folder), std::string::npos);
}

TEST(SqliteBackup, ABackupTakenWhileTheStoreWritesRestoresElsewhereWithEveryRow) {
    ScratchDir dir;
    const std::string live = (dir.path() / "state.db").string();
    const std::string copy = (dir.path() / "backup.db").string();
    auto store = open_or_fail(live);
    ASSERT_TRUE(store->put_setting("run:orders", "{\"outcome\":\"ok\"}"));
    store::AuditEvent event;
    event.flow = "orders";
    event.at = at(100);
    event.detail = "one";
    ASSERT_TRUE(store->append_audit(event));
    auto backup = backup_sqlite(live, copy);
    ASSERT_TRUE(backup) << backup.error().describe();
    EXPECT_EQ(backup->integrity, "ok");
    EXPECT_EQ(backup->schema_version, kSqliteSchemaVersion);
    EXPECT_GT(backup->bytes, 0);
    EXPECT_FALSE(backup_sqlite(live, copy)) << "a backup is never overwritten";
    ASSERT_TRUE(store->put_setting("run:orders", "changed after the backup"));

    const std::string elsewhere = (dir.path() / "restored.db").string();
    auto restored = restore_sqlite(copy, elsewhere);
    ASSERT_TRUE(restored) << restored.error().describe();
    auto reopened = open_or_fail(elsewhere);
    EXPECT_EQ(reopened->get_setting("run:orders")->value_or(""), "{\"outcome\":\"ok\"}");
    store::AuditQuery query;
    query.flow = "orders";
    EXPECT_EQ(reopened->query_audit(query)->size(), 1u);
}

TEST(SqliteBackup, ADamagedPageIsFoundByTheQuickCheck) {
    ScratchDir dir;
    const std::string live = (dir.path() / "state.db").string();
    {
        auto store = open_or_fail(live);
        for (int i = 0; i < 200; ++i) {
            ASSERT_TRUE(store->put_setting("key" + std::to_string(i), std::string(500, 'v')));
        }
    }
    ASSERT_EQ(check_sqlite(live, true)->integrity, "ok");
    {
        RawDb(live).exec("PRAGMA wal_checkpoint(TRUNCATE)");
        std::fstream file(live, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096 * 3);
        file << std::string(4096 * 4, '\xff');  // Pages 4-7 overwritten, the header kept.
    }
    auto checked = check_sqlite(live, true);
    ASSERT_TRUE(checked) << checked.error().describe();
    EXPECT_NE(checked->integrity, "ok");
}

TEST(SqliteBackup, ADamagedOrForeignFileIsNeverRestored) {
    ScratchDir dir;
    const std::string live = (dir.path() / "state.db").string();
    { auto store = open_or_fail(live); }
    const std::string foreign = (dir.path() / "other.db").string();
    RawDb(foreign).exec("CREATE TABLE t(x)");
    auto refused = restore_sqlite(foreign, live);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("not an mlc state file"), std::string::npos);
    const std::string junk = (dir.path() / "junk.db").string();
    std::ofstream(junk) << std::string(8192, 'x');
    EXPECT_FALSE(restore_sqlite(junk, live));
    EXPECT_EQ(check_sqlite(live, true)->integrity, "ok") << "the live file is untouched";
}

TEST(SqliteOpen, FileIsInWalMode) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    ASSERT_TRUE(SqliteStateStore::open(path));
    RawDb raw(path);
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");  // Persistent in the file.
}

TEST(SqliteBusy, WriteWhileAnotherProcessHoldsTheLockFailsWithStorageErrorThenRecovers) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto store = SqliteStateStore::open(path, {.busy_timeout = std::chrono::milliseconds{1}});
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->put_setting("k", "before"));
    RawDb other(path);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);
    ASSERT_EQ(other.exec("INSERT INTO settings (key, value) VALUES ('x', 'y')"), SQLITE_OK);

    auto write = (*store)->put_setting("k", "during");
    ASSERT_FALSE(write);
    EXPECT_EQ(write.error().code, ErrorCode::kStorage);
    auto page = (*store)->commit_page({.cursor = Cursor{"f", "s", "1", at(1)}});
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::kStorage);
    // Readers are not blocked by a writer in WAL mode.
    EXPECT_EQ((*store)->get_setting("k").value(), std::optional<std::string>("before"));

    ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
    ASSERT_TRUE((*store)->put_setting("k", "after"));
    ASSERT_TRUE((*store)->commit_page({.cursor = Cursor{"f", "s", "1", at(1)}}));
    EXPECT_EQ((*store)->get_setting("x").value(), std::optional<std::string>("y"));
}

TEST(SqliteSharing, TwoConnectionsOnOneFileShareLeasesAndInbox) {
    // The daemon and a CLI command (or two workers) open the same file.
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto daemon = SqliteStateStore::open(path);
    auto cli = SqliteStateStore::open(path);
    ASSERT_TRUE(daemon && cli);
    EXPECT_TRUE((*daemon)->acquire_lease("flow:f", "daemon", at(100), at(160)).value());
    EXPECT_FALSE((*cli)->acquire_lease("flow:f", "cli", at(120), at(180)).value());
    auto stored = (*daemon)->append_inbox({.flow = "f", .delivery_id = "d-1", .body_hash = "h"});
    ASSERT_TRUE(stored);
    auto duplicate = (*cli)->append_inbox({.flow = "f", .delivery_id = "d-1", .body_hash = "h2"});
    ASSERT_TRUE(duplicate);
    EXPECT_EQ(duplicate->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(duplicate->id, stored->id);
    EXPECT_EQ((*cli)->lease_inbox("f", "cli", at(100), std::chrono::seconds{30}, 10)->size(), 1u);
    EXPECT_TRUE(
        (*daemon)->lease_inbox("f", "daemon", at(100), std::chrono::seconds{30}, 10)->empty());
}

TEST(SqliteAudit, RowsCannotBeChangedOrDeleted) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto store = SqliteStateStore::open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->append_audit({.flow = "f", .source_ref = "a:b:c", .at = at(1)}));
    RawDb raw(path);
    EXPECT_NE(raw.exec("UPDATE audit SET outcome = 'forged'"), SQLITE_OK);
    EXPECT_NE(raw.exec("DELETE FROM audit"), SQLITE_OK);
    EXPECT_EQ((*store)->query_audit({.flow = "f"}).value().size(), 1u);
}

TEST(SqliteThreads, ConcurrentWritersAllLand) {
    constexpr int kThreads = 4;
    constexpr int kWritesPerThread = 50;
    ScratchDir dir;
    auto store = SqliteStateStore::open((dir.path() / "state.db").string());
    ASSERT_TRUE(store);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kWritesPerThread; ++i) {
                std::string key(1, 't');  // Appended: GCC 12's false -Wrestrict at -O3.
                key.append(std::to_string(t)).append(1, '-').append(std::to_string(i));
                PageCommit page;
                page.bindings = {{.flow = "f", .source_system = "s", .source_key = key}};
                page.audit = {{.flow = "f", .source_ref = "s:order:" + key, .at = at(i)}};
                if (!(*store)->commit_page(page)) ++failures;
                if (!(*store)->count_token_request("c", at(i))) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ((*store)->count_bindings("f").value(), kThreads * kWritesPerThread);
    EXPECT_EQ((*store)->query_audit({.flow = "f"}).value().size(),
              static_cast<std::size_t>(kThreads * kWritesPerThread));
    EXPECT_EQ((*store)->token_requests_on("c", at(0)).value(), kThreads * kWritesPerThread);
}

TEST(SqliteBounds, LeaseInboxHandsOutAtMostItsBoundWhateverMaxSays) {
    auto store = SqliteStateStore::open(":memory:");
    ASSERT_TRUE(store);
    for (std::size_t i = 0; i <= kSqliteInboxLeaseMax; ++i) {
        std::string hash(1, 'h');  // Appended: GCC 12's false -Wrestrict at -O3.
        hash.append(std::to_string(i));
        ASSERT_TRUE((*store)->append_inbox({.flow = "f",
                                            .source = "woocommerce",
                                            .body_hash = hash,
                                            .received_at = at(static_cast<std::int64_t>(i))}));
    }
    auto leased = (*store)->lease_inbox("f", "w", at(10'000), std::chrono::seconds{60},
                                        kSqliteInboxLeaseMax * 2);
    ASSERT_TRUE(leased);
    EXPECT_EQ(leased->size(), kSqliteInboxLeaseMax);
    auto rest = (*store)->lease_inbox("f", "w", at(10'000), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest->size(), 1u);  // The oldest went first; the newest is left.
    EXPECT_EQ(rest->front().received_at, at(static_cast<std::int64_t>(kSqliteInboxLeaseMax)));
}

TEST(SqliteBounds, ListsStopAtTheirBoundWhateverLimitSays) {
    auto store = SqliteStateStore::open(":memory:");
    ASSERT_TRUE(store);
    PageCommit page;
    for (std::size_t i = 0; i <= kSqliteListRowsMax; ++i) {
        page.bindings.push_back(
            {.flow = "f", .source_system = "s", .source_key = std::to_string(i)});
        page.audit.push_back({.flow = "f", .at = at(static_cast<std::int64_t>(i))});
    }
    ASSERT_TRUE((*store)->commit_page(page));
    EXPECT_EQ((*store)->count_bindings("f").value(),
              static_cast<std::int64_t>(kSqliteListRowsMax + 1));
    EXPECT_EQ((*store)->list_bindings("f", std::nullopt, kSqliteListRowsMax * 2).value().size(),
              kSqliteListRowsMax);
    EXPECT_EQ((*store)->query_audit({.flow = "f", .limit = kSqliteListRowsMax * 2}).value().size(),
              kSqliteListRowsMax);
}

// ---- Crash safety of commit_page: a child process commits pages in a loop and is SIGKILLed at
// seeded random points; every page must then be wholly present (bindings, audit rows, cursor) or
// wholly absent, and the cursor never passes a missing page.
//
// Without timing, a kill sent "soon after" a progress note nearly always lands between two pages.
// To land kills inside a commit, half of the rounds install (in the child only) a VFS shim that
// counts the file writes and syncs SQLite makes and, at a seeded random count, reports "paused"
// through the pipe and stops there; the parent then SIGKILLs it mid-I/O.

constexpr int kCrashKills = 20;
constexpr int kCrashCommitsBeforeKillMax = 6;
constexpr int kCrashIoStepsBeforeKillMax = 80;  // A page is roughly 10-40 writes and syncs.
constexpr int kCrashBindingsPerPage = 5;
constexpr int kCrashAuditPerPage = 3;
constexpr int kCrashPagesPerChildMax = 100'000;  // The child is killed long before.
constexpr int kCrashPagesCheckedPastCursor = 20;
constexpr std::int32_t kCrashPausedNote = -1;
constexpr const char* kCrashFlow = "crash";

// The VFS shim. Process-global because SQLite's VFS registry is; it only ever exists in a forked
// child, which exits by SIGKILL.
struct PausingVfs {
    static inline sqlite3_vfs* real = nullptr;
    static inline sqlite3_vfs shim{};
    static inline sqlite3_io_methods methods{};
    static inline int io_steps_left = 0;
    static inline int note_fd = -1;
};

struct ShimFile {
    sqlite3_file base;
    sqlite3_file* real;  // Lives right after this struct, in SQLite's allocation.
};

sqlite3_file* real_file(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file)->real; }

void count_io_step() {
    if (--PausingVfs::io_steps_left != 0) return;
    const std::int32_t note = kCrashPausedNote;
    if (write(PausingVfs::note_fd, &note, sizeof note) != sizeof note) _exit(5);
    for (;;) pause();  // Until the parent's SIGKILL.
}

int shim_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    count_io_step();
    return real_file(f)->pMethods->xWrite(real_file(f), data, amount, offset);
}
int shim_sync(sqlite3_file* f, int flags) {
    count_io_step();
    return real_file(f)->pMethods->xSync(real_file(f), flags);
}
int shim_close(sqlite3_file* f) { return real_file(f)->pMethods->xClose(real_file(f)); }
int shim_read(sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
    return real_file(f)->pMethods->xRead(real_file(f), data, amount, offset);
}
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
    return real_file(f)->pMethods->xTruncate(real_file(f), size);
}
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return real_file(f)->pMethods->xFileSize(real_file(f), size);
}
int shim_lock(sqlite3_file* f, int level) {
    return real_file(f)->pMethods->xLock(real_file(f), level);
}
int shim_unlock(sqlite3_file* f, int level) {
    return real_file(f)->pMethods->xUnlock(real_file(f), level);
}
int shim_check_reserved(sqlite3_file* f, int* out) {
    return real_file(f)->pMethods->xCheckReservedLock(real_file(f), out);
}
int shim_file_control(sqlite3_file* f, int op, void* arg) {
    return real_file(f)->pMethods->xFileControl(real_file(f), op, arg);
}
int shim_sector_size(sqlite3_file* f) { return real_file(f)->pMethods->xSectorSize(real_file(f)); }
int shim_device(sqlite3_file* f) {
    return real_file(f)->pMethods->xDeviceCharacteristics(real_file(f));
}
int shim_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_file(f)->pMethods->xShmMap(real_file(f), page, size, extend, out);
}
int shim_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return real_file(f)->pMethods->xShmLock(real_file(f), offset, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real_file(f)->pMethods->xShmBarrier(real_file(f)); }
int shim_shm_unmap(sqlite3_file* f, int remove) {
    return real_file(f)->pMethods->xShmUnmap(real_file(f), remove);
}
int shim_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return real_file(f)->pMethods->xFetch(real_file(f), offset, amount, out);
}
int shim_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return real_file(f)->pMethods->xUnfetch(real_file(f), offset, page);
}

int shim_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* shim = reinterpret_cast<ShimFile*>(file);
    shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
    shim->base.pMethods = nullptr;
    const int rc = PausingVfs::real->xOpen(PausingVfs::real, name, shim->real, flags, out_flags);
    if (shim->real->pMethods != nullptr) shim->base.pMethods = &PausingVfs::methods;
    return rc;
}

// Makes the shim the default VFS of this (child) process: every later write and sync counts.
void install_pausing_vfs(int io_steps, int note_fd) {
    PausingVfs::real = sqlite3_vfs_find(nullptr);
    PausingVfs::io_steps_left = io_steps;
    PausingVfs::note_fd = note_fd;
    PausingVfs::methods = sqlite3_io_methods{3,
                                             shim_close,
                                             shim_read,
                                             shim_write,
                                             shim_truncate,
                                             shim_sync,
                                             shim_file_size,
                                             shim_lock,
                                             shim_unlock,
                                             shim_check_reserved,
                                             shim_file_control,
                                             shim_sector_size,
                                             shim_device,
                                             shim_shm_map,
                                             shim_shm_lock,
                                             shim_shm_barrier,
                                             shim_shm_unmap,
                                             shim_fetch,
                                             shim_unfetch};
    PausingVfs::shim = *PausingVfs::real;  // Everything but files is the real VFS's.
    PausingVfs::shim.zName = "mlc-pausing";
    PausingVfs::shim.szOsFile = static_cast<int>(sizeof(ShimFile)) + PausingVfs::real->szOsFile;
    PausingVfs::shim.xOpen = shim_open;
    PausingVfs::shim.pNext = nullptr;
    if (sqlite3_vfs_register(&PausingVfs::shim, 1) != SQLITE_OK) _exit(6);
}

std::string crash_key(int page, int row) {
    return "page-" + std::to_string(page) + "-row-" + std::to_string(row);
}

PageCommit crash_page(int page) {
    PageCommit commit;
    for (int row = 0; row < kCrashBindingsPerPage; ++row) {
        commit.bindings.push_back({.flow = kCrashFlow,
                                   .source_system = "shipstation",
                                   .source_key = crash_key(page, row),
                                   .target_id = std::to_string(page * 100 + row),
                                   .state = BindingState::kConfirmed,
                                   .created_at = at(page),
                                   .updated_at = at(page)});
    }
    for (int row = 0; row < kCrashAuditPerPage; ++row) {
        commit.audit.push_back({.flow = kCrashFlow,
                                .source_ref = "shipstation:page-" + std::to_string(page) + ":row-" +
                                              std::to_string(row),
                                .target_ref = "epicor:SalesOrder:" + std::to_string(page),
                                .at = at(page)});
    }
    commit.cursor = Cursor{kCrashFlow, "orders", std::to_string(page), at(page)};
    return commit;
}

int cursor_page(StateStore& store) {
    auto cursor = store.get_cursor(kCrashFlow, "orders");
    if (!cursor || !cursor->has_value()) return 0;
    int page = 0;
    const std::string& value = (*cursor)->value;
    std::from_chars(value.data(), value.data() + value.size(), page);
    return page;
}

// Runs in the forked child: never returns, never touches the parent's state. Writes the number of
// each committed page to `progress_fd`; with `pause_after_io_steps` > 0 it stops mid-I/O there.
[[noreturn]] void crash_child(const std::string& path, int progress_fd, int pause_after_io_steps) {
    if (pause_after_io_steps > 0) install_pausing_vfs(pause_after_io_steps, progress_fd);
    auto opened = SqliteStateStore::open(path);
    if (!opened) _exit(2);
    StateStore& store = **opened;
    int page = cursor_page(store) + 1;
    for (int i = 0; i < kCrashPagesPerChildMax; ++i, ++page) {
        if (!store.commit_page(crash_page(page))) _exit(3);
        const std::int32_t done = page;
        if (write(progress_fd, &done, sizeof done) != sizeof done) _exit(4);
    }
    _exit(0);
}

// Reads one progress note; false when the child is gone.
bool read_progress(int fd, std::int32_t& note) {
    auto* bytes = reinterpret_cast<char*>(&note);
    std::size_t got = 0;
    while (got < sizeof note) {
        const ssize_t n = read(fd, bytes + got, sizeof note - got);
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
    }
    return true;
}

TEST(SqliteCrashSafety, KilledPageCommitsAreAllOrNothing) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    ASSERT_TRUE(SqliteStateStore::open(path));  // Migrate once, before any kill.
    std::mt19937 random(20240310);
    std::uniform_int_distribution<int> commits_before_kill(1, kCrashCommitsBeforeKillMax);
    std::uniform_int_distribution<int> io_steps_before_kill(1, kCrashIoStepsBeforeKillMax);
    std::int32_t last_reported = 0;
    int paused_kills = 0;
    for (int kill_number = 0; kill_number < kCrashKills; ++kill_number) {
        const bool mid_io = kill_number % 2 == 1;
        const int io_steps = mid_io ? io_steps_before_kill(random) : 0;
        const int commits = mid_io ? kCrashPagesPerChildMax : commits_before_kill(random);
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            close(fds[0]);
            crash_child(path, fds[1], io_steps);
        }
        close(fds[1]);
        for (int seen = 0; seen < commits; ++seen) {
            std::int32_t note = 0;
            ASSERT_TRUE(read_progress(fds[0], note))
                << "child died on its own, kill " << kill_number;
            if (note == kCrashPausedNote) {
                ++paused_kills;
                break;
            }
            EXPECT_EQ(note, last_reported + 1) << "a reported page went missing after a kill";
            last_reported = note;
        }
        kill(child, SIGKILL);
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
        // The child runs on until the signal lands, so it may have noted more pages than were read
        // above (many more on a loaded machine): drain every note it wrote before it died.
        for (int drained = 0; drained <= kCrashPagesPerChildMax; ++drained) {
            std::int32_t note = 0;
            if (!read_progress(fds[0], note)) break;
            if (note == kCrashPausedNote) continue;
            EXPECT_EQ(note, last_reported + 1) << "a reported page went missing after a kill";
            last_reported = note;
        }
        close(fds[0]);
        // The child may have committed one more page after its last note, never fewer.
        auto store = SqliteStateStore::open(path);
        ASSERT_TRUE(store) << store.error().describe();
        const int cursor = cursor_page(**store);
        ASSERT_GE(cursor, last_reported);
        ASSERT_LE(cursor, last_reported + 1);
        last_reported = cursor;
    }
    EXPECT_EQ(paused_kills, kCrashKills / 2);

    auto store = SqliteStateStore::open(path);
    ASSERT_TRUE(store) << store.error().describe();
    const int cursor = cursor_page(**store);
    EXPECT_GE(cursor, kCrashKills / 2);
    for (int page = 1; page <= cursor + kCrashPagesCheckedPastCursor; ++page) {
        int bindings = 0;
        for (int row = 0; row < kCrashBindingsPerPage; ++row) {
            auto found = (*store)->get_binding(kCrashFlow, "shipstation", crash_key(page, row));
            ASSERT_TRUE(found);
            bindings += found->has_value() ? 1 : 0;
        }
        auto audit = (*store)->query_audit({.source_key = "page-" + std::to_string(page)});
        ASSERT_TRUE(audit);
        const bool committed = page <= cursor;
        EXPECT_EQ(bindings, committed ? kCrashBindingsPerPage : 0) << "page " << page;
        EXPECT_EQ(audit->size(), committed ? static_cast<std::size_t>(kCrashAuditPerPage) : 0u)
            << "page " << page;
    }
    EXPECT_EQ((*store)->count_bindings(kCrashFlow).value(), cursor * kCrashBindingsPerPage);
}

// ---- The webhook inbox at scale (issue 15)

InboxEvent woo_event(std::string delivery_id, const std::string& body, UtcTime received) {
    return InboxEvent{.flow = "woo-epicor",
                      .source = "woocommerce",
                      .delivery_id = std::move(delivery_id),
                      .body_hash = "hash-" + body,
                      .topic = "order.updated",
                      .body = body,
                      .received_at = received};
}

// The duplicate check reads through indexes, whatever the inbox holds: the same SQL texts as
// do_find_inbox_duplicate() (sqlite_state_store.cpp), planned by SQLite itself. The earlier single
// query ("... AND ((?2 <> '' AND delivery_id = ?2) OR body_hash = ?3)") planned as
// "SEARCH inbox USING INDEX inbox_pending (flow=?)": every row of the flow.
TEST(SqliteInbox, DuplicateLookupsAreIndexSearches) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    RawDb raw(path);
    const std::string by_delivery =
        raw.plan("SELECT id FROM inbox WHERE flow = ? AND delivery_id = ? AND delivery_id <> ''");
    EXPECT_NE(by_delivery.find("USING COVERING INDEX inbox_by_delivery (flow=? AND delivery_id=?)"),
              std::string::npos)
        << by_delivery;
    const std::string by_body = raw.plan("SELECT id FROM inbox WHERE flow = ? AND body_hash = ?");
    EXPECT_NE(by_body.find("USING COVERING INDEX inbox_by_body (flow=? AND body_hash=?)"),
              std::string::npos)
        << by_body;
    const std::string retired = raw.plan(
        "SELECT MIN(inbox_id) FROM inbox_retired_keys WHERE flow = ? AND ((kind = 'delivery' AND "
        "key = ?) OR (kind = 'body' AND key = ?))");
    EXPECT_NE(retired.find("inbox_retired_by_key"), std::string::npos) << retired;
    for (const std::string* plan : {&by_delivery, &by_body, &retired}) {
        EXPECT_EQ(plan->find("SCAN"), std::string::npos) << *plan;
    }
}

// Choosing what to retire reads no inbox row it does not retire: at 1M rows a scan for the flows
// took 0.13-0.6 s while deliveries waited behind the commit (issue 15). Same text as
// do_retire_inbox_events.
TEST(SqliteInbox, ChoosingEventsToRetireSearchesTheIndexAndScansNoInboxRow) {
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    RawDb raw(path);
    const std::string plan = raw.plan(
        "WITH RECURSIVE flows(flow) AS (SELECT (SELECT MIN(flow) FROM inbox) UNION ALL SELECT "
        "(SELECT MIN(flow) FROM inbox WHERE flow > flows.flow) FROM flows WHERE flows.flow IS NOT "
        "NULL) SELECT i.id FROM flows f JOIN inbox i ON i.flow = f.flow AND i.done = 1 AND "
        "i.received_at_us < ? ORDER BY i.received_at_us, i.id LIMIT ?");
    EXPECT_EQ(plan.find("SCAN inbox"), std::string::npos) << plan;
    EXPECT_NE(plan.find("SEARCH inbox USING COVERING INDEX inbox_pending (flow>?)"),
              std::string::npos)
        << plan;
}

// Group commit: deliveries from many threads at once all land exactly once, each with its
// receipt, and each caller returns only once its row is committed (another connection reads it).
TEST(SqliteInbox, ConcurrentDeliveriesLandOnceAndAreCommittedBeforeTheirCallerReturns) {
    constexpr int kThreads = 12;
    constexpr int kPerThread = 6;
    ScratchDir dir;
    const std::string path = (dir.path() / "state.db").string();
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    ManualClock clock(at(1'700'000'000));
    InboxCommitQueue queue(*store, clock);
    std::atomic<int> stored{0};
    std::atomic<int> unreadable{0};
    std::atomic<int> duplicates{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            RawDb reader(path);  // Its own connection: it sees committed rows only.
            for (int n = 0; n < kPerThread; ++n) {
                const std::string body = std::to_string(t) + "-" + std::to_string(n);
                const std::string id = "d-" + body;
                for (int attempt = 0; attempt < 2; ++attempt) {  // The second is a redelivery.
                    auto appended =
                        queue.append({.event = woo_event(id, body, clock.now()),
                                      .receipt = {.flow = "woo-epicor",
                                                  .source_ref = "woocommerce:webhook:" + id}});
                    if (!appended) continue;
                    ++(appended->outcome == AppendOutcome::kStored ? stored : duplicates);
                    if (reader.text("SELECT COUNT(*) FROM inbox WHERE body_hash = 'hash-" + body +
                                    "'") != "1") {
                        ++unreadable;
                    }
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(stored.load(), kThreads * kPerThread);
    EXPECT_EQ(duplicates.load(), kThreads * kPerThread);
    EXPECT_EQ(unreadable.load(), 0);
    EXPECT_EQ(store->count_inbox("woo-epicor", false).value(), kThreads * kPerThread);
    RawDb raw(path);
    EXPECT_EQ(raw.text("SELECT COUNT(DISTINCT target_ref) FROM audit"),
              std::to_string(kThreads * kPerThread));
    EXPECT_LE(queue.commits(), static_cast<std::size_t>(2 * kThreads * kPerThread));
}

// Retention through the intake's queue: due on the clock, processed events only, and the
// duplicate window outlives the bodies.
TEST(SqliteInbox, QueueRetiresProcessedEventsWhenDueAndStillRefusesTheirRedelivery) {
    auto store = open_or_fail(":memory:");
    ASSERT_NE(store, nullptr);
    ManualClock clock(at(1'700'000'000));
    std::vector<std::int64_t> retired_runs;
    InboxCommitQueue queue(*store, clock,
                           {.retention = std::chrono::hours(24),
                            .duplicate_window = std::chrono::hours(72),
                            .retire_every = std::chrono::hours(1),
                            .on_retired = [&](const Result<RetiredInbox>& retired) {
                                retired_runs.push_back(retired ? retired->events : -1);
                            }});
    auto processed = queue.append({.event = woo_event("d-1", "a", clock.now())});
    auto pending = queue.append({.event = woo_event("d-2", "b", clock.now())});
    ASSERT_TRUE(processed && pending);
    ASSERT_TRUE(store->mark_inbox_done(processed->id));
    clock.advance(std::chrono::hours(25));
    // Retention runs after this commit: "d-1" is processed and a day old, "d-2" is not processed.
    ASSERT_TRUE(queue.append({.event = woo_event("d-3", "c", clock.now())}));
    EXPECT_EQ(retired_runs, (std::vector<std::int64_t>{0, 1}));
    EXPECT_EQ(store->count_inbox("woo-epicor", true).value(), 0);
    EXPECT_EQ(store->count_inbox("woo-epicor", false).value(), 2);
    // Within the hour nothing runs again.
    ASSERT_TRUE(queue.append({.event = woo_event("d-4", "d", clock.now())}));
    EXPECT_EQ(retired_runs.size(), 2u);
    // The retired event's redelivery, by id or by body, is still a duplicate of it.
    auto by_id = queue.append({.event = woo_event("d-1", "a-resent", clock.now())});
    auto by_body = queue.append({.event = woo_event("", "a", clock.now())});
    ASSERT_TRUE(by_id && by_body);
    EXPECT_EQ(by_id->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(by_id->id, processed->id);
    EXPECT_EQ(by_body->outcome, AppendOutcome::kDuplicate);
    EXPECT_EQ(by_body->id, processed->id);
}

}  // namespace
}  // namespace mlc::store
