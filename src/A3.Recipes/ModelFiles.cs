using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace A3.Recipes;

/// <summary>
/// Which files make up a model on disk: the one rule behind the build's up-to-date check, the artifact
/// cache key, the tokenizer loader and the model folder writer. A model is a Hugging Face folder (every
/// file in it, subfolders included) or a llama2.c <c>.bin</c> checkpoint, whose tokenizer lies beside it:
/// a SentencePiece <c>tokenizer.model</c> or <c>tok*.model</c>, or the binary <c>tok*.bin</c> of the export.
/// </summary>
public static class ModelFiles
{
    /// <summary>The Hugging Face tokenizer file.</summary>
    public const string TokenizerJsonFileName = "tokenizer.json";

    /// <summary>The SentencePiece model of a Hugging Face folder, and the name a written folder gives any SentencePiece tokenizer.</summary>
    public const string SentencePieceModelFileName = "tokenizer.model";

    /// <summary>The Hugging Face tokenizer settings beside <see cref="TokenizerJsonFileName"/> (special tokens such as BOS and EOS).</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>The Hugging Face model configuration of a model folder (architecture, sizes, BOS/EOS ids, the <c>a3</c> section).</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>
    /// The subfolder of a compressed model's artifact folder that holds its ONNX export (<see cref="OnnxModelFileName"/>,
    /// the config and the tokenizer files), the folder an A3.OnnxRuntime application loads.
    /// </summary>
    public const string OnnxFolderName = "onnx";

    /// <summary>The ONNX graph of an exported model folder.</summary>
    public const string OnnxModelFileName = "model.onnx";

    /// <summary>The external weights of <see cref="OnnxModelFileName"/>, beside it, when the graph keeps them outside.</summary>
    public const string OnnxExternalDataFileName = "model.onnx_data";

    /// <summary>How messages name the tokenizers <see cref="FindTokenizer"/> looks for in a model folder.</summary>
    public const string TokenizersInFolder = $"{TokenizerJsonFileName}, {SentencePieceModelFileName} or {Llama2cTokenizerPattern}";

    /// <summary>How messages name the tokenizers <see cref="FindTokenizer"/> looks for beside a llama2.c checkpoint.</summary>
    public const string TokenizersBesideCheckpoint = $"{SentencePieceModelFileName}, {SentencePiecePattern} or {Llama2cTokenizerPattern}";

    private const string TokenizerPrefix = "tok";
    private const string SentencePieceExtension = ".model";
    private const string Llama2cTokenizerExtension = ".bin";
    private const string SentencePiecePattern = TokenizerPrefix + "*" + SentencePieceExtension;
    private const string Llama2cTokenizerPattern = TokenizerPrefix + "*" + Llama2cTokenizerExtension;

    /// <summary>
    /// Gets the tokenizer and generation files a model folder written from a Hugging Face folder carries
    /// when the source has them, under the same names, in this order.
    /// </summary>
    public static IReadOnlyList<string> TokenizerAndGenerationFileNames { get; } = new[]
    {
        SentencePieceModelFileName, TokenizerJsonFileName, TokenizerConfigFileName, "special_tokens_map.json", "generation_config.json",
    };

