"""Editions: dated snapshots of the atlas, and what changed between them."""
