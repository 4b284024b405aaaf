"""What the window says about its link to Late and the API key: the key's status (never the key), where it is
kept, and what happened when it was set, replaced or removed. Keyrings are named as ``latecal.secrets`` reports
them: ``backend`` is "system", "locked" or "memory"."""

from __future__ import annotations

NO_KEY = ("No Late API key is set, so your posts are shown from this computer only. Set one in "
          "File ▸ Settings… (or with “latecal auth set”), or try the demo with “latecal --demo”.")
PAUSED_FOR_KEY = ("Syncing is paused until Late accepts a key: set a new one in File ▸ Settings…. "
                  "Your local changes are kept.")
KEY_SAVED_IN_DEMO = ("The key is saved. The demo keeps running; start Late Calendar without --demo to use your "
                     "own account.")
KEY_REMOVED = "The Late API key was removed."
CHECKING_KEYRING = "Checking the keyring…"


def demo_did_not_start(error: object) -> str:
    return f"The demo server could not start: {error}"


def cannot_connect(error: object) -> str:
    return f"Cannot connect to Late: {error}"


def connected(*, in_memory: bool) -> str:
    where = ("kept in memory for this session only (no usable system keyring)" if in_memory
             else "saved in your system keyring")
    return f"Connected to Late; the key is {where}. Syncing now."


def could_not_remove(error: object) -> str:
    return f"Could not remove the API key: {error}."


def key_status(backend: str, keyring: str, *, has_key: bool) -> str:
    """Settings' line on the key: whether one is set and where it is kept."""
    if not has_key:
        return {
            "system": f"Not set. A new key is stored in your system keyring ({keyring}).",
            "locked": f"Unknown: your system keyring ({keyring}) is locked.",
            "memory": "Not set. No system keyring is available, so a key is kept in memory for this session only.",
        }[backend]
    if backend == "system":
        return f"Set, stored in your system keyring ({keyring})."
    if backend == "locked":
        return f"Set for this session only: your system keyring ({keyring}) is locked."
    return "Set for this session only: no system keyring is available, so it is kept in memory."


def keyring_note(backend: str, keyring: str) -> str:
    """The key dialog's note on where a key it checks will be kept."""
    if backend == "system":
        return f"The key is stored in your system keyring ({keyring}), never in a file."
    if backend == "locked":
        return (f"Your system keyring ({keyring}) is locked. Unlock it and choose “Read keyring again”, "
                "or paste the key to use it for this session only.")
    return ("No system keyring is available on this computer, so the key is kept in memory for this "
            "session only and asked for again next time. It is never written to a file.")


def went_wrong(what: str, *, background: bool) -> str:
    """An error the app did not expect, shown instead of a traceback (the details go to the log)."""
    lead = "A background task failed" if background else "Something went wrong"
    return f"{lead}: {what}. Details are in the log file."


CHECKING_KEY = "Checking the key with Late…"
KEYRING_LOCKED_AFTER_CHECK = ("Late accepted the key, but your system keyring is locked, so the key could not be "
                              "saved. Unlock the keyring and press Connect again, or use the key for this session "
                              "only (it is then asked for again next time).")


def still_no_key(*, locked: bool) -> str:
    return ("Still no key: the keyring is locked or holds no Late key." if locked
            else "The keyring is open but holds no Late key yet. Paste one above.")


def setting_not_valid(name: str, reason: str = "") -> str:
    return f"{name} is not valid{': ' + reason if reason else ''}."
