"""make bench: run every benchmark, then write benchmarks/results/SUMMARY.md."""

from __future__ import annotations

import json
import sys

from benchmarks import (
    ask_vs_floor,
    batch,
    build,
    cold_start,
    ray_build,
    rerank_cost,
    scale,
    soak,
    throughput,
)
from benchmarks.common import RESULTS, ROOT, machine

START, END = "<!-- performance:start -->", "<!-- performance:end -->"


def summary() -> str:
    def load(name: str) -> dict:
        return json.loads((RESULTS / f"{name}.json").read_text())

    m = machine()
    a, c, b, s = load("ask_vs_floor"), load("cold_start"), load("build"), load("scale")
    k, q, r = load("soak"), load("batch"), load("ray_build")
    # Not yet run on every machine: its rows are left out until it has been.
    rc = load("rerank_cost") if (RESULTS / "rerank_cost.json").exists() else {}
    one, eight = rc.get("one_thread"), rc.get("eight_clients")
    older = sorted(
        {
            x["machine"]["cpu"]
            for x in (a, c, b, s, k, q, r, rc)
            if x
            if x.get("machine", {}).get("cpu") != m["cpu"]
        }
    )
    lines = [
        f"Machine: {m['cores']} cores, {m['cpu']}; torch {m['versions']['torch']}, "
        f"faiss {m['versions']['faiss-cpu']}, sentence-transformers "
        f"{m['versions']['sentence-transformers']}.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| warm `ask()` median / p95 | {a['ask_median_ms']:.1f} / {a['ask_p95_ms']:.1f} ms | |",
        f"| floor: `model.encode(question)` + cross-encoder over its "
        f"{a['reranked_per_question']:.0f} candidates, median | {a['floor_median_ms']:.1f} ms "
        f"({a['encode_median_ms']:.1f} + {a['rerank_median_ms']:.1f}) | floor |",
        f"| warm `ask()` ÷ floor (median) | {a['ratio_median']:.2f}× | ≤ 1.2× |",
        f"| cross-encoder: those candidates one pair per run (as `ask()` does) vs one padded "
        f"batch, median | {a['rerank_median_ms']:.1f} vs {a['rerank_batched_median_ms']:.1f} ms | |",
        *_rerank_rows(one, eight),
        f"| cold `qa-bot ask` ÷ process that imports numpy, faiss, onnxruntime, tokenizers, "
        f"loads both ONNX models and runs them once | {c['ratio']:.2f}× "
        f"({c['ask_median_s']:.2f} s vs {c['floor_median_s']:.2f} s) | ≤ 1.3× |",
        f"| heavy modules a CLI answer imports | "
        f"{', '.join(c['heavy_modules_imported_by_ask']) or 'none (no torch)'} | none |",
        f"| server: first answer after start ÷ tenth | {k['first_vs_tenth']:.2f}× "
        f"({k['first_answer_s'] * 1000:.0f} vs {k['tenth_answer_s'] * 1000:.0f} ms) | ≤ 1.5× |",
        f"| server RSS over {k['requests']:,} answers ({k['threads']} users) | "
        f"{k['rss_mb'][0][1]:.0f} → {k['rss_mb'][-1][1]:.0f} MB; last 2,000: "
        f"{k['rss_growth_last_2000_mb']:+.1f} MB | < 5 MB |",
        f"| {q['questions']} questions: separate `qa-bot ask` processes ÷ one `qa-bot ask -` "
        f"batch | {q['speedup']:.1f}× ({q['separate_processes_s']:.1f} s vs {q['batch_s']:.1f} s; "
        f"{q['identical_answers']} identical answers) | |",
        f"| full build, {b['documents']} docs ({b['passages']} passages + {b['sentences']} "
        f"sentences) | {b['full_build_s']:.0f} s, {b['throughput_ratio']:.2f}× raw encode "
        f"throughput | ≥ 0.9× |",
        *[
            f"| build of {r['documents']} synthetic documents ({r['texts']:,} texts), {name} | "
            f"{row['seconds']:.1f} s, {row['texts_per_s']:.0f} texts/s | |"
            for name, row in r["builds"].items()
            if row["texts_per_s"]
        ],
        *[
            f"| {name} (Ray's fixed cost) | {row['seconds']:.1f} s | |"
            for name, row in r["builds"].items()
            if not row["texts_per_s"]
        ],
        f"| no-op `qa-bot build` (process) | {b['noop_cli_s']:.2f} s, model loaded: "
        f"{b['noop_loaded_model']} | < 1 s, not loaded |",
        f"| one changed document | re-embedded {b['one_change_reembedded_passages']} passages "
        f"(it has {b['one_change_document_passages']}) | only its own |",
        "",
        "| passages | flat p50 | HNSW p50 / recall@10 / build | IVF p50 / recall@10 / build "
        "| BM25 p50 | auto |",
        "|---|---|---|---|---|---|",
    ]
    for n, row in s["dense"].items():
        f, h, i = row["flat"], row["hnsw"], row["ivf"]
        lines.append(
            f"| {int(n):,} | {f['p50_ms']:.2f} ms | {h['p50_ms']:.2f} ms / "
            f"{h['recall_at_10']:.3f} / {h['build_s']:.0f} s | {i['p50_ms']:.2f} ms / "
            f"{i['recall_at_10']:.3f} / {i['build_s']:.0f} s | "
            f"{s['bm25'][n]['p50_ms']:.2f} ms | {s['auto_choice'][n]} |"
        )
    if older:
        lines += ["", f"Rows from benchmarks not rerun on this machine were measured on: "
                      f"{', '.join(older)} (see each benchmarks/results/*.json)."]  # fmt: skip
    return "\n".join(lines) + "\n"


def _rerank_rows(one: dict | None, eight: dict | None) -> list[str]:
    """The rerank_cost benchmark's rows (none before it has run)."""
    rows = []
    if one:
        rows += [
            f"| one thread: warm `ask()` ÷ retrieval alone (question encoded + FAISS search), "
            f"median | {one['ask_over_floor']:.2f}× ({one['ask_median_ms']:.1f} vs "
            f"{one['floor_median_ms']:.1f} ms; {one['pairs_mean']:.1f} pairs a question on average, "
            f"median {one['pairs_median']:.0f}) | ≤ 4× |",
            f"| one thread: the same with the cross-encoder reading all {one['pairs_full_depth']} "
            f"candidates every time | {one['full_depth_over_floor']:.2f}× "
            f"({one['full_depth_median_ms']:.1f} ms) | |",
        ]
    if eight:
        rows.append(
            f"| server, {eight['clients']} clients: answers/s | "
            + "; ".join(f"{n} {v:.2f}" for n, v in eight["answers_per_s"].items())
            + " | ≥ 4× today's |"
        )
    return rows


def main() -> None:
    only = set(sys.argv[1:])
    for name, module in (("ask", ask_vs_floor), ("cold", cold_start), ("build", build),
                         ("scale", scale), ("soak", soak), ("batch", batch),
                         ("ray", ray_build), ("throughput", throughput),
                         ("rerank", rerank_cost)):  # fmt: skip
        if not only or name in only:
            print(f"== {name}")
            module.main()
    text = summary()
    (RESULTS / "SUMMARY.md").write_text(text)
    update_readme(text)
    print(text)


def update_readme(text: str) -> None:
    """Put the latest table between the README's performance markers."""
    readme = ROOT / "README.md"
    content = readme.read_text()
    start, end = content.find(START), content.find(END)
    if start == -1 or end == -1:
        return
    readme.write_text(content[: start + len(START)] + "\n" + text + content[end:])


if __name__ == "__main__":
    main()
