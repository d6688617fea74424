#include "store/sqlite/sqlite_backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::store {
namespace {

namespace fs = std::filesystem;

constexpr int kBackupPagesPerStep = 1024;  // 4 MiB at the default page size, then yield.
constexpr int kIntegrityRowsMax = 5;       // Problems quoted in a message.

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Error failure(const std::string& what, const std::string& detail) {
    return make_error(ErrorCode::kStorage, "sqlite", what + ": " + detail);
}

Result<Db> open_db(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) {
        return failure("opening " + path,
                       raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    }
    sqlite3_busy_timeout(raw, 5000);
    return db;
}

// The first column of each row of `sql` (a pragma or a one-column query).
Result<std::vector<std::string>> rows(sqlite3* db, const std::string& sql, int max_rows) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return failure(sql, sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, sqlite3_finalize);
    std::vector<std::string> out;
    int rc = SQLITE_ROW;
    while (static_cast<int>(out.size()) < max_rows && (rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(raw, 0);
        out.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return failure(sql, sqlite3_errmsg(db));
    return out;
}

// Integrity and schema of an open database: what a report says about it.
Result<SqliteFileReport> inspect(sqlite3* db, const std::string& path, bool quick) {
    SqliteFileReport report;
    auto problems =
        rows(db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", kIntegrityRowsMax);
    // A file too damaged to check says so through the check's own failure.
    if (!problems) problems = std::vector<std::string>{problems.error().message};
    for (const auto& problem : *problems) {
        if (!report.integrity.empty()) report.integrity.append("; ");
        report.integrity.append(problem);
    }
    if (report.integrity == "ok") {
        MLC_TRY(auto tables,
                rows(db, "SELECT name FROM sqlite_master WHERE name = 'schema_migrations'", 1));
        if (tables.empty()) {
            return make_error(ErrorCode::kInvalidInput, "sqlite",
                              path + " is an SQLite file but not an mlc state file");
        }
        MLC_TRY(auto version, rows(db, "SELECT MAX(version) FROM schema_migrations", 1));
        report.schema_version =
            version.empty() || version.front().empty() ? 0 : std::stoi(version.front());
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    report.bytes = ec ? 0 : static_cast<std::int64_t>(size);
    return report;
}

// Page by page from `from` into `to` (both "main"), yielding between steps.
Result<void> copy(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == nullptr) return failure(what, sqlite3_errmsg(to));
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, kBackupPagesPerStep);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return failure(what, sqlite3_errstr(rc));
    return ok();
}

}  // namespace

std::string damaged_state_advice(const std::string& db_path) {
    return "stop mlc, keep the damaged file aside (mv " + db_path + " " + db_path +
           ".damaged), then restore the last backup with `mlc restore FILE` (take backups with "
           "`mlc backup FILE`, e.g. nightly from cron); without a backup, start on an empty state "
           "file: the flows read their sources again from options.start and find what they wrote "
           "before by its keys";
}

Result<SqliteFileReport> check_sqlite(const std::string& path, bool quick) {
    MLC_TRY(auto db, open_db(path, SQLITE_OPEN_READONLY));
    return inspect(db.get(), path, quick);
}

Result<SqliteFileReport> backup_sqlite(const std::string& db_path, const std::string& out_path) {
    if (fs::exists(out_path)) {
        return make_error(ErrorCode::kConflict, "backup",
                          out_path + " exists: name a new file (backups are never overwritten)");
    }
    const std::string partial = out_path + ".partial";
    fs::remove(partial);
    {
        MLC_TRY(auto from, open_db(db_path, SQLITE_OPEN_READONLY));
        MLC_TRY(auto to, open_db(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
        MLC_CHECK(copy(from.get(), to.get(), "backing up " + db_path + " to " + out_path));
        MLC_TRY(auto report, inspect(to.get(), partial, false));
        if (report.integrity != "ok") {
            return failure("the backup of " + db_path + " is not sound", report.integrity);
        }
    }
    std::error_code ec;
    fs::rename(partial, out_path, ec);
    if (ec) return failure("renaming " + partial + " to " + out_path, ec.message());
    return check_sqlite(out_path, true);
}

Result<SqliteFileReport> restore_sqlite(const std::string& backup_path,
                                        const std::string& db_path) {
    MLC_TRY(auto from, open_db(backup_path, SQLITE_OPEN_READONLY));
    MLC_TRY(auto checked, inspect(from.get(), backup_path, false));
    if (checked.integrity != "ok") {
        return make_error(
            ErrorCode::kInvalidInput, "restore",
            backup_path + " is damaged (" + checked.integrity + "): restore an older backup");
    }
    if (checked.schema_version > kSqliteSchemaVersion) {
        return make_error(ErrorCode::kInvalidInput, "restore",
                          backup_path + " was written by a newer mlc (schema " +
                              std::to_string(checked.schema_version) +
                              "): restore it with that version");
    }
    MLC_TRY(auto to, open_db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    MLC_CHECK(copy(from.get(), to.get(), "restoring " + backup_path + " into " + db_path));
    return inspect(to.get(), db_path, true);
}

}  // namespace mlc::store
