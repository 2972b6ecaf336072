"""The recorder: send a plan's requests, keep what the API answered as reviewable snapshots."""
