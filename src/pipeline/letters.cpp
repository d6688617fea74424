#include "pipeline/letters.hpp"

#include <sodium.h>

namespace mlc::pipeline {

OpenLetters::Digest OpenLetters::digest(const std::string& record_json,
                                        const std::string& error_message) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, std::tuple_size_v<Digest>);
    const auto update = [&state](const std::string& text) {
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size());
    };
    update(record_json);
    update(std::string(1, '\0'));  // JSON holds no raw NUL: the two parts cannot shift.
    update(error_message);
    Digest out = {};
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

Result<OpenLetters> OpenLetters::load(store::StateStore& store, const std::string& flow) {
    OpenLetters out;
    MLC_TRY(auto letters,
            store.list_dead_letters(flow, store::DeadLetterStatus::kOpen, kOpenLettersScanMax));
    for (store::DeadLetter& letter : letters) {
        out.open_[{letter.source_system, letter.source_key}] =
            Open{.id = letter.id, .digest = digest(letter.record_json, letter.error_message)};
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
    return it != open_.end() && it->second.digest == digest(record_json, error_message);
}

void OpenLetters::forget(const std::string& system, const std::string& key) {
    open_.erase({system, key});
}

void OpenLetters::note(const std::string& system, const std::string& key,
                       const std::string& record_json, const std::string& error_message) {
    auto it = open_.find({system, key});
    if (it == open_.end()) {
        if (noted_ >= kNotedLettersMax) return;  // Parked again if seen again (header).
        ++noted_;
        it = open_.emplace(std::make_pair(system, key), Open{}).first;
    }
    it->second.digest = digest(record_json, error_message);
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
