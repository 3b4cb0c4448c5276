# Every Roster target gets the same warnings and, in sanitizer builds, ASan + UBSan.
# Applied per target (roster_configure_target), never through global flags.
function(roster_configure_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  # GCC 12 at -O2/-O3 reports -Wrestrict falsely inside std::string's operator+ (GCC bugs
  # 105329 and 105651, fixed in GCC 13); with -Werror that breaks correct code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(ROSTER_SANITIZE)
    # -O1 -g1 (after the build type's -g): line tables are all a sanitizer report needs, and
    # the objects are 40 % of the size at -O0 -g, which makes the build of the 60 test programs
    # about a third faster and their runs faster too (AddressSanitizer's advice is -O1).
    target_compile_options(${target} PRIVATE
      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g1)
    # With the sanitizers' instrumentation, GCC 12's -Wmaybe-uninitialized fires inside
    # libstdc++ (std::regex's std::function) at -O1; the release build keeps the warning.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# A layer library: src/<layer>/*.cc, includes rooted at src/ so headers read "core/result.h".
function(roster_add_library target)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  roster_configure_target(${target})
endfunction()
