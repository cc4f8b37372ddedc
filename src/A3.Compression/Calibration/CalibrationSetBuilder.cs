using System.Buffers.Binary;
using A3.Evaluation;
using A3.IO;
using A3.Recipes;
using A3.Runtime;
using A3.Runtime.Evaluation;
using A3.Runtime.IO;
using A3.Tokenizers;

namespace A3.Compression.Calibration;

/// <summary>Draws the calibration windows of <see cref="CalibrationOptions"/> from a file.</summary>
public static class CalibrationSetBuilder
{
    /// <summary>
    /// Reads <paramref name="path"/>, forms the source token stream of the selected documents or blocks,
    /// and draws <see cref="CalibrationOptions.Samples"/> windows of <see cref="CalibrationOptions.SequenceLength"/>
    /// tokens from it: start <c>s</c> uniform in <c>[0, stream length − L]</c> from SplitMix64 seeded with
    /// <see cref="CalibrationOptions.Seed"/>, in draw order. Windows may overlap and, for documents, span
    /// consecutive selected documents (each begins with BOS when the model has one), never tokens outside the selection.
    /// </summary>
    /// <param name="path">The calibration file.</param>
    /// <param name="tokenizer">The model's tokenizer: encodes text formats and bounds the ids of token files.</param>
    /// <param name="options">What to draw.</param>
    /// <exception cref="A3InputException">An option is out of range, or the file is missing or malformed (the message names the file).</exception>
    /// <exception cref="InvalidSettingException">An option is out of range, or the selection holds fewer tokens than one window (<see cref="A3ErrorCodes.InvalidData"/>); names the option to change.</exception>
    public static CalibrationSet Build(string path, ITokenizer tokenizer, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        InputFiles.Require(path, "the calibration file does not exist");

        var (stream, units) = options.Format switch
        {
            RecipeCalibrationFormat.Documents => DocumentStream(path, tokenizer, options),
            RecipeCalibrationFormat.Text => Blocks(tokenizer.Encode(File.ReadAllText(path).ReplaceLineEndings("\n")), path, options),
            RecipeCalibrationFormat.Tokens => TokenFileStream(path, tokenizer, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };

        var length = options.SequenceLength;
        var random = new SplitMix64(unchecked((ulong)options.Seed));
        var starts = (ulong)(stream.Length - length + 1);
        var windows = new int[options.Samples][];
        var drawn = new int[options.Samples];
        for (var i = 0; i < windows.Length; i++)
        {
            drawn[i] = (int)random.NextBelow(starts);
            windows[i] = stream.AsSpan(drawn[i], length).ToArray();
        }

        var unitName = options.Format == RecipeCalibrationFormat.Documents ? "documents" : "blocks";
        return new CalibrationSet(windows)
        {
            Source = new CalibrationSource(units, unitName, stream.Length),
            Selection = options.SelectionSamples > 0 ? DrawSelection(stream, drawn, options, random, path) : null,
        };
    }

    /// <summary>
    /// Draws <see cref="CalibrationOptions.SelectionSamples"/> windows that share no token with the calibration
    /// windows: aligned blocks of the stream outside every drawn window, picked by the same generator, continued
    /// (so the calibration windows are those of a draw without selection), in block order.
    /// </summary>
    private static CalibrationSet DrawSelection(int[] stream, int[] drawn, CalibrationOptions options, SplitMix64 random, string path)
    {
        var length = options.SequenceLength;
        var covered = new bool[stream.Length];
        foreach (var start in drawn)
        {
            Array.Fill(covered, true, start, length);
        }

        var free = Enumerable.Range(0, stream.Length / length).Where(block => !covered.AsSpan(block * length, length).Contains(true)).ToList();
        if (free.Count < options.SelectionSamples)
        {
            throw new InvalidSettingException(
                RecipeKeys.CalibrationSelectionSamples,
                $"({options.SelectionSamples}) is more than the {free.Count} windows of {length} tokens the calibration data holds apart from the {drawn.Length} calibration windows; lower it or select more data",
                A3ErrorCodes.InvalidData,
                path);
        }

        // A partial Fisher–Yates shuffle: a uniform choice without replacement, the same on every machine.
        for (var i = 0; i < options.SelectionSamples; i++)
        {
            var j = i + (int)random.NextBelow((ulong)(free.Count - i));
            (free[i], free[j]) = (free[j], free[i]);
        }

        var chosen = free.Take(options.SelectionSamples).Order().ToList();
        return new CalibrationSet(chosen.Select(block => stream.AsSpan(block * length, length).ToArray()));
    }

    private static void CheckOptions(CalibrationOptions options)
    {
        static void Require(bool condition, string setting, string problem)
        {
            if (!condition)
            {
                throw new InvalidSettingException(setting, problem);
            }
        }

        Require(options.Samples > 0, RecipeKeys.CalibrationSamples, $"must be 1 or more, got {options.Samples}");
        Require(options.SequenceLength > 0, RecipeKeys.CalibrationSequenceLength, $"must be 1 or more, got {options.SequenceLength}");
        Require(options.Skip >= 0, RecipeKeys.CalibrationSkip, $"must be 0 or more, got {options.Skip}");
        Require(options.Take is null or > 0, RecipeKeys.CalibrationTake, $"must be 1 or more, got {options.Take}");
        Require(options.TokenWidth is 2 or 4, RecipeKeys.CalibrationTokenWidth, $"must be 2 or 4 bytes, got {options.TokenWidth}");
        Require(!string.IsNullOrEmpty(options.Separator), RecipeKeys.CalibrationSeparator, "must not be empty");
        Require(options.SelectionSamples >= 0, RecipeKeys.CalibrationSelectionSamples, $"must be 0 or more, got {options.SelectionSamples}");
    }

    private static (int[] Stream, int Units) DocumentStream(string path, ITokenizer tokenizer, CalibrationOptions options)
    {
        // A model whose tokenizer declares no BOS (Qwen) gets its documents as Hugging Face encodes them: without one.
        var bos = tokenizer.BosId;
        var documents = DocumentSplitter.Split(File.ReadAllText(path), options.Separator);
        if (options.Skip >= documents.Count)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationSkip, $"skips every document ({options.Skip}): the file has {documents.Count} documents separated by \"{options.Separator}\"", A3ErrorCodes.InvalidData, path);
        }

