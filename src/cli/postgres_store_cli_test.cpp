// `store.url: postgresql://...` in mlc.yaml (issue 16): the built binary keeps its state in
// PostgreSQL instead of a SQLite file, and a URL's password never shows in what it prints.
//
// The server comes from MLC_TEST_POSTGRES_URL (scripts/with-postgres.sh); without it the test that
// needs one skips. It gets a database of its own, dropped afterwards.
#include <stdlib.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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

// A login role that must give its password: scram-sha-256 lines for it alone in pg_hba.conf,
// above the private cluster's `trust` ones (the other tests' role is untouched), owning the
// database; its lines, the database and the role go when destroyed.
class PasswordRole {
  public:
    PasswordRole(TestDatabase& database, const std::string& database_name, std::string name,
                 const std::string& password)
        : database_(database), name_(std::move(name)) {
        pqxx::connection admin(TestDatabase::server_url());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE ROLE " + name_ + " LOGIN PASSWORD " + admin.quote(password));
        tx.exec("ALTER DATABASE " + admin.quote_name(database_name) + " OWNER TO " + name_);
        hba_file_ = tx.exec("SHOW hba_file")[0][0].as<std::string>();
        hba_ = slurp(hba_file_);
        std::ofstream(hba_file_, std::ios::trunc)
            << "local all " << name_ << " scram-sha-256\nhost all " << name_
            << " 127.0.0.1/32 scram-sha-256\n"
            << hba_;
        tx.exec("SELECT pg_reload_conf()");
    }
    PasswordRole(const PasswordRole&) = delete;
    PasswordRole& operator=(const PasswordRole&) = delete;
    ~PasswordRole() {
        if (!hba_file_.empty()) std::ofstream(hba_file_, std::ios::trunc) << hba_;
        database_.drop();
        pqxx::connection admin(TestDatabase::server_url());
        pqxx::nontransaction tx(admin);
        tx.exec("SELECT pg_reload_conf()");
        tx.exec("DROP ROLE IF EXISTS " + name_);
    }

    // Whether the server now refuses `url` without the role's password (it reloads its rules
    // when signalled; each try is one connection attempt).
    static bool refuses_without_password(const std::string& url) {
        for (int attempt = 0; attempt < 5'000; ++attempt) {
            try {
                pqxx::connection tried(url + "&password=not-it");
            } catch (const std::exception&) {
                return true;
            }
        }
        return false;
    }

  private:
    static std::string slurp(const std::string& path) {
        std::ifstream in(path);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    TestDatabase& database_;
    std::string name_;
    std::string hba_file_;
    std::string hba_;
};

// store.password_secret: the password comes from the vault, never from mlc.yaml, and the server
// checks it (a role of its own that must give it; the private cluster trusts everyone else).
TEST_F(PostgresStoreCli, ThePasswordComesFromTheVaultAndTheServerChecksIt) {
    if (server_url().empty()) {
        GTEST_SKIP() << mlc::store::testing::kNoPostgresReason;
    }
    const std::string suffix = dir_.filename().string().substr(std::string("mlc-pg-cli-").size());
    std::string role = "mlc_pw_" + suffix;  // Lower case: the server folds unquoted names.
    for (char& c : role) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string url =
        mlc::store::testing::with_url_parameter(fresh_database_url(), "user", role);
    PasswordRole guard(database_, "mlc_cli_" + suffix, role, kPassword);
    ASSERT_TRUE(PasswordRole::refuses_without_password(url));
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

    const std::string wrong = "wrong-horse-battery";
    ASSERT_EQ(mlc("secret set pg_password", wrong + "\n").exit_code, 0);
    const auto refused = mlc("console user list");
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("password authentication failed"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find(wrong), std::string::npos) << refused.err;

    ASSERT_EQ(mlc("secret set pg_password", std::string(kPassword) + "\n").exit_code, 0);
    EXPECT_EQ(mlc("config check").exit_code, 0);
    const auto added =
        mlc("console user add ann --role admin", "ann-" + std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto listed = mlc("console user list");
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("ann admin"), std::string::npos) << listed.out;
    for (const auto& run : {missing, check, refused, added, listed}) {
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
