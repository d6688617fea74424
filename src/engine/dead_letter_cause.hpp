#pragma once
// The cause of a dead letter in structured form, so the console groups letters by it (the same
// unknown SKU across 40 orders is one group): the error's code and system, and its message
// without the record it stopped. Error keeps the record apart (record_key), and the resolvers
// name the unresolved reference and the fix in the message ("SKU 'SKU-999' is not an Epicor
// PartNum: add mappings.parts ..."), so the message is the same for every record one cause stops.
//
// It is kept in the letter's replay_json, as member "cause" beside the replay key
// (pipeline::replay_key(): readers of the key ignore other members), written where the pipeline
// parks (pipeline/page.cpp) and where a failed replay records the new error
// (dead_letter_replayer.cpp). A letter parked before causes were kept has none: cause_of() then
// answers its error code and whole message (a group of its own).
//
// The unresolved reference: when the resolver's fix names a mapping table and quotes the value
// ("SKU 'WB-2041-DISC' is not an Epicor PartNum: add mappings.parts: ..."), the cause keeps both
// as fields (table "parts", value "WB-2041-DISC"), so the console offers the mapping without
// reading the message. Letters kept before these fields get them from their message when read.
// Pure functions: no state, thread safe.

#include <string>
#include <string_view>
#include <utility>

#include "common/error.hpp"
#include "store/state_store.hpp"

namespace mlc::engine {

struct DeadLetterCause {
    std::string code;        // to_string(ErrorCode): "unresolved"
    std::string system;      // "epicor"; may be empty
    std::string message;     // What is wrong and the fix, without the record.
    std::string table = {};  // The mapping table the fix names ("parts"); empty: none.
    std::string value = {};  // The value no mapping resolved ("WB-2041-DISC").
};

// {table, value} of a resolver's message that names `mappings.<table>` and quotes the value
// ('...'); both empty otherwise.
std::pair<std::string, std::string> unresolved_mapping(std::string_view message);

// `replay_json` with its "cause" set from `error` (a new object holding only the cause when
// replay_json is empty or not a JSON object).
std::string with_cause(const std::string& replay_json, const Error& error);

// The cause the letter keeps, or {error_code, "", error_message} for a letter without one.
DeadLetterCause cause_of(const store::DeadLetter& letter);

}  // namespace mlc::engine
