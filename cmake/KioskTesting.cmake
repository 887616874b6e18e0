include(doctest)

# One doctest main shared by every test executable.
add_library(kiosk_doctest_main STATIC ${CMAKE_CURRENT_LIST_DIR}/doctest_main.cpp)
target_link_libraries(kiosk_doctest_main PUBLIC doctest::doctest)
# Helpers every test may share (tests/common: TempDir ...).
target_include_directories(kiosk_doctest_main PUBLIC ${PROJECT_SOURCE_DIR}/tests)

# hall-sim's strict contract mode in tests (sim/hall/hallsim.hpp, docs/api/README.md): each
# simulator checks all its traffic against docs/api/hall.yaml and appends its counts to one file;
# contract.strict_reset empties it before the tests and contract.strict_summary adds it up after
# them (the hall_contract fixture, tests/contract).
set(KIOSK_CONTRACT_COUNTS ${PROJECT_BINARY_DIR}/contract-counts.txt)
# One variable (a doctest-discovered test's ENVIRONMENT keeps one entry only): "1", or the file the
# counts go to.
set(KIOSK_STRICT_CONTRACT_ENV HALLSIM_STRICT_CONTRACT=${KIOSK_CONTRACT_COUNTS})
# kiosk_strict_contract(<test>...): the same for tests added with add_test.
function(kiosk_strict_contract)
    foreach(_t ${ARGN})
        set_property(TEST ${_t} APPEND PROPERTY ENVIRONMENT ${KIOSK_STRICT_CONTRACT_ENV})
        set_property(TEST ${_t} APPEND PROPERTY FIXTURES_REQUIRED hall_contract)
    endforeach()
endfunction()

# kiosk_add_test(<area> SOURCES ... [LIBS ...] [ENVIRONMENT k=v ...]): a test executable
# test_<area>; each doctest case becomes its own ctest test. Name cases "<area>.<what>" so
# `ctest -R <area>` runs one area.
function(kiosk_add_test area)
    cmake_parse_arguments(T "" "" "SOURCES;LIBS;ENVIRONMENT" ${ARGN})
    set(exe test_${area})
    add_executable(${exe} ${T_SOURCES})
    kiosk_target(${exe})
    target_link_libraries(${exe} PRIVATE kiosk_doctest_main ${T_LIBS})
    target_compile_definitions(${exe} PRIVATE
        KIOSK_SOURCE_DIR="${PROJECT_SOURCE_DIR}" KIOSK_BINARY_DIR="${PROJECT_BINARY_DIR}")
    # Every test runs any hall simulator it starts in strict contract mode (kiosk_strict_contract).
    set(_env ${KIOSK_STRICT_CONTRACT_ENV} ${T_ENVIRONMENT})
    string(REPLACE ";" "\\;" _env "${_env}")
    set(_props TIMEOUT 300 ENVIRONMENT "${_env}" FIXTURES_REQUIRED hall_contract)
    doctest_discover_tests(${exe} WORKING_DIRECTORY ${PROJECT_BINARY_DIR} PROPERTIES ${_props})
endfunction()

# kiosk_add_fuzzer(<name> SOURCES ... [LIBS ...] [CORPUS dir]): a libFuzzer target, built only
# with -DKIOSK_FUZZ=ON (the 'fuzz' preset). tools/test.sh runs each for a bounded time.
add_custom_target(fuzzers)
function(kiosk_add_fuzzer name)
    if(NOT KIOSK_FUZZ)
        return()
    endif()
    cmake_parse_arguments(F "" "CORPUS" "SOURCES;LIBS" ${ARGN})
    add_executable(fuzz_${name} ${F_SOURCES})
    kiosk_target(fuzz_${name})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${name} PRIVATE ${F_LIBS})
    add_dependencies(fuzzers fuzz_${name})
    if(F_CORPUS)
        file(APPEND ${PROJECT_BINARY_DIR}/fuzzers.txt "fuzz_${name} ${F_CORPUS}\n")
    else()
        file(APPEND ${PROJECT_BINARY_DIR}/fuzzers.txt "fuzz_${name} -\n")
    endif()
endfunction()
if(KIOSK_FUZZ)
    file(WRITE ${PROJECT_BINARY_DIR}/fuzzers.txt "")
endif()

# kiosk_add_subdirs(): add every child directory that has a CMakeLists.txt, so each area owns
# its own build file and nobody edits a shared list to add one.
macro(kiosk_add_subdirs)
    file(GLOB _children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
        ${CMAKE_CURRENT_SOURCE_DIR}/*)
    list(SORT _children)
    foreach(_child ${_children})
        if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${_child}
           AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_child}/CMakeLists.txt)
            add_subdirectory(${_child})
        endif()
    endforeach()
endmacro()
