"""`zwgk init DIR --issuer NAME [--parent NAME]`: a new site folder, ready for `zwgk serve`
and `zwgk build` run inside it (as `mkdocs new` and `hugo new site` start one).

It writes content/ (site.yaml, a registry file for the issuer and its parent, one example
plan), schema/ (a copy of the tool's, so that the files' `$schema` lines work in an editor as
they do in the tool's repository), a .gitignore and README.md, a short guide for the editors.
The registry is guessed as `import --register` guesses it (importer/register.py): ids from
the names' pinyin initials, the parent from --parent, else the government of the place the
issuer's name starts with, each guess marked `# 待核`.

The example plan is published, not a draft: a site of drafts alone does not build, and the
guide says to replace it. The folder is written whole or not at all: into a temporary folder
beside it, renamed into place at the end; a folder that is not empty is refused untouched.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

from . import tool
from .errors import CannotBuild
from .importer.register import Registration
from .importer.writer import scalar
from .registry import build as build_registry


def new_site(folder: Path, issuer: str, parent: str | None = None) -> list[Path]:
    """Write the site folder; the files written, relative to it. CannotBuild if `folder` is
    not empty or cannot be written."""
    folder = Path(os.path.abspath(folder))
    _require_empty(folder)
    issuer = issuer.strip()
    if not issuer:
        raise CannotBuild("init-no-issuer")
    registration = Registration(build_registry([])[0], folder / "content", title="", issuer=issuer, parent=None,
                                source="zwgk init", new_parent=(parent or "").strip() or None,
                                heading="由 zwgk init 写出的登记册")
    year = datetime.date.today().year
    plan_id = f"{registration.issuer_id}-{year}"
    texts = {
        Path("content/site.yaml"): _site_yaml(issuer),
        **{path.relative_to(folder): text for path, text in registration.texts().items()},
        Path(f"content/plans/{plan_id}.yaml"): _example_plan(plan_id, issuer, year),
        Path("README.md"): _guide(issuer, plan_id),
        Path(".gitignore"): "output/\n.output.lock\n",
    }
    schemas = {Path("schema") / path.relative_to(tool.folder("schema")): path
               for path in tool.folder("schema").rglob("*.json")}
    try:
        staging = Path(tempfile.mkdtemp(prefix=".zwgk-init-", dir=folder.parent))
    except OSError as error:
        raise CannotBuild("init-cannot-write", folder=folder, reason=error) from None
    try:
        for relative, text in texts.items():
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).write_text(text, encoding="utf-8")
        for relative, source in schemas.items():
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / relative)
        staging.chmod(0o777 & ~_umask())
        os.replace(staging, folder)  # an empty folder is replaced as a whole (rename(2))
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CannotBuild("init-cannot-write", folder=folder, reason=error) from None
    return sorted([*texts, *schemas])


def _require_empty(folder: Path) -> None:
    if not os.path.lexists(folder):
        return
    if not folder.is_dir() or folder.is_symlink():
        raise CannotBuild("init-not-a-folder", folder=folder)
    if any(folder.iterdir()):
        raise CannotBuild("init-folder-not-empty", folder=folder)


def _umask() -> int:
    """The mode a new folder gets (mkdtemp makes it 0700, for itself alone)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _site_yaml(issuer: str) -> str:
    return f"""# yaml-language-server: $schema=../schema/site.schema.json
# 网站设置：各字段的含义见 zwgk schema-doc 打印的参考。
title: {scalar(issuer + "政务公开工作要点")}
description: {scalar(issuer + "政务公开工作要点分工方案：谁牵头、做什么、落实得怎样。")}
# 网站部署在子路径下时改为该路径，如 /zwgk/plans/
base_path: /
footer:
  sponsor: {scalar(issuer)}
# 网站的颜色和标志（可选）：颜色写成带引号的 "#1a5fb4"；构建时检查文字与背景的对比度。
# 标志图片放在 content/static/ 中，alt 写图片上的文字或机构名称。
# theme:
#   colors:
#     primary: "#8c1c13"
#     header_text: "#ffffff"
#   logo:
#     src: logo.svg
#     alt: {issuer}
"""


