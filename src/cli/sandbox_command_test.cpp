// `mlc sandbox` as a user runs it: the built binary (MLC_BINARY), a ports file, a vendor call with
// the printed credentials, SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include "common/base64.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kOutputBytesMax = 1 << 20;  // Sandbox stdout read before giving up.

// GET over a plain socket; the whole answer ("HTTP/1.1 200 OK ... body").
std::string http_get(const std::string& base_url, const std::string& path,
                     const std::string& authorization) {
    const auto colon = base_url.rfind(':');
    const int port = std::stoi(base_url.substr(colon + 1));
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return {};
    }
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
    request += "\r\n";
    (void)::write(fd, request.data(), request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0 && answer.size() < (1 << 20);) {
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

class MlcSandboxCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "mlc-sandbox-cli-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (out_fd_ >= 0) ::close(out_fd_);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // Starts `mlc sandbox <args...>` in dir_ with stdout on a pipe.
    void start(std::vector<std::string> args) {
        int out_pipe[2];
        ASSERT_EQ(::pipe(out_pipe), 0);
        std::vector<char*> argv{const_cast<char*>(MLC_BINARY), const_cast<char*>("sandbox")};
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        ASSERT_GE(pid_, 0);
        if (pid_ == 0) {
            ::dup2(out_pipe[1], STDOUT_FILENO);
            ::close(out_pipe[0]);
            ::close(out_pipe[1]);
            if (::chdir(dir_.c_str()) != 0) ::_exit(127);
            ::execv(MLC_BINARY, argv.data());
            ::_exit(127);
        }
        ::close(out_pipe[1]);
        out_fd_ = out_pipe[0];
    }
    // Blocking reads until `marker` and the end of its line (no sleeping; bounded by size).
    bool read_until(const std::string& marker) {
        char buffer[1024];
        while (output_.size() < kOutputBytesMax) {
            const auto at = output_.find(marker);
            if (at != std::string::npos && output_.find('\n', at) != std::string::npos) return true;
            const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
            if (n <= 0) return false;
            output_.append(buffer, static_cast<std::size_t>(n));
        }
        return false;
    }
    int terminate_and_wait() {
        EXPECT_EQ(::kill(pid_, SIGTERM), 0);
        int status = 0;
        EXPECT_EQ(::waitpid(pid_, &status, 0), pid_);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    fs::path dir_;
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string output_;
};

TEST_F(MlcSandboxCli, ServesShipStationWithThePortsFileCredentialsAndStopsOnSigterm) {
    start({"--systems", "shipstation,epicor", "--seed", "5", "--volume", "40", "--ports-file",
           "ports.json"});
    ASSERT_TRUE(read_until("sandbox ready")) << output_;
    std::ifstream in(dir_ / "ports.json");
    std::stringstream text;
    text << in.rdbuf();
    const auto ports = boost::json::parse(text.str()).as_object();
    ASSERT_TRUE(ports.contains("shipstation")) << text.str();
    ASSERT_TRUE(ports.contains("epicor")) << text.str();
    const auto& shipstation = ports.at("shipstation").as_object();
    const std::string base(shipstation.at("base_url").as_string());
    const std::string key(shipstation.at("api_key").as_string());
    const std::string secret(shipstation.at("api_secret").as_string());
    // The start-up lines show the same base URL and credentials.
    EXPECT_NE(output_.find(base), std::string::npos) << output_;
    EXPECT_NE(output_.find(key), std::string::npos) << output_;

    const auto orders =
        http_get(base, "/orders?pageSize=1", "Basic " + mlc::base64_encode(key + ":" + secret));
    EXPECT_EQ(orders.rfind("HTTP/1.1 200", 0), 0u) << orders;
    EXPECT_NE(orders.find("\"total\":40"), std::string::npos) << orders;
    const auto refused = http_get(base, "/orders", "Basic " + mlc::base64_encode(key + ":wrong"));
    EXPECT_EQ(refused.rfind("HTTP/1.1 401", 0), 0u) << refused;

    EXPECT_EQ(terminate_and_wait(), 0);
}

TEST_F(MlcSandboxCli, UnknownSystemIsAUsageErrorNamingIt) {
    start({"--systems", "shipstation,sap"});
    EXPECT_FALSE(read_until("sandbox ready"));  // The pipe closes: it exited.
    int status = 0;
    ASSERT_EQ(::waitpid(pid_, &status, 0), pid_);
    pid_ = -1;
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
