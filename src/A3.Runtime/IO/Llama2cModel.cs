using A3.Runtime.Model;

namespace A3.Runtime.IO;

/// <summary>A llama2.c checkpoint converted to a Hugging Face-style configuration and weight names.</summary>
/// <param name="Config">The model configuration (<c>LlamaForCausalLM</c>, full layers, no source JSON).</param>
/// <param name="Weights">The weights under Hugging Face names, q/k rows already in rotate_half order; owned by this model.</param>
public sealed record Llama2cModel(ModelConfig Config, IWeightSource Weights) : IDisposable
{
    /// <summary>Disposes <see cref="Weights"/>.</summary>
    public void Dispose() => Weights.Dispose();
}
