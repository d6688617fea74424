// Batched writes (pipeline/batch.hpp) over an in-memory source and batch target, on the real
// SQLite store: one call per batch with an outcome per record, nothing doubled after a lost
// answer, duplicates found and taken over, one record per target key.
#include "pipeline/batch.hpp"

#include <gtest/gtest.h>

#include <map>

#include "pipeline/flow.hpp"
#include "pipeline/testing/test_run.hpp"

namespace mlc::pipeline {
namespace {

using connectors::Record;

struct Row {
    std::string key;
    std::string email;  // The target key.
    std::string name;
    bool cancelled = false;
};

// Every row in one batch; the position is the row count.
class Rows final : public connectors::Source<Row> {
  public:
    std::vector<Row> rows;
    std::string system() const override { return "rows"; }
    Result<std::unique_ptr<connectors::Scan<Row>>> scan(const std::string&) override {
        class All final : public connectors::Scan<Row> {
          public:
            explicit All(const std::vector<Row>& rows) : rows_(rows) {}
            Result<connectors::Batch<Row>> next() override {
                connectors::Batch<Row> batch;
                for (const Row& row : rows_) batch.items.push_back({.value = row, .raw = row.key});
                batch.position = std::to_string(rows_.size());
                return batch;
            }

          private:
            const std::vector<Row>& rows_;
        };
        return std::unique_ptr<connectors::Scan<Row>>(std::make_unique<All>(rows));
    }
    Result<std::optional<Record<Row>>> get(const std::string& ref) override {
        for (const Row& row : rows) {
            if (row.key == ref) return std::optional<Record<Row>>(Record<Row>{row, row.key});
        }
        return std::optional<Record<Row>>();
    }
    connectors::SourceIdentity identify(const Row& row) const override {
        return {.key = row.key,
                .ref = "rows:" + row.key,
                .replay = row.key,
                .label = "row " + row.key,
                .version = std::nullopt};
    }
};

// Keeps one record per e-mail; refuses a create of a held e-mail (kConflict) and a name "bad".
class Shop final : public connectors::BatchTarget<Row> {
  public:
    std::map<std::string, Row> held;  // id -> row
    std::size_t max = 2;
    bool adopt = false;
    int calls = 0;
    bool lose_next_answer = false;
    std::string system() const override { return "shop"; }
    std::string ref(const std::string& id) const override { return "shop:" + id; }
    std::size_t batch_max() const override { return max; }
    bool adopts() const override { return adopt; }
    Result<std::vector<std::optional<std::string>>> find_all(
        const std::vector<std::string>& emails) override {
        std::vector<std::optional<std::string>> out;
        for (const std::string& email : emails) out.push_back(id_of(email));
        return out;
    }
    Result<std::vector<Result<std::string>>> write(
        const std::vector<connectors::BatchWrite<Row>>& writes) override {
        ++calls;
        std::vector<Result<std::string>> out;
        for (const auto& w : writes) out.push_back(one(w));
        if (std::exchange(lose_next_answer, false)) {
            return make_error(ErrorCode::kTransient, "shop", "connection reset after sending");
        }
        return out;
    }
    std::vector<std::string> closed;
    Result<void> close(const std::string& id) override {
        closed.push_back(id);
        return ok();
    }
    std::string describe(const Row& row) const override { return row.email; }

  private:
    std::optional<std::string> id_of(const std::string& email) const {
        for (const auto& [id, row] : held) {
            if (row.email == email) return id;
        }
        return std::nullopt;
    }
    Result<std::string> one(const connectors::BatchWrite<Row>& w) {
        if (w.record->name == "bad") {
            return make_error(ErrorCode::kRejected, "shop", "name 'bad' is refused");
        }
        if (w.id.empty() && id_of(w.record->email)) {
            return make_error(ErrorCode::kConflict, "shop", "e-mail already registered");
        }
        const std::string id = w.id.empty() ? "S" + std::to_string(held.size() + 1) : w.id;
        held[id] = *w.record;
        return id;
    }
};

class Passthrough final : public connectors::Resolver<Row, Row> {
  public:
    Result<Row> resolve(const Row& row, const std::string&) override { return row; }
};

class BatchTest : public ::testing::Test {
  protected:
    BatchTest() {
        stream_ =
            Stream<Row, Row>{.name = "rows",
                             .system = "rows",
                             .direction = "rows->shop",
                             .source = &source_,
                             .target = &shop_,
                             .resolver = [] { return std::make_unique<Passthrough>(); },
                             .hash = [](const Row& row) { return row.email + "|" + row.name; },
                             .target_key = [](const Row& row) { return row.email; }};
    }
    Result<engine::RunSummary> run() {
        engine::RunContext ctx = t_.context(false, 1);
        MLC_TRY(auto letters, OpenLetters::load(*t_.store, "f"));
        engine::RunSummary summary;
        MLC_CHECK(poll_batched(stream_, shop_, ctx, letters, summary));
        return summary;
    }
    std::optional<store::Binding> binding(const std::string& key) {
        return t_.store->get_binding("f", "rows", key).value();
    }
    std::vector<store::DeadLetter> letters() {
        return t_.store->list_dead_letters("f", store::DeadLetterStatus::kOpen, 100).value();
    }

