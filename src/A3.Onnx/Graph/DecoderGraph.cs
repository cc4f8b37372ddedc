using System.Diagnostics;
using A3.Recipes;
using A3.Runtime.Model;
using A3.Runtime.Progress;
using Onnx;

namespace A3.Onnx.Graph;

/// <summary>
/// Builds the whole decoder graph (FORMAT.md section 9) layer by layer, streaming each layer's weights into the
/// initializers as its nodes are added. Activations between layers are flattened to <c>[N, d]</c> with
/// <c>N = batch_size · sequence_length</c>, so every projection is one Gemm on the checkpoint's weight.
/// </summary>
internal static class DecoderGraph
{
    /// <summary>The progress stage name.</summary>
    public const string Stage = "export onnx";

    /// <summary>Adds the inputs, outputs, nodes and initializers of <paramref name="config"/>'s decoder to <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph to fill.</param>
    /// <param name="config">The validated configuration.</param>
    /// <param name="inverseFrequencies">The runtime's RoPE inverse frequencies of the original head (<c>RopeFrequencies.ComputeInverseFrequencies</c>).</param>
    /// <param name="weights">Where the weights come from.</param>
    /// <param name="progress">Told after the embedding, each layer and the head.</param>
    /// <param name="cancellationToken">Checked between layers.</param>
    /// <exception cref="A3InputException">A tensor is missing or misshapen.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between layers).</exception>
    public static void Build(
        GraphProto graph,
        ModelConfig config,
        double[] inverseFrequencies,
        StreamedWeights weights,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var steps = config.NumLayers + 2;
        GraphSignature.Declare(graph, config);
        var g = new GraphBuilder(graph);
        var shared = SharedValues.Build(g);

        g.Scope = "model/embed_tokens";
        var embedding = weights.Add(TensorNames.Embeddings);
        var hidden = g.Add("Gather", [embedding, OnnxGraphNames.InputIds], GraphBuilder.Attribute("axis", 0L));
        hidden = g.Add("Reshape", [hidden, g.Int64s(-1, config.HiddenSize)]);
        progress?.Report(new ProgressUpdate(Stage, 1, steps, clock.Elapsed));

        for (var i = 0; i < config.NumLayers; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var names = TensorNames.Layer(i);
            g.Scope = $"model/layers.{i}/self_attn";
            var normed = RmsNormGraph.Apply(g, hidden, weights.Add(names.InputNorm), config.RmsNormEps);
            hidden = g.Add("Add", [hidden, AttentionGraph.Apply(g, weights, shared, normed, config, i, inverseFrequencies)]);
            g.Scope = $"model/layers.{i}/mlp";
            normed = RmsNormGraph.Apply(g, hidden, weights.Add(names.PostAttentionNorm), config.RmsNormEps);
            hidden = g.Add("Add", [hidden, MlpGraph.Apply(g, weights, normed, names, config.Layers[i])]);
            progress?.Report(new ProgressUpdate(Stage, i + 2, steps, clock.Elapsed));
        }

        cancellationToken.ThrowIfCancellationRequested();
        g.Scope = "model/norm";
        hidden = RmsNormGraph.Apply(g, hidden, weights.Add(TensorNames.FinalNorm), config.RmsNormEps);
        g.Scope = "lm_head";

        // Tied: the very initializer the Gather reads, so the weights are stored once.
        var head = config.TieWordEmbeddings ? embedding : weights.Add(TensorNames.LmHead);
        var logits = LinearGraph.Gemm(g, hidden, head, bias: null);
        var logitsShape = g.Add("Concat", [shared.BatchAndSequence, g.Int64s(config.VocabSize)], GraphBuilder.Attribute("axis", 0L));
        g.AddNamed("Reshape", [logits, logitsShape], OnnxGraphNames.Logits);
        progress?.Report(new ProgressUpdate(Stage, steps, steps, clock.Elapsed));
    }
}
