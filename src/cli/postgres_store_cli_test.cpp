// `store.url: postgresql://...` in mlc.yaml (issue 16): the built binary keeps its state in
// PostgreSQL instead of a SQLite file, and a URL's password never shows in what it prints.
//
// The server comes from MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh); without it the test that
// needs one skips. It gets a database of its own, dropped afterwards.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include <gtest/gtest.h>

#include "cli/testing/cli_child.hpp"
#include "store/testing/test_postgres.hpp"

namespace {

namespace fs = std::filesystem;
using mlc::cli::testing::run_mlc;
using mlc::store::testing::TestDatabase;

constexpr const char* kPassword = "correct horse battery staple";

class PostgresStoreCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-pg-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        database_.drop();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    static std::string server_url() { return TestDatabase::server_url(); }
    // A fresh database on the test server; its URL.
    std::string fresh_database_url() {
        return database_.create("mlc_cli_" +
                                dir_.filename().string().substr(std::string("mlc-pg-cli-").size()));
    }
    void write_config(const std::string& store_url) {
        std::ofstream(dir_ / "mlc.yaml") << "version: 1\nstore: {url: '" << store_url << "'}\n";
    }
    mlc::cli::testing::MlcRun mlc(const std::string& args, const std::string& input = "") {
        return run_mlc(dir_, MLC_BINARY, "-c mlc.yaml --data-dir data " + args, input);
    }
    fs::path dir_;
    TestDatabase database_;
};

TEST_F(PostgresStoreCli, ConsoleUsersLiveInThePostgresqlDatabaseNotInAStateFile) {
    if (server_url().empty()) {
        GTEST_SKIP() << mlc::store::testing::kNoPostgresReason;
    }
    const std::string url = fresh_database_url();
    write_config(url);
    const auto added = mlc("console user add ann --role admin", std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto listed = mlc("console user list");
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("ann admin"), std::string::npos) << listed.out;
    EXPECT_FALSE(fs::exists(dir_ / "mlc-state.db"));
    pqxx::connection db(url);
    pqxx::nontransaction tx(db);
    EXPECT_EQ(tx.exec("SELECT role FROM console_users WHERE name = 'ann'")[0][0].as<std::string>(),
              "admin");
}

TEST_F(PostgresStoreCli, AnUnreachableDatabaseIsNamedWithoutItsPassword) {
    write_config("postgresql://mlc:s3cr3t-pw@127.0.0.1:1/mlc?connect_timeout=2");
    const auto listed = mlc("console user list");
    EXPECT_NE(listed.exit_code, 0);
    EXPECT_NE(listed.err.find("postgresql://mlc@127.0.0.1:1/mlc"), std::string::npos) << listed.err;
    EXPECT_EQ(listed.err.find("s3cr3t-pw"), std::string::npos) << listed.err;
    EXPECT_EQ(listed.out.find("s3cr3t-pw"), std::string::npos) << listed.out;
}

// store.password_secret: the password comes from the vault, never from mlc.yaml. The private test
// cluster trusts every local connection (scripts/with-postgres.sh: initdb -A trust), so this shows
// the secret is read and the store opens with it, and that a missing secret is named with its fix;
// that libpq gets it as `password` is PostgresStateStore.ThePasswordFromTheVaultReachesLibpq.
TEST_F(PostgresStoreCli, ThePasswordComesFromTheVaultAndAMissingOneIsNamed) {
    if (server_url().empty()) {
        GTEST_SKIP() << mlc::store::testing::kNoPostgresReason;
    }
    const std::string url = fresh_database_url();
    std::ofstream(dir_ / "mlc.yaml")
        << "version: 1\nstore:\n  url: '" << url << "'\n  password_secret: pg_password\n";
    ASSERT_EQ(mlc("init").exit_code, 0);
    const auto missing = mlc("console user list");
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.err.find("store.password_secret"), std::string::npos) << missing.err;
    EXPECT_NE(missing.err.find("mlc secret set pg_password"), std::string::npos) << missing.err;
    const auto check = mlc("config check");
    EXPECT_NE(check.exit_code, 0);
    EXPECT_NE(check.out.find("mlc.yaml:4"), std::string::npos) << check.out << check.err;
    EXPECT_NE(check.out.find("store.password_secret"), std::string::npos) << check.out;

    ASSERT_EQ(mlc("secret set pg_password", std::string(kPassword) + "\n").exit_code, 0);
    EXPECT_EQ(mlc("config check").exit_code, 0);
    const auto added =
        mlc("console user add ann --role admin", "ann-" + std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto listed = mlc("console user list");
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("ann admin"), std::string::npos) << listed.out;
    for (const auto& run : {missing, check, added, listed}) {
        EXPECT_EQ(run.out.find(kPassword), std::string::npos) << run.out;
        EXPECT_EQ(run.err.find(kPassword), std::string::npos) << run.err;
    }
}

// `mlc store migrate`: the state file of an installation (a console user, written by the binary)
// moved into a fresh database; the binary then finds it there once store.url points at it.
TEST_F(PostgresStoreCli, StoreMigrateMovesTheStateFileAndVerifiesEveryTable) {
    if (server_url().empty()) {
        GTEST_SKIP() << mlc::store::testing::kNoPostgresReason;
    }
    std::ofstream(dir_ / "mlc.yaml") << "version: 1\nstore: {path: ./mlc-state.db}\n";
    ASSERT_EQ(mlc("console user add ann --role admin", std::string(kPassword) + "\n").exit_code, 0);
    const std::string url = fresh_database_url();
    const std::string args = "store migrate --from sqlite:mlc-state.db --to '" + url + "'";
    const auto moved = mlc(args);
    ASSERT_EQ(moved.exit_code, 0) << moved.err;
    EXPECT_NE(moved.out.find("verified"), std::string::npos) << moved.out;
    EXPECT_NE(moved.out.find("console_users"), std::string::npos) << moved.out;
    EXPECT_NE(moved.out.find("audit"), std::string::npos) << moved.out;

    const auto again = mlc(args);  // The target holds mlc state now.
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    const auto forced = mlc(args + " --force");
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_NE(forced.out.find("replaced"), std::string::npos) << forced.out;

    write_config(url);
    const auto listed = mlc("console user list");
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("ann admin"), std::string::npos) << listed.out;
}

TEST_F(PostgresStoreCli, StoreMigrateExplainsItsArguments) {
    const auto help = mlc("store migrate --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* word : {"--from", "--to", "--force", "sqlite:PATH"}) {
        EXPECT_NE(help.out.find(word), std::string::npos) << word << "\n" << help.out;
    }
    EXPECT_EQ(mlc("store migrate --to postgresql://h/db").exit_code, 2);  // No --from.
    const auto bare = mlc("store migrate --from mlc-state.db --to postgresql://h/db");
    EXPECT_EQ(bare.exit_code, 2);
    EXPECT_NE(bare.err.find("sqlite:PATH"), std::string::npos) << bare.err;
    const auto other = mlc("store migrate --from sqlite:mlc-state.db --to mysql://h/db");
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.err.find("postgresql://"), std::string::npos) << other.err;
    const auto missing =
        mlc("store migrate --from sqlite:nope.db --to postgresql://u:pw9@127.0.0.1:1/db");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("nope.db"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(dir_ / "nope.db"));
}

}  // namespace
