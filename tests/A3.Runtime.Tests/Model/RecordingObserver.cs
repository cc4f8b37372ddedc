using A3.Runtime.Model;
using TorchSharp;

namespace A3.Runtime.Tests.Model;

/// <summary>Keeps a float64 copy of every activation the layer shows, concatenated over forwards.</summary>
internal sealed class RecordingObserver : ILayerObserver, IDisposable
{
    private readonly List<torch.Tensor> attentionInputs = [];
    private readonly List<torch.Tensor> queries = [];
    private readonly List<torch.Tensor> keys = [];
    private readonly List<torch.Tensor> attentionOutputs = [];
    private readonly List<torch.Tensor> mlpInputs = [];
    private readonly List<torch.Tensor> intermediates = [];

    public torch.Tensor AttentionInput => torch.cat(attentionInputs, 0);

    public torch.Tensor Query => torch.cat(queries, 0);

    public torch.Tensor Key => torch.cat(keys, 0);

    public torch.Tensor AttentionOutput => torch.cat(attentionOutputs, 0);

    public torch.Tensor MlpInput => torch.cat(mlpInputs, 0);

    public torch.Tensor Intermediate => torch.cat(intermediates, 0);

    public void OnAttentionInput(torch.Tensor input) => attentionInputs.Add(Keep(input));

    public void OnQueryKey(torch.Tensor query, torch.Tensor key)
    {
        queries.Add(Keep(query));
        keys.Add(Keep(key));
    }

    public void OnAttentionOutput(torch.Tensor context) => attentionOutputs.Add(Keep(context));

    public void OnMlpInput(torch.Tensor input) => mlpInputs.Add(Keep(input));

    public void OnIntermediate(torch.Tensor intermediate) => intermediates.Add(Keep(intermediate));

    public void Dispose()
    {
        foreach (var tensor in attentionInputs.Concat(queries).Concat(keys).Concat(attentionOutputs).Concat(mlpInputs).Concat(intermediates))
        {
            tensor.Dispose();
        }
    }

    private static torch.Tensor Keep(torch.Tensor tensor) => tensor.to(torch.float64, copy: true).DetachFromDisposeScope();
}
