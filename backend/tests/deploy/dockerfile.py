"""A small model of a Docker build, enough to list the files an image gets without a Docker engine.

- ``DockerIgnore``: the build context as BuildKit sends it (``.dockerignore`` patterns: ``*``, ``?``,
  ``**``, a pattern matching a directory excludes everything below it, ``!`` re-includes, last match wins).
- ``parse``: Dockerfile instructions (line continuations, comments, parser directives).
- ``simulate``: runs the stages: ``COPY`` from the context or from another stage, ``WORKDIR``, ``ENV``,
  ``USER``; a ``RUN`` adds only the products this project's builds are known to make (a uv virtual
  environment, ``node_modules``, the Vite build) so that later ``COPY --from`` lines have something to copy.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    exclude: bool


class DockerIgnore:
    def __init__(self, text: str) -> None:
        self.rules: list[_Rule] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclude = not line.startswith("!")
            pattern = posixpath.normpath(line.lstrip("!").strip().lstrip("/"))
            self.rules.append(_Rule(_pattern_regex(pattern), exclude))

    def excluded(self, relpath: str) -> bool:
        """Is this context path left out? A rule matching any parent directory applies to it too."""
        parts = relpath.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        verdict = False
        for rule in self.rules:
            if any(rule.regex.match(prefix) for prefix in prefixes):
                verdict = rule.exclude
        return verdict

    def context_files(self, root: Path) -> set[str]:
        """Relative paths of the files in the build context."""
        reincludes = any(not rule.exclude for rule in self.rules)
        files: set[str] = set()
        for current, dirs, names in os.walk(root):
            base = Path(current).relative_to(root).as_posix()
            rel = "" if base == "." else base + "/"
            if not reincludes:  # nothing below an excluded directory can come back: skip it
                dirs[:] = [d for d in dirs if not self.excluded(rel + d)]
            files.update(rel + name for name in names if not self.excluded(rel + name))
        return files


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int

    def words(self) -> list[str]:
        if self.args.startswith("["):
            words: list[str] = json.loads(self.args)
            return words
        return shlex.split(self.args, posix=True)


def parse(text: str) -> list[Instruction]:
    instructions: list[Instruction] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
    return instructions


@dataclass
class Stage:
    name: str
    base: str
    workdir: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # path in the image -> where it came from
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class Build:
    stages: list[Stage]
    context: set[str]
    context_reads: set[str]  # context paths some COPY names (to check they exist)

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)


def _flags(words: list[str]) -> tuple[dict[str, str], list[str]]:
    flags: dict[str, str] = {}
    rest: list[str] = []
    for word in words:
        if word.startswith("--") and not rest:
            key, _, value = word[2:].partition("=")
            flags[key] = value
        else:
            rest.append(word)
    return flags, rest


def _expand(value: str, env: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), value)


def _target(stage: Stage, dest: str) -> str:
    return posixpath.normpath(posixpath.join(stage.workdir, dest)) + ("/" if dest.endswith("/") else "")


def _copy_tree(files: dict[str, str], src: str, dest: str, many: bool) -> dict[str, str]:
    """Docker semantics: a directory's contents go into dest; a file goes to dest (or into it)."""
    src = src.rstrip("/") or "/"
    copied: dict[str, str] = {}
    for path, origin in files.items():
        if path == src:
            into_dir = dest.endswith("/") or many
            copied[posixpath.join(dest, posixpath.basename(src)) if into_dir else dest.rstrip("/")] = origin
        elif path.startswith(src.rstrip("/") + "/"):
            copied[posixpath.join(dest, path[len(src.rstrip("/")) + 1 :])] = origin
    return copied


# What RUN lines of these Dockerfiles produce, as (pattern, paths relative to WORKDIR or absolute).
_RUN_PRODUCTS: list[tuple[re.Pattern[str], list[str]]] = [
    (re.compile(r"\buv sync\b(?!.*--no-install-project)"), ["{venv}/bin/boxoffice", "{venv}/bin/python"]),
    (re.compile(r"\buv sync\b.*--no-install-project"), ["{venv}/bin/python"]),
    (re.compile(r"\bnpm ci\b"), ["node_modules/.package-lock.json"]),
    (re.compile(r"\bnpm run build\b"), ["dist/index.html", "dist/assets/index.js"]),
]


def simulate(dockerfile: Path, context_root: Path, dockerignore: DockerIgnore) -> Build:
    context = dockerignore.context_files(context_root)
    build = Build(stages=[], context=context, context_reads=set())
    global_args: dict[str, str] = {}
    stage: Stage | None = None
    for ins in parse(dockerfile.read_text(encoding="utf-8")):
        if ins.keyword == "FROM":
            words = ins.words()
            base = _expand(words[0], global_args)
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(build.stages))
            parent = next((s for s in build.stages if s.name == base), None)
            stage = Stage(name=name, base=base)
            if parent is not None:
                stage.files = dict(parent.files)
                stage.workdir, stage.env = parent.workdir, dict(parent.env)
            build.stages.append(stage)
            continue
        if stage is None:
            if ins.keyword == "ARG":
                key, _, value = ins.args.partition("=")
                global_args[key] = value
            continue
        stage.instructions.append(ins)
        if ins.keyword == "WORKDIR":
            stage.workdir = _target(stage, _expand(ins.args, stage.env)).rstrip("/") or "/"
        elif ins.keyword == "ENV":
            for pair in ins.words():
                key, _, value = pair.partition("=")
                stage.env[key] = _expand(value, stage.env)
        elif ins.keyword == "ARG":
            key, _, value = ins.args.partition("=")
            stage.env.setdefault(key, global_args.get(key, value))
        elif ins.keyword == "USER":
            stage.user = _expand(ins.args, stage.env)
        elif ins.keyword in ("COPY", "ADD"):
            flags, paths = _flags(ins.words())
            *sources, dest = paths
            target = _target(stage, dest)
            source = flags.get("from")
            if source is None:
                for src in sources:
                    rel = posixpath.normpath(src)
                    assert rel != "." and not rel.startswith(".."), f"line {ins.line}: copy named paths only"
                    build.context_reads.add(rel)
                    tree = {p: f"context:{p}" for p in context}
                    stage.files.update(_copy_tree(tree, rel, target, len(sources) > 1))
            elif any(s.name == source for s in build.stages):
                origin_stage = build.stage(source)
                for src in sources:
                    stage.files.update(_copy_tree(origin_stage.files, src, target, len(sources) > 1))
            else:  # another image: the file is whatever that image holds
                for src in sources:
                    stage.files[target if not target.endswith("/") else target + posixpath.basename(src)] = (
                        f"image:{source}{src}"
                    )
        elif ins.keyword == "RUN":
            venv = stage.env.get("UV_PROJECT_ENVIRONMENT", posixpath.join(stage.workdir, ".venv"))
            for pattern, products in _RUN_PRODUCTS:
                if pattern.search(ins.args):
                    for product in products:
                        path = product.format(venv=venv)
                        stage.files[posixpath.join(stage.workdir, path)] = f"run:{ins.line}"
    return build
