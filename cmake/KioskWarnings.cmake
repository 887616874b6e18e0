# Strict warnings for our own targets only: third-party sources built in place (the ImGui SDL
# renderer backend) go through kiosk_third_party() and are compiled without them.
add_library(kiosk_warnings INTERFACE)
target_compile_options(kiosk_warnings INTERFACE -Wall -Wextra -Wpedantic
    $<$<BOOL:${KIOSK_WERROR}>:-Werror>
    # GCC 12's flow-based warnings report std::variant/std::optional/std::string/std::vector internals as
    # "maybe uninitialized" or "restrict"-violating at -O2/-O3 (false positives, GCC bugs 105562,
    # 105329, 107852); they stay on under clang and in the Debug (sanitizer) build, where they are exact.
    $<$<AND:$<CXX_COMPILER_ID:GNU>,$<NOT:$<CONFIG:Debug>>>:-Wno-maybe-uninitialized -Wno-restrict -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread>)

if(KIOSK_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

if(KIOSK_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "KIOSK_FUZZ needs clang (use the 'fuzz' preset)")
    endif()
    # -fno-sanitize-recover: an undefined-behaviour report is a crash libFuzzer keeps (crash-* file,
    # non-zero exit), never a line in a log while the run stays green.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# kiosk_target(<name>): apply the project's warnings to one of our targets.
function(kiosk_target name)
    target_link_libraries(${name} PRIVATE kiosk_warnings)
endfunction()
