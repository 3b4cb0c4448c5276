# roster_add_test(NAME core_email_test LAYER core SOURCES email_test.cc DEPS roster_core)
# One GoogleTest executable per unit, registered with CTest test by test.
function(roster_add_test)
  cmake_parse_arguments(ARG "" "NAME;LAYER" "SOURCES;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests
    ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_LAYER})
  roster_configure_target(${ARG_NAME})
  gtest_discover_tests(${ARG_NAME}
    TEST_PREFIX "${ARG_NAME}."
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    # A plain path, not $<TARGET_FILE:roster>: that would make every test wait for the binary.
    # One variable only: gtest_discover_tests splits a list value into separate properties.
    # Tests find tests/data from the working directory (the source root) or $ROSTER_SOURCE_DIR.
    PROPERTIES ENVIRONMENT "ROSTER_BINARY=${PROJECT_BINARY_DIR}/src/roster"
    DISCOVERY_TIMEOUT 60)
endfunction()
