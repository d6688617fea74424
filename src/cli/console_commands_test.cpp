// `mlc console user add|list|remove` as an administrator types them: the built binary
// (MLC_BINARY) on the example config in a fresh directory, passwords on stdin.
#include <filesystem>

#include <gtest/gtest.h>

#include "cli/testing/cli_child.hpp"

namespace {

namespace fs = std::filesystem;
using mlc::cli::testing::run_mlc;
using mlc::cli::testing::slurp;

constexpr const char* kPassword = "correct horse battery staple";

class ConsoleUsersCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-console-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        fs::copy_file(MLC_EXAMPLE_CONFIG, dir_ / "mlc.yaml");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    mlc::cli::testing::MlcRun mlc(const std::string& args, const std::string& input = "") {
        return run_mlc(dir_, MLC_BINARY, "-c mlc.yaml --data-dir data " + args, input);
    }
    fs::path dir_;
};

TEST_F(ConsoleUsersCli, AUserIsAddedFromStdinListedAndRemovedWithoutThePasswordShowing) {
    const auto weak = mlc("console user add ann --role admin", "short\n");
    EXPECT_NE(weak.exit_code, 0);
    EXPECT_NE(weak.err.find("10"), std::string::npos) << weak.err;
    EXPECT_EQ(mlc("console user add ann --role root", std::string(kPassword) + "\n").exit_code, 2);

    const auto added = mlc("console user add ann --role admin", std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    EXPECT_NE(added.out.find("console user ann added as admin"), std::string::npos) << added.out;
    const auto again = mlc("console user add ann --role viewer", std::string(kPassword) + "\n");
    EXPECT_NE(again.exit_code, 0);
    EXPECT_NE(again.err.find("--replace"), std::string::npos) << again.err;
    ASSERT_EQ(mlc("console user add vera --role viewer", std::string(kPassword) + "\n").exit_code,
              0);

    const auto listed = mlc("console user list");
    EXPECT_NE(listed.out.find("ann admin"), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("vera viewer"), std::string::npos) << listed.out;
    for (const auto& text : {added.out, added.err, listed.out, slurp(dir_ / "mlc-state.db")}) {
        EXPECT_EQ(text.find(kPassword), std::string::npos);  // Only the Argon2id hash is kept.
    }

    EXPECT_NE(mlc("console user remove ann", "n\n").exit_code, 0);  // Asked, and declined.
    ASSERT_EQ(mlc("console user remove ann --yes").exit_code, 0);
    ASSERT_EQ(mlc("console user remove vera", "y\n").exit_code, 0);
    EXPECT_EQ(mlc("console user remove vera --yes").exit_code, 1);  // No such user.
    EXPECT_NE(mlc("console user list").err.find("mlc console user add"), std::string::npos);
}

}  // namespace
