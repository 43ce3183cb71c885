#!/usr/bin/env python3
"""Generates libs/Mesh.Core/Schema/*.g.cs from the Mesh schema texts in ../shared.

Run from this folder: python3 generate_schema.py /work/shared
Merging rule (docs/conformance/json.md, "Naming choices"): the seed protocol -09 §10 gives the names,
order and inheritance of protocol messages; newer fields are added; renamed items (Store/Container,
MeshHelloRequest/HelloRequest) are read under both names and written under the seed name. Schema
classes take the newer schema text first and add the fields only the 2020 seed lists.
"""
import sys, os
from schema_sources import parse_md, parse_txt, Cls

S = sys.argv[1] if len(sys.argv) > 1 else '/work/shared'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')

seed09 = parse_txt(S + '/seeds/mesh-protocol-09-2021-08.txt', 'mesh-protocol-09 §10', r'^10\.\s+Protocol Schema', r'^11\.\s')
proto = parse_md(S + '/vectors/generated/ProtocolSchema.md', 'ProtocolSchema.md')
sec = parse_txt(S + '/seeds/mesh-security-2020-11.txt', 'mesh-security-2020-11 §2', r'^2\.5\.1\.', r'^\d+(\.\d+)*\.?\s+Message: MeshRequest')
mesh = parse_md(S + '/vectors/generated/SchemaMesh.md', 'SchemaMesh.md')
jose_keys = {'KeyCore', 'Key', 'PublicKeyRSA', 'PrivateKeyRSA', 'PublicKeyDH', 'PrivateKeyDH', 'PublicKeyECDH',
             'PrivateKeyECDH', 'PrivateKeyUDF', 'KeyAgreement', 'KeyAgreementDH', 'KeyAgreementECDH',
             'PublicKeyBinary', 'PrivateKeyBinary'}
jose = parse_md(S + '/vectors/generated/JoseSchema.md', 'JoseSchema.md', only=jose_keys)

# Newer class names read as the seed class (tag aliases).
CLASS_ALIASES = {'StoreStatus': 'ContainerStatus', 'StoreUpdate': 'ContainerUpdate',
                 'MeshHelloRequest': 'HelloRequest', 'Hello': 'HelloRequest'}
# (class, newer field) -> seed field: read under both names, written under the seed name.
FIELD_ALIASES = {('ConstraintsSelect', 'Store'): 'Container', ('ContainerStatus', 'Store'): 'Container',
                 ('StatusResponse', 'StoreStatus'): 'ContainerStatus'}
# JOSE structures: the texts print the C# member name; the wire uses the JOSE parameter name.
JOSE_WIRE = {'Enc': 'enc', 'Dig': 'dig', 'Alg': 'alg', 'Kid': 'kid', 'X5u': 'x5u', 'X5c': 'x5c', 'X5t': 'x5t',
             'X5tS256': 'x5t#S256', 'Kty': 'kty', 'Use': 'use', 'Key_ops': 'key_ops', 'K': 'k', 'Curve': 'crv',
             'N': 'n', 'E': 'e', 'D': 'd', 'P': 'p', 'Q': 'q', 'DP': 'dp', 'DQ': 'dq', 'QI': 'qi'}
# Fields the examples carry that no schema listing prints (base classes of the reference library).
EXTRA = {
    'KeyData': [('PublicParameters', 'Key', False), ('PrivateParameters', 'Key', False)],
    'MeshResponse': [('Status', 'Integer', False), ('StatusDescription', 'String', False)],
    'MeshHelloResponse': [('Version', 'VersionInfo', False)],
    'VersionInfo': [('Major', 'Integer', False), ('Minor', 'Integer', False), ('Encodings', 'Encoding', True)],
    'Encoding': [('ID', 'String', True), ('Dictionary', 'String', True)],
    'Connection': [('Active', 'Boolean', False)],
    'CatalogedContact': [('Contact', 'Contact', False)],
    'CatalogedAccess': [('Capability', 'Capability', False)],
    'CatalogedDevice': [('ApplicationEntries', 'ApplicationEntry', True)],
    'DevicePreconfigurationPrivate': [('PrivateKey', 'Key', False)],
    'OperateRequest': [('Operations', 'CryptographicOperation', True)],
    'OperateResponse': [('Results', 'CryptographicResult', True)],
    'CryptographicOperationKeyAgreement': [('PublicKey', 'Key', False)],
    'CryptographicResultKeyAgreement': [('KeyAgreement', 'KeyAgreement', False)],
    'CryptographicCapability': [('GranteeUdf', 'String', False), ('EnvelopedKeyShare', 'Enveloped<KeyShare>', False)],
}
# Base classes the examples write as plain objects although subclasses exist.
UNTAGGED = {'NamedService'}
EXTRA_PARENT = {'HelloRequest': 'MeshRequest', 'MeshHelloResponse': 'MeshResponse'}

