#pragma once
// A PostgreSQL database of its own for a CLI test that runs `mlc` on `store.url`: created on the
// server of MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh sets it) and dropped, with every
// connection to it, when destroyed. Without the variable, available() is false and the test
// skips.
//
// Lifecycle: create() once; the destructor drops. Thread safety: none (one test thread).
// Ownership: owns the database on the server.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace mlc::cli::testing {

inline constexpr const char* kNoPostgresReason =
    "MLC_TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";

class TestDatabase {
  public:
    TestDatabase() = default;
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    ~TestDatabase() { drop(); }

    static std::string server_url() {
        const char* url = std::getenv("MLC_TEST_POSTGRES_URL");
        return url != nullptr ? url : "";
    }
    static bool available() { return !server_url().empty(); }

    // Creates database `name` and answers its URL (libpq lets a later dbname override the URL's).
    std::string create(const std::string& name) {
        pqxx::connection admin(server_url());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + admin.quote_name(name));
        name_ = name;
        const std::string url = server_url();
        url_ = url + (url.find('?') == std::string::npos ? "?" : "&") + "dbname=" + name;
        return url_;
    }
    const std::string& url() const { return url_; }

    void drop() {
        if (name_.empty()) return;
        try {
            pqxx::connection admin(server_url());
            pqxx::nontransaction tx(admin);
            tx.exec("DROP DATABASE IF EXISTS " + admin.quote_name(name_) + " WITH (FORCE)");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "dropping database " << name_ << ": " << e.what();
        }
        name_.clear();
    }

  private:
    std::string name_;
    std::string url_;
};

}  // namespace mlc::cli::testing
