"""infer.predict: order under length sorting, token budgets, truncation, model folder checks."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from infer.predict import ModelDirError, Predictor, check_model_dir

TEXTS = [
    "NATO is confident that the DPRK supports Russia.",
    "War.",
    "Росія та КНДР підписали угоду, яка передбачає допомогу в разі агресії проти будь-якої з них.",
    "Die Lage ist ernst, sagte Scholz am Montag in Berlin vor Journalisten.",
    "Według Tuska sytuacja jest poważna.",
    "Peskov: no talks.",
    "По словам Пескова, переговоров нет и не будет в ближайшее время, а санкции не помогут.",
    "It is hard.",
]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny models gain nothing from threads, and idle OpenMP threads spin on a busy CI box
    (25x slower here under load). Put the count back for the other modules."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def predictor(tiny_model):
    return Predictor.from_pretrained(tiny_model, device="cpu")


def assert_same(a: dict, b: dict) -> None:
    """Same labels; scores equal up to float noise (padding differs between batches)."""
    assert a.keys() == b.keys() and a["truncated"] == b["truncated"]
    for task in ("type", "stance"):
        assert a[task]["label"] == b[task]["label"]
        assert a[task]["score"] == pytest.approx(b[task]["score"], abs=1e-5)


def test_order_is_preserved_under_length_sorting(predictor):
    texts = TEXTS * 3
    targets = [None, "Russia", "NATO"] * 8
    order = list(range(len(texts)))
    random.Random(7).shuffle(order)
    shuffled_texts = [texts[i] for i in order]
    shuffled_targets = [targets[i] for i in order]
    before, predictor.max_batch_tokens = predictor.max_batch_tokens, 64  # several sorted batches
    try:
        batched = predictor.predict(shuffled_texts, shuffled_targets)
    finally:
        predictor.max_batch_tokens = before
    # The check has teeth only if different claims get scores that differ by more than the
    # tolerance assert_same allows.
    assert len({round(p["type"]["score"], 5) for p in batched}) > 3
    for text, target, pred in zip(shuffled_texts, shuffled_targets, batched, strict=True):
        assert_same(pred, predictor.predict([text], [target])[0])


def test_batches_stay_under_the_token_budget(predictor):
    from infer.inputs import encode

    items = encode(predictor.tokenizer, TEXTS * 4, prefix=predictor.config.input_prefix,
                   max_length=predictor.config.max_length)
    before, predictor.max_batch_tokens = predictor.max_batch_tokens, 100
    try:
        batches = list(predictor.batches(items))
    finally:
        predictor.max_batch_tokens = before
    assert sorted(p for b in batches for p in b.positions) == list(range(len(items)))
    assert all(b.inputs["input_ids"].numel() <= 100 for b in batches)
    lengths = [b.inputs["input_ids"].shape[1] for b in batches]
    assert lengths == sorted(lengths, reverse=True)  # longest first: memory peaks early


def test_token_budget_defaults_to_what_the_model_prefers(predictor):
    # An int8 model (infer.quantize.quantize_model) asks for smaller batches than fp32.
    model = predictor.model
    assert Predictor(model, predictor.tokenizer).max_batch_tokens == 4096
    model.preferred_batch_tokens = 1024
    try:
        assert Predictor(model, predictor.tokenizer).max_batch_tokens == 1024
        assert Predictor(model, predictor.tokenizer, max_batch_tokens=500).max_batch_tokens == 500
    finally:
        del model.preferred_batch_tokens


def test_scores_labels_and_truncation(predictor):
    window = predictor.config.max_length
    long_text = " ".join(["NATO is confident."] * window)
    preds = predictor.predict([TEXTS[0], long_text], ["Russia", None], all_scores=True)
    assert [p["truncated"] for p in preds] == [False, True]
    for pred in preds:
        for task, labels in predictor.tasks.items():
            scores = pred[task]["scores"]
            assert list(scores) == labels and sum(scores.values()) == pytest.approx(1.0, abs=1e-5)
            assert pred[task]["label"] == max(scores, key=scores.get)
            assert pred[task]["score"] == pytest.approx(scores[pred[task]["label"]])
    assert "scores" not in predictor.predict([TEXTS[0]])[0]["type"]


def test_edge_inputs(predictor):
    assert predictor.predict([]) == []
    with pytest.raises(TypeError, match="list of texts"):
        predictor.predict("a single string")
    with pytest.raises(ValueError, match="targets"):
        predictor.predict(["a", "b"], ["Russia"])


def test_predict_documents_keeps_offsets_and_speakers(predictor):
    # A body line longer than a headline, so the first line is read as the headline.
    doc = ("NATO is confident - Stoltenberg\n\nPutin said that the war against Ukraine will go "
           "on until all the goals of the operation are reached. He added more.")
    (units,) = predictor.predict_documents([doc], ["Russia"])
    assert [doc[u["start"]:u["end"]] for u in units] == [u["text"] for u in units]
    assert [u["speaker"] for u in units] == ["Stoltenberg", "Putin", "Putin"]
    assert all("type" in u and "stance" in u for u in units)


@pytest.fixture
def model_copy(tiny_model, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model, folder, ignore=shutil.ignore_patterns("checkpoints"))
    return folder


def edit_config(folder, change):
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(json.dumps(config), encoding="utf-8")


def test_check_model_dir_accepts_the_trained_model(tiny_model):
    assert check_model_dir(tiny_model).tasks["stance"] == ["support", "oppose", "neutral"]


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda f: (f / "model.safetensors").unlink(), "missing model.safetensors"),
    (lambda f: (f / "tokenizer.json").unlink(), r"missing tokenizer \(tokenizer.json\)"),
    (lambda f: edit_config(f, lambda c: c.update(schema_version=99)),
     "schema_version 99 is newer"),
    (lambda f: edit_config(f, lambda c: c["task_specs"][0]["labels"].append("opinion")),
     r"task 'type' has unknown labels \['opinion'\]"),
    (lambda f: edit_config(f, lambda c: c.update(model_type="bert")), "model_type is 'bert'"),
    (lambda f: edit_config(f, lambda c: c.update(task_specs=[])), "task_specs missing"),
    (lambda f: (f / "config.json").write_text("{oops", encoding="utf-8"), "not valid JSON"),
])
def test_check_model_dir_names_the_problem(model_copy, breakage, message):
    breakage(model_copy)
    with pytest.raises(ModelDirError, match=message):
        check_model_dir(model_copy)


def test_check_model_dir_missing_folder(tmp_path):
    with pytest.raises(ModelDirError, match="model folder not found"):
        check_model_dir(tmp_path / "nope")

