using System.Globalization;
using System.Runtime.InteropServices;
using A3.IO;
using A3.Runtime.Model;
using A3.Runtime.Native;
using TorchSharp;

namespace A3.Runtime.IO;

/// <summary>
/// Reads a llama2.c legacy (version 0) checkpoint: a header of 7 little-endian int32
/// (<c>dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len</c>) followed by fp32
/// weights, and converts it to Hugging Face <c>LlamaForCausalLM</c> tensor names and RoPE layout.
/// </summary>
/// <remarks>
/// llama2.c rotates interleaved pairs <c>(2i, 2i+1)</c> of each head, Hugging Face rotates
/// <c>(i, i + head_dim/2)</c>; the rows of <c>wq</c>/<c>wk</c> are permuted so that both give the
/// same attention scores (the permutation Hugging Face's Meta-weight converter applies).
/// A negative <c>vocab_size</c> marks an unshared classifier stored after the legacy RoPE tables.
/// </remarks>
internal static class Llama2cCheckpoint
{
    private const int HeaderInts = 7;
    private const int HeaderBytes = Llama2cHeader.Bytes;

    // "ak42" little-endian: the magic of llama2.c's versioned exports, which this reader does not handle.
    private const int VersionedExportMagic = 0x616b3432;

    /// <summary>Reads and converts a llama2.c <c>.bin</c> checkpoint.</summary>
    /// <param name="binPath">The checkpoint path.</param>
    /// <returns>The configuration and the weights (CPU float32, Hugging Face names); dispose it to free them.</returns>
    /// <exception cref="A3InputException">
    /// The file is missing (<see cref="A3ErrorCodes.FileNotFound"/>), or its header is invalid or its
    /// size disagrees with the header (<see cref="A3ErrorCodes.InvalidLlama2cCheckpoint"/>).
    /// </exception>
    public static Llama2cModel Read(string binPath)
    {
        ArgumentNullException.ThrowIfNull(binPath);
        InputFiles.Require(binPath, "the llama2.c checkpoint does not exist.");

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("reading llama2.c checkpoints needs a little-endian machine.");
        }

