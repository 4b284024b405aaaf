"""`latecal auth set|status|clear` in-process on the in-memory keyring (the real Secret Service runs in
test_secrets_secretservice.py): exit codes, stdin handling, and the key never printed."""

from __future__ import annotations

import io
import sys

import keyring
import pytest
from keyring.backends import fail

from keyring_doubles import LockedKeyring
from latecal import auth_cli
from latecal.__main__ import main as latecal_main
from latecal.secrets import SERVICE, USERNAME

KEY = "sk_cli_" + "9c" * 30


def run(argv, capsys, monkeypatch, stdin: str = "", tty: bool = False):
    fake = io.StringIO(stdin)
    fake.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", fake)
    code = latecal_main(["auth", *argv])
    out, err = capsys.readouterr()
    assert KEY not in out and KEY not in err
    return code, out, err


def test_set_status_clear(capsys, monkeypatch, mem_keyring):
    code, out, _ = run(["status"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_NO_KEY and "not set" in out

    code, out, _ = run(["set"], capsys, monkeypatch, stdin=f"{KEY}\n")
    assert code == auth_cli.EXIT_OK and "system keyring" in out
    assert mem_keyring.store[(SERVICE, USERNAME)] == KEY

    code, out, _ = run(["status"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_OK
    assert "set; stored in the system keyring" in out and mem_keyring.name in out

    code, out, _ = run(["clear"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_OK and "Removed" in out
    assert mem_keyring.store == {}
    code, out, _ = run(["clear"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_OK and "No Late API key was stored" in out


def test_a_terminal_gets_a_hidden_prompt(capsys, monkeypatch, mem_keyring):
    prompts = []
    monkeypatch.setattr(auth_cli.getpass, "getpass", lambda prompt: prompts.append(prompt) or KEY)
    code, _, _ = run(["set"], capsys, monkeypatch, tty=True)
    assert code == 0 and prompts == ["Late API key (input hidden): "]
    assert mem_keyring.store[(SERVICE, USERNAME)] == KEY


@pytest.mark.parametrize("stdin", ["", "\n  \n", f"{KEY}\n{KEY}\n", "sk_two words\n"])
def test_set_refuses_unusable_input(stdin, capsys, monkeypatch, mem_keyring):
    code, _, err = run(["set"], capsys, monkeypatch, stdin=stdin)
    assert code == auth_cli.EXIT_NO_KEY
    assert "nothing was stored" in err
    assert mem_keyring.store == {}


def test_no_keyring_stores_nothing_and_says_so(capsys, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    code, _, err = run(["set"], capsys, monkeypatch, stdin=KEY)
    assert code == auth_cli.EXIT_NO_KEYRING and "no usable system keyring" in err
    code, out, _ = run(["status"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_NO_KEYRING and "no system keyring" in out
    code, _, err = run(["clear"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_NO_KEYRING


def test_a_locked_keyring_is_exit_3(capsys, monkeypatch):
    keyring.set_keyring(LockedKeyring())
    code, _, err = run(["set"], capsys, monkeypatch, stdin=KEY)
    assert code == auth_cli.EXIT_NO_KEYRING and "locked" in err
    code, out, _ = run(["status"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_NO_KEYRING and "locked" in out
    code, _, err = run(["clear"], capsys, monkeypatch)
    assert code == auth_cli.EXIT_NO_KEYRING and "locked" in err


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        auth_cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for line in ("0  done", "1  status: no key", "2  bad command line", "3  no usable system keyring"):
        assert line in out
    with pytest.raises(SystemExit) as exc:
        auth_cli.main(["set", "--help"])
    assert "exit codes" in capsys.readouterr().out


def test_a_bad_command_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        auth_cli.main(["show"])
    assert exc.value.code == auth_cli.EXIT_USAGE
