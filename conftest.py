import os

# Tests run with the development defaults (DEBUG on, so no SECRET_KEY is needed); Django's test runner still
# executes requests with DEBUG off.
os.environ.setdefault("DEBUG", "1")
