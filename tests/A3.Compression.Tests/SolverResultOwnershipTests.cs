using A3.Compression.Solvers;
using A3.Compression.Statistics;
using TorchSharp;

namespace A3.Compression.Tests;

public sealed class SolverResultOwnershipTests
{
    [Fact]
    public void Statistics_dispose_their_six_tensors_and_a_second_dispose_does_nothing()
    {
        var tensors = Enumerable.Range(0, 6).Select(_ => torch.zeros(2, 2, torch.float64)).ToArray();
        var statistics = new LayerStatistics(10, tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5]);

        statistics.Dispose();
        statistics.Dispose();

        Assert.All(tensors, tensor => Assert.True(tensor.IsInvalid));
    }

    [Fact]
    public void Solutions_dispose_the_weights_they_own_once()
    {
        var query = torch.zeros(4, 2);
        var key = torch.zeros(4, 2);
        var queryBias = torch.zeros(4);
        var qk = new QkAnalyticalSolution(new QueryKeyWeights(query, key, queryBias, null), 2, 0, [[1.0, 0.0]], ClampReport.None);
        var value = torch.zeros(4, 2);
        var output = torch.zeros(2, 4);
        var ov = new OvAnalyticalSolution(new ValueOutputWeights(value, output, null), 2, ValueHeadSharing.Shared, 0, [[1.0, 0.0]], ClampReport.None);

        qk.Dispose();
        qk.Dispose();
        ov.Dispose();
        ov.Dispose();

        Assert.All(new[] { query, key, queryBias, value, output }, tensor => Assert.True(tensor.IsInvalid));
    }

    [Fact]
    public void Mlp_and_low_rank_results_dispose_their_tensors_once()
    {
        var gate = torch.zeros(2, 3);
        var up = torch.zeros(2, 3);
        var down = torch.zeros(3, 2);
        var mlp = new MlpCurResult(gate, up, down, [0L, 1L], 0, 0);
        var a = torch.zeros(2, 3);
        var b = torch.zeros(3, 2);
        var factors = new LowRankFactors(a, b, [1.0, 0.0], 0, 0);

        mlp.Dispose();
        mlp.Dispose();
        factors.Dispose();
        factors.Dispose();

        Assert.All(new[] { gate, up, down, a, b }, tensor => Assert.True(tensor.IsInvalid));
    }
}
