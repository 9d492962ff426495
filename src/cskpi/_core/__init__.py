"""The core every family builds on: errors, input checks, labels, time, results, statistics."""