        using var stream = new FileStream(binPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        var header = ReadHeader(stream, binPath);
        var expected = header.ExpectedFileBytes(binPath);
        if (stream.Length != expected)
        {
            throw Error(
                $"the file has {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes but its header ({header}) implies exactly {expected.ToString(CultureInfo.InvariantCulture)} bytes; it is truncated, extended or not a legacy llama2.c checkpoint.",
                binPath);
        }

        var config = CreateConfig(header);
        TorchNative.EnsureLoaded();
        var tensors = new List<KeyValuePair<string, torch.Tensor>>();
        try
        {
            ReadWeights(stream, header, tensors);
            return new Llama2cModel(config, new InMemoryWeightSource(tensors, binPath));
        }
        catch
        {
            foreach (var (_, tensor) in tensors)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    private static Llama2cHeader ReadHeader(FileStream stream, string path)
    {
        if (stream.Length < HeaderBytes)
        {
            throw Error($"the file has {stream.Length} bytes, fewer than the {HeaderBytes}-byte llama2.c header.", path);
        }

        Span<int> values = stackalloc int[HeaderInts];
        stream.ReadExactly(MemoryMarshal.AsBytes(values));
        if (values[0] == VersionedExportMagic)
        {
            throw Error("the file is a versioned llama2.c export (magic \"ak42\"); only the legacy version-0 format is supported.", path);
        }

        var header = new Llama2cHeader(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        foreach (var (name, value) in new[]
                 {
                     ("dim", header.Dim), ("hidden_dim", header.HiddenDim), ("n_layers", header.NumLayers),
                     ("n_heads", header.NumHeads), ("n_kv_heads", header.NumKvHeads), ("seq_len", header.SeqLen),
                 })
        {
            if (value <= 0)
            {
                throw Error($"header field {name} must be positive, but is {value} ({header}).", path);
            }
        }

        if (header.VocabSize == 0 || header.VocabSize == int.MinValue)
        {
            throw Error($"header field vocab_size must be non-zero, but is {header.VocabSize} ({header}).", path);
        }

        if (header.NumHeads % header.NumKvHeads != 0)
        {
            throw Error($"header n_heads {header.NumHeads} is not a multiple of n_kv_heads {header.NumKvHeads}.", path);
        }

        if (header.Dim % header.NumHeads != 0 || header.HeadSize % 2 != 0)
        {
            throw Error($"header dim {header.Dim} must split into {header.NumHeads} heads of even size.", path);
        }

        return header;
    }

    private static ModelConfig CreateConfig(Llama2cHeader header) => new()
    {
        Architecture = "LlamaForCausalLM",
        ModelType = "llama",
        HiddenSize = header.Dim,
        IntermediateSize = header.HiddenDim,
        NumLayers = header.NumLayers,
        NumAttentionHeads = header.NumHeads,
        NumKeyValueHeads = header.NumKvHeads,
        VocabSize = Math.Abs(header.VocabSize),
        MaxPositionEmbeddings = header.SeqLen,
        RmsNormEps = 1e-5,
        RopeTheta = 10000.0,
        OriginalHeadDim = header.HeadSize,
        AttentionScale = 1.0 / Math.Sqrt(header.HeadSize),
        TieWordEmbeddings = header.VocabSize > 0,
        AttentionBias = false,
        HiddenAct = "silu",
        BosTokenId = 1,
        EosTokenId = 2,
        TorchDtype = TorchDtypeNames.Float32,
        Layers = ModelConfig.FullLayers(header.NumLayers, header.NumKvHeads, header.HeadSize, header.HiddenDim),
    };

    private static void ReadWeights(FileStream stream, Llama2cHeader header, List<KeyValuePair<string, torch.Tensor>> tensors)
    {
        int dim = header.Dim, hidden = header.HiddenDim, layers = header.NumLayers, vocab = Math.Abs(header.VocabSize);
        var kvDim = header.NumKvHeads * header.HeadSize;
        var names = Enumerable.Range(0, layers).Select(TensorNames.Layer).ToArray();
        var perLayer = new Dictionary<string, torch.Tensor>[layers];
        for (var i = 0; i < layers; i++)
        {
            perLayer[i] = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        }

        var embedding = ReadTensor(stream, vocab, dim);
        tensors.Add(new(TensorNames.Embeddings, embedding));

        // llama2.c stores each array for all layers at once; name picks the Hugging Face tensor it becomes in each layer.
        void ReadStacked(Func<LayerTensorNames, string> name, int rows, int columns, int permuteHeads = 0)
        {
            for (var i = 0; i < layers; i++)
            {
                var data = ReadFloats(stream, (long)rows * columns);
                if (permuteHeads > 0)
                {
                    data = InterleavedToRotateHalf(data, permuteHeads, header.HeadSize, columns);
                }

                var shape = columns == 1 ? new long[] { rows } : [rows, columns];
                perLayer[i][name(names[i])] = torch.tensor(data, shape, torch.float32);
            }
        }

        // The llama2.c arrays in file order: rms_att_weight, wq, wk, wv, wo, rms_ffn_weight, w1, w2, w3.
        ReadStacked(layer => layer.InputNorm, dim, 1);
        ReadStacked(layer => layer.Query.Weight, dim, dim, header.NumHeads);
        ReadStacked(layer => layer.Key.Weight, kvDim, dim, header.NumKvHeads);
        ReadStacked(layer => layer.Value.Weight, kvDim, dim);
        ReadStacked(layer => layer.Output.Weight, dim, dim);
        ReadStacked(layer => layer.PostAttentionNorm, dim, 1);
        ReadStacked(layer => layer.Gate.Weight, hidden, dim);
        ReadStacked(layer => layer.Down.Weight, dim, hidden);
        ReadStacked(layer => layer.Up.Weight, hidden, dim);

        for (var i = 0; i < layers; i++)
        {
            foreach (var name in LayerTensorOrder(names[i]))
            {
                tensors.Add(new(name, perLayer[i][name]));
            }
        }

        var norm = torch.tensor(ReadFloats(stream, dim), [dim], torch.float32);
        tensors.Add(new(TensorNames.FinalNorm, norm));

        // The legacy freq_cis_real/imag tables are recomputed from rope_theta by every runtime.
        stream.Seek(2L * header.SeqLen * (header.HeadSize / 2) * sizeof(float), SeekOrigin.Current);
        if (header.VocabSize < 0)
        {
            tensors.Add(new(TensorNames.LmHead, ReadTensor(stream, vocab, dim)));
        }
    }

    /// <summary>A layer's tensors in the order they are handed out: Hugging Face's module order, not llama2.c's file order.</summary>
    private static string[] LayerTensorOrder(LayerTensorNames layer) =>
    [
        layer.InputNorm,
        layer.Query.Weight,
        layer.Key.Weight,
        layer.Value.Weight,
        layer.Output.Weight,
        layer.PostAttentionNorm,
        layer.Gate.Weight,
        layer.Up.Weight,
        layer.Down.Weight,
    ];

    private static torch.Tensor ReadTensor(FileStream stream, int rows, int columns) =>
        torch.tensor(ReadFloats(stream, (long)rows * columns), [rows, columns], torch.float32);

    private static float[] ReadFloats(FileStream stream, long count)
    {
        var data = new float[checked((int)count)];
        stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return data;
    }

    /// <summary>
    /// Reorders the rows of a q/k projection from interleaved RoPE pairs to rotate_half halves:
    /// <c>w.reshape(heads, head_dim/2, 2, in).transpose(1, 2).reshape(out, in)</c>.
    /// </summary>
    internal static float[] InterleavedToRotateHalf(float[] weight, int heads, int headDim, int columns)
    {
        var result = new float[weight.Length];
        var half = headDim / 2;
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < half; i++)
            {
                for (var parity = 0; parity < 2; parity++)
                {
                    var from = ((h * headDim) + (2 * i) + parity) * columns;
                    var to = ((h * headDim) + (parity * half) + i) * columns;
                    Array.Copy(weight, from, result, to, columns);
                }
            }
        }

        return result;
    }

    private static A3InputException Error(string message, string path) => new(A3ErrorCodes.InvalidLlama2cCheckpoint, message, path);
}
