# Export of a network as a constexpr C++ header (ctnn/serialize/export_header.hpp) and constant
# inference (ctnn/network/constexpr_predict.hpp).
#   ctnn_serialize_export_tests  the Boost suite export_header_test
#   ctnn_export_generator        run during the build: exports three networks into export/ here
#                                (one with a user's own activation and layer,
#                                tests/support/user_policies.hpp), with their network::predict
#                                outputs
#   ctnn_export_consumer         #includes those headers (a static_assert on a prediction);
#                                the CTest test serialize_export/consumer runs it and compares
#                                its networks' predictions with the generator's bit for bit
ctnn_add_test_area(serialize_export export_header_test.cpp)

add_executable(ctnn_export_generator ${CMAKE_CURRENT_LIST_DIR}/export/generator.cpp)
ctnn_project_target(ctnn_export_generator)
target_compile_options(ctnn_export_generator PRIVATE ${CTNN_TEST_OPTIMIZATION})
target_include_directories(ctnn_export_generator PRIVATE ${PROJECT_SOURCE_DIR}/tests)

set(ctnn_export_dir ${CMAKE_CURRENT_BINARY_DIR}/export)
set(ctnn_export_headers ${ctnn_export_dir}/digits_model.hpp ${ctnn_export_dir}/small_model.hpp
    ${ctnn_export_dir}/user_model.hpp ${ctnn_export_dir}/expected_small.hpp)
add_custom_command(
    OUTPUT ${ctnn_export_headers} ${ctnn_export_dir}/expected.bin
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ctnn_export_dir}
    COMMAND ctnn_export_generator ${ctnn_export_dir}
    DEPENDS ctnn_export_generator
    COMMENT "Exporting the test networks as C++ headers"
    VERBATIM)

# The generated headers are sources of the consumer: it is rebuilt whenever they change.
add_executable(ctnn_export_consumer ${CMAKE_CURRENT_LIST_DIR}/export/consumer.cpp
    ${ctnn_export_headers})
ctnn_project_target(ctnn_export_consumer)
target_compile_options(ctnn_export_consumer PRIVATE ${CTNN_TEST_OPTIMIZATION})
target_include_directories(ctnn_export_consumer PRIVATE ${ctnn_export_dir}
    ${PROJECT_SOURCE_DIR}/tests)

add_test(NAME serialize_export/consumer
    COMMAND ctnn_export_consumer ${ctnn_export_dir}/expected.bin)
set_tests_properties(serialize_export/consumer PROPERTIES LABELS serialize)
