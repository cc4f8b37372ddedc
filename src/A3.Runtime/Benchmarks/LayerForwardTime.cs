using System.Diagnostics;
using A3.Runtime.Model;
using TorchSharp;

namespace A3.Runtime.Benchmarks;

/// <summary>
/// Times one decoder layer's forward pass over a calibration-sized batch of hidden states: the unit the compression's
/// per-layer phases are compared with, and the forward pass's throughput without the embedding and the LM head.
/// </summary>
internal static class LayerForwardTime
{
    /// <summary>Tokens of the untimed pass that first runs every kernel of the layer.</summary>
    private const int WarmupTokens = 8;

    /// <summary>Returns the seconds of layer 0's forward pass over <paramref name="windows"/> × <paramref name="sequenceLength"/> seeded hidden states.</summary>
    public static double Measure(ModelCheckpoint checkpoint, int windows, int sequenceLength, long seed, torch.Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var layer = DecoderLayer.Load(checkpoint.Config, 0, checkpoint.Weights, device, torch.ScalarType.Float32);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        var hidden = torch.randn([windows, sequenceLength, checkpoint.Config.HiddenSize], torch.ScalarType.Float32, generator: generator).to(device);
        GemmThroughput.Complete(layer.Forward(hidden.narrow(0, 0, 1).narrow(1, 0, Math.Min(WarmupTokens, sequenceLength)), 0, null));
        var clock = Stopwatch.StartNew();
        GemmThroughput.Complete(layer.Forward(hidden, 0, null));
        return clock.Elapsed.TotalSeconds;
    }
}
