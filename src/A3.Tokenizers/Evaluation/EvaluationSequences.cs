using A3.IO;
using A3.Recipes;
using A3.Tokenizers;

namespace A3.Evaluation;

/// <summary>
/// Builds the token sequences an evaluation protocol scores: the one definition of each protocol, which A3.Runtime
/// and A3.OnnxRuntime both score, so a perplexity means the same in either.
/// </summary>
internal static class EvaluationSequences
{
    /// <summary>Reads the text file at <paramref name="dataPath"/> and builds the sequences of <paramref name="options"/>' protocol from it.</summary>
    /// <exception cref="A3InputException">The file is missing, or the options do not fit the text or the model.</exception>
    public static IReadOnlyList<ScoringSequence> Read(string dataPath, ITokenizer tokenizer, int maxSequenceLength, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InputFiles.Require(dataPath, "no such data file");
        return Build(File.ReadAllText(dataPath), tokenizer, maxSequenceLength, options, dataPath);
    }

    /// <summary>Builds the sequences of <paramref name="options"/>'s protocol from <paramref name="text"/>.</summary>
    /// <exception cref="A3InputException">The options do not fit the text or the model.</exception>
    public static IReadOnlyList<ScoringSequence> Build(string text, ITokenizer tokenizer, int maxSequenceLength, EvaluationOptions options, string dataPath)
    {
        return options.Protocol switch
        {
            EvaluationProtocol.Documents => Documents(text, tokenizer, maxSequenceLength, options, dataPath),
            EvaluationProtocol.Windows => Windows(text, tokenizer, maxSequenceLength, options, dataPath),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
    }

    private static List<ScoringSequence> Documents(string text, ITokenizer tokenizer, int maxSequenceLength, EvaluationOptions options, string dataPath)
    {
        // A model whose tokenizer declares no BOS (Qwen) scores each document as Hugging Face encodes it: without one.
        var bos = tokenizer.BosId;
        var documents = DocumentSplitter.Split(text, options.Separator);
        if (options.SkipDocuments >= documents.Count)
        {
            throw new InvalidSettingException(
                RecipeKeys.EvaluationSkipDocs,
                $"skips every document ({options.SkipDocuments}): the file has {documents.Count} documents separated by \"{options.Separator}\"",
                A3ErrorCodes.InvalidData,
                dataPath);
        }

        var selected = documents.Skip(options.SkipDocuments).Take(options.MaxDocuments ?? int.MaxValue);
        var sequences = new List<ScoringSequence>();
        foreach (var document in selected)
        {
            var ids = new List<int>(capacity: 1 + document.Length);
            if (bos is int first)
            {
                ids.Add(first);
            }

            ids.AddRange(tokenizer.Encode(document));
            if (ids.Count > maxSequenceLength)
            {
                ids.RemoveRange(maxSequenceLength, ids.Count - maxSequenceLength);
            }

            if (ids.Count >= 2)
            {
                sequences.Add(new ScoringSequence([.. ids]));
            }
        }

        if (sequences.Count == 0)
        {
            // Found here rather than after a whole compression, when the evaluation would score no token.
            throw new InvalidSettingException(RecipeKeys.EvaluationData, $"holds no selected document of two or more tokens (with BOS) to score, separated by \"{options.Separator}\"", A3ErrorCodes.InvalidData, dataPath);
        }

        return sequences;
    }

    private static List<ScoringSequence> Windows(string text, ITokenizer tokenizer, int maxSequenceLength, EvaluationOptions options, string dataPath)
    {
        int length = options.SequenceLength ?? maxSequenceLength;
        if (length < 2 || length > maxSequenceLength)
        {
            throw new InvalidSettingException(RecipeKeys.EvaluationSeqLen, $"must be between 2 and the model context {maxSequenceLength}, got {length}");
        }

        var ids = tokenizer.Encode(text.ReplaceLineEndings("\n")).ToArray();
        int count = ids.Length / length;
        if (count == 0)
        {
            throw new InvalidSettingException(RecipeKeys.EvaluationSeqLen, $"({length}) is more than the text's {ids.Length} tokens, so no window can be scored", A3ErrorCodes.InvalidData, dataPath);
        }

        count = Math.Min(count, options.MaxWindows ?? int.MaxValue);
        var sequences = new List<ScoringSequence>(count);
        for (int w = 0; w < count; w++)
        {
            sequences.Add(new ScoringSequence(ids.AsSpan(w * length, length).ToArray()));
        }

        return sequences;
    }
}
