using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using A3.Runtime;
using A3.Runtime.IO;
using TorchSharp;

namespace A3.Compression.Statistics;

/// <summary>
/// A folder of <see cref="LayerStatistics"/>, one float64 safetensors file per layer and
/// calibration history (see <see cref="StatisticsChain"/>), so a run that changes only ratios, or
/// one resumed after an interruption, skips the statistics passes it has already paid for.
/// </summary>
/// <remarks>
/// Entries are written to a temporary file and renamed into place, so a killed run leaves only
/// complete entries. Each entry records the SHA-256 of its tensor data; an entry that fails the
/// check is reported, deleted and recomputed, never used. The folder may be shared by many models
/// and by concurrent runs: keys include <see cref="ModelIdentity"/>, and two runs storing one key
/// store the same bytes.
/// </remarks>
public sealed class LayerStatisticsCache
{
    /// <summary>The environment variable that moves the default cache folder.</summary>
    public const string Variable = "A3_STATS_CACHE";

    private const string Extension = ".safetensors";

    /// <summary>The format of a table entry (a search's sensitivities); bump it when the table's layout changes.</summary>
    private const string TableFormat = "a3-sensitivity-table/1";

    private const string TableTensor = "values";

    private static readonly string[] TensorNames = ["attention_input", "attention_output", "intermediate", "key", "mlp_input", "query"];

    private readonly Action<string> log;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="root">The cache folder; created on the first store.</param>
    /// <param name="modelIdentity">A string that changes whenever any byte of the model changes, for example the SHA-256 of every model file.</param>
    /// <param name="log">Receives one line per notable event (a corrupt entry, a failed store); <see langword="null"/> to discard.</param>
    public LayerStatisticsCache(string root, string modelIdentity, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(modelIdentity);
        Root = Path.GetFullPath(root);
        ModelIdentity = modelIdentity;
        this.log = log ?? (_ => { });
    }

    /// <summary>Gets the default cache folder: <c>$A3_STATS_CACHE</c>, else <c>statistics</c> under the A3 cache folder.</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } variable && !string.IsNullOrWhiteSpace(variable)
            ? Path.GetFullPath(variable)
            : Path.Combine(A3.Runtime.Native.A3CacheDirectory.Root, "statistics");

    /// <summary>Gets the cache folder.</summary>
    public string Root { get; }

    /// <summary>Gets the identity of the model whose statistics this instance reads and writes.</summary>
    public string ModelIdentity { get; }

    /// <summary>Gets the file of the entry with key <paramref name="key"/>.</summary>
    public string EntryPath(string key) => Path.Combine(Root, key + Extension);

    /// <summary>Returns the statistics stored under <paramref name="key"/> on <paramref name="device"/>, or <see langword="null"/> when there is no sound entry.</summary>
    internal LayerStatistics? TryLoad(string key, torch.Device device)
    {
        var path = EntryPath(key);
        if (!File.Exists(path))
        {
            return null;
        }

        string? problem;
        try
        {
            using var file = SafetensorsFile.Open(path);
            problem = Check(file, key);
            if (problem is null && Load(file, device, out problem) is { } statistics)
            {
                return statistics;
            }
        }
        catch (A3InputException exception)
        {
            problem = exception.Message;
        }
        catch (IOException exception)
        {
            log($"statistics entry {key} could not be read ({exception.Message}); recomputing");
            return null;
        }

        log($"statistics entry {key} is corrupt ({problem}); recomputing");
        DeleteQuietly(path);
        return null;
    }

