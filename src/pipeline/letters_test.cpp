// OpenLetters (letters.hpp): which records count as "failing again as their letter says", for
// letters read from the store and for records parked by this run, and the bound on what one run
// remembers.
#include "pipeline/letters.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::pipeline {
namespace {

constexpr const char* kRecord = R"({"orderKey":"K1","items":[{"sku":"SKU-1","quantity":2}]})";
constexpr const char* kError = "part P1 is inactive in Epicor: activate it, then replay";

// Not "K" + std::to_string(i): GCC 12's false -Wrestrict at -O3 (bug 105651).
std::string key(std::size_t i) { return fmt::format("K{}", i); }

TEST(OpenLetters, AStoredLetterIsTheSameOnlyWithTheSameRecordAndTheSameError) {
    auto store = store::SqliteStateStore::open(":memory:").value();
    store::DeadLetter letter;
    letter.flow = "f";
    letter.source_system = "shipstation";
    letter.source_key = "K1";
    letter.record_json = kRecord;
    letter.error_code = "unresolved";
    letter.error_message = kError;
    const auto id = store->put_dead_letter(letter);
    ASSERT_TRUE(id);
    auto letters = OpenLetters::load(*store, "f").value();

    EXPECT_EQ(letters.find("shipstation", "K1"), *id);
    EXPECT_TRUE(letters.same("shipstation", "K1", kRecord, kError));
    EXPECT_FALSE(letters.same("shipstation", "K1", std::string(kRecord) + " ", kError));
    EXPECT_FALSE(letters.same("shipstation", "K1", kRecord, std::string(kError) + "."));
    // The record and the error cannot trade bytes and still match.
    EXPECT_FALSE(letters.same("shipstation", "K1", std::string(kRecord) + "p",
                              std::string(kError).substr(1)));
    EXPECT_FALSE(letters.same("shipstation", "K2", kRecord, kError));

    letters.forget("shipstation", "K1");
    EXPECT_FALSE(letters.same("shipstation", "K1", kRecord, kError));
    EXPECT_FALSE(letters.find("shipstation", "K1"));
}

TEST(OpenLetters, ARecordParkedByThisRunIsTheSameUntilItChanges) {
    auto store = store::SqliteStateStore::open(":memory:").value();
    auto letters = OpenLetters::load(*store, "f").value();

    letters.note("shipstation", "K1", kRecord, kError);
    EXPECT_TRUE(letters.same("shipstation", "K1", kRecord, kError));
    EXPECT_EQ(letters.find("shipstation", "K1"), 0);  // Its id is known once committed.

    letters.note("shipstation", "K1", kRecord, "another error");
    EXPECT_FALSE(letters.same("shipstation", "K1", kRecord, kError));
    EXPECT_TRUE(letters.same("shipstation", "K1", kRecord, "another error"));
}

TEST(OpenLetters, ARunRemembersABoundedNumberOfRecordsItParked) {
    auto store = store::SqliteStateStore::open(":memory:").value();
    auto letters = OpenLetters::load(*store, "f").value();
    for (std::size_t i = 0; i < kNotedLettersMax; ++i) {
        letters.note("shipstation", key(i), kRecord, kError);
    }
    letters.note("shipstation", "one-too-many", kRecord, kError);

    EXPECT_TRUE(letters.same("shipstation", key(0), kRecord, kError));
    EXPECT_TRUE(letters.same("shipstation", key(kNotedLettersMax - 1), kRecord, kError));
    // Not remembered: seen again in this run, it is parked again (still one open letter).
    EXPECT_FALSE(letters.same("shipstation", "one-too-many", kRecord, kError));
    // One already remembered still follows its newest error.
    letters.note("shipstation", key(0), kRecord, "changed");
    EXPECT_TRUE(letters.same("shipstation", key(0), kRecord, "changed"));
}

}  // namespace
}  // namespace mlc::pipeline
