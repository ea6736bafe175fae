"""A LLaMA-style decoder built from ``torch.nn`` (no download): real depth, small width.

Each :class:`DecoderLayer` is RMSNorm → eager causal self-attention (q, k, v, o
projections, rotary positions) → residual → RMSNorm → SwiGLU MLP → residual, as in
LLaMA; 32 layers is LLaMA-7B's depth, 80 LLaMA-70B's. :func:`llama_loss` gives the
plain loss; :func:`gradient_penalty` the loss of a gradient penalty on the input
(``create_graph=True``), whose graph holds the forward and its backward.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class RMSNorm(nn.Module):
    """x / rms(x) · weight, written out in ops."""

    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def _rotary(t: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding (LLaMA's rotate-half form) on (batch, heads, seq, dim)."""
    seq, dim = t.shape[-2], t.shape[-1]
    freqs = 1.0 / 10000 ** (torch.arange(0, dim, 2).float() / dim)
    angles = torch.outer(torch.arange(seq).float(), freqs).repeat(1, 2)
    half = dim // 2
    rotated = torch.cat((-t[..., half:], t[..., :half]), dim=-1)
    return t * angles.cos() + rotated * angles.sin()


class Attention(nn.Module):
    """Eager multi-head causal self-attention (softmax(QKᵀ/√d + mask) V), rotary q and k."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.o_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, seq, dim = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, seq, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        q, k = _rotary(q), _rotary(k)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)
        mask = torch.full((seq, seq), float("-inf")).triu(1)
        weights = torch.softmax(scores + mask, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(batch, seq, dim)
        return self.o_proj(out)


class MLP(nn.Module):
    """SwiGLU: down(silu(gate(x)) · up(x))."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.gate_proj = nn.Linear(dim, hidden, bias=False)
        self.up_proj = nn.Linear(dim, hidden, bias=False)
        self.down_proj = nn.Linear(hidden, dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    """One LLaMA block: pre-norm attention and pre-norm MLP, each with a residual."""

    def __init__(self, dim: int, heads: int, hidden: int) -> None:
        super().__init__()
        self.input_layernorm = RMSNorm(dim)
        self.self_attn = Attention(dim, heads)
        self.post_attention_layernorm = RMSNorm(dim)
        self.mlp = MLP(dim, hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.mlp(self.post_attention_layernorm(x))


class Decoder(nn.Module):
    """``layers`` decoder layers, a final norm and an output head."""

    def __init__(self, layers: int, dim: int = 32, heads: int = 4, hidden: int = 64,
                 vocab: int = 16) -> None:
        super().__init__()
        self.layers = nn.ModuleList(DecoderLayer(dim, heads, hidden) for _ in range(layers))
        self.norm = RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return self.lm_head(self.norm(x))


def decoder(layers: int, seq: int = 8, dim: int = 32) -> tuple[Decoder, torch.Tensor]:
    """A seeded decoder and its (1, seq, dim) input (requires grad, for penalties)."""
    torch.manual_seed(0)
    model = Decoder(layers, dim=dim)
    return model, torch.randn(1, seq, dim, requires_grad=True)


def llama_loss(out: torch.Tensor) -> torch.Tensor:
    """The plain loss: mean of the squared logits."""
    return out.pow(2).mean()


def gradient_penalty(inp: torch.Tensor):
    """A ``loss_fn`` adding ‖∂loss/∂input‖² (``create_graph=True``) to the loss."""

    def loss_fn(out: torch.Tensor) -> torch.Tensor:
        loss = llama_loss(out)
        (grad,) = torch.autograd.grad(loss, inp, create_graph=True)
        return loss + grad.pow(2).sum()

    return loss_fn
