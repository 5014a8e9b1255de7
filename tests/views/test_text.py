from views.text import md


def test_markdown_from_data_cannot_become_an_image_link_or_html():
    hostile = "![x](http://example.com/a.png) [点](javascript:alert(1)) <b>粗</b> **星** `码`"
    escaped = md(hostile)
    assert "![" not in escaped and "](" not in escaped and "<b>" not in escaped and "**" not in escaped
    # every character is still there: escapes only add backslashes
    assert escaped.replace("\\", "") == hostile


def test_stored_utc_times_are_shown_in_local_time(monkeypatch):
    """Issue 12 (9): the workspace showed times in UTC."""
    from views.text import local_time

    assert local_time("2026-11-29T12:05:00+00:00") == "2026-11-29 20:05"  # China Standard Time by default
    monkeypatch.setenv("QDP_TIMEZONE", "Europe/Berlin")
    assert local_time("2026-11-29T12:05:00+00:00") == "2026-11-29 13:05"
    monkeypatch.setenv("QDP_TIMEZONE", "Nowhere/Else")
    assert local_time("2026-11-29T23:30:00+00:00") == "2026-11-30 07:30"  # an unknown zone: the default
    assert local_time(None) == "" and local_time("yesterday") == "yesterday"
