using TorchSharp;

namespace A3.Compression.Solvers;

/// <summary>Shape checks shared by the QK solvers, so both reject malformed input the same way.</summary>
internal static class QkShapes
{
    /// <summary>Checks <c>[H, dh, dh]</c> and <c>[Hkv, dh, dh]</c> and returns <c>(H, Hkv, dh)</c>.</summary>
    public static (int Heads, int KeyValueHeads, int HeadDim) Validate(torch.Tensor queryStatistics, torch.Tensor keyStatistics)
    {
        if (queryStatistics.dim() != 3 || queryStatistics.shape[1] != queryStatistics.shape[2])
        {
            throw new ArgumentException($"Query statistics must be [H, dh, dh], got [{string.Join(", ", queryStatistics.shape)}].", nameof(queryStatistics));
        }

        if (keyStatistics.dim() != 3 || keyStatistics.shape[1] != queryStatistics.shape[1] || keyStatistics.shape[2] != queryStatistics.shape[2])
        {
            throw new ArgumentException($"Key statistics must be [Hkv, {queryStatistics.shape[1]}, {queryStatistics.shape[1]}], got [{string.Join(", ", keyStatistics.shape)}].", nameof(keyStatistics));
        }

        var heads = (int)queryStatistics.shape[0];
        var keyValueHeads = (int)keyStatistics.shape[0];
        if (keyValueHeads == 0 || heads % keyValueHeads != 0)
        {
            throw new ArgumentException($"{heads} query heads cannot be grouped over {keyValueHeads} key/value heads.", nameof(keyStatistics));
        }

        return (heads, keyValueHeads, (int)queryStatistics.shape[1]);
    }

    /// <summary>Checks q_proj/k_proj and their biases against the head layout.</summary>
    public static void ValidateProjections(torch.Tensor query, torch.Tensor key, torch.Tensor? queryBias, torch.Tensor? keyBias, int heads, int keyValueHeads, int headDim)
    {
        if (query.dim() != 2 || query.shape[0] != (long)heads * headDim)
        {
            throw new ArgumentException($"q_proj must be [{heads * headDim}, d], got [{string.Join(", ", query.shape)}].", nameof(query));
        }

        if (key.dim() != 2 || key.shape[0] != (long)keyValueHeads * headDim || key.shape[1] != query.shape[1])
        {
            throw new ArgumentException($"k_proj must be [{keyValueHeads * headDim}, {query.shape[1]}], got [{string.Join(", ", key.shape)}].", nameof(key));
        }

        if (queryBias is not null && (queryBias.dim() != 1 || queryBias.shape[0] != query.shape[0]))
        {
            throw new ArgumentException($"q_proj.bias must be [{query.shape[0]}], got [{string.Join(", ", queryBias.shape)}].", nameof(queryBias));
        }

        if (keyBias is not null && (keyBias.dim() != 1 || keyBias.shape[0] != key.shape[0]))
        {
            throw new ArgumentException($"k_proj.bias must be [{key.shape[0]}], got [{string.Join(", ", keyBias.shape)}].", nameof(keyBias));
        }
    }
}