    /// <summary>
    /// Lists the files that define the model at <paramref name="modelPath"/>, in ordinal order of their names:
    /// every file of a model folder (subfolders included, named by their relative path with forward slashes),
    /// or a llama2.c checkpoint with every <c>tok*.bin</c>, <c>tok*.model</c> and <c>tokenizer.model</c> beside
    /// it (named by their file names). A path that is not a folder is taken for a checkpoint, even when it
    /// does not exist, so that a missing model still shows up as an input.
    /// </summary>
    /// <param name="modelPath">The model folder or checkpoint file, as the recipe resolves it.</param>
    /// <returns>The files; each <see cref="ModelFile.Path"/> starts with <paramref name="modelPath"/> or its folder as given.</returns>
    public static IReadOnlyList<ModelFile> Of(string modelPath)
    {
        if (modelPath is null)
        {
            throw new ArgumentNullException(nameof(modelPath));
        }

        if (Directory.Exists(modelPath))
        {
            return Directory.EnumerateFiles(modelPath, "*", SearchOption.AllDirectories)
                // A link File.Exists does not take for a file is no file of the model; the artifact key has always left those out.
                .Where(file => (File.GetAttributes(file) & FileAttributes.ReparsePoint) == 0 || File.Exists(file))
                .Select(file => new ModelFile(RelativeName(modelPath, file), file))
                .OrderBy(file => file.Name, StringComparer.Ordinal)
                .ToList();
        }

        // Every tokenizer beside the checkpoint counts, not only the one loaded: which one is loaded depends on which exist.
        var folder = Path.GetDirectoryName(modelPath);
        var tokenizers = new[] { Llama2cTokenizerPattern, SentencePiecePattern, SentencePieceModelFileName }
            .SelectMany(pattern => Matches(folder, pattern))
            .Where(file => !string.Equals(file, modelPath, StringComparison.Ordinal));
        return new[] { modelPath }.Concat(tokenizers)
            .Distinct(StringComparer.Ordinal)
            .Select(file => new ModelFile(Path.GetFileName(file), file))
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Finds the tokenizer of the model at <paramref name="modelPath"/>. In a folder: <c>tokenizer.json</c>,
    /// unless a <c>tokenizer.model</c> lies beside it and the JSON is not a byte-level BPE (a Llama 2 style
    /// <c>tokenizer.json</c> is SentencePiece BPE in JSON form, and <c>tokenizer.model</c> is its exact source);
    /// else <c>tokenizer.model</c>; else the first <c>tok*.bin</c> (a model converted from llama2.c keeps its
    /// binary tokenizer under that name). For a tokenizer file itself (<c>tokenizer.json</c>, a <c>.model</c>
    /// file, a <c>tok*.bin</c> file): that file. For a llama2.c checkpoint: the SentencePiece
    /// <c>tokenizer.model</c> or first <c>tok*.model</c> beside it, preferred because it is the tokenizer the
    /// model was trained with, else the first <c>tok*.bin</c> beside it. "First" is in ordinal name order.
    /// </summary>
    /// <param name="modelPath">A model folder, a llama2.c checkpoint, or a tokenizer file.</param>
    /// <param name="isByteLevelTokenizerJson">
    /// Tells whether a <c>tokenizer.json</c> (given its path) describes a byte-level BPE; asked only for a
    /// folder that holds both <c>tokenizer.json</c> and <c>tokenizer.model</c>, since reading the JSON is the
    /// tokenizer reader's business.
    /// </param>
    /// <returns>The tokenizer file, or <see langword="null"/> when there is none or <paramref name="modelPath"/> does not exist.</returns>
    public static TokenizerFile? FindTokenizer(string modelPath, Func<string, bool> isByteLevelTokenizerJson)
    {
        if (modelPath is null)
        {
            throw new ArgumentNullException(nameof(modelPath));
        }

        if (isByteLevelTokenizerJson is null)
        {
            throw new ArgumentNullException(nameof(isByteLevelTokenizerJson));
        }

        if (!Directory.Exists(modelPath))
        {
            return File.Exists(modelPath) ? TokenizerOfFile(modelPath) : null;
        }

        var json = Path.Combine(modelPath, TokenizerJsonFileName);
        var sentencePiece = Path.Combine(modelPath, SentencePieceModelFileName);
        if (File.Exists(json))
        {
            return File.Exists(sentencePiece) && !isByteLevelTokenizerJson(json)
                ? new TokenizerFile(sentencePiece, TokenizerFormat.SentencePieceModel)
                : new TokenizerFile(json, TokenizerFormat.TokenizerJson);
        }

        if (File.Exists(sentencePiece))
        {
            return new TokenizerFile(sentencePiece, TokenizerFormat.SentencePieceModel);
        }

        var binary = FirstMatch(modelPath, Llama2cTokenizerPattern);
        return binary is null ? null : new TokenizerFile(binary, TokenizerFormat.Llama2cBinary);
    }

    /// <summary>
    /// Lists the tokenizer and generation files a model folder written from <paramref name="source"/> carries,
    /// each named as it is there. From a Hugging Face folder: those of <see cref="TokenizerAndGenerationFileNames"/>
    /// it has, under the same names; when it has neither <c>tokenizer.model</c> nor <c>tokenizer.json</c>, the
    /// llama2.c tokenizer in it as beside a checkpoint. From a llama2.c checkpoint or a tokenizer file: the
    /// tokenizer <see cref="FindTokenizer"/> finds. A SentencePiece tokenizer is always carried as
    /// <c>tokenizer.model</c> and a <c>tokenizer.json</c> as <c>tokenizer.json</c>, so a reader finds them by
    /// name; a <c>tok*.bin</c> keeps its own name, which a reader looks for in a folder.
    /// </summary>
    /// <param name="source">A Hugging Face model folder, a llama2.c checkpoint, or a tokenizer file.</param>
    /// <returns>
    /// The files, <see cref="ModelFile.Name"/> being the name in the written folder and <see cref="ModelFile.Path"/>
    /// the file to copy; empty when no tokenizer is among them or <paramref name="source"/> does not exist.
    /// </returns>
    public static IReadOnlyList<ModelFile> CarriedTokenizerFiles(string source)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        var files = new List<ModelFile>();
        if (Directory.Exists(source))
        {
            foreach (var fileName in TokenizerAndGenerationFileNames)
            {
                var path = Path.Combine(source, fileName);
                if (File.Exists(path))
                {
                    files.Add(new ModelFile(fileName, path));
                }
            }

            if (!files.Any(file => file.Name is SentencePieceModelFileName or TokenizerJsonFileName) && TokenizerBeside(source) is { } llama2c)
            {
                // A folder holding a llama2.c export has its tokenizer under a tok* name.
                files.Add(Carried(llama2c));
            }
        }
        else if (File.Exists(source) && TokenizerOfFile(source) is { } tokenizer)
        {
            files.Add(Carried(tokenizer));
        }

        return files.Any(file => file.Name is SentencePieceModelFileName or TokenizerJsonFileName || IsLlama2cTokenizerName(file.Name))
            ? files
            : Array.Empty<ModelFile>();
    }

