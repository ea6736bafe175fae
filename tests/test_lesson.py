"""Lesson files: round trip, atomic save, clear errors for bad files, code never run; trust."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradviz.core.errors import InputError
from gradviz.core.lesson.files import (
    LESSON_SCHEMA,
    MAX_LESSON_BYTES,
    Lesson,
    LessonError,
    LessonFunction,
    Translation,
    ViewSettings,
    function_request,
    lesson_to_json,
    load_lesson,
    parse_lesson,
    save_lesson,
)
from gradviz.core.lesson.trust import TrustStore, code_digest, default_trust_path
from gradviz.core.runtime.options import BuildOptions
from gradviz.core.runtime.request import BuildRequest, Expression, LessonCode

MLP = "import torch\nw = torch.ones(2, requires_grad=True)\noutput = (w * w).sum()\n"


def full_lesson() -> Lesson:
    """A lesson that uses every field."""
    return Lesson(
        title="Chain rule",
        language="en",
        notes="First line\n\n**bold** second paragraph",
        view=ViewSettings(theme="presentation", show_saved=False, show_attrs=True, rankdir="LR"),
        functions=[
            LessonFunction(
                title="A polynomial", expression="5*x**3 + 2*x**2 + 4*x + 8",
                variables=["x=2.0"], constants=["c=[1, 2]"], dtype="float64", seed=7,
                reduce="sum", runs=2, notes="See how x.grad adds up.",
                step_notes={0: "forward done", 3: "4 → x", 12: "end"},
                translations={"fr": Translation(title="Un polynôme", step_notes={3: "4 → x"})},
            ),
            LessonFunction(title="Code", code=MLP),
        ],
        translations={"fr": Translation(title="Règle de dérivation en chaîne", notes="Note")},
    )


def write(tmp_path: Path, data: bytes | str, name: str = "lesson.gradviz.json") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def lesson_text(**changes) -> str:
    data = {"schema": LESSON_SCHEMA, "title": "T", "functions": [{"expression": "x*x",
                                                                   "variables": ["x=2.0"]}]}
    data.update(changes)
    return json.dumps(data)


def load_error(path) -> LessonError:
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert isinstance(info.value, InputError)
    return info.value


# -- round trip and atomic save ---------------------------------------------------------------

def test_save_then_load_gives_an_equal_lesson(tmp_path):
    lesson = full_lesson()
    path = tmp_path / "chain.gradviz.json"
    save_lesson(lesson, path)
    loaded = load_lesson(path)
    assert loaded == lesson
    assert loaded.source == str(path) and loaded.unknown_keys == []
    assert lesson_to_json(loaded) == path.read_text(encoding="utf-8")
    assert not (tmp_path / "chain.gradviz.json.bak").exists()


def test_long_texts_are_written_as_lines_and_code_is_kept_byte_for_byte(tmp_path):
    lesson = full_lesson()
    lesson.functions[1].code = "a = 1\r\nb = 2\n\n"
    data = json.loads(lesson_to_json(lesson))
    assert data["notes"] == ["First line", "", "**bold** second paragraph"]
    assert parse_lesson(lesson_to_json(lesson)).functions[1].code == "a = 1\r\nb = 2\n\n"


def test_saving_again_keeps_the_previous_version_as_bak(tmp_path):
    path = tmp_path / "chain.gradviz.json"
    save_lesson(full_lesson(), path)
    first = path.read_bytes()
    changed = full_lesson()
    changed.title = "Chain rule, second edition"
    save_lesson(changed, path)
    assert (tmp_path / "chain.gradviz.json.bak").read_bytes() == first
    assert load_lesson(path).title == "Chain rule, second edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.gradviz.json",
                                                         "chain.gradviz.json.bak"]


@pytest.mark.parametrize("fail_on", ["every replace", "the final replace"])
def test_a_failed_save_leaves_the_original_intact_and_no_temp_file(tmp_path, monkeypatch,
                                                                   fail_on):
    path = tmp_path / "chain.gradviz.json"
    save_lesson(full_lesson(), path)
    original = path.read_bytes()
    real_replace = os.replace

    def broken_replace(src, dst):
        if fail_on == "every replace" or Path(dst) == path:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", broken_replace)
    changed = full_lesson()
    changed.title = "Never written"
    with pytest.raises(OSError):
        save_lesson(changed, path)
    assert path.read_bytes() == original
    assert {p.name for p in tmp_path.iterdir()} <= {"chain.gradviz.json", "chain.gradviz.json.bak"}


def test_save_refuses_a_lesson_it_could_not_open_again(tmp_path):
    lesson = full_lesson()
    lesson.functions[0].runs = 0
    with pytest.raises(LessonError) as info:
        save_lesson(lesson, tmp_path / "bad.gradviz.json")
    assert info.value.code == "lesson_invalid" and info.value.params["field"] == "functions[0].runs"
    assert list(tmp_path.iterdir()) == []


# -- bad files ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code, words", [
    ('{"schema": "gradviz.lesson/1", "title" "T"}', "lesson_malformed", "line 1, column 40"),
    ('{"schema": "gradviz.lesson/1",\n  "title": "T",,\n}', "lesson_malformed", "line 2"),
    ('{"schema": "gradviz.lesson/1", "title": "T", "title": "U"}', "lesson_not_json", "twice"),
    ('{"schema": "gradviz.lesson/1", "title": NaN}', "lesson_not_json", "NaN"),
    ("", "lesson_truncated", "empty"),
    ('{"schema": "gradviz.lesson/1", "title": "T", "functions": [{"expr', "lesson_truncated",
     "cut off"),
    ('{"schema": "gradviz.lesson/1", "title": "T", "functions": [', "lesson_truncated",
     "cut off"),
    ('{"schema": "gradviz.lesson/2", "title": "T"}', "lesson_wrong_version",
     "format gradviz.lesson/2"),
    ('{"title": "T", "functions": []}', "lesson_not_a_lesson", 'no "schema"'),
    ('{"schema": "gradviz.snapshot/1"}', "lesson_not_a_lesson", "gradviz.snapshot/1"),
    ("[1, 2]", "lesson_not_a_lesson", "not a gradviz lesson"),
])
def test_a_bad_file_gives_a_clear_error(tmp_path, text, code, words):
    error = load_error(write(tmp_path, text))
    assert error.code == code
    assert words in error.message and "lesson.gradviz.json" in error.message
    if code == "lesson_wrong_version":
        assert "this gradviz reads gradviz.lesson/1" in error.message


def test_a_truncated_save_is_reported_as_cut_off(tmp_path):
    text = lesson_to_json(full_lesson())
    for cut in (len(text) // 3, len(text) // 2, len(text) - 3):
        assert load_error(write(tmp_path, text[:cut])).code == "lesson_truncated"


@pytest.mark.parametrize("changes, field, words", [
    ({"title": 3}, "title", "a non-empty text, not the number 3"),
    ({"title": ""}, "title", "non-empty"),
    ({"notes": {"a": 1}}, "notes", "a text or a list of lines"),
    ({"language": "French"}, "language", "a language code"),
    ({"view": {"theme": "blue"}}, "view.theme", '"light", "dark", "presentation" or null'),
    ({"view": {"show_saved": "yes"}}, "view.show_saved", "true, false or null"),
    ({"view": []}, "view", "an object"),
    ({"functions": {}}, "functions", "a list of functions"),
    ({"functions": []}, "functions", "at least one function"),
    ({"functions": [{"expression": "x"}, {"expression": "x", "variables": ["x=1", 2]}]},
     "functions[1].variables[1]", 'a text like "x=2.0"'),
    ({"functions": [{"expression": "x", "variables": ["2.0"]}]}, "functions[0].variables[0]",
     "name=value"),
    ({"functions": [{"expression": "x", "runs": True}]}, "functions[0].runs", "not true"),
    ({"functions": [{"expression": "x", "runs": 99}]}, "functions[0].runs", "from 1 to 10"),
    ({"functions": [{"expression": "x", "seed": -1}]}, "functions[0].seed", "whole number"),
    ({"functions": [{"expression": "x", "dtype": "float16"}]}, "functions[0].dtype", "float32"),
    ({"functions": [{"expression": "x", "reduce": "max"}]}, "functions[0].reduce", '"sum"'),
    ({"functions": [{"expression": "x", "step_notes": {"three": "t"}}]},
     "functions[0].step_notes.three", "step number"),
    ({"functions": [{"expression": "x", "step_notes": {"3": 4}}]}, "functions[0].step_notes.3",
     "a text"),
    ({"functions": [{"expression": "x", "code": "y"}]}, "functions[0]", "one of them"),
    ({"functions": [{"title": "neither"}]}, "functions[0]", "one of them"),
    ({"functions": [{"code": "x", "variables": ["x=1"]}]}, "functions[0].variables",
     "code makes its own tensors"),
    ({"functions": [{"expression": "x", "translations": {"fr": {"title": 1}}}]},
     "functions[0].translations.fr.title", "a non-empty text"),
    ({"translations": {"Français": {}}}, "translations.Français", "a language code"),
])
def test_a_field_of_the_wrong_type_names_the_field(tmp_path, changes, field, words):
    error = load_error(write(tmp_path, lesson_text(**changes)))
    assert error.code == "lesson_invalid"
    assert error.params["field"] == field
    assert f"`{field}`" in error.message and words in error.message


def test_a_missing_required_field_is_named(tmp_path):
    text = json.dumps({"schema": LESSON_SCHEMA, "functions": [{"expression": "x"}]})
    error = load_error(write(tmp_path, text))
    assert (error.code, error.params["field"]) == ("lesson_invalid", "title")
    assert "missing" in error.message


def test_non_utf8_file_names_the_line(tmp_path):
    data = f'{{"schema": "{LESSON_SCHEMA}",\n"title": "café"}}'.encode("latin-1")
    error = load_error(write(tmp_path, data))
    assert error.code == "lesson_not_utf8"
    assert "(line 2)" in error.message and "byte 0xe9" in error.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    assert load_lesson(write(tmp_path, b"\xef\xbb\xbf" + lesson_text().encode())).title == "T"


def test_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.gradviz.json"
    with open(path, "wb") as handle:  # sparse: 8 GiB that would take long to read
        handle.truncate(8 * 2**30)
    error = load_error(path)
    assert error.code == "lesson_too_large"
    assert f"at most {MAX_LESSON_BYTES // 2**20} MB" in error.message


def test_a_directory_and_a_missing_file(tmp_path):
    folder = tmp_path / "folder.gradviz.json"
    folder.mkdir()
    error = load_error(folder)
    assert error.code == "lesson_not_a_file" and "is a folder" in error.message
    error = load_error(tmp_path / "nope.gradviz.json")
    assert error.code == "lesson_not_found" and "nope.gradviz.json" in error.message
    assert load_error(tmp_path / "nope" / "x.gradviz.json").code == "lesson_not_found"


def test_unknown_keys_are_listed_kept_and_written_back(tmp_path):
    text = lesson_text(future={"a": 1}, view={"theme": "dark", "glow": True})
    data = json.loads(text)
    data["functions"][0]["colour"] = "red"
    lesson = parse_lesson(json.dumps(data))
    assert lesson.unknown_keys == ["view.glow", "functions[0].colour", "future"]
    again = json.loads(lesson_to_json(lesson))
    assert again["future"] == {"a": 1} and again["view"]["glow"] is True
    assert again["functions"][0]["colour"] == "red"


# -- code is never run by opening -------------------------------------------------------------

def test_opening_a_lesson_never_runs_its_code(tmp_path):
    """Every job opening a lesson can make runs in a real worker: the code's marker stays
    absent until --allow-code, and then appears (so the check would see a run)."""
    from gradviz.core.runtime.job import snapshot_job
    from gradviz.core.runtime.worker import EvaluationWorker

    marker = tmp_path / "ran.txt"
    code = f"open({str(marker)!r}, 'w').write('ran')\nimport torch\n" + MLP
    lesson = Lesson(title="T", functions=[LessonFunction(expression="x*x", variables=["x=2"]),
                                          LessonFunction(title="Code", code=code)])
    path = tmp_path / "evil.gradviz.json"
    save_lesson(lesson, path)
    loaded = load_lesson(path)
    loaded.localized("fr")
    refused, built = [], []
    with EvaluationWorker(timeout=60) as worker:
        worker.start()
        for fn in loaded.functions:
            try:
                request = function_request(fn, allow_code=False, view=loaded.view)
            except LessonError as err:
                refused.append(err)
                continue
            built.append(worker.run(snapshot_job, request).output.value)
        assert not marker.exists(), "opening the lesson ran its code"
        assert built == [4.0]
        (err,) = refused
        assert err.code == "lesson_code_not_trusted"
        assert "--allow-code" not in err.message  # the window's text names no flag
        assert "--allow-code" in err.format() and "Run code from this lesson" in err.format()
        allowed = function_request(loaded.functions[1], allow_code=True)
        assert allowed == BuildRequest(LessonCode(code, "Code"),
                                       options=BuildOptions(runs=1, reduction=None))
        assert worker.run(snapshot_job, allowed).output.value == 2.0
    assert marker.read_text() == "ran"


def test_expression_request_carries_the_function_and_the_view():
    lesson = full_lesson()
    request = function_request(lesson.functions[0], allow_code=False, view=lesson.view)
    assert request == BuildRequest(
        Expression("5*x**3 + 2*x**2 + 4*x + 8", ("x=2.0",), ("c=[1, 2]",)),
        dtype="float64", seed=7,
        options=BuildOptions(runs=2, reduction="sum", show_saved=False, show_attrs=True,
                             rankdir="LR"))


def test_localized_lesson_uses_the_translation_and_falls_back():
    lesson = full_lesson()
    french = lesson.localized("fr_CA")
    assert (french.title, french.notes, french.language) == ("Règle de dérivation en chaîne",
                                                            "Note", "fr")
    fn = french.functions[0]
    assert fn.title == "Un polynôme"
    assert fn.step_notes == {0: "forward done", 3: "4 → x", 12: "end"}  # untranslated kept
    assert french.functions[1].title == "Code"
    assert lesson.localized("de") == lesson and lesson.languages == ["en", "fr"]


def test_lesson_and_trust_modules_do_not_load_torch():
    code = ("import sys, gradviz.core.lesson.files, gradviz.core.lesson.trust\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "False", done.stderr


# -- trust ------------------------------------------------------------------------------------

def test_code_digest_is_the_sha256_of_the_utf8_code():
    assert code_digest("x = 'é'") == hashlib.sha256("x = 'é'".encode()).hexdigest()


def test_trust_is_remembered_per_content(tmp_path):
    path = tmp_path / "data" / "trusted.json"
    store = TrustStore(path)
    assert not store.is_trusted(MLP)
    store.trust(MLP, name="MLP")
    assert store.is_trusted(MLP)
    assert TrustStore(path).is_trusted(MLP)  # persisted
    assert not store.is_trusted(MLP + " ")  # changed code asks again
    assert list(store.entries().values())[0]["name"] == "MLP"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    store.forget(MLP)
    assert not TrustStore(path).is_trusted(MLP)
    store.forget(MLP)  # forgetting twice is fine


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[]", b'{"schema": 3}',
                                     b'{"schema": "gradviz.trust/1", "trusted": [1, 2]}',
                                     b'{"schema": "gradviz.trust/1", "trusted": {"abc": {}}}'])
def test_a_corrupt_trust_file_reads_as_empty_and_is_rewritten(tmp_path, content):
    path = tmp_path / "trusted.json"
    path.write_bytes(content)
    store = TrustStore(path)
    assert not store.is_trusted(MLP)
    store.trust(MLP)
    assert TrustStore(path).is_trusted(MLP)
    assert json.loads(path.read_text())["schema"] == "gradviz.trust/1"


def test_a_trust_path_that_is_a_folder_trusts_nothing(tmp_path):
    store = TrustStore(tmp_path)
    assert not store.is_trusted(MLP)
    with pytest.raises(OSError):
        store.trust(MLP)


def test_default_trust_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADVIZ_TRUST_FILE", str(tmp_path / "t.json"))
    assert default_trust_path() == tmp_path / "t.json"
    monkeypatch.delenv("GRADVIZ_TRUST_FILE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_trust_path() == tmp_path / "gradviz" / "trusted.json"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_trust_path() == Path.home() / ".local" / "share" / "gradviz" / "trusted.json"
