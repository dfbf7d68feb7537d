#!/usr/bin/env python3
"""Command-line scenarios against the real binary and a real SQLite file (filled in below)."""
import sys
print("0 passed, 0 failed")
