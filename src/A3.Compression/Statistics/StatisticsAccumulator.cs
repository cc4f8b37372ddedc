using A3.Runtime.Model;
using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// An <see cref="ILayerObserver"/> that adds each forward's <c>x̂ᵀx̂</c> sums, in float64 on the
/// activations' device, for every statistic of <see cref="LayerStatistics"/>. Only the sums are
/// kept, so memory does not grow with the number of tokens.
/// </summary>
internal sealed class StatisticsAccumulator : ILayerObserver, IDisposable
{
    private torch.Tensor? attentionInput;
    private torch.Tensor? query;
    private torch.Tensor? key;
    private torch.Tensor? attentionOutput;
    private torch.Tensor? mlpInput;
    private torch.Tensor? intermediate;

    // The explicit alpha of 1 for the in-place sums, created once and disposed with the accumulator:
    // add_(Tensor) converts it to a Scalar internally and leaves it to the finalizer, which can free
    // it while the native add still reads it. The kernel is the same.
    private readonly Scalar one = 1.ToScalar();

    /// <summary>Gets the number of tokens accumulated (counted at the attention input).</summary>
    public long Tokens { get; private set; }

    /// <inheritdoc />
    public void OnAttentionInput(torch.Tensor input)
    {
        Tokens += input.shape[0] * input.shape[1];
        Add(ref attentionInput, input);
    }

    /// <inheritdoc />
    public void OnQueryKey(torch.Tensor query, torch.Tensor key)
    {
        AddPerHead(ref this.query, query);
        AddPerHead(ref this.key, key);
    }

    /// <inheritdoc />
    public void OnAttentionOutput(torch.Tensor context) => Add(ref attentionOutput, context);

    /// <inheritdoc />
    public void OnMlpInput(torch.Tensor input) => Add(ref mlpInput, input);

    /// <inheritdoc />
    public void OnIntermediate(torch.Tensor intermediate) => Add(ref this.intermediate, intermediate);

    /// <summary>
    /// Divides the sums by the token count and hands them over as <see cref="LayerStatistics"/>;
    /// the accumulator holds nothing afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">No forward was observed, or one of the callbacks never ran.</exception>
    public LayerStatistics ToStatistics()
    {
        if (Tokens == 0 || attentionInput is null || query is null || key is null || attentionOutput is null || mlpInput is null || intermediate is null)
        {
            throw new InvalidOperationException("No complete layer forward was observed.");
        }

        foreach (var sum in new[] { attentionInput, attentionOutput, mlpInput, intermediate })
        {
            SymmetricGram.Mirror(sum);
        }

        using var count = ((double)Tokens).ToScalar();
        var statistics = new LayerStatistics(
            Tokens,
            attentionInput.div_(count),
            query.div_(count),
            key.div_(count),
            attentionOutput.div_(count),
            mlpInput.div_(count),
            intermediate.div_(count));
        attentionInput = query = key = attentionOutput = mlpInput = intermediate = null;
        return statistics;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        attentionInput?.Dispose();
        query?.Dispose();
        key?.Dispose();
        attentionOutput?.Dispose();
        mlpInput?.Dispose();
        intermediate?.Dispose();
        one.Dispose();
    }

    /// <summary>
    /// Adds the upper block triangle of <c>XᵀX</c> of <paramref name="activations"/> (<c>[…, D]</c>, rows = tokens) to
    /// <paramref name="sum"/> (<c>[D, D]</c>); <see cref="ToStatistics"/> mirrors it into a whole symmetric matrix.
    /// </summary>
    private static void Add(ref torch.Tensor? sum, torch.Tensor activations)
    {
        using var scope = torch.NewDisposeScope();
        var rows = activations.reshape(-1, activations.shape[^1]).to(torch.float64);
        sum ??= torch.zeros([rows.shape[1], rows.shape[1]], torch.float64, rows.device).DetachFromDisposeScope();
        SymmetricGram.AddUpper(sum, rows);
    }

    /// <summary>Adds, per head, <c>XₕᵀXₕ</c> of <paramref name="activations"/> (<c>[B, T, H, D]</c>) to <paramref name="sum"/> (<c>[H, D, D]</c>).</summary>
    private void AddPerHead(ref torch.Tensor? sum, torch.Tensor activations)
    {
        using var scope = torch.NewDisposeScope();
        var heads = activations.shape[2];
        var perHead = activations.to(torch.float64).permute(2, 0, 1, 3).reshape(heads, -1, activations.shape[3]);
        var product = torch.bmm(perHead.transpose(1, 2), perHead);
        Accumulate(ref sum, product);
    }

    private void Accumulate(ref torch.Tensor? sum, torch.Tensor product)
    {
        if (sum is null)
        {
            sum = product.DetachFromDisposeScope();
        }
        else
        {
            sum.add_(product, one);
        }
    }
}
