#pragma once
// InboxCommitQueue: group commit for the webhook inbox. Deliveries that arrive together share one
// StateStore::append_inbox_batch() call, i.e. one transaction and one fsync, and each caller of
// append() returns only after the transaction that holds its delivery has committed: the
// durability promise (2xx only for a stored event) is unchanged, only the fsyncs are shared.
//
// How: append() queues the delivery; if no commit is running, the caller becomes the committer
// and commits everything queued (up to `batch_max`), then wakes the others; deliveries queued
// while a commit runs go together in the next one, committed by one of their own callers. No
// timer, no extra thread, no waiting for a batch to fill: with one caller at a time every commit
// holds one delivery, as before.
//
// Retention: after a commit, when `retire_every` has passed on the clock since the last run, the
// committer calls StateStore::retire_inbox() with the cuts now - retention (processed events)
// and now - duplicate_window (their keys). A full run (max rows retired) is due again at once.
//
// Lifecycle: construct over a store and a clock that outlive it. Thread safety: append() is safe
// from many threads (that is its purpose). Ownership: borrows the store and the clock.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "store/state_store.hpp"

namespace mlc::store {

inline constexpr std::chrono::hours kInboxRetentionDefault{7 * 24};
inline constexpr std::chrono::hours kInboxDuplicateWindowDefault{30 * 24};

struct InboxQueueOptions {
    std::size_t batch_max = 256;  // Deliveries per transaction.
    // Processed inbox events older than this are deleted (their keys kept, below); 0: never.
    std::chrono::seconds retention = kInboxRetentionDefault;
    // A redelivery is recognised as a duplicate for this long after the first delivery, even
    // when its event was retired. Never shorter than `retention` (raised to it).
    std::chrono::seconds duplicate_window = kInboxDuplicateWindowDefault;
    std::chrono::seconds retire_every{3600};
    std::size_t retire_rows_max = 10'000;  // Per retire_inbox() call.
    // Told the outcome of every retirement run (logging); optional.
    std::function<void(const Result<RetiredInbox>&)> on_retired = {};
};

class InboxCommitQueue {
  public:
    InboxCommitQueue(StateStore& store, Clock& clock, InboxQueueOptions options = {});
    InboxCommitQueue(const InboxCommitQueue&) = delete;
    InboxCommitQueue& operator=(const InboxCommitQueue&) = delete;

    // Stores `delivery` (or finds it a duplicate) durably; returns after its commit. A store
    // error fails every delivery of that transaction (none of them is stored).
    Result<AppendResult> append(InboxAppend delivery);

    // Transactions committed so far (tests and benchmarks: deliveries / commits = batching).
    std::size_t commits() const;

  private:
    struct Slot {
        InboxAppend delivery;
        std::optional<Result<AppendResult>> result = {};
    };
    void commit_queued(std::unique_lock<std::mutex>& lock);
    void retire_if_due();

    StateStore& store_;
    Clock& clock_;
    InboxQueueOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable committed_;
    std::vector<Slot*> queued_;  // Guarded by mutex_; each slot lives on its caller's stack.
    bool committing_ = false;
    std::size_t commits_ = 0;
    std::optional<UtcTime> retire_due_;  // Only the committer touches it.
};

}  // namespace mlc::store
