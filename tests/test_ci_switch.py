"""CI must not go green by skipping: with ``CI=true`` a missing test dependency fails, in pytest and in
scripts/test.sh; on a developer's machine the same tests are skipped with a reason."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT, in_ci, missing_dependency, read_plan_text
from tests.e2e.conftest import require_chromium


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_ci_true_turns_a_missing_dependency_into_a_failure(monkeypatch, tmp_path, value):
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match=r"CI=true.*Chromium not found"):
        require_chromium(str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception, match=r"CI=true.*plan text not found"):
        read_plan_text(tmp_path / "seed" / "missing.txt")
    with pytest.raises(pytest.fail.Exception, match="PostGIS"):
        missing_dependency("set QDP_TEST_POSTGIS_URL (PostGIS)")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_outside_ci_a_missing_dependency_skips(monkeypatch, tmp_path, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="Chromium not found"):
        require_chromium(str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.skip.Exception, match="plan text not found"):
        read_plan_text(tmp_path / "seed" / "missing.txt")


def test_a_present_dependency_passes_either_way(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    seed = tmp_path / "seed.txt"
    seed.write_text("青岛市 “十四五” 制造业\n高质量发展规划", encoding="utf-8")
    assert read_plan_text(seed) == "青岛市“十四五”制造业高质量发展规划"
    assert require_chromium(str(seed)) == str(seed)  # any existing file stands in for the browser


def _run_require(ci: str | None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin"} | ({"CI": ci} if ci is not None else {})
    script = 'source scripts/_require.sh; missing_dependency "strace not found"; echo went on'
    return subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)


def test_the_test_script_fails_in_ci_and_warns_elsewhere():
    failed = _run_require("true")
    assert failed.returncode == 1 and "went on" not in failed.stdout
    assert "error: strace not found" in failed.stderr and "CI=true" in failed.stderr
    warned = _run_require(None)
    assert warned.returncode == 0 and "went on" in warned.stdout and "warning: strace not found" in warned.stderr
    # every dependency the scripts install goes through that rule
    test_sh = (ROOT / "scripts" / "test.sh").read_text()
    postgis_sh = (ROOT / "scripts" / "_postgis.sh").read_text()
    assert "source scripts/_require.sh" in test_sh
    assert 'missing_dependency "chromium' in test_sh and 'missing_dependency "strace' in test_sh
    assert "missing_dependency" in postgis_sh and "QDP_TEST_POSTGIS_URL" in postgis_sh
