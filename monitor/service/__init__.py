"""The scheduled service (``gkwatch serve``): APScheduler 3 with its job store in the archive
database, a lease so only one scheduler runs per database, clean shutdown on SIGTERM."""
