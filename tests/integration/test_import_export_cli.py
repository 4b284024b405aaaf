"""`latecal import` and `latecal export` without a window: the --json object and exit codes, good and bad
files, the double import, the CSV round trip, an .ics read back with its zones, and Late's own dry run beside
ours (the demo sandbox and a test sandbox over loopback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from latecal.__main__ import main
from latecal.core.csv_check import ImportChecker
from latecal.core.csv_columns import suggested_mapping
from latecal.core.csv_reading import parse_csv_bytes
from latecal.core.csv_rows import ImportContext
from latecal.core.models import Account, Post, Profile, Target
from latecal.late.client import LateClient
from latecal.paths import resolve
from latecal.store import Store
from latecal.transfer_cli import _Late, _late_dry_run
from sandbox_support import ACCOUNTS, KEY, PROFILE_ID, fresh, module_sandbox, seed_basic

FUTURE = (datetime.now(UTC) + timedelta(days=60)).date()
DEMO_CSV = (
    "post_content,platforms,profiles,schedule_time,tz\n"
    f"Cold brew season starts,twitter,Acme Coffee Roasters,{FUTURE} 09:00,Europe/Berlin\n"
    f"\"We are hiring:\nbaristas wanted\",linkedin,Acme Coffee Roasters,{FUTURE} 10:30,Europe/Berlin\n"
    f"Roastery tour on Saturday,twitter,Acme Coffee Roasters,{FUTURE + timedelta(days=2)} 11:00,Europe/Berlin\n"
)


def run(capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    last = out.strip().splitlines()[-1] if out.strip() else ""
    return code, (json.loads(last) if last.startswith("{") else None), err + out


def test_import_on_the_demo_sandbox_pushes_each_post_once_and_a_second_import_creates_nothing(tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text(DEMO_CSV, encoding="utf-8")
    base = ["--demo", "--data-dir", str(tmp_path / "data")]

    code, out, _ = run(capsys, "import", str(path), "--sync", "--dry-run", "--json", *base)
    assert (code, out) == (0, {"rows": 3, "valid": 3, "imported": 0, "already_imported": 0, "problems": []})
    store_file = resolve(tmp_path / "data", demo=True).store_file
    with Store.open(store_file) as store:
        pulled = store.count()
        assert not any(p.idempotency_key.startswith("latecal-import-") for p in store.all_posts())

    code, out, said = run(capsys, "import", str(path), "--sync", "--json", *base)
    assert (code, out) == (0, {"rows": 3, "valid": 3, "imported": 3, "already_imported": 0, "problems": []})
    assert "Imported: 3 new, 0 already imported." in said
    with Store.open(store_file) as store:
        imported = [p for p in store.all_posts() if p.idempotency_key.startswith("latecal-import-")]
        assert store.count() == pulled + 3
        assert len(imported) == 3 and all(p.late_id for p in imported)  # pushed through the normal outbox
        assert store.outbox_entries() == []
        assert {p.content for p in imported} == {"Cold brew season starts", "We are hiring:\nbaristas wanted",
                                                 "Roastery tour on Saturday"}

    code, out, said = run(capsys, "import", str(path), "--sync", "--json", *base)
    assert (code, out) == (0, {"rows": 3, "valid": 3, "imported": 0, "already_imported": 3, "problems": []})
    assert "Imported: 0 new, 3 already imported." in said
    with Store.open(store_file) as store:
        assert store.count() == pulled + 3  # and the sandbox's pull brought no second copy either


# -- local store, no network ------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "local"
    with Store.open(resolve(d, demo=False).store_file) as store:
        _seed(store)
    return d


def _seed(store: Store) -> None:
    store.replace_profiles([Profile("p-acme", "Acme", timezone="Europe/Berlin", is_default=True)])
    store.replace_accounts([Account("x1", "twitter", "p-acme", username="acme"),
                            Account("li1", "linkedin", "p-acme", username="acme-li")])


GOOD = f"post_content,platforms,schedule_time\nHello,twitter,{FUTURE} 09:00\n"


@pytest.mark.parametrize("data", [
    GOOD.encode("utf-8"),
    b"\xef\xbb\xbf" + GOOD.encode("utf-8"),
    GOOD.encode("utf-16"),
    GOOD.replace("Hello", "Grüße").encode("latin-1"),
    GOOD.replace(",", ";").encode(),
    GOOD.replace(",", "\t").encode(),
    GOOD.replace("Hello", '"Hello\nthere, friends"').encode(),
    ("\n\n" + GOOD.replace("\n", "\n\n")).encode(),  # blank lines
    GOOD.replace("schedule_time\n", "schedule_time,notes\n").replace(":00\n", ":00,kept aside\n").encode(),
], ids=["utf8", "bom", "utf16", "latin1", "semicolon", "tab", "quoted-newline", "blank-lines", "extra-column"])
def test_files_saved_every_usual_way_import(tmp_path, capsys, data_dir, data):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    code, out, _ = run(capsys, "import", str(path), "--json", "--data-dir", str(data_dir))
    assert (code, out["rows"], out["imported"], out["problems"]) == (0, 1, 1, [])


@pytest.mark.parametrize(("text", "row", "column", "words"), [
    (GOOD.replace(":00\n", ":00,stray\n"), 1, "#4", "has 4 cells but the header names 3 columns"),
    ("post_content,platforms\nHello,twitter\n", 1, "schedule_time", "No date and time"),
    ("post_content,schedule_time\nHello,2099-01-01 09:00\n", 1, "platforms", "Choose at least one account"),
    (GOOD + "Second,mastodon,2099-01-01 09:00\n", 2, "platforms", "'mastodon' is not a platform"),
    (GOOD + "Past,twitter,2020-01-01 09:00\n", 2, "schedule_time", "is in the past"),
    (GOOD + GOOD.splitlines()[1] + "\n", 2, "", "Row 2 repeats row 1"),
], ids=["extra-cell", "missing-time-column", "missing-platform-column", "unknown-platform", "past", "repeated"])
def test_rows_with_problems_exit_1_naming_row_and_column_and_write_nothing(tmp_path, capsys, data_dir, text, row,
                                                                         column, words):
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    code, out, said = run(capsys, "import", str(path), "--json", "--data-dir", str(data_dir))
    assert code == 1 and out["imported"] == 0
    hit = [p for p in out["problems"] if p["row"] == row and p["column"] == column]
    assert hit and words in hit[0]["message"], out["problems"]
    assert f"Row {row}" in said
    with Store.open(resolve(data_dir, demo=False).store_file) as store:
        assert store.count(include_deleted=True) == 0  # nothing half-imported


@pytest.mark.parametrize(("data", "words"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a CSV text file"),
    (b"", "empty"),
    (b'post_content,platforms\n"open quote,twitter\n', "missing its closing quote"),
], ids=["binary", "empty", "broken-quote"])
def test_a_file_that_cannot_be_read_exits_2(tmp_path, capsys, data_dir, data, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    code, out, said = run(capsys, "import", str(path), "--json", "--data-dir", str(data_dir))
    assert code == 2 and out["rows"] == 0 and words in out["problems"][0]["message"]
    assert "Cannot import bad.csv" in said


def test_dry_run_writes_nothing_and_timezone_and_profile_options_apply(tmp_path, capsys, data_dir):
    path = tmp_path / "in.csv"
    path.write_text(f"content,platforms,scheduledFor\nHi,linkedin,{FUTURE} 09:00\n", encoding="utf-8")
    argv = ["import", str(path), "--json", "--data-dir", str(data_dir), "--timezone", "Asia/Tokyo",
            "--profile", "Acme"]
    code, out, said = run(capsys, *argv, "--dry-run")
    assert (code, out["valid"], out["imported"]) == (0, 1, 0)
    assert "Dry run: 1 of 1 rows would be imported" in said
    code, out, _ = run(capsys, *argv)
    assert (code, out["imported"]) == (0, 1)
    with Store.open(resolve(data_dir, demo=False).store_file) as store:
        (post,) = store.all_posts()
    assert post.timezone == "Asia/Tokyo" and post.scheduled_for.astimezone(UTC).hour == 0


def test_export_csv_imports_back_to_the_same_posts_and_ics_reads_back_with_its_zones(tmp_path, capsys, data_dir):
    when = datetime.combine(FUTURE, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
    with Store.open(resolve(data_dir, demo=False).store_file) as store:
        store.save_post(Post(content="Both, \"quoted\"\nand two lines", title="Launch", scheduled_for=when,
                             timezone="America/New_York", status="scheduled", hashtags=["coffee"],
                             targets=[Target("twitter", "x1", custom_content="X words"),
                                      Target("linkedin", "li1", scheduled_for=when + timedelta(hours=3))]))
        store.save_post(Post(content="Berlin morning", scheduled_for=when + timedelta(days=1),
                             timezone="Europe/Berlin", status="scheduled", targets=[Target("twitter", "x1")]))
        originals = sorted(store.all_posts(), key=lambda p: p.scheduled_for)
    csv_out = tmp_path / "out.csv"
    code, _, said = run(capsys, "export", "--format", "csv", "--out", str(csv_out), "--data-dir", str(data_dir))
    assert code == 0 and "Exported 2 posts" in said

    other = tmp_path / "other"
    with Store.open(resolve(other, demo=False).store_file) as store:
        _seed(store)
    code, out, _ = run(capsys, "import", str(csv_out), "--json", "--data-dir", str(other))
    assert (code, out["imported"]) == (0, 2)
    with Store.open(resolve(other, demo=False).store_file) as store:
        back = sorted(store.all_posts(), key=lambda p: p.scheduled_for)
    for a, b in zip(originals, back, strict=True):
        assert (a.content, a.title, a.hashtags, a.timezone, a.scheduled_for, a.status) == (
            b.content, b.title, b.hashtags, b.timezone, b.scheduled_for, b.status)
        assert [(t.platform, t.account_id, t.custom_content, t.scheduled_for) for t in a.targets] == [
            (t.platform, t.account_id, t.custom_content, t.scheduled_for) for t in b.targets]

    ics = tmp_path / "out.ics"
    args = ["export", "--format", "ics", "--out", str(ics), "--data-dir", str(data_dir), "--from", str(FUTURE),
            "--to", str(FUTURE + timedelta(days=3))]
    assert run(capsys, *args)[0] == 0
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3  # the first post's two platform times are two events
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == {"America/New_York", "Europe/Berlin"}
    first = events[0]
    assert first.decoded("dtstart") == when and first.decoded("dtstart").tzinfo.key == "America/New_York"
    assert str(first["summary"]) == "Launch"
    assert str(first["description"]).startswith("Both, \"quoted\"\nand two lines\n#coffee\n\nX @acme:\nX words")
    assert str(first["description"]).endswith("Accounts: X @acme")  # the LinkedIn target has its own event
    assert first["categories"].cats == ["Scheduled"]
    assert events[1].decoded("dtstart") == when + timedelta(hours=3)
    assert str(events[1]["description"]).endswith("Accounts: LinkedIn @acme-li")
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 3
    assert run(capsys, *args)[0] == 0  # exported again: the same UIDs, so a calendar updates its events
    again = icalendar.Calendar.from_ical(ics.read_bytes())
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(uids)


def test_export_filters_by_status_and_profile(tmp_path, capsys, data_dir):
    when = datetime.combine(FUTURE, datetime.min.time(), tzinfo=UTC)
    with Store.open(resolve(data_dir, demo=False).store_file) as store:
        for text, status in (("Planned", "scheduled"), ("Idea", "draft")):
            store.save_post(Post(content=text, scheduled_for=when, status=status, targets=[Target("twitter", "x1")]))
    out = tmp_path / "drafts.csv"
    assert run(capsys, "export", "--format", "csv", "--out", str(out), "--status", "draft", "--profile", "Acme",
               "--data-dir", str(data_dir))[0] == 0
    assert "Idea" in out.read_text() and "Planned" not in out.read_text()
    assert run(capsys, "export", "--format", "csv", "--out", str(out), "--profile", "Other",
               "--data-dir", str(data_dir))[0] == 0
    assert out.read_text().count("\n") == 1  # the header only


# -- Late's own check beside ours --------------------------------------------------------------------------------

_shared = module_sandbox(api_keys=(KEY,))


@pytest.fixture
def sandbox(_shared):
    yield from fresh(_shared, seed_basic)


@pytest.mark.asyncio
async def test_lates_dry_run_reports_its_row_errors_beside_ours(sandbox):
    # Here the Threads account still looks connected; Late knows it is not (seed_basic disconnects it).
    accounts = {ACCOUNTS["twitter"]: Account(ACCOUNTS["twitter"], "twitter", PROFILE_ID, username="acme"),
                ACCOUNTS["threads"]: Account(ACCOUNTS["threads"], "threads", PROFILE_ID, username="acme.th")}
    profiles = [Profile(PROFILE_ID, "Acme", timezone="Europe/Berlin", is_default=True)]
    table = parse_csv_bytes((f"post_content,platforms,schedule_time\nFine,twitter,{FUTURE} 09:00\n"
                             f"Threads,threads,{FUTURE} 10:00\n").encode())
    checker = ImportChecker(table, suggested_mapping(table.header),
                            ImportContext(accounts, profiles, datetime.now(UTC), "Europe/Berlin"))
    checker.check_all()
    assert checker.problems() == []  # our rules pass both rows
    client = LateClient(KEY, sandbox.base_url)
    late = await _late_dry_run(_Late(client), checker, checker.ctx)
    await client.aclose()
    assert [(p.row, p.message) for p in late] == [(2, "Late: account disconnected threads")]
    assert sandbox.stats()["requests"].get("POST /v1/posts/bulk-upload") == 1
    assert sandbox.stats()["postsTotal"] == 0  # a dry run creates nothing


def test_a_hootsuite_file_without_a_header_line_imports_its_first_line_too(tmp_path, capsys, data_dir):
    from latecal.operations import importing

    us_day = f"{FUTURE:%m/%d/%Y}"
    path = tmp_path / "hootsuite.csv"
    path.write_text(f"{us_day} 09:00,Spring is here,https://acme.example/spring\n"
                    f"{us_day} 15:30,Second post,\n", encoding="utf-8")
    argv = ["import", str(path), "--json", "--data-dir", str(data_dir)]
    code, out, said = run(capsys, *argv)
    # Hootsuite's rows name no platform: each row says so by its column, the mapping step is asked for
    assert (code, out["rows"], out["imported"]) == (1, 2, 0)
    assert {(p["row"], p["column"]) for p in out["problems"]} == {(1, "platforms"), (2, "platforms")}
    assert "Map a column to Platforms" in said

    path.write_text(f"{us_day} 09:00,Spring is here,https://acme.example/spring,twitter\n"
                    f"{us_day} 15:30,Second post,,twitter\n", encoding="utf-8")
    table = importing.read_file(path)
    assert table.header == ("Date", "Message", "Link", "Column 4")
    with Store.open(resolve(data_dir, demo=False).store_file) as store:  # what the window's mapping step keeps
        mapping = importing.remembered_mapping(store, table.header)
        assert mapping == {"Date": "schedule_time", "Message": "post_content", "Link": "link", "Column 4": ""}
        importing.remember_mapping(store, table.header, {**mapping, "Column 4": "platforms"})
    code, out, _ = run(capsys, *argv)
    assert (code, out["imported"], out["problems"]) == (0, 2, [])
    with Store.open(resolve(data_dir, demo=False).store_file) as store:
        first = min(store.all_posts(), key=lambda p: p.scheduled_for)
    assert first.content == "Spring is here\n\nhttps://acme.example/spring"
    assert first.scheduled_for.astimezone(ZoneInfo("Europe/Berlin")).strftime("%m/%d/%Y %H:%M") == f"{us_day} 09:00"


def test_import_and_export_load_no_qt(tmp_path, data_dir):
    import subprocess
    import sys

    path = tmp_path / "in.csv"
    path.write_text(GOOD, encoding="utf-8")
    code = (f"import sys; from latecal.__main__ import main; "
            f"a = main(['import', {str(path)!r}, '--dry-run', '--data-dir', {str(data_dir)!r}]); "
            f"b = main(['export', '--format', 'ics', '--out', {str(tmp_path / 'x.ics')!r}, '--data-dir', "
            f"{str(data_dir)!r}]); "
            "print(a, b, any(m.startswith('PySide6') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 0 False"
