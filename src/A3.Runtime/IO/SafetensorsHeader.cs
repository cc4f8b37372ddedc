using System.Text.Json;
using System.Text.Unicode;

namespace A3.Runtime.IO;

/// <summary>
/// The parsed and validated header of a safetensors file: its tensor entries and its
/// <c>__metadata__</c> strings.
/// </summary>
/// <remarks>
/// Validation is strict where a mistake would read the wrong bytes (ranges outside the data
/// area, overlapping ranges, sizes that disagree with shape and dtype, duplicate names) and
/// lenient where it cannot: gaps between tensors and bytes after the last tensor are tolerated,
/// as are unknown fields in an entry, because neither changes what any tensor reads.
/// </remarks>
internal sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted; larger ones are taken as corrupt rather than allocated.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafetensorsTensorEntry> byName;

    private SafetensorsHeader(long headerLength, List<SafetensorsTensorEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        Tensors = tensors;
        byName = tensors.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>Gets the length in bytes of the JSON header (the value of the leading 64-bit field).</summary>
    public long HeaderLength { get; }

    /// <summary>Gets the tensor entries, sorted by name (ordinal).</summary>
    public IReadOnlyList<SafetensorsTensorEntry> Tensors { get; }

    /// <summary>Gets the <c>__metadata__</c> strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Returns the entry with this name, or <see langword="null"/>.</summary>
    public SafetensorsTensorEntry? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Parses and validates a header.</summary>
    /// <param name="json">The header bytes (UTF-8 JSON, possibly padded with spaces).</param>
    /// <param name="dataLength">The length of the data area that follows the header.</param>
    /// <param name="filePath">The file, for error messages.</param>
    internal static SafetensorsHeader Parse(byte[] json, long dataLength, string filePath)
    {
        var fileName = Path.GetFileName(filePath);
        if (!Utf8.IsValid(json))
        {
            throw Error(filePath, $"{fileName}: the header is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{fileName}: the header is not valid JSON: {ex.Message}", filePath, ex);
        }

        using (document)
        {
            try
            {
                return FromRoot(document.RootElement, json.LongLength, dataLength, filePath, fileName);
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument accepts escaped lone surrogates but refuses to turn them into strings.
                throw new A3InputException(A3ErrorCodes.InvalidSafetensors, $"{fileName}: the header holds a string that is not valid text: {ex.Message}", filePath, ex);
            }
        }
    }

    private static SafetensorsHeader FromRoot(JsonElement root, long headerLength, long dataLength, string filePath, string fileName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(filePath, $"{fileName}: the header is a JSON {root.ValueKind}, expected an object");
        }

        var tensors = new List<SafetensorsTensorEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var metadataSeen = false;
        foreach (var property in root.EnumerateObject())
        {
            // JsonDocument keeps duplicate properties while lookups would silently pick one,
            // so duplicates are caught here, where every property is visited.
            if (property.Name == MetadataKey)
            {
                if (metadataSeen)
                {
                    throw Error(filePath, $"{fileName}: the header has more than one {MetadataKey}");
                }

                metadataSeen = true;
                ReadMetadata(property.Value, metadata, filePath, fileName);
                continue;
            }

            if (!seen.Add(property.Name))
            {
                throw Error(filePath, $"{fileName}: tensor '{property.Name}' appears more than once in the header");
            }

            tensors.Add(ReadEntry(property.Name, property.Value, dataLength, filePath, fileName));
        }

        CheckOverlaps(tensors, filePath, fileName);
        return new SafetensorsHeader(headerLength, tensors, metadata);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string filePath, string fileName)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(filePath, $"{fileName}: {MetadataKey} is a JSON {value.ValueKind}, expected an object of strings");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(filePath, $"{fileName}: {MetadataKey} key '{item.Name}' is a JSON {item.Value.ValueKind}, expected a string");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Error(filePath, $"{fileName}: {MetadataKey} key '{item.Name}' appears more than once");
            }
        }
    }

    private static SafetensorsTensorEntry ReadEntry(string name, JsonElement value, long dataLength, string filePath, string fileName)
    {
        var where = $"{fileName}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(filePath, $"{where}: the entry is a JSON {value.ValueKind}, expected an object");
        }

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype":
                    slot = ref dtypeElement;
                    break;
                case "shape":
                    slot = ref shapeElement;
                    break;
                case "data_offsets":
                    slot = ref offsetsElement;
                    break;
                default:
                    continue;
            }

            if (slot is not null)
            {
                throw Error(filePath, $"{where}: field '{field.Name}' appears more than once");
            }

            slot = field.Value;
        }

        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtypeValue)
        {
            throw Error(filePath, $"{where}: 'dtype' is {Describe(dtypeElement)}, expected a string");
        }

        var dtype = dtypeValue.GetString()!;
        var bits = SafetensorsDTypes.BitsPerElement(dtype)
            ?? throw Error(filePath, $"{where}: dtype '{dtype}' is not a safetensors dtype");

        var shape = ReadIntegers(shapeElement, "shape", where, filePath);
        var offsets = ReadIntegers(offsetsElement, "data_offsets", where, filePath);
        if (offsets.Length != 2)
        {
            throw Error(filePath, $"{where}: 'data_offsets' has {offsets.Length} values, expected [begin, end]");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin)
        {
            throw Error(filePath, $"{where}: data_offsets end {end} is before begin {begin}");
        }

        if (end > dataLength)
        {
            throw Error(filePath, $"{where}: data_offsets [{begin}, {end}] lie outside the data area of {dataLength} bytes");
        }

        long expectedBytes;
        try
        {
            var elements = shape.Aggregate(1L, (product, dim) => checked(product * dim));
            var totalBits = checked(elements * bits);
            if (totalBits % 8 != 0)
            {
                throw Error(filePath, $"{where}: {elements} elements of {dtype} do not fill a whole number of bytes");
            }

            expectedBytes = totalBits / 8;
        }
        catch (OverflowException)
        {
            throw Error(filePath, $"{where}: shape [{string.Join(", ", shape)}] has too many elements");
        }

        if (end - begin != expectedBytes)
        {
            throw Error(filePath, $"{where}: data_offsets [{begin}, {end}] hold {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {expectedBytes}");
        }

        return new SafetensorsTensorEntry(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement? element, string field, string where, string filePath)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Error(filePath, $"{where}: '{field}' is {Describe(element)}, expected an array of non-negative integers");
        }

        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value))
            {
                throw Error(filePath, $"{where}: '{field}' item {i} is {Describe(item)}, expected an integer that fits in 64 bits");
            }

            if (value < 0)
            {
                throw Error(filePath, $"{where}: '{field}' item {i} is negative ({value})");
            }

            values[i++] = value;
        }

        return values;
    }

    private static void CheckOverlaps(List<SafetensorsTensorEntry> tensors, string filePath, string fileName)
    {
        // Empty tensors own no bytes, so they cannot overlap anything.
        var ordered = tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (previous, current) = (ordered[i - 1], ordered[i]);
            if (current.Begin < previous.End)
            {
                throw Error(filePath,
                    $"{fileName}: tensor '{current.Name}' data [{current.Begin}, {current.End}] overlaps tensor '{previous.Name}' data [{previous.Begin}, {previous.End}]");
            }
        }
    }

    private static string Describe(JsonElement? element) => element switch
    {
        null => "missing",
        { ValueKind: JsonValueKind.Number } number => $"the number {number.GetRawText()}",
        { } present => $"a JSON {present.ValueKind}",
    };

    private static A3InputException Error(string filePath, string message) =>
        new(A3ErrorCodes.InvalidSafetensors, message, filePath);
}
