"""The rehearsed reference deployment: `python -m marketplace.deploy.cluster up|check|down`.

up     start nginx (TLS), app servers A and B (gunicorn), Redis, the task worker and a database of the
       project's local PostgreSQL, all on loopback with their state in .cluster/; waits until each answers
down   stop everything `up` started (the project's PostgreSQL keeps running, as after `make run`)
check  prove the properties of docs/deployment.md against the running cluster; exit 1 on any failure

The Makefile's `cluster`, `cluster-check` and `cluster-stop` run these (docs/deployment.md).
"""

from __future__ import annotations

import sys

from marketplace.deploy.checks import run_checks
from marketplace.deploy.layout import Layout
from marketplace.deploy.processes import ClusterError
from marketplace.deploy.services import Cluster


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    cluster = Cluster(Layout.from_environment(), out=lambda line: print(line, flush=True))
    try:
        if command == "up":
            cluster.up()
        elif command == "down":
            cluster.down()
        elif command == "check":
            return 0 if run_checks(cluster) else 1
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except ClusterError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
