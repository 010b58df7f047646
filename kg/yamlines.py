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

_MAP, _SEQ = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, \
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
# The implicit resolvers of a plain scalar by its first character, the wildcard ones after.
_IMPLICIT = {first: [*resolvers, *_Loader.yaml_implicit_resolvers.get(None, [])]
             for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
_WILDCARD = list(_Loader.yaml_implicit_resolvers.get(None, []))


def _resolve(loader: _Loader, kind, value: str, implicit) -> str:
    """BaseResolver.resolve for a plain scalar, with the lists it joins for each scalar joined
    once (libyaml's composer calls it for every scalar of every fact sheet)."""
    if kind is yaml.ScalarNode and implicit[0] and not loader.yaml_path_resolvers:
        for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
            if regexp.match(value):
                return tag
        return loader.DEFAULT_SCALAR_TAG
    return _Base.resolve(loader, kind, value, implicit)


_Loader.resolve = _resolve


def _built(loader: _Loader, node, built: dict, building: set):
    """What the constructors above make of the node tree, without construct_object's
    bookkeeping (a third of the reading time). Anything unusual (an unknown tag, an alias
    inside itself, a bad or repeated key, a value a constructor refuses) raises, and the
    tree is then built again the usual way, which gives its usual value or error."""
    tag, kind = node.tag, type(node)
    if tag == _STR and kind is yaml.ScalarNode:
        return node.value  # construct_yaml_str's value, and one object however often aliased
    if node in built:
        return built[node]
    if node in building:
        raise ValueError("recursive")
    if tag == _MAP and kind is yaml.MappingNode:
        # flatten_mapping (merge keys) changes the tree, even when it then fails: left to the
        # usual way. Without such keys it does nothing.
        if any(key_node.tag in _MERGING for key_node, _ in node.value):
            raise ValueError("merge")
        building.add(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = key_lines = {}
        for key_node, value_node in node.value:
            key = _built(loader, key_node, built, building)
            if not isinstance(key, str) or key in result:
                raise ValueError("key")
            result[key] = _built(loader, value_node, built, building)
            key_lines[key] = key_node.start_mark.line + 1
        building.discard(node)
    elif tag == _SEQ and kind is yaml.SequenceNode:
        building.add(node)
        result = LineList(_built(loader, child, built, building) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        building.discard(node)
    elif kind is yaml.ScalarNode and tag in _SCALARS:
        result = loader.yaml_constructors[tag](loader, node)
    else:
        raise ValueError("unusual")
    built[node] = result
    return result


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MERGING = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
# The scalar tags whose constructors make a plain value from the node alone.
_SCALARS = frozenset(f"tag:yaml.org,2002:{name}"
                     for name in ("null", "bool", "int", "float", "binary", "str"))


def _document(text: str):
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _built(loader, node, {}, set())
        except Exception:  # noqa: BLE001 - built again the usual way, which says what is wrong
            return loader.construct_document(node)
    finally:
        loader.dispose()


def load(path: Path, text: str):
    """Parse YAML text from `path`; a syntax error names the file and line."""
    try:
        return _document(text)
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