classes = {}   # name -> Cls (merged)
origin = {}    # name -> list of sources


def merge(src_classes, first):
    for name, c in src_classes.items():
        name = CLASS_ALIASES.get(name, name)
        if name not in classes:
            m = Cls(name, c.kind, c.source)
            m.inherits = CLASS_ALIASES.get(c.inherits, c.inherits)
            classes[name] = m
            origin[name] = []
        m = classes[name]
        origin[name].append(c.source)
        if first and c.inherits:
            m.inherits = CLASS_ALIASES.get(c.inherits, c.inherits)
        elif m.inherits is None and c.inherits:
            m.inherits = CLASS_ALIASES.get(c.inherits, c.inherits)
        for f in c.fields:
            fname = FIELD_ALIASES.get((name, f[0]), f[0])
            if fname not in m.field_names():
                m.fields.append((fname, f[1], f[2]))


# The 2020 seed spells some schema classes with other letter case (CatalogedApplicationSSH); the
# newer spelling is the class, the older one a tag alias (C# type names may not differ only in case).
lower = {n.lower(): n for n in mesh}
for n in list(sec):
    if n not in mesh and n.lower() in lower:
        CLASS_ALIASES[n] = lower[n.lower()]

merge(seed09, True)
merge(proto, False)
merge(mesh, True)
merge(sec, False)
merge(jose, True)
for name, fields in EXTRA.items():
    if name not in classes:
        classes[name] = Cls(name, 'Structure', 'examples')
        origin[name] = ['examples (no schema listing)']
    for f in fields:
        if f[0] not in classes[name].field_names():
            classes[name].fields.append(f)
for name, parent in EXTRA_PARENT.items():
    if classes[name].inherits is None:
        classes[name].inherits = parent
if 'HelloRequest' not in classes:
    classes['HelloRequest'] = Cls('HelloRequest', 'Message', 'seed')


def ancestors(name):
    out = []
    c = classes.get(name)
    while c and c.inherits and c.inherits in classes:
        out.append(c.inherits)
        c = classes[c.inherits]
    return out


# Drop fields that an ancestor already declares (the texts repeat some after re-parenting).
for name, c in classes.items():
    seen = set()
    for a in ancestors(name):
        seen.update(classes[a].field_names())
    c.fields = [f for f in c.fields if f[0] not in seen]

children = {}
for name, c in classes.items():
    if c.inherits in classes:
        children.setdefault(c.inherits, []).append(name)


def cs_type(t, many):
    """Returns (C# type, converter attribute or None)."""
    if t.startswith('Enveloped') or t in ('DareEnvelope', 'SignedEnvelope'):
        return ('List<Enveloped>' if many else 'Enveloped'), None
    simple = {'String': 'string', 'Binary': 'byte[]', 'Integer': 'long', 'DateTime': 'DateTime', 'Boolean': 'bool'}
    if t in simple:
        b = simple[t]
        return (f'List<{b}>' if many else (b if b in ('string', 'byte[]') else b)), None
    if t in classes:
        if t in children and t not in UNTAGGED:  # polymorphic: written as {"Tag":{...}}
            conv = f'TaggedListConverter<{t}>' if many else f'TaggedConverter<{t}>'
            return (f'List<{t}>' if many else t), conv
        return (f'List<{t}>' if many else t), None
    # Types defined outside this schema (DARE, X.509...) pass through unchanged.
    return ('List<JsonElement>' if many else 'JsonElement'), None


def pascal(n):
    n = n.replace('#', '')
    return n[0].upper() + n[1:]


lines = ['// <auto-generated>',
         '// Generated by libs/Mesh.Core/Schema/Generator/generate_schema.py from the Mesh schema texts',
         '// (seed protocol -09 §10, ProtocolSchema.md, SchemaMesh.md, mesh-security-2020-11 §2, JoseSchema.md).',
         '// Do not edit: change the generator and run it again.',
         '// </auto-generated>',
         '#nullable enable',
         'using System.Text.Json;',
         'using System.Text.Json.Serialization;',
         'using Mesh.Core.Json;',
         '',
         'namespace Mesh.Core.Schema;', '']
