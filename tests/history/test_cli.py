"""The history from the command line: yishu load --at --by, versions, diff, compact and
--catalog-as-of on the commands that read the catalog."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.history.files import CLASSIFIED
from yishu.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_history_from_the_command_line(tmp_path, history_files):
    store = str(tmp_path / "s")
    for when, source, folder in history_files:
        r = _run("load", str(folder), "--source", source, "--store", store,
                 "--at", when.isoformat(), "--by", "王五")
        assert r.exit_code == 0, r.output
    refused = _run("load", str(history_files[1][2]), "--source", "district", "--store", store,
                   "--at", "2026-01-01")
    assert refused.exit_code == 2 and "earlier" in refused.output and "早于" in refused.output

    rows = json.loads(_run("versions", "--store", store, "--format", "json").output)
    assert [(r["source"], r["actor"], r["operation"]) for r in rows] == \
        [(s, "王五", "load") for _, s, _ in history_files]
    table = _run("versions", "--source", "small", "--store", store).output
    assert table.count("small") == 2 and "district" not in table

    diff = json.loads(_run("diff", "2026-02-01", "2026-05-01", "--store", store,
                           "--format", "json").output)
    changes = {(c["change"], c["code"]) for d in diff["departments"] for k in d["kinds"]
               for c in k["changes"]}
    assert ("removed", CLASSIFIED) in changes and ("added", "R-MZ-NEW") in changes
    mz = json.loads(_run("diff", "2026-02-01", "2026-05-01", "-d", "YX-MZ", "--store", store,
                         "--format", "json").output)
    assert [d["department"] for d in mz["departments"]] == ["YX-MZ"]
    assert "R-MZ-NEW" in _run("diff", "2026-02-01", "2026-05-01", "--store", store).output

    then = _run("export", "--format", "ntriples", "--catalog-as-of", "2026-02-15",
                "--store", store).output
    now = _run("export", "--format", "ntriples", "--store", store).output
    assert CLASSIFIED in then and CLASSIFIED not in now
    assert "district" in _run("stats", "--catalog-as-of", "2026-02-15", "--store", store).output
    assert "district" not in _run("stats", "--catalog-as-of", "2026-01-20",
                                  "--store", store).output
    audit = json.loads(_run("audit", "--catalog-as-of", "2026-02-15", "--format", "json",
                            "--store", store).output)
    assert audit["as_of"] == "2026-02-15"  # deadlines as of the catalog's own date
    assert audit["scores"] != json.loads(_run("audit", "--as-of", "2026-02-15", "--format",
                                              "json", "--store", store).output)["scores"]

    compacted = _run("compact", "--before", "2026-05-01", "--store", store)
    assert compacted.exit_code == 0 and "1 version(s)" in compacted.output, compacted.output
    assert "compacted" in _run("versions", "--store", store).output
    gone = _run("stats", "--catalog-as-of", "2026-02-15", "--store", store)
    assert gone.exit_code == 2 and "compacted" in gone.output
    bad = _run("diff", "someday", "2026-05-01", "--store", store)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_versions_in_the_deployment_zone_and_the_os_user_as_actor(tmp_path, history_files):
    """Every time is listed in +08:00, however it was recorded (a load stamped now is recorded in
    UTC, the demo's with +08:00); a load without --by records who ran it."""
    import datetime as dt
    import getpass

    store = str(tmp_path / "s")
    (when, source, folder), (_, source2, folder2) = history_files[0], history_files[1]
    utc = when.astimezone(dt.UTC)
    assert _run("load", str(folder), "--source", source, "--store", store,
                "--at", utc.isoformat()).exit_code == 0
    assert _run("load", str(folder2), "--source", source2, "--store", store,
                "--by", "王五").exit_code == 0  # stamped now (UTC)
    rows = json.loads(_run("versions", "--store", store, "--format", "json").output)
    assert [r["actor"] for r in rows] == [getpass.getuser(), "王五"]
    ats = [dt.datetime.fromisoformat(r["at"]) for r in rows]
    assert all(a.utcoffset() == dt.timedelta(hours=8) for a in ats)
    assert ats[0] == utc
    table = _run("versions", "--store", store).output
    assert when.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(
        timespec="seconds") in table
    assert table.count("+08:00") == 2 and "+00:00" not in table