def _example_plan(plan_id: str, issuer: str, year: int) -> str:
    name = scalar(issuer)
    return f"""# yaml-language-server: $schema=../../schema/plan.schema.json
# 示例计划，由 zwgk init 写出：用 zwgk import 导入本单位的正式文件后，删除本文件。
id: {plan_id}
title: {scalar(f"{issuer}{year}年政务公开工作要点（示例）")}
issuer: {name}
kind: 工作要点
year: {year}
source:
  note: 由 zwgk init 写出的示例，内容虚构，请替换为正式文件。
sections:
  - label: 一、
    title: 加强政策解读
    measures:
      - label: "1."
        text: 重要政策文件与解读材料同步发布。
        responsibility: {{lead: {name}}}
        deadline: {year}年12月底前
      - label: "2."
        text: 每季度更新一次政府信息公开指南和目录。
        responsibility: {{lead: {name}}}
  - label: 二、
    title: 做好依申请公开
    measures:
      - label: "3."
        text: 依法按时答复政府信息公开申请。
        responsibility: {{lead: {name}}}
"""


def _guide(issuer: str, plan_id: str) -> str:
    return f"""# {issuer}政务公开工作要点网站

本目录是用 `zwgk init` 新建的网站：`content/` 是内容（YAML 文件），`zwgk build` 把它生成为
`output/` 中的静态网页。以下命令都在本目录中运行。

## 目录

| 位置 | 内容 |
| --- | --- |
| `content/site.yaml` | 网站名称、页脚、部署路径、颜色和标志 |
| `content/registry/` | 登记册：发布机构和各单位的名称、简称、上下级；“待核”注释处请核对 |
| `content/plans/` | 计划，每份一个文件；`{plan_id}.yaml` 是示例，导入正式文件后删除 |
| `content/static/` | 原样复制到网站根目录的文件（标志图片、robots.txt、验证文件等） |
| `templates/` | （可选）本网站自己的模板和样式，覆盖工具中同一路径的文件 |
| `schema/` | 字段说明，供编辑器补全和检查；构建以 zwgk 自带的为准 |

## 导入计划

    zwgk import 收到的文件.docx --issuer {issuer}

支持 Word、Excel、网页、PDF 和文本。导入结果写到 `content/plans/`，标为草稿（`draft: true`），
并列出需要核对的地方；文中有登记册里没有的单位时，加 `--register` 同时写出登记册草稿。
进展报告（落实情况表）用 `zwgk import 文件 --report 计划id` 导入。

## 预览

    zwgk serve

打开 http://127.0.0.1:8000/ 。保存文件后页面自动刷新；内容有错时终端和页面都会列出文件、行号和原因。
草稿只在预览中显示。

## 检查和生成

    zwgk check     # 只检查内容
    zwgk build     # 生成到 output/

有错误时不会生成，`output/` 保持上一次的内容。核对无误的草稿，删去 `draft: true` 后才会生成。

## 部署

把 `output/` 中的全部文件上传到网站服务器或站群平台的对应目录即可，例如
`rsync -a output/ 服务器:/var/www/zwgk/`。部署在子路径下（如 `/zwgk/plans/`）时，先在
`content/site.yaml` 中设置 `base_path`。服务器应发送的安全响应头（内容安全策略）、缓存和压缩设置，
见 zwgk 项目文档 docs/deploying.md（IIS、nginx、Apache 的配置示例）。

## 外观

在 `content/site.yaml` 的 `theme:` 中设置颜色和标志；颜色对比度达不到无障碍要求（WCAG AA）时，
构建会指出是哪一对颜色、对比度是多少。要改页头、页脚等，在本目录建 `templates/`，放入与 zwgk
模板同一路径的文件，如 `templates/components/site_footer.html`。只改每页的一部分时，写
`templates/base.html`，第一行是 `{{% extends "zwgk/base.html" %}}`（zwgk 自带的页面框架），再只写要改的
`header`（页头）、`footer`（页脚）或 `head`（如链接本网站自己的样式表）块。升级 zwgk 不会改动本目录中的任何文件。
"""
