"""Load YAML keeping the line of every mapping, key and list item, for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.errors import InputError


class LineDict(dict):
    """A mapping that remembers its own line and the line of each of its keys."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A list that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list


# libyaml's parser when PyYAML was built with it: 8.6x faster on 200 fact sheets, same values
# and line marks. The constructors and resolvers below are Python either way.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe YAML where dates stay text: the schema checks them and reports bad ones by line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be text, found {key!r}", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one mapping", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(path: Path, text: str):
    """Parse YAML text from `path`; a syntax error names the file and line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        # Where the construct began (an opening quote, say) is where the user must look;
        # where the parser gave up may be the end of the file.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else None
        problem = "; ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            problem += f" (line {exc.problem_mark.line + 1})"
        raise InputError(f"invalid YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", path=path) from None
