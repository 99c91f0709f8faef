"""Frames and card text blocks for kiosk/idcard-sim (standard library only).

A card file is JSON. Common keys: kind (resident | hmt | foreigner2017 | foreigner2023), gender ("1" male,
"2" female), birth, validFrom, validTo (YYYYMMDD; validTo may be "长期"). Then per kind:
  resident:       name, ethnic ("01".."56"), address, idNumber, authority
  hmt:            name, address, idNumber, authority, passNumber, issueCount
  foreigner2017:  englishName, chineseName, cardNumber (3 letters + 12 digits), nationality, version, office
  foreigner2023:  chineseName, englishName, idNumber, renewal, nationality
An idNumber with a wrong check character is loaded with a warning (to test how the kiosk refuses it).
"""
import json
import zlib
import os

PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECKS = "10X98765432"
WARNINGS = []


class CardFileError(Exception):
    pass


def xor(data):
    out = 0
    for b in data:
        out ^= b
    return out


def frame(body):
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


def check_character(first17):
    return CHECKS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def id_valid(number):
    return len(number) == 18 and number[:17].isdigit() and check_character(number[:17]) == number[17].upper()


def put(block, offset, size, text):
    data = text.encode("utf-16-le")
    if len(data) > size:
        raise CardFileError(f"'{text[:8]}…' is longer than its {size // 2}-character field at offset {offset}")
    data += " ".encode("utf-16-le") * ((size - len(data)) // 2)
    block[offset:offset + size] = data


def text_block(card, source):
    block = bytearray(" ".encode("utf-16-le") * 128)
    kind = card.get("kind")
    try:
        if kind in ("resident", "hmt"):
            put(block, 0, 30, card["name"])
            put(block, 30, 2, card["gender"])
            put(block, 32, 4, card.get("ethnic", ""))
            put(block, 36, 16, card["birth"])
            put(block, 52, 70, card["address"])
            put(block, 122, 36, card["idNumber"])
            put(block, 158, 30, card["authority"])
            put(block, 188, 16, card["validFrom"])
            put(block, 204, 16, card["validTo"])
            if kind == "hmt":
                put(block, 220, 18, card["passNumber"])
                put(block, 238, 4, card["issueCount"])
                put(block, 248, 2, "J")
            number = card["idNumber"]
        elif kind == "foreigner2017":
            put(block, 0, 120, card["englishName"])
            put(block, 120, 2, card["gender"])
            put(block, 122, 30, card["cardNumber"])
            put(block, 152, 6, card["nationality"])
            put(block, 158, 30, card.get("chineseName", ""))
            put(block, 188, 16, card["validFrom"])
            put(block, 204, 16, card["validTo"])
            put(block, 220, 16, card["birth"])
            put(block, 236, 4, card.get("version", "01"))
            put(block, 240, 8, card["office"])
            put(block, 248, 2, "I")
            number = None
        elif kind == "foreigner2023":
            english = card["englishName"]
            put(block, 0, 30, card.get("chineseName", ""))
            put(block, 30, 2, card["gender"])
            put(block, 32, 4, card.get("renewal", "00"))
            put(block, 36, 16, card["birth"])
            put(block, 52, 70, english[:35])
            put(block, 122, 36, card["idNumber"])
            put(block, 188, 16, card["validFrom"])
            put(block, 204, 16, card["validTo"])
            put(block, 220, 22, english[35:46])
            put(block, 242, 6, card["nationality"])
            put(block, 248, 2, "Y")
            number = card["idNumber"]
        else:
            raise CardFileError(f"{source}: kind '{kind}' is not resident, hmt, foreigner2017 or foreigner2023")
    except KeyError as missing:
        raise CardFileError(f"{source}: kind '{kind}' needs the key {missing}") from None
    except CardFileError as error:
        raise CardFileError(f"{source}: {error}") from None
    if number is not None and not id_valid(number):
        WARNINGS.append(f"{source}: idNumber fails the GB 11643 check character (the kiosk must refuse this card)")
    return bytes(block)


def photo(seed):
    """1024 bytes standing in for the WLT photo (the kiosk drops it unread)."""
    out, x = bytearray(), zlib.crc32(seed.encode()) or 1
    for _ in range(1024):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(x >> 16 & 0xFF)
    return bytes(out)


def load_cards(directory):
    cards = {}
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    except OSError as error:
        raise CardFileError(f"cannot list card files in {directory}: {error.strerror}") from None
    for name in names:
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                card = json.load(f)
        except (OSError, ValueError) as error:
            raise CardFileError(f"{path}: not a readable JSON card file ({error})") from None
        cards[name[:-5]] = {"text": text_block(card, path), "photo": photo(name)}
    if not cards:
        raise CardFileError(f"no card files (*.json) in {directory}")
    return cards


if __name__ == "__main__":
    import sys
    for n in sys.argv[1:]:
        print(n + check_character(n) if len(n) == 17 else f"{n}: {id_valid(n)}")
