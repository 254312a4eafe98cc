"""The headers object storage serves each site file with: the rules of deploy/nginx.conf."""

from __future__ import annotations

import pytest

from mzpress.deploy.object_headers import DEFAULT, IMMUTABLE, SHORT, cache_control, content_type


@pytest.mark.parametrize(("path", "expected"), [
    ("index.html", "text/html; charset=utf-8"),
    ("stories/2026/通知.HTML", "text/html; charset=utf-8"),
    ("assets/stylesheets/main.57a0d79d.min.css", "text/css; charset=utf-8"),
    ("assets/javascripts/bundle.a5f9d56c.min.js", "application/javascript; charset=utf-8"),
    ("search/search_index.json", "application/json; charset=utf-8"),
    ("sitemap.xml", "application/xml; charset=utf-8"),
    ("feeds/all.xml", "application/atom+xml; charset=utf-8"),
    ("assets/images/logo.svg", "image/svg+xml; charset=utf-8"),
    ("attachments/表格.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("images/photo.JPG", "image/jpeg"),
    ("sitemap.xml.gz", "application/gzip"),
    ("robots.txt", "text/plain; charset=utf-8"),
    ("data/no-suffix", "application/octet-stream"),
])
def test_content_type_follows_nginx_types_with_utf8_for_text(path, expected):
    assert content_type(path) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("assets/javascripts/bundle.a5f9d56c.min.js", IMMUTABLE),
    ("assets/javascripts/workers/search.a7633da7.min.js", IMMUTABLE),
    ("assets/stylesheets/main.57a0d79d.min.css", IMMUTABLE),
    ("assets/stylesheets/palette.06af60db.min.css", IMMUTABLE),
    ("assets/javascripts/mzpress.js", DEFAULT),  # no fingerprint: may change with the next build
    ("assets/stylesheets/extra.css", DEFAULT),
    ("index.html", SHORT),
    ("feeds/all.xml", SHORT),
    ("search/search_index.json", SHORT),
    ("images/photo.jpg", DEFAULT),
])
def test_cache_control_is_long_only_for_fingerprinted_assets(path, expected):
    assert cache_control(path) == expected
    assert SHORT == "public, max-age=60, must-revalidate" and IMMUTABLE.startswith("public, max-age=31536000")
