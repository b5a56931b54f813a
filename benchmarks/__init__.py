"""Side-by-side timings against plain Pelican (run by `invoke bench`, never by the tests)."""
