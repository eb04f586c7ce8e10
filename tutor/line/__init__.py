"""`tutor --plain`: the same tutor as a line-mode REPL (prompt_toolkit).

For dumb terminals, screen readers and scripts: plain text, no boxes, no cursor
tricks. Everything a learner does goes through the same `Session` as the Textual
tutor; this package only reads lines and prints.
"""
