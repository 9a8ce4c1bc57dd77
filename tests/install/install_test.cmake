# cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DWORK_DIR=... -DMODE=find_package|add_subdirectory -P
# Installs ctnn from BINARY_DIR into a scratch prefix (find_package mode), then configures,
# builds and runs the consumer project against it: README's first program built with -Wall
# -Wextra -Werror through ctnn::native, a program whose SIMD target must be the widest this
# machine has (AVX-512 or AVX2 when the CPU has them), and one built without -march whose build
# must show ctnn's message about the missing AVX2 on x86-64.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
function(run out_var)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed: ${ARGN}\n${out}")
    endif()
    message("${out}")
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# README.md's first program: the first ```cpp block after "## A first program".
file(READ ${SOURCE_DIR}/README.md readme)
string(FIND "${readme}" "## A first program" at)
string(SUBSTRING "${readme}" ${at} -1 readme)
string(REGEX MATCH "```cpp\n([^`]*)```" block "${readme}")
if(NOT block)
    message(FATAL_ERROR "no ```cpp block after '## A first program' in README.md")
endif()
file(WRITE ${WORK_DIR}/readme_program.cpp "${CMAKE_MATCH_1}")

if(MODE STREQUAL "find_package")
    run(ignored ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
    set(how -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
else()
    set(how -DCTNN_SOURCE_DIR=${SOURCE_DIR})
endif()
run(ignored ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/build ${how}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release
    -DREADME_PROGRAM=${WORK_DIR}/readme_program.cpp)
# One job at a time, so that each file's diagnostics stay together in the output.
run(build_output ${CMAKE_COMMAND} --build ${WORK_DIR}/build -j 1)
run(ignored ${WORK_DIR}/build/readme_program)
run(consumer_output ${WORK_DIR}/build/consumer)
run(ignored ${WORK_DIR}/build/portable)

# ctnn::native uses the widest vectors the machine has.
set(expected "")
if(EXISTS /proc/cpuinfo)
    file(READ /proc/cpuinfo cpu)
    if(cpu MATCHES "[ \t]avx512bw[ \n]")
        set(expected "avx512")
    elseif(cpu MATCHES "[ \t]avx2[ \n]")
        set(expected "avx2")
    endif()
endif()
string(REGEX MATCH "arch: ([^\n]*)" arch_line "${consumer_output}")
set(arch "${CMAKE_MATCH_1}")
if(expected AND NOT arch MATCHES "${expected}")
    message(FATAL_ERROR "ctnn::native built for '${arch}' on a machine with ${expected}")
endif()
# Without -march, x86-64 builds say what they miss (the message names the remedy).
if(CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND
   NOT build_output MATCHES "ctnn: this x86-64 build has no AVX2")
    message(FATAL_ERROR "the build without -march did not show ctnn's AVX2 message")
endif()
string(REGEX MATCHALL "ctnn: this x86-64 build has no AVX2" shown "${build_output}")
list(LENGTH shown times)
message("consumer: SIMD target '${arch}', the AVX2 message shown ${times} time(s)")
