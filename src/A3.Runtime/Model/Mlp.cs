using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>The SwiGLU MLP <c>down(silu(gate x) ⊙ up x)</c>; A3 may have shrunk its intermediate size.</summary>
internal sealed class Mlp : IDisposable
{
    private readonly torch.Tensor gate;
    private readonly torch.Tensor up;
    private readonly torch.Tensor down;

    /// <summary>Initializes a new instance that owns the three projection weights (<c>[out, in]</c> layout).</summary>
    public Mlp(torch.Tensor gate, torch.Tensor up, torch.Tensor down)
    {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /// <summary>Applies the MLP to <paramref name="x"/> of shape <c>[B, T, d]</c>; <paramref name="observer"/>, when given, sees the input of down_proj.</summary>
    public torch.Tensor Forward(torch.Tensor x, ILayerObserver? observer = null)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = torch.nn.functional.silu(torch.nn.functional.linear(x, gate)) * torch.nn.functional.linear(x, up);
        observer?.OnIntermediate(hidden);
        return torch.nn.functional.linear(hidden, down).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        gate.Dispose();
        up.Dispose();
        down.Dispose();
    }
}
