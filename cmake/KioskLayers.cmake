# The layering rule (docs/ARCHITECTURE.md), checked at generate time over every target's whole
# link closure (PUBLIC, PRIVATE and INTERFACE links, followed through our own libraries), so a
# new dependency cannot sneak a layer in:
#
#   base (kiosk_base, kiosk_crypto, kiosk_codes, kiosk_sqlite)  <-  drivers  <-  core  <-  ui  <-  app
#
#   - no driver library links kiosk_core or anything else above the base layer;
#   - kiosk_core links no driver, no UI library, no presentation or network library;
#   - kiosk_ui links no driver.
#
# kiosk_check_layers() is called once, at the end of the top directory (the root CMakeLists
# defers it). It stops the configuration with FATAL_ERROR naming the target, the forbidden
# library and the chain that brought it in, and writes ${CMAKE_BINARY_DIR}/kiosk_layers.txt with
# what it checked. tests/build/ plants violations in a throwaway project to show it fails.
include_guard(GLOBAL)

# Driver libraries: the device layer (and its wire-level simulators).
set(KIOSK_LAYER_DRIVERS
    "^(kiosk_drivers_common|kiosk_idcard.*|kiosk_printer.*|kiosk_locker.*|kiosk_scanner.*|kiosk_escpos)$")
# Below the drivers: what every layer may link. kiosk_warnings is the warning flags.
set(KIOSK_LAYER_BASE "^(kiosk_base|kiosk_crypto|kiosk_codes|kiosk_sqlite|kiosk_warnings)$")
# Libraries the core must never reach (the former kiosk_assert_no_link rule).
set(KIOSK_LAYER_CORE_FORBIDDEN_EXTERNAL "SDL2|IMGUI|imgui|CURL|curl")

# The link items of `target` (LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES), with the
# $<LINK_ONLY:x> wrapper CMake puts around a static library's private links removed.
function(_kiosk_direct_links target out)
    set(_items "")
    get_target_property(_type ${target} TYPE)
    if(NOT _type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(_libs ${target} LINK_LIBRARIES)
        if(_libs)
            list(APPEND _items ${_libs})
        endif()
    endif()
    get_target_property(_ilibs ${target} INTERFACE_LINK_LIBRARIES)
    if(_ilibs)
        list(APPEND _items ${_ilibs})
    endif()
    set(_clean "")
    foreach(_i IN LISTS _items)
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _i "${_i}")
        if(NOT _i STREQUAL "")
            list(APPEND _clean "${_i}")
        endif()
    endforeach()
    list(REMOVE_DUPLICATES _clean)
    set(${out} "${_clean}" PARENT_SCOPE)
endfunction()

# Every item in the link closure of `target`, as "item<TAB>chain" pairs in ${out}_ITEMS and
# ${out}_CHAINS (parallel lists; a chain reads "a -> b -> c"). Our own targets are followed
# (imported targets are leaves: their names are what the rule matches).
function(_kiosk_link_closure target out)
    set(_seen "")
    set(_chains "")
    set(_queue "${target}")
    set(_queue_chains "${target}")
    while(_queue)
        list(POP_FRONT _queue _t)
        list(POP_FRONT _queue_chains _c)
        _kiosk_direct_links(${_t} _links)
        foreach(_l IN LISTS _links)
            if(_l IN_LIST _seen)
                continue()
            endif()
            list(APPEND _seen "${_l}")
            list(APPEND _chains "${_c} -> ${_l}")
            if(TARGET ${_l})
                get_target_property(_imported ${_l} IMPORTED)
                if(NOT _imported)
                    list(APPEND _queue "${_l}")
                    list(APPEND _queue_chains "${_c} -> ${_l}")
                endif()
            endif()
        endforeach()
    endwhile()
    set(${out}_ITEMS "${_seen}" PARENT_SCOPE)
    set(${out}_CHAINS "${_chains}" PARENT_SCOPE)
endfunction()

function(_kiosk_all_targets dir out)
    get_property(_t DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    get_property(_subs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    foreach(_s IN LISTS _subs)
        _kiosk_all_targets(${_s} _st)
        list(APPEND _t ${_st})
    endforeach()
    set(${out} "${_t}" PARENT_SCOPE)
endfunction()

# Appends "target must not link item (layer rule), via chain" to ${errors} for every item of
# target's closure that matches `regex`, or (INVERT) every kiosk_ target that does not.
function(_kiosk_layer_rule target regex why errors)
    cmake_parse_arguments(R "INVERT" "" "" ${ARGN})
    _kiosk_link_closure(${target} _cl)
    set(_errs ${${errors}})
    foreach(_item _chain IN ZIP_LISTS _cl_ITEMS _cl_CHAINS)
        if(R_INVERT)
            if(NOT _item MATCHES "^kiosk_" OR _item MATCHES "${regex}")
                continue()
            endif()
        elseif(NOT _item MATCHES "${regex}")
            continue()
        endif()
        list(APPEND _errs "  ${target} must not link ${_item}: ${why}\n    (via ${_chain})")
    endforeach()
    set(${errors} "${_errs}" PARENT_SCOPE)
endfunction()

function(kiosk_check_layers)
    _kiosk_all_targets(${CMAKE_SOURCE_DIR} _all)
    set(_errors "")
    set(_checked "")
    foreach(_t IN LISTS _all)
        if(_t MATCHES "${KIOSK_LAYER_DRIVERS}")
            _kiosk_layer_rule(${_t} "${KIOSK_LAYER_DRIVERS}|${KIOSK_LAYER_BASE}"
                "a driver links only drivers and the base layer (base/)"
                _errors INVERT)
            list(APPEND _checked "${_t}: drivers and base only")
        endif()
    endforeach()
    if(TARGET kiosk_core)
        _kiosk_layer_rule(kiosk_core "${KIOSK_LAYER_DRIVERS}"
            "the core links no driver (shared code belongs in base/)" _errors)
        _kiosk_layer_rule(kiosk_core "^kiosk_ui"
            "the core is UI-free" _errors)
        _kiosk_layer_rule(kiosk_core "${KIOSK_LAYER_CORE_FORBIDDEN_EXTERNAL}"
            "the core is UI- and network-free" _errors)
        list(APPEND _checked "kiosk_core: no driver, no UI, no SDL/ImGui/curl")
    endif()
    if(TARGET kiosk_ui)
        _kiosk_layer_rule(kiosk_ui "${KIOSK_LAYER_DRIVERS}"
            "the UI links no driver (shared code belongs in base/)" _errors)
        list(APPEND _checked "kiosk_ui: no driver")
    endif()
    list(LENGTH _checked _n)
    if(_errors)
        list(JOIN _errors "\n" _msg)
        file(WRITE ${CMAKE_BINARY_DIR}/kiosk_layers.txt "FAILED\n${_msg}\n")
        message(FATAL_ERROR "Layer rule broken (cmake/KioskLayers.cmake, docs/ARCHITECTURE.md):\n${_msg}")
    endif()
    list(JOIN _checked "\n" _report)
    file(WRITE ${CMAKE_BINARY_DIR}/kiosk_layers.txt "OK ${_n} targets\n${_report}\n")
    message(STATUS "Layer rule: ${_n} targets checked, no violation")
endfunction()
