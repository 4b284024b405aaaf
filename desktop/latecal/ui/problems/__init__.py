"""The Problems panel: what needs the user, and the notices of the session."""
