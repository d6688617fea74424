#include "sandbox/ups/ups_address_book.hpp"

#include <array>
#include <cctype>
#include <set>
#include <sstream>
#include <string_view>

#include "sandbox/catalog.hpp"
#include "sandbox/ups/ups_seed.hpp"

namespace mlc::sandbox::ups {
namespace {

struct City {
    std::string_view name;
    std::string_view state;
    std::string_view zip5;
};

constexpr std::array<City, 8> kCities = {{{"LOS ANGELES", "CA", "90012"},
                                          {"SAN DIEGO", "CA", "92101"},
                                          {"SAN FRANCISCO", "CA", "94103"},
                                          {"NEW YORK", "NY", "10001"},
                                          {"BROOKLYN", "NY", "11201"},
                                          {"BUFFALO", "NY", "14202"},
                                          {"ATLANTA", "GA", "30303"},
                                          {"CHICAGO", "IL", "60601"}}};
constexpr std::array<std::string_view, 10> kStreets = {
    "MARKET", "PINE", "MAPLE", "CEDAR", "ELM", "WASHINGTON", "LAKE", "HILL", "SUNSET", "RIVER"};
constexpr std::array<std::string_view, 6> kSuffixes = {"ST", "AVE", "RD", "BLVD", "DR", "LN"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kWords = {{
    {"STREET", "ST"},
    {"AVENUE", "AVE"},
    {"ROAD", "RD"},
    {"BOULEVARD", "BLVD"},
    {"DRIVE", "DR"},
    {"LANE", "LN"},
    {"NORTH", "N"},
    {"SOUTH", "S"},
    {"EAST", "E"},
    {"WEST", "W"},
    {"STR", "ST"},
    {"AV", "AVE"},
    {"BLV", "BLVD"},
    {"DRV", "DR"},
}};

bool is_direction(std::string_view word) {
    return word == "N" || word == "S" || word == "E" || word == "W";
}
bool is_suffix(std::string_view word) {
    for (const auto suffix : kSuffixes) {
        if (suffix == word) return true;
    }
    return false;
}

// A normalized street line split as the book stores it.
struct StreetParts {
    std::string number;
    std::string direction;
    std::string street;
    std::string suffix;
};

StreetParts split(const std::string& line) {
    std::istringstream in(normalize_street(line));
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    StreetParts parts;
    std::size_t first = 0;
    std::size_t last = words.size();
    if (first < last) parts.number = words[first++];
    if (first < last && is_direction(words[first])) parts.direction = words[first++];
    if (last > first + 1 && is_suffix(words[last - 1])) parts.suffix = words[--last];
    for (std::size_t i = first; i < last; ++i) {
        if (!parts.street.empty()) parts.street += ' ';
        parts.street += words[i];
    }
    return parts;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string digits(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) out += c;
    }
    return out;
}

std::string four_digits(std::uint64_t draw) {
    std::string text = std::to_string(draw % 10'000);
    return std::string(4 - text.size(), '0') + text;
}

void add_fixed(std::vector<BookAddress>& entries) {
    entries.push_back({.number = "100",
                       .street = "MAIN",
                       .suffix = "ST",
                       .city = "LOS ANGELES",
                       .state = "CA",
                       .zip5 = "90012",
                       .zip4 = "3308",
                       .country = "US",
                       .commercial = true});
    for (const char* direction : {"N", "S"}) {
        entries.push_back({.number = "200",
                           .direction = direction,
                           .street = "OAK",
                           .suffix = "AVE",
                           .city = "NEW YORK",
                           .state = "NY",
                           .zip5 = "10001",
                           .zip4 = direction[0] == 'N' ? "2101" : "2102",
                           .country = "US"});
    }
    entries.push_back({.number = "55",
                       .street = "CALLE SOL",
                       .city = "SAN JUAN",
                       .state = "PR",
                       .zip5 = "00901",
                       .zip4 = "1402",
                       .urbanization = "URB EL VEDADO",
                       .country = "PR"});
}

}  // namespace

std::string normalize_street(const std::string& text) {
    std::string cleaned;
    for (const char c : upper(text)) cleaned += (c == '.' || c == ',') ? ' ' : c;
    std::istringstream in(cleaned);
    std::string out;
    for (std::string word; in >> word;) {
        for (const auto& [long_form, short_form] : kWords) {
            if (word == long_form) word = std::string(short_form);
        }
        if (!out.empty()) out += ' ';
        out += word;
    }
    return out;
}

std::string BookAddress::line() const {
    std::string out = number;
    if (!direction.empty()) out += " " + direction;
    out += " " + street;
    if (!suffix.empty()) out += " " + suffix;
    return out;
}

std::string BookAddress::region() const { return city + " " + state + " " + zip5 + "-" + zip4; }

AddressBook::AddressBook(std::uint64_t seed, std::size_t catalog_customers) {
    // The shared catalog's customers (sandbox/catalog.hpp), as the Epicor sandbox seeds them;
    // kAmbiguousAddressCustomer's address is the fixed N/S OAK AVE twins'.
    for (std::size_t n = 1; n <= catalog_customers; ++n) {
        if (n == catalog::kAmbiguousAddressCustomer) continue;
        const catalog::Address address = catalog::customer_address(seed, n);
        customers_.push_back({.number = address.number,
                              .street = "MAIN",
                              .suffix = "ST",
                              .city = upper(address.city),
                              .state = address.state,
                              .zip5 = address.zip,
                              .zip4 = four_digits(mix(seed, 72, n)),
                              .country = "US",
                              .commercial = true});
    }
    add_fixed(entries_);
    std::set<std::string> seen;
    for (const auto& entry : entries_) seen.insert(entry.line() + entry.zip5);
    for (std::size_t i = 0; entries_.size() < kSeededEntries + 4 && i < 4 * kSeededEntries; ++i) {
        const auto draw = mix(seed, 71, i);
        const City& city = kCities[draw % kCities.size()];
        BookAddress entry{.number = std::to_string(100 + (draw >> 8) % 98 * 100),
                          .street = std::string(kStreets[(draw >> 16) % kStreets.size()]),
                          .suffix = std::string(kSuffixes[(draw >> 24) % kSuffixes.size()]),
                          .city = std::string(city.name),
                          .state = std::string(city.state),
                          .zip5 = std::string(city.zip5),
                          .zip4 = four_digits(draw >> 32),
                          .country = "US",
                          .commercial = (draw >> 48) % 2 == 0};
        // Every fifth seeded street has N and S twins: without a directional it is ambiguous.
        const bool twins = i % 5 == 0;
        for (const char* direction : {"N", "S"}) {
            BookAddress copy = entry;
            if (twins) copy.direction = direction;
            if (twins && direction[0] == 'S') copy.zip4 = four_digits((draw >> 32) + 1);
            if (!seen.insert(copy.line() + copy.zip5).second) break;
            entries_.push_back(std::move(copy));
            if (!twins) break;
        }
    }
}

AddressMatch AddressBook::match(const AddressQuery& query) const {
    const StreetParts want = split(query.line);
    const std::string zip5 = digits(query.postal_code).substr(0, 5);
    const std::string city = normalize_street(query.city);
    const std::string state = upper(query.state);
    AddressMatch result;
    std::vector<const BookAddress*> all;
    for (const auto& entry : entries_) all.push_back(&entry);
    for (const auto& entry : customers_) all.push_back(&entry);
    for (const BookAddress* known : all) {
        const BookAddress& entry = *known;
        if (entry.number != want.number || entry.street != want.street) continue;
        if (!want.direction.empty() && want.direction != entry.direction) continue;
        if (!want.suffix.empty() && want.suffix != entry.suffix) continue;
        if (!zip5.empty() ? entry.zip5 != zip5 : (entry.city != city || entry.state != state)) {
            continue;
        }
        result.candidates.push_back(&entry);
    }
    result.outcome = result.candidates.empty()       ? AddressOutcome::kNoCandidates
                     : result.candidates.size() == 1 ? AddressOutcome::kValid
                                                     : AddressOutcome::kAmbiguous;
    return result;
}

}  // namespace mlc::sandbox::ups
