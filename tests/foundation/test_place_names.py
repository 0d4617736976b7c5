"""One spelling of every place name: the dataset's (vietnam-provinces, the names `load_divisions` loads).

Vietnamese allows two tone placements in open syllables ("Hoà" / "Hòa", "Thuỷ" / "Thủy"); the dataset
itself writes the province "Tỉnh Hoà Bình" and its city "Thành phố Hòa Bình". Code, templates and the
shipped data must write each place the way the dataset writes that place, so that one page never shows
the same name two ways.
"""

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import vietnam_provinces

ROOT = Path(__file__).resolve().parents[2]
OLD_STYLE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
             "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
KINDS = {"tỉnh ủy": "province", "tỉnh uỷ": "province", "tỉnh": "province", "thành phố": "district",
         "huyện": "district", "phường": "unit", "xã": "unit", "thị trấn": "unit"}
MENTION = re.compile(r"\b(tỉnh ủy|tỉnh uỷ|tỉnh|thành phố|huyện|phường|thị trấn|xã) ((?:[^\W\d_][\w]*\s?){1,3})",
                     re.IGNORECASE)


def key(name: str) -> str:
    """A name with the tone placed one way, for comparing two spellings of the same name."""
    name = unicodedata.normalize("NFC", name).lower()
    for old, new in OLD_STYLE.items():
        name = re.sub(old + r"(?=\b)", new, name)
    return name


def programme_provinces() -> set[int]:
    """The provinces the shipped programmes name (their territory): the places their texts speak of."""
    files = (ROOT / "assessments" / "data" / "programmes").glob("*/programme.json")
    return {json.loads(f.read_text(encoding="utf-8"))["territory"]["province"] for f in files}


def dataset_names() -> dict[str, dict[str, set[str]]]:
    """kind → {key of the bare name: the dataset's spellings}: every province, and the districts and units of
    the programmes' provinces (another province's "Huyện Hoà Bình" is another place)."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        provinces = json.load(fh)
    names: dict[str, dict[str, set[str]]] = {"province": {}, "district": {}, "unit": {}}

    def add(kind, full):
        bare = re.sub(r"^(Tỉnh|Thành phố|Huyện|Thị xã|Quận|Phường|Xã|Thị trấn) ", "", full)
        names[kind].setdefault(key(bare), set()).add(bare)

    shipped = programme_provinces()
    for p in provinces:
        add("province", p["name"])
        if p["code"] not in shipped:
            continue
        for d in p["districts"]:
            add("district", d["name"])
            for w in d["wards"]:
                add("unit", w["name"])
    return names


def shipped_texts():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if name.startswith("tests/") or "/locale/" in name or name.startswith("locale/"):
            continue
        if name.endswith((".py", ".html", ".txt", ".json", ".md", ".js")):
            yield name, (ROOT / name).read_text(encoding="utf-8")


def words_in(mention: str) -> list[str]:
    """The capitalised words after a kind: "Hoà Bình về xây dựng" → ["Hoà", "Bình"]."""
    out = []
    for word in mention.split():
        if not word[:1].isupper():
            break
        out.append(word)
    return out


def test_places_are_spelled_as_the_dataset_spells_them():
    names = dataset_names()
    assert names["province"][key("Hòa Bình")] == {"Hoà Bình"}  # the dataset's own spelling of the province
    assert names["district"][key("Hoà Bình")] == {"Hòa Bình"}  # ... and of its city
    wrong = []
    for path, text in shipped_texts():
        for m in MENTION.finditer(text):
            words = words_in(m.group(2))
            kind = KINDS[m.group(1).lower()]
            # The longest run of words naming a place of that kind ("Tân Hòa", not "Tân").
            for n in range(len(words), 0, -1):
                written = " ".join(words[:n])
                expected = names[kind].get(key(written))
                if expected is not None:
                    if written not in expected:
                        line = text.count("\n", 0, m.start()) + 1
                        wrong.append(f"{path}:{line}: “{m.group(1)} {written}” – the dataset writes "
                                     f"“{' / '.join(sorted(expected))}”")
                    break
    assert wrong == [], "\n".join(wrong)
