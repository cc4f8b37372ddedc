using System.Text.Json;
using System.Text.Unicode;
using A3.IO;

namespace A3.Runtime.IO;

/// <summary>The shard index of a sharded checkpoint (<c>model.safetensors.index.json</c>).</summary>
internal sealed class SafetensorsIndex
{
    /// <summary>The file name of the shard index in a checkpoint folder.</summary>
    public const string FileName = "model.safetensors.index.json";

    private SafetensorsIndex(string filePath, IReadOnlyDictionary<string, string> weightMap)
    {
        FilePath = filePath;
        WeightMap = weightMap;
    }

    /// <summary>Gets the full path of the index file.</summary>
    public string FilePath { get; }

    /// <summary>Gets the shard file name (relative to the index's folder) of every tensor.</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>Reads an index; it checks the JSON only, not the shards it names.</summary>
    /// <param name="path">The index file.</param>
    /// <exception cref="A3InputException">The file does not exist or is malformed.</exception>
    public static SafetensorsIndex Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var fileName = Path.GetFileName(fullPath);
        InputFiles.Require(fullPath, $"{fileName}: the shard index does not exist");

        var bytes = File.ReadAllBytes(fullPath);
        if (!Utf8.IsValid(bytes))
        {
            throw Invalid(fullPath, $"{fileName}: the shard index is not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(fullPath, $"{fileName}: the shard index is a JSON {root.ValueKind}, expected an object");
            }

            JsonElement? weightMap = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "weight_map")
                {
                    if (weightMap is not null)
                    {
                        throw Invalid(fullPath, $"{fileName}: 'weight_map' appears more than once");
                    }

                    weightMap = property.Value;
                }
            }

            if (weightMap is not { ValueKind: JsonValueKind.Object } map)
            {
                throw Invalid(fullPath, $"{fileName}: 'weight_map' is missing or not an object of tensor name to shard file");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw Invalid(fullPath, $"{fileName}: tensor '{entry.Name}' maps to a JSON {entry.Value.ValueKind}, expected a shard file name");
                }

                var shard = entry.Value.GetString()!;

                // Shards must sit beside the index; a path would let an index read arbitrary files.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                {
                    throw Invalid(fullPath, $"{fileName}: tensor '{entry.Name}' maps to '{shard}', which is not a plain file name in the index's folder");
                }

                if (!result.TryAdd(entry.Name, shard))
                {
                    throw Invalid(fullPath, $"{fileName}: tensor '{entry.Name}' appears more than once in 'weight_map'");
                }
            }

            return new SafetensorsIndex(fullPath, result);
        }
        catch (JsonException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{fileName}: the shard index is not valid JSON: {ex.Message}", fullPath, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{fileName}: the shard index holds a string that is not valid text: {ex.Message}", fullPath, ex);
        }
    }

    private static A3InputException Invalid(string filePath, string message) =>
        new(A3ErrorCodes.InvalidSafetensors, message, filePath);
}
