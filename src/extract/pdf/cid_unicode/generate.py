#!/usr/bin/env python3
"""Writes the CID → Unicode tables of Adobe's four CJK character collections
(japan1.bin, gb1.bin, cns1.bin, korea1.bin) from Adobe's UTF-32 CMaps, which
map Unicode to CIDs (BSD-3-Clause, Adobe; Debian ships them in poppler-data:
/usr/share/poppler/cMap). Each table holds, for CID 0, 1, 2, …, the code
point as 3 bytes little-endian (0: none). A CID reached from several code
points takes one that NFKC leaves as it is (U+5341 十, not the Kangxi
radical U+2F17 ⼗), outside the CJK compatibility ideographs (U+F900–FAFF),
the smallest of those: a variant form reads as its unified ideograph.

    python3 src/extract/pdf/cid_unicode/generate.py [/usr/share/poppler/cMap]
"""
import os
import re
import sys
import unicodedata

CMAPS = {
    "japan1": "Adobe-Japan1/UniJIS-UTF32-H",
    "gb1": "Adobe-GB1/UniGB-UTF32-H",
    "cns1": "Adobe-CNS1/UniCNS-UTF32-H",
    "korea1": "Adobe-Korea1/UniKS-UTF32-H",
}


def preferred(a, b):
    def rank(code):
        c = chr(code)
        return (unicodedata.normalize("NFKC", c) != c, 0xF900 <= code <= 0xFAFF, code)
    return a if rank(a) <= rank(b) else b


def table(path):
    text = open(path, encoding="latin-1").read()
    best = {}
    def put(cid, code):
        best[cid] = preferred(best[cid], code) if cid in best else code
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
            lo, hi, cid = int(lo, 16), int(hi, 16), int(cid)
            for i in range(hi - lo + 1):
                put(cid + i, lo + i)
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
            put(int(cid), int(code, 16))
    out = bytearray(3 * (max(best) + 1))
    for cid, code in best.items():
        out[3 * cid:3 * cid + 3] = code.to_bytes(3, "little")
    return bytes(out)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/poppler/cMap"
    here = os.path.dirname(os.path.abspath(__file__))
    for name, cmap in CMAPS.items():
        data = table(os.path.join(source, cmap))
        with open(os.path.join(here, name + ".bin"), "wb") as f:
            f.write(data)
        print(f"{name}.bin: {len(data) // 3} CIDs")


main()
