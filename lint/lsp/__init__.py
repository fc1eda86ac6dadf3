"""The language server (`pipl-lint server`), on pygls: one module per feature.

- `settings.py` — `initializationOptions` → `ServerSettings` + `Config` (bad values: a message, defaults);
- `convert.py` — pure converters: findings → diagnostics, edits → text edits, positions;
- `state.py` — the server object and the project-wide analysis it keeps (run in a worker thread);
- `diagnostics.py` — analyse on open and save (debounced), publish per open document;
- `actions.py` — code actions: the finding's fix, and a suppression comment;
- `hover.py` — the rule's explanation over a reported range.
"""
