using A3.Runtime.Model;

namespace A3.Runtime.IO;

/// <summary>
/// A llama2.c checkpoint converted to a Hugging Face-style configuration and weight names. Owns
/// <see cref="Weights"/> and disposes it in <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// A class rather than a record: an owner of a weight source has identity, not value equality, and
/// a <c>with</c> copy would give the weights two owners.
/// </remarks>
internal sealed class Llama2cModel : IDisposable
{
    private bool disposed;

    /// <summary>Initializes a new instance that takes ownership of <paramref name="weights"/>.</summary>
    /// <param name="config">The model configuration (<c>LlamaForCausalLM</c>, full layers, no source JSON).</param>
    /// <param name="weights">The weights under Hugging Face names, q/k rows already in rotate_half order.</param>
    public Llama2cModel(ModelConfig config, IWeightSource weights)
    {
        Config = config;
        Weights = weights;
    }

    /// <summary>Gets the model configuration (<c>LlamaForCausalLM</c>, full layers, no source JSON).</summary>
    public ModelConfig Config { get; }

    /// <summary>Gets the weights under Hugging Face names, q/k rows already in rotate_half order; owned by this model.</summary>
    public IWeightSource Weights { get; }

    /// <summary>Disposes <see cref="Weights"/>; later calls do nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Weights.Dispose();
    }
}
