# claimstance: set-up, demo and tests on a fresh machine (CPU). GPU users: see README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch; an unpinned torch pulls a multi-GB CUDA build. GPU users install their own.
TORCH ?= torch==2.13.0
RUN ?= runs/default
SEED_ARTICLE := data/articles/en-censor-net-nato-dprk.txt

.PHONY: setup quant demo train infer test lint data-check bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[train,offline,dev]"
	touch $@

# torchao for int8 (`--quantize int8`): the tests and the benchmark need it, the demo does not
# (with torchao installed, transformers imports it at start-up and it logs about CUDA extensions).
quant: $(VENV)/.installed-quant

$(VENV)/.installed-quant: $(VENV)/.installed
	$(BIN)/pip install -q -e ".[quant]"
	touch $@

# The main job end to end: offline base model -> fine-tune on data/ -> claims of the seed article.
demo: setup
	HF_HUB_OFFLINE=1 $(BIN)/claims-train --config configs/default.yaml --output-dir $(RUN)
	$(BIN)/claims-infer --model $(RUN) --documents --input $(SEED_ARTICLE) --output - --format table

test: setup quant lint data-check
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q -rs

lint: setup
	$(BIN)/ruff check .

data-check: setup
	$(BIN)/claims-train data check data/ data/extra/ --quiet

bench: setup quant
	$(BIN)/python bench/bench_infer.py --model $(RUN)

clean:
	rm -rf $(VENV) runs
