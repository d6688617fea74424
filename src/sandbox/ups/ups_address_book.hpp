#pragma once
// AddressBook: the street addresses the emulator's Address Validation knows (US and Puerto Rico),
// fixed entries every seed has plus seeded ones, and the matching that decides an outcome:
//   * the street line names one known address (house number, street name, and when given the
//     directional and suffix; STREET/AVENUE/NORTH... read as ST/AVE/N) in the given ZIP (or city
//     and state when no ZIP): valid, one candidate in standard form (upper case, suffix
//     abbreviated, ZIP+4), which may differ from the input (a corrected address);
//   * it names several (a street with N and S twins and no directional in the input): ambiguous,
//     every match a candidate;
//   * none: no candidates.
// The shared catalog's customers' addresses are known too (sandbox/catalog.hpp).
// Fixed entries: "100 MAIN ST" LOS ANGELES CA 90012 (commercial), "200 N OAK AVE" and
// "200 S OAK AVE" NEW YORK NY 10001 (residential twins), "55 CALLE SOL" SAN JUAN PR 00901
// (residential, urbanization URB EL VEDADO).
//
// Lifecycle: built once from the seed, read-only afterwards. Thread safety: const after
// construction. Ownership: owns its entries.

#include <cstdint>
#include <string>
#include <vector>

namespace mlc::sandbox::ups {

struct BookAddress {
    std::string number = {};     // "200"
    std::string direction = {};  // "", "N", "S"
    std::string street = {};     // "OAK", "CALLE SOL"
    std::string suffix = {};     // "AVE", "" for PR calles
    std::string city = {};
    std::string state = {};  // Two letters; "PR" for Puerto Rico
    std::string zip5 = {};
    std::string zip4 = {};
    std::string urbanization = {};  // Puerto Rico only
    std::string country = {};       // "US" or "PR"
    bool commercial = false;

    std::string line() const;    // "200 N OAK AVE"
    std::string region() const;  // "NEW YORK NY 10001-1234"
};

struct AddressQuery {
    std::string line = {};  // First AddressLine
    std::string city = {};
    std::string state = {};
    std::string postal_code = {};  // "90012" or "90012-1234" or "900121234"
};

enum class AddressOutcome { kValid, kAmbiguous, kNoCandidates };

struct AddressMatch {
    AddressOutcome outcome = AddressOutcome::kNoCandidates;
    std::vector<const BookAddress*> candidates = {};
};

class AddressBook {
  public:
    static constexpr std::size_t kSeededEntries = 40;

    // `catalog_customers`: the shared catalog's customers whose addresses it also knows
    // (sandbox/catalog.hpp; the Epicor sandbox's customers at the same volume).
    explicit AddressBook(std::uint64_t seed, std::size_t catalog_customers = 0);

    const std::vector<BookAddress>& entries() const { return entries_; }
    AddressMatch match(const AddressQuery& query) const;
    // A seeded address for seeded shipments (index modulo the book size).
    const BookAddress& at(std::size_t index) const { return entries_[index % entries_.size()]; }

  private:
    std::vector<BookAddress> entries_;
    std::vector<BookAddress> customers_;  // The catalog's; matched, never handed out by at().
};

// Upper case, punctuation dropped, spaces collapsed, STREET -> ST, NORTH -> N, ...
std::string normalize_street(const std::string& text);

}  // namespace mlc::sandbox::ups
