"""The lesson validator's parts: what to check, how to run it in kernels, how to report it.

`tutor.validate.main` is the command; `answer.check_answer` is shared with `tutor check`
so the validator proves exactly what a learner will see.
"""
