"""The "1.000 công dân số" tracker: real citizens' progress toward the commune's targets, in the
precious ``tracker.db``. Knows nothing of the sandbox."""
