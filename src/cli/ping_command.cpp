// Placeholder until its owner lands the command; it adds no sub-command.
#include "cli/commands.hpp"

namespace mlc::cli {

void add_ping_command(CLI::App& /*app*/, CliContext& /*ctx*/, int& /*exit_code*/) {}

}  // namespace mlc::cli
