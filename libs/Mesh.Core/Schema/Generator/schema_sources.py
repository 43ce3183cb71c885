"""Parses the schema class listings of the Mesh texts into (class -> inherits, fields).

Two layouts occur: the rfctool markdown of vectors/generated (<dt>Name: Type (Optional)) and the
RFC plain text of the seeds ("   Name: Type (Optional)  description").
"""
import re

FIELD_MD = re.compile(r'^<dt>(\w+):\s*(.+?)\s*(\(Optional\)|\[0\.\.Many\]|\[1\.\.Many\])?\s*$')
HEAD_MD = re.compile(r'^#{2,3}\s*(Structure|Message):\s*(\w+)')
FIELD_TXT = re.compile(r'^ {3,9}(\w+): ([\w<>]+) (\(Optional\)|\[0\.\.Many\]|\[1\.\.Many\])')
INHERITS_TXT = re.compile(r'^ {3,9}Inherits: +(\w+)')
HEAD_TXT = re.compile(r'^\d+(?:\.\d+)*\.?\s+(Structure|Message):\s+(\w+)\s*$')
PAGE = re.compile(r'\n\n?Hallam-Baker[^\n]*\[Page \d+\]\n\x0c?\n?Internet-Draft[^\n]*\n', re.S)


class Cls:
    def __init__(self, name, kind, source):
        self.name, self.kind, self.source = name, kind, source
        self.inherits = None
        self.fields = []  # (name, type, many)

    def field_names(self):
        return [f[0] for f in self.fields]


def parse_md(path, source, only=None):
    classes = {}
    cur = None
    for line in open(path, encoding='utf-8-sig', errors='replace'):
        line = line.rstrip('\n')
        m = HEAD_MD.match(line)
        if m:
            cur = Cls(m.group(2), m.group(1), source)
            if only is None or cur.name in only:
                classes.setdefault(cur.name, cur)
            continue
        if line.startswith('##') and not line.startswith('###Structure') and not line.startswith('###Message'):
            if line.startswith('##Transaction') or line.startswith('##'):
                cur = None if not line.startswith('###') else cur
            continue
        if cur is None:
            continue
        if line.startswith('<dt>Inherits:'):
            cur.inherits = line.split(':', 1)[1].strip()
            continue
        m = FIELD_MD.match(line)
        if m and m.group(3):
            cur.fields.append((m.group(1), m.group(2).strip(), m.group(3) != '(Optional)'))
    return classes


def parse_txt(path, source, start, stop):
    text = open(path, encoding='utf-8', errors='replace').read()
    text = PAGE.sub('\n', text)
    lines = text.split('\n')
    classes = {}
    cur = None
    active = False
    for line in lines:
        if re.match(start, line):
            active = True
        if active and re.match(stop, line):
            break
        if not active:
            continue
        m = HEAD_TXT.match(line)
        if m:
            cur = Cls(m.group(2), m.group(1), source)
            classes.setdefault(cur.name, cur)
            continue
        if re.match(r'^\d+(?:\.\d+)*\.?\s+\S', line):
            cur = None  # a heading that is not a class ends the class
            continue
        if cur is None:
            continue
        m = INHERITS_TXT.match(line)
        if m:
            cur.inherits = m.group(1)
            continue
        m = FIELD_TXT.match(line)
        if m:
            cur.fields.append((m.group(1), m.group(2), m.group(3) != '(Optional)'))
    return classes
