"""The languages shops most often receive besides English: words that mark each, and how we say in it that we answer
in English only (our own wording). A customer who wrote in Spanish should not get an apology they cannot read.

    MARKERS          common words of each language (function words, and the words of a shop's requests)
    FOREIGN          all of them: the handover reads a message as another language by these (handover.looks_english)
    which_language   the language whose markers a message uses most, or None (a tie, or too few)
    SORRY            per language: we answer in English, and a colleague replies here
"""
from __future__ import annotations

import re

MARKERS = {
    "fr": set("""je tu il nous vous ils ne pas le la les des une est suis mon ma mes votre commande merci bonjour pour
avec dans sur qui quoi comment pourquoi veux voudrais besoin aide avez pouvez rembourser colis toujours reçu""".split()),
    "es": set("""el los las del por para mi mis pedido gracias hola porque donde como esta estoy tengo necesito quiero
puedo puede devolver cambiar ayuda unos unas una hay todavia nada muy este esto producto entiendo pero""".split()),
    "de": set("""ich du er sie wir ihr nicht und ist bin meine mein bestellung danke bitte hallo warum wo wie noch keine
möchte brauche hilfe habe paket zurück""".split()),
    "it": set("""il lo gli della sono mio mia ordine grazie ciao perche dove non ho vorrei voglio aiuto pacco
ancora""".split()),
    "pt": set("""eu voce nao minha meu obrigado encomenda quero preciso ajuda ainda""".split()),
    "nl": set("""het een niet mijn bestelling bedankt waar hoe ik""".split()),
}
FOREIGN = set().union(*MARKERS.values())
SORRY = {
    "fr": "Désolé, je ne peux répondre qu'en anglais. Un collègue de {store_name} vous répondra ici.",
    "es": "Lo siento, solo puedo responder en inglés. Un compañero de {store_name} te responderá aquí.",
    "de": "Entschuldigung, ich kann nur auf Englisch antworten. Ein Kollege von {store_name} meldet sich hier.",
    "it": "Mi dispiace, posso rispondere solo in inglese. Un collega di {store_name} ti risponderà qui.",
    "pt": "Desculpe, só posso responder em inglês. Um colega da {store_name} vai responder aqui.",
    "nl": "Sorry, ik kan alleen in het Engels antwoorden. Een collega van {store_name} antwoordt je hier.",
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # a word in any script, no digits


def which_language(text: str) -> str | None:
    """The language with the most marker words in the text (at least two), or None on a tie or too few."""
    words = [w.lower() for w in WORD.findall(text)]
    counts = sorted(((sum(w in markers for w in words), lang) for lang, markers in MARKERS.items()), reverse=True)
    (best, lang), (runner_up, _) = counts[0], counts[1]
    return lang if best >= 2 and best > runner_up else None
