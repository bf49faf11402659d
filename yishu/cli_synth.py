"""``yishu synth``: write a synthetic catalog (template CSV folder + defects.json)."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["COMMANDS", "synth"]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scale", default="district", show_default=True,
              help="district (≈300k triples), city (≈3M triples) or a number (1 = district).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (same seed, same bytes).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
def synth(out: Path, scale: str, seed: int, progress: bool) -> None:
    """Generate a synthetic catalog with planted defects (ground truth in OUT/defects.json).

    生成带有已知缺陷的合成目录（真值写入 OUT/defects.json）。
    """
    from yishu.synth import generate, parse_scale

    try:
        value = parse_scale(scale)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--scale") from None
    report = generate(out, value, seed, progress=progress)
    rows = ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
    total = sum(report.defects.values())
    click.echo(f"已生成 generated {out} (scale {value:g}, seed {seed}) in {report.seconds:.1f}s — {rows}")
    click.echo(f"埋设缺陷 planted defects: {total} — "
               + ", ".join(f"{k} {v}" for k, v in sorted(report.defects.items())))


COMMANDS = [synth]
