"""PyTorch twins of the lectures' own benchmark workloads (each lecture's `bench` subcommand).

Keyed by the name `cargo xtask bench` reports (`lecture-01-rnn: char_lstm_scratch`), each twin
has the burn workload's sizes, architecture, loss, optimiser and batch shapes, and its step is
forward, loss, backward, optimiser step, loss read back, as in bench/pytorch_bench.py (which
runs them: `--workloads 'lecture-01-rnn: char_lstm_scratch'`). Where a lecture writes a layer
from tensor ops and PyTorch has a fused layer with the same arithmetic, the twin uses the fused
layer (nn.LSTM, nn.GRU, F.grid_sample, ...): the comparison is then burn's version against
PyTorch's fastest idiomatic one. Loops that are sequential by nature (a Tree-LSTM node at a time,
the NTM's time steps) are written as the same loop.
"""

import gzip
import math
import os
import re

import torch
import torch.nn.functional as F
from torch import nn

from torch_training import Step, adam, pixels, train_step


# --- shared pieces -------------------------------------------------------------------------------


def single_bias_lstm(input_size, hidden, forget_bias=1.0):
    """nn.LSTM with the lectures' single bias: gates = x W_x + h W_h + b, blocks (i, f, g, o).

    PyTorch's LSTM adds two biases (b_ih + b_hh); the second is frozen at zero, so the trainable
    parameters and the arithmetic are those of the from-scratch cell (forget bias starts at 1).
    """
    lstm = nn.LSTM(input_size, hidden, batch_first=True)
    with torch.no_grad():
        lstm.bias_hh_l0.zero_()
        lstm.bias_ih_l0[hidden:2 * hidden] = forget_bias
    lstm.bias_hh_l0.requires_grad_(False)
    return lstm


def normal_linear(fan_in, fan_out, bias=True):
    """Linear with weights N(0, 1 / fan_in) (LeCun normal, or Kaiming normal at gain 1), zero bias."""
    linear = nn.Linear(fan_in, fan_out, bias=bias)
    with torch.no_grad():
        linear.weight.normal_(0.0, 1.0 / math.sqrt(fan_in))
        if bias:
            linear.bias.zero_()
    return linear


def leaky_mlp(*widths):
    """Linear layers of `widths` with leaky ReLU 0.2 between them (none after the last)."""
    layers = []
    for k, (fan_in, fan_out) in enumerate(zip(widths, widths[1:])):
        if k > 0:
            layers.append(nn.LeakyReLU(0.2))
        layers.append(nn.Linear(fan_in, fan_out))
    return nn.Sequential(*layers)


# --- lecture 01 and 04: LSTM language models -----------------------------------------------------


class FullSoftmax(nn.Module):
    """log softmax(h W + b) over the whole vocabulary; the loss is the mean NLL (= cross-entropy)."""

    def __init__(self, hidden, vocab):
        super().__init__()
        self.linear = nn.Linear(hidden, vocab)

    def forward(self, h, targets):
        return F.cross_entropy(self.linear(h), targets)


