using A3.Evaluation;
using A3.Generation;
using A3.IO;
using A3.Recipes;
using A3.Tokenizers;

namespace A3.OnnxRuntime;

/// <summary>
/// A decoder language model exported to ONNX (<c>a3 export</c>), run with ONNX Runtime: the folder's
/// <c>model.onnx</c> (with <c>model.onnx_data</c> beside it when the weights are external), <c>config.json</c>
/// and tokenizer files. It generates and scores text as A3.Runtime does, with the same tokenizers, sampling
/// rule and evaluation protocols, and without TorchSharp. Dispose it to release the session's native memory.
/// </summary>
public sealed class OnnxDecoderModel : IDisposable
{
    private readonly DecoderSession session;
    private readonly IReadOnlySet<int> stopIds;
    private bool disposed;

    private OnnxDecoderModel(string folder, DecoderSession session, ITokenizer tokenizer, ModelTokenConfig config)
    {
        Folder = folder;
        this.session = session;
        Tokenizer = tokenizer;
        ContextLength = config.MaxPositionEmbeddings;
        VocabSize = config.VocabSize;
        stopIds = StopTokenIds.Of(tokenizer, config.EosTokenIds);
    }

    /// <summary>Gets the full path of the model folder.</summary>
    public string Folder { get; }

    /// <summary>Gets the model's tokenizer.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Gets the context length (<c>max_position_embeddings</c>): the most positions a sequence may have.</summary>
    public int ContextLength { get; }

    /// <summary>Gets the vocabulary size (<c>vocab_size</c>): the length of each row of logits.</summary>
    public int VocabSize { get; }

    /// <summary>Gets the number of decoder layers, read from the graph's cache inputs.</summary>
    public int LayerCount => session.Contract.Layers.Count;

    /// <summary>Gets the ids that end a generation, ascending: the tokenizer's EOS and every <c>eos_token_id</c> of <c>config.json</c>.</summary>
    public IReadOnlyList<int> EndOfSequenceIds => [.. stopIds.Order()];

    /// <summary>Loads the exported model in <paramref name="folder"/>.</summary>
    /// <param name="folder">
    /// The exported folder: an artifact's <see cref="ModelFiles.OnnxFolderName"/> subfolder, or any folder holding
    /// <see cref="ModelFiles.OnnxModelFileName"/>, <see cref="ModelFiles.ConfigFileName"/> and the tokenizer.
    /// </param>
    /// <param name="options">How the ONNX Runtime session is set up (execution provider, threads); CPU defaults when null.</param>
    /// <returns>The model.</returns>
    /// <exception cref="A3InputException">
    /// The folder or a file is missing (<see cref="A3ErrorCodes.FileNotFound"/>), <c>config.json</c> is malformed
    /// (<see cref="A3ErrorCodes.InvalidModelConfig"/>), the tokenizer is malformed or another model's
    /// (<see cref="A3ErrorCodes.InvalidTokenizer"/>), or the graph cannot be loaded or breaks the decoder contract
    /// (<see cref="A3ErrorCodes.InvalidOnnxModel"/>).
    /// </exception>
    public static OnnxDecoderModel Load(string folder, OnnxModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullPath = Path.GetFullPath(folder);
        if (!Directory.Exists(fullPath))
        {
            throw new A3InputException(
                A3ErrorCodes.FileNotFound,
                File.Exists(fullPath) ? $"an exported model is a folder ({ModelFiles.OnnxModelFileName}, {ModelFiles.ConfigFileName} and the tokenizer), not a file" : "no such exported model folder",
                fullPath);
        }

        var modelPath = Path.Combine(fullPath, ModelFiles.OnnxModelFileName);
        InputFiles.Require(modelPath, $"the folder has no {ModelFiles.OnnxModelFileName}; export the model with a3 export");

        // The cheap files first, so a broken folder is reported before the graph is loaded.
        var config = ModelTokenConfig.ReadFolder(fullPath);
        var (tokenizer, tokenizerPath) = TokenizerLoader.LoadWithPath(fullPath);
        TokenizerVocabularyCheck.Verify(tokenizer, tokenizerPath, config.VocabSize, Path.Combine(fullPath, ModelFiles.ConfigFileName));

        var session = DecoderSession.Open(modelPath, options ?? new OnnxModelOptions());
        if (session.Contract.VocabSize is int graphVocab && graphVocab != config.VocabSize)
        {
            session.Dispose();
            throw new A3InputException(
                A3ErrorCodes.InvalidOnnxModel,
                $"{ModelFiles.OnnxModelFileName} produces {graphVocab} logits per position but {ModelFiles.ConfigFileName} declares vocab_size {config.VocabSize}; the graph and the config are of different models",
                modelPath);
        }

        return new OnnxDecoderModel(fullPath, session, tokenizer, config);
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> (encoded as <c>[BOS] + encode(prompt)</c>) by up to <paramref name="maxNewTokens"/>
    /// tokens: the prompt is run once, then one token per step with the key/value cache, until an end-of-sequence id
    /// (<see cref="EndOfSequenceIds"/>) or the context ends.
    /// </summary>
    /// <param name="prompt">The text to continue.</param>
    /// <param name="maxNewTokens">The most tokens to generate, 0 or more.</param>
    /// <param name="sampler">Picks each token: greedy, or seeded sampling with temperature and top-p.</param>
    /// <param name="cancellationToken">Stops between tokens.</param>
    /// <returns>The continuation and its counts.</returns>
    /// <exception cref="InvalidSettingException">The prompt does not fit the context.</exception>
    public GenerationResult Generate(string prompt, int maxNewTokens, TokenSampler sampler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(sampler);
        ObjectDisposedException.ThrowIf(disposed, this);
        return OnnxTextGenerator.Generate(session, Tokenizer, ContextLength, stopIds, prompt, maxNewTokens, sampler, cancellationToken);
    }

    /// <summary>
    /// Measures perplexity on the text file at <paramref name="dataPath"/> under <paramref name="options"/>' protocol, with the
    /// sequences <c>a3 eval</c> scores (documents with BOS, or non-overlapping windows of the context or
    /// <see cref="EvaluationOptions.SequenceLength"/>). Sequences are scored one at a time, so
    /// <see cref="EvaluationOptions.BatchSize"/> does not apply.
    /// </summary>
    /// <param name="dataPath">The text file.</param>
    /// <param name="options">The protocol and its settings.</param>
    /// <param name="cancellationToken">Stops between sequences.</param>
    /// <returns>The perplexity, timed from reading the file.</returns>
    /// <exception cref="A3InputException">The file is missing, or the options do not fit the text or the model.</exception>
    public PerplexityResult EvaluatePerplexity(string dataPath, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(disposed, this);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sequences = EvaluationSequences.Read(dataPath, Tokenizer, ContextLength, options);
        var result = OnnxPerplexityEvaluator.Evaluate(session, sequences, cancellationToken);
        return result with { Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            session.Dispose();
        }
    }
}
