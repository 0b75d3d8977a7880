"""Command-line side of Gongkai: what tasks.py calls. Knows Pelican; the rules stay in gongkai_core."""