order = sorted(classes)
for name in order:
    c = classes[name]
    parent = c.inherits if c.inherits in classes else 'MeshItem'
    lines.append(f'/// <summary>{c.kind} {name} (from {", ".join(origin[name])}).</summary>')
    lines.append(f'public partial class {name} : {parent}')
    lines.append('{')
    for fname, t, many in c.fields:
        # KeyAgreementECDH is written with "Curve" (ProtocolCryptoKeyAgree.md); the keys use "crv".
        wire = JOSE_WIRE.get(fname, fname) if name in jose_keys and not name.startswith('KeyAgreement') else fname
        prop = pascal(fname)
        if prop == name:
            prop += 'Value'
        ctype, conv = cs_type(t, many)
        nullable = ctype if ctype.endswith('?') else ctype + '?'
        lines.append('')
        lines.append(f'    [JsonPropertyName("{wire}")]')
        if conv:
            lines.append(f'    [JsonConverter(typeof({conv}))]')
        lines.append(f'    public {nullable} {prop} {{ get; set; }}')
    for (cls, newer), seed in FIELD_ALIASES.items():
        if cls != name:
            continue
        ctype, conv = cs_type(next(f[1] for f in c.fields if f[0] == seed), next(f[2] for f in c.fields if f[0] == seed))
        lines.append('')
        lines.append(f'    /// <summary>Newer spelling of {seed}: read, never written.</summary>')
        lines.append(f'    [JsonPropertyName("{newer}")]')
        lines.append(f'    public {ctype}? {newer}Alias {{ get => null; set {{ if (value is not null) {pascal(seed)} = value; }} }}')
    lines.append('}')
    lines.append('')
open(os.path.join(OUT, 'SchemaClasses.g.cs'), 'w').write('\n'.join(lines))

ctx = ['// <auto-generated> by Generator/generate_schema.py </auto-generated>',
       '#nullable enable',
       'using System.Collections.Frozen;',
       'using System.Text.Json.Serialization;',
       'using Mesh.Core.Json;',
       '',
       'namespace Mesh.Core.Schema;', '']
ctx.append('[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,')
ctx.append('    Converters = [typeof(Base64UrlConverter), typeof(Rfc3339DateTimeConverter)])]')
for name in order:
    ctx.append(f'[JsonSerializable(typeof({name}))]')
ctx.append('public partial class MeshSchemaContext : JsonSerializerContext;')
ctx.append('')
ctx.append('/// <summary>Type tags of the schema: every class by its own name, plus the newer spellings read as seed classes.</summary>')
ctx.append('public static partial class MeshSchemaTags')
ctx.append('{')
ctx.append('    static FrozenDictionary<string, Type> Build() => new Dictionary<string, Type>')
ctx.append('    {')
for name in order:
    ctx.append(f'        ["{name}"] = typeof({name}),')
for alias, name in CLASS_ALIASES.items():
    ctx.append(f'        ["{alias}"] = typeof({name}),')
ctx.append('    }.ToFrozenDictionary(StringComparer.Ordinal);')
ctx.append('')
ctx.append('    static FrozenDictionary<Type, string> BuildNames() => new Dictionary<Type, string>')
ctx.append('    {')
for name in order:
    ctx.append(f'        [typeof({name})] = "{name}",')
ctx.append('    }.ToFrozenDictionary();')
ctx.append('')
ctx.append('    /// <summary>Other spellings of tags and fields → the spelling written (docs/conformance/json.md, "Naming choices").</summary>')
ctx.append('    public static IReadOnlyDictionary<string, string> AlternateTagSpellings { get; } = new Dictionary<string, string>')
ctx.append('    {')
for alias, name in CLASS_ALIASES.items():
    ctx.append(f'        ["{alias}"] = "{name}",')
ctx.append('    };')
ctx.append('')
ctx.append('    public static IReadOnlyDictionary<(string Class, string Field), string> AlternateFieldSpellings { get; } = new Dictionary<(string, string), string>')
ctx.append('    {')
for (cls, newer), seed in FIELD_ALIASES.items():
    ctx.append(f'        [("{cls}", "{newer}")] = "{seed}",')
ctx.append('    };')
ctx.append('}')
open(os.path.join(OUT, 'MeshSchemaContext.g.cs'), 'w').write('\n'.join(ctx) + '\n')
print(len(classes), 'classes')
