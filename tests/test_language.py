"""rag/language.py: which language a question is in (table-driven; py3langid's real model)."""

import pytest

from rag import language


@pytest.mark.parametrize(
    "text, code",
    [
        ("How much do Kazakh oil workers earn?", "en"),
        ("WHERE DOES ABLYAZOV LIVE NOW?", "en"),
        ("Ablyazov's nephew?", "en"),  # too little to tell: English
        ("", "en"),
        ("¿Qué comen las carpas herbívoras?", "es"),
        ("Was fressen Graskarpfen im Winter?", "de"),
        ("Où peut-on obtenir une carte de bibliothèque ?", "fr"),
        ("Сколько зарабатывают нефтяники в Казахстане?", "ru"),
        ("借书证在哪里办理？", "zh"),
        ("図書カードはどこで作れますか？", "ja"),
        ("ما هو عدد سكان كازاخستان؟", "ar"),
        # a question that also says itself in English is read in English, whatever the script
        ("כמה מרוויחים עובדי נפט בקזחסטן؟ How much do Kazakh oil workers earn?", "en"),
        ("Сколько они зарабатывают? How much do the oil workers earn?", "en"),
        ("¿Cuánto ganan? What do the oil workers earn in a month?", "en"),
        ("Where do I get a 借书证 library card?", "en"),
    ],
)
def test_detect(text, code):
    assert language.detect(text) == code


def test_the_notice_names_the_language_and_the_model():
    said = language.notice("de", ["en"])
    assert "German (de)" in said and "all-MiniLM-L6-v2" in said and "English" in said
