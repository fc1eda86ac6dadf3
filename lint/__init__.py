"""pipl-lint: find personal-information-protection problems in Android apps before they are committed."""

__version__ = "0.6.0"