class ClassSoftmax(nn.Module):
    """Lecture 04's class-based softmax: log P(w | h) = log P(c(w) | h) + log P(w | c(w), h).

    Words go to C classes of M = ceil(V / C) words by descending count in `text` (ties by id);
    the last class's empty slots get -1e9. The per-target word scores `V[c(w)] h` are one bmm
    (burn: elementwise product and sum, the same arithmetic).
    """

    def __init__(self, hidden, vocab, classes, text):
        super().__init__()
        counts = torch.bincount(text, minlength=vocab).tolist()
        by_count = sorted(range(vocab), key=lambda w: (-counts[w], w))
        per_class = -(-vocab // classes)
        classes = -(-vocab // per_class)
        rank = torch.empty(vocab, dtype=torch.long)
        rank[torch.tensor(by_count)] = torch.arange(vocab)
        self.register_buffer("class_of", rank // per_class)
        self.register_buffer("slot_of", rank % per_class)
        occupied = torch.arange(classes * per_class) < vocab
        self.register_buffer("mask", torch.where(occupied, 0.0, -1e9).reshape(classes, per_class))
        bound = 1.0 / math.sqrt(hidden)
        self.class_layer = nn.Linear(hidden, classes)
        self.word_weight = nn.Parameter(torch.empty(classes, per_class, hidden).uniform_(-bound, bound))
        self.word_bias = nn.Parameter(torch.empty(classes, per_class).uniform_(-bound, bound))

    def forward(self, h, targets):
        cls, slot = self.class_of[targets], self.slot_of[targets]
        log_p_class = F.log_softmax(self.class_layer(h), 1).gather(1, cls.unsqueeze(1))
        logits = torch.bmm(self.word_weight[cls], h.unsqueeze(2)).squeeze(2) + self.word_bias[cls]
        log_p_word = F.log_softmax(logits + self.mask[cls], 1).gather(1, slot.unsqueeze(1))
        return -(log_p_class + log_p_word).mean()


class LstmLm(nn.Module):
    """tokens [B, T] -> Embedding -> single-bias LSTM [B, T, H] -> output layer -> mean NLL."""

    def __init__(self, vocab, embedding, hidden, output):
        super().__init__()
        self.embed = nn.Embedding(vocab, embedding)
        self.lstm = single_bias_lstm(embedding, hidden)
        self.output = output

    def forward(self, tokens, targets):
        hidden, _ = self.lstm(self.embed(tokens))
        return self.output(hidden.reshape(-1, hidden.shape[2]), targets.reshape(-1))


def char_lstm_scratch():
    vocab, batch, seq_len = 65, 32, 64
    text = torch.randint(0, vocab, (batch, seq_len + 1))
    tokens, targets = text[:, :-1], text[:, 1:]
    model = LstmLm(vocab, 64, 256, FullSoftmax(256, vocab))
    return train_step(model, adam(model), lambda m: m(tokens, targets))


def word_lstm(classes):
    """Zaremba et al.'s small model at V = 10k: E = H = 200, B 20 x T 20; the targets are the
    inputs' stream shifted by one row-major batch step, as lecture 04's Window does."""

    def build():
        vocab, batch, seq_len, hidden = 10_000, 20, 20, 200
        n = batch * seq_len
        text = torch.randint(0, vocab, (n + batch,))
        tokens, targets = text[:n].reshape(batch, seq_len), text[batch:].reshape(batch, seq_len)
        output = ClassSoftmax(hidden, vocab, classes, text) if classes else FullSoftmax(hidden, vocab)
        model = LstmLm(vocab, hidden, hidden, output)
        return train_step(model, adam(model), lambda m: m(tokens, targets))

    return build


# --- lecture 03: one SGD step of an MLP (our engine and burn's autodiff both time this) ------------


def mlp_tanh_sgd():
    """784 -> 256 tanh -> 10, LeCun-normal weights, batch 128, cross-entropy, plain SGD at 0.1."""
    model = nn.Sequential(normal_linear(784, 256), nn.Tanh(), normal_linear(256, 10))
    images, labels = pixels(128, 784), torch.randint(0, 10, (128,))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
    return train_step(model, optimiser, lambda m: F.cross_entropy(m(images), labels))


# --- lecture 05: ST-CNN -------------------------------------------------------------------------


class StCnn(nn.Module):
    """canvas [B, 1, 42, 42] -> localisation (maxpool 2, conv 5x5 1->8, relu, maxpool 2, 800-32
    relu, 32->6 starting at the identity) -> theta [B, 2, 3] -> affine grid (corner-centred)
    -> bilinear sampler (zero padding) [B, 1, 28, 28] -> CNN (conv 5x5 1->8, conv 5x5 8->16, each
    relu + maxpool 2; 784-64 relu; 64->10)."""

    def __init__(self):
        super().__init__()
        self.loc_conv = nn.Conv2d(1, 8, 5, padding=2)
        self.loc_hidden = nn.Linear(8 * 10 * 10, 32)
        self.loc_regressor = nn.Linear(32, 6)
        with torch.no_grad():
            self.loc_regressor.weight.zero_()
            self.loc_regressor.bias.copy_(torch.tensor([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]))
        self.conv1 = nn.Conv2d(1, 8, 5, padding=2)
        self.conv2 = nn.Conv2d(8, 16, 5, padding=2)
        self.hidden = nn.Linear(16 * 7 * 7, 64)
        self.output = nn.Linear(64, 10)

    def forward(self, images):
        x = F.max_pool2d(F.relu(self.loc_conv(F.max_pool2d(images, 2))), 2)
        theta = self.loc_regressor(F.relu(self.loc_hidden(x.flatten(1)))).reshape(-1, 2, 3)
        grid = F.affine_grid(theta, [images.shape[0], 1, 28, 28], align_corners=True)
        x = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.output(F.relu(self.hidden(x.flatten(1))))


def st_cnn():
    images, labels = pixels(64, 1, 42, 42), torch.randint(0, 10, (64,))
    model = StCnn()
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- lecture 06: depth-50 highway net -----------------------------------------------------------


class Highway(nn.Module):
    """784 -> tanh 50 -> 50 x (y = x + T (tanh(H) - x), [H, T] = x [W_H, W_T] + b, b_T = -3) -> 10."""

    def __init__(self, input=784, width=50, depth=50, classes=10, gate_bias=-3.0):
        super().__init__()
        self.projection = normal_linear(input, width)
        self.layers = nn.ModuleList(normal_linear(width, 2 * width) for _ in range(depth))
        with torch.no_grad():
            for layer in self.layers:
                layer.bias[width:] = gate_bias
        self.readout = normal_linear(width, classes)

    def forward(self, x):
        h = torch.tanh(self.projection(x))
        for layer in self.layers:
            transform, gate = layer(h).chunk(2, 1)
            h = h + torch.sigmoid(gate) * (torch.tanh(transform) - h)
        return self.readout(h)


def highway_depth50():
    images, labels = pixels(64, 784), torch.randint(0, 10, (64,))
    model = Highway()
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- lecture 07: binary Tree-LSTM on SST trees -------------------------------------------------

SST_TRAIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared", "data", "sst",
                         "train.txt.gz")
BENCH_TREES = 25
TREE_WIDTH = 64


def parse_tree(line):
    """`(label word)` -> (label, word); `(label left right)` -> (label, left, right)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", line)
    position = 0

    def node():
        nonlocal position
        assert tokens[position] == "(", line
        label = int(tokens[position + 1])
        position += 2
        if tokens[position] != "(":
            word = tokens[position]
            position += 2
            return (label, word)
        left, right = node(), node()
        position += 1
        return (label, left, right)

    return node()


def first_sst_trees(count):
    with gzip.open(SST_TRAIN, "rt", encoding="utf-8") as f:
        return [parse_tree(line) for line, _ in zip((l for l in f if l.strip()), range(count))]


class TreeBatch:
    """Lecture 07's layout: nodes numbered by height (leaves first), in the order a left-to-right
    post-order walk meets them; per height >= 1 the children of its nodes; per tree its post order."""

    def __init__(self, trees):
        counts = {}
        for tree in trees:
            for word in leaves(tree):
                counts[word] = counts.get(word, 0) + 1
        ids = {w: i + 1 for i, w in enumerate(sorted(counts, key=lambda w: (-counts[w], w)))}
        self.vocab = len(ids) + 1  # <unk> is id 0
        per_height, orders = [], []

        def add(tree, order):
            if len(tree) == 2:
                height, word, children = 0, ids[tree[1]], None
            else:
                left, right = add(tree[1], order), add(tree[2], order)
                height, word, children = 1 + max(left[0], right[0]), -1, (left, right)
            while len(per_height) <= height:
                per_height.append([])
            slot = (height, len(per_height[height]))
            per_height[height].append((tree[0], word, children))
            order.append(slot)
            return slot

        for tree in trees:
            orders.append([])
            add(tree, orders[-1])
        offsets = [sum(len(nodes) for nodes in per_height[:h]) for h in range(len(per_height))]
        number = lambda slot: offsets[slot[0]] + slot[1]  # noqa: E731
        nodes = [n for level in per_height for n in level]
        self.labels = torch.tensor([label for label, _, _ in nodes])
        self.words = torch.tensor([word for _, word, children in nodes if children is None])
        self.children = [None if c is None else (number(c[0]), number(c[1])) for _, _, c in nodes]
        self.levels = [torch.tensor([number(c[0]) for _, _, c in level] + [number(c[1]) for _, _, c in level])
                       for level in per_height[1:]]
        self.post_order = [[number(slot) for slot in order] for order in orders]


def leaves(tree):
    return [tree[1]] if len(tree) == 2 else leaves(tree[1]) + leaves(tree[2])


class TreeLstm(nn.Module):
    """Binary Tree-LSTM (Tai et al. 2015) with a softmax classifier at every node; states [h ; c].

    leaf:   [i, o, u] = x W_x + b_x,  c = σ(i) tanh(u),  h = σ(o) tanh(c)
    parent: [i, f_l, f_r, o, u] = [h_l, h_r] U + b,  c = σ(i) tanh(u) + σ(f_l) c_l + σ(f_r) c_r
    """

    def __init__(self, vocab, d=TREE_WIDTH, classes=5):
        super().__init__()
        uniform = lambda shape, bound: nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))  # noqa: E731
        self.d = d
        self.words = uniform((vocab, d), 0.5)
        self.w_x = uniform((d, 3 * d), 1.0 / math.sqrt(d))
        self.b_x = nn.Parameter(torch.zeros(3 * d))
        self.u = uniform((2 * d, 5 * d), 1.0 / math.sqrt(2 * d))
        self.b = nn.Parameter(torch.cat([torch.zeros(d), torch.ones(2 * d), torch.zeros(2 * d)]))
        self.classifier = nn.Linear(d, classes)

    def leaves(self, words):
        i, o, u = (self.words[words] @ self.w_x + self.b_x).chunk(3, 1)
        c = torch.sigmoid(i) * torch.tanh(u)
        return torch.cat([torch.sigmoid(o) * torch.tanh(c), c], 1)

    def compose(self, left, right):
        d = self.d
        i, f_l, f_r, o, u = (torch.cat([left[:, :d], right[:, :d]], 1) @ self.u + self.b).chunk(5, 1)
        c = (torch.sigmoid(i) * torch.tanh(u)
             + torch.sigmoid(f_l) * left[:, d:] + torch.sigmoid(f_r) * right[:, d:])
        return torch.cat([torch.sigmoid(o) * torch.tanh(c), c], 1)

    def by_levels(self, batch):
        """All nodes of equal height in one compose call."""
        states = self.leaves(batch.words)
        for children in batch.levels:
            n = children.shape[0] // 2
            pairs = states.index_select(0, children)
            states = torch.cat([states, self.compose(pairs[:n], pairs[n:])], 0)
        return states

    def by_nodes(self, batch):
        """One leaves or compose call per node, each tree in post order."""
        states = [None] * len(batch.children)
        for order in batch.post_order:
            for node in order:
                children = batch.children[node]
                states[node] = (self.leaves(batch.words[node:node + 1]) if children is None
                                else self.compose(states[children[0]], states[children[1]]))
        return torch.cat(states, 0)

    def loss(self, batch, states):
        return F.cross_entropy(self.classifier(states[:, :self.d]), batch.labels)


def tree_lstm(schedule):
    """The Tree-LSTM of width 64 on the first 25 SST training trees (shared/data/sst)."""

    def build():
        batch = TreeBatch(first_sst_trees(BENCH_TREES))
        model = TreeLstm(batch.vocab)
        forward = TreeLstm.by_levels if schedule == "levels" else TreeLstm.by_nodes
        return train_step(model, adam(model), lambda m: m.loss(batch, forward(m, batch)))

    return build


# --- lecture 08: attention seq2seq and the Neural Turing Machine ---------------------------------


class BiGruSeq2Seq(nn.Module):
    """Bidirectional GRU encoder -> memory [B, S, 2H]; decoder GRU from tanh(bridge([h_fwd, h_bwd]))
    over the teacher-forced inputs [B, T, H]; bilinear dot attention (q W) k / sqrt(2H) of all steps
    at once; tanh(combine([h, context])); read-out. Lecture 08's GRU (gates z, r, n with
    n = tanh(x W_n + b_n + r (h U_n + c_n))) is nn.GRU's arithmetic, gate blocks reordered."""

    def __init__(self, vocab=20, embedding=32, hidden=128):
        super().__init__()
        self.source_embed = nn.Embedding(vocab, embedding)
        self.encoder = nn.GRU(embedding, hidden, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hidden, hidden)
        self.target_embed = nn.Embedding(vocab, embedding)
        self.decoder = nn.GRU(embedding, hidden, batch_first=True)
        self.query = nn.Linear(hidden, 2 * hidden, bias=False)
        self.combine = nn.Linear(3 * hidden, hidden)
        self.readout = nn.Linear(hidden, vocab)

    def forward(self, source, inputs):
        memory, last = self.encoder(self.source_embed(source))
        start = torch.tanh(self.bridge(torch.cat([last[0], last[1]], 1)))
        states, _ = self.decoder(self.target_embed(inputs), start.unsqueeze(0))
        scores = torch.bmm(self.query(states), memory.transpose(1, 2)) / math.sqrt(memory.shape[2])
        contexts = torch.bmm(torch.softmax(scores, 2), memory)
        return self.readout(torch.tanh(self.combine(torch.cat([states, contexts], 2))))


def seq2seq_attention_scratch():
    vocab, length, batch = 20, 20, 64
    source = torch.randint(1, vocab, (batch, length))
    targets = source.flip(1)
    inputs = torch.cat([torch.zeros(batch, 1, dtype=torch.long), targets[:, :-1]], 1)
    model = BiGruSeq2Seq()

    def loss(m):
        return F.cross_entropy(m(source, inputs).reshape(-1, vocab), targets.reshape(-1), ignore_index=0)

    return train_step(model, adam(model), loss)


NTM_EPS = 1e-8


def address(p, width, memory, previous):
    """A head's new weighting [B, N]: content (cosine, strength), gate, circular shift by
    -1/0/+1, sharpening; p = [key (width), strength, gate, shift (3), sharpen]."""
    key = p[:, :width]
    strength = F.softplus(p[:, width:width + 1])
    gate = torch.sigmoid(p[:, width + 1:width + 2])
    shift = torch.softmax(p[:, width + 2:width + 5], 1)
    sharpen = F.softplus(p[:, width + 5:width + 6]) + 1.0
    dot = torch.bmm(memory, key.unsqueeze(2)).squeeze(2)
    memory_norm = torch.sqrt((memory * memory).sum(2) + NTM_EPS)
    key_norm = torch.sqrt((key * key).sum(1, keepdim=True) + NTM_EPS)
    content = torch.softmax(dot / (memory_norm * key_norm) * strength, 1)
    gated = content * gate + previous * (1.0 - gate)
    shifted = (torch.roll(gated, -1, 1) * shift[:, 0:1] + gated * shift[:, 1:2]
               + torch.roll(gated, 1, 1) * shift[:, 2:3])
    sharp = torch.exp(torch.log(shifted + NTM_EPS) * sharpen)
    return sharp / sharp.sum(1, keepdim=True)


class Ntm(nn.Module):
    """GRU controller (nn.GRUCell: lecture 08's GruLayer step) reading [x_t, r_{t-1}], one write
    head (erase, add) then one read head on a [B, 32, 16] memory, output from [h_t, r_t]."""

    def __init__(self, input_size=9, output_size=8, hidden=64, slots=32, width=16):
        super().__init__()
        self.slots, self.width, self.hidden = slots, width, hidden
        self.controller = nn.GRUCell(input_size + width, hidden)
        self.read_head = nn.Linear(hidden, width + 6)
        self.write_head = nn.Linear(hidden, 3 * width + 6)
        self.output = nn.Linear(hidden + width, output_size)

    def forward(self, x):
        batch, time, _ = x.shape
        w = self.width
        memory = torch.full((batch, self.slots, w), 1e-6)
        read_w = torch.zeros(batch, self.slots)
        read_w[:, 0] = 1.0
        write_w = read_w
        read, h = torch.zeros(batch, w), torch.zeros(batch, self.hidden)
        outputs = []
        for t in range(time):
            h = self.controller(torch.cat([x[:, t], read], 1), h)
            p = self.write_head(h)
            erase, add = torch.sigmoid(p[:, w + 6:2 * w + 6]), torch.tanh(p[:, 2 * w + 6:3 * w + 6])
            write_w = address(p, w, memory, write_w)
            weights = write_w.unsqueeze(2)
            memory = (memory * (1.0 - torch.bmm(weights, erase.unsqueeze(1)))
                      + torch.bmm(weights, add.unsqueeze(1)))
            read_w = address(self.read_head(h), w, memory, read_w)
            read = torch.bmm(read_w.unsqueeze(1), memory).squeeze(1)
            outputs.append(self.output(torch.cat([h, read], 1)))
        return torch.stack(outputs, 1)


def ntm_copy():
    """Copy task: 10 random 8-bit vectors, the delimiter, then 10 steps to write them back."""
    batch, bits, length = 32, 8, 10
    time = 2 * length + 1
    data = torch.randint(0, 2, (batch, length, bits)).float()
    inputs, targets = torch.zeros(batch, time, bits + 1), torch.zeros(batch, time, bits)
    inputs[:, :length, :bits] = data
    inputs[:, length, bits] = 1.0
    targets[:, length + 1:] = data
    mask = torch.zeros(batch, time, 1)
    mask[:, length + 1:] = 1.0
    model = Ntm()

    def loss(m):
        return F.binary_cross_entropy_with_logits(m(inputs), targets, weight=mask)

    return train_step(model, adam(model), loss)


# --- lecture 09: pointer network -----------------------------------------------------------------


class PointerNet(nn.Module):
    """Lecture 09's pointer network: numbers [B, n, 1] -> Linear embedding, with the learned vector g
    first ([B, n + 1, E]); single-bias LSTM encoder from zeros; single-bias LSTM decoder from the
    encoder's final (h, c) over the teacher-forced inputs (embeddings gathered at the previous
    choices); additive attention v . tanh(W_1 e_j + W_2 d_t + b) as the output, [B, T, n + 1];
    forbidden positions filled with -1e9; mean negative log-likelihood of the answer."""

    def __init__(self, embedding=64, hidden=64):
        super().__init__()
        self.embed = nn.Linear(1, embedding)
        self.go = nn.Parameter(torch.rand(embedding) * 2 / math.sqrt(embedding) - 1 / math.sqrt(embedding))
        self.encoder = single_bias_lstm(embedding, hidden)
        self.decoder = single_bias_lstm(embedding, hidden)
        self.key = nn.Linear(hidden, hidden, bias=False)
        self.query = nn.Linear(hidden, hidden)
        self.score = nn.Linear(hidden, 1, bias=False)

    def forward(self, numbers, previous, forbidden, targets):
        batch = numbers.shape[0]
        embedded = torch.cat([self.go.expand(batch, 1, -1), self.embed(numbers)], 1)
        states, last = self.encoder(embedded)
        index = previous.unsqueeze(2).expand(-1, -1, embedded.shape[2])
        decoder, _ = self.decoder(torch.gather(embedded, 1, index), last)
        scores = self.score(torch.tanh(self.key(states).unsqueeze(1) + self.query(decoder).unsqueeze(2))).squeeze(3)
        log_p = torch.log_softmax(scores.masked_fill(forbidden, -1e9), 2)
        return -torch.gather(log_p, 2, targets.unsqueeze(2)).mean()


def pointer_sort():
    batch, n = 64, 10
    numbers = torch.rand(batch, n, 1)
    order = numbers.squeeze(2).argsort(1) + 1
    targets = torch.cat([order, torch.zeros(batch, 1, dtype=torch.long)], 1)  # answer, then STOP (0)
    previous = torch.cat([torch.zeros(batch, 1, dtype=torch.long), targets[:, :-1]], 1)
    chosen = F.one_hot(previous, n + 1).cumsum(1).bool()  # positions chosen before each step
    chosen[:, :, 0] = False
    forbidden = chosen.clone()
    forbidden[:, :n, 0] = True  # STOP only after every number
    model = PointerNet()
    return train_step(model, adam(model), lambda m: m(numbers, previous, forbidden, targets))


# --- lecture 10: sigmoid MLP with and without batch norm ---------------------------------------


def sigmoid_mlp(batch_norm):
    """784 -> 3 x 100 sigmoid -> 10, weights N(0, 1/fan_in); with BN (batch statistics, no
    linear bias) before every sigmoid: nn.BatchNorm1d is lecture 10's BatchNorm in training mode."""

    def build():
        layers = []
        for fan_in in (784, 100, 100):
            layers.append(normal_linear(fan_in, 100, bias=not batch_norm))
            if batch_norm:
                layers.append(nn.BatchNorm1d(100))
            layers.append(nn.Sigmoid())
        model = nn.Sequential(*layers, normal_linear(100, 10))
        images, labels = pixels(60, 784), torch.randint(0, 10, (60,))
        return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))

    return build


