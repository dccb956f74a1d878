"""Every message that tells an editor something is wrong, in one catalogue.

Why one file: here the wording of every error an editor can meet (in the terminal, in the
overlay of `build.py serve`) can be read and reviewed side by side, and a change of wording is a
change to this file alone. Code that finds a mistake names its kind and gives the values
(ContentError(…, kind="unknown-unit", values={"name": name}), CannotBuild("output-busy",
target=target)); the text is made here, when the error is shown.

A template is str.format text; how each value is shown is the template's to say:

    {name}         a value quoted from content, arguments or the system: cut at SHOWN_CHARACTERS,
                   invisible characters named (`shorten`); a Path is cut at PATH_CHARACTERS
    {name:.120}    cut at 120 characters instead
    {name!s}       in full: text the program made (a list of errors, a dotted field name);
                   invisible characters but line breaks and tabs are named all the same
    {name:、}      a sequence, its items shown one by one and joined by 、 (`{types:或}`: by 或)
    {name:、.40}   the same, each item cut at 40 characters

A value that is a Message is shown as its own catalogue entry (a unit in a list of candidates,
a folder's name); an OSError as its reason in Chinese with the system's words in brackets.
An entry that is a Hinted fills its {hint} from the error's suggestions: what the editor may
have meant, or (`otherwise`) what there is to choose from.

Whatever a value holds, a message never carries a character nobody sees (generator/invisible.py)
as it is: an escape sequence in an argument would otherwise recolour or rewrite the editor's
terminal. Each is written as its code point, <U+001B>.
"""

from __future__ import annotations

import errno
import string
import unicodedata
from pathlib import Path
from typing import NamedTuple

from . import invisible

SHOWN_CHARACTERS = 60  # a value echoed in a message is cut to this many characters
PATH_CHARACTERS = 240  # a path is cut to this many (a real one is far shorter)


class Message(NamedTuple):
    """A message not yet worded: its kind in the catalogue and its values (a whole message, or
    a piece of one such as a unit in a list)."""

    kind: str
    values: dict = {}


class Hinted(NamedTuple):
    """A template whose {hint} is `hint` when the error has suggestions, else `otherwise`."""

    text: str
    hint: str
    otherwise: str = ""


DID_YOU_MEAN = "；您是否想写 {suggestions:、}？"
CLOSEST_NAMES = "；最接近的登记名称：{suggestions:、}"

