# cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DWORK_DIR=... -DMODE=find_package|add_subdirectory -P
# Installs ctnn from BINARY_DIR into a scratch prefix (find_package mode), then configures,
# builds and runs the consumer project against it.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed: ${ARGN}\n${out}")
    endif()
    message("${out}")
endfunction()
if(MODE STREQUAL "find_package")
    run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix)
    set(how -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
else()
    set(how -DCTNN_SOURCE_DIR=${SOURCE_DIR})
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/build ${how}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
