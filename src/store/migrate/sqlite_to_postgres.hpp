#pragma once
// `mlc store migrate --from sqlite:PATH --to postgresql://...`: an installation's SQLite state file
// copied into a PostgreSQL database (issue 16), verified row for row.
//
// A dedicated exporter over the two schemas, not a copy through the StateStore interface: the
// interface cannot enumerate everything (bindings and cursors are read per flow, settings and
// tokens per key, done inbox events and token counters not at all) and its writers assign new ids
// and times (append_audit, put_dead_letter), where the audit trail must keep its ids and times.
//
// What moves: bindings, cursors, the inbox (pending and done) and its retired keys, dead letters,
// differences, the audit trail (ids and times kept), alerts, cached tokens (still encrypted by
// the vault) and daily token counters, settings, console users and sessions. Not moved: run
// leases (live state; a worker on the new store takes its flows' leases). Identity sequences are
// set past the highest id the SQLite file ever gave (sqlite_sequence), so no id is reused.
//
// How: the SQLite file is first opened as a store (so an older file is brought to the current
// schema), then read in ONE read transaction (one consistent snapshot, safe beside a running
// `mlc run`, though writes made after it are not copied: stop the daemon first). The target schema
// is created or upgraded by PostgresStateStore::open; then everything is written in ONE
// PostgreSQL transaction under the schema's migration lock: refused when any mlc table holds rows
// unless `force` (then the target's rows are replaced), each table copied in key order with a
// SHA-256 over its rows, then every table read back inside the same transaction and its count and
// checksum compared; any difference rolls everything back. Nothing half-copied is ever committed.
//
// Checksums: SHA-256 over the rows in primary-key order (byte order, COLLATE "C" on PostgreSQL),
// each value as text (integers in decimal, booleans 0/1, bytes as hex), length-prefixed, NULL
// distinct from empty. Equal on both sides means equal content.
//
// Errors never show the target URL's password (redact_postgres_url()).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mlc::store {

struct StoreMigrationOptions {
    std::string schema = {};  // The target schema (empty: the connection's search_path).
    bool force = false;       // Replace the rows of a target that already holds mlc state.
    // Called every `progress_every` rows of a table and at its end.
    std::int64_t progress_every = 10'000;
    std::function<void(std::string_view table, std::int64_t done, std::int64_t total)> progress =
        {};
};

struct MigratedTable {
    std::string name = {};
    std::int64_t rows = 0;      // Rows copied (== rows read back).
    std::string checksum = {};  // Hex SHA-256 (equal on both sides).
};

struct StoreMigrationReport {
    std::vector<MigratedTable> tables = {};  // In copy order.
    bool replaced = false;                   // The target held rows and `force` replaced them.
};

// The tables migrate_sqlite_to_postgres() copies, in copy order.
std::vector<std::string> migrated_tables();

// kNotFound: no file at `sqlite_path`; kConflict: the target holds mlc state and !force;
// kStorage: either database failed, or verification found a difference (nothing committed).
Result<StoreMigrationReport> migrate_sqlite_to_postgres(const std::string& sqlite_path,
                                                        const std::string& postgres_url,
                                                        const StoreMigrationOptions& options = {});

}  // namespace mlc::store
