#include "console/trail.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::console {
namespace {

namespace json = boost::json;

// A search of the audit trail: the key as a ref segment, within one flow or all.
struct Lookup {
    std::optional<std::string> flow;
    std::string key;
    auto operator<=>(const Lookup&) const = default;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// `key` in `text` as a whole word: "5001" is in "OrderNum 5001," but not in "50012".
bool has_word(std::string_view text, std::string_view key) {
    if (key.empty()) return false;
    for (auto at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
        const bool left = at == 0 || !word_char(text[at - 1]) || !word_char(key.front());
        const auto end = at + key.size();
        const bool right = end == text.size() || !word_char(text[end]) || !word_char(key.back());
        if (left && right) return true;
    }
    return false;
}

std::vector<std::string> segments(const std::string& ref) {
    std::vector<std::string> out;
    std::size_t from = 0;
    for (auto colon = ref.find(':'); colon != std::string::npos; colon = ref.find(':', from)) {
        out.push_back(ref.substr(from, colon - from));
        from = colon + 1;
    }
    out.push_back(ref.substr(from));
    return out;
}

class TrailSearch {
  public:
    TrailSearch(store::StateStore& store, const engine::Config& config, std::string key)
        : store_(store), config_(config), key_(std::move(key)) {}

    Result<json::object> run() {
        MLC_CHECK(seed());
        while (!queue_.empty() && followed_.size() < kTrailRefsMax) {
            Lookup next = queue_.front();
            queue_.pop_front();
            if (!followed_.insert(next).second) continue;
            MLC_CHECK(search(next));
        }
        MLC_CHECK(find_bindings());
        return answer();
    }

  private:
    Result<void> seed() {
        MLC_CHECK(search(Lookup{.flow = std::nullopt, .key = key_}));
        followed_.insert(Lookup{.flow = std::nullopt, .key = key_});
        if (key_.size() >= 3) {  // Shorter keys would match too much free text.
            store::AuditQuery query;
            query.limit = kTrailDetailScan;
            MLC_TRY(auto recent, store_.query_audit(query));
            for (auto& event : recent) {
                if (has_word(event.detail, key_)) add(std::move(event));
            }
        }
        MLC_TRY(auto letters,
                store_.list_dead_letters(std::nullopt, std::nullopt, kTrailLettersScan));
        for (auto& letter : letters) {
            if (letter.source_key == key_ || has_word(letter.record_json, key_)) {
                queue_.push_back(Lookup{.flow = letter.flow, .key = letter.source_key});
                letters_.emplace(letter.id, letter);
            }
            all_letters_.push_back(std::move(letter));
        }
        for (const auto& [name, flow] : config_.flows) {
            MLC_TRY(auto binding, store_.find_binding_by_target(name, key_));
            if (binding) add(std::move(*binding));
        }
        return ok();
    }

    // The audit events naming `lookup.key` in their source or target ref.
    Result<void> search(const Lookup& lookup) {
        store::AuditQuery query;
        query.flow = lookup.flow;
        query.limit = kTrailEventsPerRef;
        query.source_key = lookup.key;
        MLC_TRY(auto by_source, store_.query_audit(query));
        query.source_key.reset();
        query.target_id = lookup.key;
        MLC_TRY(auto by_target, store_.query_audit(query));
        // A ref that many events share (a webhook, a carrier's alert feed) is no record's path.
        if (lookup.key != key_ && by_source.size() + by_target.size() > kTrailHubEvents) {
            return ok();
        }
        for (auto& event : by_source) add(std::move(event));
        for (auto& event : by_target) add(std::move(event));
        return ok();
    }

    // An event found; the records its refs name ("system:type:id...") are followed as
    // "type:id" (two segments, so a bare number does not match every ref holding it).
    void add(store::AuditEvent event) {
        if (event.flow == "console" || !events_.emplace(event.id, event).second) return;
        for (const std::string* ref : {&event.source_ref, &event.target_ref}) {
            const auto parts = segments(*ref);
            if (parts.size() < 3 || parts[2].empty() || parts[1] == "webhook") continue;
            queue_.push_back(Lookup{.flow = std::nullopt, .key = parts[1] + ":" + parts[2]});
        }
    }

    void add(store::Binding binding) {
        const auto key = binding.flow + "\n" + binding.source_system + "\n" + binding.source_key;
        if (binding_keys_.insert(key).second) bindings_.push_back(std::move(binding));
    }

