"""Apache 2 and nginx from Debian, started by the tests on a free loopback port with a config
of their own in a temporary folder, serving a published site with the files `kg publish`
wrote, at the root of the host or under a sub-path. No system service is used."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from servers import free_port, stop, wait_until_up

APACHE_MODULES = Path("/usr/lib/apache2/modules")
# What the .htaccess needs, and what any Apache needs to serve files.
MODULES = ("mpm_event", "authz_core", "alias", "dir", "mime", "rewrite", "headers")


def binary(name: str, package: str) -> str:
    """The server's path; missing, the test fails (CI installs it): nothing is skipped."""
    for folder in ("/usr/sbin", "/usr/local/sbin"):
        if Path(folder, name).is_file():
            return str(Path(folder, name))
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: Debian package {package} (.ci/run installs it)")
    return found


def _readable(folder: Path) -> None:
    # Run as root, both servers answer from an unprivileged user: let it read the tree.
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _user() -> tuple[str, str] | None:
    """The unprivileged user and group the workers take when the tests run as root."""
    if os.geteuid() != 0:
        return None
    return "nobody", "nogroup"


def apache_config(work: Path, site: Path, port: int, prefix: str) -> str:
    """httpd.conf for the site's folder at prefix ("/" or "/kg/"), AllowOverride All."""
    lines = [f"ServerRoot {work}", f"DefaultRuntimeDir {work}", f"PidFile {work}/httpd.pid",
             f"Mutex file:{work} default", f"Listen 127.0.0.1:{port}", "ServerName 127.0.0.1",
             f"ErrorLog {work}/error.log", "LogLevel warn", "TypesConfig /etc/mime.types"]
    lines += [f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in MODULES]
    user = _user()
    if user:
        lines += [f"User {user[0]}", f"Group {user[1]}"]
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    if prefix == "/":
        lines.append(f"DocumentRoot {site}")
    else:
        lines += [f"DocumentRoot {empty}", f"Alias {prefix.rstrip('/')} {site}"]
    lines += [f"<Directory {site}>", "    AllowOverride All", "    Require all granted",
              "</Directory>", '<FilesMatch "^\\.ht">', "    Require all denied", "</FilesMatch>"]
    return "\n".join(lines) + "\n"


def nginx_config(work: Path, site: Path, port: int, prefix: str, served: str) -> str:
    """nginx.conf holding the site's own nginx.conf, edited as the README says: listen and root,
    and at a sub-path the location and an alias."""
    edited = served.replace("listen 80;", f"listen 127.0.0.1:{port};")
    if prefix == "/":
        edited = edited.replace("root /srv/kg/site;", f"root {site};")
    else:
        edited = edited.replace("location / {", f"location {prefix} {{").replace(
            "root /srv/kg/site;", f"alias {site}/;")
    user = _user()
    temp = "\n".join(f"    {kind}_temp_path {work}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (("user nobody nogroup;\n" if user else "")
            + f"daemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log warn;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temp}\n"
            f"    include {work}/site.conf;\n}}\n"), edited


@contextmanager
def web_server(kind: str, site: Path, prefix: str = "/"):
    """Apache ("apache") or nginx ("nginx") serving site at prefix; yields the base URL,
    http://127.0.0.1:PORT plus the prefix without its last slash."""
    work = Path(tempfile.mkdtemp(prefix=f"kg-{kind}-"))
    try:
        root = work / "www"
        shutil.copytree(site, root / "site")
        served = root / "site"
        port = free_port()
        if kind == "apache":
            config = work / "httpd.conf"
            config.write_text(apache_config(work, served, port, prefix))
            command = [binary("apache2", "apache2"), "-f", str(config), "-DFOREGROUND"]
            env = {**os.environ, "APACHE_RUN_DIR": str(work), "APACHE_LOG_DIR": str(work)}
        else:
            main, site_conf = nginx_config(work, served, port, prefix,
                                           (served / "nginx.conf").read_text())
            (work / "site.conf").write_text(site_conf)
            config = work / "nginx.conf"
            config.write_text(main)
            command = [binary("nginx", "nginx"), "-c", str(config), "-p", str(work),
                       "-e", str(work / "error.log")]
            env = dict(os.environ)
        if _user():
            _readable(work)
        base = f"http://127.0.0.1:{port}{prefix.rstrip('/')}"
        process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        try:
            try:
                wait_until_up(base + "/", process, 30)
            except RuntimeError as exc:
                log = work / "error.log"
                raise RuntimeError(f"{kind}: {exc}\n"
                                   + (log.read_text()[-2000:] if log.exists() else "")) from None
            yield base
        finally:
            stop(process)
    finally:
        shutil.rmtree(work, ignore_errors=True)

