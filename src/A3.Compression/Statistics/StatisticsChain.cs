using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using A3.Compression.Caching;
using A3.Compression.Calibration;
using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// The content address of the hidden states entering one layer during a compression run, from
/// which the key of that layer's <see cref="LayerStatistics"/> follows. The chain starts from
/// everything the statistics of layer 0 depend on (model, calibration windows, compute dtype,
/// device type, batch size, format and tool versions) and each layer extends it with what it did
/// to the hidden states: ran unchanged (non-sequential mode, greedy planning) or ran compressed
/// with a given plan (sequential mode). So a change to layer k's plan changes the keys of layers
/// k+1 onwards only, and every layer of a non-sequential run keeps its key whatever the ratios.
/// </summary>
internal sealed class StatisticsChain
{
    /// <summary>The statistics format; bump it whenever <see cref="LayerStatistics"/> or how it is collected changes.</summary>
    public const string Format = "a3-layer-statistics/1";

    private readonly string state;

    private StatisticsChain(string state) => this.state = state;

    /// <summary>Starts the chain at the embedded calibration windows.</summary>
    /// <param name="modelIdentity">A string that changes whenever any byte of the model changes (the CLI uses the SHA-256 of every model file).</param>
    /// <param name="calibration">The calibration windows; their token ids enter the key, not the file they came from.</param>
    /// <param name="options">The compute dtype, device type and batch size enter the key (they change the sums' rounding).</param>
    public static StatisticsChain Start(string modelIdentity, CalibrationSet calibration, CompressionSettings options)
    {
        var versions = ArtifactVersions.Current(options.Device.type == DeviceType.CUDA ? "cuda" : "cpu");
        var text = new StringBuilder(Format).Append('\n')
            .Append("model\t").Append(modelIdentity).Append('\n')
            .Append("calibration\t").Append(HashWindows(calibration)).Append('\n')
            .Append("compute\t").Append(options.ComputeType).Append('\n')
            .Append("device\t").Append(versions.Device).Append('\n')
            .Append("batch\t").Append(options.BatchSize).Append('\n')
            .Append("tool\t").Append(versions.Tool).Append('\n')
            .Append("torchsharp\t").Append(versions.TorchSharp).Append('\n')
            .Append("libtorch\t").Append(versions.LibTorch).Append('\n');
        return new StatisticsChain(Hash(text.ToString()));
    }

    /// <summary>Returns the key of the statistics of layer <paramref name="index"/>, whose input this link describes.</summary>
    public string KeyOf(int index) => Hash($"{state}\nstatistics\t{index}\n");

    /// <summary>
    /// Returns the key of a search's sensitivity table: everything the original model's statistics depend on (this
    /// link must be the chain's start), the selection windows' token ids, and <paramref name="description"/> (the
    /// sizes compared, the selector). The budget is not in it, so another budget reuses the table.
    /// </summary>
    public string SensitivityKey(CalibrationSet selection, string description) =>
        Hash($"{state}\nsensitivity\t{HashWindows(selection)}\t{description}\n");

    /// <summary>Returns the link after layer <paramref name="index"/> ran as in the original model.</summary>
    public StatisticsChain AfterOriginal(int index) => new(Hash($"{state}\noriginal\t{index}\n"));

    /// <summary>Returns the link after layer <paramref name="index"/> ran compressed as <paramref name="compression"/> describes.</summary>
    /// <param name="index">The layer.</param>
    /// <param name="compression">Everything the compressed layer depends on besides its statistics and the model: method, sizes, selector.</param>
    public StatisticsChain AfterCompressed(int index, string compression) => new(Hash($"{state}\ncompressed\t{index}\t{compression}\n"));

    private static string HashWindows(CalibrationSet calibration)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(number, calibration.Count);
        sha.AppendData(number);
        BinaryPrimitives.WriteInt32LittleEndian(number, calibration.SequenceLength);
        sha.AppendData(number);
        for (var window = 0; window < calibration.Count; window++)
        {
            foreach (var id in calibration[window])
            {
                BinaryPrimitives.WriteInt32LittleEndian(number, id);
                sha.AppendData(number);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
