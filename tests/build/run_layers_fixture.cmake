# cmake -DFIXTURE=dir -DWORK=dir -DPLANT=name -DEXPECT=PASS|FAIL -DREGEX=re -DGENERATOR=g -P this
# Configures the fixture project with one planted violation and checks the outcome and message.
file(REMOVE_RECURSE ${WORK})
execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${FIXTURE} -B ${WORK} -G ${GENERATOR} -DPLANT=${PLANT}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("---- configure output (PLANT=${PLANT}, exit ${rc}) ----\n${all}----")
if(EXPECT STREQUAL "FAIL" AND rc EQUAL 0)
    message(FATAL_ERROR "the planted violation '${PLANT}' was not caught")
endif()
if(EXPECT STREQUAL "PASS" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "the clean fixture failed the layer check")
endif()
# CMake wraps long FATAL_ERROR lines: compare with whitespace folded.
string(REGEX REPLACE "[ \t\r\n]+" " " folded "${all}")
string(REGEX REPLACE "[ \t\r\n]+" " " want "${REGEX}")
if(NOT folded MATCHES "${want}")
    message(FATAL_ERROR "expected output matching: ${REGEX}")
endif()
file(REMOVE_RECURSE ${WORK})
