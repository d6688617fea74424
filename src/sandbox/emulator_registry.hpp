#pragma once
// EmulatorRegistry: system name -> factory, so `mlc sandbox --systems a,b` builds emulators by name
// without the framework knowing any vendor. cli/main.cpp fills it (one line per emulator library).
//
// Lifecycle: filled at start-up, then read. Thread safety: read-only use is safe from any thread.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/emulator.hpp"

namespace mlc::sandbox {

using EmulatorFactory = std::function<std::unique_ptr<Emulator>(EmulatorContext)>;

class EmulatorRegistry {
  public:
    void add(std::string name, EmulatorFactory factory) {
        factories_[std::move(name)] = std::move(factory);
    }
    const EmulatorFactory* find(const std::string& name) const {
        const auto it = factories_.find(name);
        return it == factories_.end() ? nullptr : &it->second;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& [name, factory] : factories_) out.push_back(name);
        return out;
    }

  private:
    std::map<std::string, EmulatorFactory> factories_;
};

}  // namespace mlc::sandbox
