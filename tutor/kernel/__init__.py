"""The sandboxed kernel, seen from the UI process: the protocol and the supervisor.

Nothing here imports TensorFlow; the worker package is the only code that does, and it
runs in another process.
"""
