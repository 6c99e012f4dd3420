"""A throw-away PostgreSQL cluster: ``initdb`` + ``pg_ctl`` in a directory of its own, on a free
port of 127.0.0.1 only, for the tests and ``make postgres-demo`` (docs/postgres.md).

    python -m sqltrain.postgres.cluster start --dir .postgres   # prints the SQLTRAIN_PG_* settings
    python -m sqltrain.postgres.cluster stop --dir .postgres

PostgreSQL refuses to run as root, so where this process is root the server runs as the
unprivileged ``nobody``: the cluster directory (made under the system's temporary directory,
which ``nobody`` can reach) is handed to it. The server listens on 127.0.0.1 and a Unix socket
inside the directory; the role ``sqltrain`` logs in with a random password (scram), stored in
the directory for ``start`` to print again.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "sqltrain"
DATABASE = "sqltrain"
UNPRIVILEGED = "nobody"
SETTINGS_FILE = "sqltrain-cluster.json"
# a throw-away cluster: no durability work (a crash loses nothing anyone keeps)
SERVER_OPTIONS = ("-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                  " -c full_page_writes=off -c TimeZone=UTC -c max_connections=40")


class ClusterError(RuntimeError):
    """PostgreSQL's programs are missing or refused to start (the message says which and why)."""


def postgres_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``: ``$SQLTRAIN_PG_BINDIR``, ``pg_config --bindir``,
    the newest ``/usr/lib/postgresql/*/bin`` (Debian keeps them off PATH), or ``initdb`` on PATH."""
    candidates = [os.environ.get("SQLTRAIN_PG_BINDIR")]
    if shutil.which("pg_config"):
        run = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(run.stdout.strip() if run.returncode == 0 else None)
    versioned = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versioned, key=lambda p: [int(x) for x in re.findall(r"\d+", p)], reverse=True)
    on_path = shutil.which("initdb")
    candidates.append(str(Path(on_path).resolve().parent) if on_path else None)
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    raise ClusterError("PostgreSQL's initdb and pg_ctl were not found; install them "
                       "(apt-get install postgresql) or set SQLTRAIN_PG_BINDIR")


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LocalCluster:
    """One cluster in ``root`` (``root/data``, ``root/server.log``, the socket in ``root``)."""

    root: Path
    port: int = 0
    password: str = ""

    @classmethod
    def create(cls, root: Path | None = None) -> LocalCluster:
        """A new, started cluster in ``root`` (default: a fresh directory under the system tmp dir)
        with the database ``sqltrain`` owned by the role ``sqltrain``."""
        root = Path(root) if root else Path(tempfile.mkdtemp(prefix="sqltrain-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        cluster = cls(root.resolve(), password=secrets.token_hex(16))
        cluster._initdb()
        cluster.start()
        cluster._run("createdb", "-h", str(cluster.root), "-p", str(cluster.port), "-U", USER, "-O", USER, DATABASE)
        return cluster

    @classmethod
    def open(cls, root: Path) -> LocalCluster:
        """The cluster ``create`` made in ``root`` earlier (not necessarily running)."""
        saved = json.loads((Path(root) / SETTINGS_FILE).read_text())
        return cls(Path(root).resolve(), port=saved["port"], password=saved["password"])

    @property
    def data(self) -> Path:
        return self.root / "data"

    def env(self) -> dict[str, str]:
        """The settings profiles.yml's ``postgres`` target reads."""
        return {"SQLTRAIN_PG_HOST": "127.0.0.1", "SQLTRAIN_PG_PORT": str(self.port), "SQLTRAIN_PG_USER": USER,
                "SQLTRAIN_PG_PASSWORD": self.password, "SQLTRAIN_PG_DATABASE": DATABASE}

    def running(self) -> bool:
        return self.data.is_dir() and self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def start(self) -> None:
        """Start the server on a free port (a fresh one each time: the old may be taken meanwhile)."""
        for _ in range(3):
            self.port = free_port()
            started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                                "-o", f"{SERVER_OPTIONS} -p {self.port} -k {self.root}", "start", check=False)
            if started.returncode == 0:
                (self.root / SETTINGS_FILE).write_text(json.dumps({"port": self.port, "password": self.password}))
                os.chmod(self.root / SETTINGS_FILE, 0o600)
                return
        log = (self.root / "server.log").read_text(errors="replace")[-2000:] if (self.root / "server.log").exists() else ""
        raise ClusterError(f"PostgreSQL did not start in {self.root}: {log.strip().splitlines()[-1:] or started.stderr}")

    def stop(self) -> None:
        """Stop the server (fast shutdown); nothing happens if it is not running."""
        if self.running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def destroy(self) -> None:
        """Stop the server and remove the directory."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def _initdb(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        self._hand_over()
        try:
            self._run("initdb", "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}", "--auth=scram-sha-256",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        finally:
            pwfile.unlink(missing_ok=True)

    def _hand_over(self) -> None:
        """As root: give the directory to the unprivileged user the server runs as."""
        if os.geteuid() == 0:
            shutil.chown(self.root, user=UNPRIVILEGED)
            for p in self.root.rglob("*"):
                shutil.chown(p, user=UNPRIVILEGED)
            os.chmod(self.root, 0o700)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(postgres_bindir() / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
        env = {**os.environ, "PGPASSWORD": self.password, "LC_ALL": "C"}
        done = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise ClusterError(f"{program} failed: {(done.stderr or done.stdout).strip()}")
        return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sqltrain.postgres.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "env"])
    parser.add_argument("--dir", type=Path, help="the cluster's directory (default: a new one under the tmp dir)")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            made = args.dir and (args.dir / SETTINGS_FILE).is_file()
            cluster = LocalCluster.open(args.dir) if made else LocalCluster.create(args.dir)
            if not cluster.running():
                cluster.start()
        else:
            if not (args.dir and (args.dir / SETTINGS_FILE).is_file()):
                print(f"{args.dir}: no cluster made by `start` here", file=sys.stderr)
                return 2
            cluster = LocalCluster.open(args.dir)
            if args.action == "stop":
                cluster.stop()
                return 0
    except ClusterError as e:
        print(str(e), file=sys.stderr)
        return 1
    for key, value in cluster.env().items():
        print(f"export {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
