"""The torch-free query path: the ONNX export agrees with sentence-transformers, and `ask` never imports torch."""

import subprocess
import sys

import numpy as np
from conftest import ROOT, SEEDS

from rag.chunks import chunk_document
from rag.documents import load_documents
from rag.embed import MiniLMEmbedder
from rag.embed_onnx import OnnxEmbedder, onnx_path


def test_onnx_vectors_match_sentence_transformers_on_every_seed_text():
    texts = ["How much do Kazakh oil workers earn?", "a", "x " * 600]  # a question, a tiny and an over-long input
    for doc in load_documents(SEEDS)[0]:
        chunks, sentences = chunk_document(doc, 200, 1)
        texts += [c.embed_text() for c in chunks] + [doc.text[s.start : s.end] for s in sentences]
    assert onnx_path().is_file()
    ref = MiniLMEmbedder().embed(texts)
    fast = OnnxEmbedder().embed(texts)
    assert fast.shape == ref.shape == (len(texts), 384)
    cos = (ref * fast).sum(axis=1)
    assert cos.min() >= 0.999, (cos.min(), texts[int(cos.argmin())][:80])
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


def test_asking_never_imports_torch(seed_settings):
    code = (
        "import sys; from rag.cli import main_ask; "
        f"rc = main_ask(['--json', '--docs', {str(seed_settings.docs)!r}, '--index', {str(seed_settings.index)!r}, "
        "'How many troops will the CSTO send?']); "
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'llama_index.core', 'gradio') "
        "if m in sys.modules); print(heavy, file=sys.stderr); sys.exit(rc or (3 if heavy else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "3 thousand military personnel" in proc.stdout