    // The bindings of the source records seen, and the letters parked for them.
    Result<void> find_bindings() {
        std::set<std::pair<std::string, std::string>> sources;  // (flow, source_ref)
        for (const auto& [id, event] : events_) sources.emplace(event.flow, event.source_ref);
        for (const auto& [flow, ref] : sources) {
            const auto parts = segments(ref);
            if (parts.size() < 2) continue;
            MLC_TRY(auto binding, store_.get_binding(flow, parts.front(), parts.back()));
            if (binding) add(std::move(*binding));
            for (const auto& letter : all_letters_) {
                if (letter.flow == flow && letter.source_system == parts.front() &&
                    store::ref_has_segment(ref, letter.source_key)) {
                    letters_.emplace(letter.id, letter);
                }
            }
        }
        return ok();
    }

    // The vendor's answer for a failed or parked event: its letter's message.
    std::string answer_for(const store::AuditEvent& event) const {
        if (event.action != store::AuditAction::kFail && event.action != store::AuditAction::kPark)
            return {};
        for (const auto& [id, letter] : letters_) {
            if (letter.flow == event.flow && event.source_ref.starts_with(letter.source_system) &&
                store::ref_has_segment(event.source_ref, letter.source_key)) {
                return letter.error_message;
            }
        }
        return event.detail;
    }

    Result<json::object> answer() const;

    store::StateStore& store_;
    const engine::Config& config_;
    std::string key_;
    std::deque<Lookup> queue_;
    std::set<Lookup> followed_;
    std::map<std::int64_t, store::AuditEvent> events_;
    std::map<std::int64_t, store::DeadLetter> letters_;
    std::vector<store::DeadLetter> all_letters_;
    std::set<std::string> binding_keys_;
    std::vector<store::Binding> bindings_;
};

struct Step {
    UtcTime at{};
    std::int64_t order = 0;  // Audit id; ties in time keep the order things were written.
    json::object row;
};

Result<json::object> TrailSearch::answer() const {
    // A binding or letter comes after the event written at the same time (the write it records).
    constexpr std::int64_t kAfter = std::numeric_limits<std::int64_t>::max();
    std::vector<Step> steps;
    for (const auto& [id, e] : events_) {
        steps.push_back({e.at, id,
                         json::object{{"kind", "audit"},
                                      {"at", format_iso8601(e.at)},
                                      {"flow", e.flow},
                                      {"action", std::string(store::to_string(e.action))},
                                      {"outcome", e.outcome},
                                      {"source_ref", e.source_ref},
                                      {"target_ref", e.target_ref},
                                      {"detail", e.detail},
                                      {"answer", answer_for(e)}}});
    }
    for (const auto& b : bindings_) {
        steps.push_back({b.updated_at, kAfter,
                         json::object{{"kind", "binding"},
                                      {"at", format_iso8601(b.updated_at)},
                                      {"flow", b.flow},
                                      {"action", "bound"},
                                      {"outcome", std::string(store::to_string(b.state))},
                                      {"source_ref", b.source_system + ":" + b.source_key},
                                      {"target_ref", b.target_id},
                                      {"detail", b.source_key + " is " + b.target_id},
                                      {"answer", ""}}});
    }
    for (const auto& [id, l] : letters_) {
        steps.push_back(
            {l.last_seen, 0,
             json::object{{"kind", "dead letter"},
                          {"at", format_iso8601(l.last_seen)},
                          {"flow", l.flow},
                          {"action", "dead letter"},
                          {"outcome", l.error_code},
                          {"status", std::string(store::to_string(l.status))},
                          {"letter_id", l.id},
                          {"source_ref", l.source_system + ":" + l.source_key},
                          {"target_ref", ""},
                          {"detail", "parked, " + std::to_string(l.attempts) + " attempt(s)"},
                          {"answer", l.error_message}}});
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    const bool truncated = steps.size() > kTrailStepsMax;
    if (truncated) steps.erase(steps.begin(), steps.end() - kTrailStepsMax);  // Keep the newest.
    json::array rows;
    for (auto& step : steps) rows.push_back(std::move(step.row));
    json::array records;
    for (const auto& lookup : followed_) records.push_back(json::string(lookup.key));
    return json::object{{"key", key_},
                        {"records", std::move(records)},
                        {"steps", std::move(rows)},
                        {"truncated", truncated}};
}

}  // namespace

Result<json::object> find_trail(store::StateStore& store, const engine::Config& config,
                                const std::string& key) {
    return TrailSearch(store, config, key).run();
}

}  // namespace mlc::console
