using TorchSharp;

namespace A3.Compression.Tests;

/// <summary>A SwiGLU MLP with calibration data and its exact intermediate statistics, float64.</summary>
internal sealed class MlpFixture : IDisposable
{
    private MlpFixture(torch.Tensor gate, torch.Tensor up, torch.Tensor down, torch.Tensor inputs)
    {
        Gate = gate;
        Up = up;
        Down = down;
        Inputs = inputs;
        using var gated = torch.nn.functional.silu(inputs.matmul(gate.t()));
        using var linear = inputs.matmul(up.t());
        Hidden = gated * linear;
        Intermediate = SolverData.Autocorrelation(Hidden);
        Target = Hidden.matmul(down.t());
    }

    public torch.Tensor Gate { get; }

    public torch.Tensor Up { get; }

    public torch.Tensor Down { get; }

    public torch.Tensor Inputs { get; }

    /// <summary><c>H</c> <c>[N, I]</c>.</summary>
    public torch.Tensor Hidden { get; }

    /// <summary><c>C = HᵀH/N</c>.</summary>
    public torch.Tensor Intermediate { get; }

    /// <summary><c>H W_dᵀ</c> <c>[N, d]</c>.</summary>
    public torch.Tensor Target { get; }

    public long Size => Gate.shape[0];

    /// <summary>Random MLP with down_proj columns of widely varying norm, so importance is not uniform.</summary>
    public static MlpFixture Random(int seed, long tokens = 800, long hidden = 12, long intermediate = 40)
    {
        var random = new Random(seed);
        var inputs = SolverData.CorrelatedInputs(random, tokens, hidden);
        using var inScale = (1 / Math.Sqrt(hidden)).ToScalar();
        using var gateRaw = SolverData.Gaussian(random, intermediate, hidden);
        using var upRaw = SolverData.Gaussian(random, intermediate, hidden);
        using var downRaw = SolverData.Gaussian(random, hidden, intermediate);
        var columnScales = Enumerable.Range(0, (int)intermediate).Select(_ => Math.Exp(0.8 * ((2 * random.NextDouble()) - 1))).ToArray();
        using var columnScale = torch.tensor(columnScales, torch.float64);
        return new MlpFixture(gateRaw.mul(inScale), upRaw.mul(inScale), downRaw * columnScale.unsqueeze(0), inputs);
    }

    /// <summary>
    /// An MLP whose neurons 0..copies−1 are exact copies (same gate/up rows, same, forty times larger down_proj
    /// column): importance ranks all copies first although together they add nothing over one.
    /// </summary>
    public static MlpFixture WithCopies(int seed, int copies, long intermediate = 24)
    {
        var random = new Random(seed);
        const long hidden = 10;
        var inputs = SolverData.CorrelatedInputs(random, 600, hidden);
        using var inScale = (1 / Math.Sqrt(hidden)).ToScalar();
        using var gateRaw = SolverData.Gaussian(random, intermediate, hidden);
        using var upRaw = SolverData.Gaussian(random, intermediate, hidden);
        using var downRaw = SolverData.Gaussian(random, hidden, intermediate);
        var columnScales = Enumerable.Range(0, (int)intermediate).Select(i => i == 0 ? 40.0 : 1.0).ToArray();
        using var columnScale = torch.tensor(columnScales, torch.float64);
        using var downScaled = downRaw * columnScale.unsqueeze(0);
        using var source = torch.tensor(Enumerable.Range(0, (int)intermediate).Select(i => i < copies ? 0L : i).ToArray());
        using var gateScaled = gateRaw.mul(inScale);
        using var upScaled = upRaw.mul(inScale);
        var gate = gateScaled.index_select(0, source);
        var up = upScaled.index_select(0, source);
        var down = downScaled.index_select(1, source);
        return new MlpFixture(gate, up, down, inputs);
    }

    /// <summary>Data-measured <c>||H W_dᵀ − H_S W'ᵀ||² / ||H W_dᵀ||²</c>.</summary>
    public double DataError(IReadOnlyList<long> kept, torch.Tensor keptDown)
    {
        using var index = torch.tensor(kept.ToArray());
        using var hiddenKept = Hidden.index_select(1, index);
        using var output = hiddenKept.matmul(keptDown.t());
        return SolverData.SquaredDistance(Target, output) / SolverData.SquaredNorm(Target);
    }

    /// <summary>Data error of plain pruning: the kept columns of down_proj unchanged.</summary>
    public double PrunedError(IReadOnlyList<long> kept)
    {
        using var index = torch.tensor(kept.ToArray());
        using var columns = Down.index_select(1, index);
        return DataError(kept, columns);
    }

    public void Dispose()
    {
        Gate.Dispose();
        Up.Dispose();
        Down.Dispose();
        Inputs.Dispose();
        Hidden.Dispose();
        Intermediate.Dispose();
        Target.Dispose();
    }
}
