"""Reading and writing plan files: the extension decides the format; bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from cruscotto.core.plan import Organisation, Plan
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import dump_path, dumps, load_path


def small_plan() -> Plan:
    return Plan(Organisation("Camera di Commercio di Milano Monza Brianza Lodi"),
                "Piano della Performance 2021-2023", [2021, 2022, 2023])


def test_it_refuses_an_extension_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "piano.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError) as caught:
        load_path(path)
    assert caught.value.file == str(path)
    assert caught.value.expected == "a file ending in .json, .yaml or .yml"
    with pytest.raises(InputError):
        dump_path(small_plan(), tmp_path / "piano.txt")
    assert not (tmp_path / "piano.txt").exists()


def test_it_says_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_path(tmp_path / "manca.yaml")
    missing = tmp_path / "manca.yaml"
    assert str(caught.value) == f"{missing}: cannot read the file: No such file or directory"


def test_it_refuses_a_file_not_saved_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "piano.yaml"
    text = dumps(small_plan(), "yaml").replace("title: Piano", "title: Competitività Piano")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_path(path)
    assert caught.value.line == text.splitlines().index("title: Competitività Piano della "
                                                        "Performance 2021-2023") + 1
    assert caught.value.message.startswith("not UTF-8 text (byte 0xe0")


def test_it_accepts_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    for name in ("piano.json", "piano.yaml"):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + dumps(small_plan(), path.suffix[1:]).encode())
        assert load_path(path) == small_plan()


def test_it_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "piano.yml"
    path.write_text("old content that is much longer than the new one\n" * 100, "utf-8")
    dump_path(small_plan(), path)
    assert path.read_text("utf-8") == dumps(small_plan(), "yaml")
    assert load_path(path) == small_plan()
