"""The Textual frontend: a thin view over `tutor.session.Session` (see app.py)."""
