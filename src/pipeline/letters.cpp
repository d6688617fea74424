#include "pipeline/letters.hpp"

namespace mlc::pipeline {

Result<OpenLetters> OpenLetters::load(store::StateStore& store, const std::string& flow) {
    OpenLetters out;
    MLC_TRY(auto letters,
            store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kOpenLettersScanMax));
    for (store::DeadLetter& letter : letters) {
        out.open_[{letter.source_system, letter.source_key}] =
            Open{.id = letter.id,
                 .record_json = std::move(letter.record_json),
                 .error_message = std::move(letter.error_message)};
    }
    return out;
}

std::optional<std::int64_t> OpenLetters::find(const std::string& system,
                                              const std::string& key) const {
    auto it = open_.find({system, key});
    if (it == open_.end()) return std::nullopt;
    return it->second.id;
}

bool OpenLetters::same(const std::string& system, const std::string& key,
                       const std::string& record_json, const std::string& error_message) const {
    auto it = open_.find({system, key});
    return it != open_.end() && it->second.record_json == record_json &&
           it->second.error_message == error_message;
}

void OpenLetters::forget(const std::string& system, const std::string& key) {
    open_.erase({system, key});
}

void OpenLetters::note(const std::string& system, const std::string& key, std::string record_json,
                       std::string error_message) {
    Open& open = open_[{system, key}];
    open.record_json = std::move(record_json);
    open.error_message = std::move(error_message);
}

}  // namespace mlc::pipeline
