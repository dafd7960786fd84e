"""Simplified Chinese text of every diagnostic and CLI message: English template ->
Chinese template with the same ``{fields}``, and English phrase -> Chinese phrase for the
``{x!t}`` fields. A diagnostic recorded with parameters (``diags.add(code, template, loc,
hint=..., **params)``), a TemplateError and the CLI's own messages (report.say) are
written in Chinese by looking their templates up here.
"""
from __future__ import annotations

ZH: dict[str, str] = {
    # the command line and the preview server
    "source directory '{src}' does not exist":
        '源目录“{src}”不存在',
    'building… {seconds}s':
        '正在构建… {seconds} 秒',
    # handbook pdf (build/pdf.py)
    "refusing to write the PDF to '{out}': it is a folder or inside the sources":
        '拒绝把 PDF 写到“{out}”：它是一个文件夹，或位于源目录之内',
    'written {out}: {pages} pages, {seconds} s':
        '已写出 {out}：共 {pages} 页，用时 {seconds} 秒',
    'Chromium is needed to print the PDF: install it (apt-get install chromium) or set CHROMIUM to the browser\'s path':
        '生成 PDF 需要 Chromium：请安装（apt-get install chromium），或用环境变量 CHROMIUM 指明浏览器的路径',
    "reading the first print needs pypdf: pip install 'handbook-gen[pdf]'":
        "读取 PDF 需要 pypdf：pip install 'handbook-gen[pdf]'",
    'Chromium did not finish printing within {seconds} s':
        'Chromium 在 {seconds} 秒内未完成打印',
    'Chromium failed to print ({detail})':
        'Chromium 打印失败（{detail}）',

    'site is up to date, ':
        '站点已是最新，',
    '{policies} polic{_ies} → {policy_pages} policy page{_s}, {pages} pages, ':
        '{policies} 项制度 → {policy_pages} 个制度页面，共 {pages} 个页面，',
    '{sources} sources, ':
        '{sources} 个源文件，',
    '{verb}: {what}{errors} error{_es}, {warnings} warning{_ws}, {seconds} s{extra}':
        '{verb}：{what}{errors} 个错误，{warnings} 个警告，用时 {seconds} 秒{extra}',
    'built':
        '构建完成',
    'build failed':
        '构建失败',
    'checked':
        '检查完成',
    '; nothing was written':
        '；未写入任何文件',
    'build failed: the site was not published; nothing was written':
        '构建失败：站点未发布，未写入任何文件',
    'error: {problem}':
        '错误：{problem}',
    'error: out of memory':
        '错误：内存不足',
    'internal error (HB403): {kind}: {text}; this is a bug in handbook-gen, please report it with the command you ran':
        '内部错误（HB403）：{kind}: {text}；这是 handbook-gen 的缺陷，请连同所运行的命令一起报告',
    ' (HANDBOOK_DEBUG=1 prints the traceback)':
        '（设置 HANDBOOK_DEBUG=1 可打印调用栈）',
    'warning: serving on all interfaces: anyone on the network can read the preview (use --host 127.0.0.1 to keep it local)':
        '警告：正在所有网络接口上提供预览，网络中的任何人都能看到（用 --host 127.0.0.1 仅限本机访问）',
    'error: cannot listen on {host}:{port}: {problem}':
        '错误：无法监听 {host}:{port}：{problem}',
    'note: {note}':
        '注意：{note}',
    'ok':
        '成功',
    'failed':
        '失败',
    'failed ({n} problems, see the page)':
        '失败（{n} 个问题，详见页面）',
    'serving {src} at {url}  [build {state}]  (Ctrl+C to stop)':
        '正在预览 {src}：{url}  [构建{state}]  （按 Ctrl+C 停止）',
    'rebuilt in {ms} ms: {status}':
        '已重新构建，用时 {ms} 毫秒：{status}',
    'created {path}':
        '已创建 {path}',
    'report: the handbook has errors; fix them first (handbook check)':
        'report：制度汇编中有错误，请先修正（运行 handbook check）',
    '… and {more} more {code} in {path} (--format json lists them all)':
        '… {path} 中还有 {more} 条 {code}（--format json 会全部列出）',
    '… and {more} more {code} (--format json lists them all)':
        '… 还有 {more} 条 {code}（--format json 会全部列出）',
    'build failed: {errors} errors, showing the last good build':
        '构建失败：{errors} 个错误，正在显示上一次成功构建的页面',
    'internal error while {doing!t}: {kind}: {text}; {kept!t}':
        '{doing!t}时发生内部错误：{kind}: {text}；{kept!t}',
    'the next save rebuilds; if this stays, run `handbook build` and report the problem':
        '下次保存时会重新构建；如果问题一直存在，请运行 `handbook build` 并报告该问题',
    'rebuilding':
        '重新构建',
    'the last good site is still served':
        '仍在提供上一次成功构建的站点',
    'building the search index and the compiled edition':
        '生成搜索索引和汇编本',
    'their previous versions are still served':
        '仍在提供它们的上一版本',
    # handbook init / new (scaffold.py)
    "skipped {path}: it already exists":
        "已跳过 {path}：文件已存在",
    "next: cd {dir} && handbook serve (preview) or handbook build (the site in site/)":
        "下一步：cd {dir}，然后运行 handbook serve（预览）或 handbook build（生成站点到 site/）",
    "next: handbook serve (preview) or handbook build (the site in site/)":
        "下一步：运行 handbook serve（预览）或 handbook build（生成站点到 site/）",
    "the {what!t} must be 1 to 100 characters":
        "{what!t}须为 1 至 100 个字符",
    "the {what!t} may not contain '{char}'":
        "{what!t}中不能含有“{char}”",
    "company name":
        "公司名称",
    "title":
        "标题",
    "'{target}' exists and is not a folder":
        "“{target}”已存在且不是文件夹",
    "'{target}' is not empty; use --force to add the starter files beside what is there "
    "(existing files are never overwritten)":
        "“{target}”不是空文件夹；如要在其中添加示例文件，请加 --force（已有文件不会被覆盖）",
    "no chapter '{chapter}'; did you mean '{guess}'?":
        "没有“{chapter}”这一篇；您是否要找“{guess}”？",
    "no chapter '{chapter}'; chapters: {chapters}":
        "没有“{chapter}”这一篇；现有的篇：{chapters}",
    "chapter '{chapter}' has no policies to number after; give --id":
        "“{chapter}”中还没有制度，无法推算编号；请用 --id 指定",
    "policy id '{id}' {problem!t}":
        "制度编号“{id}”{problem!t}",
    "policy id '{id}' is already used":
        "制度编号“{id}”已被使用",
    "owner '{owner}' is not in the department registry; did you mean '{guess}'?":
        "归口部门“{owner}”不在部门登记表中；您是否要找“{guess}”？",
    "owner '{owner}' is not in the department registry; give --owner":
        "归口部门“{owner}”不在部门登记表中；请用 --owner 指定",
    "chapter slug '{slug}' {problem!t}":
        "篇的文件夹名“{slug}”{problem!t}",
    "must be lower-case":
        "必须使用小写字母",
    "a chapter with slug '{slug}' already exists":
        "文件夹名为“{slug}”的篇已经存在",
    "{path} already exists; nothing was written":
        "{path} 已存在；未写入任何文件",
    # the warnings panel of handbook serve (serve/server.py)
    "{n} warnings":
        "{n} 个警告",
    "close":
        "关闭",
    "… and {more} more (handbook check lists them all)":
        "… 还有 {more} 条（handbook check 会全部列出）",
    # source/yamlsafe.py
    'YAML block exceeds {kib} KiB':
        'YAML 块超过 {kib} KiB',
    'YAML anchors and aliases are not allowed':
        '不允许使用 YAML 锚点和别名（& 与 *）',
    'write the value out in full':
        '把值完整写出来',
    "YAML tag '{tag}' is not allowed":
        '不允许使用 YAML 标签“{tag}”',
    "remove the tag (the '!…' before the value)":
        '删除值前面的标签（以“!”开头的部分）',
    'YAML nested deeper than {depth} levels':
        'YAML 嵌套超过 {depth} 层',
    'YAML syntax error: {problem!t}':
        'YAML 语法错误：{problem!t}',
    'YAML error: {problem}':
        'YAML 错误：{problem}',
    "quote the value if it contains ': '":
        '值中含有“: ”时，请给整个值加上引号',
    'indent with spaces, not tabs':
        '请用空格缩进，不要用 Tab 键',
    '{what!t} must be a mapping of keys to values, found {kind!t}':
        '{what!t}应由“键: 值”组成，但这里是{kind!t}',
    "use an ASCII colon ':' after each key, not the fullwidth '：'":
        '每个键后面要用半角冒号“:”，不能用全角冒号“：”',
    'keys must be plain text':
        '键必须是普通文字',
    'write the key as a plain word, e.g. title':
        '键应写成普通的英文单词，例如 title',
    "duplicate key '{key}' (first defined on line {first})":
        '键“{key}”重复（第 {first} 行已写过）',
    'remove one of them':
        '删除其中一个',
    "unknown {what!t} key '{key}'":
        '未知的{what!t}键“{key}”',
    "did you mean '{guess}'?":
        '是否想写“{guess}”？',
    "'{key}' must be text, not a {kind!t}":
        '“{key}”必须是文字，不能是{kind!t}',
    "unquoted '{value}' in '{key}' is {what!t} to YAML 1.1 tools; it is kept as the text '{value}'":
        '“{key}”中未加引号的“{value}”在 YAML 1.1 工具中会被当作{what!t}；本工具按文字“{value}”保留',
    'quote it: {key}: "{value}"':
        '加上引号：{key}: "{value}"',
    "a key holds the control character U+{char}: '{text}'":
        '键中含有控制字符 U+{char}：“{text}”',
    "'{key}' holds the control character U+{char}: '{text}'":
        '“{key}”中含有控制字符 U+{char}：“{text}”',
    'remove it (escapes such as \\e, \\0 or \\x1b in quoted values produce control characters)':
        '请删除该字符（引号内的 \\e、\\0、\\x1b 等转义会产生控制字符）',
    "'{key}' must be a date, not a list or mapping":
        '“{key}”必须是日期，不能是列表或映射',
    "'{key}' must be a date written YYYY-MM-DD, got '{value}'":
        '“{key}”必须是 YYYY-MM-DD 格式的日期，这里写的是“{value}”',
    'e.g. {key}: 2026-01-01':
        '例如 {key}: 2026-01-01',
    "invalid date '{value}' in '{key}': {problem!t}":
        '“{key}”中的日期“{value}”无效：{problem!t}',
    'check the day and month':
        '请检查月份和日期',
    "'{key}' must be a list":
        '“{key}”必须是列表',
    "write one item per line: '- …'":
        '每行写一项，以“- ”开头',
    'front matter':
        '文件头（front matter）',
    '_handbook.yaml':
        '_handbook.yaml',
    'a department':
        '部门条目',
    'a list':
        '列表',
    'text':
        '一段文字',
    'front-matter':
        '文件头',
    'chapter':
        '章节文件',
    'configuration':
        '配置',
    'list':
        '列表',
    'mapping':
        '映射（键: 值）',
    'a boolean':
        '布尔值（是/否）',
    'an integer':
        '整数',
    'a number':
        '数字',
    'a date':
        '日期',
    'null':
        '空值',
    'a sexagesimal number':
        '六十进制数',
    'day is out of range for month':
        '该月没有这一天',
    'month must be in 1..12':
        '月份必须在 1 到 12 之间',
    'year 0 is out of range':
        '年份不能为 0',
    "could not find expected ':'":
        '找不到应有的冒号“:”',
    'mapping values are not allowed in this context':
        '此处不能出现“键: 值”',
    'mapping values are not allowed here':
        '此处不能出现“键: 值”',
    'found character that cannot start any token':
        '出现了不能作为开头的字符',
    'did not find expected key':
        '缺少应有的键',
    "did not find expected '-' indicator":
        '缺少列表项开头的“-”',
    'did not find expected node content':
        '缺少应有的内容',
    'found unexpected end of stream':
        '内容意外结束（引号或括号没有闭合）',
    'found unknown escape character':
        '出现了未知的转义字符',
    "found unexpected ':'":
        '出现了多余的冒号“:”',
    "did not find expected ',' or ']'":
        '缺少“,”或“]”',
    "did not find expected ',' or '}'":
        '缺少“,”或“}”',
    'found undefined tag handle':
        '出现了未定义的标签',
    'did not find expected comment or line break':
        '这里应当换行或开始注释',
    'found a tab character that violates indentation':
        'Tab 字符破坏了缩进',
    'found a tab character where an indentation space is expected':
        '这里应当是空格缩进，却出现了 Tab 字符',
    'expected a single document in the stream':
        '只能有一个 YAML 文档',
    'block sequence entries are not allowed in this context':
        '此处不能出现列表项“- ”',
    'found incompatible YAML document':
        'YAML 文档版本不兼容',
    'found duplicate anchor; first occurrence':
        '锚点重复',
    # core/ids.py: why an id cannot name a page
    'is longer than the limit of 64 characters':
        '超过 64 个字符的上限',
    'must be letters, digits and single hyphens, starting with a letter':
        '只能由字母、数字和单个连字符组成，并以字母开头',
    "is a reserved name (a Windows device name or a folder's index page)":
        '是保留名称（Windows 设备名或文件夹的首页名）',
    # source/frontmatter.py
    "front matter opened here is never closed with a '---' line":
        '文件头在这里开始，但没有用“---”行结束',
    "add a line '---' after the last key":
        '在最后一个键之后加一行“---”',
    'front matter is empty: the policy is not published':
        '文件头是空的：该制度不会发布',
    'chapter front matter is empty':
        '章节文件的文件头是空的',
    "write {keys} between the '---' lines":
        '在两行“---”之间写上 {keys}',
    "missing required key '{key}'":
        '缺少必填键“{key}”',
    "add '{key}: …' to the front matter":
        '在文件头中加上“{key}: …”',
    "required key '{key}' has no value":
        '必填键“{key}”没有填写值',
    "write the value after '{key}: '":
        '在“{key}: ”后面写上值',
    'e.g. QM-001':
        '例如 QM-001',
    "status '{status}' must be one of {statuses}":
        '状态“{status}”必须是以下之一：{statuses}',
    "write '{guess}'":
        '请写成“{guess}”',
    'an alias is empty':
        '有一个别名是空的',
    'remove it or write the short name':
        '删除它，或写上简称',
    "lang '{value}' is not a language tag":
        'lang 的值“{value}”不是语言标记',
    'e.g. zh-Hant, zh-HK or zh-CN':
        '例如 zh-Hant、zh-HK 或 zh-CN',
    "alias '{alias}' is the title itself":
        '别名“{alias}”与标题相同',
    'aliases are other names: short names, former names':
        '别名应是标题以外的名称：简称、曾用名',
    "alias '{alias}' is listed twice":
        '别名“{alias}”重复列出',
    "chapter file has no front matter with a 'title'":
        '章节文件没有带“title”的文件头',
    'start the file with ---, title: …, ---':
        '文件开头写三行：---、title: …、---',
    "'order' must be a whole number":
        '“order”必须是整数',
    'e.g. order: 3':
        '例如 order: 3',
    "'changes' must be a list of entries (version, date, summary)":
        '“changes”必须是条目列表（version、date、summary）',
    "a 'changes' entry has no {key}":
        '“changes”中有一个条目缺少 {key}',
    'write version and summary, e.g. {{version: "2.0", summary: 新增第九条}}':
        '写上 version 和 summary，例如 {{version: "2.0", summary: 新增第九条}}',
    "version {version} is listed twice in 'changes'":
        '版本 {version} 在“changes”中重复列出',
    'merge the two summaries':
        '把两条说明合并为一条',
    "a 'changes' entry":
        '“changes”中的条目',
    "'changes' entry":
        '“changes”条目',
    'the configuration':
        '配置',
    # handbook check FILE... (cli.py)
    "'{path}' is not a file; give one source folder or any number of files":
        "“{path}”不是文件；请给出一个源文件夹，或者若干个文件",
    "checked: none of the files is part of a handbook":
        "检查完成：这些文件都不属于制度汇编",
    # source/reader.py
    'not valid UTF-8 (byte 0x{byte}); the file looks like GBK or another legacy encoding':
        '不是有效的 UTF-8 编码（字节 0x{byte}）；该文件看起来是 GBK 等旧编码',
    're-save the file as UTF-8':
        '用 UTF-8 编码重新保存该文件（记事本：另存为 → 编码选 UTF-8）',
    'U+FFFD replacement character in text (pasted from another program?)':
        '正文中有替换字符 U+FFFD（是否从其他程序粘贴而来？）',
    'noncharacter U+{char}, replaced by U+FFFD, in text (pasted from another program?)':
        '正文中有非字符 U+{char}，已替换为 U+FFFD（是否从其他程序粘贴而来？）',
    'control character U+{char} in text (pasted from another program?)':
        '正文中有控制字符 U+{char}（是否从其他程序粘贴而来？）',
    'delete it':
        '删除该字符',
    'no {name} in {root}':
        '{root} 中没有 {name}',
    "create it with at least 'title:' and 'departments:'":
        '新建该文件，至少写上“title:”和“departments:”',
    'cannot read folder: {problem!t}; its files are missing from the handbook':
        '无法读取文件夹：{problem!t}；其中的文件不会出现在制度汇编中',
    'give the build read and execute permission on the folder':
        '为构建进程授予该文件夹的读取和执行权限',
    'the name is not valid UTF-8 (a legacy encoding?); it is not read':
        '文件名不是有效的 UTF-8（旧编码？）；该文件不会被读取',
    'rename it':
        '请重命名',
    'symlink points outside the source tree ({target}); it is not read':
        '符号链接指向源目录之外（{target}）；不会被读取',
    'copy the file into the source folder instead':
        '改为把文件复制到源目录中',
    'symlink loop ({target}); it is never read':
        '符号链接循环（{target}）；不会被读取',
    'point the link at a file, or delete it':
        '让链接指向一个文件，或删除它',
    'broken symlink: {target} does not exist':
        '符号链接已失效：{target} 不存在',
    'cannot read file: {problem!t}':
        '无法读取文件：{problem!t}',
    'check that the build may read the file':
        '请检查构建进程是否有权读取该文件',
    '{kind!t}, not a regular file; it is never opened':
        '这是{kind!t}，不是普通文件；不会被打开',
    'replace it with a plain Markdown file, or delete it':
        '换成普通的 Markdown 文件，或删除它',
    'file is {size} bytes; the limit is {limit}':
        '文件大小为 {size} 字节，超过上限 {limit} 字节',
    'split it into several policies':
        '把它拆分为多个制度文件',
    'not a Markdown file; it is ignored':
        '不是 Markdown 文件，已忽略',
    'a named pipe (FIFO)':
        '命名管道（FIFO）',
    'a device':
        '设备文件',
    'a socket':
        '套接字',
    'a folder':
        '文件夹',
    'a special file':
        '特殊文件',
    'Permission denied':
        '权限不足',
    'No such file or directory':
        '文件或目录不存在',
    'Is a directory':
        '这是一个目录',
    'Not a directory':
        '不是目录',
    'Input/output error':
        '输入/输出错误',
    'Too many levels of symbolic links':
        '符号链接层数过多',
    'File name too long':
        '文件名过长',
    'Operation not permitted':
        '操作不被允许',
    'Resource temporarily unavailable':
        '资源暂时不可用',
    'No space left on device':
        '磁盘空间不足',
    'Read-only file system':
        '文件系统为只读',
    'Device or resource busy':
        '设备或资源忙',
    'No such device or address':
        '设备或地址不存在',
    # source/config.py
    "missing required key 'title'":
        '缺少必填键“title”',
    "the file is empty: write at least 'title:' and 'departments:'":
        '文件是空的：至少写上“title:”和“departments:”',
    "'synonyms' must be a list of word lists":
        '“synonyms”必须是词组的列表',
    'e.g. synonyms: [[辞退, 解除劳动合同], [加班费, 加班工资]]':
        '例如 synonyms: [[辞退, 解除劳动合同], [加班费, 加班工资]]',
    'a synonym group must be a list of words':
        '每组同义词必须是词语列表',
    'e.g. [加班费, 加班工资]':
        '例如 [加班费, 加班工资]',
    'a synonym group needs at least two different words':
        '每组同义词至少要有两个不同的词',
    'e.g. [辞退, 解除劳动合同]':
        '例如 [辞退, 解除劳动合同]',
    "unknown diagnostic code '{code}'":
        '未知的诊断代码“{code}”',
    'severity for {code} must be error, warning or info':
        '{code} 的级别必须是 error、warning 或 info',
    'e.g. {code}: warning':
        '例如 {code}: warning',
    'the severity of {code} ({name}) cannot be changed: it means content would be lost or the output unsafe':
        '{code}（{name}）的级别不能更改：忽略它会丢失内容或使输出不安全',
    'fix the problem it reports instead; the fixed codes are listed in docs/diagnostics.md':
        '请改为修正它报告的问题；不可更改的代码列在 docs/diagnostics.md 中',
    "'departments' must be a list of departments":
        '“departments”必须是部门列表',
    "write each as '- id: FIN' with 'name: 财务部' below it":
        '每个部门写成“- id: FIN”，下一行写“name: 财务部”',
    "a department needs an 'id' and a 'name'":
        '每个部门都需要“id”和“name”',
    "e.g. '- id: FIN' and 'name: 财务部'":
        '例如“- id: FIN”和“name: 财务部”',
    "department id '{id}' {problem!t}":
        '部门编号“{id}”{problem!t}',
    'e.g. FIN or HK-ADM':
        '例如 FIN 或 HK-ADM',
    "duplicate department id '{id}'":
        '部门编号“{id}”重复',
    'each department needs its own id':
        '每个部门要有各自的编号',
    "department ids '{first}' and '{id}' map to the same page URL":
        '部门编号“{first}”和“{id}”对应同一个页面地址',
    'ids must differ in more than letter case':
        '编号之间不能只有大小写不同',
    "duplicate department name '{name}' (also '{other}')":
        '部门名称“{name}”重复（“{other}”也用了这个名称）',
    'each department needs its own name':
        '每个部门要有各自的名称',
    "department '{id}' has unknown parent '{parent}'":
        '部门“{id}”的上级部门“{parent}”不存在',
    "department '{id}' is its own ancestor ({chain})":
        '部门“{id}”成了自己的上级（{chain}）',
    "remove one 'parent' of the cycle":
        '删除这个循环中的一个“parent”',
    "department '{id}' is {level} levels deep in the hierarchy; the limit is {limit}":
        '部门“{id}”位于组织架构的第 {level} 层，上限为 {limit} 层',
    'attach it, and the departments below it, higher up':
        '把它及其下属部门挂到更高的层级',
    # handbook export (word/export.py, cli.py)
    "name the policies to export (e.g. OP-011), or give --compiled":
        '请写出要导出的制度编号（例如 OP-011），或者使用 --compiled 导出整本汇编',
    "exporting Word files needs python-docx: pip install 'handbook-gen[word]'":
        "导出 Word 文件需要 python-docx：pip install 'handbook-gen[word]'",
    'export: the handbook has errors; fix them first (handbook check)':
        '导出：汇编中有错误，请先修正（handbook check）',
    'written {path}':
        '已写出 {path}',
    'no policy with the id {ids}':
        '没有编号为 {ids} 的制度',
    'the output folder {out} is inside the source folder {src}; choose another folder':
        '输出目录 {out} 在制度源文件目录 {src} 之内；请换一个目录',
    # markdown/fences/flow.py
    "a flow step is '名称 | 责任部门 | 工作内容' with an optional '| 输出' (four fields at most)":
        '流程步骤的写法是“名称 | 责任部门 | 工作内容”，可再加“| 输出”（最多四栏）',
    'write e.g. 审核 | FIN | 核对预算余额':
        '例如写成：审核 | FIN | 核对预算余额',
    "'{name}' cannot be a step name":
        '“{name}”不能用作步骤名称',
    "'结束' is reserved for the end of the flow; names have no arrows":
        '“结束”专用于表示流程结束；步骤名称中不能有箭头',
    'a flow step needs a responsible department':
        '流程步骤需要写明责任部门',
    'write a department id or name in the second field, e.g. 审核 | FIN | 核对预算余额':
        '在第二栏写部门编号或名称，例如：审核 | FIN | 核对预算余额',
    'a branch must follow the step it leaves':
        '分支必须写在它所属的步骤之后',
    'write the step line first: 审批 | GM | 审批采购申请':
        '先写步骤行，例如：审批 | GM | 审批采购申请',
    'a branch needs a target step after the arrow':
        '分支的箭头后面需要写目标步骤',
    'e.g. 同意 → 归档, or → 结束':
        '例如：同意 → 归档，或 → 结束',
    'a flow line is a step (名称 | 责任部门 | 工作内容) or a branch (条件 → 步骤)':
        '流程中的每一行要么是步骤（名称 | 责任部门 | 工作内容），要么是分支（条件 → 步骤）',
    'write e.g. 审核 | FIN | 核对预算余额, or 同意 → 归档':
        '例如写成：审核 | FIN | 核对预算余额，或 同意 → 归档',
    "'{colon}' does not separate the parts of a flow line: a step separates its fields with '|', a branch its target with '→'":
        '“{colon}”不能分隔流程行的各部分：步骤的各栏用“|”分隔，分支用“→”指向目标步骤',
    'write {fixed}':
        '改为：{fixed}',
    'empty flow: it has no steps':
        '流程是空的：没有任何步骤',
    'one step per line: 名称 | 责任部门 | 工作内容':
        '每行写一个步骤：名称 | 责任部门 | 工作内容',
    "step '{name}' is defined twice in this flow":
        '步骤“{name}”在本流程中定义了两次',
    'give the second step another name':
        '给第二个步骤换一个名称',
    "branch target '{target}' is not a step of this flow":
        '分支目标“{target}”不是本流程中的步骤',
    'name a step, or write 结束 to end the flow':
        '写上某个步骤的名称，或写“结束”表示流程结束',
    "step '{name}' cannot be reached from the first step":
        '从第一个步骤无法到达步骤“{name}”',
    'a step after a decision is only reached through a branch that names it':
        '判断之后的步骤只能通过指向它的分支到达',
    # markdown/limits.py
    'more than {limit:,} lines in one file: only the lines before this one are parsed':
        '一个文件超过 {limit:,} 行：只解析这一行之前的内容',
    'a list with more than {limit:,} items: only the lines before this one are parsed':
        '列表超过 {limit:,} 项：只解析这一行之前的内容',
    'more than {limit:,} list items in one file: only the lines before this one are parsed':
        '一个文件中的列表项超过 {limit:,} 个：只解析这一行之前的内容',
    'a table with more than {limit:,} columns: only the lines before this one are parsed':
        '表格超过 {limit:,} 列：只解析这一行之前的内容',
    'a table with more than {limit:,} cells: only the lines before this one are parsed':
        '表格超过 {limit:,} 个单元格：只解析这一行之前的内容',
    'more than {limit:,} Markdown block elements in one file: only the lines before this one are parsed':
        '一个文件中的 Markdown 块元素超过 {limit:,} 个：只解析这一行之前的内容',
    'more than {limit:,} inline Markdown elements (brackets, emphasis marks, links) in one file: only the lines before this one are parsed':
        '一个文件中的行内 Markdown 元素（括号、强调标记、链接）超过 {limit:,} 个：只解析这一行之前的内容',
    'split the policy into several files':
        '把该制度拆分为几个文件',
    'split the table or the list':
        '拆分表格或列表',
    'lists or quotes nested too deep: deeper content would be dropped':
        '列表或引用嵌套过深：更深的内容会被丢弃',
    'flatten the structure':
        '减少嵌套层级',
    # HB117 (assemble/checks.py)
    "alias '{alias}' is also the title of {other}":
        '别名“{alias}”也是 {other} 的标题',
    "alias '{alias}' is also an alias of {other}":
        '别名“{alias}”也是 {other} 的别名',
    'give each policy names of its own':
        '每项制度的别名应当只指向它自己，请删除或改写这个别名',
    # markdown/numbering.py
    'hand-numbered text: {typed} is a {unit} in a {hashes} heading, the level of a {other}':
        '手写编号：“{typed}”是{unit}，却写在 {hashes} 标题中，这一层是{other}',
    'hand-numbered text: {typed} is a {unit} in a {hashes} heading, below the levels of {other}':
        '手写编号：“{typed}”是{unit}，却写在 {hashes} 标题中，低于{other}的层级',
    'use these heading levels: {levels}':
        '请按以下层级写标题：{levels}',
    "'§+' inserts an article after the one before it, but no article comes before it":
        '“§+”用于在前一条之后插入一条，但它前面没有条文',
    'write § for the first article':
        '第一条请写 §',
    "invalid article label '{label}'":
        '条文标签“{label}”无效',
    'use letters, digits and hyphens, e.g. §{{scope}}':
        '标签只能用字母、数字和连字符，例如 §{{scope}}',
    'hand-numbered text: duplicate {typed}':
        '手写编号：“{typed}”重复',
    'hand-numbered text: {typed} is out of order (expected {expected})':
        '手写编号：“{typed}”顺序不对（此处应为“{expected}”）',
    'hand-numbered text: {typed} comes first: numbers before it are missing':
        '手写编号：开头就是“{typed}”，前面的编号缺失',
    'hand-numbered text: {typed} follows {before}: numbers in between are missing':
        '手写编号：“{typed}”紧跟在“{before}”之后，中间的编号缺失',
    'use § to let the tool number articles':
        '用 § 开头，让工具自动为条文编号',
    # markdown/safety.py
    "text after the comment's '-->' on the same line would be dropped with the comment":
        '注释结束符“-->”之后同一行的文字会随注释一起被丢弃',
    'start the text on a new line':
        '把这段文字另起一行',
    "HTML comment '<!--' is never closed with '-->' (it would hide all the text after it)":
        'HTML 注释“<!--”没有用“-->”结束（它后面的全部文字都会被隐藏）',
    'close the comment with -->, or write \\<!-- for the text':
        '用 --> 结束注释；如果要显示这几个字符，请写成 \\<!--',
    "HTML comment removed from the output (editors' notes are never published)":
        'HTML 注释已从输出中删除（编辑备注不会发布）',
    'raw HTML is not allowed: {snippet}':
        '不允许直接写 HTML：{snippet}',
    "use Markdown, or escape the '<' as \\<":
        '请改用 Markdown；如果要显示“<”，请写成 \\<',
    # markdown/anchors.py, document.py
    "heading '{heading}' has no letters or digits for an anchor":
        '标题“{heading}”中没有可用作锚点的文字或数字',
    'put a word or a number in the heading':
        '在标题中写上文字或数字',
    "duplicate article label '{label}'":
        '条文标签“{label}”重复',
    'each label names one article: rename one of them':
        '每个标签只能对应一条：请给其中一条改名',
    'policy has no front matter':
        '制度文件没有文件头',
    "start the file with a '---' block: id, title, owner, status, effective, version":
        '文件开头要有一个“---”块，写上 id、title、owner、status、effective、version',
    # markdown/citations.py
    "'[[' without a matching ']]' on the same line":
        '“[[”在同一行中没有对应的“]]”',
    'write [[ID]] or [[ID#label]]':
        '写成 [[编号]] 或 [[编号#标签]]',
    'malformed reference [[{raw}]]':
        '引用格式错误：[[{raw}]]',
    'write [[ID]], [[ID#label]], [[ID#label.2]], [[#label]] or [[dept:ID]]':
        '可写成 [[编号]]、[[编号#标签]]、[[编号#标签.2]]、[[#标签]] 或 [[dept:部门编号]]',
    'URL scheme not allowed: {url}':
        '不允许这种链接协议：{url}',
    'links may use http, https, mailto or a relative path':
        '链接只能使用 http、https、mailto 或相对路径',
    "link target '{url}' is not a policy (.md) in this handbook":
        '链接目标“{url}”不是本汇编中的制度文件（.md）',
    'link to a policy with [[ID]]; other files are not published':
        '请用 [[编号]] 链接到制度；其他文件不会发布',
    # assemble/resolve.py
    "unknown policy '{id}'":
        '未知的制度编号“{id}”',
    "check the policy id (the 'id:' in its front matter)":
        '请核对制度编号（该制度文件头中的“id:”）',
    '{raw}: this document has no numbered articles':
        '{raw}：本文件没有编号的条文',
    '{raw} refers to an article, but this document has no numbered articles':
        '{raw} 引用了条文，但本文件没有编号的条文',
    'number the articles with §, or cite another policy: [[ID#label]]':
        '用 § 为条文编号，或引用其他制度：[[编号#标签]]',
    "unknown department '{id}'":
        '未知的部门“{id}”',
    "departments are listed in _handbook.yaml under 'departments:'":
        '部门登记在 _handbook.yaml 的“departments:”下',
    '{article} of {policy} has {n} 款, not {paragraph}':
        '{policy} 的{article}只有 {n} 款，没有第 {paragraph} 款',
    '{raw}: {article} of {policy} has {n} 款, not {paragraph}':
        '{raw}：{policy} 的{article}只有 {n} 款，没有第 {paragraph} 款',
    '{id} is a draft and is not published; the reference is shown as plain text':
        '{id} 是草稿，不会发布；该引用显示为普通文字',
    '{id} is retired':
        '{id} 已废止',
    'cite its successor {successors}':
        '请改为引用接替它的 {successors}',
    '{raw}: {policy} has no {article} (its articles end at {last})':
        '{raw}：{policy} 没有{article}（条文到{last}为止）',
    '{raw}: {policy} has no {article} (it has no numbered articles)':
        '{raw}：{policy} 没有{article}（它没有编号的条文）',
    "this policy has no article '{anchor}'":
        '本制度没有条文“{anchor}”',
    "{policy} has no article '{anchor}'":
        '{policy} 没有条文“{anchor}”',
    'its articles end at {last}':
        '条文到{last}为止',
    'it has no numbered articles':
        '它没有编号的条文',
    "link '{link}' escapes the handbook root":
        '链接“{link}”指向制度汇编目录之外',
    'link to a policy with [[ID]]':
        '请用 [[编号]] 链接到制度',
    "link target '{target}' not found":
        '找不到链接目标“{target}”',
    # assemble/checks.py
    "owner '{owner}' is not in the department registry":
        '归口部门“{owner}”不在部门登记表中',
    'add it to departments: in _handbook.yaml':
        '在 _handbook.yaml 的 departments: 中登记该部门',
    "'{key}' names the policy itself":
        '“{key}”中写的是本制度自己',
    'remove it':
        '删除它',
    "'{key}' names unknown policy '{target}'":
        '“{key}”中的制度编号“{target}”不存在',
    'check the policy id':
        '请核对制度编号',
    'supersedes cycle: {chain} ({n} policies)':
        '制度之间的替代关系形成循环：{chain}（{n} 项制度）',
    "a policy cannot replace one that (through others) replaces it: remove one 'supersedes' of the cycle":
        '制度不能替代（直接或间接）替代它的制度：删除循环中的一个“supersedes”',
    # assemble/handbook.py
    "chapter folder '{folder}' cannot name a page: '{slug}' {problem!t}; the chapter is not published":
        '章节文件夹“{folder}”不能用作页面名：“{slug}”{problem!t}；该篇不会发布',
    "chapter folder '{folder}' cannot name a page: '{slug}' {problem!t}; the chapter and the {count} policies in it are not published":
        '章节文件夹“{folder}”不能用作页面名：“{slug}”{problem!t}；该篇及其中 {count} 项制度都不会发布',
    'rename the folder, e.g. 04-quality':
        '重命名该文件夹，例如 04-quality',
    "chapter folders '{first}' and '{folder}' map to the same page URL; the chapter is not published":
        '章节文件夹“{first}”和“{folder}”对应同一个页面地址；该篇不会发布',
    "chapter folders '{first}' and '{folder}' map to the same page URL; the chapter and the {count} policies in it are not published":
        '章节文件夹“{first}”和“{folder}”对应同一个页面地址；该篇及其中 {count} 项制度都不会发布',
    'chapter folder names must differ in more than letter case and the NN- prefix':
        '章节文件夹名除大小写和 NN- 序号前缀外还必须有所不同',
    "chapter folder '{folder}' has no {file}":
        '章节文件夹“{folder}”中没有 {file}',
    "add {root}/{folder}/{file} with a 'title'":
        '新建 {root}/{folder}/{file}，写上“title”',
    'policies must be in a chapter folder: {root}/<NN-chapter>/<name>.md':
        '制度文件必须放在章节文件夹中：{root}/<NN-章节>/<文件名>.md',
    'move the file into a chapter folder, e.g. {root}/04-quality/':
        '把文件移到某个章节文件夹中，例如 {root}/04-quality/',
    "duplicate policy id '{id}' (also in {other})":
        '制度编号“{id}”重复（{other} 也用了这个编号）',
    'ids must be unique':
        '制度编号不能重复',
    "policy id '{id}' and '{other}' map to the same page URL":
        '制度编号“{id}”和“{other}”对应同一个页面地址',
    # versions, citation drift, expiry; handbook fix --citations, report --impact
    '{raw} was written when {old} was the article now numbered {new} (version {version})':
        '{raw}写于本制度 {version} 版：当时的{old}现在是{new}',
    '{raw} was written when {old} of {policy} was the article now numbered {new} (version {version})':
        '{raw}写于 {policy} 的 {version} 版：当时的{old}现在是{new}',
    '{raw} was written when {old} was an article that has since been deleted (version {version})':
        '{raw}写于本制度 {version} 版：当时的{old}已被删除',
    '{raw} was written when {old} of {policy} was an article that has since been deleted (version {version})':
        '{raw}写于 {policy} 的 {version} 版：当时的{old}已被删除',
    'write {fix}: a label reference never drifts (handbook fix --citations writes it)':
        '请改为 {fix}：按标签引用不会随条号变动（handbook fix --citations 可自动改写）',
    'check what it should cite now: {old} is now another article':
        '请核对现在应引用哪一条：现在的{old}已是另一条',
    'expiry date {expires} is before the effective date {effective}':
        '失效日期 {expires} 早于生效日期 {effective}',
    'expires is the last day a time-limited policy is in force':
        'expires 是暂行、试行制度有效的最后一天',
    '--since goes with --impact ID':
        '--since 须与 --impact 编号一起使用',
    "error: unknown policy '{id}'":
        '错误：没有编号为“{id}”的制度',
    ' (did you mean {guess}?)':
        '（是否要找 {guess}？）',
    "error: report --impact needs the handbook's git history":
        '错误：report --impact 需要制度汇编所在 git 仓库的历史',
    "error: unknown git revision '{rev}'":
        '错误：git 中没有修订“{rev}”',
    'say what to fix: --citations':
        '请指明要修正什么：--citations',
    "error: '{path}' is not in a handbook":
        '错误：“{path}”不在任何制度汇编中',
    'fix: the handbook has errors; fix them first (handbook check)':
        'fix：制度汇编有错误，请先修正（handbook check）',
    'fix: {n} citations in {files} files would be rewritten; nothing was written (add --write to write them)':
        'fix：将改写 {files} 个文件中的 {n} 处引用；未写入任何文件（加 --write 才会写入）',
    'error: {path} changed while fixing; it was not written':
        '错误：{path} 在修正期间被改动，未写入',
    'fix: {n} citations rewritten in {files} files':
        'fix：已改写 {files} 个文件中的 {n} 处引用',
    '{article} it meant was deleted from {policy}':
        '它原指的{article}已从 {policy} 删除',
    '{article} of {policy} has no § label to cite':
        '{policy} 的{article}没有 § 标签，无法按标签引用',
    'the citation was not found at its position':
        '在记录的位置没有找到这处引用',
    # build/output.py
    "refusing to write the site to the filesystem root '{out}'":
        '拒绝把站点写到文件系统根目录“{out}”',
    "refusing to write the site to the home directory '{out}'":
        '拒绝把站点写到主目录“{out}”',
    "output directory '{out}' {relation!t} {what!t} '{path}'":
        '输出目录“{out}”{relation!t}{what!t}“{path}”',
    'is':
        '就是',
    'contains':
        '包含了',
    'is inside':
        '位于下列目录之内：',
    'the source tree':
        '源目录',
    'the project templates folder':
        '项目模板文件夹',
    'the built-in theme':
        '内置主题',
    'the cache directory':
        '缓存目录',
    "output directory '{out}' is inside a .git directory":
        '输出目录“{out}”位于 .git 目录之内',
    "output directory '{out}' is a git repository":
        '输出目录“{out}”是一个 git 仓库',
    "output directory '{out}' is a symlink":
        '输出目录“{out}”是符号链接',
    "output path '{out}' exists and is not a directory":
        '输出路径“{out}”已存在且不是目录',
    "output directory '{out}' is not empty and was not made by handbook-gen (no {marker} file); choose an empty or new directory":
        '输出目录“{out}”不是空的，也不是 handbook-gen 生成的（没有 {marker} 文件）；请选择一个空目录或新目录',
    'cannot create the lock file {path}: {problem!t}':
        '无法创建锁文件 {path}：{problem!t}',
    'another build is writing this site (pid {pid}); lock file {path}':
        '另一个构建正在写入该站点（进程号 {pid}）；锁文件 {path}',
    'refusing to write {rel} into the site: it contains the character {part}':
        '拒绝把 {rel} 写入站点：其中含有字符 {part}',
    'refusing to write {rel} into the site: it has the component {part}':
        '拒绝把 {rel} 写入站点：路径中有 {part} 这一段',
    'refusing to write {rel} into the site: a component is longer than {limit} bytes':
        '拒绝把 {rel} 写入站点：路径中有一段超过 {limit} 字节',
    'two site paths differ only in case: {a} and {b} would be one file on Windows and macOS':
        '两个站点路径只有大小写不同：{a} 和 {b} 在 Windows 和 macOS 上会成为同一个文件',
    "an id, a file name or a theme file makes this path: rename it (letter case does not tell pages apart: 'QA' and 'qa' are one file)":
        '这个路径来自某个编号、文件名或主题文件：请重命名（大小写不能区分页面：“QA”和“qa”是同一个文件）',
    'cannot create {path}: {problem!t}':
        '无法创建 {path}：{problem!t}',
    'cannot prepare {path}: {problem!t}':
        '无法准备 {path}：{problem!t}',
    'two pages of the site have the path {rel}':
        '站点中有两个页面的路径都是 {rel}',
    'writing the site failed: {problem!t} ({path}); the previous site is unchanged':
        '写入站点失败：{problem!t}（{path}）；原有站点保持不变',
    'could not swap in the new site: {problem!t}':
        '无法替换为新站点：{problem!t}',
    'could not swap in the new site: {problem!t}; the previous site is in {aside} and the next build puts it back':
        '无法替换为新站点：{problem!t}；原有站点在 {aside}，下次构建时会放回原处',
    'cannot recover {path}: {problem!t}':
        '无法恢复 {path}：{problem!t}',
    # governance/history.py
    'git is not installed: pages show no revision history':
        '未安装 git：页面不显示修订历史',
    'git failed ({problem}): pages show no revision history':
        'git 运行失败（{problem}）：页面不显示修订历史',
    'the sources are not in a git repository: pages show no revision history':
        '源文件不在 git 仓库中：页面不显示修订历史',
    'git: {problem}: pages show no revision history':
        'git：{problem}：页面不显示修订历史',
    'shallow clone: revision history is incomplete':
        '浅克隆：修订历史不完整',
    'fetch the full history (git fetch --unshallow) to show every revision':
        '获取完整历史（git fetch --unshallow）即可显示全部修订',
    'the sources are outside the git work tree: no revision history':
        '源文件在 git 工作区之外：没有修订历史',
    'git log failed ({problem}): pages show no revision history':
        'git log 运行失败（{problem}）：页面不显示修订历史',
    # governance/flows.py
    "step '{step}': unknown department '{dept}'":
        '步骤“{step}”：未知的部门“{dept}”',
    'use a registry id or name; write a role that is not a department in brackets, e.g. [申请部门]':
        '请写部门登记表中的编号或名称；不是部门的角色请加方括号，例如 [申请部门]',
    # assemble/lifecycle.py
    '{old} is superseded by {new} but is still active':
        '{old} 已被 {new} 替代，但状态仍为现行',
    'set status: retired in {path}':
        '在 {path} 中写 status: retired',
    'review date {review_by} is not after the effective date {effective}':
        '复审日期 {review_by} 不晚于生效日期 {effective}',
    'review_by is when the policy is next due for review, e.g. two years after it takes effect':
        'review_by 是下次复审的日期，例如生效后两年',
    '{id} is retired but its successor {names} is still a draft: nothing in force replaces it':
        '{id} 已废止，但接替它的 {names} 仍是草稿：目前没有现行制度替代它',
    'adopt the successor (status: active) or keep this policy active until then':
        '发布接替的制度（status: active），或在此之前保持本制度为现行',
    # render/env.py
    'template syntax error: {problem}':
        '模板语法错误：{problem}',
    'template error in {template}: {problem}':
        '模板 {template} 出错：{problem}',
    "fix the template (Jinja2's message is quoted as it is)":
        '请修改模板（Jinja2 的原始报错照录如上）',
    # build/cache.py
    "the parse cache is not used: no private key in {path} (it could not be created or is not this user's 0600 file)":
        '未使用解析缓存：{path} 中没有私钥（无法创建，或不是当前用户的 0600 文件）',
    'the parse cache {path} is ignored ({why!t}); the next build replaces it':
        '已忽略解析缓存 {path}（{why!t}）；下次构建会替换它',
    'no key of this user can verify it':
        '当前用户的密钥无法验证它',
    'not a regular file':
        '不是普通文件',
    'corrupt, foreign or not written by this user: no valid signature':
        '已损坏、来自他处或不是当前用户写入的：没有有效签名',
    'its contents cannot be read':
        '内容无法读取',
    # build/pipeline.py
    'the page of policy {id} ({url}) was not written':
        '制度 {id} 的页面（{url}）没有写出',
    'the build stops so that the published site keeps every policy; an error above may say why':
        '构建已停止，以保证已发布的站点不缺少任何制度；上面的错误可能说明了原因',
    # handbook import (word/importer.py and the modules it reads with; word/report.py)
    'the file is not UTF-8; it was read as GB18030':
        '文件不是 UTF-8 编码，已按 GB18030 读取',
    'check the converted text':
        '请核对转换后的文字',
    "numbering format '{fmt}' is not supported; its numbers were read as decimal":
        '不支持编号格式“{fmt}”，其编号按阿拉伯数字读取',
    "tracked changes in '{excerpt}': {ins} insertion(s) accepted, {dels} deletion(s) dropped":
        '“{excerpt}”中有修订记录：接受了 {ins} 处插入，舍弃了 {dels} 处删除',
    'compare with the source':
        '请与原文核对',
    "a text box was dropped: '{excerpt}'":
        '删除了一个文本框：“{excerpt}”',
    'copy its text into the policy if it matters':
        '如内容重要，请把文字补入制度正文',
    "an image was dropped (after '{excerpt}')":
        '删除了一张图片（位于“{excerpt}”之后）',
    'describe it in words or as a table':
        '请改用文字或表格说明',
    "a {kind!t} was dropped (after '{excerpt}')":
        '删除了一个{kind!t}（位于“{excerpt}”之后）',
    'footnote':
        '脚注',
    'endnote':
        '尾注',
    'write it as a Markdown footnote [^1]':
        '可改写为 Markdown 脚注 [^1]',
    "comment dropped: '{comment}'":
        '删除了批注：“{comment}”',
    'table {table}: merged cells were split into a simple table (the text stays in the first cell)':
        '表格 {table}：合并单元格已拆分为简单表格（文字保留在第一个单元格）',
    'check the table':
        '请核对该表格',
    'table {table}: a table inside a cell was flattened into its text':
        '表格 {table}：单元格中的嵌套表格已展开为文字',
    "table of contents line dropped (the site makes its own): '{excerpt}'":
        '删除了目录行（网站会自动生成目录）：“{excerpt}”',
    "masthead or addressee line of the 公文 dropped: '{excerpt}'":
        '删除了公文的发文机关标志或主送机关：“{excerpt}”',
    "title '{title}' taken from line {para}":
        '标题“{title}”取自第 {para} 行',
    "signature line after the last article dropped: '{excerpt}'":
        '删除了最后一条之后的落款：“{excerpt}”',
    "'{excerpt}' has a heading style but no number: taken as a chapter (the build numbers it)":
        '“{excerpt}”使用标题样式但没有编号：按章处理（构建时自动编号）',
    "title '{title}' taken from paragraph {para}":
        '标题“{title}”取自第 {para} 段',
    "title '{title}' taken from the document properties":
        '标题“{title}”取自文档属性',
    "title '{title}' taken from the file name":
        '标题“{title}”取自文件名',
    'effective date {date} is the date of the title block (the policy takes effect when issued)':
        '生效日期 {date} 取自题注中的日期（本制度自发布之日起施行）',
    'no effective date found (本…自…起施行): imported as a draft dated {date}':
        '没有找到施行日期（本…自…起施行）：按草案导入，日期暂填 {date}',
    'set effective and status: active':
        '请填写 effective，并把 status 改为 active',
    '《{title}》 is named as replaced but is not a policy of the handbook':
        '文中写明废止《{title}》，但汇编中没有这项制度',
    'add its id to supersedes once it is imported':
        '导入该制度后，请把它的编号填入 supersedes',
    "'{name}' (由…负责解释) is not a department of the handbook; owner set to {owner}, the chapter's usual owner":
        '负责解释的“{name}”不是汇编部门登记表中的部门；归口部门暂按本章惯例设为 {owner}',
    'give --owner or add the department to _handbook.yaml':
        '请用 --owner 指定，或在 _handbook.yaml 中登记该部门',
    "the document names no interpreting department; owner set to {owner}, the chapter's usual owner":
        '文件没有写明负责解释的部门；归口部门暂按本章惯例设为 {owner}',
    'give --owner':
        '请用 --owner 指定',
    'the Markdown written has articles {built}, the source {source}':
        '生成的 Markdown 中的条为 {built}，原文为 {source}',
    '{article} does not follow {before}: its number is kept as typed (the build warns HB220)':
        '{article}没有紧接{before}：保留原文条号（构建时会给出 HB220 警告）',
    '{article} is the first article: its number is kept as typed (the build warns HB220)':
        '{article}是第一条：保留原文条号（构建时会给出 HB220 警告）',
    "items from '{excerpt}' are not numbered from the first in order: kept as typed lines":
        '从“{excerpt}”起的各项没有从第一项起依次编号：按原文逐行保留',
    "citation '{text}' stays text: this document has no {article}":
        '引用“{text}”保留为文字：本文件没有{article}',
    "citation '{text}' stays text: {article} has no paragraph {para}":
        '引用“{text}”保留为文字：{article}没有第 {para} 款',
    "《{title}》 is not a policy of the handbook: '{text}' stays text":
        '《{title}》不是本汇编中的制度：“{text}”保留为文字',
    "citation '{text}' stays text: {policy} has no such article or paragraph":
        '引用“{text}”保留为文字：{policy} 中没有该条或该款',
    'importing Word files needs python-docx: pip install \'handbook-gen[word]\'':
        '导入 Word 文件需要 python-docx：请运行 pip install \'handbook-gen[word]\'',
    'cannot import {names}: .doc and .wps files are converted to .docx by LibreOffice, and no soffice command was found; install LibreOffice (apt-get install libreoffice-writer) or save the files as .docx in Word or WPS':
        '无法导入 {names}：.doc 和 .wps 文件需要先用 LibreOffice 转为 .docx，但没有找到 soffice 命令；请安装 LibreOffice（apt-get install libreoffice-writer），或在 Word / WPS 中另存为 .docx',
    'no files to import (types: {types})':
        '没有可导入的文件（可导入的类型：{types}）',
    '{root} cannot be read as a handbook; run handbook check':
        '{root} 无法作为制度汇编读取；请先运行 handbook check',
    'cannot be read as a Word document: {problem}':
        '无法作为 Word 文档读取：{problem}',
    'cannot be read: {problem}':
        '无法读取：{problem}',
    '{n} files of this import have the title 《{title}》':
        '本次导入中有 {n} 个文件的标题都是《{title}》',
    'the handbook already has {id} 《{title}》 ({path}); give --force to replace it with the imported text':
        '汇编中已有 {id}《{title}》（{path}）；如要用导入的内容替换它，请加 --force',
    "chapter '{chapter}' has no policies to number after; give --id-prefix (e.g. QM-)":
        '“{chapter}”章中还没有制度，无法推算编号；请用 --id-prefix 指定编号前缀（如 QM-）',
    "policy id '{id}' {problem}":
        '制度编号“{id}”{problem}',
    '{path} already exists; give --force to overwrite it':
        '{path} 已存在；如要覆盖，请加 --force',
    'no owner: the document names no department that interprets it and the chapter has no policies to go by; give --owner':
        '无法确定归口部门：文件没有写明由哪个部门负责解释，本章也没有制度可参照；请用 --owner 指定',
    'whole file':
        '全文',
    'line {n}':
        '第 {n} 行',
    'paragraph {n}':
        '第 {n} 段',
    'not imported: {reason}':
        '未导入：{reason}',
    'written':
        '已写入',
    'overwritten':
        '已覆盖原文件',
    'dry run, would overwrite the file':
        '试运行，未写入（将覆盖原文件）',
    'dry run, nothing written':
        '试运行，未写入',
    'import {source} → {target} ({id} 《{title}》): {state}':
        '导入 {source} → {target}（{id}《{title}》）：{state}',
    'import {source}: {state}':
        '导入 {source}：{state}',
    '{n} parts':
        '编 {n}',
    '{n} sub-parts':
        '分编 {n}',
    '{n} chapters':
        '章 {n}',
    '{n} sections':
        '节 {n}',
    '{n} articles':
        '条 {n}',
    '{n} of them inserted (之一)':
        '其中插入条（之一）{n}',
    '{n} items':
        '项 {n}',
    '{n} sub-items':
        '目 {n}',
    '{n} deeper items':
        '更深一级的项 {n}',
    '{n} further paragraphs':
        '另起的款或段落 {n}',
    '{n} tables':
        '表格 {n}',
    '{n} outline headings':
        '提纲式标题 {n}',
    '{n} paragraphs numbered by Word':
        'Word 自动编号的段落 {n}',
    '  recognised: {counts}':
        '  识别：{counts}',
    '  citations turned into references: {local} within the policy, {other} to other policies':
        '  转为链接的引用：本制度内 {local} 处，其他制度 {other} 处',
    'effective {date}, status {status}, owner {owner}':
        '施行日期 {date}，状态 {status}，归口部门 {owner}',
    'doc_no {doc_no}':
        '发文字号 {doc_no}',
    'supersedes {ids}':
        '替代 {ids}',
    '  front matter: {meta}':
        '  元数据：{meta}',
    '  article numbers: NOT as in the source (see HB516)':
        '  条号核对：与原文不一致（见 HB516）',
    '  article numbers: as in the source ({n}, {first} to {last})':
        '  条号核对：与原文一致（{n} 条，{first}至{last}）',
    '  guesses, losses and checks ({n}):':
        '  猜测、损失、引用与检查（{n}）：',
    '    {where} {kind}: {severity}[{code}]: {message}':
        '    {where} {kind}：{severity}[{code}]：{message}',
    ' (hint: {hint})':
        '（提示：{hint}）',
    'guess':
        '猜测',
    'loss':
        '损失',
    'citation':
        '引用',
    'check':
        '检查',
    'import: {files} file(s), {written} written, {refused} refused; {errors} error(s), {warnings} warning(s) in the imported policies':
        '导入：{files} 个文件，写入 {written} 个，拒绝 {refused} 个；导入的制度中有 {errors} 个错误、{warnings} 个警告',
    'dry run: nothing was written':
        '试运行：未写入任何文件',
    'nothing was written: fix or leave out the refused files, or give --force':
        '未写入任何文件：请修正或去掉被拒绝的文件，或加 --force',
    # source/frontmatter.py: changes
    '- {version: "2.0", date: 2025-01-01, summary: …}':
        '- {version: "2.0", date: 2025-01-01, summary: …}',
    # build/output.py; libyaml; strerror
    'refusing to write {rel} into the site: it is empty':
        '拒绝把 {rel} 写入站点：路径为空',
    'refusing to write {rel} into the site: it is absolute':
        '拒绝把 {rel} 写入站点：这是绝对路径',
    'exceeded maximum nesting depth':
        '嵌套层数超过上限',
    'File exists':
        '文件已存在',
    # source/yamlsafe.py: input-method traps
    'full-width space in the indentation':
        '缩进中有全角空格',
    'indent with ordinary spaces (switch the input method to half-width)':
        '请用普通（半角）空格缩进（把输入法切换到半角）',
    "full-width colon '：' after the key '{key}': YAML needs an ASCII colon and a space":
        '键“{key}”后面用了全角冒号“：”：这里必须是半角冒号加一个空格',
    "full-width space after '{key}:': YAML needs an ordinary space after the colon":
        '“{key}:”后面是全角空格：冒号后面必须是普通（半角）空格',
    'write {key}: {iso}':
        '改为 {key}: {iso}',
    # source/frontmatter.py: keys written in Chinese
    "key '{key}' is written in Chinese and '{english}' is also given; it is ignored":
        '键“{key}”是中文写法，且已写了“{english}”；该键被忽略',
    "missing required key '{english}': keys are written in English, not as '{key}'":
        '缺少必填键“{english}”：键名要用英文，不能写成“{key}”',
    "key '{key}' is written in Chinese: keys are English, so it is ignored":
        '键“{key}”是中文写法：键名要用英文，该键被忽略',
    # assemble/checks.py
    'supersedes cycle: {chain}':
        '制度之间的替代关系形成循环：{chain}',
    '--revision needs exactly one policy id':
        '--revision 只能跟一个制度编号',
    '{id} has no revision in the git history':
        '{id} 在版本库历史中没有修订记录',
    '{id} has no revision to version {version} (its revisions: {versions})':
        '{id} 没有修订为 {version} 版的记录（已有的修订：{versions}）',
    # source/config.py
    "department '{id}' is its own ancestor ({chain}; {n} departments in the cycle)":
        '部门“{id}”成了自己的上级（{chain}；循环中共 {n} 个部门）',
}