    Rows source_;
    Shop shop_;
    Stream<Row, Row> stream_;
    testing::TestRun t_;
};

TEST_F(BatchTest, OneCallPerBatchAndARefusedRecordIsParkedAlone) {
    source_.rows = {{"k1", "a@x", "A"}, {"k2", "b@x", "bad"}, {"k3", "c@x", "C"}};
    const auto summary = run();
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(shop_.calls, 2) << "3 records, 2 a call";
    EXPECT_EQ(summary->created, 2);
    EXPECT_EQ(summary->parked, 1);
    ASSERT_EQ(letters().size(), 1u);
    EXPECT_EQ(letters()[0].source_key, "k2");
    EXPECT_EQ(t_.store->get_cursor("f", "rows").value()->value, "3");

    const auto again = run();  // Read again: only the stuck record is tried (and not re-parked).
    ASSERT_TRUE(again);
    EXPECT_EQ(shop_.calls, 3);
    EXPECT_EQ(again->skipped, 2);
    EXPECT_EQ(again->still_parked, 1);
}

TEST_F(BatchTest, ACancelledRowClosesItsTargetOnceAndAnUnwrittenOneIsNeverCreated) {
    stream_.intent = [](const Row& row) {
        return row.cancelled ? Intent{.kind = Intent::kClose, .reason = "cancelled"} : Intent{};
    };
    source_.rows = {{"k1", "a@x", "A"}, {"k2", "b@x", "B", true}, {"k3", "c@x", "C"}};
    const auto first = run();
    ASSERT_TRUE(first) << first.error().describe();
    EXPECT_EQ(first->created, 2);
    EXPECT_EQ(first->skipped, 1) << "k2 was cancelled before it was ever written";
    EXPECT_EQ(shop_.held.size(), 2u);
    EXPECT_EQ(shop_.calls, 1) << "the two writes still share one call";

    source_.rows[0].cancelled = true;  // Cancelled after it was written: closed once.
    const auto second = run();
    ASSERT_TRUE(second) << second.error().describe();
    EXPECT_EQ(shop_.closed, (std::vector<std::string>{"S1"}));
    EXPECT_EQ(second->updated, 1);
    ASSERT_TRUE(run());
    EXPECT_EQ(shop_.closed.size(), 1u) << "a closed record is not closed again";
}

TEST_F(BatchTest, ALostAnswerIsFoundByKeyNeverCreatedTwice) {
    source_.rows = {{"k1", "a@x", "A"}, {"k2", "b@x", "B"}};
    shop_.lose_next_answer = true;
    EXPECT_FALSE(run());
    EXPECT_EQ(binding("k1")->state, store::BindingState::kPending);
    const auto summary = run();
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 2);
    EXPECT_EQ(shop_.held.size(), 2u);
    EXPECT_EQ(binding("k1")->state, store::BindingState::kConfirmed);
}

TEST_F(BatchTest, ACreateRefusedAsADuplicateIsFoundAndUpdated) {
    shop_.held["S1"] = {"hand", "a@x", "Hand-made"};
    source_.rows = {{"k1", "a@x", "A"}};
    const auto summary = run();
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->updated, 1);
    EXPECT_EQ(binding("k1")->target_id, "S1");
    EXPECT_EQ(shop_.held.at("S1").name, "A");
}

TEST_F(BatchTest, TwoRecordsWithOneTargetKeyWriteTheFirstAndParkTheSecond) {
    shop_.adopt = true;
    source_.rows = {{"k1", "a@x", "A"}, {"k2", "a@x", "B"}};
    const auto summary = run();
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_EQ(summary->created, 1);
    EXPECT_EQ(summary->parked, 1);
    EXPECT_EQ(shop_.held.size(), 1u);
    EXPECT_EQ(shop_.held.begin()->second.name, "A") << "the first is never overwritten";
    EXPECT_FALSE(binding("k2"));
    ASSERT_EQ(letters().size(), 1u);
    EXPECT_EQ(letters()[0].error_code, "conflict");
    EXPECT_NE(letters()[0].error_message.find("k1"), std::string::npos);

    source_.rows.push_back({"k3", "a@x", "C"});  // A later run meets it through the store.
    ASSERT_TRUE(run());
    EXPECT_FALSE(binding("k3"));
    EXPECT_EQ(letters().size(), 2u);
}

TEST_F(BatchTest, ReplayWritesTheRecordOrAnswersWithItsError) {
    source_.rows = {{"k1", "a@x", "bad"}};
    ASSERT_TRUE(run());
    Flow flow(nullptr);
    flow.replay_route("rows", [this](const std::string& ref, engine::RunContext& ctx) {
        return replay_batched(stream_, shop_, ref, ctx);
    });
    engine::RunContext ctx = t_.context(false, 1);
    EXPECT_EQ(flow.replay(letters().at(0), ctx).error().code, ErrorCode::kRejected);
    source_.rows[0].name = "A";
    EXPECT_TRUE(flow.replay(letters().at(0), ctx));
    EXPECT_EQ(binding("k1")->target_id, "S1");
}

}  // namespace
}  // namespace mlc::pipeline
