"""The session's side of grading: what the learner ran, and the program a check re-runs.

The kernel side (the grader and answer forks) is tutor.kernel.grading and the worker's
answer.py, reference.py and judge.py.
"""
