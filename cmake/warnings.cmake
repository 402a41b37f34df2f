# The warning flags of every target: the INTERFACE target oasis_warnings,
# which each target that compiles code links PRIVATE. Errors with
# OASIS_WERROR (on by default when CI is set). oasis_check_warnings(),
# called at the end of the top CMakeLists.txt, fails the configuration when
# a target that compiles sources of its own does not link it (liboasis.so
# and liboasis.a are made of the objects of oasis_objects, which does).
add_library(oasis_warnings INTERFACE)
target_compile_options(oasis_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow
  $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
  $<$<BOOL:${OASIS_WERROR}>:-Werror>)

# The targets of dir and of the directories below it, into the variable out.
function(_oasis_targets_below dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    _oasis_targets_below(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(oasis_check_warnings)
  _oasis_targets_below(${PROJECT_SOURCE_DIR} targets)
  set(missing)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    get_target_property(sources ${t} SOURCES)
    list(FILTER sources EXCLUDE REGEX "^\\$<TARGET_OBJECTS:")
    if(type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$"
       AND sources)
      get_target_property(libs ${t} LINK_LIBRARIES)
      if(NOT libs MATCHES "oasis_warnings")
        list(APPEND missing ${t})
      endif()
    endif()
  endforeach()
  if(missing)
    message(FATAL_ERROR "These targets do not link oasis_warnings: ${missing}")
  endif()
endfunction()
