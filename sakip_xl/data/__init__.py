"""Data shipped with sakip-xl (LKE criteria, sample indicator catalogue)."""
