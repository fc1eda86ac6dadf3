"""Meta rules about the suppressions themselves (`pipl-lint: ignore[...]` comments)."""
