"""One module per `accel` subcommand (see harness/cli.py)."""