    /// <summary>Stores <paramref name="statistics"/> under <paramref name="key"/>; a failure is logged, not thrown, since the cache only saves time.</summary>
    internal void Store(string key, LayerStatistics statistics)
    {
        var tensors = Tensors(statistics);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = StatisticsChain.Format,
            ["key"] = key,
            ["tokens"] = statistics.Tokens.ToString(CultureInfo.InvariantCulture),
            ["sha256"] = HashData(tensors),
        };
        try
        {
            Directory.CreateDirectory(Root);
            SafetensorsWriter.Write(EntryPath(key), tensors, metadata);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log($"statistics entry {key} could not be stored ({exception.Message}); continuing without it");
        }
    }

    /// <summary>Returns the table of values stored under <paramref name="key"/>, or <see langword="null"/> when there is no sound entry (a corrupt one is reported and deleted).</summary>
    internal double[]? TryLoadTable(string key)
    {
        var path = EntryPath(key);
        if (!File.Exists(path))
        {
            return null;
        }

        string problem;
        try
        {
            using var file = SafetensorsFile.Open(path);
            var metadata = file.Header.Metadata;
            if (metadata.GetValueOrDefault("format") != TableFormat || metadata.GetValueOrDefault("key") != key || !file.Contains(TableTensor) || file.GetEntry(TableTensor).DType != "F64")
            {
                problem = "not a table of this key";
            }
            else
            {
                using var values = file.Load(TableTensor, torch.float64, torch.CPU);
                var table = values.data<double>().ToArray();
                if (Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(table.AsSpan()))) == metadata.GetValueOrDefault("sha256"))
                {
                    return table;
                }

                problem = "data hash mismatch";
            }
        }
        catch (Exception exception) when (exception is A3InputException or IOException)
        {
            problem = exception.Message;
        }

        log($"table entry {key} is corrupt ({problem}); recomputing");
        DeleteQuietly(path);
        return null;
    }

    /// <summary>Stores <paramref name="table"/> under <paramref name="key"/>; a failure is logged, not thrown, since the cache only saves time.</summary>
    internal void StoreTable(string key, double[] table)
    {
        using var values = torch.tensor(table, torch.float64);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = TableFormat,
            ["key"] = key,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(table.AsSpan()))),
        };
        try
        {
            Directory.CreateDirectory(Root);
            SafetensorsWriter.Write(EntryPath(key), new Dictionary<string, torch.Tensor>(StringComparer.Ordinal) { [TableTensor] = values }, metadata);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log($"table entry {key} could not be stored ({exception.Message}); continuing without it");
        }
    }

    private static Dictionary<string, torch.Tensor> Tensors(LayerStatistics statistics) => new(StringComparer.Ordinal)
    {
        ["attention_input"] = statistics.AttentionInput,
        ["attention_output"] = statistics.AttentionOutput,
        ["intermediate"] = statistics.Intermediate,
        ["key"] = statistics.Key,
        ["mlp_input"] = statistics.MlpInput,
        ["query"] = statistics.Query,
    };

    private static string? Check(SafetensorsFile file, string key)
    {
        var metadata = file.Header.Metadata;
        if (metadata.GetValueOrDefault("format") != StatisticsChain.Format)
        {
            return $"format '{metadata.GetValueOrDefault("format")}', expected '{StatisticsChain.Format}'";
        }

        if (metadata.GetValueOrDefault("key") != key)
        {
            return "the entry names another key";
        }

        if (!long.TryParse(metadata.GetValueOrDefault("tokens"), NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) || tokens <= 0)
        {
            return "no token count";
        }

        var missing = TensorNames.FirstOrDefault(name => !file.Contains(name) || file.GetEntry(name).DType != "F64");
        return missing is null ? null : $"tensor '{missing}' is missing or not F64";
    }

    private static LayerStatistics? Load(SafetensorsFile file, torch.Device device, out string? problem)
    {
        var loaded = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var name in TensorNames)
            {
                loaded[name] = file.Load(name, torch.float64, torch.CPU).DetachFromDisposeScope();
            }

            if (HashData(loaded) != file.Header.Metadata["sha256"])
            {
                problem = "data hash mismatch";
                return null;
            }

            problem = null;
            var tokens = long.Parse(file.Header.Metadata["tokens"], CultureInfo.InvariantCulture);
            torch.Tensor On(string name) => device.type == DeviceType.CPU ? loaded[name] : loaded[name].to(device).DetachFromDisposeScope();
            var statistics = new LayerStatistics(tokens, On("attention_input"), On("query"), On("key"), On("attention_output"), On("mlp_input"), On("intermediate"));
            if (device.type == DeviceType.CPU)
            {
                loaded.Clear();
            }

            return statistics;
        }
        finally
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Returns the SHA-256 of the tensors' float64 bytes in name order, a chunk at a time so no span exceeds 2 GB.</summary>
    private static string HashData(IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        const long ChunkElements = 1L << 25;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in TensorNames)
        {
            using var scope = torch.NewDisposeScope();
            var flat = tensors[name].detach().to(torch.float64).cpu().contiguous().reshape(-1);
            var count = flat.numel();
            for (long start = 0; start < count; start += ChunkElements)
            {
                using var part = flat.narrow(0, start, Math.Min(ChunkElements, count - start));
                sha.AppendData(part.bytes);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The entry is rewritten by the store that follows the recomputation.
        }
    }
}
