"""The file a pytest-xdist worker's ``__main__`` names (tests/conftest.py explains why); never run."""
