"""The Apache and nginx configurations, generated from the format table."""

from __future__ import annotations

import re

import pytest

from kg.formats import FORMATS, SERVED
from kg.pages import REPRESENTATIONS
from kg.webconfig import files, htaccess, nginx_conf, regex


@pytest.mark.parametrize("fmt", SERVED, ids=lambda f: f.name)
def test_every_served_format_is_in_the_apache_config(fmt):
    text = htaccess()
    assert f"AddType {fmt.media_type} {fmt.extension}\n" in text
    assert (f"RewriteCond %{{HTTP_ACCEPT}} {regex(fmt.media_type)}\n"
            f"RewriteCond %{{REQUEST_FILENAME}}{fmt.extension} -f\n"
            f"RewriteRule ^(.+)$ $1{fmt.extension} [R=303,L]\n") in text


@pytest.mark.parametrize("fmt", SERVED, ids=lambda f: f.name)
def test_every_served_format_is_in_the_nginx_config(fmt):
    text = nginx_conf()
    key = f'"~*{regex(fmt.media_type)}"'
    assert f'\n    {key.ljust(29)}"{fmt.extension}";\n' in text, fmt.name
    assert re.search(rf"^        {re.escape(fmt.media_type)} +{fmt.extension[1:]};$", text, re.M)


def test_every_rdf_format_has_an_nginx_type():
    text = nginx_conf()
    for fmt in FORMATS:
        line = rf"^        {re.escape(fmt.media_type)} +{fmt.extension[1:]};$"
        assert re.search(line, text, re.M), fmt.name


def test_rules_go_in_the_order_of_preference_html_last():
    apache = re.findall(r"RewriteRule \^\(\.\+\)\$ \$1(\.\w+)", htaccess())
    assert apache == [f.extension for f in REPRESENTATIONS] + [".html"]
    nginx = re.findall(r'^    "~\*[^"]+" +"(\.\w+)";$', nginx_conf(), re.M)
    assert nginx == [f.extension for f in REPRESENTATIONS]
    assert '    default                      ".html";' in nginx_conf()


def test_media_types_are_matched_literally():
    assert regex("application/ld+json") == r"application/ld\+json"
    assert regex("application/n-triples") == "application/n-triples"
    assert "RewriteCond %{HTTP_ACCEPT} application/ld\\+json\n" in htaccess()


def test_charsets_for_plain_text_only():
    assert "AddCharset utf-8 .html .ttl .nt\n" in htaccess()
    assert "charset_types text/turtle application/n-triples;" in nginx_conf()


def test_the_rest_of_the_configs():
    text = htaccess()
    assert text.startswith("# Content negotiation for the static kg site on Apache")
    assert "Options -MultiViews\n" in text and text.endswith("Header append Vary Accept\n")
    conf = nginx_conf()
    assert "try_files $uri $uri$kg_suffix $uri.html =404;" in conf
    assert "{{" not in text + conf and "{%" not in text + conf
    assert set(files()) == {".htaccess", "nginx.conf"}
