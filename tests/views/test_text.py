from views.text import md


def test_markdown_from_data_cannot_become_an_image_link_or_html():
    hostile = "![x](http://example.com/a.png) [点](javascript:alert(1)) <b>粗</b> **星** `码`"
    escaped = md(hostile)
    assert "![" not in escaped and "](" not in escaped and "<b>" not in escaped and "**" not in escaped
    # every character is still there: escapes only add backslashes
    assert escaped.replace("\\", "") == hostile
