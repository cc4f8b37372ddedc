using TorchSharp;

namespace A3.Runtime.Model;

/// <summary>The SwiGLU MLP <c>down(silu(gate x) ⊙ up x)</c>; A3 may have shrunk its intermediate size.</summary>
internal sealed class Mlp : IDisposable
{
    private readonly LinearWeight gate;
    private readonly LinearWeight up;
    private readonly LinearWeight down;

    /// <summary>Initializes a new instance that owns the three projections.</summary>
    public Mlp(LinearWeight gate, LinearWeight up, LinearWeight down)
    {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /// <summary>Applies the MLP to <paramref name="x"/> of shape <c>[B, T, d]</c>; <paramref name="observer"/>, when given, sees the input of down_proj.</summary>
    public torch.Tensor Forward(torch.Tensor x, ILayerObserver? observer = null)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = torch.nn.functional.silu(gate.Forward(x)) * up.Forward(x);
        observer?.OnIntermediate(hidden);
        return down.Forward(hidden).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        gate.Dispose();
        up.Dispose();
        down.Dispose();
    }
}
