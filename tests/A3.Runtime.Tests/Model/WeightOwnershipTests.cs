using A3.Runtime.Model;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

public sealed class WeightOwnershipTests
{
    [Fact]
    public void Layer_weights_dispose_every_tensor_they_own_and_a_second_dispose_does_nothing()
    {
        var tensors = Enumerable.Range(0, 10).Select(_ => torch.zeros(2, 2)).ToArray();
        var weights = new LayerWeights(tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6], tensors[7], tensors[8], tensors[9]);

        weights.Dispose();
        weights.Dispose();

        Assert.All(tensors, tensor => Assert.True(tensor.IsInvalid));
    }

    [Fact]
    public void Layer_weights_without_biases_dispose_the_weights()
    {
        var tensors = Enumerable.Range(0, 7).Select(_ => torch.zeros(2, 2)).ToArray();
        var weights = new LayerWeights(tensors[0], tensors[1], tensors[2], tensors[3], null, null, null, tensors[4], tensors[5], tensors[6]);

        weights.Dispose();
        weights.Dispose();

        Assert.All(tensors, tensor => Assert.True(tensor.IsInvalid));
    }

    [Fact]
    public void Norm_weights_dispose_both_tensors_once()
    {
        var input = torch.ones(4);
        var postAttention = torch.ones(4);
        var norms = new LayerNormWeights(input, postAttention);

        norms.Dispose();
        norms.Dispose();

        Assert.True(input.IsInvalid);
        Assert.True(postAttention.IsInvalid);
    }

    [Fact]
    public void Owners_compare_by_identity_not_by_the_tensors_they_hold()
    {
        using var input = torch.ones(4);
        using var postAttention = torch.ones(4);

        // Two owners of the same tensors are two objects; value equality would hide a double owner.
        var first = new LayerNormWeights(input, postAttention);
        var second = new LayerNormWeights(input, postAttention);

        Assert.NotEqual(first, second);
    }
}
