#include "store/inbox_commit_queue.hpp"

#include <algorithm>
#include <utility>

namespace mlc::store {

InboxCommitQueue::InboxCommitQueue(StateStore& store, Clock& clock, InboxQueueOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
    options_.batch_max = std::max<std::size_t>(1, options_.batch_max);
    options_.duplicate_window = std::max(options_.duplicate_window, options_.retention);
}

Result<AppendResult> InboxCommitQueue::append(InboxAppend delivery) {
    Slot slot{.delivery = std::move(delivery)};
    std::unique_lock lock(mutex_);
    queued_.push_back(&slot);
    while (!slot.result) {
        if (!committing_) {
            commit_queued(lock);
        } else {
            committed_.wait(lock);
        }
    }
    return std::move(*slot.result);
}

std::size_t InboxCommitQueue::commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
}

// Called with `lock` held and no commit running; returns with it held again.
void InboxCommitQueue::commit_queued(std::unique_lock<std::mutex>& lock) {
    committing_ = true;
    const std::size_t taken = std::min(queued_.size(), options_.batch_max);
    std::vector<Slot*> batch(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(taken));
    queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(taken));
    lock.unlock();
    // The callers wait on their slots: moving the deliveries out is safe and copies no body.
    std::vector<InboxAppend> deliveries;
    deliveries.reserve(batch.size());
    for (Slot* slot : batch) deliveries.push_back(std::move(slot->delivery));
    auto results = store_.append_inbox_batch(deliveries);
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!results) {
            batch[i]->result = Result<AppendResult>(results.error());
        } else {
            batch[i]->result = (*results)[i];
        }
    }
    ++commits_;
    committed_.notify_all();  // Answered: those callers need not wait for the retirement below.
    lock.unlock();
    retire_if_due();
    lock.lock();
    committing_ = false;
    committed_.notify_all();  // One of the callers still queued becomes the next committer.
}

void InboxCommitQueue::retire_if_due() {
    if (options_.retention.count() <= 0) return;
    const UtcTime now = clock_.now();
    if (retire_due_ && now < *retire_due_) return;
    auto retired = store_.retire_inbox({.processed_before = now - options_.retention,
                                        .keys_before = now - options_.duplicate_window,
                                        .max_rows = options_.retire_rows_max});
    const bool more =
        retired && retired->events >= static_cast<std::int64_t>(options_.retire_rows_max);
    retire_due_ = more ? now : now + options_.retire_every;
    if (options_.on_retired) options_.on_retired(retired);
}

}  // namespace mlc::store
