from __future__ import annotations

import torch
from transformers import AutoConfig, AutoModel, BertConfig, BertModel

from infer.labels import STANCES, TYPES
from infer.model import ClaimConfig, ClaimModel


def tiny_encoder():
    return BertModel(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1,
                                num_attention_heads=2, intermediate_size=32), add_pooling_layer=False)


def test_save_and_load_with_auto_classes(tmp_path):
    encoder = tiny_encoder()
    tasks = {"type": list(TYPES), "stance": list(STANCES)}
    model = ClaimModel.from_encoder(encoder, tasks, input_prefix="query: ").eval()
    model.config.temperatures = {"type": 1.7, "stance": 0.9}
    model.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").is_file()
    assert isinstance(AutoConfig.from_pretrained(tmp_path), ClaimConfig)
    loaded = AutoModel.from_pretrained(tmp_path).eval()
    assert isinstance(loaded, ClaimModel)
    # Head order survives config.json's sorted keys.
    assert loaded.config.tasks == tasks
    assert loaded.config.temperatures == {"type": 1.7, "stance": 0.9}
    assert loaded.config.input_prefix == "query: "
    ids, mask = torch.tensor([[0, 5, 7, 2]]), torch.ones(1, 4, dtype=torch.long)
    for a, b in zip(model(ids, mask).logits, loaded(ids, mask).logits, strict=True):
        torch.testing.assert_close(a, b)


def test_mean_pooling_ignores_padding():
    model = ClaimModel.from_encoder(tiny_encoder(), {"stance": list(STANCES)}).eval()
    hidden = torch.tensor([[[1.0, 1.0], [3.0, 3.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert model.pool(hidden, mask).tolist() == [[2.0, 2.0]]


def test_target_pooling_appends_the_target_mean_or_the_sentence_mean():
    model = ClaimModel.from_encoder(tiny_encoder(), {"stance": list(STANCES)},
                                    target_pooling=True).eval()
    assert model.heads[0].in_features == 2 * 16
    hidden = torch.tensor([[[1.0], [3.0], [8.0], [100.0]], [[2.0], [4.0], [6.0], [0.0]]])
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    target = torch.tensor([[0, 1, 1, 0], [0, 0, 0, 0]])  # the second row has no target
    assert model.pool(hidden, mask, target).tolist() == [[4.0, 5.5], [3.0, 3.0]]
    # Called without a target mask (a plain encoder input), every row counts as target-less.
    assert model.pool(hidden, mask).tolist() == [[4.0, 4.0], [3.0, 3.0]]


def test_single_task_model_has_one_head():
    model = ClaimModel.from_encoder(tiny_encoder(), {"stance": list(STANCES)})
    out = model(torch.tensor([[0, 3, 2]]), torch.ones(1, 3, dtype=torch.long))
    assert len(out.logits) == 1 and out.logits[0].shape == (1, 3)


def test_config_rejects_bad_pooling():
    import pytest

    with pytest.raises(ValueError, match="pooling"):
        ClaimConfig(pooling="max")
