"""The tutor's screens: the main one and its modals."""
