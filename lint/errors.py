"""Expected failures that end a command with a one-line message and exit code 2."""


class UsageError(Exception):
    """Bad flags, unknown rules, invalid configuration: the message is shown as is."""
