# CTNN_SANITIZE: sanitizers for the project's own targets, e.g. "address;undefined" (the asan
# preset) or "thread" (tsan). Any report stops the program, so a test that trips one fails.
set(CTNN_SANITIZE "" CACHE STRING
    "Sanitizers for tests, examples and benchmarks (address;undefined, thread)")

# ctnn_project_target(<target>): the settings of the project's own targets (tests, examples,
# benchmarks). Users of ctnn::ctnn get none of them.
function(ctnn_project_target target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # GCC 12 warns inside its own avx512fintrin.h when inlining xsimd's AVX-512 code
        # (GCC bug 105593, "__Y is used uninitialized"); the warning is about the compiler's
        # header, not our code.
        # GCC 12 at -O3 also reports impossible overlaps inside std::string's operator+
        # (GCC bug 105651, -Wrestrict false positive).
        target_compile_options(${target} PRIVATE -Wno-uninitialized -Wno-restrict)
    endif()
    if(CTNN_MARCH)
        target_compile_options(${target} PRIVATE -march=${CTNN_MARCH})
        # The project chose its SIMD target (SSE4.2 on purpose in the sse preset): no message.
        target_compile_definitions(${target} PRIVATE CTNN_NO_ARCH_MESSAGE=1)
    endif()
    if(CTNN_SIMD_SCALAR)
        target_compile_definitions(${target} PRIVATE CTNN_SIMD_SCALAR=1)
    endif()
    if(CTNN_SANITIZE)
        list(JOIN CTNN_SANITIZE "," sanitizers)
        target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
    endif()
    target_link_libraries(${target} PRIVATE ctnn::ctnn)
endfunction()
