"""Every UI component's examples render, show what they promise, and pass axe (the GOV.UK way).

Examples live in templates/components/examples/<component>.yaml beside the macros. `params:`
documents once what the macro takes (name, type, required, description), checked against the
macro's signature; each example gives `args:` and `expect:`, what its rendered HTML must hold:
`contains` / `not_contains` (text as a reader sees it), `select` (CSS selector: how many
elements match) and `text` (CSS selector: the first match's text). Then every example is
rendered as a page and checked with axe, accessible on its own.
"""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup
from jinja2 import nodes

from support.browser import AXE, StaticServer, describe, require, run_axe
from generator.build import static_assets
from generator.render import TEMPLATES_DIR, environment, linker

COMPONENTS = TEMPLATES_DIR / "components"
EXAMPLES = COMPONENTS / "examples"
OUTSIDE_MAIN = {"site_header", "site_footer"}  # landmarks of their own


def specs() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES.glob("*.yaml"))}


def example_cases():
    for component, spec in specs().items():
        for example in spec["examples"]:
            yield pytest.param(component, spec["macro"], example, id=f"{component}: {example['name']}")


def macro_of(component: str, macro_name: str):
    return getattr(environment().get_template(f"components/{component}.html").module, macro_name)


def signature(component: str, macro_name: str) -> list[tuple[str, bool]]:
    """(name, required) of each of the macro's parameters, read from the template itself: a
    parameter is required when it has no default."""
    env = environment()
    source = env.loader.get_source(env, f"components/{component}.html")[0]
    macro = next(node for node in env.parse(source).find_all(nodes.Macro) if node.name == macro_name)
    required = len(macro.args) - len(macro.defaults)
    return [(arg.name, index < required) for index, arg in enumerate(macro.args)]


def render_macro(component: str, macro_name: str, example: dict) -> str:
    """The macro's HTML for the example's args (a page passes its own `url`)."""
    macro = macro_of(component, macro_name)
    args = dict(example["args"])
    if "url" in macro.arguments:
        args["url"] = linker(f"components/{component}/index.html")
    return str(macro(**args))


def render_example(component: str, macro_name: str, example: dict) -> str:
    html = render_macro(component, macro_name, example)
    body = (html + f'<main id="main"><h1>组件示例：{example["name"]}</h1></main>'
            if macro_name in OUTSIDE_MAIN else f'<main id="main"><h1>组件示例：{example["name"]}</h1>{html}</main>')
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{component}</title><link rel="stylesheet" href="../../assets/site.css">'
            '<script src="../../assets/site.js"></script></head>'
            f'<body>{body}</body></html>')


def seen(node) -> str:
    """Text as a reader sees it: white space between tags folded to one space."""
    return " ".join(node.get_text().split())


def test_every_component_has_examples():
    macros = {path.stem for path in COMPONENTS.glob("*.html")}
    examples = {path.stem for path in EXAMPLES.glob("*.yaml")}
    assert macros == examples, f"components without examples: {sorted(macros - examples)}"


PARAM_TYPES = {"string": str, "boolean": bool, "number": int}  # the rest name a model class, a list or a function


@pytest.mark.parametrize("component", sorted(specs()))
def test_params_are_the_macros_signature(component):
    """`params:` lists the macro's parameters in order, each required exactly when it has no
    default; every example passes only documented params, every required one but `url`, each of
    its declared kind."""
    spec = specs()[component]
    params = spec["params"]
    assert [(p["name"], p["required"]) for p in params] == signature(component, spec["macro"])
    assert all(p["type"] and p["description"] for p in params), "each param needs a type and a description"
    for example in spec["examples"]:
        given = example["args"]
        assert set(given) <= {p["name"] for p in params}, example["name"]
        assert {p["name"] for p in params if p["required"] and p["name"] != "url"} <= set(given), example["name"]
        for param in params:
            value = given.get(param["name"])
            if value is None:
                continue
            if param["type"] in PARAM_TYPES:
                assert type(value) is PARAM_TYPES[param["type"]], (example["name"], param["name"])
            elif param["type"].startswith("list"):
                assert isinstance(value, list), (example["name"], param["name"])
            else:
                assert isinstance(value, dict), (example["name"], param["name"])


EXPECTATIONS = {"contains", "not_contains", "select", "text"}


@pytest.mark.parametrize("component,macro_name,example", example_cases())
def test_example_shows_what_it_expects(component, macro_name, example):
    expect = example.get("expect") or {}
    assert expect and set(expect) <= EXPECTATIONS, f"an example needs expect: with {sorted(EXPECTATIONS)}"
    html = BeautifulSoup(render_macro(component, macro_name, example), "html.parser")
    text = seen(html)
    for wanted in expect.get("contains", []):
        assert wanted in text, f"{wanted!r} not in {text!r}"
    for unwanted in expect.get("not_contains", []):
        assert unwanted not in text, f"{unwanted!r} in {text!r}"
    for selector, count in expect.get("select", {}).items():
        assert len(html.select(selector)) == count, f"{selector}: {len(html.select(selector))} elements, expected {count}"
    for selector, wanted in expect.get("text", {}).items():
        found = html.select_one(selector)
        assert found is not None and seen(found) == wanted, f"{selector}: {found and seen(found)!r}"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """Every example written as a page under one folder, with the site's CSS and JS, served over HTTP."""
    root = tmp_path_factory.mktemp("components")
    for relative, data in static_assets().items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    server = StaticServer(root)
    yield root, server.url
    server.close()


@pytest.mark.parametrize("component,macro_name,example", example_cases())
def test_example_renders_and_passes_axe(gallery, page, component, macro_name, example):
    require(AXE.exists(), "axe-core (npm)", "npm ci --ignore-scripts")
    root, url = gallery
    slug = f"{component}-{abs(hash(example['name'])) % 10**8}"
    target = root / "components" / slug / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_example(component, macro_name, example), encoding="utf-8")
    page.goto(f"{url}components/{slug}/")
    violations = run_axe(page)
    assert not violations, describe(violations)
