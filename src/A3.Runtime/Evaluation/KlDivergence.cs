using TorchSharp;

namespace A3.Runtime.Evaluation;

/// <summary>The one formula both KL measurements use (the <c>--kl</c> column and the search allocation's objective).</summary>
internal static class KlDivergence
{
    /// <summary>Returns <c>Σ p (log p − log q)</c> over every position of two float64 log-probability tensors of one shape.</summary>
    /// <param name="reference">The reference's log-probabilities <c>log p</c>.</param>
    /// <param name="candidate">The candidate's log-probabilities <c>log q</c>.</param>
    /// <returns>The summed divergence, in nats.</returns>
    public static double Sum(torch.Tensor reference, torch.Tensor candidate)
    {
        using var scope = torch.NewDisposeScope();
        return (reference.exp() * (reference - candidate)).sum().item<double>();
    }
}
