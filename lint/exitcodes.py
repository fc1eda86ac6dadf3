"""Exit codes, in one place. Never reuse a retired number."""

OK = 0  # nothing at or above the failing severity
FINDINGS = 1  # findings at or above the failing severity
ERROR = 2  # usage, configuration or internal error
