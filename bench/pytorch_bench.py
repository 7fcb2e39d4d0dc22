#!/usr/bin/env python3
"""The PyTorch twin of burn's `bench` binary (shared/bench/src/bin/bench.rs).

Training steps per second of the same eight shared workloads, and of the lectures' own workloads (their
twins in bench/pytorch_lectures.py), with the same sizes, the same optimiser (Adam, lr 1e-3,
betas 0.9/0.999, eps 1e-8 unless a lecture's differs) and the same protocol: W untimed warm-up
steps, then R timed runs of S steps each; each run's speed is S / seconds, reported as the median
over runs with min and max. One step = forward, loss, backward, optimiser step, loss read back
(.item()). Each workload's trained parameter count is printed, to check against burn's.

    python3 bench/pytorch_bench.py --workloads mlp,cnn --json out/bench/pytorch.json
    python3 bench/pytorch_bench.py --workloads 'lecture-01-rnn: char_lstm_scratch' --quick

The JSON record has the schema of shared::bench::record (framework "pytorch", backend "cpu").
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

from pytorch_lectures import LECTURE_TWINS, LECTURE_WORKLOADS
from torch_training import SEED, Step, adam, pixels, train_step

# --- char_lstm: Embedding 65x64 -> LSTM 256 -> Linear 256->65, CE at every position ---------


class CharLstm(nn.Module):
    def __init__(self, vocab=65, embedding=64, hidden=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, tokens):
        hidden, _ = self.lstm(self.embed(tokens))
        return self.head(hidden)


def char_lstm():
    vocab, batch, seq_len = 65, 32, 64
    text = torch.randint(0, vocab, (batch, seq_len + 1))
    tokens, targets = text[:, :-1], text[:, 1:]
    model = CharLstm()

    def loss(m):
        return F.cross_entropy(m(tokens).reshape(-1, vocab), targets.reshape(-1))

    return train_step(model, adam(model), loss)


# --- mlp: 784-256-10 ReLU, batch 128 ----------------------------------------------------------


def mlp():
    images, labels = pixels(128, 784), torch.randint(0, 10, (128,))
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- cnn: conv5x5(1->32,pad 2)-relu-pool2-conv5x5(32->64,pad 2)-relu-pool2-linear(3136->10) ---


def cnn():
    images, labels = pixels(64, 1, 28, 28), torch.randint(0, 10, (64,))
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10),
    )
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- capsnet: conv 1->64 9x9, 288 primary 8D capsules, 10 digit 16D capsules, 3 routings -------

CAPS_EPS = 1e-8


def squash(s):
    """|s|^2 / (1 + |s|^2) * s / |s| along the last dimension."""
    squared = (s * s).sum(-1, keepdim=True)
    return s * (squared / (squared + 1.0) / torch.sqrt(squared + CAPS_EPS))


def vote(predictions, logits):
    """v_j = squash(sum_i softmax_j(b_i)_j u_hat_{j|i}): [B, 288, 10, 16] -> [B, 10, 16]."""
    coupling = torch.softmax(logits, dim=2).unsqueeze(3)
    return squash((coupling * predictions).sum(1))


class CapsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 64, 9)
        self.primary = nn.Conv2d(64, 8 * 8, 9, stride=2)
        self.predictions = nn.Parameter(0.01 * torch.randn(288, 10, 16, 8))

    def forward(self, images):
        batch = images.shape[0]
        features = self.primary(F.relu(self.conv(images)))  # [B, 64, 6, 6]
        primary = features.reshape(batch, 8, 8, 6, 6).permute(0, 1, 3, 4, 2).reshape(batch, 288, 8)
        primary = squash(primary)
        # u_hat_{j|i} = W_ij u_i as [288, 160, 8] @ [288, 8, B] (as in shared/bench/src/capsnet.rs).
        w = self.predictions.reshape(288, 160, 8)
        predictions = torch.matmul(w, primary.permute(1, 2, 0)).permute(2, 0, 1).reshape(batch, 288, 10, 16)
        logits = torch.zeros(batch, 288, 10)
        for _ in range(3 - 1):
            v = vote(predictions, logits)
            logits = logits + (predictions * v.unsqueeze(1)).sum(3)
        return vote(predictions, logits)


def margin_loss(capsules, targets, m_plus=0.9, m_minus=0.1, lam=0.5):
    lengths = torch.sqrt((capsules * capsules).sum(2) + CAPS_EPS)
    present = torch.clamp(m_plus - lengths, min=0.0) ** 2
    absent = torch.clamp(lengths - m_minus, min=0.0) ** 2
    return (targets * present + lam * (1.0 - targets) * absent).sum(1).mean()


def capsnet():
    images = pixels(32, 1, 28, 28)
    targets = F.one_hot(torch.randint(0, 10, (32,)), 10).float()
    model = CapsNet()
    return train_step(model, adam(model), lambda m: margin_loss(m(images), targets))


# --- gan: G 100-256-784 tanh, D 784-256-1, leaky ReLU 0.2 (in G too: see shared/bench/src/gan.rs)


def gan():
    batch = 64
    generator = nn.Sequential(nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.Linear(256, 784), nn.Tanh())
    discriminator = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
    g_optimiser, d_optimiser = adam(generator), adam(discriminator)
    real = pixels(batch, 784)
    noise = pixels(batch, 100)
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    bce = nn.BCEWithLogitsLoss()

    def step():
        fake = generator(noise)
        d_loss = bce(discriminator(real), ones) + bce(discriminator(fake.detach()), zeros)
        d_optimiser.zero_grad(set_to_none=True)
        d_loss.backward()
        d_optimiser.step()
        g_loss = bce(discriminator(fake), ones)
        g_optimiser.zero_grad(set_to_none=True)
        g_loss.backward()
        g_optimiser.step()
        return d_loss.item() + g_loss.item()

    return Step(step, generator, discriminator)


# --- seq2seq_attention: GRU encoder, GRU decoder cell, Luong dot attention, reverse task -----


class Seq2Seq(nn.Module):
    """`stepwise`: the decoder as a GRUCell, attention per step; otherwise the decoder as one
    nn.GRU over the whole target and attention batched over the steps (the same function: Luong
    attention reads the decoder state after the recurrence)."""

    def __init__(self, stepwise, vocab=20, embedding=32, hidden=128):
        super().__init__()
        self.stepwise = stepwise
        self.source_embed = nn.Embedding(vocab, embedding)
        self.encoder = nn.GRU(embedding, hidden, batch_first=True)
        self.target_embed = nn.Embedding(vocab, embedding)
        self.decoder = nn.GRUCell(embedding, hidden) if stepwise else nn.GRU(embedding, hidden, batch_first=True)
        self.combine = nn.Linear(2 * hidden, hidden)
        self.readout = nn.Linear(hidden, vocab)

    def attend(self, encoded, decoded):
        """tanh(W_c [c; h]) for decoder states [B, T, H] over encoder outputs [B, S, H]."""
        weights = torch.softmax(torch.bmm(decoded, encoded.transpose(1, 2)), dim=2)  # [B, T, S]
        return torch.tanh(self.combine(torch.cat([torch.bmm(weights, encoded), decoded], 2)))

    def forward(self, source, inputs):
        encoded, _ = self.encoder(self.source_embed(source))  # [B, S, H]
        hidden = encoded[:, -1]
        embedded = self.target_embed(inputs)
        if not self.stepwise:
            decoded, _ = self.decoder(embedded, hidden.unsqueeze(0).contiguous())
            return self.readout(self.attend(encoded, decoded))  # [B, T, V]
        states = []
        for t in range(inputs.shape[1]):
            hidden = self.decoder(embedded[:, t], hidden)
            states.append(self.attend(encoded, hidden.unsqueeze(1)).squeeze(1))
        return self.readout(torch.stack(states, 1))  # [B, T, V]


def seq2seq_attention(stepwise=False):
    vocab, length, batch = 20, 20, 64
    source = torch.randint(1, vocab, (batch, length))
    targets = source.flip(1)
    inputs = torch.cat([torch.zeros(batch, 1, dtype=torch.long), targets[:, :-1]], 1)
    model = Seq2Seq(stepwise)

    def loss(m):
        return F.cross_entropy(m(source, inputs).reshape(-1, vocab), targets.reshape(-1))

    return train_step(model, adam(model), loss)


# --- the protocol -------------------------------------------------------------------------------

# name -> (builder, default steps per run (~1-3 s a run on 2 cores), one-line description)
SHARED_WORKLOADS = {
    "char_lstm": (char_lstm, 60,
                  "char-LSTM LM: vocab 65, embedding 64, LSTM hidden 256, batch 32, seq 64, Adam"),
    # burn's Lstm computes the same function as its FusedLstm: one twin for both.
    "char_lstm_burn": (char_lstm, 60,
                       "char-LSTM LM: vocab 65, embedding 64, LSTM hidden 256, batch 32, seq 64, Adam"),
    "mlp": (mlp, 1000, "MLP 784-256-10 (ReLU), batch 128, cross-entropy, Adam"),
    "cnn": (cnn, 80,
            "CNN conv5x5(1->32)-pool-conv5x5(32->64)-pool-linear(3136->10), batch 64 of 28x28, Adam"),
    "capsnet": (capsnet, 25,
                "CapsNet: conv 9x9 1->64, 288 primary 8D caps, 10x16D digit caps, 3 routing iters, "
                "margin loss, batch 32, Adam"),
    "gan": (gan, 600,
            "MLP GAN: G 100-256-784 tanh, D 784-256-1, leaky ReLU 0.2; one D + one G step, batch 64, 2x Adam"),
    "seq2seq_attention": (seq2seq_attention, 60,
                          "GRU encoder-decoder (nn.GRU both), Luong dot attention batched over steps: "
                          "vocab 20, emb 32, hidden 128, len 20, batch 64, Adam"),
    "seq2seq_attention_stepwise": (lambda: seq2seq_attention(stepwise=True), 60,
                                   "GRU encoder-decoder (decoder nn.GRUCell step by step), Luong dot "
                                   "attention: vocab 20, emb 32, hidden 128, len 20, batch 64, Adam"),
}


# Every workload by the name `cargo xtask bench` reports: these eight, then the lectures' twins
# (bench/pytorch_lectures.py) and their aliases.
WORKLOADS = {**SHARED_WORKLOADS, **LECTURE_WORKLOADS}
DEFAULT_WORKLOADS = list(SHARED_WORKLOADS) + list(LECTURE_TWINS)


def workload_list(text):
    """Comma-separated names (checked against WORKLOADS after parsing, see --skip-unknown)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"no workload in '{text}'")
    return names


