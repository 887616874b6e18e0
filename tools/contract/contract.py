#!/usr/bin/env python3
"""Tools over the hall contract docs/api/hall.yaml (python3 with python3-yaml; `examples` also
needs python3-jsonschema). No network.

  contract.py examples          every operation has its examples (request body, 200, each error
                                status it lists) and each validates against its schema; no
                                unmasked personal data; then a planted bad example must be caught
  contract.py embed OUT.cpp     the contract as JSON in a C++ source (hall-sim's strict mode)
  contract.py html OUT.html     the browsable reference (docs/api/hall.html)
  contract.py html --check      fails when docs/api/hall.html is not what the contract makes
"""
import copy
import html
import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs/api/hall.yaml"
REFERENCE = ROOT / "docs/api/hall.html"
METHODS = ("get", "post", "put", "patch", "delete")


def load():
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def operations(doc):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError("only local references: " + ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


# --- examples -------------------------------------------------------------------------------

# Unmasked ID numbers may appear in examples only if they are the simulator's fictional ones.
ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
MASKED_NAME = re.compile(r"^.\*{1,3}$")


def fictional_id_numbers():
    seed = (ROOT / "sim/hall/seed.cpp").read_text(encoding="utf-8")
    return set(ID_NUMBER.findall(seed))


def personal_data_problems(value, where, fictional):
    problems = []
    text = json.dumps(value, ensure_ascii=False)
    for n in ID_NUMBER.findall(text):
        if n not in fictional:
            problems.append(f"{where}: ID number {n[:4]}... is not one of the simulator's fictional ones")
    if PHONE.search(text):
        problems.append(f"{where}: an unmasked mobile number (write 138****5678)")

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("holder", "name") and isinstance(x, str) and not MASKED_NAME.match(x):
                    problems.append(f"{where}: {k} {x!r} is not masked (张*)")
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(value)
    return problems


def example_cases(doc):
    """(where, schema, value, kind) for every example the contract carries, and coverage problems."""
    cases, missing = [], []

    def media_examples(media, where):
        found = []
        if "example" in media:
            found.append((where, media["example"]))
        for name, ex in (media.get("examples") or {}).items():
            ex = deref(doc, ex)
            if "value" not in ex:
                missing.append(f"{where} example {name}: no value")
                continue
            found.append((f"{where} example {name}", ex["value"]))
        return found

    for path, method, op in operations(doc):
        oid = op.get("operationId", f"{method} {path}")
        body = op.get("requestBody")
        if body:
            for ctype, media in deref(doc, body)["content"].items():
                got = media_examples(media, f"{oid} request {ctype}")
                if not got:
                    missing.append(f"{oid}: no request example")
                cases += [(w, media["schema"], v, "request") for w, v in got]
        for status, resp in op["responses"].items():
            resp = deref(doc, resp)
            for ctype, media in (resp.get("content") or {}).items():
                if not ctype.startswith("application/json"):
                    continue  # a PDF has no JSON example
                got = media_examples(media, f"{oid} {status}")
                if not got:
                    missing.append(f"{oid}: no example for response {status}")
                cases += [(w, media["schema"], v, "response") for w, v in got]
        if not any(str(s).startswith("2") for s in op["responses"]):
            missing.append(f"{oid}: no success response")
    return cases, missing


def validator_for(doc, schema):
    import jsonschema

    root = {"components": doc["components"]}
    root.update(copy.deepcopy(schema))
    return jsonschema.Draft7Validator(root, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def check_examples(doc, quiet=False):
    cases, problems = example_cases(doc)
    fictional = fictional_id_numbers()
    for where, schema, value, _kind in cases:
        errors = list(validator_for(doc, schema).iter_errors(value))
        for e in errors[:3]:
            problems.append(f"{where}: {'/'.join(map(str, e.path)) or '$'}: {e.message[:160]}")
        problems += personal_data_problems(value, where, fictional)
        if not quiet and not errors:
            print("ok  ", where)
    return cases, problems


def cmd_examples():
    doc = load()
    cases, problems = check_examples(doc)
    ops = sum(1 for _ in operations(doc))
    for p in problems:
        print("FAIL", p)
    # The check is shown to catch what it is for: a planted bad example must be refused.
    planted = copy.deepcopy(doc)
    planted["components"]["examples"]["takeTicket.ok"]["value"]["waiting_ahead"] = -1
    _, planted_problems = check_examples(planted, quiet=True)
    if not planted_problems:
        print("FAIL the planted bad example (takeTicket.ok waiting_ahead -1) was accepted")
        return 1
    print("planted bad example refused:", planted_problems[0])
    print(f"{len(cases)} examples over {ops} operations, {len(problems)} problems")
    return 1 if problems else 0


# --- embed ----------------------------------------------------------------------------------

def cmd_embed(out):
    doc = load()
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    delim = "hallc"
    if ")" + delim + '"' in text:
        raise SystemExit("embed: the delimiter occurs in the contract")
    # Raw string literals have a length limit on some compilers: emit chunks.
    chunks = [text[i:i + 8000] for i in range(0, len(text), 8000)]
    body = "\n".join(f'    R"{delim}({c}){delim}"' for c in chunks)
    src = ("// Generated from docs/api/hall.yaml by tools/contract/contract.py embed. Do not edit.\n"
           "#include <string_view>\n\n"
           "namespace kiosk::hallsim::contract {\n"
           f"extern const std::string_view kContractJson;\n"
           f"const std::string_view kContractJson =\n{body};\n"
           "}  // namespace kiosk::hallsim::contract\n")
    p = pathlib.Path(out)
    if not p.exists() or p.read_text(encoding="utf-8") != src:
        p.write_text(src, encoding="utf-8")
    return 0


# --- html -----------------------------------------------------------------------------------

def esc(s):
    return html.escape(str(s), quote=True)


def schema_name(node):
    if isinstance(node, dict) and "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    return None


def type_of(doc, s):
    name = schema_name(s)
    if name:
        return f'<a href="#schema-{esc(name)}">{esc(name)}</a>'
    t = s.get("type", "any")
    if t == "array":
        return "array of " + type_of(doc, s.get("items", {}))
    if t == "object" and isinstance(s.get("additionalProperties"), dict):
        return "map of " + type_of(doc, s["additionalProperties"])
    if "format" in s:
        return f"{esc(t)} ({esc(s['format'])})"
    return esc(t)


def constraints(s):
    parts = []
    for k in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
        if k in s:
            parts.append(f"{k} {s[k]}")
    if "pattern" in s:
        parts.append(f"pattern <code>{esc(s['pattern'])}</code>")
    if "enum" in s:
        parts.append("one of " + ", ".join(f"<code>{esc(v)}</code>" for v in s["enum"]))
    items = s.get("items", {})
    if "enum" in items:
        parts.append("items one of " + ", ".join(f"<code>{esc(v)}</code>" for v in items["enum"]))
    if s.get("deprecated"):
        parts.append("<strong>deprecated</strong>")
    return "; ".join(parts)


def paragraphs(text):
    """The contract's descriptions: plain text with '- ' lists and `code`."""
    out, in_list = [], False
    for line in str(text).strip().split("\n"):
        stripped = line.strip()
        inline = re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(stripped))
        if stripped.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append("<li>" + inline[2:])
        elif in_list and line.startswith("  ") and stripped:
            out.append(" " + inline)
        else:
            if in_list:
                out.append("</ul>")
                in_list = False
            if stripped:
                out.append("<p>" + inline + "</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def example_blocks(doc, media):
    out = []
    for name, ex in (media.get("examples") or {}).items():
        ex = deref(doc, ex)
        out.append(f'<details><summary>example: {esc(name)}</summary><pre>'
                   f'{esc(json.dumps(ex.get("value"), ensure_ascii=False, indent=2))}</pre></details>')
    return "".join(out)


CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
header{background:#0b4f8a;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;opacity:.85}
main{display:flex;gap:24px;padding:16px 24px}
nav{flex:0 0 290px;position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto;font-size:13px}
nav h3{margin:12px 0 4px;font-size:13px;text-transform:uppercase;color:#555}
nav a{display:block;padding:2px 0;color:#0b4f8a;text-decoration:none}
#filter{width:100%;box-sizing:border-box;padding:6px;margin-bottom:6px}
article{flex:1;min-width:0}
section.op,section.schema,section.intro{background:#fff;border:1px solid #d5dde5;border-radius:6px;padding:12px 16px;margin:0 0 14px}
.m{display:inline-block;min-width:48px;text-align:center;font-weight:bold;border-radius:4px;padding:2px 6px;color:#fff}
.get{background:#2b8a3e}.post{background:#1c6dd0}
.path{font-family:monospace;font-size:15px;margin-left:6px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
td,th{border:1px solid #e1e6eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f3f6}
pre{background:#f3f5f7;padding:8px;overflow:auto;font-size:12px}
code{background:#eef1f4;padding:0 3px;border-radius:3px}
.oid{color:#666;font-size:12px;margin-left:8px}
"""

SCRIPT = """
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('nav a.opl').forEach(function (a) {
    a.style.display = a.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
document.body.setAttribute('data-ready', String(document.querySelectorAll('section.op').length));
"""


def render_html(doc):
    info = doc["info"]
    ops = list(operations(doc))
    nav, body = [], []
    by_tag = {}
    for path, method, op in ops:
        by_tag.setdefault(op.get("tags", ["other"])[0], []).append((path, method, op))
    tag_desc = {t["name"]: t.get("description", "") for t in doc.get("tags", [])}
    for tag, items in by_tag.items():
        nav.append(f"<h3>{esc(tag)}</h3>")
        for path, method, op in items:
            oid = op["operationId"]
            nav.append(f'<a class="opl" href="#op-{esc(oid)}">{esc(method.upper())} {esc(path)}</a>')
    nav.append('<h3>schemas</h3>')
    for name in doc["components"]["schemas"]:
        nav.append(f'<a href="#schema-{esc(name)}">{esc(name)}</a>')

    body.append(f'<section class="intro" id="rules"><h2>Rules and compatibility</h2>{paragraphs(info.get("description", ""))}</section>')
    for tag, items in by_tag.items():
        body.append(f'<h2 id="tag-{esc(tag)}">{esc(tag)} <small>{esc(tag_desc.get(tag, ""))}</small></h2>')
        for path, method, op in items:
            oid = op["operationId"]
            h = [f'<section class="op" id="op-{esc(oid)}" data-operation="{esc(oid)}">',
                 f'<h3><span class="m {esc(method)}">{esc(method.upper())}</span>'
                 f'<span class="path">{esc(path)}</span><span class="oid">{esc(oid)}</span></h3>']
            if op.get("description"):
                h.append(paragraphs(op["description"]))
            if op.get("security"):
                h.append("<p>Needs a staff token (<code>Authorization: Bearer</code>).</p>")
            params = [deref(doc, p) for p in op.get("parameters", [])]
            if params:
                h.append("<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>constraints</th></tr>")
                for p in params:
                    s = p.get("schema", {})
                    h.append(f"<tr><td><code>{esc(p['name'])}</code></td><td>{esc(p['in'])}</td>"
                             f"<td>{'yes' if p.get('required') else 'no'}</td><td>{type_of(doc, s)}</td>"
                             f"<td>{constraints(deref(doc, s))}</td></tr>")
                h.append("</table>")
            if op.get("requestBody"):
                for ctype, media in deref(doc, op["requestBody"])["content"].items():
                    h.append(f"<p><strong>Request body</strong> ({esc(ctype)}): {type_of(doc, media['schema'])}</p>")
                    h.append(example_blocks(doc, media))
            h.append("<table><tr><th>status</th><th>description</th><th>body</th></tr>")
            examples = []
            for status, resp in op["responses"].items():
                resp = deref(doc, resp)
                cells = []
                for ctype, media in (resp.get("content") or {}).items():
                    cells.append(f"{esc(ctype)}: {type_of(doc, media.get('schema', {}))}")
                    examples.append(example_blocks(doc, media).replace("example: ", f"{esc(status)} example: "))
                h.append(f"<tr><td>{esc(status)}</td><td>{esc(resp.get('description', ''))}</td><td>{'<br>'.join(cells)}</td></tr>")
            h.append("</table>" + "".join(examples) + "</section>")
            body.append("\n".join(h))
    body.append("<h2 id=\"schemas\">Schemas</h2>")
    for name, s in doc["components"]["schemas"].items():
        h = [f'<section class="schema" id="schema-{esc(name)}"><h3>{esc(name)}</h3>']
        if s.get("description"):
            h.append(f"<p>{esc(s['description'])}</p>")
        props = s.get("properties")
        if props:
            req = set(s.get("required", []))
            h.append("<table><tr><th>field</th><th>type</th><th>required</th><th>constraints</th><th>description</th></tr>")
            for pname, ps in props.items():
                h.append(f"<tr><td><code>{esc(pname)}</code></td><td>{type_of(doc, ps)}</td>"
                         f"<td>{'yes' if pname in req else ''}</td><td>{constraints(ps)}</td>"
                         f"<td>{esc(ps.get('description', ''))}</td></tr>")
            h.append("</table>")
        else:
            h.append(f"<p>{type_of(doc, s)} {constraints(s)}</p>")
        h.append("</section>")
        body.append("\n".join(h))
    title = f"{info['title']} {info['version']}"
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(title)}</title>\n<meta name=\"generator\" content=\"tools/contract/contract.py\">\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n"
            f"<header><h1>{esc(info['title'])}</h1><p>contract version {esc(info['version'])} · "
            f"OpenAPI {esc(doc['openapi'])} · {len(ops)} operations · generated from docs/api/hall.yaml</p></header>\n"
            "<main>\n<nav><input id=\"filter\" placeholder=\"filter operations\" aria-label=\"filter operations\">\n"
            + "\n".join(nav) + "\n</nav>\n<article>\n" + "\n".join(body) + "\n</article>\n</main>\n"
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n")


def cmd_html(args):
    page = render_html(load())
    if args and args[0] == "--check":
        if not REFERENCE.exists() or REFERENCE.read_text(encoding="utf-8") != page:
            print("html: docs/api/hall.html is stale: run tools/contract/contract.py html docs/api/hall.html")
            return 1
        print("html: docs/api/hall.html is what docs/api/hall.yaml makes")
        return 0
    pathlib.Path(args[0] if args else REFERENCE).write_text(page, encoding="utf-8")
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "examples":
        return cmd_examples()
    if len(argv) == 3 and argv[1] == "embed":
        return cmd_embed(argv[2])
    if len(argv) >= 2 and argv[1] == "html":
        return cmd_html(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
