using A3.Runtime.Evaluation;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.Tests.Evaluation;

/// <summary>A causal model whose next-token logits depend only on the current token: exact expectations are computable by hand.</summary>
internal sealed class BigramModel : ICausalLanguageModel
{
    public BigramModel(float[,] table, int maxSequenceLength)
    {
        TorchNative.EnsureLoaded();
        Table = table;
        MaxSequenceLength = maxSequenceLength;
    }

    public float[,] Table { get; }

    public int MaxSequenceLength { get; }

    public torch.Device Device => torch.CPU;

    public int Calls { get; private set; }

    public static BigramModel Random(int vocab, int seed, int maxSequenceLength = 64)
    {
        var random = new Random(seed);
        var table = new float[vocab, vocab];
        for (int i = 0; i < vocab; i++)
        {
            for (int j = 0; j < vocab; j++)
            {
                table[i, j] = (float)((random.NextDouble() * 6) - 3);
            }
        }

        return new BigramModel(table, maxSequenceLength);
    }

    public torch.Tensor ComputeLogits(torch.Tensor inputIds)
    {
        Calls++;
        using var table = torch.tensor(Table);
        return table.index_select(0, inputIds.flatten()).reshape(inputIds.shape[0], inputIds.shape[1], Table.GetLength(1));
    }

    /// <summary>The NLL of predicting <paramref name="next"/> after <paramref name="current"/>, computed in float64 by log-sum-exp.</summary>
    public double Nll(int current, int next)
    {
        int vocab = Table.GetLength(1);
        double max = double.NegativeInfinity;
        for (int j = 0; j < vocab; j++)
        {
            max = Math.Max(max, Table[current, j]);
        }

        double sum = 0;
        for (int j = 0; j < vocab; j++)
        {
            sum += Math.Exp(Table[current, j] - max);
        }

        return max + Math.Log(sum) - Table[current, next];
    }
}
