// The fold stage (pipeline/fold.hpp): many source records -> one target record, written once per
// group even when a group spans the source's pages, the cursor never past an unwritten group.
#include "pipeline/fold.hpp"

#include <gtest/gtest.h>

#include <map>

#include "pipeline/stream.hpp"
#include "pipeline/testing/test_run.hpp"

namespace mlc::pipeline {
namespace {

using connectors::Record;

struct Line {
    std::string settlement;
    int cents = 0;
    std::string account;  // "" is an unmapped account: the group parks.
};

// Lines in report order, `page` a batch; the position is the index of the next line.
class Lines final : public connectors::Source<Line> {
  public:
    std::vector<Line> lines;
    std::size_t page = 2;
    std::string system() const override { return "market"; }
    Result<std::unique_ptr<connectors::Scan<Line>>> scan(const std::string& position) override {
        class Pass final : public connectors::Scan<Line> {
          public:
            Pass(Lines& s, std::size_t at) : s_(s), at_(at) {}
            Result<connectors::Batch<Line>> next() override {
                connectors::Batch<Line> batch;
                for (; at_ < s_.lines.size() && batch.items.size() < s_.page; ++at_) {
                    batch.items.push_back(
                        {.value = s_.lines[at_], .raw = s_.lines[at_].settlement});
                }
                batch.position = std::to_string(at_);
                batch.more = at_ < s_.lines.size();
                return batch;
            }

          private:
            Lines& s_;
            std::size_t at_;
        };
        return std::unique_ptr<connectors::Scan<Line>>(
            std::make_unique<Pass>(*this, position.empty() ? 0 : std::stoul(position)));
    }
    Result<std::optional<Record<Line>>> get(const std::string&) override {
        return std::optional<Record<Line>>();
    }
    connectors::SourceIdentity identify(const Line& line) const override {
        return {.key = line.settlement, .ref = {}, .replay = {}, .label = {}, .version = {}};
    }
};

struct Journal {
    std::string settlement;
    int total = 0;
    std::size_t lines = 0;
};

class Journals final : public connectors::Target<Journal> {
  public:
    std::map<std::string, Journal> rows;
    int creates = 0;
    std::string system() const override { return "ledger"; }
    std::string ref(const std::string& id) const override { return "ledger:journal:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& key) override {
        if (rows.contains(key)) return std::optional<std::string>(key);
        return std::optional<std::string>();
    }
    Result<std::string> create(const Journal& j) override {
        ++creates;
        rows[j.settlement] = j;
        return j.settlement;
    }
    Result<void> update(const std::string& id, const Journal& j) override {
        rows[id] = j;
        return ok();
    }
    Result<void> close(const std::string&) override { return ok(); }
    std::string describe(const Journal& j) const override {
        return std::to_string(j.lines) + " lines";
    }
};

class ToJournal final : public connectors::Resolver<Group<Line>, Journal> {
  public:
    Result<Journal> resolve(const Group<Line>& group, const std::string&) override {
        Journal out{.settlement = group.key, .total = 0, .lines = group.items.size()};
        for (const auto& line : group.items) {
            if (line.value.account.empty()) {
                return make_error(ErrorCode::kUnresolved, "ledger",
                                  "a line of settlement " + group.key +
                                      " has no GL account: map it, then replay");
            }
            out.total += line.value.cents;
        }
        return out;
    }
};

class FoldTest : public ::testing::Test {
  protected:
    FoldTest()
        : folded_(lines_, FoldRules<Line>{.group_of = [](const Line& l) { return l.settlement; },
                                          .read_group = [this](const std::string& key)
                                              -> Result<std::vector<Record<Line>>> {
                                              std::vector<Record<Line>> out;
                                              for (const Line& l : lines_.lines) {
                                                  if (l.settlement == key)
                                                      out.push_back({l, l.settlement});
                                              }
                                              return out;
                                          },
                                          .label = "settlement"}) {
        stream_ = {.name = "settlements",
                   .system = "market",
                   .direction = "market->ledger",
                   .source = &folded_,
                   .target = &journals_,
                   .resolver = [] { return std::make_unique<ToJournal>(); },
                   .hash = [](const Journal& j) { return std::to_string(j.total); },
                   .pages_per_run = 100};
    }
    engine::RunSummary run() {
        engine::RunContext ctx = t_.context(false, 1);
        auto letters = OpenLetters::load(*t_.store, "f").value();
        engine::RunSummary summary;
        auto done = poll(stream_, ctx, letters, summary);
        EXPECT_TRUE(done) << done.error().describe();
        return summary;
    }

    Lines lines_;
    FoldSource<Line> folded_;
    Journals journals_;
    Stream<Group<Line>, Journal> stream_;
    testing::TestRun t_;
};

TEST_F(FoldTest, EachGroupBecomesOneRecordEvenAcrossPagesAndTheCursorEndsAfterIt) {
    lines_.lines = {{"S1", 100, "4000"}, {"S1", -20, "6000"}, {"S1", 5, "4000"},
                    {"S2", 300, "4000"}, {"S2", 1, "4000"},   {"S2", 2, "4000"},
                    {"S2", 3, "4000"},   {"S3", 7, "4000"},   {"S3", 8, "4000"}};
    const engine::RunSummary summary = run();
    EXPECT_EQ(summary.created, 3);
    EXPECT_EQ(journals_.creates, 3);
    EXPECT_EQ(journals_.rows.at("S1").total, 85);
    EXPECT_EQ(journals_.rows.at("S1").lines, 3u);
    EXPECT_EQ(journals_.rows.at("S2").total, 306);
    EXPECT_EQ(journals_.rows.at("S3").lines, 2u);
    EXPECT_EQ(t_.store->get_cursor("f", "settlements").value()->value, "9");
    EXPECT_EQ(run().created, 0);  // Read again from the end: nothing new, nothing twice.
}

TEST_F(FoldTest, AGroupThatCannotBeWrittenParksWholeAndReplaysWhole) {
    lines_.lines = {{"S1", 100, "4000"}, {"S1", 5, ""}, {"S2", 1, "4000"}};
    const engine::RunSummary summary = run();
    EXPECT_EQ(summary.parked, 1);
    EXPECT_EQ(summary.created, 1);
    auto letters = t_.store->list_dead_letters("f", store::DeadLetterStatus::kOpen, 10).value();
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters.front().source_key, "S1");
    lines_.lines[1].account = "4000";  // The fix; the replay reads the whole group again.
    engine::RunContext ctx = t_.context(false, 2);
    ASSERT_TRUE(replay(stream_, "S1", ctx));
    EXPECT_EQ(journals_.rows.at("S1").total, 105);
}

}  // namespace
}  // namespace mlc::pipeline
