#include "core/flows/common.hpp"
#include "core/intents.hpp"

#include "core/flow.hpp"

#include <cstdio>

#include "core/log.hpp"

namespace kiosk::flows {

const std::string& pick(const Core& core, const api::Text& t) {
    return core.lang() == "en" && !t.en.empty() ? t.en : t.zh;
}

std::string error_key(const api::Error& e) {
    using K = api::ErrorKind;
    switch (e.kind) {
        case K::network:
        case K::timeout:
        case K::tls:
        case K::offline:
            return "flow.error.offline";
        case K::not_found:
            return "flow.error.not_found";
        case K::conflict:
            return "flow.error.conflict";
        case K::unauthorized:
            return "flow.error.unauthorized";
        case K::storage:
            return "flow.error.storage";
        case K::invalid_request:
            return "flow.error.invalid";
        default:
            return "flow.error.failed";
    }
}

std::string print_reason_key(PrintFailure reason) {
    return "print.reason." + std::string(to_string(reason));
}

bool valid_mobile(std::string_view d) {
    if (d.size() != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9') return false;
    for (char c : d)
        if (c < '0' || c > '9') return false;
    return true;
}

bool keypad_edit(std::string& typed, std::string_view key, std::size_t max_len) {
    if (key == "del") {
        if (typed.empty()) return false;
        typed.pop_back();
        return true;
    }
    if (key.size() == 1 && key[0] >= '0' && key[0] <= '9' && typed.size() < max_len) {
        typed.push_back(key[0]);
        return true;
    }
    return false;
}

std::string short_time(std::string_view iso) {
    if (iso.size() >= 16 && iso[10] == 'T')
        return std::string(iso.substr(0, 10)) + " " + std::string(iso.substr(11, 5));
    return std::string(iso);
}

std::string yuan(std::int64_t fen) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "¥%lld.%02lld", static_cast<long long>(fen / 100),
                  static_cast<long long>(fen % 100));
    return buf;
}

void show_wait(const Core& core, ViewModel& vm) {
    vm.prompt = core.tr("flow.wait");
    vm.page.push_back(page::text(vm.prompt));
}

void show_failed(const Core& core, ViewModel& vm, const std::string& error_key, bool retry) {
    vm.prompt = core.tr(error_key);
    vm.page.push_back(page::notice(vm.prompt, Tone::Bad, core.tr("flow.error.hint")));
    if (retry) vm.actions.push_back(page::button(core.tr("flow.retry"), intents::retry, {}, true));
}

const Person& take_person(Core& core, const Person& person) {
    auto& data = core.session_mut().data;
    if (data.person) data.person->wipe();
    data.person = person;
    for (const std::string* field : {&person.name, &person.id_number, &person.address})
        if (!field->empty()) log::add_redaction(*field);
    return *data.person;
}

}  // namespace kiosk::flows
