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
    MLC_TRY(auto differences,
            store.list_differences(flow, store::DifferenceStatus::kOpen, kOpenLettersScanMax));
    for (store::Difference& difference : differences) {
        out.differing_[{difference.source_system, difference.source_key}] =
            Differing{.id = difference.id, .content_hash = std::move(difference.content_hash)};
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

std::optional<OpenLetters::Differing> OpenLetters::difference(const std::string& system,
                                                              const std::string& key) const {
    auto it = differing_.find({system, key});
    if (it == differing_.end()) return std::nullopt;
    return it->second;
}

void OpenLetters::note_difference(const std::string& system, const std::string& key,
                                  std::string hash) {
    differing_[{system, key}].content_hash = std::move(hash);
}

void OpenLetters::forget_difference(const std::string& system, const std::string& key) {
    differing_.erase({system, key});
}

}  // namespace mlc::pipeline
