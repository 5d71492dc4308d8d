"""Catalogue: the store's products (data/store/products.csv) and which one a customer's message names.

A product is named by its name, one of its aliases (the short names customers use: "kettle", "pjs")
or its SKU ("NT-2202", "nt2202"), case-insensitive and on word boundaries, so "address" never
names the dress. When a message names several, the earliest wins, and the longest name at that spot
("rain jacket" before "jacket").
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

COLUMNS = ("sku", "name", "aliases", "category", "sizes", "materials", "dimensions", "weight", "stock", "price",
           "personalisation")


class CatalogueError(ValueError):
    pass


def _term_pattern(term: str) -> str:
    """'t-shirt' also matches 't shirt' and 'tshirt'; a plural 's'/'es' is allowed at the end."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", term.strip()) if p]
    return r"[\s-]?".join(parts) + r"(?:e?s)?"


def _sku_pattern(sku: str) -> str:
    letters, _, digits = sku.partition("-")
    return re.escape(letters) + r"[\s-]?" + re.escape(digits) if digits else re.escape(sku)


# A kind of product right after a name ("puffer jacket"): when the product found is not of that kind, the
# customer means another product (found by an exploratory tester: the puffer vest's stock given for a jacket).
_KIND_AFTER = re.compile(r"[\s-]+(jackets?|coats?|vests?|gilets?|jumpers?|sweaters?|cardigans?|hoodies?|shirts?|tops?|"
                         r"blouses?|dress(?:es)?|skirts?|jeans|trousers|boots|shoes|trainers|bags?|hats?|scarf|scarves|"
                         r"blankets?|throws?|towels?|mugs?|kettles?|lamps?|rugs?|curtains?|pillows?|duvets?|robes?|"
                         r"pyjamas|pajamas)\b", re.IGNORECASE)


def _words_of(product: dict) -> set[str]:
    """Every word of a product's name and aliases, singular and plural ("vest", "vests")."""
    words = set(re.findall(r"[a-z]+", " ".join([product["name"], *product["aliases"]]).lower()))
    return words | {w + "s" for w in words} | {w + "es" for w in words}


class Catalogue:
    def __init__(self, products: list[dict]):
        self.products = products
        terms: list[tuple[str, dict]] = []
        for product in products:
            terms.append((_sku_pattern(product["sku"]), product))
            for term in [product["name"], *product["aliases"]]:
                terms.append((_term_pattern(term), product))
        terms.sort(key=lambda t: -len(t[0]))  # longest first: alternation takes the first that fits
        self._owners = [product for _, product in terms]
        self._kind_words = {product["sku"]: _words_of(product) for product in products}  # once, not per message
        self._pattern = re.compile("|".join(f"(?P<t{i}>\\b{p}\\b)" for i, (p, _) in enumerate(terms)), re.IGNORECASE) \
            if terms else None

    def __len__(self) -> int:
        return len(self.products)

    def find(self, text: str) -> dict | None:
        """The product the text names, or None."""
        if self._pattern is None or not text:
            return None
        match = self._pattern.search(text)
        if match is None:
            return None
        product = self._owners[int(match.lastgroup[1:])]
        kind = _KIND_AFTER.match(text, match.end())
        if kind and kind.group(1).lower() not in self._kind_words[product["sku"]]:
            return None  # "the black puffer jacket": a jacket, not our puffer vest; a product we don't know
        return product

    def unnamed(self, text: str) -> str:
        """The text with every product it names read as "item": for the intent reader, what is asked matters, not
        which product ("another week of waiting for my kettles" was read as a faulty kettle: the examples that name
        a kettle are about faults)."""
        return self._pattern.sub("item", text) if self._pattern is not None and text else text

    def get(self, sku: str) -> dict | None:
        return next((p for p in self.products if p["sku"].lower() == sku.lower()), None)

    @classmethod
    def load(cls, path: str | Path) -> "Catalogue":
        path = Path(path)
        if not path.exists():
            raise CatalogueError(f"product catalogue not found: {path}")
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogueError(f"{path}: missing columns {missing}")
            products, seen = [], set()
            for row in reader:
                where = f"{path}, line {reader.line_num}"
                row = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
                if not row["sku"] or not row["name"]:
                    raise CatalogueError(f"{where}: every product needs a sku and a name")
                if row["sku"].lower() in seen:
                    raise CatalogueError(f"{where}: duplicate sku {row['sku']}")
                seen.add(row["sku"].lower())
                try:
                    row["stock"] = int(row["stock"])
                    row["price"] = float(row["price"])
                except ValueError:
                    raise CatalogueError(f"{where}: stock must be a whole number and price a number") from None
                row["aliases"] = [a.strip() for a in row["aliases"].split(";") if a.strip()]
                products.append(row)
        return cls(products)


def personalisation_phrase(value: str) -> str:
    """'yes: initials on the cuff, $6 extra' -> 'can be personalised: initials on the cuff, $6 extra'."""
    answer, _, note = value.partition(":")
    if answer.strip().lower() == "yes":
        return f"can be personalised: {note.strip()}" if note.strip() else "can be personalised"
    return "can't be personalised, I'm afraid"


def product_slots(product: dict) -> dict:
    """The slots a product answer template may use."""
    stock = int(product.get("stock") or 0)
    return {
        "product_name": product["name"], "sku": product["sku"], "category": product.get("category", ""),
        "sizes": product.get("sizes", ""), "materials": product.get("materials", ""),
        "dimensions": product.get("dimensions", ""), "weight": product.get("weight", ""),
        "stock_phrase": f"in stock ({stock} left)" if stock > 0 else "out of stock",
        "price": f"${float(product['price']):.2f}",
        "personalisation": personalisation_phrase(product.get("personalisation", "")),
    }
