using A3.Compression.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace A3.Compression.Tests;

public sealed class SymmetricGramTests
{
    [Theory]
    [InlineData(37, 8)]
    [InlineData(40, 8)]
    [InlineData(5, 8)]
    [InlineData(64, 1)]
    public void Upper_blocks_then_the_mirror_give_the_full_product_exactly_symmetric(int width, int blockSize)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(17);

        // Two batches, as the accumulator adds them, with correlated columns so off-diagonal sums are not noise.
        var first = randn([50, width], ScalarType.Float64, generator: generator).matmul(randn([width, width], ScalarType.Float64, generator: generator));
        var second = randn([30, width], ScalarType.Float64, generator: generator);
        var sum = zeros([width, width], ScalarType.Float64);

        SymmetricGram.AddUpper(sum, first, blockSize);
        SymmetricGram.AddUpper(sum, second, blockSize);
        SymmetricGram.Mirror(sum, blockSize);

        var expected = first.t().matmul(first).add(second.t().matmul(second));
        var scale = expected.abs().max().item<double>();
        Assert.True(sum.sub(expected).abs().max().item<double>() <= 1e-13 * scale);
        Assert.True(sum.eq(sum.t()).all().item<bool>(), "the sum is exactly symmetric");
    }
}