def known_workloads(parser, args):
    """args.workloads without the names that have no twin: an error, or with --skip-unknown a
    note on stderr (the caller then has no PyTorch number for them)."""
    unknown = [n for n in args.workloads if n not in WORKLOADS]
    if unknown and not args.skip_unknown:
        parser.error(f"invalid value '{','.join(unknown)}' for --workloads "
                     f"[possible values: {', '.join(WORKLOADS)}]")
    for name in unknown:
        print(f"{name}: no PyTorch twin, skipped", file=sys.stderr)
    return [n for n in args.workloads if n in WORKLOADS]


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def measure(step, warmup, runs, steps):
    """Steps per second of each of `runs` timed runs, after `warmup` untimed steps."""
    for _ in range(warmup):
        step()
    speeds = []
    for run in range(runs):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        seconds = time.perf_counter() - start
        if not torch.isfinite(torch.tensor(loss)):
            sys.exit(f"loss is {loss} after timed run {run + 1}")
        speeds.append(steps / seconds)
    return speeds


def write_json_atomic(path, value):
    """Write pretty JSON to `.NAME.tmp-PID` beside `path`, flush it, then rename it over `path`
    (as shared::atomic does): a reader sees the old file or the whole new one."""
    directory, name = os.path.split(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w") as f:
            json.dump(value, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", type=workload_list, default=DEFAULT_WORKLOADS,
                        help=f"comma-separated, any of: {', '.join(WORKLOADS)} (default: all but aliases)")
    parser.add_argument("--skip-unknown", action="store_true",
                        help="skip --workloads names without a PyTorch twin instead of failing")
    parser.add_argument("--runs", type=positive, help="timed runs (default 5; 1 with --quick)")
    parser.add_argument("--steps", type=positive,
                        help="steps per run (default per workload, ~1-3 s a run; 2 with --quick)")
    parser.add_argument("--warmup", type=int,
                        help="warm-up steps (default a fifth of the steps, at least 2; 1 with --quick)")
    parser.add_argument("--threads", type=positive, default=os.cpu_count(),
                        help="torch.set_num_threads (default: all cores)")
    parser.add_argument("--device", default="cpu",
                        help="torch device for models and data, e.g. cuda (default: cpu)")
    parser.add_argument("--json", help="also write the record to this path (atomically)")
    parser.add_argument("--quick", action="store_true", help="smoke test: one run of a few steps")
    args = parser.parse_args()
    args.workloads = known_workloads(parser, args)
    return args


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    # Every tensor the twins create (parameters, data, optimiser state) lands on this device.
    torch.set_default_device(args.device)
    records = []
    for name in args.workloads:
        build, default_steps, description = WORKLOADS[name]
        steps = args.steps or (2 if args.quick else default_steps)
        warmup = args.warmup if args.warmup is not None else (1 if args.quick else max(2, steps // 5))
        runs = args.runs or (1 if args.quick else 5)
        torch.manual_seed(SEED)
        step = build()
        print(f"{name}: {step.num_params} parameters; {warmup} warm-up steps, {runs} runs of {steps} steps",
              file=sys.stderr)
        speeds = measure(step, warmup, runs, steps)
        median = statistics.median(speeds)
        records.append({
            "name": name, "description": description, "steps_per_s": median,
            "ms_per_step": 1000.0 / median, "min_steps_per_s": min(speeds),
            "max_steps_per_s": max(speeds), "runs": speeds,
        })
    record = {"framework": "pytorch", "backend": args.device, "threads": torch.get_num_threads(),
              "workloads": records}
    print(f"pytorch {torch.__version__} on {args.device} ({record['threads']} CPU threads)\n")
    print("| workload | steps/s (median) | ms/step | min..max steps/s |")
    print("|---|---:|---:|---:|")
    for w in records:
        print(f"| {w['name']} | {w['steps_per_s']:.2f} | {w['ms_per_step']:.2f} | "
              f"{w['min_steps_per_s']:.2f}..{w['max_steps_per_s']:.2f} |")
    if args.json:
        write_json_atomic(args.json, record)
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
