using A3.Runtime.IO;
using A3.Runtime.Model;
using A3.Runtime.Tests.Model;
using A3.Tests;
using TorchSharp;

namespace A3.Onnx.Tests;

/// <summary>
/// Small seeded checkpoints for the architecture features stories260K lacks (biases, llama3 rope scaling, untied heads,
/// factorised projections, other head groupings), written as model folders with the fixture's tokenizer.
/// </summary>
internal static class SyntheticModels
{
    /// <summary>The vocabulary of the fixture's tokenizer, which the model must cover.</summary>
    public const int Vocab = 512;

    /// <summary>Writes <paramref name="config"/> with seeded weights to <paramref name="folder"/>; factorised projections get two random factors.</summary>
    public static string Write(string folder, ModelConfig config, int seed)
    {
        var weights = RandomWeights.Create(config, seed);
        var random = new Random(seed + 1);
        for (var i = 0; i < config.NumLayers; i++)
        {
            foreach (var (projection, rank) in config.Layers[i].FactorizedRanks)
            {
                var names = TensorNames.Layer(i).Projection(projection);
                var dense = weights[names.Weight].Shape;
                weights.Remove(names.Weight);
                weights[names.WeightA] = ([rank, dense[1]], Uniform(random, rank * (int)dense[1], 1 / Math.Sqrt(dense[1])));
                weights[names.WeightB] = ([dense[0], rank], Uniform(random, (int)dense[0] * rank, 1 / Math.Sqrt(rank)));
            }
        }

        using var scope = torch.NewDisposeScope();
        var tensors = weights.ToDictionary(pair => pair.Key, pair => torch.tensor(pair.Value.Data, pair.Value.Shape), StringComparer.Ordinal);
        ModelFolderWriter.Write(folder, config, tensors, Fixtures.Require("hf/stories260K-llama"));
        return folder;
    }

    /// <summary>A configuration of <see cref="TestConfigs"/> with the tokenizer's vocabulary and the architecture its biases imply.</summary>
    public static ModelConfig Sized(ModelConfig config) => config with
    {
        VocabSize = Vocab,
        Architecture = config.AttentionBias ? "Qwen2ForCausalLM" : "LlamaForCausalLM",
    };

    /// <summary>Seeded token ids in the vocabulary.</summary>
    public static long[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(Vocab)).ToArray();
    }

    private static float[] Uniform(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => (float)(scale * ((2 * random.NextDouble()) - 1))).ToArray();
}
