"""Gongkai core: the domain rules, with no Pelican import."""