        var selected = documents.Skip(options.Skip).Take(options.Take ?? int.MaxValue).ToArray();
        var stream = new List<int>();
        foreach (var document in selected)
        {
            if (bos is int first)
            {
                stream.Add(first);
            }

            stream.AddRange(tokenizer.Encode(document));
        }

        if (stream.Count < options.SequenceLength)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationSequenceLength, $"({options.SequenceLength}) is more than the {stream.Count} tokens (with BOS) of the {selected.Length} selected documents; lower it or select more documents", A3ErrorCodes.InvalidData, path);
        }

        return ([.. stream], selected.Length);
    }

    private static (int[] Stream, int Units) Blocks(IReadOnlyList<int> tokens, string path, CalibrationOptions options)
    {
        var (first, count) = BlockRange(tokens.Count, path, options);
        var stream = new int[count];
        for (var i = 0; i < count; i++)
        {
            stream[i] = tokens[(int)first + i];
        }

        return (stream, count / options.SequenceLength);
    }

    /// <summary>Returns the first token and the token count of the selected blocks of a stream of <paramref name="total"/> tokens.</summary>
    private static (long First, int Count) BlockRange(long total, string path, CalibrationOptions options)
    {
        long length = options.SequenceLength;
        var blocks = total / length;
        if (blocks == 0)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationSequenceLength, $"({length}) is more than the file's {total} tokens", A3ErrorCodes.InvalidData, path);
        }

        if (options.Skip >= blocks)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationSkip, $"skips every block ({options.Skip}): the file's {total} tokens make {blocks} blocks of {length}", A3ErrorCodes.InvalidData, path);
        }

        var selected = Math.Min(blocks - options.Skip, options.Take ?? long.MaxValue);
        if (selected * length > Array.MaxLength)
        {
            throw new InvalidSettingException(RecipeKeys.CalibrationTake, $"selects {selected} blocks of {length} tokens, too many to hold; take fewer", A3ErrorCodes.InvalidData, path);
        }

        return (options.Skip * length, (int)(selected * length));
    }

    private static (int[] Stream, int Units) TokenFileStream(string path, ITokenizer tokenizer, CalibrationOptions options)
    {
        var width = options.TokenWidth;
        using var file = File.OpenRead(path);
        if (file.Length % width != 0)
        {
            throw new A3InputException(
                A3ErrorCodes.InvalidData,
                $"the token file has {file.Length} bytes, not a multiple of the token width {width}",
                path);
        }

        // Only the selected blocks are read, so a large pre-tokenised corpus need not fit in memory.
        var (first, count) = BlockRange(file.Length / width, path, options);
        var bytes = new byte[(long)count * width];
        file.Seek(first * width, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        var stream = new int[count];
        for (var i = 0; i < count; i++)
        {
            var id = width == 2
                ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2, 2))
                : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4, 4));
            if (id >= (uint)tokenizer.VocabSize)
            {
                throw new A3InputException(
                    A3ErrorCodes.InvalidData,
                    $"token {first + i} has id {id}, outside the vocabulary of {tokenizer.VocabSize}",
                    path);
            }

            stream[i] = (int)id;
        }

        return (stream, count / options.SequenceLength);
    }
}