# --- lecture 11: deep SELU net ------------------------------------------------------------------


def deep_selu():
    """784 -> 16 x (Linear, SELU) 256 -> 10, LeCun-normal weights; F.selu = lambda elu(x, alpha)."""
    layers = []
    for fan_in in [784] + [256] * 15:
        layers += [normal_linear(fan_in, 256), nn.SELU()]
    model = nn.Sequential(*layers, normal_linear(256, 10))
    images, labels = pixels(128, 784), torch.randint(0, 10, (128,))
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- lecture 14: the label-noise MLP ------------------------------------------------------------


def memorisation_mlp():
    """784 -> 256 ReLU -> 10, He-normal weights (zero biases), batch 50, cross-entropy, Adam."""
    model = nn.Sequential(normal_linear(784, 256), nn.ReLU(), normal_linear(256, 10))
    with torch.no_grad():
        for layer in (model[0], model[2]):
            layer.weight.mul_(math.sqrt(2.0))
    images, labels = pixels(50, 784), torch.randint(0, 10, (50,))
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- lecture 12: reduced CapsNet with reconstruction --------------------------------------------

CAPS_EPS = 1e-9


def squash(s):
    """s |s| / (1 + |s|^2) along the last dimension (epsilon under the root, as lecture 12)."""
    squared = (s * s).sum(-1, keepdim=True)
    return s * (torch.sqrt(squared + CAPS_EPS) / (squared + 1.0))


