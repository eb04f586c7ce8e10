"""The sandboxed process: the fork server and the kernels it forks.

The only code of the tutor that imports TensorFlow. Confined before TensorFlow is
imported (confine.py); runs the learner's cells (cell.py) and checks (checking.py).
"""
