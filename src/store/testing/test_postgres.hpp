#pragma once
// The PostgreSQL server tests run against: MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh starts
// a private cluster and sets it). Without the variable, available() is false and the tests that
// need a server skip with kNoPostgresReason.
//
// TestDatabase: a database of its own for a test that runs `mlc` on `store.url` (the CLI tests),
// created on that server and dropped, with every connection to it, when destroyed.
// TestSchema: a schema of its own on the server's database for one store (the flow tests'
// PostgreSQL instances): cheaper than a database; dropped, with its tables, when destroyed.
//
// Test code only, header-only (needs libpqxx: link mlc_store_postgres). Lifecycle: create() once;
// the destructor drops (a failure to drop is written to stderr). Thread safety: none (one test
// thread). Ownership: each owns what it created on the server.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <string>

namespace mlc::store::testing {

inline constexpr const char* kNoPostgresReason =
    "MLC_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";

inline std::string test_postgres_url() {
    const char* url = std::getenv("MLC_TEST_POSTGRES_URL");
    return url != nullptr ? url : "";
}

// `url` with one more connection parameter in its query string (libpq lets a later parameter
// override the URL's own, e.g. dbname).
inline std::string with_url_parameter(const std::string& url, const std::string& key,
                                      const std::string& value) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
}

// Runs `sql` on the server outside a transaction (CREATE/DROP DATABASE). Answers the error.
inline std::string run_on_server(const std::string& sql) {
    try {
        pqxx::connection admin(test_postgres_url());
        pqxx::nontransaction tx(admin);
        tx.exec(sql);
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

class TestDatabase {
  public:
    TestDatabase() = default;
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    ~TestDatabase() { drop(); }

    static std::string server_url() { return test_postgres_url(); }
    static bool available() { return !server_url().empty(); }

    // Creates database `name` and answers its URL; throws when the server refuses.
    std::string create(const std::string& name) {
        pqxx::connection admin(server_url());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + admin.quote_name(name));
        name_ = name;
        url_ = with_url_parameter(server_url(), "dbname", name);
        return url_;
    }
    const std::string& url() const { return url_; }

    void drop() {
        if (name_.empty()) return;
        const std::string error =
            run_on_server("DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
        if (!error.empty()) std::cerr << "dropping database " << name_ << ": " << error << "\n";
        name_.clear();
    }

  private:
    std::string name_;
    std::string url_;
};

class TestSchema {
  public:
    TestSchema() = default;
    TestSchema(const TestSchema&) = delete;
    TestSchema& operator=(const TestSchema&) = delete;
    TestSchema(TestSchema&& other) noexcept : name_(std::move(other.name_)) { other.name_.clear(); }
    TestSchema& operator=(TestSchema&& other) noexcept {
        if (this != &other) {
            drop();
            name_ = std::move(other.name_);
            other.name_.clear();
        }
        return *this;
    }
    ~TestSchema() { drop(); }

    // A fresh name "<prefix>_<pid>_<random>" (a leftover of a crashed run under that name is
    // dropped first); the store that opens it creates it.
    const std::string& create(const std::string& prefix) {
        std::random_device random;
        name_ =
            prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(random() % 1'000'000);
        drop_now();
        return name_;
    }
    const std::string& name() const { return name_; }

    // Close every store on the schema first.
    void drop() {
        if (name_.empty()) return;
        drop_now();
        name_.clear();
    }

  private:
    void drop_now() const {
        const std::string error = run_on_server("DROP SCHEMA IF EXISTS \"" + name_ + "\" CASCADE");
        if (!error.empty()) std::cerr << "dropping schema " << name_ << ": " << error << "\n";
    }

    std::string name_;
};

}  // namespace mlc::store::testing
