// Result<T, E>: a value or a typed error, in the shape of tl::expected / C++23 std::expected
// (this project is C++20). A function that can fail says why in its type:
//
//     enum class ParseError { Empty, TooLong };
//     Result<Key, ParseError> parse(std::string_view);
//     if (auto k = parse(text)) use(*k); else report(k.error());
//
// Construct the failure with `kiosk::fail(error)` (std::unexpected's role). Result<void, E> is an
// outcome with no value. value() on an error and error() on a value are programming errors:
// they abort through BadResultAccess (an exception, so tests can check it).
#pragma once

#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

namespace kiosk {

// The error wrapper that makes a Result hold an error (std::unexpected).
template <class E>
class Failure {
  public:
    explicit constexpr Failure(E error) : error_(std::move(error)) {}
    constexpr const E& error() const& { return error_; }
    constexpr E&& error() && { return std::move(error_); }

  private:
    E error_;
};

template <class E>
constexpr Failure<std::decay_t<E>> fail(E&& error) {
    return Failure<std::decay_t<E>>(std::forward<E>(error));
}

// Thrown by value() on an error and by error() on a value.
class BadResultAccess : public std::exception {
  public:
    const char* what() const noexcept override { return "kiosk::Result: wrong alternative"; }
};

template <class T, class E>
class [[nodiscard]] Result {
    static_assert(!std::is_reference_v<T> && !std::is_reference_v<E>);

  public:
    using value_type = T;
    using error_type = E;

    template <class U = T, std::enable_if_t<std::is_default_constructible_v<U>, int> = 0>
    constexpr Result() : v_(std::in_place_index<0>) {}
    template <class U = T, std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                !std::is_same_v<std::decay_t<U>, Result> &&
                                                !std::is_same_v<std::decay_t<U>, Failure<E>>,
                                            int> = 0>
    constexpr Result(U&& value) : v_(std::in_place_index<0>, std::forward<U>(value)) {}
    template <class G>
    constexpr Result(const Failure<G>& f) : v_(std::in_place_index<1>, f.error()) {}
    template <class G>
    constexpr Result(Failure<G>&& f) : v_(std::in_place_index<1>, std::move(f).error()) {}

    constexpr bool has_value() const { return v_.index() == 0; }
    constexpr explicit operator bool() const { return has_value(); }

    constexpr T& value() & { return check_value(), std::get<0>(v_); }
    constexpr const T& value() const& { return check_value(), std::get<0>(v_); }
    constexpr T&& value() && { return check_value(), std::move(std::get<0>(v_)); }
    constexpr T& operator*() & { return value(); }
    constexpr const T& operator*() const& { return value(); }
    constexpr T&& operator*() && { return std::move(*this).value(); }
    constexpr T* operator->() { return &value(); }
    constexpr const T* operator->() const { return &value(); }

    constexpr const E& error() const& { return check_error(), std::get<1>(v_); }
    constexpr E&& error() && { return check_error(), std::move(std::get<1>(v_)); }

    template <class U>
    constexpr T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    constexpr T value_or(U&& fallback) && {
        return has_value() ? std::move(std::get<0>(v_)) : static_cast<T>(std::forward<U>(fallback));
    }

  private:
    constexpr void check_value() const {
        if (!has_value()) throw BadResultAccess();
    }
    constexpr void check_error() const {
        if (has_value()) throw BadResultAccess();
    }

    std::variant<T, E> v_;
};

// An outcome without a value: success, or why not.
template <class E>
class [[nodiscard]] Result<void, E> {
  public:
    using value_type = void;
    using error_type = E;

    constexpr Result() = default;
    template <class G>
    constexpr Result(const Failure<G>& f) : error_(f.error()), failed_(true) {}
    template <class G>
    constexpr Result(Failure<G>&& f) : error_(std::move(f).error()), failed_(true) {}

    constexpr bool has_value() const { return !failed_; }
    constexpr explicit operator bool() const { return has_value(); }
    constexpr void value() const {
        if (failed_) throw BadResultAccess();
    }
    constexpr const E& error() const& {
        if (!failed_) throw BadResultAccess();
        return error_;
    }

  private:
    E error_{};
    bool failed_ = false;
};

}  // namespace kiosk