CATALOGUE: dict[str, str | Hinted] = {
    # -- reading a file (yamlfile.py) ---------------------------------------------------------
    "file-not-found": "文件不存在（file not found）",
    "broken-link": "链接指向的文件不存在（broken symlink）",
    "cannot-read": "无法读取：{detail}（cannot read）",
    "symlink-loop": "符号链接形成循环（symlink loop）",
    "link-outside-content": "这是指向内容目录之外（{target:.120}）的链接，不会读取（symlink leads outside the content folder）",
    "a-folder": "这是一个目录，不是文件：请改名或移走（a folder, not a file）",
    "a-fifo": "这是命名管道（FIFO），不是普通文件，不会读取（not a regular file）",
    "a-device": "这是设备或特殊文件，不是普通文件，不会读取（not a regular file）",
    "file-too-large": "文件超过大小上限 {megabytes} MB，不会读取（file larger than the {megabytes} MB limit）",
    "not-utf8": "文件不是 UTF-8 编码（file is not UTF-8）",
    "gbk-not-utf8": "文件不是 UTF-8 编码；它看起来是 GBK/GB18030 编码，请在编辑器中以 UTF-8 编码另存"
                    "（file is not UTF-8, it looks like GBK）",
    "invisible-character": "这里有一个看不见的字符 {name}，请删除它（invisible character {name}）",
    "second-document": "一个文件只能有一个 YAML 文档：请删除第二个 ---（only one document per file）",
    "key-not-plain": "字段名必须是简单文字（a key must be plain text）",
    "duplicate-key": "字段“{key}”重复出现（duplicate key）",
    "too-deep": "嵌套超过 {limit} 层（nesting deeper than {limit} levels）",
    "unsupported-tag": "不支持的 YAML 标签 {tag}（unsupported YAML tag）",
    "unsupported-tagged-value": "不支持的 YAML 标签 {tag} 或值“{value}”（unsupported YAML tag）；请直接写文字",
    "undefined-alias": "别名 *{anchor} 没有对应的锚点 &{anchor}（undefined alias）",
    "recursive-alias": "别名 *{anchor} 出现在它自己的锚点之内，会无限展开（recursive alias）",
    "alias-bomb": "别名展开的值超过 {limit} 个，不会读取（aliases expand to more than {limit} values; a YAML alias bomb?）",
    "too-many-values": "文件中的值超过 {limit} 个，不会读取（more than {limit} values）",
    # YAML syntax: the parser's English kept in brackets, told in Chinese with what usually causes it
    "yaml-colon-in-text": "YAML 语法错误：这里不能出现“: ”（冒号加空格）（{problem:.120}）；"
                          "提示：文字中有“: ”时，请把整段文字用双引号括起来",
    "yaml-tab": "YAML 语法错误：缩进里有 Tab 字符（{problem:.120}）；提示：缩进只能用空格，请把 Tab 换成空格",
    "yaml-missing-colon": "YAML 语法错误：找不到字段名后的“:”（{problem:.120}）；"
                          "提示：检查上一行是否少了冒号；多行文字请用 |- 并比字段名多缩进两个空格",
    "yaml-keys-not-aligned": "YAML 语法错误：缩进不一致（{problem:.120}）；提示：同一层的字段和“- ”要对齐，缩进只用空格；"
                             "以 [ {{ * & ! | > ' \" % @ ` 开头的文字请加引号",
    "yaml-items-not-aligned": "YAML 语法错误：列表项没有对齐（{problem:.120}）；提示：同一列表的每个“- ”要在同一列",
    "yaml-unclosed-bracket": "YAML 语法错误：方括号或花括号没有闭合（{problem:.120}）；"
                             "提示：[ ] 和 {{ }} 要成对；以 [ 或 {{ 开头的文字请用双引号括起来",
    "yaml-block-not-aligned": "YAML 语法错误：缩进不一致（{problem:.120}）；提示：同一层的字段要对齐，缩进只用空格",
    "yaml-unclosed-quote": "YAML 语法错误：引号或括号没有闭合（{problem:.120}）；"
                           "提示：检查引号是否成对；文字里的双引号写成“”或用单引号括起整段",
    "yaml-bad-escape": "YAML 语法错误：双引号里的反斜杠写法不对（{problem:.120}）；提示：改用单引号括起文字，或把 \\ 写成 \\\\",
    "yaml-undefined-alias": "YAML 语法错误：引用了未定义的锚点（*名称）（{problem:.120}）；提示：以 * 开头的文字请加引号",
    "yaml-bad-first-character": "YAML 语法错误：这个字符不能作为值的开头（{problem:.120}）；"
                                "提示：以 @ ` % 等符号开头的文字请用引号括起来",
    "yaml-syntax": "YAML 语法错误：无法解析（{problem:.120}）；提示：含“: ”或“ #”的文字请加引号，缩进只用空格",
    # -- the schema (schema.py) ---------------------------------------------------------------
    "unknown-field": Hinted("未知字段“{key}”（unknown field）{hint}", DID_YOU_MEAN, otherwise="；可用字段：{allowed:、}"),
    "role-word-as-key": "未知字段“{key}”（unknown field）；“{key}”是文件中的角色用词，字段名请写 {role}"
                        "（role words are written as keys: {role}），并用 words: {{{role}: {key}}} 保留原文用词",
    "role-word-outside-responsibility": "未知字段“{key}”（unknown field）；“{key}”是角色用词，请写在 responsibility 中："
                                        "responsibility: {{{role}: …, words: {{{role}: {key}}}}}"
                                        "（use responsibility.{role}）",
    "required": "缺少必填字段“{name}”（required field missing）",
    "type": "应为{wanted:或}，实际是 {value}（wrong type）",
    "type-string": "文字",
    "type-integer": "整数",
    "type-array": "列表",
    "type-object": "字段表",
    "type-boolean": "true 或 false",
    "enum": "“{value}”不是可选值之一：{choices:、}",
    "pattern": "“{value}”{rule!s}",  # the rule in the schema's own words (patternErrorMessage)
    "pattern-mismatch": "“{value}”格式不对（does not match the pattern）",
    "date": "日期“{value}”不存在（no such date）",
    "empty": "不能为空（must not be empty）",
    "text-and-parts": "text 和 parts 只能写一个（give either text or parts）",
    "measure-without-text": "措施缺少 text（或 parts）（a measure needs text or parts）",
    "section-without-content": "这一部分需要 points、measures 或 body 之一（a section needs points, measures or body）",
    "points-and-measures": "一个部分不能同时有 points 和 measures：把直接挂在部分下的措施放进一个没有标题的要点（points）",
    "out-of-range": "数值 {value} 超出范围（out of range）",
    "schema-rule": "{detail:.200}",  # a rule the schema words no better than jsonschema does
    # -- the registry (registry.py) -----------------------------------------------------------
    "duplicate-unit-id": "单位 id“{id}”重复：{other}（{file}）已使用（duplicate unit id）",
    "unknown-parent-id": Hinted("上级单位 id“{id}”在登记册中不存在（unknown parent id）{hint}", DID_YOU_MEAN),
    # -- the content folder and the plans (content.py) ----------------------------------------
    "content-folder-missing": "内容目录 {folder} 不存在（content folder not found）；请用 --content 指定含有 plans/ 和 registry/ 的目录",
    "content-folder-not-folder": "内容目录 {folder} 不是目录（content folder is not a folder）",
    "folder-is-link": "这是指向 {target:.120} 的目录链接，不会读取：registry/ 和 plans/ 必须是普通目录，"
                      "请用目录本身代替链接（a symlinked folder is not read, wherever it leads）",
    "file-in-subfolder": "子目录中的文件不会被读取：请把它直接放在 {folder} 中（files in subfolders are not read）",
    "empty-file": "文件是空的（empty file）",
    "not-a-plan": "这不是计划文件：计划文件应有 id、title、issuer、kind、year 和 sections 等字段"
                  "（not a plan file; see schema/plan.schema.json）",
    "file-name-not-id": "文件名 {file} 与 id“{id}”不一致：计划文件应命名为 <id>.yaml，"
                        "网址 /plans/<id>/ 才能与文件对应（file name must be the plan id）",
    "report-unknown-plan": Hinted("没有 id 为“{id}”的计划：报告所说的计划应在 content/plans/ 中（unknown plan）{hint}",
                                  DID_YOU_MEAN),
    "report-unknown-measure": Hinted("计划 {plan} 中没有锚点为“{anchor}”的措施：锚点是计划页面上措施地址 # 后面的部分"
                                     "（unknown measure）{hint}", DID_YOU_MEAN),
    "report-duplicate-measure": "措施“{anchor}”在这份报告中出现了两次（the same measure twice in one report）",
    "report-unit-not-of-measure": "“{name}”不是措施“{anchor}”的责任单位；这条措施的单位：{units:、}（not a unit of this measure）",
    "report-entry-empty": "这一项既没有 text（落实情况）也没有 units（各单位的落实情况）（a report entry needs text or units）",
    "duplicate-plan-id": "计划 id“{id}”重复：{other} 已使用（duplicate plan id）",
    "all-drafts": "全部 {count} 份计划都是草稿（draft: true），没有可发布的计划；草稿只在 build.py serve 中显示（every plan is a draft）",
    "no-plans": "没有计划文件：请把计划放在 content/plans/<id>.yaml（no plans）",
    "base-path-mismatch": "base_path“{base_path}”与 base_url 的路径“{url_path}”不一致：删去 base_path 或改成一致"
                          "（base_path must be the path of base_url）",
    "static-not-folder": "static 应是一个普通目录，不能是文件或链接（content/static must be a plain folder）",
    "reserved-name": "{name} 是构建程序保留的文件名（reserved name）",
    "link-to-folder": "指向目录的链接不会被复制（links to folders are not copied）",
    "static-clashes": "与网站生成的文件 {name} 同名，不能覆盖它（clashes with a generated file）",
    "unknown-issuer": Hinted("发布机构“{name}”在登记册中找不到（unknown issuer）{hint}", CLOSEST_NAMES),
    "unknown-unit": Hinted("单位名称“{name}”在登记册（content/registry/）中找不到（unknown unit）{hint}", CLOSEST_NAMES),
    "unknown-sub-unit": "单位名称“{name}”：“{sub_unit}”没有登记在{parent}（{parent_id}）之下（unknown sub-unit）；"
                        "请在 content/registry/ 中把它加入 {parent_id} 的 children",
    "ambiguous-unit": "单位名称“{name}”有歧义（ambiguous unit），可能是：{units:、}；"
                      "请写成 {{name: {name}, unit: <id>}} 指明是哪一个",
    "unit-under": "{name}（属{parent}，id {id}）",
    "unit-at-top": "{name}（属登记册顶层，id {id}）",
    "unit-out-of-scope": "单位名称“{name}”不在{issuer}的计划可直接称呼的范围内（not in the issuer's scope）；"
                         "登记册中只在别处找到：{units:、}。如果它是{issuer}自己的单位，请在 content/registry/ 中"
                         "把它登记在 {issuer_id} 之下（文件中写 parent: {issuer_id}）；如果确指上面的单位，"
                         "请写成 {{name: {name}, unit: {unit_id}}}",
    "unit-in-file": "{name}（id {id}，registry/{file}）",
    "unknown-unit-id": Hinted("单位 id“{id}”在登记册中不存在（unknown unit id）{hint}", DID_YOU_MEAN),
    "name-not-of-unit": "“{name}”不是{unit}（{unit_id}）的登记名称或别名（name does not match the unit）；"
                        "如果文件这样称呼它，请在登记册中把它加入 aliases",
    "duplicate-anchor": "锚点“{anchor}”在本计划中重复（duplicate anchor; first used at {first:.200}）",
    # -- the site's look (theme.py) ------------------------------------------------------------
    "theme-low-contrast": "{style}中{pair!s}的对比度只有 {ratio}:1，低于无障碍要求（WCAG AA）的 {needed}:1："
                          "请把这个颜色改深或改浅（contrast {ratio}:1 is below {needed}:1）",
    "theme-style-normal": "标准样式", "theme-style-high-contrast": "高对比度样式",
    "logo-not-found": "标志图片 {src} 不在 content/static/ 中：请把图片放进去，或改正路径（logo not found in content/static/）",
    # -- writing the site (output.py) ---------------------------------------------------------
    "cannot-write-beside-output": "无法写入 {folder}：{reason}；什么都没有改动（cannot write beside the output; nothing changed）",
    "cannot-clean-up": "无法清理上次中断的构建留下的目录：{reason}（cannot clean up after an interrupted build）",
    "cannot-resolve-output": "不能生成到 {output}：路径无法解析（{detail:.200}）（cannot resolve the output path）",
    "cannot-inspect-output": "不能生成到 {output}：无法查看其中的内容：{reason}（cannot inspect {output}）",
    "output-is-or-holds": "不能生成到 {output}：它是或包含{name} {folder}；什么都没有改动"
                          "（refusing to build into {output}: it is or contains {english}）",
    "output-inside": "不能生成到 {output}：它位于{name} {folder} 之中；什么都没有改动"
                     "（refusing to build into {output}: it lies inside {english}）",
    "root-folder": "根目录", "root-folder-english": "the root",
    "home-folder": "主目录", "home-folder-english": "the home folder",
    "project-folder": "项目目录", "project-folder-english": "the project",
    "current-folder": "当前目录", "current-folder-english": "the current folder",
    "content-folder": "内容目录", "content-folder-english": "the content folder",
    "templates-folder": "模板目录", "templates-folder-english": "the templates",
    "output-is-a-file": "不能生成到 {output}：它是一个已有的文件，不是目录；什么都没有改动"
                        "（refusing to build into {output}: it is an existing file）",
    "output-not-ours": "不能生成到 {output}：它是一个不是由本程序生成的非空目录（没有 .zwgk-build 标记）；请指定空目录或新目录；"
                       "什么都没有改动（refusing to build into {output}: a non-empty folder this program did not write）",
    "output-holds-other-files": "不能生成到 {output}：其中有 {count} 个不是构建写入的文件（{files:、.40}{more}），替换会丢失它们；"
                                "需要放在网站根目录的文件（CNAME、.htaccess 等）请放到 content/static/，其他的请移走；什么都没有改动"
                                "（refusing to build into {output}: it holds files the build did not write; "
                                "put them in content/static/）",
    "and-more": "等",
    "output-busy": "另一个构建正在写入 {target}：请等它结束后再试（another build is writing to it）",
    "cannot-swap-in": "无法把新网站换入 {target}：{reason}；之前的网站没有改动"
                      "（cannot swap in the new site; the previous one is unchanged）",
    "cannot-make-staging": "无法在 {folder} 中建立临时目录：{reason}（cannot create the staging folder）",
    "cannot-write-site": "无法写入 {path}：{reason}；之前的网站没有改动（cannot write the new site; the previous one is unchanged）",
    # -- whatever else stops a build (errors.py) ----------------------------------------------
    "template-syntax-error": "模板语法错误：{detail:.200}（template syntax error）",
    "template-error": "模板错误：{detail:.200}（template error）",
    "cannot-read-or-write": "无法读写：{detail:.200}（{error_type}）",
    "internal-error": "内部错误（internal error）：{error_type}: {detail:.200}；请把这条消息和所用的文件报告给维护者",
    # -- the command line and the preview (build.py, serve.py) --------------------------------
    "not-a-positive-number": "应为 1 或更大的整数，实际是“{text}”（a positive whole number）",
    "not-a-port": "端口应为 1–65535 之间的整数，实际是“{text:.20}”（port must be 1-65535）",
    "not-a-date": "“{text}”不是日期：应写成 YYYY-MM-DD，例如 2022-11-30（date as YYYY-MM-DD）",
    "interrupted": "已中断；输出目录没有改动（interrupted; the output is unchanged）",
    "port-in-use": "端口 {port} 已被占用：请关闭占用它的程序，或用 --port 指定其他端口（port {port} is in use）",
    "cannot-listen": "无法在 {host}:{port} 上启动预览：{detail}",
    "search-data-failed": "搜索数据没有生成：{failure}",
    "watch-limit": "无法监视 {folder} 中的变化：系统允许监视的目录数已用完（inotify watch limit）；预览照常，"
                   "但保存后不会自动更新：请重新启动预览，或请管理员调高 fs.inotify.max_user_watches",
    # -- zwgk init (init.py) ------------------------------------------------------------------
    "init-folder-not-empty": "{folder} 不是空目录：新网站只能建在不存在的或空的目录中；什么都没有改动"
                             "（the folder is not empty; nothing changed）",
    "init-not-a-folder": "{folder} 已存在，但不是目录；什么都没有改动（exists and is not a folder）",
    "init-no-issuer": "--issuer 不能为空：请写发布机构的全称，如 中山市财政局（--issuer is empty）",
    "init-cannot-write": "无法写入 {folder}：{reason}；什么都没有改动（cannot write the new site; nothing changed）",
    # -- build.py import (importer/) ----------------------------------------------------------
    "unsupported-file-type": "只能导入 Word（.docx、.doc、.wps）、Excel（.xlsx、.xls、.et）、OpenDocument（.odt、.ods）、"
                             ".rtf、PDF、网页（.html、.htm、.mht）或文本（.txt）文件，{file:.120} 不是（unsupported file type）；"
                             "其他格式请先在 Word、WPS 或 Excel 中另存为 .docx 或 .xlsx",
    "cannot-read-source": "无法读取 {source}：{detail:.200}（cannot read the file）",
    "invisible-in-file-name": "文件名“{file}”中有看不见的字符或换行，草稿会记下文件名而无法通过检查："
                              "请给文件改名后再导入（invisible character in the file name）",
    "source-not-regular": "{source} 不是普通文件（not a regular file）",
    "source-too-large": "{file!s} 超过 {megabytes} MB，不导入（file too large）",
    "missing-library": "缺少读取 {suffix} 文件的程序库 {library}：请运行 .venv/bin/pip install -r requirements.txt（missing library）",
    "source-is-other": "{file!s} 的内容不是 {format} 文件，而是{actual}，无法导入（the file is not what its name says）",
    "source-not-valid": "无法读取 {file!s}：它不是有效的 {format} 文件（{error_type}: {detail:.80}）（not a valid {suffix} file）",
    "unknown-encoding": "无法读取 {file!s}：文本既不是 UTF-8 也不是 GB18030 编码（unknown text encoding）",
    "source-damaged": "无法读取 {file!s}：它不是有效的 {format} 文件，{problem}（not a valid {suffix} file）",
    "zip-unreadable": "ZIP 包的目录读不出来，文件可能不完整（{detail:.80}）",
    "part-damaged": "其中的 {part} 已损坏，无法解压（{detail:.80}）",
    "part-xml-error": "其中的 {part} 不是正确的 XML（XML 第 {line} 行：{detail:.80}）",
    "part-has-doctype": "其中的 {part} 有 <!DOCTYPE> 声明，Office 文件不会有（a DTD in the XML）",
    "part-missing": "缺少其中的 {part}（a part is missing）",
    "library-refused": "{library!s} 读不了其中的内容（{error_type}: {detail:.80}）",
    "merges-overlap": "{where}中的合并单元格互相重叠（overlapping merged cells）",
    # the limits of generator/importer/limits.py, each named as docs/importing.md names it
    "import-too-many-parts": "{file!s} 中的部件超过 {limit} 个（部件数上限），不导入（more than {limit} parts in the package）",
    "import-part-too-large": "{file!s} 中的 {part} 解压后超过 {megabytes} MB（单个部件上限），不导入"
                             "（a part unpacks to more than {megabytes} MB）",
    "import-package-too-large": "{file!s} 解压后超过 {megabytes} MB（解压总量上限），不导入"
                                "（the package unpacks to more than {megabytes} MB）",
    "import-too-many-elements": "{file!s} 中的 XML 元素超过 {limit} 个（XML 元素数上限），不导入"
                                "（more than {limit} XML elements）",
    "import-table-too-large": "{file!s} 的表格到{where}为止超过 {limit} 个单元格（表格单元格上限，行数×列数，"
                              "只算到最后一个有文字的单元格），不导入（tables larger than {limit} cells）",
    "import-text-too-long": "{file!s} 的{where}超过 {limit} 字（一段文字上限），不导入（text longer than {limit} characters）",
    "import-too-many-paragraphs": "{file!s} 的段落超过 {limit} 个（段落数上限），不导入（more than {limit} paragraphs）",
    "import-too-slow": "读取 {file!s} 超过 {seconds} 秒（读取时间上限），已停止，不导入（reading took longer than {seconds} s）",
    "registry-has-errors": "登记册有错误，无法匹配单位名称（the registry has errors）：\n{errors!s}",
    "issuer-not-in-title": "无法从标题“{title}”看出发布机构：请用 --issuer 指定登记册中的名称；发布机构还没有登记的，"
                           "加 --register 同时写出登记册草稿（issuer not found; use --issuer, or --register）",
    "register-no-issuer": "无法从标题“{title}”看出发布机构的名称：请用 --issuer 写明要登记的名称（issuer not found; use --issuer）",
    "unknown-parent-option": Hinted("--parent“{name}”在登记册（content/registry/）中找不到（unknown parent）{hint}",
                                    CLOSEST_NAMES),
    "unknown-issuer-option": Hinted("--issuer“{name}”在登记册（content/registry/）中找不到（unknown issuer）{hint}；"
                                    "请先在登记册中登记发布机构，或加 --register 让导入写出登记册草稿", CLOSEST_NAMES),
    "year-not-in-title": "无法从标题“{title}”看出年份：请用 --year 指定（year not found; use --year）",
    "year-out-of-range": "--year 应在 1990–2100 之间，实际是 {year}（year out of range）",
    "bad-plan-id": "--id“{id}”不合格式：应为小写英文字母、数字和连字符（ASCII id）",
    "no-plan-found": "文件中没有找到计划的内容：既没有带表头的表格，也没有“一、”一级的标题（no plan table and no numbered sections found）",
    "table-without-rows": "{table!s}有表头，但表头下面没有任何一行内容：请确认导入的是填好的计划表（a table with headings only）",
    "draft-exists": "{target} 已经存在，导入不会覆盖任何文件（file exists; never overwritten）：请用 --id 另取一个 id，或先移走这个文件",
    "plans-not-plain-folder": "{folder} 不是普通目录，导入不写入（must be a plain folder）",
    "plans-outside-content": "{folder} 在内容目录之外，导入不写入（outside the content folder）",
    "cannot-write-draft": "无法写入 {path}：{reason}；没有留下任何文件（cannot write the draft; nothing left behind）",
    "draft-not-valid": "内部错误（internal error）：导入生成的草稿不符合计划格式，没有写入；请把原文件报告给维护者：\n{problems!s}",
    # A progress report (build.py import --report, importer/progress_report.py).
    "report-options": "--report 导入的是一份进展报告，不能与 {options:、} 同用：发布机构和年份都取自计划文件"
                      "（options for plan imports only）",
    "as-of-without-report": "--as-of 只用于进展报告：请同时用 --report 写明报告的是哪一份计划的 id（--as-of needs --report）",
    "report-no-table": "{file} 中没有找到落实情况表：导入进展报告需要一张表头有“落实情况”“进展情况”或“完成情况”一栏的表格"
                       "（no progress table）",
    "report-no-measure-column": "{table!s}的表头中没有序号、措施或要点一栏，无法把各行对应到计划 {plan} 的措施"
                                "（no column naming the measures）",
    "report-no-as-of": "无法从标题“{title}”、表头或正文看出报告截至哪一天：请用 --as-of 指定，例如 --as-of {example}"
                       "（as-of date not found; use --as-of）",
    "report-nothing-matched": "{table!s}中没有一行对应到计划 {plan} 的措施并写有落实情况，没有写出报告：请确认导入的是这份计划的"
                              "落实情况表，--report 写的是它的 id（no row matched a measure）",
    "report-not-valid": "内部错误（internal error）：导入生成的报告不符合报告格式或与计划 {plan} 对不上，没有写入；"
                        "请把原文件报告给维护者：\n{problems!s}",
    # Pasted tables in a .txt (read_text.py), web pages, PDFs, files converted with LibreOffice.
    "pasted-table-uneven": "{file!s} 第{line}行起看起来是{layout!s}的表格（表头 {width} 格），但第{row}行有 {cells} 格，"
                           "无法可靠地分开各格（pasted table rows do not line up）：请检查这一行是否少了或多了分隔符，"
                           "或从原文件另存为 .docx 或 .xlsx 后导入",
    "pasted-cells-misaligned": "{file!s} 第{line}行起看起来是每格一行的表格（表头 {width} 格：{header:、.20}），"
                               "但各行的格数不一致：第{row}行“{found:.30}”处应是{expected!s}，"
                               "上面的行可能少了或多了一格（pasted table rows do not line up）；请从原文件另存为 .docx 或 .xlsx 后导入，"
                               "或粘贴成每行一行、各格以制表符分隔的文本",
    "pasted-cells-unchecked": "{file!s} 第{line}行起看起来是每格一行的表格（表头 {width} 格：{header:、.20}），"
                              "但没有序号列，也没有带编号的一列，无法核对各行的格数是否一致（no serial column to line the rows up）；"
                              "导入不会猜测：请从原文件另存为 .docx 或 .xlsx 后导入，或粘贴成每行一行、各格以制表符分隔的文本",
    "page-too-large": "{file!s} 有 {count} 个网页元素，超过 {limit} 个，不导入（web page too large）：请只保存正文部分",
    "page-without-html": "{file!s} 是网页存档，但其中没有网页（HTML）部分（no HTML part in the saved page）",
    "pdf-is-scan": "{file!s}：这是扫描件，没有文字层（a scan: no text layer）：请先用 OCR 软件（如 WPS、Adobe Acrobat 的“文字识别”）"
                   "把它转成带文字的 PDF 或 Word 文件，核对识别出的文字后再导入；最好向发文单位索取 Word 原件",
    "pdf-encrypted": "{file!s} 是加密的 PDF，需要密码才能打开（encrypted PDF）：请向发文单位索取不加密的文件，"
                     "或用知道密码的 PDF 软件打开后另存为不加密的 PDF",
    "pdf-too-long": "{file!s} 有 {pages} 页，超过 {limit} 页，不导入（too many pages）：请只导入计划所在的页",
    "pdf-too-much-text": "{file!s} 的文字超过 {limit} 字，不导入（too much text）：请只导入计划所在的页",
    "libreoffice-missing": "{file!s} 要先用 LibreOffice 转换才能导入，但本机没有安装 LibreOffice（LibreOffice not installed）："
                           "请在 {application!s} 中打开它，另存为 {target!s} 文件后导入；或者安装 LibreOffice：{install!s}",
    "conversion-failed": "无法用 LibreOffice 转换 {file!s}（{detail:.120}）（conversion failed）：请在 Word、WPS 或 Excel 中打开它，"
                         "另存为 .docx 或 .xlsx 后导入",
    "conversion-timed-out": "用 LibreOffice 转换 {file!s} 超过 {seconds} 秒，已停止（conversion timed out）：请在 Word、WPS 或 Excel 中"
                            "另存为 .docx 或 .xlsx 后导入",
}

