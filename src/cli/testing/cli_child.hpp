#pragma once
// What the CLI tests that run the built binary share: `mlc args` in a directory as a user types
// it (stdin from a string, no MLC_* variables from the test's environment), `mlc sandbox` as a
// child process whose stdout the test reads until "sandbox ready", and SandboxCliTest, the
// fixture of tests that need both. MLC_BINARY is the binary under test (a compile definition).
//
// Lifecycle: SandboxChild stops its process (SIGTERM, then waits) when destroyed. Thread safety:
// none (one test thread). Ownership: owns the child and its pipe.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace mlc::cli::testing {

struct MlcRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// `binary args` in `dir` with `input` on stdin and no MLC_* variables from the environment but
// the `env` assignments ("MLC_MASTER_KEY='...'") given.
inline MlcRun run_mlc(const std::filesystem::path& dir, const std::string& binary,
                      const std::string& args, const std::string& input = "",
                      const std::string& env = "") {
    std::ofstream(dir / "stdin.txt", std::ios::binary) << input;
    const std::string command = "cd " + single_quoted(dir.string()) +
                                " && env -u MLC_CONFIG -u MLC_DATA_DIR -u MLC_MASTER_KEY " + env +
                                " " + single_quoted(binary) + " " + args +
                                " < stdin.txt > stdout.txt 2> stderr.txt";
    const int status = std::system(command.c_str());
    MlcRun outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    outcome.out = slurp(dir / "stdout.txt");
    outcome.err = slurp(dir / "stderr.txt");
    return outcome;
}

// `binary sandbox args...` (or another command: `mlc run`) in `dir`, stdout on a pipe (stderr too
// for a command other than sandbox: the daemon's log).
class SandboxChild {
  public:
    static constexpr std::size_t kOutputBytesMax = 1 << 20;  // Read before giving up on a marker.

    SandboxChild() = default;
    SandboxChild(const SandboxChild&) = delete;
    SandboxChild& operator=(const SandboxChild&) = delete;
    ~SandboxChild() { stop(); }

    // False when the process could not be started.
    bool start(const std::filesystem::path& dir, const std::string& binary,
               std::vector<std::string> args, const std::string& command = "sandbox") {
        int out_pipe[2];
        if (::pipe(out_pipe) != 0) return false;
        const bool with_log = command != "sandbox";
        args.insert(args.begin(), {binary, command});
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ < 0) return false;
        if (pid_ == 0) {
            ::dup2(out_pipe[1], STDOUT_FILENO);
            if (with_log) ::dup2(out_pipe[1], STDERR_FILENO);
            ::close(out_pipe[0]);
            ::close(out_pipe[1]);
            if (::chdir(dir.c_str()) != 0) ::_exit(127);
            ::execv(binary.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(out_pipe[1]);
        out_ = out_pipe[0];
        return true;
    }
    // Blocking reads of stdout until `marker` and the end of its line.
    bool read_until(const std::string& marker) {
        char buffer[1024];
        while (output_.size() < kOutputBytesMax) {
            const auto at = output_.find(marker);
            if (at != std::string::npos && output_.find('\n', at) != std::string::npos) {
                return true;
            }
            const ssize_t n = ::read(out_, buffer, sizeof buffer);
            if (n <= 0) return false;
            output_.append(buffer, static_cast<std::size_t>(n));
        }
        return false;
    }
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        if (out_ >= 0) ::close(out_);
        out_ = -1;
    }
    const std::string& output() const { return output_; }
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    int out_ = -1;
    std::string output_;
};

// A test that runs `mlc sandbox` beside the binary under test: a fresh directory, the sandbox
// started and ready, its ports file read, `mlc init` done. Subclasses set secrets from ports_ and
// write mlc.yaml in their own SetUp after start().
class SandboxCliTest : public ::testing::Test {
  protected:
    // `systems` as `mlc sandbox --systems` takes them.
    void start(const std::string& systems, const std::string& seed, const std::string& volume) {
        std::string pattern = (std::filesystem::temp_directory_path() / "mlc-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        ASSERT_TRUE(sandbox_.start(dir_, MLC_BINARY,
                                   {"--systems", systems, "--seed", seed, "--volume", volume,
                                    "--ports-file", "ports.json"}));
        ASSERT_TRUE(sandbox_.read_until("sandbox ready")) << sandbox_.output();
        ports_ = boost::json::parse(slurp(dir_ / "ports.json")).as_object();
        ASSERT_EQ(mlc("init").exit_code, 0);
    }
    void TearDown() override {
        sandbox_.stop();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    MlcRun mlc(const std::string& args, const std::string& input = "") {
        return run_mlc(dir_, MLC_BINARY, args, input);
    }
    // `mlc secret set name` with the string `value` on stdin.
    void set_secret(const std::string& name, const boost::json::value& value) {
        const auto set = mlc("secret set " + name, std::string(value.as_string()) + "\n");
        ASSERT_EQ(set.exit_code, 0) << set.err;
    }

    // The ShipStation and Epicor credentials of ports_ in the vault: ss_key, ss_secret, ep_key,
    // ep_user, ep_password.
    void set_shipstation_epicor_secrets() {
        const auto& ss = ports_.at("shipstation").as_object();
        const auto& ep = ports_.at("epicor").as_object();
        set_secret("ss_key", ss.at("api_key"));
        set_secret("ss_secret", ss.at("api_secret"));
        set_secret("ep_key", ep.at("api_key"));
        set_secret("ep_user", ep.at("username"));
        set_secret("ep_password", ep.at("password"));
    }
    // mlc.yaml's `connections:` block for them: ss (shipstation) and ep (epicor, with
    // `epicor_options` inside its options braces, after the company).
    std::string shipstation_epicor_connections(const std::string& company,
                                               const std::string& epicor_options = "") const {
        const auto& ss = ports_.at("shipstation").as_object();
        const auto& ep = ports_.at("epicor").as_object();
        return "connections:\n"
               "  ss:\n"
               "    system: shipstation\n"
               "    base_url: " +
               std::string(ss.at("base_url").as_string()) +
               "\n"
               "    secrets: {api_key: ss_key, api_secret: ss_secret}\n"
               "  ep:\n"
               "    system: epicor\n"
               "    base_url: " +
               std::string(ep.at("base_url").as_string()) + "\n    options: {company: " + company +
               epicor_options +
               "}\n"
               "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n";
    }

    std::filesystem::path dir_;
    SandboxChild sandbox_;
    boost::json::object ports_;
};

}  // namespace mlc::cli::testing
