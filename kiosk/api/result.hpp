// Typed errors and a small result type for everything that talks to the hall.
//
// No exceptions cross this boundary: parsing, transport and storage failures all come back as an
// Error with a kind the core can act on (say "hall unreachable" vs "bad answer" vs "not found").
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kiosk::api {

enum class ErrorKind {
    network,         // could not connect, connection reset, DNS
    timeout,         // connect or total timeout
    tls,             // certificate, pin or handshake failure
    too_large,       // body over the contract's limit
    malformed,       // not JSON / not a PDF / truncated
    contract,        // JSON that does not match the contract (missing field, wrong type, range)
    http,            // an error status from the hall (see http_status and code)
    not_found,       // 404
    conflict,        // 409 (e.g. second evaluation of a transaction)
    unauthorized,    // 401 / 403
    offline,         // hall unreachable and nothing cached
    storage,         // the outbox or cache database failed (full disk, corrupt file)
    cancelled,       // the client shut down before the request finished
    invalid_request  // the caller passed something the contract forbids (not sent)
};

const char* to_string(ErrorKind kind);

struct Error {
    ErrorKind kind = ErrorKind::malformed;
    int http_status = 0;  // 0 when no HTTP status was received
    std::string code;     // the hall's error code (Error.error.code) when it sent one
    std::string detail;   // where and why (a JSON path, a curl message); never personal data

    // Worth trying again later: the hall or the network, not our request.
    bool transient() const;
    std::string describe() const;
};

template <class T>
class Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

struct Unit {};

}  // namespace kiosk::api
