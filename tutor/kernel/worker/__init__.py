"""The sandboxed process: the fork server and the kernels it forks.

The only code of the tutor that imports TensorFlow. Confined before TensorFlow is
imported (confine.py). A fork is a learner's kernel that runs their cells (cell.py), an
answer fork that re-runs an answer for grading (answer.py), or a grader that computes the
exercise's own values (reference.py) and judges answers sent to it as data (judge.py).
"""