class LectureCapsNet(nn.Module):
    """conv 9x9 1->32, relu; primary conv 9x9 stride 2 32->64 = 8 types x 8D on 6x6 (288 capsules);
    W [288, 8, 160] (one bmm over the capsules); 3 routing passes; decoder 160-256-512-784."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, 9)
        self.primary = nn.Conv2d(32, 64, 9, stride=2)
        self.weights = nn.Parameter(0.05 * torch.randn(288, 8, 160))
        self.decoder = nn.Sequential(nn.Linear(160, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(),
                                     nn.Linear(512, 784), nn.Sigmoid())

    def forward(self, images):
        batch = images.shape[0]
        features = self.primary(F.relu(self.conv(images)))  # [B, 64, 6, 6]
        children = squash(features.reshape(batch, 8, 8, 36).transpose(2, 3).reshape(batch, 288, 8))
        predictions = torch.bmm(children.transpose(0, 1), self.weights).transpose(0, 1)
        predictions = predictions.reshape(batch, 288, 10, 16)
        logits = torch.zeros(batch, 288, 10)
        for routing_pass in range(3):
            coupling = torch.softmax(logits, 2).unsqueeze(3)
            outputs = squash((predictions * coupling).sum(1))  # [B, 10, 16]
            if routing_pass < 2:
                logits = logits + (predictions * outputs.unsqueeze(1)).sum(3)
        return outputs

    def loss(self, images, labels):
        capsules = self.forward(images)
        present = F.one_hot(labels, 10).float()
        lengths = torch.sqrt((capsules * capsules).sum(2) + CAPS_EPS)
        short = F.relu(0.9 - lengths) ** 2
        long = F.relu(lengths - 0.1) ** 2
        margin = (present * short + (1.0 - present) * long * 0.5).sum(1).mean()
        drawn = self.decoder((capsules * present.unsqueeze(2)).reshape(images.shape[0], 160))
        reconstruction = ((drawn - images.reshape(images.shape[0], 784)) ** 2).sum(1).mean()
        return margin + 0.0005 * reconstruction


def capsnet_lecture():
    images, labels = pixels(32, 1, 28, 28), torch.randint(0, 10, (32,))
    model = LectureCapsNet()
    return train_step(model, adam(model), lambda m: m.loss(images, labels))


# --- lecture 15: GAN on the ring of 8 Gaussians --------------------------------------------------


def ring_of_8(count):
    """`count` points from 8 Gaussians (std 0.02) evenly spaced on the circle of radius 2."""
    angles = torch.randint(0, 8, (count,)).float() * (2 * math.pi / 8)
    return 2.0 * torch.stack([torch.cos(angles), torch.sin(angles)], 1) + 0.02 * torch.randn(count, 2)


def gan_mixture():
    """G 2-128-128-2, D 2-128-128-1 (leaky ReLU 0.2); per step: D update on the fixed real batch
    and detached fakes from fresh noise (its accuracy read back, as lecture 15's trainer does),
    then a non-saturating G update on new fakes; Adam lr 1e-3, betas (0.5, 0.999) and burn's
    default epsilon 1e-5 (lecture 15's AdamConfig), one per network."""
    batch = 256
    generator, discriminator = leaky_mlp(2, 128, 128, 2), leaky_mlp(2, 128, 128, 1)
    g_optimiser = adam(generator, betas=(0.5, 0.999), eps=1e-5)
    d_optimiser = adam(discriminator, betas=(0.5, 0.999), eps=1e-5)
    real = ring_of_8(batch)
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    bce = F.binary_cross_entropy_with_logits

    def step():
        fake = generator(torch.randn(batch, 2)).detach()
        real_logits, fake_logits = discriminator(real), discriminator(fake)
        # Lecture 15's trainer reads D's accuracy back at every update, as well as both losses.
        ((real_logits > 0).sum() + (fake_logits < 0).sum()).item()
        d_loss = bce(real_logits, ones) + bce(fake_logits, zeros)
        d_value = d_loss.item()
        d_optimiser.zero_grad(set_to_none=True)
        d_loss.backward()
        d_optimiser.step()
        g_loss = bce(discriminator(generator(torch.randn(batch, 2))), ones)
        g_value = g_loss.item()
        g_optimiser.zero_grad(set_to_none=True)
        g_loss.backward()
        g_optimiser.step()
        return d_value + g_value

    return Step(step, generator, discriminator)


# --- lecture 13: a training step of the MNIST MLP objective's trial ---------------------------------


def mnist_mlp_trial_step():
    """784 -> 2 x (Linear, ReLU, Dropout 0.2) 64 -> 10, weights N(0, 2 / fan_in), zero biases;
    batch 64: the middle configuration of lecture 13's search space."""
    layers = []
    for fan_in in (784, 64):
        linear = normal_linear(fan_in, 64)
        with torch.no_grad():
            linear.weight.mul_(math.sqrt(2.0))
        layers += [linear, nn.ReLU(), nn.Dropout(0.2)]
    output = normal_linear(64, 10)
    with torch.no_grad():
        output.weight.mul_(math.sqrt(2.0))
    model = nn.Sequential(*layers, output)
    images, labels = pixels(64, 784), torch.randint(0, 10, (64,))
    return train_step(model, adam(model), lambda m: F.cross_entropy(m(images), labels))


# --- lecture 16: a WGAN-GP critic step ---------------------------------------------------------------


def wgan_gp_critic():
    """Critic 2-3x512-1 (leaky ReLU 0.2); per step: the Wasserstein loss on a fixed real batch (the
    ring of 8) and a fixed fake batch, plus the gradient penalty 10 E[(||grad f(x_hat)|| - 1)^2] at
    fresh interpolates, the input gradient by double backpropagation (autograd.grad with
    create_graph, where lecture 16 writes it out by hand); Adam (the shared bench settings)."""
    batch = 256
    critic = leaky_mlp(2, 512, 512, 512, 1)
    optimiser = adam(critic)
    real, fake = ring_of_8(batch), 0.5 * torch.randn(batch, 2)

    def loss(model):
        epsilon = torch.rand(batch, 1)
        points = (fake + epsilon * (real - fake)).requires_grad_(True)
        gradient, = torch.autograd.grad(model(points).sum(), points, create_graph=True)
        penalty = 10.0 * ((gradient.pow(2).sum(1) + 1e-12).sqrt() - 1.0).pow(2).mean()
        return model(fake).mean() - model(real).mean() + penalty

    return train_step(critic, optimiser, loss)


# --- lecture 17: a SeqGAN generator step with Monte Carlo roll-outs --------------------------------


class SeqGanLm(nn.Module):
    """tokens -> Embedding (V + 1 rows, BOS = V) -> single-bias LSTM -> Linear to V logits."""

    def __init__(self, vocab, embedding, hidden):
        super().__init__()
        self.vocab = vocab
        self.embed = nn.Embedding(vocab + 1, embedding)
        self.lstm = single_bias_lstm(embedding, hidden)
        self.output = nn.Linear(hidden, vocab)

    def step(self, previous, state):
        """The logits [N, V] of the token after `previous` [N], and the state after it."""
        out, state = self.lstm(self.embed(previous).unsqueeze(1), state)
        return self.output(out.squeeze(1)), state

    def token_log_probs(self, tokens):
        """log G(y_t | y_<t) [B, L], teacher-forced behind BOS."""
        bos = torch.full((tokens.shape[0], 1), self.vocab, dtype=torch.long)
        out, _ = self.lstm(self.embed(torch.cat([bos, tokens[:, :-1]], 1)))
        return F.log_softmax(self.output(out), 2).gather(2, tokens.unsqueeze(2)).squeeze(2)


class SentenceCnn(nn.Module):
    """Embedding -> one Conv1d per window width, ReLU, max over time -> Linear to one logit."""

    def __init__(self, vocab, embedding, windows, filters):
        super().__init__()
        self.embed = nn.Embedding(vocab, embedding)
        self.convs = nn.ModuleList(nn.Conv1d(embedding, filters, k) for k in windows)
        self.output = nn.Linear(len(windows) * filters, 1)

    def forward(self, tokens):
        e = self.embed(tokens).transpose(1, 2)
        return self.output(torch.cat([F.relu(conv(e)).amax(2) for conv in self.convs], 1))


def continue_rows(generator, state, logits, steps, active):
    """Draws up to `steps` tokens per row; at step s only the first active(s) rows draw."""
    written = []
    for s in range(steps):
        n = active(s)
        token = torch.multinomial(F.softmax(logits[:n], 1), 1).squeeze(1)
        written.append(token)
        if s + 1 == steps:
            break
        logits, state = generator.step(token, (state[0][:, :n], state[1][:, :n]))
    return written


def seqgan_generator_step():
    """Lecture 17's SeqGAN generator update: sample 128 sentences of 8 tokens (V 64, LSTM 32),
    finish every prefix 4 times (prefix states stacked, rows dropping out as they finish), judge
    the 3584 roll-outs with the CNN discriminator, Q per token, per-position baseline, policy
    gradient loss, Adam (clip 5 per tensor, burn's epsilon 1e-5)."""
    vocab, length, hidden, batch, rollouts = 64, 8, 32, 128, 4
    generator = SeqGanLm(vocab, hidden, hidden)
    discriminator = SentenceCnn(vocab, 32, (2, 3, 4), 64)
    optimiser = adam(generator, eps=1e-5)
    per_prefix = rollouts * batch
    rows = (length - 1) * per_prefix
    t_of, b_of = torch.arange(rows) // per_prefix + 1, torch.arange(rows) % batch

    def step():
        with torch.no_grad():
            bos = torch.full((batch,), vocab, dtype=torch.long)
            logits, state = generator.step(bos, None)
            sentences = torch.stack(continue_rows(generator, state, logits, length, lambda s: batch), 1)
            states, prefix_logits = [], []
            _, state = generator.step(bos, None)
            for t in range(length - 1):
                logits, state = generator.step(sentences[:, t], state)
                states.append(state)
                prefix_logits.append(logits)
            h = torch.cat([s[0].repeat(1, rollouts, 1) for s in states], 1)
            c = torch.cat([s[1].repeat(1, rollouts, 1) for s in states], 1)
            stacked = torch.cat([lg.repeat(rollouts, 1) for lg in prefix_logits], 0)
            endings = continue_rows(
                generator, (h, c), stacked, length - 1, lambda s: per_prefix * (length - 1 - s))
            finished = sentences[b_of].clone()
            for s, tokens in enumerate(endings):
                n = tokens.shape[0]
                finished[torch.arange(n), t_of[:n] + s] = tokens
            judged = torch.sigmoid(discriminator(finished)).squeeze(1)
            q = torch.empty(batch, length)
            q[:, :length - 1] = judged.reshape(length - 1, rollouts, batch).mean(1).t()
            q[:, length - 1] = torch.sigmoid(discriminator(sentences)).squeeze(1)
            advantages = q - q.mean(0, keepdim=True)
        loss = -(generator.token_log_probs(sentences) * advantages).mean()
        value = loss.item()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        for p in generator.parameters():
            if p.grad is not None:
                torch.nn.utils.clip_grad_norm_([p], 5.0)
        optimiser.step()
        return value

    return Step(step, generator)


# --- the registry -----------------------------------------------------------------------------------

# Full reported name -> (builder, default steps per run, description). The steps aim at ~1-3 s a
# run on 2 idle cores, estimated from a loaded machine (scaled by the shared workloads' ratio of
# loaded to idle speed): check them on an idle one.
LECTURE_TWINS = {
    "lecture-03-backprop: mlp_burn_autodiff": (
        mlp_tanh_sgd, 300, "MLP 784-256-10 tanh, batch 128, cross-entropy, SGD at 0.1"),
    "lecture-01-rnn: char_lstm_scratch": (
        char_lstm_scratch, 60,
        "char-LSTM LM (vocab 65, emb 64, hidden 256, batch 32, seq 64) with single-bias nn.LSTM, Adam"),
    "lecture-04-language-model: word_lstm_full": (
        word_lstm(None), 40, "word LSTM LM, V 10k, E = H = 200, B 20 x T 20, full softmax, nn.LSTM, Adam"),
    "lecture-04-language-model: word_lstm_class": (
        word_lstm(300), 60,
        "word LSTM LM, V 10k, E = H = 200, B 20 x T 20, class softmax (300 classes), nn.LSTM, Adam"),
    "lecture-05-spatial-transformer: st_cnn": (
        st_cnn, 60, "ST-CNN: localisation net + F.affine_grid + F.grid_sample (42->28) + CNN(8,16,64), "
                    "batch 64, Adam"),
    "lecture-06-highway-grid-lstm: highway_depth50": (
        highway_depth50, 100, "highway net 784-50 x 50 layers (tanh, fused H and T), batch 64, Adam"),
    "lecture-07-recursive: tree_lstm_levels": (
        tree_lstm("levels"), 60, "Tree-LSTM width 64 on 25 SST trees, all nodes of equal height batched, Adam"),
    "lecture-07-recursive: tree_lstm_nodes": (
        tree_lstm("nodes"), 6, "Tree-LSTM width 64 on 25 SST trees, one node at a time, Adam"),
    "lecture-08-attention: seq2seq_attention_scratch": (
        seq2seq_attention_scratch, 40,
        "BiGRU encoder (nn.GRU), GRU decoder, dot attention; vocab 20, emb 32, hidden 128, len 20, "
        "batch 64, Adam"),
    "lecture-08-attention: ntm_copy": (
        ntm_copy, 6, "NTM copy task: 8 bits, length 10, batch 32, GRUCell controller 64, memory 32x16, Adam"),
    "lecture-09-pointer-network: pointer_sort": (
        pointer_sort, 100, "pointer network (LSTM encoder/decoder 64, additive attention as output), sorting 10 "
                           "numbers, batch 64, Adam"),
    "lecture-10-batch-norm: sigmoid_mlp": (
        sigmoid_mlp(False), 2000, "MLP 784-3x100-10 sigmoid, batch 60, cross-entropy, Adam"),
    "lecture-10-batch-norm: sigmoid_mlp_bn": (
        sigmoid_mlp(True), 1000, "MLP 784-3x100-10 sigmoid with nn.BatchNorm1d, batch 60, cross-entropy, Adam"),
    "lecture-11-selu: deep_selu": (
        deep_selu, 150, "deep SELU MLP 784-16x256-10 (LeCun init), batch 128, cross-entropy, Adam"),
    "lecture-12-capsule: capsnet_lecture": (
        capsnet_lecture, 40, "reduced CapsNet: conv 1->32, 288 primary 8D caps, 10x16D digit caps, 3 routing "
                             "passes, margin + 0.0005 reconstruction loss (decoder 256-512), batch 32, Adam"),
    "lecture-13-hyperparameters: mnist_mlp_trial_step": (
        mnist_mlp_trial_step, 400, "MNIST MLP trial step: 784-2x64-10, ReLU, dropout 0.2, batch 64, cross-entropy, Adam"),
    "lecture-14-saddles-and-memorisation: memorisation_mlp": (
        memorisation_mlp, 400, "MLP 784-256-10 ReLU (He init), batch 50, cross-entropy, Adam"),
    "lecture-15-gan: gan_mixture": (
        gan_mixture, 600, "MLP GAN on the ring of 8: G 2-128-128-2, D 2-128-128-1, leaky ReLU 0.2; one D + "
                          "one G step, batch 256, 2x Adam (beta_1 0.5)"),
    "lecture-16-improved-gan: wgan_gp_critic": (
        wgan_gp_critic, 40, "WGAN-GP critic step: 2-3x512-1 leaky ReLU, batch 256, gradient penalty through "
                            "the input gradient, Adam"),
    "lecture-17-sequence-gan: seqgan_generator_step": (
        seqgan_generator_step, 10, "SeqGAN generator step: sample 128 x 8 (V 64, LSTM 32), 4 roll-outs of every "
                                   "prefix, CNN D rewards, policy gradient, Adam"),
}

# Burn workloads whose arithmetic is that of a twin above: reported name -> twin's name, e.g.
# "lecture-01-rnn: char_lstm_fused": "lecture-01-rnn: char_lstm_scratch".
ALIASES = {
    "lecture-03-backprop: mlp_our_engine": "lecture-03-backprop: mlp_burn_autodiff",
    "lecture-01-rnn: char_lstm_scratch_fused": "lecture-01-rnn: char_lstm_scratch",
    "lecture-08-attention: seq2seq_attention_scratch_fused": "lecture-08-attention: seq2seq_attention_scratch",
}

LECTURE_WORKLOADS = {**LECTURE_TWINS, **{alias: LECTURE_TWINS[twin] for alias, twin in ALIASES.items()}}