    /// <summary>The tokenizer of a file: the file itself when it is a tokenizer, else the one beside the checkpoint.</summary>
    private static TokenizerFile? TokenizerOfFile(string path)
    {
        var fileName = Path.GetFileName(path);
        if (fileName.Equals(TokenizerJsonFileName, StringComparison.OrdinalIgnoreCase))
        {
            return new TokenizerFile(path, TokenizerFormat.TokenizerJson);
        }

        if (fileName.EndsWith(SentencePieceExtension, StringComparison.OrdinalIgnoreCase))
        {
            return new TokenizerFile(path, TokenizerFormat.SentencePieceModel);
        }

        if (IsLlama2cTokenizerName(fileName))
        {
            return new TokenizerFile(path, TokenizerFormat.Llama2cBinary);
        }

        return TokenizerBeside(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The tokenizer of a llama2.c export in <paramref name="folder"/>: its SentencePiece model, else its binary tokenizer.</summary>
    private static TokenizerFile? TokenizerBeside(string folder)
    {
        // The SentencePiece model is preferred: it is the tokenizer the model was trained with.
        var sentencePiece = FirstMatch(folder, SentencePieceModelFileName) ?? FirstMatch(folder, SentencePiecePattern);
        if (sentencePiece is not null)
        {
            return new TokenizerFile(sentencePiece, TokenizerFormat.SentencePieceModel);
        }

        var binary = FirstMatch(folder, Llama2cTokenizerPattern);
        return binary is null ? null : new TokenizerFile(binary, TokenizerFormat.Llama2cBinary);
    }

    private static ModelFile Carried(TokenizerFile tokenizer) => tokenizer.Format switch
    {
        TokenizerFormat.TokenizerJson => new ModelFile(TokenizerJsonFileName, tokenizer.Path),
        TokenizerFormat.SentencePieceModel => new ModelFile(SentencePieceModelFileName, tokenizer.Path),
        _ => new ModelFile(Path.GetFileName(tokenizer.Path), tokenizer.Path),
    };

    private static bool IsLlama2cTokenizerName(string fileName) =>
        fileName.StartsWith(TokenizerPrefix, StringComparison.OrdinalIgnoreCase) && fileName.EndsWith(Llama2cTokenizerExtension, StringComparison.OrdinalIgnoreCase);

    private static string? FirstMatch(string folder, string pattern) =>
        Directory.EnumerateFiles(folder, pattern).OrderBy(file => file, StringComparer.Ordinal).FirstOrDefault();

    private static IEnumerable<string> Matches(string? folder, string pattern) =>
        string.IsNullOrEmpty(folder) || !Directory.Exists(folder) ? Enumerable.Empty<string>() : Directory.EnumerateFiles(folder, pattern);

    /// <summary>The path of <paramref name="file"/>, found under <paramref name="folder"/>, relative to it with forward slashes.</summary>
    private static string RelativeName(string folder, string file)
    {
        // The enumeration joins each name onto the folder as given, so the folder is a literal prefix
        // (netstandard2.0 has no Path.GetRelativePath).
        var start = folder.Length + (folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal)
            || folder.EndsWith(Path.AltDirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? 0 : 1);
        return file.Substring(start).Replace('\\', '/');
    }
}
