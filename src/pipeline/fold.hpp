#pragma once
// Fold: many source records -> one target record (an Amazon settlement's lines -> one GL journal),
// as a source adapter, so the folded record goes through the same StreamWriter as any other
// (binding by group key, hash skip, find-before-create, park, heal, replay).
//
// FoldSource<S> wraps a Source<S> whose records come grouped: every record of one group is
// contiguous in the source's order (a settlement report lists its lines together). It yields
// Batch<Group<S>>, one Group per group key, and never hands out a group before its last record is
// read: when an inner batch ends inside a group, the next inner batch is read and merged first.
// So the position it reports is always the inner position after whole groups: the cursor never
// passes a record whose group is not written or parked (its N records are acknowledged only
// with the folded record, PIPELINES.md lesson 12).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none. Ownership: borrows the inner
// source; owns the recipe's functions.

#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.hpp"

namespace mlc::pipeline {

template <typename S>
struct Group {
    std::string key;  // "settlement 17781234"
    std::vector<connectors::Record<S>> items;
};

template <typename S>
struct FoldRules {
    std::function<std::string(const S&)> group_of;  // The group key of one record.
    // The group again, for replay (every record of `key`); empty: the group is gone.
    std::function<Result<std::vector<connectors::Record<S>>>(const std::string& key)> read_group;
    std::string label = "group";  // For people: "settlement".
};

template <typename S>
class FoldSource final : public connectors::Source<Group<S>> {
  public:
    FoldSource(connectors::Source<S>& inner, FoldRules<S> rules)
        : inner_(inner), rules_(std::move(rules)) {}

    std::string system() const override { return inner_.system(); }

    Result<std::unique_ptr<connectors::Scan<Group<S>>>> scan(const std::string& position) override {
        MLC_TRY(auto scan, inner_.scan(position));
        return std::unique_ptr<connectors::Scan<Group<S>>>(
            std::make_unique<GroupScan>(std::move(scan), rules_));
    }

    Result<std::optional<connectors::Record<Group<S>>>> get(const std::string& replay) override {
        MLC_TRY(auto items, rules_.read_group(replay));
        if (items.empty()) return std::optional<connectors::Record<Group<S>>>();
        return std::optional<connectors::Record<Group<S>>>(as_record({replay, std::move(items)}));
    }

    connectors::SourceIdentity identify(const Group<S>& group) const override {
        std::optional<UtcTime> newest;
        for (const auto& item : group.items) {
            const auto version = inner_.identify(item.value).version;
            if (version && (!newest || *version > *newest)) newest = version;
        }
        return {.key = group.key,
                .ref = inner_.system() + ":" + rules_.label + ":" + group.key,
                .replay = group.key,
                .label = rules_.label + " " + group.key + " (" +
                         std::to_string(group.items.size()) + " records)",
                .version = newest};
    }

  private:
    // The group's records' vendor JSON, one per line, for its dead letter.
    static connectors::Record<Group<S>> as_record(Group<S> group) {
        std::string raw;
        for (const auto& item : group.items) raw += item.raw + "\n";
        return {.value = std::move(group), .raw = std::move(raw)};
    }

    class GroupScan final : public connectors::Scan<Group<S>> {
      public:
        GroupScan(std::unique_ptr<connectors::Scan<S>> inner, const FoldRules<S>& rules)
            : inner_(std::move(inner)), rules_(rules) {}

        // Reads at most two inner batches: the next one, and one ahead to learn whether its last
        // group goes on. A group that goes on is carried into the next call, and the batch then
        // reports no position (the stream has not moved past it).
        Result<connectors::Batch<Group<S>>> next() override {
            connectors::Batch<S> batch;
            if (ahead_) {
                batch = std::move(*ahead_);
                ahead_.reset();
            } else {
                MLC_TRY(batch, inner_->next());
            }
            std::vector<connectors::Record<S>> items = std::move(carry_);
            carry_.clear();
            for (auto& item : batch.items) items.push_back(std::move(item));
            connectors::Batch<Group<S>> out{.items = {},
                                            .rejected = std::move(batch.rejected),
                                            .position = batch.position,
                                            .more = batch.more};
            if (batch.more && !items.empty()) {
                MLC_TRY(connectors::Batch<S> peek, inner_->next());
                const bool goes_on =
                    !peek.items.empty() && rules_.group_of(peek.items.front().value) ==
                                               rules_.group_of(items.back().value);
                ahead_ = std::move(peek);
                if (goes_on) {
                    const std::string last = rules_.group_of(items.back().value);
                    std::size_t start = items.size();
                    while (start > 0 && rules_.group_of(items[start - 1].value) == last) --start;
                    const auto from = items.begin() + static_cast<std::ptrdiff_t>(start);
                    carry_.assign(std::make_move_iterator(from),
                                  std::make_move_iterator(items.end()));
                    items.erase(from, items.end());
                    out.position.clear();
                }
            }
            out.items = group(std::move(items));
            return out;
        }

      private:
        std::vector<connectors::Record<Group<S>>> group(std::vector<connectors::Record<S>> items) {
            std::vector<connectors::Record<Group<S>>> out;
            Group<S> current;
            for (auto& item : items) {
                std::string key = rules_.group_of(item.value);
                if (!current.items.empty() && key != current.key) {
                    out.push_back(as_record(std::move(current)));
                    current = {};
                }
                current.key = std::move(key);
                current.items.push_back(std::move(item));
            }
            if (!current.items.empty()) out.push_back(as_record(std::move(current)));
            return out;
        }

        std::unique_ptr<connectors::Scan<S>> inner_;
        const FoldRules<S>& rules_;
        std::optional<connectors::Batch<S>> ahead_;  // Read ahead, handed out next.
        std::vector<connectors::Record<S>> carry_;   // A group that goes on past a batch.
    };

    connectors::Source<S>& inner_;
    FoldRules<S> rules_;
};

}  // namespace mlc::pipeline
