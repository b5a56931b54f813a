"""Build and publish steps shared by tasks.py, CI and the tests."""
