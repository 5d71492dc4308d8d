"""The languages shops most often receive besides English: words that mark each, and how we say in it that we answer
in English only (our own wording). A customer who wrote in Spanish should not get an apology they cannot read.

    MARKERS          common words of each language (function words, and the words of a shop's requests)
    FOREIGN          all of them: the handover reads a message as another language by these (handover.looks_english)
    which_language   the language whose markers a message uses most, or None (a tie, or too few)
    SORRY            per language: we answer in English, and a colleague replies here
    SORRY_ELSEWHERE  per language: we answer in English, and it sounds like another company's (named)
"""
from __future__ import annotations

import re

# Words that are also English are left out ("no", "me", "he", "was", "hat", "per", "come", "um", "u", "we", "van",
# "met", "till", "min", "tag", "son", "bent", "at", "ai", and "com" of ".com"): an English message that quotes a name
# or a greeting must keep more English words than marker words (handover.looks_english). Round 19 added each
# language's function words (a German price request with "ihr" and "bitte" counted two markers against three
# English words) and eight more languages.
MARKERS = {
    "fr": set("""je tu il nous vous ils ne pas le la les des une un est suis mon ma mes votre vos commande merci bonjour
pour avec dans sur qui quoi comment pourquoi veux voudrais besoin aide avez pouvez rembourser colis toujours reçu
recu avons sont était mais aussi très tres encore où quand combien livraison remboursement taille commandé svp
bonsoir salut cordialement jamais rien depuis jours semaine après apres avoir être fait été peux voulais ces cette
ce au aux du que qu en par j reçois magasin retour échange echange carte de""".split()),
    "es": set("""el la los las del por para mi mis pedido gracias hola porque donde como esta estoy tengo necesito
quiero puedo puede devolver cambiar ayuda unos unas una hay todavia todavía nada muy este esto producto entiendo
pero que es hace también tambien cuando cuándo dónde qué cómo llegó llego llega llegado envío envio reembolso talla
compra compré compre pedí pedi buenas buenos días dias tardes semana hoy ayer sigue nunca nadie todo tiene tienen al
se su sus usted cuenta contraseña pago cobro cobraron tienda abre horario descuento código codigo funciona roto rota
paquete devolución devolucion dinero de""".split()),
    "de": set("""ich du er sie wir ihr nicht und ist bin meine mein bestellung danke bitte hallo warum wo wie noch keine
möchte brauche hilfe habe paket zurück der das den dem des ein eine einen einem mit von zu zum zur für fur auf aus
bei nach über ueber oder aber auch schon nur kann können könnt koennen sind wurde wird hab haben kein mir mich dich
uns euch es mal vielen dank geld lieferung rücksendung ruecksendung rückerstattung rueckerstattung bestellt größe
grösse groesse kaputt wann heute gestern woche tage seit immer gibt sehr leider guten""".split()),
    "it": set("""il la lo gli della qui rotto rotta rotti sono mio mia ordine grazie ciao perche perché dove non ho
vorrei voglio aiuto pacco ancora che di ma anche questo questa quando cosa abbiamo ordinato consegna rimborso taglia
arrivato arrivata ricevuto buongiorno salve sconto codice funziona negozio orari dello delle nel nella alla una uno
miei ti vi ci si più piu posso può puo già gia mai niente ieri oggi settimana giorni""".split()),
    "pt": set("""eu voce você vocês vcs vc nao não minha meu obrigado obrigada encomenda quero preciso ajuda ainda olá
bom tarde noite chegou recebi reembolso devolução devolucao troca tamanho entrega entregam comprei estou está é são
isso isto aqui onde já ja nada dinheiro loja cartão cartao desconto muito mas dos das na de""".split()),
    "nl": set("""het een niet mijn bestelling bedankt waar hoe ik de geen jullie heb hebben heeft zijn wordt werd kan
kunnen wil graag dank hallo hoi goedemorgen goedemiddag wanneer waarom wat welke nog ook maar dat deze voor naar bij
uit om te besteld pakket pakketje levering bezorging bezorgd geleverd terugbetaling retour retourneren maat kapot
geld winkel korting kortingscode werkt dagen vandaag gisteren alstublieft alsjeblieft""".split()),
    "pl": set("""nie jest się sie moje moja mój moj zamówienie zamowienie paczka paczki dzień dzien dobry dziękuję
dziekuje gdzie kiedy dlaczego czy jak już juz jeszcze nadal zwrot pieniądze pieniadze rozmiar doszła doszla
przesyłka przesylka proszę prosze witam mam że ze za od""".split()),
    "sv": set("""jag ni vill inte och är mitt mina beställning bestallning paket har hur varför varfor när nar tack hej
fått fatt fick pengar återbetalning storlek inget ingen fortfarande också det som att på för vad""".split()),
    "da": set("""jeg ikke og mit mine bestilling pakke pakken hvor hvorfor når takk tak hei hej har fået fått penger
penge størrelse ennå endnu fortsatt stadig det som på hva hvad mig dere jer""".split()),
    "tr": set("""ve bir bu ne neden nerede nasıl nasil siparişim siparisim sipariş siparis kargo kargom iade para param
merhaba teşekkürler tesekkurler teşekkür ederim lütfen lutfen hala hâlâ gelmedi değil degil yok mı mu için icin
benim sizin beden indirim kodu çalışmıyor calismiyor ürün urun gün""".split()),
    "id": set("""saya tidak belum sudah pesanan paket kapan kenapa mengapa di ke yang ini itu apa bagaimana tolong
terima kasih uang pengembalian ukuran barang sampai kok gimana dong aku kami kamu anda""".split()),
    "ro": set("""și nu este sunt comanda comandă coletul unde când cand ce pentru vă mulțumesc multumesc bună buna ziua
primit încă inca banii rambursare mărimea marimea de""".split()),
    "cs": set("""je není neni moje můj muj objednávka objednavka balík balik kde kdy proč proc děkuji dekuji dobrý dobry
ještě jeste stále peníze penize vrácení vraceni velikost přišla prisla nepřišla neprisla
prosím prosim mám mam""".split()),
    "tl": set("""ang ng mga sa ko ako hindi naman yung ung kasi bakit saan kailan paano salamat dumating wala padala
pera ibalik lang din rin nyo ninyo niyo ba""".split()),
}
FOREIGN = set().union(*MARKERS.values())
# Said in the customer's language first, where we have the words for it; the other languages get the English line.
SORRY = {
    "fr": "Désolé, je ne peux répondre qu'en anglais. Un collègue de {store_name} vous répondra ici.",
    "es": "Lo siento, solo puedo responder en inglés. Un compañero de {store_name} te responderá aquí.",
    "de": "Entschuldigung, ich kann nur auf Englisch antworten. Ein Kollege von {store_name} meldet sich hier.",
    "it": "Mi dispiace, posso rispondere solo in inglese. Un collega di {store_name} ti risponderà qui.",
    "pt": "Desculpe, só posso responder em inglês. Um colega da {store_name} vai responder aqui.",
    "nl": "Sorry, ik kan alleen in het Engels antwoorden. Een collega van {store_name} antwoordt je hier.",
    "pl": "Przepraszam, mogę odpowiadać tylko po angielsku. Ktoś z zespołu {store_name} odpowie tutaj.",
    "sv": "Tyvärr kan jag bara svara på engelska. En kollega på {store_name} svarar här.",
}
# ...and when the message names another company (handover.LANGUAGE_ELSEWHERE_TEXT): whose it is, in their language
SORRY_ELSEWHERE = {
    "fr": "Désolé, je ne peux répondre qu'en anglais. Cela semble concerner {other_company} plutôt que {store_name} : "
          "c'est leur service client qui peut vous aider.",
    "es": "Lo siento, solo puedo responder en inglés. Parece que esto es de {other_company} y no de {store_name}: su "
          "atención al cliente es quien puede ayudarte.",
    "de": "Entschuldigung, ich kann nur auf Englisch antworten. Das scheint {other_company} zu betreffen, nicht "
          "{store_name}: dort hilft Ihnen der Kundenservice weiter.",
    "it": "Mi dispiace, posso rispondere solo in inglese. Sembra che riguardi {other_company} e non {store_name}: è il "
          "loro servizio clienti che può aiutarti.",
    "pt": "Desculpe, só posso responder em inglês. Parece que isto é com a {other_company}, não com a {store_name}: o "
          "apoio ao cliente deles é quem pode ajudar.",
    "nl": "Sorry, ik kan alleen in het Engels antwoorden. Dit lijkt over {other_company} te gaan, niet over {store_name}: "
          "hun klantenservice kan je helpen.",
    "pl": "Przepraszam, mogę odpowiadać tylko po angielsku. Wygląda na to, że chodzi o {other_company}, a nie o "
          "{store_name}: pomoże ich obsługa klienta.",
    "sv": "Tyvärr kan jag bara svara på engelska. Det här verkar gälla {other_company}, inte {store_name}: deras "
          "kundtjänst kan hjälpa dig.",
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # a word in any script, no digits


def which_language(text: str) -> str | None:
    """The language with the most marker words in the text (at least two), or None on a tie or too few."""
    words = [w.lower() for w in WORD.findall(text)]
    counts = sorted(((sum(w in markers for w in words), lang) for lang, markers in MARKERS.items()), reverse=True)
    (best, lang), (runner_up, _) = counts[0], counts[1]
    return lang if best >= 2 and best > runner_up else None
