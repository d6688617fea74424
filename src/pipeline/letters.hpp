#pragma once
// OpenLetters: the flow's open dead letters, read once per run, so the pipeline can
//  * resolve the letter of a record that is written (or deliberately skipped) again: healed;
//  * keep a record that fails again with the same content and the same error as one open letter,
//    with no new audit row or log line (a poll re-reads it on every run inside the overlap
//    window; attempts count real tries: replays, or a changed record or error);
//  * the same for the flow's open differences (store::Difference: records a target keeps locked):
//    the same content again is not sent nor recorded twice; a record that agrees again clears it.
//
// Memory: a letter is kept as its key and a digest of (record, error), never the record itself,
// and a run remembers at most kNotedLettersMax records it parked itself, so a backfill that parks
// many records holds no copy of them (issue 15).
//
// Lifecycle: one per run (and per replay). Thread safety: none. Ownership: owns its copies.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::pipeline {

// Open letters read per run: a flow with more open letters than this heals the rest by replay.
inline constexpr std::size_t kOpenLettersScanMax = 10'000;
// Records one run parks and remembers as parked: past it, a record parked a second time in the
// same run (a webhook, then the poll) is parked again: still one open letter (the store counts
// the attempt), with one more audit row and log line.
inline constexpr std::size_t kNotedLettersMax = 10'000;

class OpenLetters {
  public:
    static Result<OpenLetters> load(store::StateStore& store, const std::string& flow);

    // The open letter of (system, key), if any.
    std::optional<std::int64_t> find(const std::string& system, const std::string& key) const;
    // True when (system, key) is open with exactly this record and error: parking it again
    // would change nothing.
    bool same(const std::string& system, const std::string& key, const std::string& record_json,
              const std::string& error_message) const;
    // Forgets (system, key): resolved in this run.
    void forget(const std::string& system, const std::string& key);
    // Notes (system, key) as parked by this run (its id is known once committed), so parking it
    // again in the same run (webhook, then poll) changes nothing either.
    void note(const std::string& system, const std::string& key, const std::string& record_json,
              const std::string& error_message);

    // The open difference of (system, key): its id (0 when recorded by this run) and the source
    // content hash that differs.
    struct Differing {
        std::int64_t id = 0;
        std::string content_hash = {};
    };
    std::optional<Differing> difference(const std::string& system, const std::string& key) const;
    void note_difference(const std::string& system, const std::string& key, std::string hash);
    void forget_difference(const std::string& system, const std::string& key);

  private:
    using Digest = std::array<unsigned char, 32>;  // BLAKE2b of record, NUL, error.
    static Digest digest(const std::string& record_json, const std::string& error_message);
    struct Open {
        std::int64_t id = 0;
        Digest digest = {};
    };
    std::map<std::pair<std::string, std::string>, Open> open_;
    std::size_t noted_ = 0;  // Records this run parked and remembers (kNotedLettersMax).
    std::map<std::pair<std::string, std::string>, Differing> differing_;
};

}  // namespace mlc::pipeline
