"""docker-compose.yml and the Dockerfile agree with what the application reads: service names,
ports, the environment variables of the Neo4j settings, and CLI options that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import yaml

from graph.neo4j.engine import ENV_VARS
from yishu.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _check_command(argv: list[str]) -> click.Command:
    """``yishu <cmd> --opt value …``: every option exists on the click command and parses."""
    assert argv[0] == "yishu"
    cmd = main.commands[argv[1]]
    ctx = cmd.make_context(argv[1], list(argv[2:]), resilient_parsing=False)
    known = {o for p in cmd.params for o in getattr(p, "opts", [])}
    for tok in argv[2:]:
        if tok.startswith("--"):
            assert tok.split("=", 1)[0] in known, tok
    assert ctx.params is not None
    return cmd


def test_services_and_neo4j_version():
    services = COMPOSE["services"]
    assert set(services) == {"neo4j", "sync", "api"}
    neo = services["neo4j"]
    assert re.fullmatch(r"neo4j:5\.\d+(\.\d+)?-community", neo["image"])
    assert "7687:7687" in neo["ports"]
    assert neo["healthcheck"]["test"]
    assert any(v.endswith(":/data") for v in neo["volumes"])
    assert set(COMPOSE["volumes"]) >= {"neo4j-data", "yishu-data"}
    assert services["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert services["api"]["depends_on"]["sync"]["condition"] == "service_completed_successfully"
    assert "8000:8000" in services["api"]["ports"]


def test_environment_is_what_the_cli_reads():
    sync_cmd = main.commands["sync-neo4j"]
    envvars = {p.envvar for p in sync_cmd.params if getattr(p, "envvar", None)}
    assert envvars == set(ENV_VARS)
    for name in ("sync", "api"):
        env = COMPOSE["services"][name]["environment"]
        assert set(ENV_VARS) <= set(env)
        assert env["NEO4J_URI"] == "bolt://neo4j:7687"  # the neo4j service, its Bolt port
        assert env["NEO4J_DATABASE"] == "neo4j"  # the only database of the community edition
        assert env["YISHU_STORE"] == "/data/store"
        assert any(v == "yishu-data:/data" for v in COMPOSE["services"][name]["volumes"])
    password = COMPOSE["services"]["neo4j"]["environment"]["NEO4J_AUTH"].split("/", 1)[1]
    assert COMPOSE["services"]["api"]["environment"]["NEO4J_PASSWORD"] == password


def test_commands_use_existing_options():
    from yishu.cli_serve import ENGINES, _load_engine_modules

    api = COMPOSE["services"]["api"]["command"]
    _check_command(api)
    assert api[api.index("--engine") + 1] == "neo4j"
    _load_engine_modules()
    assert "neo4j" in ENGINES
    port = api[api.index("--port") + 1]
    assert f"{port}:{port}" in COMPOSE["services"]["api"]["ports"]

    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd is not None
    _check_command(json.loads(cmd.group(1)))
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.M)
    assert "pip install ." in DOCKERFILE
    assert f"EXPOSE {port}" in DOCKERFILE

    shell = COMPOSE["services"]["sync"]["command"]
    assert shell[:2] == ["sh", "-c"]
    for part in shell[2].split("&&"):
        argv = part.split()
        _check_command(argv)
        if argv[1] == "load":
            assert (ROOT / argv[2]).is_dir()  # copied into the image (COPY examples)
            assert "COPY examples ./examples" in DOCKERFILE
