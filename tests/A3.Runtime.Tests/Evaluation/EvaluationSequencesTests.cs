using A3.Evaluation;
using A3.Runtime.Evaluation;

namespace A3.Runtime.Tests.Evaluation;

public sealed class EvaluationSequencesTests
{
    private static readonly CharacterTokenizer Tokenizer = new();

    private const string Corpus = "  first doc  \n<|endoftext|>\nsecond\n<|endoftext|>\n\n<|endoftext|>third one here\n";

    [Fact]
    public void Documents_are_bos_plus_the_stripped_text_and_empty_documents_are_dropped()
    {
        var sequences = EvaluationSequences.Build(Corpus, Tokenizer, 64, new EvaluationOptions(), "corpus.txt");

        Assert.Equal(3, sequences.Count);
        Assert.Equal([1, .. Tokenizer.Encode("first doc")], sequences[0].Ids);
        Assert.Equal([1, .. Tokenizer.Encode("third one here")], sequences[2].Ids);
    }

    [Fact]
    public void Documents_of_a_model_without_bos_are_the_stripped_text_alone()
    {
        var sequences = EvaluationSequences.Build(Corpus, new CharacterTokenizer(hasBos: false), 64, new EvaluationOptions(), "corpus.txt");

        Assert.Equal(3, sequences.Count);
        Assert.Equal(Tokenizer.Encode("first doc"), sequences[0].Ids);
        Assert.Equal(Tokenizer.Encode("third one here"), sequences[2].Ids);
    }

    [Fact]
    public void Documents_honour_skip_take_and_truncate_to_the_model_context()
    {
        var options = new EvaluationOptions { SkipDocuments = 1, MaxDocuments = 1 };

        var sequences = EvaluationSequences.Build(Corpus, Tokenizer, 4, options, "corpus.txt");

        Assert.Equal([1, .. Tokenizer.Encode("sec")], Assert.Single(sequences).Ids);
    }

    [Fact]
    public void Skipping_every_document_is_an_error_naming_the_file()
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            EvaluationSequences.Build(Corpus, Tokenizer, 64, new EvaluationOptions { SkipDocuments = 3 }, "corpus.txt"));

        Assert.Equal("corpus.txt", error.FilePath);
        Assert.Equal("evaluation.skip_docs", error.Setting);
        Assert.Equal(A3ErrorCodes.InvalidData, error.Code);
    }

    [Fact]
    public void Windows_normalise_crlf_drop_the_remainder_and_add_no_bos()
    {
        var text = string.Concat(Enumerable.Repeat("ab\r\ncd\n", 5));
        var options = new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = 6 };

        var sequences = EvaluationSequences.Build(text, Tokenizer, 64, options, "w.txt");
        var lf = EvaluationSequences.Build(text.Replace("\r\n", "\n", StringComparison.Ordinal), Tokenizer, 64, options, "w.txt");

        Assert.Equal(30 / 6, sequences.Count);
        Assert.All(sequences, s => Assert.Equal(6, s.Ids.Length));
        Assert.Equal(lf.Select(s => s.Ids), sequences.Select(s => s.Ids));
        Assert.DoesNotContain(1, sequences[0].Ids);
    }

    [Fact]
    public void Windows_respect_max_windows_and_reject_lengths_beyond_the_context()
    {
        var text = new string('x', 100);

        Assert.Equal(2, EvaluationSequences.Build(text, Tokenizer, 64, new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = 10, MaxWindows = 2 }, "w").Count);
        var error = Assert.Throws<InvalidSettingException>(() =>
            EvaluationSequences.Build(text, Tokenizer, 8, new EvaluationOptions { Protocol = EvaluationProtocol.Windows, SequenceLength = 10 }, "w"));
        Assert.Equal("evaluation.seq_len", error.Setting);
        Assert.Equal("must be between 2 and the model context 8, got 10", error.Problem);
    }
}
