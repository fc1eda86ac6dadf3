"""sdk-provider: what an SDK (a published library module) owes the host apps that embed it."""
