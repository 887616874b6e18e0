// The hall contract (docs/api/hall.yaml) as a checker of HTTP traffic: hall-sim's strict mode
// validates every request it receives and every response it sends with it, and the contract
// tests validate the kiosk client's requests (docs/api/README.md).
//
// The schema language is the subset of OpenAPI 3.0 / JSON Schema the contract uses: $ref (local),
// type (with nullable), enum, required, properties, additionalProperties, items, minItems,
// maxItems, minLength, maxLength (in code points), pattern (ECMAScript), minimum, maximum, allOf
// and format date-time; annotations (description, example, deprecated, ...) are ignored. Any other
// keyword in the document is refused when it is loaded, so the contract cannot start relying on
// a rule this checker would silently skip.
//
// Our own traffic is checked closed-world: an object schema that lists properties and says
// nothing about additionalProperties refuses undeclared fields (JSON Schema would allow them).
// That catches a simulator or a client that sends a field the contract does not document; the
// kiosk's parsers stay open-world, as the compatibility policy in the contract requires.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk::hallsim::contract {

struct Violation {
    std::string where;  // e.g. "takeTicket request $.phone"
    std::string what;
};
std::string describe(const std::vector<Violation>& v, std::size_t at_most = 3);

struct Operation {
    std::string method;  // "get", "post"
    std::string path;    // template below the server URL, e.g. "/guides/{guideId}"
    std::string id;      // operationId
    const nlohmann::json* node = nullptr;
};

// Reads a header of the message checked; nullopt when absent.
using HeaderFn = std::function<std::optional<std::string>(const std::string& name)>;

class Contract {
  public:
    // An OpenAPI 3.0 document as JSON; nullptr and `error` when it is not one this checker can
    // apply fully (bad JSON, a non-local $ref, a keyword it does not implement, a bad pattern).
    static std::unique_ptr<Contract> from_json(std::string_view json, std::string& error);
    // docs/api/hall.yaml as built into this program (tools/contract/contract.py embed).
    static const Contract& hall();

    const std::string& version() const { return version_; }  // info.version
    const std::vector<Operation>& operations() const { return ops_; }
    // Follows local $refs to the node they name; nullptr when one does not resolve.
    const nlohmann::json* resolve(const nlohmann::json& node) const;
    // The named component schema (components/schemas/NAME), or nullptr.
    const nlohmann::json* schema(const std::string& name) const;

    // The operation for METHOD and PATH (below the server URL, no query), and its path
    // parameters; literal segments win over parameters.
    const Operation* match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params = nullptr) const;

    // A value against a schema; `closed`: undeclared object fields are violations.
    void validate(const nlohmann::json& value, const nlohmann::json& schema,
                  const std::string& where, bool closed, std::vector<Violation>& out) const;

    // A whole request: the operation exists, its path and header parameters, its body.
    std::vector<Violation> check_request(std::string_view method, std::string_view path,
                                         const HeaderFn& header, std::string_view body) const;
    // A whole response of that operation: a documented status (or default), its content type,
    // its body.
    std::vector<Violation> check_response(std::string_view method, std::string_view path,
                                          int status, std::string_view content_type,
                                          std::string_view body) const;

  private:
    Contract() = default;
    void check(const nlohmann::json& v, const nlohmann::json& s, const std::string& where,
               bool closed, std::vector<Violation>& out, int depth) const;
    bool load(std::string& error);
    bool scan(const nlohmann::json& schema, const std::string& where, std::string& error,
              int depth);

    nlohmann::json doc_;
    std::string version_;
    std::vector<Operation> ops_;
    std::map<std::string, std::regex> patterns_;  // compiled once at load: checks are const
};

}  // namespace kiosk::hallsim::contract
