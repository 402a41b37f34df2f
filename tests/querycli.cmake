# test_querycli runs the two programs.
add_dependencies(test_querycli oasis-index oasis-query)