# An OSError is told by its reason in Chinese where there is one, the system's words in brackets.
OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "磁盘配额已用完", errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有权限", errno.EPERM: "不允许这样操作", errno.EFBIG: "文件超过系统允许的大小",
    errno.EBUSY: "目录正被占用", errno.ENOENT: "路径不存在", errno.ENOTDIR: "路径中有一段不是目录",
    errno.EIO: "读写磁盘时出错",
}


def text(kind: str, values: dict | None = None, suggestions=()) -> str:
    """The message of `kind` with `values` in it, each shown as its template says. Never raises:
    a kind or value missing (tests/test_catalogue.py looks for that) still gives a message."""
    try:
        return compose(kind, values, suggestions)
    except (KeyError, IndexError, AttributeError, ValueError, TypeError):
        return shorten(f"{kind} {values}", 200)


def compose(kind: str, values: dict | None = None, suggestions=()) -> str:
    """`text`, but a kind or value missing raises (KeyError) instead of being papered over."""
    entry = CATALOGUE[kind]
    values = dict(values or {})
    if isinstance(entry, Hinted):
        hint = entry.hint if suggestions else entry.otherwise
        values["hint"] = _InFull(_FORMATTER.format(hint, suggestions=tuple(suggestions), **values))
        entry = entry.text
    return _FORMATTER.vformat(entry, (), values)


