"""The Apache and nginx configurations, generated from the format table (tests/test_webservers.py
runs them in real servers)."""

from __future__ import annotations

import re

import pytest

from kg.formats import FORMATS, SERVED
from kg.pages import REPRESENTATIONS
from kg.server import OFFERED
from kg.webconfig import files, htaccess, negotiation, nginx_conf, regex


@pytest.mark.parametrize("fmt", SERVED, ids=lambda f: f.name)
def test_every_served_format_has_its_rules(fmt):
    key = fmt.extension[1:]
    text = htaccess()
    assert f"RewriteRule ^ %{{REQUEST_URI}}{fmt.extension} [R=303,L]\n" in text
    assert f"RewriteCond %{{HTTP_ACCEPT}} (?:^|,)\\s*{regex(fmt.media_type)}\\s*" in text
    assert f"RewriteRule ^ - [E=KG_Q_{key}:1000]\n" in text
    conf = nginx_conf()
    assert f"map $http_accept $kg_q_{key} {{\n" in conf
    assert f'"~*(?:^|,)\\s*{regex(fmt.media_type)}\\s*(?:;[^,]*)?(?:,|$)" 1000;' in conf
    assert f'"$kg_{key}{fmt.extension}"' in conf


def test_every_rdf_format_has_its_type_in_both():
    text, conf = htaccess(), nginx_conf()
    for fmt in FORMATS:
        assert f"AddType {fmt.media_type} {fmt.extension}\n" in text, fmt.name
        line = rf"^        {re.escape(fmt.media_type)} +{fmt.extension[1:]};$"
        assert re.search(line, conf, re.M), fmt.name


def test_ties_go_in_the_order_of_kg_serve():
    _, offered = negotiation()
    assert [(t.media, t.extension) for t in offered] == OFFERED
    assert [t.extension for t in offered] == [".html"] + [f.extension for f in REPRESENTATIONS]
    apache = re.findall(r"^RewriteRule \^ %\{REQUEST_URI\}(\.\w+) \[R=303,L\]$", htaccess(), re.M)
    assert apache == [t.extension for t in offered]
    nginx = re.findall(r'^    (?:default|"~[^"]+") "\$kg_\w+(\.\w+)";$', nginx_conf(), re.M)
    assert nginx == [t.extension for t in offered]


def test_the_most_specific_range_decides():
    ranges, offered = negotiation()
    assert [r.media for r in ranges[:3]] == ["*/*", "text/*", "application/*"]
    turtle = next(t for t in offered if t.extension == ".ttl")
    assert turtle.ranges == ("any", "text", "ttl")
    assert turtle.before == ("html",) and turtle.after == ("jsonld", "nt", "rdf")
    # Apache copies each range's q-value in that order, the later one winning.
    assert ("RewriteCond %{ENV:KG_Q_any} ^(\\d{4})\nRewriteRule ^ - [E=KG_ttl:%1]\n"
            "RewriteCond %{ENV:KG_Q_text} ^(\\d{4})\nRewriteRule ^ - [E=KG_ttl:%1]\n"
            "RewriteCond %{ENV:KG_Q_ttl} ^(\\d{4})\nRewriteRule ^ - [E=KG_ttl:%1]\n") in htaccess()
    assert 'map "$kg_q_any:$kg_q_text:$kg_q_ttl" $kg_ttl {' in nginx_conf()


def test_media_types_are_matched_literally():
    assert regex("application/ld+json") == r"application/ld\+json"
    assert regex("*/*") == r"\*/\*"
    assert regex("application/n-triples") == "application/n-triples"


def test_charsets_for_text_only():
    assert "AddCharset utf-8 .html .css .ttl .nt .trig .nq\n" in htaccess()
    assert ("charset_types text/css text/turtle application/n-triples application/trig "
            "application/n-quads;") in nginx_conf()


def test_no_filesystem_path_and_no_rewrite_base():
    text = htaccess()
    assert "\nRewriteBase" not in text and "$1" not in text
    assert text.startswith("# Content negotiation for the static kg site on Apache 2.4")
    assert "Options -MultiViews\nDirectoryIndex index.html\n" in text
    assert "Header always merge Vary Accept env=KG_RESOURCE\n" in text
    conf = nginx_conf()
    assert "try_files" not in conf and "return 303 $kg_name$kg_ext;" in conf
    assert conf.count("add_header Vary Accept always;") == 2 and "return 406;" in conf


def test_the_lines_the_readme_has_you_edit_are_there_once():
    conf = nginx_conf()
    for line in ("    listen 80;\n", "    server_name kg.example.org;\n", "    location / {\n",
                 "        root /srv/kg/site;\n", "        index index.html;\n"):
        assert conf.count(line) == 1, line


def test_both_files_are_rendered_whole():
    text, conf = htaccess(), nginx_conf()
    assert "{{" not in text + conf and "{%" not in text + conf and "{#" not in text + conf
    assert set(files()) == {".htaccess", "nginx.conf"}
    assert files()[".htaccess"] == text.encode("utf-8")
