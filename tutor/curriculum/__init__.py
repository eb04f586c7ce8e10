"""The curriculum: lesson files (lessons/) to lesson objects, and math to Unicode.

Knows nothing of kernels, progress or frontends.
"""
