using System.CommandLine;
using A3.Cli.Output;
using A3.Runtime;
using A3.Runtime.Inspection;
using A3.Runtime.Model;

namespace A3.Cli.Commands;

/// <summary><c>a3 inspect</c>: parameters, per-layer dims, KV cache and FLOPs of a model, from its configuration.</summary>
internal static class InspectCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var context = new Option<int?>("--context") { Description = "Context length at which FLOPs per token are counted; default: the model context." };
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Report parameters, per-layer dims, KV-cache bytes and FLOPs per token.") { model, context, json };
        command.SetAction(parseResult =>
        {
            using var checkpoint = ModelCheckpoint.Open(parseResult.GetValue(model)!);

            // What is reported is computed from config.json, so it is reported only for weights that match it (headers only).
            checkpoint.VerifyTensors();
            var config = checkpoint.Config;
            int at = parseResult.GetValue(context) ?? config.MaxPositionEmbeddings;
            if (at < 1)
            {
                throw new A3InputException(CliErrorCodes.InvalidOption, $"--context must be 1 or more, got {at}");
            }

            var footprint = ModelFootprint.Compute(config, ModelFootprint.BytesPerElementOf(config.TorchDtype), at);
            if (parseResult.GetValue(json))
            {
                console.Json(
                    new InspectOutput(
                        config.Architecture,
                        config.IsCompressed,
                        config.TorchDtype,
                        new InspectParameters(footprint.TotalParameters, footprint.EmbeddingParameters, footprint.DecoderLinearParameters, footprint.NormParameters),
                        footprint.KvCacheBytesPerToken,
                        footprint.FlopsPerToken,
                        at,
                        footprint.Layers.Select(layer => new InspectLayer(
                            layer.Index, layer.QkHeadDim, layer.VHeadDim, layer.IntermediateSize, layer.AttentionParameters, layer.MlpParameters, layer.KvCacheBytesPerToken, layer.FlopsPerToken)).ToList()),
                    CliJsonContext.Default.InspectOutput);
            }
            else
            {
                console.Line($"{config.Architecture} ({config.ModelType}), {config.NumLayers} layers, d={config.HiddenSize}, heads {config.NumAttentionHeads}/{config.NumKeyValueHeads} KV, vocab {config.VocabSize}, {config.TorchDtype}{(config.IsCompressed ? ", A3-compressed" : string.Empty)}");
                console.Line($"parameters: {footprint.TotalParameters:N0} total, {footprint.EmbeddingParameters:N0} embeddings, {footprint.DecoderLinearParameters:N0} decoder linear");
                console.Line($"KV cache: {footprint.KvCacheBytesPerToken:N0} bytes/token; FLOPs/token at context {at}: {footprint.FlopsPerToken:N0}");
                console.Line("layer  qk  v   intermediate  attention  mlp");
                foreach (var layer in footprint.Layers)
                {
                    console.Line($"{layer.Index,5}  {layer.QkHeadDim,-3} {layer.VHeadDim,-3} {layer.IntermediateSize,-13} {layer.AttentionParameters,-10} {layer.MlpParameters}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