class _InFull(NamedTuple):
    value: object


class _Formatter(string.Formatter):
    """str.format whose `!s` means "in full" and whose spec says how to cut and join (see above)."""

    def convert_field(self, value, conversion):
        return _InFull(value) if conversion == "s" else super().convert_field(value, conversion)

    def format_field(self, value, spec: str) -> str:
        separator, _, limit = spec.partition(".")
        full = isinstance(value, _InFull)
        return _shown(value.value if full else value, separator, int(limit) if limit else None, full)


_FORMATTER = _Formatter()


def _shown(value, separator: str, limit: int | None, full: bool) -> str:
    if isinstance(value, Message):
        return compose(value.kind, value.values)
    if separator:
        return separator.join(_shown(item, "", limit, full) for item in value)
    if isinstance(value, OSError):
        english = shorten(value.strerror or str(value), 200)
        return f"{OS_REASONS[value.errno]}（{english}）" if value.errno in OS_REASONS else english
    if isinstance(value, Path):
        return shorten(str(value), limit or PATH_CHARACTERS)
    if full:
        return invisible.show(str(value), allowed="\n\t")
    return shorten(value, limit or SHOWN_CHARACTERS)


def shorten(value, limit: int = SHOWN_CHARACTERS) -> str:
    """A value as a message quotes it: invisible characters named, long text cut.

    A registry file that is really /etc/passwd, a 1 MB title or an argument of escape
    sequences must not flood the terminal (or the browser overlay of `serve`) with its text:
    what is shown, names included, is at most `limit` characters and the count of the rest.
    """
    written = value if isinstance(value, str) else repr(value)
    start = written[:limit]
    named = set(invisible.positions(start))
    shown, length = [], 0
    for index, character in enumerate(start):
        piece = f"<U+{ord(character):04X}>" if index in named else character
        length += len(piece)
        if length > limit:
            break
        shown.append(piece)
    if len(shown) < len(written):
        return "".join(shown) + f"…（共 {len(written)} 字）"
    return "".join(shown)


def shown_path(path) -> str:
    """A path in a line the program prints (not a catalogue message): as a message shows it."""
    return _shown(Path(path), "", None, False)


def character_name(character: str) -> str:
    """U+2028 LINE SEPARATOR: how a message names a character nobody can see."""
    point = ord(character)
    if unicodedata.category(character) == "Cs":
        fallback = "SURROGATE"
    elif point & 0xFFFE == 0xFFFE or 0xFDD0 <= point <= 0xFDEF:
        fallback = "NONCHARACTER"
    elif unicodedata.category(character) == "Cn":
        fallback = "UNASSIGNED"
    else:
        fallback = {0x85: "NEXT LINE (NEL)", 0x7F: "DELETE"}.get(point, "CONTROL CHARACTER")
    return f"U+{point:04X} {unicodedata.name(character, fallback)}"
