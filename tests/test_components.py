"""Every UI component's examples render, and each rendered example passes axe (the GOV.UK way).

Examples live in templates/components/examples/<component>.yaml beside the macros; they document
what each macro takes, and this test proves every one of them works and is accessible on its own.
"""

from __future__ import annotations

import pytest
import yaml

from support.browser import AXE, StaticServer, describe, require, run_axe
from generator.build import static_assets
from generator.render import TEMPLATES_DIR, environment, linker

COMPONENTS = TEMPLATES_DIR / "components"
EXAMPLES = COMPONENTS / "examples"
OUTSIDE_MAIN = {"site_header", "site_footer"}  # landmarks of their own


def example_cases():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for example in spec["examples"]:
            yield pytest.param(path.stem, spec["macro"], example, id=f"{path.stem}: {example['name']}")


def render_example(component: str, macro_name: str, example: dict) -> str:
    env = environment()
    module = env.get_template(f"components/{component}.html").module
    macro = getattr(module, macro_name)
    args = dict(example["args"])
    if "url" in macro.arguments:
        args["url"] = linker(f"components/{component}/index.html")
    html = str(macro(**args))
    body = (html + f'<main id="main"><h1>组件示例：{example["name"]}</h1></main>'
            if macro_name in OUTSIDE_MAIN else f'<main id="main"><h1>组件示例：{example["name"]}</h1>{html}</main>')
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{component}</title><link rel="stylesheet" href="../../assets/site.css">'
            '<script src="../../assets/site.js"></script></head>'
            f'<body>{body}</body></html>')


def test_every_component_has_examples():
    macros = {path.stem for path in COMPONENTS.glob("*.html")}
    examples = {path.stem for path in EXAMPLES.glob("*.yaml")}
    assert macros == examples, f"components without examples: {sorted(macros - examples)}"


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
