#pragma once
// Result<T>: a T or an Error. Mirrors the API of C++23 std::expected (value(), error(),
// has_value(), operator bool, operator*, operator->, value_or) so it can be swapped for it later.
// See error.hpp for the policy of when to return an Error and when to assert.

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/error.hpp"

namespace mlc {

[[noreturn]] void die_bad_result_access(const Error& error);

template <typename T>
class [[nodiscard]] Result {
  public:
    using value_type = T;
    Result(const T& value) : data_(std::in_place_index<0>, value) {}  // NOLINT: implicit by design
    Result(T&& value) : data_(std::in_place_index<0>, std::move(value)) {}    // NOLINT
    Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
    template <typename U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result<T>>)
        Result(U&& value)
        : data_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

    bool has_value() const { return data_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        check();
        return std::get<0>(data_);
    }
    const T& value() const& {
        check();
        return std::get<0>(data_);
    }
    T&& value() && {
        check();
        return std::get<0>(std::move(data_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    template <typename U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
    }

    const Error& error() const& { return std::get<1>(data_); }
    Error& error() & { return std::get<1>(data_); }
    Error&& error() && { return std::get<1>(std::move(data_)); }

  private:
    void check() const {
        if (!has_value()) die_bad_result_access(std::get<1>(data_));
    }
    std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    using value_type = void;
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    void value() const {
        if (!ok_) die_bad_result_access(error_);
    }
    const Error& error() const& { return error_; }
    Error& error() & { return error_; }
    Error&& error() && { return std::move(error_); }

  private:
    Error error_;
    bool ok_ = true;
};

inline Result<void> ok() { return {}; }

// Adds a context line to an error travelling up: "while writing order 1234 to Epicor".
inline Error with_context(Error error, std::string context) {
    error.context.push_back(std::move(context));
    return error;
}

}  // namespace mlc

#define MLC_CONCAT_INNER(a, b) a##b
#define MLC_CONCAT(a, b) MLC_CONCAT_INNER(a, b)

// MLC_TRY(auto order, client.get_order(id));  -- declares `order` or returns the error.
#define MLC_TRY(decl, expr)                                                                        \
    auto MLC_CONCAT(mlc_try_, __LINE__) = (expr);                                                  \
    if (!MLC_CONCAT(mlc_try_, __LINE__)) return std::move(MLC_CONCAT(mlc_try_, __LINE__)).error(); \
    decl = std::move(MLC_CONCAT(mlc_try_, __LINE__)).value()

// MLC_TRY_CTX(auto id, write(order), "while writing order " + key);
#define MLC_TRY_CTX(decl, expr, ctx)                                                        \
    auto MLC_CONCAT(mlc_try_, __LINE__) = (expr);                                           \
    if (!MLC_CONCAT(mlc_try_, __LINE__))                                                    \
        return ::mlc::with_context(std::move(MLC_CONCAT(mlc_try_, __LINE__)).error(), ctx); \
    decl = std::move(MLC_CONCAT(mlc_try_, __LINE__)).value()

// MLC_CHECK(store.commit_page(page));  -- for Result<void>.
#define MLC_CHECK(expr)                                                    \
    do {                                                                   \
        auto mlc_check_result = (expr);                                    \
        if (!mlc_check_result) return std::move(mlc_check_result).error(); \
    } while (0)

#define MLC_CHECK_CTX(expr, ctx)                                                  \
    do {                                                                          \
        auto mlc_check_result = (expr);                                           \
        if (!mlc_check_result)                                                    \
            return ::mlc::with_context(std::move(mlc_check_result).error(), ctx); \
    } while (0)
