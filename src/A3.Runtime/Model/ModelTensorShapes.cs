using A3.Runtime.IO;

namespace A3.Runtime.Model;

/// <summary>
/// The tensor names and shapes a configuration implies, as listed in the shape table of
/// <c>docs/FORMAT.md</c> sections 2 and 8 (a factorised projection has <c>weight_a</c> and <c>weight_b</c>
/// instead of <c>weight</c>); used to reject a model before any file is written.
/// </summary>
internal static class ModelTensorShapes
{
    /// <summary>
    /// Checks, from the stored headers alone (no tensor data is read), that <paramref name="weights"/>
    /// holds every tensor <paramref name="config"/> requires with its shape and a loadable dtype.
    /// </summary>
    /// <exception cref="A3InputException">Tensors are missing or misshapen; the message names up to five of them.</exception>
    public static void Verify(ModelConfig config, IWeightSource weights, string? path)
    {
        var problems = new List<string>();
        foreach (var (name, expected) in Expected(config).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!weights.Contains(name))
            {
                problems.Add($"'{name}' is missing (expected shape {Format(expected)})");
                continue;
            }

            var actual = weights.Describe(name).Shape;
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"'{name}' has shape {Format(actual)}, expected {Format(expected)}");
            }
        }

        if (problems.Count > 0)
        {
            var more = problems.Count > 5 ? $" and {problems.Count - 5} more" : string.Empty;
            throw new A3InputException(
                A3ErrorCodes.InvalidModelConfig,
                $"the weights do not match the configuration: {string.Join("; ", problems.Take(5))}{more}",
                path);
        }
    }

    /// <summary>Returns every tensor name the configuration requires, with its <c>[out, in]</c> shape.</summary>
    public static IReadOnlyDictionary<string, long[]> Expected(ModelConfig config)
    {
        var d = (long)config.HiddenSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            [TensorNames.Embeddings] = [config.VocabSize, d],
            [TensorNames.FinalNorm] = [d],
        };
        if (!config.TieWordEmbeddings)
        {
            shapes[TensorNames.LmHead] = [config.VocabSize, d];
        }

        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = config.Layers[i];
            var names = TensorNames.Layer(i);
            var queryRows = (long)config.NumAttentionHeads * layer.QkHeadDim;
            var keyRows = (long)config.NumKeyValueHeads * layer.QkHeadDim;
            var valueRows = (long)config.NumKeyValueHeads * layer.VHeadDim;
            shapes[names.InputNorm] = [d];
            shapes[names.PostAttentionNorm] = [d];
            foreach (var projection in names.Projections)
            {
                var (rows, columns) = LinearProjections.Dimensions(config, layer, projection.Name);
                if (layer.RankOf(projection.Name) is { } rank)
                {
                    shapes[projection.WeightA] = [rank, columns];
                    shapes[projection.WeightB] = [rows, rank];
                }
                else
                {
                    shapes[projection.Weight] = [rows, columns];
                }
            }

            if (config.AttentionBias)
            {
                shapes[names.Query.Bias] = [queryRows];
                shapes[names.Key.Bias] = [keyRows];
                shapes[names.Value.Bias] = [valueRows];
            }
        }

        return shapes;
    }

    private static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
