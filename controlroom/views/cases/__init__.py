"""Case handling screens: the case panel, the sign-off dialog and the sign-off queues."""
