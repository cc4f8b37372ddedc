using A3.Compression.Budget;
using A3.Compression.Solvers;

namespace A3.Compression.Methods;

/// <summary>Decides how many RoPE pairs, value dims and MLP neurons each layer keeps under A3.</summary>
public interface IA3Planner
{
    /// <summary>Gets how the sizes are chosen, for the report, e.g. <c>budget 0.2 (greedy)</c>.</summary>
    string Target { get; }

    /// <summary>Plans the kept sizes of every layer of the model in <paramref name="context"/>.</summary>
    /// <param name="context">The model, and the original model's statistics for planners that measure.</param>
    /// <param name="mlpSelector">The MLP neuron selector the layers will be compressed with.</param>
    /// <param name="cancellationToken">Stops the planning.</param>
    /// <returns>The plan.</returns>
    CompressionPlan Plan(CompressionContext context, MlpSelector mlpSelector, CancellationToken cancellationToken);
}
