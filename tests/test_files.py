"""Atomic, private files: a failure midway leaves the previous file byte-identical."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from callroom import files
from callroom.files import WriteFailed, atomic_file, atomic_write


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_is_private_and_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        atomic_write(target, "名单,1\n", encoding="utf-8-sig")
    finally:
        os.umask(old)
    assert target.read_bytes() == "名单,1\n".encode("utf-8-sig")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_an_error_midway_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"last good export")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half of a new")
        raise RuntimeError("killed midway")
    assert target.read_bytes() == b"last good export"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_previous_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"{}")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(WriteFailed) as caught:
        atomic_write(target, b"x" * 10_000)
    assert target.read_bytes() == b"{}"
    assert _leftovers(tmp_path) == []
    assert str(target) in str(caught.value) and "disk is full" in str(caught.value)
    assert "磁盘已满" in caught.value.text("zh")


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(WriteFailed) as caught:
        atomic_write(tmp_path / "no" / "such" / "file.csv", "a")
    assert "does not exist" in str(caught.value)


def test_shared_group_files_are_group_readable(tmp_path: Path) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    target = tmp_path / "shared.csv"
    old = os.umask(0o077)
    try:
        atomic_write(target, "a", shared_group=group)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o660
    assert target.stat().st_gid == os.getgid()
