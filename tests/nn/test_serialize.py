"""save / load: exact round trip, atomic writes, clear errors naming the file."""

from __future__ import annotations

import json
import os

import pytest

from autograd_tiny.nn import MLP, ModelFileError, load, save


@pytest.fixture
def model():
    return MLP(3, [4, 2], activation="relu", output_activation="sigmoid", seed=11)


def test_round_trip_is_exact(model, tmp_path):
    path = save(model, tmp_path / "model.json")
    copy = load(path)
    assert copy.sizes == [3, 4, 2] and copy.activations == ["relu", "sigmoid"]
    assert [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]
    assert [p.label for p in copy.parameters()] == [p.label for p in model.parameters()]


def test_the_file_format_is_documented_json(model, tmp_path):
    document = json.loads(save(model, tmp_path / "m.json").read_text())
    assert (document["format"], document["version"], document["sizes"]) == ("autograd-tiny-mlp", 1, [3, 4, 2])
    assert len(document["layers"][0]["weights"]) == 4 and len(document["layers"][0]["weights"][0]) == 3


def test_truncated_file_names_the_file(model, tmp_path):
    path = save(model, tmp_path / "m.json")
    path.write_text(path.read_text()[:50])
    with pytest.raises(ModelFileError, match=r"m\.json: not valid JSON \(truncated or corrupted\?\)"):
        load(path)


def test_wrong_kind_of_file(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ModelFileError, match=r"other\.json: not an autograd-tiny model file"):
        load(path)


def test_mismatched_shapes(model, tmp_path):
    path = save(model, tmp_path / "m.json")
    document = json.loads(path.read_text())
    document["sizes"] = [3, 5, 2]
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match=r"layer 1 weights have shape \(4, 3\), expected \(5, 3\)"):
        load(path)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match=r"nope\.json: no such file"):
        load(tmp_path / "nope.json")


def test_interrupted_save_leaves_the_old_file_intact(model, tmp_path, monkeypatch):
    path = save(model, tmp_path / "m.json")
    before = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save(MLP(3, [4, 2], seed=99), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]  # no temp file left behind
