#pragma once
// Caring for the SQLite state file (`mlc backup`, `mlc restore`, the integrity check of `mlc run`
// at start), through SQLite's own online backup API and PRAGMA integrity_check: nothing copies the
// file by hand, so a backup taken while the daemon writes is one consistent snapshot (WAL
// included) and never a torn copy.
//
//  * backup_sqlite(): the live database -> a new file (written as FILE.partial, checked, then
//    renamed: a backup that exists is whole). Refuses an existing FILE.
//  * restore_sqlite(): a backup -> the live path. The backup is checked first (integrity, an mlc
//    state file, a schema this binary knows); then copied page by page with the backup API into
//    the live path, so other connections see the restored state. The caller stops the daemon
//    first (the CLI refuses while a worker holds a flow lease).
//  * check_sqlite(): "ok", or what SQLite found wrong (the first problems), plus what to do.
//
// Thread safety: each call opens its own connections; safe beside a running store (SQLite locks).

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace mlc::store {

struct SqliteFileReport {
    std::int64_t bytes = 0;  // Size of the written or checked file.
    int schema_version = 0;  // Its newest applied migration.
    std::string integrity;   // "ok" or the problems found.
};

Result<SqliteFileReport> backup_sqlite(const std::string& db_path, const std::string& out_path);
Result<SqliteFileReport> restore_sqlite(const std::string& backup_path, const std::string& db_path);
// `quick`: PRAGMA quick_check (O(pages), used at start-up) rather than integrity_check.
Result<SqliteFileReport> check_sqlite(const std::string& path, bool quick);

// What to do about a damaged state file, for messages ("restore the last backup: ...").
std::string damaged_state_advice(const std::string& db_path);

}  // namespace mlc::store
